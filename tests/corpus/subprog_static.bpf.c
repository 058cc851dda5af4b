// SPDX-License-Identifier: BSD-2-Clause
/*
 * subprog_static.bpf.c - XDP parser split into static non-inlined
 * subprograms (bpf-to-bpf calls) that return header offsets, the layout
 * of xdp-tools' parsing helpers when inlining is turned off.
 * MUT_RET_STACK_PTR makes a subprogram return a pointer into its own
 * stack frame, which is gone once it returns.
 * corpus-eras: cpu-v4
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

static __noinline int parse_l3_proto(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return -1;
	return ip->protocol;
}

#ifdef MUT_RET_STACK_PTR
static __noinline __u64 *scratch_slot(__u32 v)
{
	volatile __u64 slot = v;

	return (__u64 *)&slot;
}
#endif

static __noinline void count_proto(__u32 proto)
{
	__u64 *cnt = bpf_map_lookup_elem(&proto_count, &proto);

	if (cnt)
		*cnt += 1;
}

SEC("xdp")
int subprog_static(struct xdp_md *ctx)
{
	int proto = parse_l3_proto(ctx);

	if (proto < 0)
		return XDP_PASS;
#ifdef MUT_RET_STACK_PTR
	proto += *scratch_slot(proto);
#endif
	count_proto(proto & 0xff);
	return XDP_PASS;
}
