// SPDX-License-Identifier: BSD-2-Clause
/*
 * mapinmap.bpf.c - map-in-map: an array_of_maps and a hash_of_maps whose
 * slots libbpf fills at load time with two inner arrays; the program picks
 * the outer map by y (0: array, else hash), finds the inner map at key x
 * and adds to its element 0.  The driver also inserts a map of its own.
 * A third outer map holds inner hashes whose values carry a spin lock,
 * which mim_lock takes around its update.
 */
#include "common.bpf.h"

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} in0 SEC(".maps"), in1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_arr SEC(".maps") = {
	.values = { &in0, &in1 },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_hash SEC(".maps") = {
	.values = { [3] = &in1 },
};

SEC("syscall")
int mim(struct obj_args *a)
{
	__u32 k0 = 0, k = a->x;
	void *inner;
	__u64 *v;

	if (a->y)
		inner = bpf_map_lookup_elem(&outer_hash, &k);
	else
		inner = bpf_map_lookup_elem(&outer_arr, &k);
	if (!inner)
		return -1;
	v = bpf_map_lookup_elem(inner, &k0);
	if (!v)
		return -2;
	*v += a->y ? a->y : 1;
	a->out = *v;
	return 0;
}

struct locked {
	struct bpf_spin_lock lock;
	__u64 count;
};

struct locked_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct locked);
} lk0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct locked_map);
} outer_locked SEC(".maps") = {
	.values = { &lk0 },
};

SEC("syscall")
int mim_lock(struct obj_args *a)
{
	struct locked init = {}, *l;
	__u32 k0 = 0, k = a->x;
	void *inner;

	inner = bpf_map_lookup_elem(&outer_locked, &k0);
	if (!inner)
		return -1;
	l = bpf_map_lookup_elem(inner, &k);
	if (!l) {
		bpf_map_update_elem(inner, &k, &init, BPF_NOEXIST);
		l = bpf_map_lookup_elem(inner, &k);
		if (!l)
			return -2;
	}
	bpf_spin_lock(&l->lock);
	l->count += a->y;
	a->out = l->count;
	bpf_spin_unlock(&l->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
