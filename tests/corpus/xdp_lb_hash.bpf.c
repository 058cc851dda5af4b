// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_lb_hash.bpf.c - XDP L4 load balancer in Katran's style: the VIP
 * (daddr, port, proto) selects a service, a hash of the flow picks one of
 * its backends from an array, and the frame is rewritten towards it (MAC,
 * daddr, IP checksum) and sent out with XDP_TX.  MUT_BACKEND_NO_NULL uses
 * the backend entry without checking the lookup; MUT_META_OOB writes
 * one word past the 8-byte VIP value.
 */
#include "corpus.h"

#define MAX_BACKENDS 64

struct vip_key {
	__be32 addr;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 first;	/* first backend index */
	__u32 count;	/* backends of this VIP */
};

struct backend {
	__be32 addr;
	unsigned char mac[ETH_ALEN];
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct vip_key);
	__type(value, struct vip_meta);
} vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct backend);
} backends SEC(".maps");

static __always_inline __u32 flow_hash(__be32 saddr, __be16 sport)
{
	__u32 h = saddr ^ ((__u32)sport << 16);

	h ^= h >> 16;
	h *= 0x7feb352d;
	h ^= h >> 15;
	return h;
}

SEC("xdp")
int xdp_lb_hash(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct vip_key vk = {};
	struct vip_meta *vm;
	struct backend *be;
	struct udphdr *l4;
	struct iphdr *ip;
	__u32 idx;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	l4 = (void *)(ip + 1);
	if ((void *)(l4 + 1) > data_end)
		return XDP_PASS;
	vk.addr = ip->daddr;
	vk.port = l4->dest;
	vk.proto = ip->protocol;
	vm = bpf_map_lookup_elem(&vips, &vk);
	if (!vm || !vm->count)
		return XDP_PASS;
#ifdef MUT_META_OOB
	((__u32 *)vm)[2] = 0;
#endif
	idx = vm->first + flow_hash(ip->saddr, l4->source) % vm->count;
	be = bpf_map_lookup_elem(&backends, &idx);
#ifndef MUT_BACKEND_NO_NULL
	if (!be)
		return XDP_DROP;
#endif
	ip->check = csum_replace4(ip->check, ip->daddr, be->addr);
	ip->daddr = be->addr;
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, be->mac, ETH_ALEN);
	return XDP_TX;
}
