// SPDX-License-Identifier: BSD-2-Clause
/*
 * rl_percpu_tokens.bpf.c - XDP rate limiter: a token bucket per CPU (no
 * locking needed) refilled from bpf_ktime_get_ns(), dropping what exceeds
 * the configured rate held in an array map.  MUT_BUCKET_OOB indexes the
 * per-CPU value as an array of buckets with an unchecked CPU number.
 */
#include "corpus.h"

struct bucket {
	__u64 tokens;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);	/* packets per second */
} rate SEC(".maps");

SEC("xdp")
int rl_percpu_tokens(struct xdp_md *ctx)
{
	__u64 now = bpf_ktime_get_ns(), *pps, add;
	struct bucket *b;
	__u32 zero = 0;

	pps = bpf_map_lookup_elem(&rate, &zero);
	b = bpf_map_lookup_elem(&buckets, &zero);
	if (!pps || !b)
		return XDP_PASS;
#ifdef MUT_BUCKET_OOB
	b += bpf_get_smp_processor_id();
#endif
	add = (now - b->last_ns) * *pps / 1000000000ull;
	if (add) {
		b->tokens += add;
		if (b->tokens > *pps)
			b->tokens = *pps;
		b->last_ns = now;
	}
	if (!b->tokens)
		return XDP_DROP;
	b->tokens--;
	return XDP_PASS;
}
