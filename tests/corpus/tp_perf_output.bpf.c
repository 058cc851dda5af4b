// SPDX-License-Identifier: BSD-2-Clause
/*
 * tp_perf_output.bpf.c - tracepoint sched/sched_process_exec: report new
 * programs through a perf event array (bpf_perf_event_output), the
 * pre-ring-buffer way the Linux samples and bcc's execsnoop do.
 * MUT_PERF_SIZE_OOB outputs more bytes than the stack record holds;
 * MUT_PERF_WRONG_MAP passes a hash map where a perf event array is due.
 */
#include "corpus.h"

struct exec_event {
	__u32 pid;
	__u32 cpu;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} exec_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} not_perf SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int tp_perf_output(void *ctx)
{
	struct exec_event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
#if defined(MUT_PERF_SIZE_OOB)
	bpf_perf_event_output(ctx, &exec_events, BPF_F_CURRENT_CPU, &e, sizeof(e) + 512);
#elif defined(MUT_PERF_WRONG_MAP)
	bpf_perf_event_output(ctx, &not_perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
#else
	bpf_perf_event_output(ctx, &exec_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
#endif
	return 0;
}
