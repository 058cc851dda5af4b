// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_ingress_classify.bpf.c - TC classifier (direct action) on ingress:
 * parse Ethernet/IPv4/L4 with direct packet access and set skb->mark and
 * skb->tc_classid from a per-port policy, as Cilium's bpf_lxc does for
 * its identity marks.  MUT_CTX_WRITE_LEN writes skb->len, which TC may
 * read but not write; MUT_L4_UNCHECKED reads the port unproven.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u32);
} port_class SEC(".maps");

SEC("tc")
int tc_ingress_classify(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct udphdr *l4;
	struct iphdr *ip;
	__u32 *cls;
	__u16 port;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5)
		return TC_ACT_OK;
	if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	l4 = (void *)(ip + 1);
#ifndef MUT_L4_UNCHECKED
	if ((void *)(l4 + 1) > data_end)
		return TC_ACT_OK;
#endif
	port = bpf_ntohs(l4->dest);
	cls = bpf_map_lookup_elem(&port_class, &port);
	if (!cls)
		return TC_ACT_OK;
	skb->mark = *cls;
	skb->tc_classid = *cls & 0xffff;
#ifdef MUT_CTX_WRITE_LEN
	skb->len = 0;
#endif
	return TC_ACT_OK;
}
