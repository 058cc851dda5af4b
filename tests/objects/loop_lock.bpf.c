// SPDX-License-Identifier: BSD-2-Clause
/*
 * loop_lock.bpf.c - bpf_loop with a callback that stops early, and a
 * struct bpf_spin_lock inside an array value guarding a counter that
 * several threads add to at once.
 */
#include "common.bpf.h"

struct locked {
	struct bpf_spin_lock lock;
	__u64 cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} locks SEC(".maps");

struct loop_ctx {
	__u64 sum;
	__u32 n;
};

/* Sum of squares of 0..n; returning 1 stops the loop after this iteration. */
static int step(__u32 i, struct loop_ctx *c)
{
	c->sum += (__u64)i * i;
	return i >= c->n;
}

SEC("syscall")
int loop_lock(struct obj_args *a)
{
	struct loop_ctx c = { .sum = 0, .n = a->x };
	struct locked *l;
	__u32 k = 0;
	long n;

	n = bpf_loop(100, step, &c, 0);
	l = bpf_map_lookup_elem(&locks, &k);
	if (!l)
		return -1;
	bpf_spin_lock(&l->lock);
	l->cnt += a->y;
	bpf_spin_unlock(&l->lock);
	a->out = c.sum;
	return (int)n;
}

char LICENSE[] SEC("license") = "GPL";
