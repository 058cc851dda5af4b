// SPDX-License-Identifier: BSD-2-Clause
/*
 * loop_tcp_options.bpf.c - XDP: walk the TCP options in a bounded loop (at
 * most 10 options, each proven against data_end before it is read) to
 * find the MSS of SYNs and count clamped ones, as Cilium's and Katran's
 * option parsers do.  MUT_OPT_UNCHECKED reads an option's length byte
 * without proving it is in the packet; MUT_LOOP_UNBOUNDED keeps walking
 * while the option kind is non-zero, with no iteration cap.
 */
#include "corpus.h"

#define MAX_OPTS 10

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} clamped SEC(".maps");

SEC("xdp")
int loop_tcp_options(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u8 *opt, kind, len;
	struct tcphdr *tcp;
	struct iphdr *ip;
	__u16 mss = 0;
	__u32 zero = 0;
	__u64 *cnt;
	int i;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end || !tcp->syn)
		return XDP_PASS;
	opt = (__u8 *)(tcp + 1);
#ifdef MUT_LOOP_UNBOUNDED
	for (i = 0;; i++) {
#else
	for (i = 0; i < MAX_OPTS; i++) {
#endif
		if ((void *)(opt + 1) > data_end)
			break;
		kind = opt[0];
		if (kind == 0)
			break;
		if (kind == 1) {
			opt++;
			continue;
		}
#ifndef MUT_OPT_UNCHECKED
		if ((void *)(opt + 2) > data_end)
			break;
#endif
		len = opt[1];
		if (kind == 2 && len == 4) {
			if ((void *)(opt + 4) > data_end)
				break;
			mss = (opt[2] << 8) | opt[3];
			break;
		}
#ifdef MUT_LOOP_UNBOUNDED
		len = len ? len : 1;
#else
		if (len < 2)
			break;
#endif
		opt += len;
	}
	if (mss && mss < 536) {
		cnt = bpf_map_lookup_elem(&clamped, &zero);
		if (cnt)
			__sync_fetch_and_add(cnt, 1);
	}
	return XDP_PASS;
}
