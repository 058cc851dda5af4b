// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_icmp_echo.bpf.c - XDP: answer ICMP echo requests in place (swap MAC
 * and IP addresses, turn the type into a reply, fix the checksum
 * incrementally) and send them back with XDP_TX, as the xdp-tutorial's
 * packet rewriting lesson does.  MUT_ICMP_OOB rewrites the ICMP header
 * having proven only the IP header; MUT_CTX_WRITE writes the read-only
 * data field of the context.
 */
#include "corpus.h"

SEC("xdp")
int xdp_icmp_echo(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	unsigned char mac[ETH_ALEN];
	struct icmphdr *icmp;
	struct iphdr *ip;
	__be32 addr;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_ICMP || ip->ihl != 5)
		return XDP_PASS;
	icmp = (void *)(ip + 1);
#ifndef MUT_ICMP_OOB
	if ((void *)(icmp + 1) > data_end)
		return XDP_PASS;
#endif
	if (icmp->type != ICMP_ECHO)
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = csum_replace4(icmp->checksum, bpf_htonl(ICMP_ECHO << 8),
				       bpf_htonl(ICMP_ECHOREPLY << 8));
#ifdef MUT_CTX_WRITE
	ctx->data = ctx->data + sizeof(*eth);
#endif
	return XDP_TX;
}
