// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_map_in_map.bpf.c - an iproute2 array of maps naming its inner
 * map by id; only a BTF-defined `.maps` entry can describe the inner map
 * to libbpf 1.x.
 * expect: elf.legacy_maps_inner outer
 */
#include "corpus.h"

struct bpf_elf_map {
	__u32 type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx;
};

struct bpf_elf_map SEC("maps") inner = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 8, .max_elem = 1, .id = 1,
};

struct bpf_elf_map SEC("maps") outer = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS, .size_key = 4, .size_value = 4, .max_elem = 1,
	.inner_id = 1,
};

SEC("classifier")
int use_outer(struct __sk_buff *skb)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&outer, &k) && bpf_map_lookup_elem(&inner, &k);
}
