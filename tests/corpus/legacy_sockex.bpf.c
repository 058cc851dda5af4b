// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_sockex.bpf.c - socket filter counting bytes per IP protocol in an
 * array declared, as the old Linux samples (sockex1) did, in a legacy
 * `maps` section of struct bpf_map_def, which libbpf 1.x refuses and
 * userbpf rewrites.  MUT_NO_NULL_CHECK adds to the counter without
 * checking the lookup.
 */
#include "corpus.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") proto_bytes = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

SEC("socket")
int legacy_sockex(struct __sk_buff *skb)
{
	__u32 proto = 0;
	__u64 *bytes;

	if (bpf_skb_load_bytes(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, protocol),
			       &proto, 1))
		return 0;
	bytes = bpf_map_lookup_elem(&proto_bytes, &proto);
#ifndef MUT_NO_NULL_CHECK
	if (bytes)
#endif
		__sync_fetch_and_add(bytes, skb->len);
	return 0;
}
