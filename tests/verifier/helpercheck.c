// SPDX-License-Identifier: BSD-2-Clause
/*
 * helpercheck.c - the oracle of ctx.def's helper rows: for every program type
 * (and each attach type whose helpers differ) that the running kernel lets us
 * load, and every helper ID the kernel knows, load "r1..r5 = 0; call id;
 * r0 = lo; exit" into the Linux verifier, classify its log (refused: the type
 * may not call the helper; anything else, acceptance or a later rejection of
 * an argument, means offered; "might sleep" counts as offered and is tallied)
 * and compare with ubf_ctx_helper_allowed().
 * Needs root (CAP_SYS_ADMIN, CAP_PERFMON: capability-gated helpers are then
 * offered) and loads with license "GPL" so GPL-only helpers are offered.
 * Built by `make helpercheck`, run by `make check-kernel`, never by
 * `make check`.  Usage: helpercheck [-v] [-d] [prog_type name...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "verifier/ctx.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* the highest helper ID asked about; IDs the kernel lacks read as refused */
#define MAX_HELPER_ID 255
#define LOG_SZ 4096

/*
 * One (program type, attach type) pair.  Tracing and LSM programs also need
 * an attach target from vmlinux BTF: btf names it, a FUNC (or, for tp_btf,
 * the TYPEDEF btf_trace_<tracepoint>).  struct_ops and ext are left out:
 * they need a struct_ops map or a loaded target program, and Linux gives
 * them the helpers of the program or struct they attach to, not a list of
 * their own.
 */
struct target {
	uint32_t type;
	const char *name;
	uint32_t att;
	const char *btf;
	bool is_typedef;
	uint32_t flags;		/* prog_flags */
};

#define T(type, att) { BPF_PROG_TYPE_##type, #type, att, NULL, false, 0 }
#define TB(type, att, fn, td) { BPF_PROG_TYPE_##type, #type, att, fn, td, 0 }

static const struct target targets[] = {
	T(SOCKET_FILTER, 0),
	T(KPROBE, 0),
	T(KPROBE, BPF_TRACE_KPROBE_MULTI),
	T(SCHED_CLS, 0),
	T(SCHED_ACT, 0),
	T(TRACEPOINT, 0),
	T(XDP, 0),
	T(XDP, BPF_XDP_DEVMAP),
	T(XDP, BPF_XDP_CPUMAP),
	T(PERF_EVENT, 0),
	T(CGROUP_SKB, BPF_CGROUP_INET_INGRESS),
	T(CGROUP_SKB, BPF_CGROUP_INET_EGRESS),
	T(CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE),
	T(CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE),
	T(CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND),
	T(CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND),
	T(LWT_IN, 0),
	T(LWT_OUT, 0),
	T(LWT_XMIT, 0),
	T(SOCK_OPS, 0),
	T(SK_SKB, BPF_SK_SKB_STREAM_PARSER),
	T(SK_SKB, BPF_SK_SKB_STREAM_VERDICT),
	T(CGROUP_DEVICE, BPF_CGROUP_DEVICE),
	T(SK_MSG, BPF_SK_MSG_VERDICT),
	T(RAW_TRACEPOINT, 0),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME),
	T(CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME),
	T(LWT_SEG6LOCAL, 0),
	T(LIRC_MODE2, BPF_LIRC_MODE2),
	T(SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT),
	T(SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE),
	T(FLOW_DISSECTOR, BPF_FLOW_DISSECTOR),
	T(CGROUP_SYSCTL, BPF_CGROUP_SYSCTL),
	T(RAW_TRACEPOINT_WRITABLE, 0),
	T(CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT),
	T(CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT),
	TB(TRACING, BPF_TRACE_FENTRY, "bpf_fentry_test1", false),
	TB(TRACING, BPF_TRACE_FEXIT, "bpf_fentry_test1", false),
	TB(TRACING, BPF_MODIFY_RETURN, "bpf_modify_return_test", false),
	TB(TRACING, BPF_TRACE_RAW_TP, "btf_trace_sched_switch", true),
	TB(TRACING, BPF_TRACE_ITER, "bpf_iter_task", false),
	TB(LSM, BPF_LSM_MAC, "bpf_lsm_file_open", false),
	TB(LSM, BPF_LSM_CGROUP, "bpf_lsm_socket_bind", false),
	T(SK_LOOKUP, BPF_SK_LOOKUP),
	{ BPF_PROG_TYPE_SYSCALL, "SYSCALL", 0, NULL, false, BPF_F_SLEEPABLE },
};

