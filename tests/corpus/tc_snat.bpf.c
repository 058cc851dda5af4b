// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_snat.bpf.c - TC egress SNAT in Cilium's style: look the source up in
 * a NAT table, rewrite it with bpf_skb_store_bytes() and fix the L3 and L4
 * checksums with bpf_l3_csum_replace()/bpf_l4_csum_replace(), then reload
 * the packet pointers, which those helpers invalidate.  MUT_STALE_PKT
 * reads through a packet pointer after bpf_skb_store_bytes().
 */
#include "corpus.h"

#define IP_SRC_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, saddr))
#define IP_CSUM_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, check))
#define UDP_CSUM_OFF (ETH_HLEN + sizeof(struct iphdr) + __builtin_offsetof(struct udphdr, check))

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __be32);
	__type(value, __be32);
} snat SEC(".maps");

SEC("tc")
int tc_snat(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	__be32 old, new, *to;
	struct iphdr *ip;
	__u8 proto;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5)
		return TC_ACT_OK;
	old = ip->saddr;
	proto = ip->protocol;
	to = bpf_map_lookup_elem(&snat, &old);
	if (!to)
		return TC_ACT_OK;
	new = *to;
	if (bpf_skb_store_bytes(skb, IP_SRC_OFF, &new, sizeof(new), 0))
		return TC_ACT_SHOT;
	bpf_l3_csum_replace(skb, IP_CSUM_OFF, old, new, sizeof(new));
	if (proto == IPPROTO_UDP)
		bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old, new, BPF_F_PSEUDO_HDR | sizeof(new));
#ifdef MUT_STALE_PKT
	if (ip->saddr != new)
		return TC_ACT_SHOT;
#else
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	ip = data + ETH_HLEN;
	if ((void *)(ip + 1) > data_end || ip->saddr != new)
		return TC_ACT_SHOT;
#endif
	return TC_ACT_OK;
}
