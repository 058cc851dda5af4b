// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_lb_maglev.bpf.c - XDP consistent-hashing lookup in the Maglev style
 * Katran and Cilium use: each service owns a ring of backend ids stored in
 * one array value, indexed by the flow hash masked to the ring size.
 * MUT_RING_OFF_BY_ONE masks with the ring size instead of size - 1, which
 * reaches one slot past the value; MUT_RING_UNBOUNDED indexes the ring
 * with the raw hash.
 */
#include "corpus.h"

#define RING_SZ 256

struct ring {
	__u32 size;
	__u32 backend[RING_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct ring);
} rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RING_SZ);
	__type(key, __u32);
	__type(value, __u64);
} picks SEC(".maps");

SEC("xdp")
int xdp_lb_maglev(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u32 svc = 0, hash, slot, id;
	struct ring *r;
	struct iphdr *ip;
	__u64 *cnt;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	svc = bpf_ntohl(ip->daddr) & 15;
	r = bpf_map_lookup_elem(&rings, &svc);
	if (!r)
		return XDP_PASS;
	hash = ip->saddr * 2654435761u;
#if defined(MUT_RING_UNBOUNDED)
	slot = hash;
#elif defined(MUT_RING_OFF_BY_ONE)
	slot = hash & RING_SZ;
#else
	slot = hash & (RING_SZ - 1);
#endif
	id = r->backend[slot];
	cnt = bpf_map_lookup_elem(&picks, &id);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}
