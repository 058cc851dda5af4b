// SPDX-License-Identifier: BSD-2-Clause
/*
 * tp_execve_argv.bpf.c - tracepoint syscalls/sys_enter_execve: copy up
 * to 8 argument pointers and the first bytes of each argument from user
 * memory in a bounded loop into a per-CPU buffer, then emit it to a ring
 * buffer, as execsnoop-style tools do.  MUT_ARG_IDX_OOB writes argument
 * slot i for i up to 8 inclusive, one past the 8-slot array.
 */
#include "corpus.h"

#define MAX_ARGS 8
#define ARG_SZ 32

struct sys_enter_execve_args {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__u64 filename;
	__u64 argv;
	__u64 envp;
};

struct exec_args {
	__u32 pid;
	__u32 argc;
	char args[MAX_ARGS][ARG_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_args);
} exec_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} execs SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int tp_execve_argv(struct sys_enter_execve_args *ctx)
{
	const char *const *argv = (const char *const *)ctx->argv;
	struct exec_args *e;
	const char *arg;
	__u32 zero = 0;
	int i;

	e = bpf_map_lookup_elem(&exec_buf, &zero);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->argc = 0;
#ifdef MUT_ARG_IDX_OOB
	for (i = 0; i <= MAX_ARGS; i++) {
#else
	for (i = 0; i < MAX_ARGS; i++) {
#endif
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		bpf_probe_read_user_str(e->args[i], ARG_SZ, arg);
		e->argc++;
	}
	bpf_ringbuf_output(&execs, e, sizeof(*e), 0);
	return 0;
}
