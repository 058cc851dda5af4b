// SPDX-License-Identifier: BSD-2-Clause
/*
 * tp_task_storage.bpf.c - per-task state in task local storage from a BTF
 * tracepoint, as runqslower-style tools and systemd's restrict-fs keep it:
 * on every context switch, the task being switched out remembers when and
 * how often.  Task storage is reached through bpf_task_storage_get():
 * MUT_STORAGE_MAP_LOOKUP uses bpf_map_lookup_elem on it, MUT_STORAGE_OOB
 * writes past the value, MUT_STORAGE_NULL uses it without the null check.
 */
#include "corpus.h"

struct task_struct;

struct task_stat {
	__u64 last_ns;
	__u64 switches;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_stat);
} task_stats SEC(".maps");

SEC("tp_btf/sched_switch")
int tp_task_storage(__u64 *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct task_stat *st;

#ifdef MUT_STORAGE_MAP_LOOKUP
	int key = 0;

	st = bpf_map_lookup_elem(&task_stats, &key);
#else
	st = bpf_task_storage_get(&task_stats, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
#endif
#ifndef MUT_STORAGE_NULL
	if (!st)
		return 0;
#endif
	st->last_ns = bpf_ktime_get_ns();
	st->switches++;
#ifdef MUT_STORAGE_OOB
	st[1].switches = 0;
#endif
	return 0;
}
