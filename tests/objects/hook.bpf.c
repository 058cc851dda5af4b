// SPDX-License-Identifier: BSD-2-Clause
/*
 * hook.bpf.c - a raw tracepoint program for an application-defined hook
 * point (<userbpf/hook.h>): each firing adds its first two arguments to a
 * sum and counts itself, so the driver can tell how often and with what
 * arguments the program ran.
 */
#include "common.bpf.h"

struct hook_stats {
	__u64 sum;
	__u64 calls;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hook_stats);
} stats SEC(".maps");

SEC("raw_tp")
int on_request(struct bpf_raw_tracepoint_args *ctx)
{
	struct hook_stats *s;
	__u32 k = 0;

	s = bpf_map_lookup_elem(&stats, &k);
	if (!s)
		return 0;
	__sync_fetch_and_add(&s->sum, ctx->args[0] + ctx->args[1]);
	__sync_fetch_and_add(&s->calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
