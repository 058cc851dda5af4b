// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf.bpf.c - a ring buffer written with reserve/submit and with
 * output: each run emits two records, {x, pid, 2y} and {x + 1000, pid, 0},
 * so a consumer can tell runs and processes apart.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16384);
} rb SEC(".maps");

SEC("syscall")
int produce(struct obj_args *a)
{
	struct obj_event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	struct obj_event e2;

	if (!e)
		return -1;
	e->seq = a->x;
	e->pid = a->y;
	e->val = (__u64)a->y * 2;
	bpf_ringbuf_submit(e, 0);
	e2.seq = a->x + 1000;
	e2.pid = a->y;
	e2.val = 0;
	return bpf_ringbuf_output(&rb, &e2, sizeof(e2), 0);
}

char LICENSE[] SEC("license") = "GPL";
