// SPDX-License-Identifier: BSD-2-Clause
/*
 * kcheck.c - the oracle of the verifier suite: load every case of the given
 * .vt files of tests/verifier into the running Linux kernel's verifier and say
 * whether Linux's verdict agrees with the expected one.  Maps are created
 * with BPF_MAP_CREATE, their fds patched into the map_fd/map_value lddw
 * forms, and programs with subprograms get a small BTF (built with libbpf's
 * btf__add_*() writers, loaded with a raw bpf(2) call) for their func_info.
 * A rejection agrees when Linux also rejects, at the same instruction, with
 * a log containing the case's "linux:" text.  The files are read by vt.c.
 * With -m, prints "MSG FILE:LINE<TAB>message" (the log's last line) for
 * each case Linux rejects instead.  Needs root; run by hand.
 */
#define _GNU_SOURCE
#include "vt.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/btf.h>

#include <userbpf/isa.h>
#include <userbpf/log.h>

#define LOG_SZ (4u << 20)
#define MAX_RULES 256
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct rule_count {
	char rule[64];
	unsigned accept;
	unsigned reject;
	unsigned agree;
};

struct stats {
	struct rule_count rules[MAX_RULES];
	unsigned rule_cnt;
	unsigned cases;
	unsigned agree;
	unsigned differ;
	unsigned errors;
	unsigned skipped;	/* the running kernel cannot load the case's attach target */
	bool verbose;
	bool messages;
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static void fail(const struct vt_case *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(const struct vt_case *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kcheck: %s:%u: %s: ", c->file, c->line, c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------ BTF */

static int btf_load(struct btf *btf, char *log, size_t log_sz)
{
	union bpf_attr attr;
	const void *raw;
	uint32_t raw_sz;

	raw = btf__raw_data(btf, &raw_sz);
	if (!raw)
		return -ENOMEM;
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uintptr_t)raw;
	attr.btf_size = raw_sz;
	attr.btf_log_buf = (uintptr_t)log;
	attr.btf_log_size = (uint32_t)log_sz;
	attr.btf_log_level = 1;
	return (int)sys_bpf(BPF_BTF_LOAD, &attr);
}

static int btf_int(struct btf *btf, uint32_t sz)
{
	static const char *const names[] = {"u8", "u16", "", "u32", "", "", "", "u64"};

	if (sz == 1 || sz == 2 || sz == 4 || sz == 8)
		return btf__add_int(btf, names[sz - 1], sz, 0);
	return -EINVAL;
}

/* struct val { u32 w0; ...; struct bpf_spin_lock lock; ... } of value_sz bytes. */
static int btf_lock_value(struct btf *btf, const struct vt_map *m, int u32_id)
{
	int lock_id, val_id;
	uint32_t off;
	char fname[16];

	lock_id = btf__add_struct(btf, "bpf_spin_lock", 4);
	if (lock_id < 0 || btf__add_field(btf, "val", u32_id, 0, 0))
		return -EINVAL;
	val_id = btf__add_struct(btf, "val", m->value_sz);
	for (off = 0; val_id > 0 && off + 4 <= m->value_sz; off += 4) {
		snprintf(fname, sizeof(fname), "w%u", off / 4);
		if (btf__add_field(btf, (int)off == m->lock_off ? "lock" : fname,
				   (int)off == m->lock_off ? lock_id : u32_id, off * 8, 0))
			return -EINVAL;
	}
	return val_id;
}

static int create_map(const struct vt_case *c, const struct vt_map *m, const int *fds)
{
	char log[4096] = "";
	struct btf *btf = NULL;
	union bpf_attr attr;
	int fd, btf_fd = -1, key_id = 0, val_id = 0, u32_id;

	memset(&attr, 0, sizeof(attr));
	if (m->lock_off >= 0) {
		btf = btf__new_empty();
		u32_id = btf ? btf_int(btf, 4) : -ENOMEM;
		key_id = u32_id > 0 ? btf_int(btf, m->key_sz) : u32_id;
		val_id = key_id > 0 ? btf_lock_value(btf, m, u32_id) : key_id;
		btf_fd = val_id > 0 ? btf_load(btf, log, sizeof(log)) : -1;
		btf__free(btf);
		if (btf_fd < 0) {
			fail(c, "map BTF: %s", log[0] ? log : strerror(errno));
			return -1;
		}
		attr.btf_fd = (uint32_t)btf_fd;
		attr.btf_key_type_id = (uint32_t)key_id;
		attr.btf_value_type_id = (uint32_t)val_id;
	}
	attr.map_type = m->type;
	attr.key_size = m->key_sz;
	attr.value_size = m->value_sz;
	attr.max_entries = m->max_entries;
	attr.map_flags = m->flags;
	if (m->inner)
		attr.inner_map_fd = (uint32_t)fds[m->inner - 1];
	fd = (int)sys_bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0)
		fail(c, "BPF_MAP_CREATE: %s", strerror(errno));
	if (btf_fd >= 0)
		close(btf_fd);
	return fd;
}

/* The program's BTF (vt_func_btf()) loaded into the kernel: its fd, or -1. */
static int build_func_info(const struct vt_case *c, const uint32_t *starts, unsigned n,
			   struct bpf_func_info *fi, char *log, size_t log_sz)
{
	struct btf *btf = vt_func_btf(c, starts, n, fi);
	int fd = btf ? btf_load(btf, log, log_sz) : -1;

