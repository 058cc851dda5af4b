// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_ipv4_blocklist.bpf.c - XDP: drop IPv4 sources listed in a hash map
 * and count the drops in the map value, as the Suricata XDP filter does.
 * MUT_NO_NULL_CHECK increments the counter without checking the lookup;
 * MUT_IHL_UNCHECKED reads the L4 ports past a variable-length IP header
 * that is not proven to fit.
 */
#include "corpus.h"

struct block_entry {
	__u64 drops;
	__u64 last_port;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, struct block_entry);
} blocklist SEC(".maps");

SEC("xdp")
int xdp_ipv4_blocklist(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct block_entry *e;
	struct udphdr *udp;
	struct iphdr *ip;
	__be32 saddr;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	saddr = ip->saddr;
	e = bpf_map_lookup_elem(&blocklist, &saddr);
#ifndef MUT_NO_NULL_CHECK
	if (!e)
		return XDP_PASS;
#endif
	e->drops++;
	if (ip->protocol == IPPROTO_UDP || ip->protocol == IPPROTO_TCP) {
		udp = (void *)ip + ip->ihl * 4;
#ifndef MUT_IHL_UNCHECKED
		if ((void *)(udp + 1) > data_end)
			return XDP_DROP;
#endif
		e->last_port = bpf_ntohs(udp->dest);
	}
	return XDP_DROP;
}
