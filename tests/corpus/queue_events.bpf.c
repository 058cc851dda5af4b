// SPDX-License-Identifier: BSD-2-Clause
/*
 * queue_events.bpf.c - kprobe on tcp_v4_connect: push connection attempts
 * into a FIFO queue map (bpf_map_push_elem) and pop the oldest when it is
 * full, a bounded backlog for a user-space consumer.  MUT_POP_INTO_CTX
 * pops into the context instead of stack memory.
 */
#include "corpus.h"

struct conn_attempt {
	__u64 ts;
	__u32 pid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1024);
	__uint(value_size, sizeof(struct conn_attempt));
} attempts SEC(".maps");

SEC("kprobe/tcp_v4_connect")
int queue_events(void *ctx)
{
	struct conn_attempt a = {}, old;

	a.ts = bpf_ktime_get_ns();
	a.pid = bpf_get_current_pid_tgid() >> 32;
	if (bpf_map_push_elem(&attempts, &a, 0)) {
#ifdef MUT_POP_INTO_CTX
		bpf_map_pop_elem(&attempts, ctx);
#else
		bpf_map_pop_elem(&attempts, &old);
#endif
		bpf_map_push_elem(&attempts, &a, 0);
	}
	return 0;
}
