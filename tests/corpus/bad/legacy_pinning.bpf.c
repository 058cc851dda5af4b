// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_pinning.bpf.c - an iproute2 struct bpf_elf_map with a custom
 * pinning id (iproute2 looks those up in /etc/iproute2/bpf_pinning), which
 * libbpf cannot express.
 * expect: elf.legacy_maps_pinning custom_pin
 */
#include "corpus.h"

struct bpf_elf_map {
	__u32 type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx;
};

struct bpf_elf_map SEC("maps") custom_pin = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 8, .max_elem = 1, .pinning = 7,
};

SEC("classifier")
int use_pin(struct __sk_buff *skb)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&custom_pin, &k) ? TC_ACT_OK : TC_ACT_SHOT;
}
