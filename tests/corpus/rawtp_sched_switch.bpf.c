// SPDX-License-Identifier: BSD-2-Clause
/*
 * rawtp_sched_switch.bpf.c - raw tracepoint sched_switch: count context
 * switches per CPU and remember when each CPU last switched, the core of
 * runqlat-style tools.  A raw tracepoint's context is its u64 arguments:
 * MUT_CTX_OOB reads far past them; MUT_CTX_WRITE writes one.
 */
#include "corpus.h"

struct cpu_stat {
	__u64 switches;
	__u64 last_ns;
	__u64 preempt;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_stat);
} cpu_stats SEC(".maps");

SEC("raw_tp/sched_switch")
int rawtp_sched_switch(__u64 *ctx)
{
	struct cpu_stat *st;
	__u32 zero = 0;
	__u64 preempt;

#ifdef MUT_CTX_OOB
	preempt = ctx[64];
#else
	preempt = ctx[0];
#endif
#ifdef MUT_CTX_WRITE
	ctx[0] = 0;
#endif
	st = bpf_map_lookup_elem(&cpu_stats, &zero);
	if (!st)
		return 0;
	st->switches++;
	st->preempt += preempt & 1;
	st->last_ns = bpf_ktime_get_ns();
	return 0;
}
