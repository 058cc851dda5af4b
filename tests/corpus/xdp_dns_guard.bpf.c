// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_dns_guard.bpf.c - XDP: look at UDP port 53 traffic, drop DNS
 * responses to queries nobody asked (QR set, no matching id in an LRU
 * map), a reflection guard in the Suricata style.  MUT_DNS_OOB reads the
 * DNS header fields having proven only the UDP header.
 */
#include "corpus.h"

struct dnshdr {
	__be16 id;
	__be16 flags;
	__be16 qdcount;
	__be16 ancount;
	__be16 nscount;
	__be16 arcount;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u16);
	__type(value, __u8);
} pending_ids SEC(".maps");

SEC("xdp")
int xdp_dns_guard(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct dnshdr *dns;
	struct udphdr *udp;
	struct iphdr *ip;
	__u16 id;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP || ip->ihl != 5)
		return XDP_PASS;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end || udp->source != bpf_htons(53))
		return XDP_PASS;
	dns = (void *)(udp + 1);
#ifndef MUT_DNS_OOB
	if ((void *)(dns + 1) > data_end)
		return XDP_DROP;
#endif
	if (!(dns->flags & bpf_htons(0x8000)))
		return XDP_PASS;
	id = dns->id;
	if (!bpf_map_lookup_elem(&pending_ids, &id))
		return XDP_DROP;
	bpf_map_delete_elem(&pending_ids, &id);
	return XDP_PASS;
}
