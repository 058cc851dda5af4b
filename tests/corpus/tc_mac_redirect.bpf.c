// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_mac_redirect.bpf.c - TC: forward frames by destination MAC to the
 * port (ifindex) a learning table holds, marking them with the port's
 * VLAN for the qdisc, a bridge fast path in the OVS style.
 * MUT_MAC_KEY_UNINIT looks the MAC up through a register that was never
 * set (r8 at entry).
 */
#include "corpus.h"

struct mac_key {
	__u8 addr[ETH_ALEN];
	__u16 pad;
};

struct port {
	__u32 ifindex;
	__u16 vid;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct mac_key);
	__type(value, struct port);
} fdb SEC(".maps");

SEC("tc")
int tc_mac_redirect(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct mac_key key = {};
	struct port *p;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	__builtin_memcpy(key.addr, eth->h_dest, ETH_ALEN);
#ifdef MUT_MAC_KEY_UNINIT
	{
		void *k;

#ifdef __clang__
		asm volatile("%0 = r8" : "=r"(k));
#else
		asm volatile("mov %0, %%r8" : "=r"(k));
#endif
		p = bpf_map_lookup_elem(&fdb, k);
	}
#else
	p = bpf_map_lookup_elem(&fdb, &key);
#endif
	if (!p || p->ifindex == skb->ifindex)
		return TC_ACT_OK;
	skb->mark = p->vid;
	return bpf_redirect(p->ifindex, 0);
}
