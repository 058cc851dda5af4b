// SPDX-License-Identifier: BSD-2-Clause
/*
 * fentry_unlink.bpf.c - fentry/fexit on do_unlinkat in the style of
 * libbpf-bootstrap's fentry.bpf.c and bcc's filelife: the entry copies
 * struct filename's name into a per-thread record, the exit sends it with
 * the return value to a ring buffer (bpf_ringbuf_output).  Only kernels
 * with BPF trampolines load it.  MUT_BEYOND_STRUCT reads past the end of struct filename;
 * MUT_BTF_STORE writes its refcount.
 * corpus-needs: vmlinux trampoline
 * corpus-eras: cpu-v2 O1
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define NAME_SZ 128

struct unlink_event {
	__u32 pid;
	__s32 ret;
	char name[NAME_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct unlink_event);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} unlinks SEC(".maps");

SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_entry, int dfd, struct filename *name)
{
	struct unlink_event ev = {};
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	ev.pid = bpf_get_current_pid_tgid() >> 32;
#ifdef MUT_BEYOND_STRUCT
	ev.ret = ((__u32 *)name)[1 << 12];
#endif
#ifdef MUT_BTF_STORE
	name->refcnt.counter = 0;
#endif
	bpf_probe_read_kernel_str(ev.name, sizeof(ev.name), name->name);
	bpf_map_update_elem(&inflight, &tid, &ev, BPF_ANY);
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_exit, int dfd, struct filename *name, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct unlink_event *ev;

	ev = bpf_map_lookup_elem(&inflight, &tid);
	if (!ev)
		return 0;
	ev->ret = (__s32)ret;
	bpf_ringbuf_output(&unlinks, ev, sizeof(*ev), 0);
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
