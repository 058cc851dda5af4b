// SPDX-License-Identifier: BSD-2-Clause
/*
 * rawtp_sys_enter_scratch.bpf.c - raw tracepoint sys_enter: assemble an
 * event in a per-CPU scratch buffer (an array value far larger than the
 * stack) and emit it with bpf_ringbuf_output(), as Falco's modern probe
 * does; writes land at offsets masked into the buffer.  MUT_SCRATCH_UNMASKED
 * writes at an offset bounded only from below.
 */
#include "corpus.h"

#define SCRATCH_SZ 4096
#define SCRATCH_MASK (SCRATCH_SZ / 2 - 1)

struct scratch {
	__u32 len;
	__u8 buf[SCRATCH_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} syscalls_rb SEC(".maps");

static __always_inline void push_u64(struct scratch *s, __u64 v)
{
	__u32 off = s->len;

#ifdef MUT_SCRATCH_UNMASKED
	if ((int)off < 0)
		return;
#else
	off &= SCRATCH_MASK;
#endif
	*(__u64 *)&s->buf[off] = v;
	s->len = off + 8;
}

SEC("raw_tp/sys_enter")
int rawtp_sys_enter_scratch(__u64 *ctx)
{
	struct scratch *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	s->len = 0;
	push_u64(s, ctx[1]);
	push_u64(s, bpf_get_current_pid_tgid());
	push_u64(s, bpf_ktime_get_ns());
	bpf_ringbuf_output(&syscalls_rb, s->buf, s->len & SCRATCH_MASK, 0);
	return 0;
}
