// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_tc_elf_map.bpf.c - a tc classifier as iproute2's examples write
 * them: maps in a `maps` section of iproute2's struct bpf_elf_map (with
 * id and pinning), the program in section "classifier".  It counts
 * packets per mark and drops marks listed in a policy map.
 * MUT_POLICY_NO_NULL reads the policy without checking the lookup.
 */
#include "corpus.h"

#define PIN_GLOBAL_NS 2

struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
	__u32 inner_id;
	__u32 inner_idx;
};

struct bpf_elf_map SEC("maps") mark_count = {
	.type = BPF_MAP_TYPE_HASH,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u64),
	.max_elem = 1024,
	.pinning = PIN_GLOBAL_NS,
};

struct bpf_elf_map SEC("maps") mark_policy = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 64,
};

SEC("classifier")
int legacy_tc_elf_map(struct __sk_buff *skb)
{
	__u32 mark = skb->mark, slot = skb->mark & 63;
	__u64 one = 1, *cnt;
	__u32 *deny;

	cnt = bpf_map_lookup_elem(&mark_count, &mark);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&mark_count, &mark, &one, BPF_ANY);
	deny = bpf_map_lookup_elem(&mark_policy, &slot);
#ifndef MUT_POLICY_NO_NULL
	if (!deny)
		return TC_ACT_OK;
#endif
	return *deny ? TC_ACT_SHOT : TC_ACT_OK;
}