enum verdict {
	OFFERED,	/* accepted, or rejected later (an argument, R0) */
	REFUSED,	/* the type may not call it */
	SLEEPABLE,	/* offered, but only to sleepable programs */
	NO_SUCH,	/* the kernel has no helper of this ID */
};

static bool verbose;
static bool dump;
static struct btf *vmlinux;
static char log_buf[LOG_SZ];

static int prog_load(const struct target *t, uint32_t btf_id, const struct bpf_insn *insns,
		     unsigned cnt, bool want_log)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = t->type;
	attr.expected_attach_type = t->att;
	attr.attach_btf_id = btf_id;
	attr.prog_flags = t->flags;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = cnt;
	attr.license = (uintptr_t)"GPL";
	log_buf[0] = 0;
	if (want_log) {
		attr.log_buf = (uintptr_t)log_buf;
		attr.log_size = sizeof(log_buf);
		attr.log_level = 1;
	}
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, int32_t imm)
{
	struct bpf_insn i;

	memset(&i, 0, sizeof(i));
	i.code = code;
	i.dst_reg = dst & 0xf;
	i.imm = imm;
	return i;
}

/* r0 = the lowest return value the type accepts; exit. */
static int baseline(const struct target *t, uint32_t btf_id)
{
	uint64_t lo = 0, hi = 0;
	struct bpf_insn p[2];

	if (ubf_ctx_ret_range(t->type, t->att, &lo, &hi))
		lo = 0;
	p[0] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, (int32_t)lo);
	p[1] = insn(BPF_JMP | BPF_EXIT, 0, 0);
	return prog_load(t, btf_id, p, 2, true);
}

/* Linux's words for "this program may not call this helper". */
static enum verdict classify(int err)
{
	if (!err)
		return OFFERED;
	if (strstr(log_buf, "invalid func unknown#"))
		return NO_SUCH;
	if (strstr(log_buf, "program of this type cannot use helper") ||
	    strstr(log_buf, "unknown func ") || strstr(log_buf, "helper call is not allowed in probe"))
		return REFUSED;
	if (strstr(log_buf, "might sleep in a non-sleepable prog"))
		return SLEEPABLE;
	return OFFERED;
}

static enum verdict kernel_verdict(const struct target *t, uint32_t btf_id, int32_t id)
{
	uint64_t lo = 0, hi = 0;
	struct bpf_insn p[8];
	unsigned r;

	if (ubf_ctx_ret_range(t->type, t->att, &lo, &hi))
		lo = 0;
	for (r = 1; r <= 5; r++)
		p[r - 1] = insn(BPF_ALU64 | BPF_MOV | BPF_K, (uint8_t)r, 0);
	p[5] = insn(BPF_JMP | BPF_CALL, 0, id);
	p[6] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, (int32_t)lo);
	p[7] = insn(BPF_JMP | BPF_EXIT, 0, 0);
	return classify(prog_load(t, btf_id, p, 8, true));
}

struct tally {
	unsigned agree;
	unsigned differ;
	unsigned sleepable;
	unsigned known;
};

/*
 * Helpers a kernel's build or lockdown state may withhold from every type;
 * ctx.def offers them as a distribution kernel does.  A refusal of these
 * is counted apart, never an offer ctx.def lacks.
 */
static const char *known_difference(int32_t id, bool linux_ok)
{
	if (linux_ok)
		return NULL;
	if (id == BPF_FUNC_probe_write_user)
		return "refused under lockdown (LOCKDOWN_BPF_WRITE_USER)";
	if (id == BPF_FUNC_override_return)
		return "needs CONFIG_BPF_KPROBE_OVERRIDE";
	return NULL;
}

