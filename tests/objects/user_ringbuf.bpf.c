// SPDX-License-Identifier: BSD-2-Clause
/*
 * user_ringbuf.bpf.c - a user ring buffer drained by a program: the
 * callback counts the samples (their bytes are behind a dynptr, which this
 * test does not need), the drain's return value is the number consumed.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

static long count(struct bpf_dynptr *sample, void *ctx)
{
	(*(__u64 *)ctx)++;
	return 0;
}

SEC("syscall")
int drain(struct obj_args *a)
{
	__u64 n = 0;
	long ret = bpf_user_ringbuf_drain(&urb, count, &n, 0);

	a->out = n;
	return (int)ret;
}

char LICENSE[] SEC("license") = "GPL";
