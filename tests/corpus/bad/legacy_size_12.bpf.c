// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_size_12.bpf.c - a legacy `maps` section whose entries are 12
 * bytes: neither struct bpf_map_def nor iproute2's struct bpf_elf_map.
 * expect: elf.legacy_maps_size tiny
 */
#include "corpus.h"

struct tiny_def {
	unsigned int type, key_size, value_size;
};

struct tiny_def SEC("maps") tiny = { BPF_MAP_TYPE_ARRAY, 4, 4 };

SEC("xdp")
int use_tiny(struct xdp_md *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&tiny, &k) ? XDP_PASS : XDP_DROP;
}
