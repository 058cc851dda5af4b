// SPDX-License-Identifier: BSD-2-Clause
/*
 * fw_conntrack.bpf.c - TC stateful firewall: a 5-tuple connection table
 * (LRU hash) created on SYN and refreshed by later segments, with packets
 * of unknown connections dropped unless they open one, a minimal version
 * of Cilium's CT.  MUT_CT_NO_NULL updates the entry without checking the
 * lookup; MUT_CT_TIME_PTR writes through the entry's timestamp as if it
 * were a pointer (a scalar dereferenced).
 */
#include "corpus.h"

struct ct_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct ct_entry {
	__u64 last_seen;
	__u64 packets;
	__u32 flags;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct ct_key);
	__type(value, struct ct_entry);
} conntrack SEC(".maps");

SEC("tc")
int fw_conntrack(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct ct_key key = {};
	struct ct_entry *ct, fresh = {};
	struct tcphdr *tcp;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end)
		return TC_ACT_OK;
	key.saddr = ip->saddr;
	key.daddr = ip->daddr;
	key.sport = tcp->source;
	key.dport = tcp->dest;
	key.proto = IPPROTO_TCP;
	ct = bpf_map_lookup_elem(&conntrack, &key);
#ifndef MUT_CT_NO_NULL
	if (!ct) {
		if (!tcp->syn || tcp->ack)
			return TC_ACT_SHOT;
		fresh.last_seen = bpf_ktime_get_ns();
		fresh.packets = 1;
		bpf_map_update_elem(&conntrack, &key, &fresh, BPF_NOEXIST);
		return TC_ACT_OK;
	}
#endif
	ct->last_seen = bpf_ktime_get_ns();
	ct->packets++;
	if (tcp->fin || tcp->rst)
		ct->flags |= 1;
#ifdef MUT_CT_TIME_PTR
	*(__u64 *)ct->last_seen = 0;
#endif
	return TC_ACT_OK;
}