	btf__free(btf);
	return fd;
}

/* ------------------------------------------------------------ the kernel's verdict */

struct verdict {
	bool accepted;
	int64_t idx;	/* the failing instruction, or -1 */
	char msg[512];	/* the error block of the log, lines joined by " | " */
	char last[256]; /* its last line */
};

static bool is_insn_line(const char *s)
{
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	return p != s && p[0] == ':' && p[1] == ' ' && p[2] == '(';
}

static bool is_trailer(const char *s)
{
	return !strncmp(s, "processed ", 10) || !strncmp(s, "verification time", 17) ||
	       !strncmp(s, "stack depth", 11) || !*s;
}

static void read_log(char *log, struct verdict *v)
{
	char *lines[4096], *p, *q;
	unsigned n = 0, i, first = 0;
	size_t len = 0;

	for (p = strtok(log, "\n"); p && n < ARRAY_SIZE(lines); p = strtok(NULL, "\n")) {
		if (n == ARRAY_SIZE(lines) - 1) {
			memmove(lines, lines + 1024, (n - 1024) * sizeof(lines[0]));
			n -= 1024;
		}
		lines[n++] = p;
	}
	v->idx = -1;
	for (i = 0; i < n; i++)
		if (is_insn_line(lines[i])) {
			v->idx = strtoll(lines[i], NULL, 10);
			first = i + 1;
		}
	v->msg[0] = '\0';
	for (i = first; i < n; i++) {
		if (is_trailer(lines[i]))
			continue;
		snprintf(v->last, sizeof(v->last), "%s", lines[i]);
		if (len + strlen(lines[i]) + 4 < sizeof(v->msg))
			len += (size_t)sprintf(v->msg + len, "%s%s", len ? " | " : "", lines[i]);
	}
	/* control-flow errors come before any instruction is walked */
	q = strstr(v->last, "insn ");
	if (first == 0 && q && q[5] >= '0' && q[5] <= '9')
		v->idx = strtoll(q + 5, NULL, 10);
}

/*
 * "priv: bpf": load with CAP_SYS_ADMIN and CAP_PERFMON out of the effective
 * set (they stay permitted, and come back after), so Linux applies the rules
 * of a CAP_BPF-only loader: no uninitialised stack reads, no pointer leaks,
 * Spectre v1/v4 sanitation.
 */
static int set_caps(bool is_bpf_only)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	if (is_bpf_only) {
		data[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
		data[CAP_PERFMON / 32].effective &= ~(1u << (CAP_PERFMON % 32));
	}
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static int prog_load(const struct vt_case *c, const struct ubf_raw_insn *insns, size_t cnt,
		     int btf_fd, const struct bpf_func_info *fi, unsigned fi_cnt, char *log,
		     uint32_t level)
{
	union bpf_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = c->prog_type;
	attr.expected_attach_type = c->attach;
	attr.attach_btf_id = c->attach_btf_id;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = (uint32_t)cnt;
	attr.license = (uintptr_t)c->license;
	attr.prog_flags = c->is_sleepable ? BPF_F_SLEEPABLE : 0;
	attr.log_level = level;
	attr.log_buf = level ? (uintptr_t)log : 0;
	attr.log_size = level ? LOG_SZ : 0;
	if (btf_fd >= 0) {
		attr.prog_btf_fd = (uint32_t)btf_fd;
		attr.func_info = (uintptr_t)fi;
		attr.func_info_cnt = fi_cnt;
		attr.func_info_rec_size = sizeof(*fi);
	}
	if (level)
		log[0] = '\0';
	if (c->is_unpriv && set_caps(true))
		return -1;
	fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	err = errno;
	if (c->is_unpriv)
		set_caps(false);
	errno = err;
	return fd;
}

/* Patch map fds into lddw map_fd[N] / map_value[N] (imm N: the case's map N). */
static int patch_maps(const struct vt_case *c, struct ubf_raw_insn *insns, size_t cnt,
		      const int *fds)
{
	size_t i;
	unsigned src;

	for (i = 0; i + 1 < cnt; i++) {
		src = insns[i].regs >> 4;
		if (insns[i].code != 0x18 || (src != BPF_PSEUDO_MAP_FD && src != BPF_PSEUDO_MAP_VALUE))
			continue;
		if (insns[i].imm < 0 || (unsigned)insns[i].imm >= c->map_cnt) {
			fail(c, "lddw names map %s, which the case does not declare",
			     insns[i].imm < 0 ? "<0" : "beyond the list");
			return -EINVAL;
		}
		insns[i].imm = fds[insns[i].imm];
		i++;
	}
	return 0;
}

static int run_kernel(const struct vt_case *c, struct ubf_raw_insn *insns, size_t cnt,
		      struct verdict *v)
{
	static char log[LOG_SZ];
	struct bpf_func_info fi[VT_MAX_FUNCS];
	uint32_t starts[VT_MAX_FUNCS];
	int fds[VT_MAX_MAPS], btf_fd = -1, fd, err = 0;
	unsigned i, n;

	for (i = 0; i < c->map_cnt; i++)
		fds[i] = -1;
	for (i = 0; i < c->map_cnt && !err; i++) {
		fds[i] = create_map(c, &c->maps[i], fds);
		err = fds[i] < 0 ? -EINVAL : 0;
	}
	err = err ?: patch_maps(c, insns, cnt, fds);
	n = vt_subprog_starts(insns, cnt, starts);
	if (!err && n > 1) {
		log[0] = '\0';
		btf_fd = build_func_info(c, starts, n, fi, log, LOG_SZ);
		if (btf_fd < 0) {
			fail(c, "program BTF: %s", log[0] ? log : strerror(errno));
			err = -EINVAL;
		}
	}
	if (!err) {
		fd = prog_load(c, insns, cnt, btf_fd, fi, n, log, 0);
		v->accepted = fd >= 0;
		if (fd >= 0)
			close(fd);
		else if (prog_load(c, insns, cnt, btf_fd, fi, n, log, 1) >= 0)
			fail(c, "%s", "accepted with a log, rejected without one");
		if (!v->accepted)
			read_log(log, v);
	}
	for (i = 0; i < c->map_cnt; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (btf_fd >= 0)
		close(btf_fd);
	return err;
}

/*
 * Can the running kernel load a program of the case's type at its attach
 * target at all ("r0 = 0; exit")?  Kernels without BPF trampolines or the
 * BPF LSM refuse fentry, fexit, fmod_ret and lsm programs before their
 * verifier runs: such a kernel is no oracle for the case.
 */
static bool kernel_has_target(const struct vt_case *c, int *err)
{
	static const struct ubf_raw_insn ret0[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K }, { .code = BPF_JMP | BPF_EXIT },
	};
	int fd = prog_load(c, ret0, 2, -1, NULL, 0, NULL, 0);

	*err = errno;
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* ------------------------------------------------------------ comparison */

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

static bool agrees(const struct vt_case *c, const struct verdict *v, const char **why)
{
	*why = "";
	if (c->expect_accept != v->accepted) {
		*why = v->accepted ? "Linux accepts" : "Linux rejects";
		return false;
	}
	if (c->expect_accept)
		return true;
	/* Linux names no instruction for errors found while resolving lddw */
	if (v->idx >= 0 && v->idx != c->idx) {
		*why = "other insn";
		return false;
	}
	if (c->linux_msg[0] && !strstr(v->msg, c->linux_msg)) {
		*why = "other reason";
		return false;
	}
	return true;
}

static void print_verdict(const struct vt_case *c, const struct verdict *v, bool ok,
			  const char *why)
{
	printf("%-8s %s:%u %s\n         %s %s", ok ? "agree" : "DIFFER", c->file, c->line,
	       c->name, c->expect_accept ? "accept" : "reject", c->rule);
	if (!c->expect_accept)
		printf(" @%" PRId64, c->idx);
	if (v->accepted)
		printf("  | linux: accept");
	else
		printf("  | linux @%" PRId64 ": %s", v->idx, ok ? v->last : v->msg);
	printf("%s%s\n", *why ? "  <- " : "", why);
}

static int check_case(const struct vt_case *c, void *ctx)
{
	struct stats *s = ctx;
	struct ubf_diag diag;
	struct ubf_asm_opts opts = {.sz = sizeof(opts), .file_name = c->file, .diag = &diag};
	struct ubf_raw_insn *insns = NULL;
	struct verdict v = {0};
	struct rule_count *rc;
	const char *why;
	size_t cnt = 0;
	bool ok;
	int err;

	memset(&diag, 0, sizeof(diag));
	if (c->attach_btf[0] && c->attach_btf[0] != '#' && !kernel_has_target(c, &err)) {
		s->skipped++;
		printf("SKIP     %s:%u %s: this kernel loads no such program (%s)\n", c->file,
		       c->line, c->name, strerror(err));
		return 0;
	}
	s->cases++;
	rc = rule_of(s, c->rule);
	if (!rc) {
		fail(c, "more than %d rules", MAX_RULES);
		s->errors++;
		return 0;
	}
	if (c->expect_accept)
		rc->accept++;
	else
		rc->reject++;
	if (ubf_asm_parse(c->code, c->code_len, &insns, &cnt, &opts)) {
		fail(c, "asm: %s", diag.msg);
		s->errors++;
		return 0;
	}
	if (run_kernel(c, insns, cnt, &v)) {
		s->errors++;
		free(insns);
		return 0;
	}
	free(insns);
	ok = agrees(c, &v, &why);
	s->agree += ok;
	s->differ += !ok;
	rc->agree += ok;
	if (s->messages) {
		if (!v.accepted)
			printf("MSG %s:%u\t%s\n", c->file, c->line, v.last);
	} else if (!ok || s->verbose || !c->expect_accept) {
		print_verdict(c, &v, ok, why);
	}
	return 0;
}

static int by_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule_count *)a)->rule, ((const struct rule_count *)b)->rule);
}

