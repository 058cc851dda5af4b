// SPDX-License-Identifier: BSD-2-Clause
/*
 * run.c - `make verify-suite`: runs every case of the tests/verifier .vt files
 * through userbpf's own verifier (src/verifier, ubf_verify()) and compares
 * with the verdict Linux gives (the case's accept:/reject: line, checked by
 * kcheck).  A case agrees when the verdicts match and, for a rejection, the
 * failing instruction matches too; the rule id is compared and counted
 * separately.  Accepting a case Linux rejects is printed as UNSOUND: that is
 * the one disagreement that must never happen.  Usage: run [-v] FILE.vt...
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <userbpf/isa.h>

#include "verifier/verifier.h"

#define MAX_MAPS 8
#define MAX_RULES 256

static const struct {
	const char *name;
	uint32_t type;
} prog_types[] = {
#define UBF_PROG_TYPE(type_, name_, ...) { name_, type_ },
#include "sys/prog_types.def"
#undef UBF_PROG_TYPE
};

static const struct {
	const char *name;
	uint32_t type;
} map_types[] = {
	{ "hash", BPF_MAP_TYPE_HASH },
	{ "array", BPF_MAP_TYPE_ARRAY },
	{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY },
	{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH },
	{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY },
	{ "lru_hash", BPF_MAP_TYPE_LRU_HASH },
	{ "queue", BPF_MAP_TYPE_QUEUE },
	{ "stack", BPF_MAP_TYPE_STACK },
	{ "ringbuf", BPF_MAP_TYPE_RINGBUF },
};

struct vcase {
	const char *file;
	unsigned line;
	char name[160];
	struct ubf_verify_input in;
	struct ubf_verify_map maps[MAX_MAPS];
	char *code;
	size_t code_len, code_cap;
	bool has_verdict, expect_accept;
	char rule[64];
	long idx;
};

struct rule_count {
	char rule[64];
	unsigned cases, agree, same_rule;
};

struct stats {
	struct rule_count rules[MAX_RULES];
	unsigned rule_cnt;
	unsigned cases, agree, same_rule, unsound, errors;
};

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int code_append(struct vcase *c, const char *line)
{
	size_t n = strlen(line);

	if (c->code_len + n + 2 > c->code_cap) {
		size_t cap = (c->code_len + n + 2) * 2;
		char *p = realloc(c->code, cap);

		if (!p)
			return -ENOMEM;
		c->code = p;
		c->code_cap = cap;
	}
	memcpy(c->code + c->code_len, line, n);
	c->code_len += n;
	c->code[c->code_len++] = '\n';
	c->code[c->code_len] = '\0';
	return 0;
}

/* "hash key 8 value 8 entries 4 [flags F] [lock OFF]" */
static int parse_map(struct vcase *c, char *s)
{
	struct ubf_verify_map *m = &c->maps[c->in.map_cnt];
	char tname[32], word[16];
	unsigned val, i;
	int n = 0;

	if (c->in.map_cnt == MAX_MAPS || sscanf(s, "%31s%n", tname, &n) != 1)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->lock_off = -1;
	m->type = UINT32_MAX;
	for (i = 0; i < sizeof(map_types) / sizeof(map_types[0]); i++)
		if (!strcmp(tname, map_types[i].name))
			m->type = map_types[i].type;
	if (m->type == UINT32_MAX)
		return -EINVAL;
	s += n;
	while (sscanf(s, "%15s %i%n", word, &val, &n) == 2) {
		if (!strcmp(word, "key"))
			m->key_sz = val;
		else if (!strcmp(word, "value"))
			m->value_sz = val;
		else if (!strcmp(word, "entries"))
			m->max_entries = val;
		else if (!strcmp(word, "flags"))
			m->flags = val;
		else if (!strcmp(word, "lock"))
			m->lock_off = (int32_t)val;
		else
			return -EINVAL;
		s += n;
	}
	c->in.map_cnt++;
	return *skip_ws(s) ? -EINVAL : 0;
}

