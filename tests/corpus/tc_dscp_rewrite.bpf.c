// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_dscp_rewrite.bpf.c - TC egress: set the DSCP of IPv4 packets from a
 * per-port table and patch the header checksum with
 * bpf_l3_csum_replace(), a QoS marker as in the Linux samples' tc_l2
 * examples.  MUT_TOS_OOB reads and writes the TOS byte having proven
 * only the Ethernet header.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u16);
	__type(value, __u8);
} port_dscp SEC(".maps");

SEC("tc")
int tc_dscp_rewrite(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct udphdr *l4;
	struct iphdr *ip;
	__u8 *dscp, old_tos, new_tos;
	__u16 port;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
#ifndef MUT_TOS_OOB
	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
#endif
	old_tos = ip->tos;
	if (ip->ihl != 5 || (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP))
		return TC_ACT_OK;
	l4 = (void *)(ip + 1);
	if ((void *)(l4 + 1) > data_end)
		return TC_ACT_OK;
	port = bpf_ntohs(l4->source);
	dscp = bpf_map_lookup_elem(&port_dscp, &port);
	if (!dscp)
		return TC_ACT_OK;
	new_tos = (*dscp << 2) | (old_tos & 3);
	if (new_tos == old_tos)
		return TC_ACT_OK;
	ip->tos = new_tos;
	bpf_l3_csum_replace(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, check),
			    bpf_htons(old_tos), bpf_htons(new_tos), 2);
	return TC_ACT_OK;
}
