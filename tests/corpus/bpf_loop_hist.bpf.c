// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf_loop_hist.bpf.c - raw tracepoint sys_exit: fold a 64-bucket latency
 * histogram into a summary with bpf_loop() and a callback, the way newer
 * tools avoid unrolling.  A bpf_loop callback must return 0 or 1:
 * MUT_CB_RETVAL returns 2.  MUT_CB_IDX_OOB indexes the histogram with the
 * loop index unbounded (the callback's index is not the array's bound).
 * corpus-eras: cpu-v4
 */
#include "corpus.h"

#define BUCKETS 64

struct hist {
	__u64 slot[BUCKETS];
};

struct fold_ctx {
	struct hist *h;
	__u64 total;
	__u64 max_slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} hist_map SEC(".maps");

static int fold_one(__u32 idx, struct fold_ctx *fc)
{
	__u64 v;

#ifdef MUT_CB_IDX_OOB
	v = fc->h->slot[idx];
#else
	if (idx >= BUCKETS)
		return 1;
	v = fc->h->slot[idx];
#endif
	fc->total += v;
	if (v)
		fc->max_slot = idx;
#ifdef MUT_CB_RETVAL
	return 2;
#else
	return 0;
#endif
}

SEC("raw_tp/sys_exit")
int bpf_loop_hist(__u64 *ctx)
{
	struct fold_ctx fc = {};
	__u32 zero = 0;

	fc.h = bpf_map_lookup_elem(&hist_map, &zero);
	if (!fc.h)
		return 0;
	fc.h->slot[bpf_get_prandom_u32() & (BUCKETS - 1)]++;
	bpf_loop(BUCKETS * 2, fold_one, &fc, 0);
	return fc.total > 1000000 ? 1 : 0;
}
