// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_flow_key.bpf.c - TC: extract an OVS-style flow key (in_port, L2
 * addresses, EtherType, IPv4/IPv6 addresses, protocol, L4 ports) and look
 * the action up in a flow table, counting misses for the upcall path.
 * MUT_KEY_STACK_OOB writes a byte of the key at an index far past the
 * stack frame; MUT_VAR_PKT_OFF reads the L4 ports at the IHL-derived
 * offset with only the fixed-size IP header proven.
 */
#include "corpus.h"

struct flow_key {
	__u32 in_port;
	__u8 eth_src[ETH_ALEN];
	__u8 eth_dst[ETH_ALEN];
	__be16 eth_type;
	__u8 ip_proto;
	__u8 pad;
	__be32 ipv4_src;
	__be32 ipv4_dst;
	__be16 tp_src;
	__be16 tp_dst;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, __u32);
} flow_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} upcalls SEC(".maps");

SEC("tc")
int tc_flow_key(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct flow_key key = {};
	struct udphdr *l4;
	struct iphdr *ip;
	__u32 *action, zero = 0;
	__u64 *miss;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	key.in_port = skb->ingress_ifindex;
	__builtin_memcpy(key.eth_src, eth->h_source, ETH_ALEN);
	__builtin_memcpy(key.eth_dst, eth->h_dest, ETH_ALEN);
	key.eth_type = eth->h_proto;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > data_end)
			return TC_ACT_OK;
		key.ip_proto = ip->protocol;
		key.ipv4_src = ip->saddr;
		key.ipv4_dst = ip->daddr;
		if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) {
			l4 = (void *)ip + ip->ihl * 4;
#ifndef MUT_VAR_PKT_OFF
			if ((void *)(l4 + 1) > data_end)
				return TC_ACT_OK;
#endif
			key.tp_src = l4->source;
			key.tp_dst = l4->dest;
		}
	}
#ifdef MUT_KEY_STACK_OOB
	{
		volatile __u32 idx = 4096;

		((volatile __u8 *)&key)[idx] = 0;
	}
#endif
	action = bpf_map_lookup_elem(&flow_table, &key);
	if (action)
		return *action;
	miss = bpf_map_lookup_elem(&upcalls, &zero);
	if (miss)
		*miss += 1;
	return TC_ACT_OK;
}
