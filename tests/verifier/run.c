// SPDX-License-Identifier: BSD-2-Clause
/*
 * run.c - `make verify-suite`: runs every case of the tests/verifier .vt files
 * through userbpf's own verifier (src/verifier, ubf_verify()) and compares
 * with the verdict Linux gives (the case's accept:/reject: line, checked by
 * kcheck).  A case agrees when the verdicts match and, for a rejection, the
 * failing instruction matches too; the rule id is compared and counted
 * separately.  Accepting a case Linux rejects is printed as UNSOUND: that is
 * the one disagreement that must never happen.  The files are read by vt.c;
 * a case with subprograms gets BTF and func_info from its "func:" lines, as
 * kcheck gives Linux.
 * With -m, prints "MSG FILE:LINE<TAB>message" for each rejected case, the
 * message being the log's last line (tests/kernel/vt-messages.sh compares
 * them with Linux's).
 * Usage: run [-v|-m] FILE.vt...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <bpf/btf.h>

#include <userbpf/isa.h>
#include <userbpf/map.h>

#include "sys/sys.h"
#include "verifier/verifier.h"
#include "vt.h"

#define MAX_RULES 256

struct rule_count {
	char rule[64];
	unsigned cases, agree, same_rule;
};

struct stats {
	struct rule_count rules[MAX_RULES];
	unsigned rule_cnt;
	unsigned cases, agree, same_rule, unsound, errors;
	unsigned skipped;		/* cases needing the kernel's BTF, without one */
	unsigned texts, same_text;	/* rejections with a linux: text; userbpf's has it too */
	bool verbose;
	bool messages;
};

static struct rule_count *rule_of(struct stats *s, const char *rule)
{
	unsigned i;

	for (i = 0; i < s->rule_cnt; i++)
		if (!strcmp(s->rules[i].rule, rule))
			return &s->rules[i];
	if (s->rule_cnt == MAX_RULES)
		return NULL;
	snprintf(s->rules[s->rule_cnt].rule, sizeof(s->rules[0].rule), "%s", rule);
	return &s->rules[s->rule_cnt++];
}

/* The verify input of a case; its maps go to *maps. */
static void case_input(const struct vt_case *c, struct ubf_verify_map *maps,
		       struct ubf_verify_input *in)
{
	unsigned i;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < c->map_cnt; i++) {
		maps[i].type = c->maps[i].type;
		maps[i].key_sz = c->maps[i].key_sz;
		maps[i].value_sz = c->maps[i].value_sz;
		maps[i].max_entries = c->maps[i].max_entries;
		maps[i].flags = c->maps[i].flags;
		maps[i].lock_off = c->maps[i].lock_off;
		maps[i].inner = c->maps[i].inner;
	}
	in->prog_type = c->prog_type;
	in->attach = c->attach;
	in->is_unpriv = c->is_unpriv;
	in->is_non_gpl = !ubf_sys_license_is_gpl(c->license);
	in->is_sleepable = c->is_sleepable;
	in->cpu_cnt = ubf_cpu_count();
	in->maps = maps;
	in->map_cnt = c->map_cnt;
	in->attach_btf_id = c->attach_btf_id;
	in->kernel_btf = vt_kernel_btf;
}

/* BTF with one FUNC per subprogram (kcheck's layout); NULL when there is one. */
static struct btf *case_btf(const struct vt_case *c, const struct ubf_raw_insn *insns,
			    size_t cnt, struct bpf_func_info *fi, size_t *fi_cnt)
{
	uint32_t starts[VT_MAX_FUNCS];
	unsigned n = vt_subprog_starts(insns, cnt, starts);
	struct btf *btf = n > 1 ? vt_func_btf(c, starts, n, fi) : NULL;

	*fi_cnt = btf ? n : 0;
	return btf;
}

/* The log's last line that is not a statistics line, printed for -m. */
static void print_message(const struct vt_case *c, const char *log, size_t len)
{
	const char *end = log + len, *s;

	while (end > log) {
		while (end > log && end[-1] == '\n')
			end--;
		for (s = end; s > log && s[-1] != '\n'; s--)
			;
		if (end > s && strncmp(s, "processed ", 10)) {
			printf("MSG %s:%u\t%.*s\n", c->file, c->line, (int)(end - s), s);
			return;
		}
		end = s;
	}
	printf("MSG %s:%u\t\n", c->file, c->line);
}

static void print_result(const struct vt_case *c, const struct ubf_verify_result *res,
			 bool accepted, bool agree, int err, bool verbose)
{
	printf("%-8s %s:%u %s\n         linux: %s %s", accepted && !c->expect_accept ?
	       "UNSOUND" : agree ? "agree" : "DIFFER", c->file, c->line, c->name,
	       c->expect_accept ? "accept" : "reject", c->rule);
	if (!c->expect_accept)
		printf(" @%" PRId64, c->idx);
	if (accepted)
		printf("  | userbpf: accept\n");
	else
		printf("  | userbpf: %s @%" PRId64 ": %s (%d)\n",
		       res->diag.id ? res->diag.id : "?",
		       res->diag.insn_idx == UBF_DIAG_NO_INSN ? INT64_C(-1) :
		       (int64_t)res->diag.insn_idx, res->diag.msg, err);
	if (verbose && res->log)
		printf("%.*s", (int)res->log_len, res->log);
}

