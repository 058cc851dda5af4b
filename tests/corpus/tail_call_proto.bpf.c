// SPDX-License-Identifier: BSD-2-Clause
/*
 * tail_call_proto.bpf.c - XDP dispatcher that tail-calls a per-protocol
 * handler through a program array (as Cilium's and Falco's tail-call
 * chains do); the handlers count and pass.  MUT_TAIL_WRONG_MAP tail-calls
 * through a hash map; MUT_TAIL_NO_CTX passes a map value instead of the
 * context.
 * corpus-eras: cpu-v4
 */
#include "corpus.h"

enum { H_TCP, H_UDP, H_OTHER, NR_HANDLERS };

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, NR_HANDLERS);
	__type(key, __u32);
	__type(value, __u32);
} handlers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_HANDLERS);
	__type(key, __u32);
	__type(value, __u64);
} handled SEC(".maps");

#ifdef MUT_TAIL_WRONG_MAP
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} not_progs SEC(".maps");
#endif

static __always_inline int count(__u32 h)
{
	__u64 *cnt = bpf_map_lookup_elem(&handled, &h);

	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

SEC("xdp")
int handle_tcp(struct xdp_md *ctx)
{
	return count(H_TCP);
}

SEC("xdp")
int handle_udp(struct xdp_md *ctx)
{
	return count(H_UDP);
}

SEC("xdp")
int tail_call_proto(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u32 h = H_OTHER;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_TCP)
		h = H_TCP;
	else if (ip->protocol == IPPROTO_UDP)
		h = H_UDP;
#if defined(MUT_TAIL_WRONG_MAP)
	bpf_tail_call(ctx, &not_progs, h);
#elif defined(MUT_TAIL_NO_CTX)
	{
		__u64 *v = bpf_map_lookup_elem(&handled, &h);

		if (v)
			bpf_tail_call(v, &handlers, h);
	}
#else
	bpf_tail_call(ctx, &handlers, h);
#endif
	return count(H_OTHER);
}
