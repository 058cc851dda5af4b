// SPDX-License-Identifier: BSD-2-Clause
/*
 * kprobe_open_rb.bpf.c - kprobe on do_sys_openat2: send an event (pid,
 * uid, comm, timestamp) per call through a ring buffer, reserve then
 * submit, as Falco's and bcc's opensnoop-style tools do.
 * MUT_RB_NO_NULL fills the reservation without checking it;
 * MUT_RB_LEAK forgets to submit or discard it on one path;
 * MUT_RB_DOUBLE_SUBMIT submits it twice.
 */
#include "corpus.h"

struct open_event {
	__u32 pid;
	__u32 uid;
	__u64 ts;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} open_events SEC(".maps");

SEC("kprobe/do_sys_openat2")
int kprobe_open_rb(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct open_event *e;

	e = bpf_ringbuf_reserve(&open_events, sizeof(*e), 0);
#ifndef MUT_RB_NO_NULL
	if (!e)
		return 0;
#endif
	e->pid = id >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (e->pid == 0) {
#ifndef MUT_RB_LEAK
		bpf_ringbuf_discard(e, 0);
#endif
		return 0;
	}
	bpf_ringbuf_submit(e, 0);
#ifdef MUT_RB_DOUBLE_SUBMIT
	bpf_ringbuf_submit(e, 0);
#endif
	return 0;
}