static int parse_key(struct vcase *c, const char *key, char *val)
{
	size_t i;

	if (!strcmp(key, "type")) {
		for (i = 0; i < sizeof(prog_types) / sizeof(prog_types[0]); i++) {
			if (!strcmp(val, prog_types[i].name)) {
				c->in.prog_type = prog_types[i].type;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!strcmp(key, "priv")) {
		c->in.is_unpriv = !strcmp(val, "bpf");
		return c->in.is_unpriv || !strcmp(val, "root") ? 0 : -EINVAL;
	}
	if (!strcmp(key, "attach"))
		return sscanf(val, "%u", &c->in.attach) == 1 ? 0 : -EINVAL;
	if (!strcmp(key, "map"))
		return parse_map(c, val);
	if (!strcmp(key, "accept")) {
		c->has_verdict = c->expect_accept = true;
		return sscanf(val, "%63s", c->rule) == 1 ? 0 : -EINVAL;
	}
	if (!strcmp(key, "reject")) {
		c->has_verdict = true;
		c->expect_accept = false;
		return sscanf(val, "%63s @%ld", c->rule, &c->idx) == 2 ? 0 : -EINVAL;
	}
	if (!strcmp(key, "func") || !strcmp(key, "note") || !strcmp(key, "code") ||
	    !strcmp(key, "linux"))
		return 0;
	return -EINVAL;
}

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

static void check_case(struct vcase *c, struct stats *s, bool verbose)
{
	struct ubf_diag diag = { 0 };
	struct ubf_asm_opts opts = { .sz = sizeof(opts), .file_name = c->file, .diag = &diag };
	struct ubf_raw_insn *insns = NULL;
	struct ubf_verify_result res;
	struct rule_count *rc = rule_of(s, c->rule);
	bool accepted, agree, same_rule;
	size_t cnt = 0;
	int err;

	s->cases++;
	if (!c->has_verdict || !c->code || !rc) {
		printf("ERROR    %s:%u %s: needs code: and accept: or reject:\n", c->file, c->line,
		       c->name);
		s->errors++;
		return;
	}
	rc->cases++;
	if (ubf_asm_parse(c->code, c->code_len, &insns, &cnt, &opts)) {
		printf("ERROR    %s:%u %s: asm: %s\n", c->file, c->line, c->name, diag.msg);
		s->errors++;
		return;
	}
	c->in.insns = insns;
	c->in.insn_cnt = cnt;
	c->in.maps = c->maps;
	c->in.log_level = verbose;
	err = ubf_verify(&c->in, &res);
	free(insns);
	accepted = err == 0;
	agree = accepted == c->expect_accept &&
		(accepted || (long)res.diag.insn_idx == c->idx);
	same_rule = agree && (accepted || (res.diag.id && !strcmp(res.diag.id, c->rule)));
	s->agree += agree;
	rc->agree += agree;
	s->same_rule += same_rule;
	rc->same_rule += same_rule;
	if (accepted && !c->expect_accept)
		s->unsound++;
	if (!agree || verbose) {
		printf("%-8s %s:%u %s\n         linux: %s %s", accepted && !c->expect_accept ?
		       "UNSOUND" : agree ? "agree" : "DIFFER", c->file, c->line, c->name,
		       c->expect_accept ? "accept" : "reject", c->rule);
		if (!c->expect_accept)
			printf(" @%ld", c->idx);
		if (accepted)
			printf("  | userbpf: accept\n");
		else
			printf("  | userbpf: %s @%ld: %s (%d)\n", res.diag.id ? res.diag.id : "?",
			       res.diag.insn_idx == UBF_DIAG_NO_INSN ? -1L : (long)res.diag.insn_idx,
			       res.diag.msg, err);
		if (verbose && res.log)
			printf("%.*s", (int)res.log_len, res.log);
	}
	ubf_verify_result_free(&res);
}

static void case_reset(struct vcase *c, const char *file, unsigned line, const char *name)
{
	free(c->code);
	memset(c, 0, sizeof(*c));
	c->file = file;
	c->line = line;
	c->idx = -1;
	c->in.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	snprintf(c->name, sizeof(c->name), "%.150s", name);
}

static bool is_key_line(const char *s)
{
	static const char *const keys[] = { "type", "attach", "priv", "map", "func", "code",
					    "accept", "reject", "linux", "note" };
	size_t i, n;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		n = strlen(keys[i]);
		if (!strncmp(s, keys[i], n) && (s[n] == ':' || s[n] == '\0'))
			return true;
	}
	return false;
}

static void rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && strchr("\r\n \t", s[n - 1]))
		s[--n] = '\0';
}

static int check_file(const char *path, struct stats *s, bool verbose)
{
	FILE *f = fopen(path, "r");
	struct vcase c = { 0 };
	char buf[512], *p, *colon;
	unsigned line = 0;
	bool in_case = false, in_code = false;

	if (!f) {
		fprintf(stderr, "verify-suite: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		rstrip(buf);
		if (!strncmp(buf, "== ", 3)) {
			if (in_case)
				check_case(&c, s, verbose);
			case_reset(&c, path, line, buf + 3);
			in_case = true;
			in_code = false;
			continue;
		}
		if (!in_case || !buf[0] || buf[0] == '#')
			continue;
		if (in_code && !is_key_line(buf)) {
			if (code_append(&c, skip_ws(buf)))
				break;
			continue;
		}
		colon = strchr(buf, ':');
		p = colon ? skip_ws(colon + 1) : NULL;
		if (colon)
			*colon = '\0';
		if (!p || parse_key(&c, buf, p)) {
			fprintf(stderr, "verify-suite: %s:%u: cannot read this line\n", path, line);
			s->errors++;
			continue;
		}
		in_code = !strcmp(buf, "code");
		if (in_code && *p && code_append(&c, p))
			break;
	}
	if (in_case)
		check_case(&c, s, verbose);
	free(c.code);
	fclose(f);
	return 0;
}

static int by_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule_count *)a)->rule, ((const struct rule_count *)b)->rule);
}

int main(int argc, char **argv)
{
	static struct stats s;
	bool verbose = false;
	unsigned i;
	int a = 1;

	if (a < argc && !strcmp(argv[a], "-v")) {
		verbose = true;
		a++;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: run [-v] FILE.vt...\n");
		return 2;
	}
	for (; a < argc; a++)
		check_file(argv[a], &s, verbose);
	qsort(s.rules, s.rule_cnt, sizeof(s.rules[0]), by_rule);
	printf("\n%-28s %6s %6s %9s\n", "rule", "cases", "agree", "same rule");
	for (i = 0; i < s.rule_cnt; i++)
		printf("%-28s %6u %6u %9u\n", s.rules[i].rule, s.rules[i].cases, s.rules[i].agree,
		       s.rules[i].same_rule);
	printf("\n%u cases, %u same rule id, %u UNSOUND, %u errors\n", s.cases, s.same_rule,
	       s.unsound, s.errors);
	printf("verify-suite: %u agree, %u disagree\n", s.agree, s.cases - s.agree);
	return s.unsound || s.errors ? 1 : 0;
}
