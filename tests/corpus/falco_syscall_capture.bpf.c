// SPDX-License-Identifier: BSD-2-Clause
/*
 * falco_syscall_capture.bpf.c - syscall capture in the style of Falco's
 * (and sysdig's) kernel probe: raw tracepoints on sys_enter and sys_exit,
 * a per-CPU scratch frame much larger than the stack, a header and then
 * string arguments appended with bpf_probe_read_user_str at a running
 * offset masked into the frame, one filler program per syscall reached by
 * tail call through a table, and the finished frame copied to a ring
 * buffer.  MUT_UNMASKED_OFF appends without masking the offset;
 * MUT_RB_LEAK reserves a ring buffer record and never submits it.
 * corpus-eras: cpu-v1 cpu-v3 O1
 */
#include "corpus.h"

#define SCRATCH_SZ 4096
#define SCRATCH_MASK (SCRATCH_SZ / 2 - 1)
#define ARG_MAX 256
#define NR_OPENAT 257
#define NR_EXECVE 59

struct evt_hdr {
	__u64 ts;
	__u64 pid_tgid;
	__u32 len;
	__u16 type;
	__u16 nparams;
};

struct scratch {
	struct evt_hdr hdr;
	__u32 off;
	__u32 pad;
	char data[SCRATCH_SZ];
};

/* struct pt_regs of x86-64, as the raw tracepoint's first argument points to it */
struct user_regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs,
		flags, sp, ss;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} frame_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u32);
} syscall_fillers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u8);
} interesting_syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

static __always_inline struct scratch *get_frame(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&frame_scratch, &zero);
}

static __always_inline void frame_start(struct scratch *s, __u16 type)
{
	s->hdr.ts = bpf_ktime_get_ns();
	s->hdr.pid_tgid = bpf_get_current_pid_tgid();
	s->hdr.type = type;
	s->hdr.nparams = 0;
	s->off = 0;
}

/* Append a user string; the offset stays inside the first half of the frame. */
static __always_inline int push_user_str(struct scratch *s, const void *uptr)
{
	__u32 off = s->off;
	long n;

#ifndef MUT_UNMASKED_OFF
	off &= SCRATCH_MASK;
#endif
	n = bpf_probe_read_user_str(&s->data[off], ARG_MAX, uptr);
	if (n < 0)
		n = 0;
	s->off = off + (__u32)n;
	s->hdr.nparams++;
	return 0;
}

static __always_inline void push_u64(struct scratch *s, __u64 v)
{
	__u32 off = s->off & SCRATCH_MASK;

	__builtin_memcpy(&s->data[off], &v, sizeof(v));
	s->off = off + sizeof(v);
	s->hdr.nparams++;
}

static __always_inline int frame_submit(struct scratch *s)
{
	__u32 len = s->off & SCRATCH_MASK;
	void *rec;

	s->hdr.len = len;
	rec = bpf_ringbuf_reserve(&events, sizeof(struct evt_hdr) + SCRATCH_MASK + 1, 0);
	if (!rec)
		return 0;
	__builtin_memcpy(rec, &s->hdr, sizeof(s->hdr));
	if (bpf_probe_read_kernel((char *)rec + sizeof(struct evt_hdr), SCRATCH_MASK + 1, s->data))
		__builtin_memset((char *)rec + sizeof(struct evt_hdr), 0, 8);
#ifdef MUT_RB_LEAK
	if (len > 64)
		return 0;
#endif
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 id = (__u32)ctx->args[1];
	__u8 *on;

	if (id >= 512)
		return 0;
	on = bpf_map_lookup_elem(&interesting_syscalls, &id);
	if (!on || !*on)
		return 0;
	bpf_tail_call(ctx, &syscall_fillers, id);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int fill_openat(struct bpf_raw_tracepoint_args *ctx)
{
	struct user_regs *regs = (void *)ctx->args[0];
	struct scratch *s = get_frame();
	__u64 dirfd = 0, path = 0, flags = 0;

	if (!s)
		return 0;
	bpf_probe_read_kernel(&dirfd, sizeof(dirfd), &regs->di);
	bpf_probe_read_kernel(&path, sizeof(path), &regs->si);
	bpf_probe_read_kernel(&flags, sizeof(flags), &regs->dx);
	frame_start(s, NR_OPENAT);
	push_u64(s, dirfd);
	push_user_str(s, (const void *)path);
	push_u64(s, flags);
	return frame_submit(s);
}

SEC("raw_tracepoint/sys_enter")
int fill_execve(struct bpf_raw_tracepoint_args *ctx)
{
	struct user_regs *regs = (void *)ctx->args[0];
	struct scratch *s = get_frame();
	__u64 filename = 0, argv = 0, arg;
	int i;

	if (!s)
		return 0;
	bpf_probe_read_kernel(&filename, sizeof(filename), &regs->di);
	bpf_probe_read_kernel(&argv, sizeof(argv), &regs->si);
	frame_start(s, NR_EXECVE);
	push_user_str(s, (const void *)filename);
	for (i = 0; i < 6; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), (void *)(argv + i * sizeof(__u64))) || !arg)
			break;
		push_user_str(s, (const void *)arg);
	}
	return frame_submit(s);
}

SEC("raw_tracepoint/sys_exit")
int sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct scratch *s = get_frame();

	if (!s)
		return 0;
	frame_start(s, 0xffff);
	push_u64(s, (__u64)ctx->args[1]);
	return frame_submit(s);
}
