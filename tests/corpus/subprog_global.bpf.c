// SPDX-License-Identifier: BSD-2-Clause
/*
 * subprog_global.bpf.c - TC with global (non-static) functions, which
 * Linux verifies once each against their BTF signature, independently of
 * the caller: a classifier taking the context and a helper taking a
 * nullable pointer.  MUT_GLOBAL_NO_NULL dereferences that pointer without
 * checking it, which is unsafe for any caller.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} class_bytes SEC(".maps");

__noinline int add_bytes(__u64 *counter, __u32 len)
{
#ifndef MUT_GLOBAL_NO_NULL
	if (!counter)
		return 0;
#endif
	*counter += len;
	return 1;
}

__noinline int classify(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return skb->len > 1000 ? 2 : skb->len > 100 ? 1 : 0;
}

SEC("tc")
int subprog_global(struct __sk_buff *skb)
{
	__u32 cls = classify(skb);
	__u64 *bytes = bpf_map_lookup_elem(&class_bytes, &cls);

	add_bytes(bytes, skb->len);
	return TC_ACT_OK;
}
