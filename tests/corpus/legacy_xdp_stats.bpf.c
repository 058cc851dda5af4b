// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_xdp_stats.bpf.c - XDP in the style of the old samples' xdp1 and
 * xdp_rxq_info: per-CPU packet counters and a per-protocol hash, both in a
 * legacy `maps` section of struct bpf_map_def (the 28-byte variant with
 * inner_map_idx and numa_node left zero).  MUT_RXQ_OOB indexes the
 * per-CPU value with the queue number, which nothing bounds.
 */
#include "corpus.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
	unsigned int inner_map_idx;
	unsigned int numa_node;
};

struct rx_stats {
	__u64 packets;
	__u64 bytes;
};

struct bpf_map_def SEC("maps") rx_cnt = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct rx_stats),
	.max_entries = 1,
};

struct bpf_map_def SEC("maps") proto_cnt = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u16),
	.value_size = sizeof(__u64),
	.max_entries = 64,
};

SEC("xdp")
int legacy_xdp_stats(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct rx_stats *st;
	__u64 one = 1, *pc;
	__u32 zero = 0;
	__u16 proto;

	st = bpf_map_lookup_elem(&rx_cnt, &zero);
	if (!st)
		return XDP_ABORTED;
#ifdef MUT_RXQ_OOB
	st += ctx->rx_queue_index;
#endif
	st->packets++;
	st->bytes += data_end - data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
	pc = bpf_map_lookup_elem(&proto_cnt, &proto);
	if (pc)
		*pc += 1;
	else
		bpf_map_update_elem(&proto_cnt, &proto, &one, BPF_NOEXIST);
	return XDP_PASS;
}
