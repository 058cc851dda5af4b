// SPDX-License-Identifier: BSD-2-Clause
/*
 * tp_openat_path.bpf.c - tracepoint syscalls/sys_enter_openat: copy the
 * user-space path (bpf_probe_read_user_str) and flags into a ring buffer
 * record, in the style of Falco's syscall fillers.  MUT_PATH_OOB tells
 * the helper the path buffer is one byte larger than the reservation
 * holds; MUT_CTX_OOB reads an argument past the tracepoint's record.
 */
#include "corpus.h"

#define PATH_SZ 256

/* The record of syscalls:sys_enter_openat (see its format file). */
struct sys_enter_openat_args {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__u64 dfd;
	__u64 filename;
	__u64 flags;
	__u64 mode;
};

struct path_event {
	__u32 pid;
	__u32 flags;
	char path[PATH_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} paths SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat_path(struct sys_enter_openat_args *ctx)
{
	struct path_event *e;

	e = bpf_ringbuf_reserve(&paths, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
#ifdef MUT_CTX_OOB
	e->flags = ((__u64 *)ctx)[1024];
#else
	e->flags = ctx->flags;
#endif
#ifdef MUT_PATH_OOB
	bpf_probe_read_user_str(e->path, PATH_SZ + 1, (const void *)ctx->filename);
#else
	bpf_probe_read_user_str(e->path, PATH_SZ, (const void *)ctx->filename);
#endif
	bpf_ringbuf_submit(e, 0);
	return 0;
}
