// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_vlan_strip.bpf.c - XDP: walk up to two 802.1Q/802.1ad tags and
 * count frames per VLAN id, as Cilium's and Katran's parsers do (an
 * unrolled bounded walk, each tag proven against data_end).
 * MUT_NO_VLAN_CHECK reads the inner tag without proving it is there.
 * corpus-eras: cpu-v4
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u16);
	__type(value, __u64);
} vlan_frames SEC(".maps");

SEC("xdp")
int xdp_vlan_strip(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct vlan_hdr *vh;
	__u16 proto, vid = 0;
	__u64 one = 1, *cnt;
	void *cur;
	int i;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
	cur = eth + 1;
#pragma unroll
	for (i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		vh = cur;
#ifndef MUT_NO_VLAN_CHECK
		if ((void *)(vh + 1) > data_end)
			return XDP_DROP;
#endif
		vid = bpf_ntohs(vh->h_vlan_TCI) & 0x0fff;
		proto = vh->h_vlan_encapsulated_proto;
		cur = vh + 1;
	}
	cnt = bpf_map_lookup_elem(&vlan_frames, &vid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&vlan_frames, &vid, &one, BPF_NOEXIST);
	return XDP_PASS;
}
