// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_eth_count.bpf.c - XDP: count frames per EtherType class in a per-CPU
 * array, in the style of the Linux samples' xdp1.  MUT_NO_DATA_END reads
 * the EtherType without comparing against data_end; MUT_OFF_BY_ONE proves
 * one byte less than the header it reads.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} eth_stats SEC(".maps");

SEC("xdp")
int xdp_eth_count(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	__u32 key = 3;
	__u64 *cnt;

#if defined(MUT_NO_DATA_END)
	(void)data_end;
#elif defined(MUT_OFF_BY_ONE)
	if (data + sizeof(*eth) - 1 > data_end)
		return XDP_DROP;
#else
	if (data + sizeof(*eth) > data_end)
		return XDP_DROP;
#endif
	switch (eth->h_proto) {
	case bpf_htons(ETH_P_IP):
		key = 0;
		break;
	case bpf_htons(ETH_P_IPV6):
		key = 1;
		break;
	case bpf_htons(ETH_P_ARP):
		key = 2;
		break;
	}
	cnt = bpf_map_lookup_elem(&eth_stats, &key);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}