static const char *const verdict_name[] = { "offers", "refuses", "offers (sleepable only)",
					    "has no such helper" };

static void check_target(const struct target *t, uint32_t btf_id, struct tally *sum)
{
	struct tally tt = { 0, 0, 0, 0 };
	const char *why;
	int32_t id;

	for (id = 1; id <= MAX_HELPER_ID; id++) {
		enum verdict v = kernel_verdict(t, btf_id, id);
		bool ours = ubf_ctx_helper_allowed(t->type, t->att, (uint32_t)id);
		bool linux_ok = v == OFFERED || v == SLEEPABLE;

		if (dump && v != NO_SUCH)
			printf("linux %s %u %d %s\n", t->name, t->att, id,
			       v == OFFERED ? "offered" : v == SLEEPABLE ? "sleepable" : "refused");
		if (v == SLEEPABLE)
			tt.sleepable++;
		if (ours == linux_ok) {
			tt.agree++;
			continue;
		}
		why = known_difference(id, linux_ok);
		if (why) {
			tt.known++;
			if (verbose)
				printf("  known: %s att %u: helper #%d: %s\n", t->name, t->att, id, why);
			continue;
		}
		tt.differ++;
		printf("  %s att %u: helper #%d: linux %s, ctx.def %s\n", t->name, t->att, id,
		       verdict_name[v], ours ? "offers" : "refuses");
		if (verbose)
			printf("    log: %.200s\n", log_buf);
	}
	printf("%-24s att %-3u %4u agree %4u differ %3u known %3u sleepable-only\n", t->name,
	       t->att, tt.agree, tt.differ, tt.known, tt.sleepable);
	sum->agree += tt.agree;
	sum->known += tt.known;
	sum->differ += tt.differ;
	sum->sleepable += tt.sleepable;
}

static bool selected(const struct target *t, int argc, char **argv, int first)
{
	int i;

	if (first >= argc)
		return true;
	for (i = first; i < argc; i++)
		if ((uint32_t)atoi(argv[i]) == t->type || !strcasecmp(argv[i], t->name))
			return true;
	return false;
}

/* The vmlinux BTF ID a tracing or LSM target attaches to; 0 when none is needed. */
static int attach_btf_id(const struct target *t, uint32_t *id)
{
	int ret;

	*id = 0;
	if (!t->btf)
		return 0;
	if (!vmlinux) {
		vmlinux = btf__load_vmlinux_btf();
		if (!vmlinux)
			return -errno;
	}
	ret = btf__find_by_name_kind(vmlinux, t->btf, t->is_typedef ? BTF_KIND_TYPEDEF :
				     BTF_KIND_FUNC);
	if (ret < 0)
		return ret;
	*id = (uint32_t)ret;
	return 0;
}

int main(int argc, char **argv)
{
	struct tally sum = { 0, 0, 0, 0 };
	unsigned i, skipped = 0;
	int first = 1;

	while (first < argc && argv[first][0] == '-') {
		if (!strcmp(argv[first], "-v"))
			verbose = true;
		else if (!strcmp(argv[first], "-d"))
			dump = true;
		else
			break;
		first++;
	}
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		const struct target *t = &targets[i];
		uint32_t btf_id;
		int err;

		if (!selected(t, argc, argv, first))
			continue;
		err = attach_btf_id(t, &btf_id);
		if (!err)
			err = baseline(t, btf_id);
		if (err) {
			printf("%-24s att %-3u skipped: the kernel refuses even an empty program (%s%s%.120s)\n",
			       t->name, t->att, strerror(-err), log_buf[0] ? ": " : "", log_buf);
			skipped++;
			continue;
		}
		check_target(t, btf_id, &sum);
	}
	btf__free(vmlinux);
	printf("helpercheck: %u agree, %u differ, %u known differences, %u sleepable-only, "
	       "%u type/attach pairs skipped\n",
	       sum.agree, sum.differ, sum.known, sum.sleepable, skipped);
	return sum.differ ? 1 : 0;
}
