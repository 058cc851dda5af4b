// SPDX-License-Identifier: BSD-2-Clause
/*
 * fw_lpm_v4.bpf.c - XDP firewall: longest-prefix match of the IPv4 source
 * against a CIDR policy (LPM trie, BPF_F_NO_PREALLOC) whose value is the
 * verdict and a hit counter, as Cilium's ipcache and prefilter do.
 * MUT_LPM_NO_NULL reads the verdict without checking the lookup;
 * MUT_LPM_KEY_STACK_OOB builds the key so that it reaches past the top of
 * the stack frame.
 */
#include "corpus.h"

struct lpm_v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct rule {
	__u32 verdict;	/* XDP_DROP or XDP_PASS */
	__u32 pad;
	__u64 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4_key);
	__type(value, struct rule);
} cidr_policy SEC(".maps");

SEC("xdp")
int fw_lpm_v4(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct lpm_v4_key key;
	struct iphdr *ip;
	struct rule *r;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	key.prefixlen = 32;
	__builtin_memcpy(key.addr, &ip->saddr, 4);
#ifdef MUT_LPM_KEY_STACK_OOB
	r = bpf_map_lookup_elem(&cidr_policy, (char *)&key + 512);
#else
	r = bpf_map_lookup_elem(&cidr_policy, &key);
#endif
#ifndef MUT_LPM_NO_NULL
	if (!r)
		return XDP_PASS;
#endif
	__sync_fetch_and_add(&r->hits, 1);
	return r->verdict == XDP_DROP ? XDP_DROP : XDP_PASS;
}
