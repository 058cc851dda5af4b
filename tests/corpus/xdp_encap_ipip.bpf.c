// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_encap_ipip.bpf.c - XDP IP-in-IP encapsulation towards a real server,
 * Katran's forwarding path: grow the head with bpf_xdp_adjust_head(),
 * re-derive and re-prove every packet pointer, write the outer Ethernet
 * and IPv4 headers and their checksum.  MUT_STALE_AFTER_ADJUST writes the
 * outer header through pointers computed before the adjustment.
 * corpus-eras: cpu-v4
 */
#include "corpus.h"

struct real {
	__be32 addr;
	unsigned char mac[ETH_ALEN];
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct real);
} real_server SEC(".maps");

static __always_inline __u16 ipv4_csum(struct iphdr *ip)
{
	__u16 *w = (__u16 *)ip;
	__u32 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < (int)sizeof(*ip) / 2; i++)
		sum += w[i];
	return csum_fold(sum);
}

SEC("xdp")
int xdp_encap_ipip(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data, *neth;
	struct iphdr *inner, *outer;
	struct real *rs;
	__u32 zero = 0;
	__u16 tot;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	inner = (void *)(eth + 1);
	if ((void *)(inner + 1) > data_end)
		return XDP_PASS;
	tot = bpf_ntohs(inner->tot_len);
	rs = bpf_map_lookup_elem(&real_server, &zero);
	if (!rs)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return XDP_DROP;
#ifdef MUT_STALE_AFTER_ADJUST
	neth = (void *)eth - sizeof(struct iphdr);
	outer = (void *)(neth + 1);
	(void)data_end;
#else
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	neth = data;
	outer = (void *)(neth + 1);
	if ((void *)(outer + 1) + sizeof(struct ethhdr) > data_end)
		return XDP_DROP;
#endif
	__builtin_memcpy(neth->h_dest, rs->mac, ETH_ALEN);
	__builtin_memset(neth->h_source, 0, ETH_ALEN);
	neth->h_proto = bpf_htons(ETH_P_IP);
	outer->version = 4;
	outer->ihl = 5;
	outer->tos = 0;
	outer->tot_len = bpf_htons(tot + sizeof(struct iphdr));
	outer->id = 0;
	outer->frag_off = 0;
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->check = 0;
	outer->saddr = bpf_htonl(0x0a000001);
	outer->daddr = rs->addr;
	outer->check = ipv4_csum(outer);
	return XDP_TX;
}
