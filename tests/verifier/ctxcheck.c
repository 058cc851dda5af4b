// SPDX-License-Identifier: BSD-2-Clause
/*
 * ctxcheck.c - the oracle of ctx.def: for every program type (and the attach
 * types whose rules differ) that the running kernel lets us load, load one
 * tiny program per context access - every offset from -8 to a little past
 * the context, sizes 1, 2, 4 and 8, load and store - into the Linux verifier
 * and compare its verdict with ubf_ctx_access().  Prints each disagreement
 * and the agreement per type.  Needs root; built by `make ctxcheck`, never
 * run by `make check`.  Usage: ctxcheck [-v] [prog_type number or name...]
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

#include "verifier/ctx.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ATT 12
#define SCAN_CAP 256

struct target {
	uint32_t type;
	const char *name;
	uint32_t flags;		/* prog_flags */
	int scan_end;		/* offsets scanned: [-8, scan_end) */
	uint32_t att[MAX_ATT];
	unsigned att_cnt;	/* 0: expected_attach_type 0 only */
};

#define T(type, end, ...) { BPF_PROG_TYPE_##type, #type, 0, end, { __VA_ARGS__ }, \
	sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t) }

static const struct target targets[] = {
	T(SOCKET_FILTER, 200, 0),
	T(KPROBE, 184, 0),
	T(SCHED_CLS, 200, 0),
	T(SCHED_ACT, 200, 0),
	T(TRACEPOINT, 64, 0),
	T(XDP, 32, 0, BPF_XDP_DEVMAP),
	T(PERF_EVENT, 200, 0),
	T(CGROUP_SKB, 200, BPF_CGROUP_INET_INGRESS, BPF_CGROUP_INET_EGRESS),
	T(CGROUP_SOCK, 88, BPF_CGROUP_INET_SOCK_CREATE, BPF_CGROUP_INET_SOCK_RELEASE,
	  BPF_CGROUP_INET4_POST_BIND, BPF_CGROUP_INET6_POST_BIND),
	T(LWT_IN, 200, 0),
	T(LWT_OUT, 200, 0),
	T(LWT_XMIT, 200, 0),
	T(SOCK_OPS, 232, 0),
	T(SK_SKB, 200, BPF_SK_SKB_STREAM_PARSER, BPF_SK_SKB_STREAM_VERDICT),
	T(CGROUP_DEVICE, 24, BPF_CGROUP_DEVICE),
	T(SK_MSG, 88, BPF_SK_MSG_VERDICT),
	T(RAW_TRACEPOINT, 104, 0),
	T(CGROUP_SOCK_ADDR, 80, BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET6_BIND,
	  BPF_CGROUP_INET4_CONNECT, BPF_CGROUP_INET6_CONNECT, BPF_CGROUP_UDP4_SENDMSG,
	  BPF_CGROUP_UDP6_SENDMSG, BPF_CGROUP_UDP4_RECVMSG, BPF_CGROUP_UDP6_RECVMSG,
	  BPF_CGROUP_INET4_GETPEERNAME, BPF_CGROUP_INET6_GETSOCKNAME),
	T(LWT_SEG6LOCAL, 200, 0),
	T(LIRC_MODE2, 16, BPF_LIRC_MODE2),
	T(SK_REUSEPORT, 64, BPF_SK_REUSEPORT_SELECT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE),
	T(FLOW_DISSECTOR, 200, BPF_FLOW_DISSECTOR),
	T(CGROUP_SYSCTL, 16, BPF_CGROUP_SYSCTL),
	T(RAW_TRACEPOINT_WRITABLE, 104, 0),
	T(CGROUP_SOCKOPT, 48, BPF_CGROUP_GETSOCKOPT, BPF_CGROUP_SETSOCKOPT),
	T(SK_LOOKUP, 80, BPF_SK_LOOKUP),
	{ BPF_PROG_TYPE_SYSCALL, "SYSCALL", BPF_F_SLEEPABLE, 64, { 0 }, 1 },
};

static bool verbose;

static int prog_load(const struct target *t, uint32_t att, const struct bpf_insn *insns,
		     unsigned cnt)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = t->type;
	attr.expected_attach_type = att;
	attr.prog_flags = t->flags;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = cnt;
	attr.license = (uintptr_t)"GPL";
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static const uint8_t size_code[9] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W, [8] = BPF_DW };

