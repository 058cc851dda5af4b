// SPDX-License-Identifier: BSD-2-Clause
/*
 * tp_btf_exec_rb.bpf.c - tp_btf/sched_process_exec in the style of
 * libbpf-bootstrap's bootstrap.bpf.c: read the new task and its
 * linux_binprm through their BTF pointers (tgid, the parent's tgid, the
 * binprm's argc and filename) into a ring buffer record.  MUT_BEYOND_STRUCT
 * reads past the end of struct task_struct; MUT_BTF_STORE writes through
 * the binprm pointer.
 * corpus-needs: vmlinux
 * corpus-eras: cpu-v2 O1
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define FILENAME_SZ 128

struct exec_event {
	__u32 pid;
	__u32 ppid;
	__s32 argc;
	__u32 pad;
	__u64 start_ns;
	char comm[16];
	char filename[FILENAME_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} exec_events SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct exec_event *e;

	e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = p->tgid;
	e->ppid = p->real_parent->tgid;
#ifdef MUT_BEYOND_STRUCT
	e->start_ns = ((__u64 *)p)[1 << 16];
#else
	e->start_ns = p->start_time;
#endif
#ifdef MUT_BTF_STORE
	bprm->argc = 0;
#endif
	e->argc = bprm->argc;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), bprm->filename);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
