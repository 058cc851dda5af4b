// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf_tags_enum64.bpf.c - XDP event record whose BTF carries the kinds
 * newer compilers emit: a 64-bit enum (BTF_KIND_ENUM64 from clang 15),
 * btf_decl_tag on members and on a global function, btf_type_tag("user")
 * on a pointer member (clang 14+; older compilers and bpf-gcc 12 emit
 * plain types), and a CO-RE local type id relocation (not in bpf-gcc 12).
 * The global function is verified against that BTF.  MUT_FLAG_IDX_OOB
 * indexes the per-bit counters with the length unmasked.
 */
#include "corpus.h"
#include <bpf/bpf_core_read.h>

#if __has_attribute(btf_type_tag)
#define __tag_user __attribute__((btf_type_tag("user")))
#else
#define __tag_user
#endif
#if __has_attribute(btf_decl_tag)
#define __dtag(x) __attribute__((btf_decl_tag(x)))
#else
#define __dtag(x)
#endif

enum evt_flags {
	EVT_SEEN = 1,
	EVT_PINNED = 1ULL << 40,
};

struct evt {
	__u64 flags __dtag("flags");
	__u32 type_id __dtag("btf_id");
	__u32 len;
	const char __tag_user *path;
	__u64 per_bit[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct evt);
} last_evt SEC(".maps");

enum evt_flags default_flags = EVT_PINNED;

__noinline __dtag("evt_fill") int evt_fill(struct evt *e, __u64 flags, __u32 len)
{
	__u32 bit = len & 7;

	if (!e)
		return -1;
	e->flags = flags | default_flags;
#if __has_builtin(__builtin_btf_type_id)
	e->type_id = bpf_core_type_id_local(struct evt);
#endif
	e->len = len;
#ifdef MUT_FLAG_IDX_OOB
	bit = len;
#endif
	e->per_bit[bit]++;
	return 0;
}

SEC("xdp")
int btf_tags_enum64(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct evt *e = bpf_map_lookup_elem(&last_evt, &key);

	if (!e)
		return XDP_PASS;
	evt_fill(e, EVT_SEEN | EVT_PINNED, ctx->data_end - ctx->data);
	return XDP_PASS;
}