/* r0 = the lowest return value the type accepts; one context access; exit. */
static int kernel_verdict(const struct target *t, uint32_t att, int off, unsigned size,
			  bool is_write)
{
	uint64_t lo = 0, hi = 0;
	struct bpf_insn p[4];

	if (ubf_ctx_ret_range(t->type, att, &lo, &hi))
		lo = 0;
	memset(p, 0, sizeof(p));
	p[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	p[0].dst_reg = is_write ? 2 : 0;
	if (is_write) {
		p[1].code = BPF_STX | BPF_MEM | size_code[size];
		p[1].dst_reg = 1;
		p[1].src_reg = 2;
	} else {
		p[1].code = BPF_LDX | BPF_MEM | size_code[size];
		p[1].dst_reg = 0;
		p[1].src_reg = 1;
	}
	p[1].off = (int16_t)off;
	p[2].code = BPF_ALU64 | BPF_MOV | BPF_K;
	p[2].dst_reg = 0;
	p[2].imm = (int32_t)lo;
	p[3].code = BPF_JMP | BPF_EXIT;
	return prog_load(t, att, p, 4);
}

static int baseline(const struct target *t, uint32_t att)
{
	uint64_t lo = 0, hi = 0;
	struct bpf_insn p[2];

	if (ubf_ctx_ret_range(t->type, att, &lo, &hi))
		lo = 0;
	memset(p, 0, sizeof(p));
	p[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
	p[0].imm = (int32_t)lo;
	p[1].code = BPF_JMP | BPF_EXIT;
	return prog_load(t, att, p, 2);
}

/*
 * Differences on purpose, counted apart: Linux accepts negative tracepoint
 * offsets by a signed/unsigned slip, and kernels after 6.1 have context
 * fields past the end of the 6.1 structs (bpf_sock_ops.skb_hwtstamp, 6.2).
 */
static const char *known_difference(const struct target *t, int off)
{
	if (t->type == BPF_PROG_TYPE_TRACEPOINT && off < 0)
		return "negative tracepoint offset (Linux compares unsigned)";
	if (t->type == BPF_PROG_TYPE_SOCK_OPS && off >= (int)sizeof(struct bpf_sock_ops))
		return "field newer than Linux 6.1";
	return NULL;
}

struct tally {
	unsigned agree;
	unsigned disagree;
	unsigned known;
};

static void check_target(const struct target *t, uint32_t att, struct tally *sum)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	struct tally tt = { 0, 0, 0 };
	int off, end = t->scan_end < SCAN_CAP ? t->scan_end : SCAN_CAP;
	unsigned s;
	int w;

	for (w = 0; w < 2; w++) {
		for (off = -8; off < end; off++) {
			for (s = 0; s < ARRAY_SIZE(sizes); s++) {
				struct ubf_ctx_result res;
				bool ours = !ubf_ctx_access(t->type, att, off, sizes[s], w, &res);
				bool linux_ok = !kernel_verdict(t, att, off, sizes[s], w);
				const char *f;

				if (ours == linux_ok) {
					tt.agree++;
					continue;
				}
				if (known_difference(t, off)) {
					tt.known++;
					if (verbose)
						printf("  known: %s off %d size %u: %s\n", t->name, off,
						       sizes[s], known_difference(t, off));
					continue;
				}
				tt.disagree++;
				f = ubf_ctx_field_name(t->type, off);
				printf("  %s att %u: %s off %d size %u (%s): linux %s, ctx.def %s\n",
				       t->name, att, w ? "store" : "load", off, sizes[s],
				       f ? f : "-", linux_ok ? "accepts" : "rejects",
				       ours ? "accepts" : "rejects");
			}
		}
	}
	printf("%-24s att %-3u %5u agree %4u disagree %4u known\n", t->name, att, tt.agree,
	       tt.disagree, tt.known);
	sum->agree += tt.agree;
	sum->known += tt.known;
	sum->disagree += tt.disagree;
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

int main(int argc, char **argv)
{
	struct tally sum = { 0, 0, 0 };
	unsigned i, a, skipped = 0;
	int first = 1;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = true;
		first = 2;
	}
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		const struct target *t = &targets[i];

		if (!selected(t, argc, argv, first))
			continue;
		for (a = 0; a < t->att_cnt; a++) {
			int err = baseline(t, t->att[a]);

			if (err) {
				printf("%-24s att %-3u skipped: the kernel refuses even an empty program (%s)\n",
				       t->name, t->att[a], strerror(-err));
				skipped++;
				continue;
			}
			check_target(t, t->att[a], &sum);
		}
	}
	printf("ctxcheck: %u agree, %u disagree, %u known differences, %u type/attach pairs skipped (%.2f%%)\n",
	       sum.agree, sum.disagree, sum.known, skipped,
	       sum.agree + sum.disagree ? 100.0 * sum.agree / (sum.agree + sum.disagree) : 0.0);
	return sum.disagree ? 1 : 0;
}