static int check_case(const struct vt_case *c, void *ctx)
{
	struct stats *s = ctx;
	struct ubf_diag diag = { 0 };
	struct ubf_asm_opts opts = { .sz = sizeof(opts), .file_name = c->file, .diag = &diag };
	struct ubf_verify_map maps[VT_MAX_MAPS];
	struct ubf_raw_insn *insns = NULL;
	struct bpf_func_info fi[VT_MAX_FUNCS];
	struct ubf_verify_input in;
	struct ubf_verify_result res;
	struct btf *btf;
	struct rule_count *rc;
	bool accepted, agree, same_rule;
	size_t cnt = 0;
	int err;

	if (c->needs_kernel_btf && !vt_kernel_btf()) {
		s->skipped++;
		if (s->verbose)
			printf("SKIP     %s:%u %s: no kernel BTF\n", c->file, c->line, c->name);
		return 0;
	}
	s->cases++;
	rc = rule_of(s, c->rule);
	if (!rc) {
		printf("ERROR    %s:%u %s: more than %d rules\n", c->file, c->line, c->name,
		       MAX_RULES);
		s->errors++;
		return 0;
	}
	rc->cases++;
	if (ubf_asm_parse(c->code, c->code_len, &insns, &cnt, &opts)) {
		printf("ERROR    %s:%u %s: asm: %s\n", c->file, c->line, c->name, diag.msg);
		s->errors++;
		return 0;
	}
	case_input(c, maps, &in);
	in.insns = insns;
	in.insn_cnt = cnt;
	in.log_level = s->verbose ? 2 : s->messages ? 1 : 0;
	btf = case_btf(c, insns, cnt, fi, &in.func_info_cnt);
	in.btf = btf;
	in.func_info = btf ? fi : NULL;
	err = ubf_verify(&in, &res);
	btf__free(btf);
	free(insns);
	accepted = err == 0;
	/* as kcheck: an error found before the walk (the attach target) names no instruction */
	agree = accepted == c->expect_accept &&
		(accepted || res.diag.insn_idx == UBF_DIAG_NO_INSN ||
		 (int64_t)res.diag.insn_idx == c->idx);
	same_rule = agree && (accepted || (res.diag.id && !strcmp(res.diag.id, c->rule)));
	s->agree += agree;
	rc->agree += agree;
	s->same_rule += same_rule;
	rc->same_rule += same_rule;
	if (accepted && !c->expect_accept)
		s->unsound++;
	if (!c->expect_accept && c->linux_msg[0]) {
		s->texts++;
		s->same_text += !accepted && strstr(res.diag.msg, c->linux_msg) != NULL;
	}
	if (s->messages) {
		if (!accepted)
			print_message(c, res.log ? res.log : "", res.log ? res.log_len : 0);
	} else if (!agree || s->verbose) {
		print_result(c, &res, accepted, agree, err, s->verbose);
	}
	ubf_verify_result_free(&res);
	return 0;
}

static int by_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule_count *)a)->rule, ((const struct rule_count *)b)->rule);
}

int main(int argc, char **argv)
{
	static struct stats s;
	unsigned i;
	int a = 1;

	if (a < argc && !strcmp(argv[a], "-v")) {
		s.verbose = true;
		a++;
	} else if (a < argc && !strcmp(argv[a], "-m")) {
		s.messages = true;
		a++;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: run [-v|-m] FILE.vt...\n");
		return 2;
	}
	for (; a < argc; a++) {
		if (vt_read_file(argv[a], check_case, &s, &s.errors) == -ENOMEM)
			break;
	}
	qsort(s.rules, s.rule_cnt, sizeof(s.rules[0]), by_rule);
	printf("\n%-28s %6s %6s %9s\n", "rule", "cases", "agree", "same rule");
	for (i = 0; i < s.rule_cnt; i++)
		printf("%-28s %6u %6u %9u\n", s.rules[i].rule, s.rules[i].cases, s.rules[i].agree,
		       s.rules[i].same_rule);
	printf("\n%u cases, %u same rule id, %u UNSOUND, %u errors\n", s.cases, s.same_rule,
	       s.unsound, s.errors);
	printf("messages: %u of %u rejections with a linux: text have it in userbpf's message\n",
	       s.same_text, s.texts);
	printf("verify-suite: %u agree, %u disagree, %u skipped (no kernel BTF)\n", s.agree,
	       s.cases - s.agree, s.skipped);
	return s.unsound || s.errors ? 1 : 0;
}
