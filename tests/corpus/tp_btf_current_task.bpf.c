// SPDX-License-Identifier: BSD-2-Clause
/*
 * tp_btf_current_task.bpf.c - tp_btf/sched_switch counting switches per
 * process of the current task, taken with bpf_get_current_task_btf() (a
 * trusted task_struct) rather than from the arguments, and sampling the
 * user stack pointer from bpf_task_pt_regs(), in the style of bcc's
 * libbpf-tools (cpudist, offcputime).  MUT_SCALAR_TASK passes
 * bpf_get_current_task()'s plain address to bpf_task_pt_regs;
 * MUT_TASK_STORE writes through the trusted pointer.
 * corpus-needs: vmlinux
 * corpus-eras: cpu-v2 O1
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct switch_stat {
	__u64 count;
	__u64 last_sp;
	__u32 ppid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct switch_stat);
} switches SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct switch_stat zero = {}, *st;
	struct pt_regs *regs;
	__u32 tgid = cur->tgid;

	if (!tgid)
		return 0;
	st = bpf_map_lookup_elem(&switches, &tgid);
	if (!st) {
		zero.ppid = cur->real_parent->tgid;
		bpf_map_update_elem(&switches, &tgid, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&switches, &tgid);
		if (!st)
			return 0;
	}
	__sync_fetch_and_add(&st->count, 1);
#ifdef MUT_SCALAR_TASK
	regs = (struct pt_regs *)bpf_task_pt_regs((struct task_struct *)bpf_get_current_task());
#else
	regs = (struct pt_regs *)bpf_task_pt_regs(cur);
#endif
	st->last_sp = regs->sp;
#ifdef MUT_TASK_STORE
	cur->prio = 0;
#endif
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
