// SPDX-License-Identifier: BSD-2-Clause
/*
 * globals.bpf.c - BTF-defined maps (a hash and an array), global data in
 * .data, .rodata (a const volatile the loader sets before load) and .bss,
 * a static and a global subprogram.  Used by globals.c (libbpf's object API)
 * and by skel.c (a `bpftool gen skeleton` of the same object).
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} squares SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct obj_pair);
} pairs SEC(".maps");

const volatile __u32 scale = 1;	/* .rodata: the driver sets it before load */
__u64 total = 100;		/* .data */
__u32 calls;			/* .bss */

static __attribute__((noinline)) __u64 square(__u64 x)
{
	return x * x;
}

/* A global function: Linux verifies it on its own; here it is a bpf-to-bpf call. */
__attribute__((noinline)) int add_scaled(__u32 x)
{
	return x * scale;
}

SEC("syscall")
int globals(struct obj_args *args)
{
	__u32 key = args->x, idx = 1;
	__u64 sq = square(args->x);
	struct obj_pair *p;

	bpf_map_update_elem(&squares, &key, &sq, BPF_ANY);
	p = bpf_map_lookup_elem(&pairs, &idx);
	if (p) {
		p->a = args->x;
		p->b = sq + 1;
	}
	calls++;
	total += args->x;
	args->out = sq + add_scaled(args->x);
	return add_scaled(args->x) + 1;
}

char LICENSE[] SEC("license") = "GPL";