int main(int argc, char **argv)
{
	static struct stats s;
	unsigned i, no_pos = 0, no_neg = 0;
	int a = 1;

	if (a < argc && !strcmp(argv[a], "-v")) {
		s.verbose = true;
		a++;
	} else if (a < argc && !strcmp(argv[a], "-m")) {
		s.messages = true;
		a++;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: kcheck [-v|-m] FILE.vt...\n"
				"Loads every case into the running kernel's verifier (root) and\n"
				"compares Linux's verdict with the expected one.\n");
		return 2;
	}
	for (; a < argc; a++) {
		if (vt_read_file(argv[a], check_case, &s, &s.errors) == -ENOMEM)
			break;
	}
	qsort(s.rules, s.rule_cnt, sizeof(s.rules[0]), by_rule);
	printf("\n%-28s %6s %6s %6s\n", "rule", "accept", "reject", "agree");
	for (i = 0; i < s.rule_cnt; i++) {
		const struct rule_count *r = &s.rules[i];

		printf("%-28s %6u %6u %6u%s\n", r->rule, r->accept, r->reject, r->agree,
		       !r->accept || !r->reject ? "  (needs both verdicts)" : "");
		no_pos += !r->accept;
		no_neg += !r->reject;
	}
	printf("\nkcheck: %u cases, %u rules, %u agree with Linux, %u differ, %u errors, "
	       "%u skipped (attach target this kernel cannot load); "
	       "%u rules lack an accept case, %u a reject case\n",
	       s.cases, s.rule_cnt, s.agree, s.differ, s.errors, s.skipped, no_pos, no_neg);
	return s.agree == s.cases && !s.errors && !no_pos && !no_neg ? 0 : 1;
}
