// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf_output.bpf.c - one raw tracepoint program that sends a struct
 * perf_sample for its test-run arguments (args[0] the sequence number,
 * args[1] a value) to the calling CPU's perf event, returning what
 * bpf_perf_event_output() returned; and one that names a slot explicitly
 * (args[2]), which Linux refuses unless the event is this CPU's.
 */
#include "common.bpf.h"
#include "perf_output.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

static __always_inline void fill(struct perf_sample *s, struct bpf_raw_tracepoint_args *ctx)
{
	s->seq = (__u32)ctx->args[0];
	s->cpu = bpf_get_smp_processor_id();
	s->val = ctx->args[1];
	s->fill[0] = s->seq;
	s->fill[1] = (__u64)s->seq * 2 + 0x1111;
	s->fill[2] = (__u64)s->seq * 3 + 0x2222;
	s->fill[3] = (__u64)s->seq * 4 + 0x3333;
}

SEC("raw_tp/sys_enter")
int emit(struct bpf_raw_tracepoint_args *ctx)
{
	struct perf_sample s;

	fill(&s, ctx);
	return bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &s, sizeof(s));
}

SEC("raw_tp/sys_enter")
int emit_at(struct bpf_raw_tracepoint_args *ctx)
{
	struct perf_sample s;

	fill(&s, ctx);
	return bpf_perf_event_output(ctx, &events, ctx->args[2] & 0xff, &s, sizeof(s));
}

char LICENSE[] SEC("license") = "GPL";
