// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_redirect_map.bpf.c - XDP forwarding through a devmap, as Linux's
 * samples/bpf xdp_redirect_map: swap the Ethernet addresses, count the
 * packet per CPU, send it out of the port the devmap names.  The egress
 * port is read back from the devmap, whose values programs may only read:
 * MUT_DEVMAP_WRITE writes one; MUT_REDIRECT_HASH redirects through a hash
 * map, which bpf_redirect_map refuses.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} rxcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} port_names SEC(".maps");

static __always_inline void swap_src_dst_mac(struct ethhdr *eth)
{
	unsigned char tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

SEC("xdp")
int xdp_redirect_map_prog(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u32 key = 0, port = ctx->ingress_ifindex & 63, *egress;
	__u64 *cnt;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	cnt = bpf_map_lookup_elem(&rxcnt, &key);
	if (cnt)
		*cnt += 1;
	egress = bpf_map_lookup_elem(&tx_port, &port);
	if (!egress)
		return XDP_PASS;
#ifdef MUT_DEVMAP_WRITE
	*egress = 0;
#endif
	if (*egress == ctx->ingress_ifindex)
		return XDP_DROP;
	swap_src_dst_mac(eth);
#ifdef MUT_REDIRECT_HASH
	return bpf_redirect_map(&port_names, port, 0);
#else
	return bpf_redirect_map(&tx_port, port, XDP_PASS);
#endif
}
