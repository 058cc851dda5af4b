// SPDX-License-Identifier: BSD-2-Clause
/*
 * fw_lpm_v6.bpf.c - TC firewall for IPv6: LPM match of source and
 * destination prefixes, deny wins, in the style of Calico's eBPF data
 * plane.  MUT_ADDR_OOB copies the destination address having proven only
 * the first 24 bytes of the IPv6 header; MUT_KEY_PAST_PKT looks the
 * 20-byte key up straight from the packet at the destination address,
 * which reads 4 bytes past the proven IPv6 header.
 */
#include "corpus.h"

struct lpm_v6_key {
	__u32 prefixlen;
	struct in6_addr addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v6_key);
	__type(value, __u8);
} deny6 SEC(".maps");

SEC("tc")
int fw_lpm_v6(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct lpm_v6_key key;
	struct ipv6hdr *ip6;
	__u8 *deny;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	ip6 = (void *)(eth + 1);
#ifdef MUT_ADDR_OOB
	if ((void *)ip6 + 24 > data_end)
		return TC_ACT_OK;
#else
	if ((void *)(ip6 + 1) > data_end)
		return TC_ACT_OK;
#endif
	key.prefixlen = 128;
	__builtin_memcpy(&key.addr, &ip6->saddr, sizeof(key.addr));
	deny = bpf_map_lookup_elem(&deny6, &key);
	if (deny && *deny)
		return TC_ACT_SHOT;
	__builtin_memcpy(&key.addr, &ip6->daddr, sizeof(key.addr));
#ifdef MUT_KEY_PAST_PKT
	deny = bpf_map_lookup_elem(&deny6, &ip6->daddr);
#else
	deny = bpf_map_lookup_elem(&deny6, &key);
#endif
	if (deny && *deny)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}
