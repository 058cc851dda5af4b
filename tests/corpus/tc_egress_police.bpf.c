// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_egress_police.bpf.c - TC egress policer: bytes per cgroup-less flow
 * key (the skb mark) accumulated in a hash map; over the budget the packet
 * is dropped, like the bandwidth manager's EDT sketch in Cilium.
 * MUT_NO_NULL_CHECK adds to the budget entry without checking the lookup;
 * MUT_VALUE_OOB resets a word past the end of the 16-byte entry.
 */
#include "corpus.h"

struct budget {
	__u64 bytes;
	__u64 limit;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct budget);
} budgets SEC(".maps");

SEC("tc")
int tc_egress_police(struct __sk_buff *skb)
{
	__u32 key = skb->mark;
	struct budget *b;

	b = bpf_map_lookup_elem(&budgets, &key);
#ifdef MUT_NO_NULL_CHECK
	b->bytes += skb->len;
#else
	if (!b) {
		struct budget init = { .bytes = skb->len, .limit = 1 << 20 };

		bpf_map_update_elem(&budgets, &key, &init, BPF_NOEXIST);
		return TC_ACT_OK;
	}
	__sync_fetch_and_add(&b->bytes, skb->len);
#endif
#ifdef MUT_VALUE_OOB
	(&b->limit)[1] = 0;
#endif
	if (b->bytes > b->limit)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}
