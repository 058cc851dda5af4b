// SPDX-License-Identifier: BSD-2-Clause
/*
 * rl_spinlock.bpf.c - TC rate limiter shared by all CPUs: a token bucket
 * per flow bucket in a hash map whose value holds a bpf_spin_lock, the
 * refill and the take done under the lock, keyed by the flow hash.  MUT_EXIT_LOCKED returns while
 * holding the lock; MUT_CALL_LOCKED calls a helper inside the locked
 * region; MUT_DOUBLE_UNLOCK unlocks a lock it no longer holds.
 */
#include "corpus.h"

struct limiter {
	struct bpf_spin_lock lock;
	__u32 tokens;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct limiter);
} limiters SEC(".maps");

SEC("tc")
int rl_spinlock(struct __sk_buff *skb)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 key = skb->hash & 1023;
	struct limiter *l, fresh = {};
	int verdict = TC_ACT_OK;

	l = bpf_map_lookup_elem(&limiters, &key);
	if (!l) {
		fresh.tokens = 100;
		fresh.last_ns = now;
		bpf_map_update_elem(&limiters, &key, &fresh, BPF_NOEXIST);
		return TC_ACT_OK;
	}
	bpf_spin_lock(&l->lock);
	if (now - l->last_ns > 1000000000ull) {
		l->tokens = 100;
		l->last_ns = now;
	}
#ifdef MUT_CALL_LOCKED
	l->last_ns = bpf_ktime_get_ns();
#endif
	if (l->tokens) {
		l->tokens--;
	} else {
		verdict = TC_ACT_SHOT;
#ifdef MUT_EXIT_LOCKED
		return verdict;
#endif
	}
	bpf_spin_unlock(&l->lock);
#ifdef MUT_DOUBLE_UNLOCK
	bpf_spin_unlock(&l->lock);
#endif
	return verdict;
}
