// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp.bpf.c - an XDP program with direct packet access: swaps the Ethernet
 * source and destination addresses, counts packets in a per-CPU array and
 * returns XDP_TX; frames shorter than an Ethernet header are dropped.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pkts SEC(".maps");

SEC("xdp")
int xdp_swap(struct xdp_md *ctx)
{
	unsigned char *data = (unsigned char *)(long)ctx->data;
	unsigned char *end = (unsigned char *)(long)ctx->data_end;
	unsigned char tmp;
	__u64 *cnt;
	__u32 k = 0;
	int i;

	if (data + 14 > end)
		return XDP_DROP;
	for (i = 0; i < 6; i++) {
		tmp = data[i];
		data[i] = data[i + 6];
		data[i + 6] = tmp;
	}
	cnt = bpf_map_lookup_elem(&pkts, &k);
	if (cnt)
		(*cnt)++;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
