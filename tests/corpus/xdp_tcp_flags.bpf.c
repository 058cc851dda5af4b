// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_tcp_flags.bpf.c - XDP: classify IPv4 TCP segments by their flags
 * (SYN, SYN-ACK, FIN, RST) into per-CPU counters, a SYN-flood monitor in
 * the style of the xdp-tools examples.  MUT_TCP_UNCHECKED reads the TCP
 * flags without proving the TCP header is in the packet.
 */
#include "corpus.h"

enum { SYN, SYNACK, FIN, RST, OTHER, NR_CLASSES };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_CLASSES);
	__type(key, __u32);
	__type(value, __u64);
} tcp_classes SEC(".maps");

SEC("xdp")
int xdp_tcp_flags(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct tcphdr *tcp;
	struct iphdr *ip;
	__u32 key = OTHER;
	__u64 *cnt;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_TCP || ip->ihl != 5)
		return XDP_PASS;
	tcp = (void *)(ip + 1);
#ifndef MUT_TCP_UNCHECKED
	if ((void *)(tcp + 1) > data_end)
		return XDP_PASS;
#endif
	if (tcp->syn && tcp->ack)
		key = SYNACK;
	else if (tcp->syn)
		key = SYN;
	else if (tcp->fin)
		key = FIN;
	else if (tcp->rst)
		key = RST;
	cnt = bpf_map_lookup_elem(&tcp_classes, &key);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}
