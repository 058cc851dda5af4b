// SPDX-License-Identifier: BSD-2-Clause
/*
 * for_each_expire.bpf.c - TC: on every packet, walk a session table with
 * bpf_for_each_map_elem() and count sessions idle for more than a minute,
 * a garbage-collection sketch as in Cilium's CT GC.  The callback gets the
 * key read-only: MUT_CB_KEY_WRITE writes to it; MUT_CB_VALUE_OOB reads
 * past the value.
 */
#include "corpus.h"

struct session {
	__u64 last_seen;
	__u64 bytes;
};

struct gc_ctx {
	__u64 now;
	__u32 expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct session);
} sessions SEC(".maps");

static long check_session(void *map, __u32 *key, struct session *s, struct gc_ctx *gc)
{
#ifdef MUT_CB_KEY_WRITE
	*key = 0;
#endif
#ifdef MUT_CB_VALUE_OOB
	gc->expired += (&s->bytes)[1] != 0;
#endif
	if (gc->now - s->last_seen > 60ull * 1000000000ull)
		gc->expired++;
	return 0;
}

SEC("tc")
int for_each_expire(struct __sk_buff *skb)
{
	struct gc_ctx gc = { .now = bpf_ktime_get_ns() };

	bpf_for_each_map_elem(&sessions, check_session, &gc, 0);
	skb->mark = gc.expired;
	return TC_ACT_OK;
}
