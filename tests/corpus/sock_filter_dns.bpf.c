// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_filter_dns.bpf.c - socket filter: keep only DNS packets (UDP port
 * 53) of a raw socket, reading headers with bpf_skb_load_bytes() as the
 * Linux samples' sockex programs do, and counting what it keeps.
 * MUT_LOAD_STACK_OOB loads more bytes than the stack buffer holds;
 * MUT_LOAD_NEG_LEN passes a length that may be zero or negative.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} kept SEC(".maps");

SEC("socket")
int sock_filter_dns(struct __sk_buff *skb)
{
	struct iphdr ip;
	struct udphdr udp;
	__u32 key = 0;
	__u64 *cnt;
	int len;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)))
		return 0;
	if (ip.protocol != IPPROTO_UDP || ip.ihl < 5)
		return 0;
#if defined(MUT_LOAD_STACK_OOB)
	len = sizeof(udp) + 256;
#elif defined(MUT_LOAD_NEG_LEN)
	len = (int)skb->len - 100;
#else
	len = sizeof(udp);
#endif
	if (bpf_skb_load_bytes(skb, ip.ihl * 4, &udp, len))
		return 0;
	if (udp.dest != bpf_htons(53) && udp.source != bpf_htons(53))
		return 0;
	cnt = bpf_map_lookup_elem(&kept, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return skb->len;
}
