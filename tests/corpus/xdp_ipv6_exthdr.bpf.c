// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_ipv6_exthdr.bpf.c - XDP: skip up to four IPv6 extension headers
 * (hop-by-hop, routing, destination options) in a bounded loop, each proven
 * against data_end, then count the upper-layer protocol, as Cilium's
 * ipv6_hdrlen() does.  MUT_EXT_UNCHECKED reads an extension header's
 * length before proving it fits; MUT_UNBOUNDED_LOOP walks headers until a
 * random draw stops it, which no verifier can bound.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} l4_proto SEC(".maps");

SEC("xdp")
int xdp_ipv6_exthdr(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct ipv6_opt_hdr *opt;
	struct ipv6hdr *ip6;
	__u32 nexthdr;
	__u64 *cnt;
	void *cur;
	int i;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > data_end)
		return XDP_PASS;
	nexthdr = ip6->nexthdr;
	cur = ip6 + 1;
#ifdef MUT_UNBOUNDED_LOOP
	for (i = 0; bpf_get_prandom_u32() != 0; i++) {
#else
	for (i = 0; i < 4; i++) {
#endif
		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS)
			break;
		opt = cur;
#ifndef MUT_EXT_UNCHECKED
		if ((void *)(opt + 1) > data_end)
			return XDP_DROP;
#endif
		nexthdr = opt->nexthdr;
		cur += (opt->hdrlen + 1) * 8;
	}
	cnt = bpf_map_lookup_elem(&l4_proto, &nexthdr);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}
