// SPDX-License-Identifier: BSD-2-Clause
/*
 * flow_dissector_ipv4.bpf.c - a BPF flow dissector for IPv4 over Ethernet,
 * the shape of the kernel selftests' bpf_flow.c: the header offsets come
 * from flow_keys->nhoff, the headers from direct packet access, and the
 * result is written into struct bpf_flow_keys (offsets, protocols,
 * addresses, ports).  MUT_KEYS_OOB writes one byte past the flow keys.
 */
#include "corpus.h"

SEC("flow_dissector")
int flow_dissector_ipv4(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip;
	struct tcphdr *tcp;
	__u16 nhoff = keys->nhoff;

	if (nhoff > 64)
		return BPF_DROP;
	ip = data + nhoff;
	if ((void *)(ip + 1) > data_end)
		return BPF_DROP;
	if (ip->ihl != 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	keys->n_proto = bpf_htons(ETH_P_IP);
	keys->ipv4_src = ip->saddr;
	keys->ipv4_dst = ip->daddr;
	keys->ip_proto = ip->protocol;
	keys->thoff = nhoff + sizeof(*ip);
	keys->is_frag = !!(ip->frag_off & bpf_htons(0x3fff));
#ifdef MUT_KEYS_OOB
	((volatile __u8 *)keys)[sizeof(*keys)] = 0;
#endif
	if (keys->is_frag || ip->protocol != IPPROTO_TCP)
		return BPF_OK;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end)
		return BPF_DROP;
	keys->sport = tcp->source;
	keys->dport = tcp->dest;
	return BPF_OK;
}
