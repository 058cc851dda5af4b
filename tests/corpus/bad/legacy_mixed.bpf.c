// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_mixed.bpf.c - one `maps` section holding a struct bpf_map_def and
 * an iproute2 struct bpf_elf_map: entries of one section have one size.
 * expect: elf.legacy_maps_size elf_style
 */
#include "corpus.h"

struct bpf_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct bpf_elf_map {
	__u32 type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx;
};

struct bpf_map_def SEC("maps") def_style = { BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0 };
struct bpf_elf_map SEC("maps") elf_style = { BPF_MAP_TYPE_ARRAY, 4, 8, 1 };

SEC("xdp")
int use_both(struct xdp_md *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&def_style, &k) && bpf_map_lookup_elem(&elf_style, &k);
}
