// SPDX-License-Identifier: BSD-2-Clause
/*
 * iter_task_seq.bpf.c - iter/task in the style of the kernel's
 * bpf_iter_task and bpftool's pids iterator: one line per task, printed
 * with BPF_SEQ_PRINTF (bpf_seq_printf) to the iterator's seq_file, and a
 * header with bpf_seq_write on the first call.  The task after the meta is
 * NULL once the walk ends: MUT_NO_NULL_CHECK reads it unchecked, which
 * Linux rejects; MUT_SEQ_IS_META passes the meta itself as the seq_file.
 * corpus-needs: vmlinux
 * corpus-eras: cpu-v2 O1
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

static const char header[] = "    tgid      pid comm\n";

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

#ifdef MUT_SEQ_IS_META
	seq = (struct seq_file *)ctx->meta;
#endif
#ifndef MUT_NO_NULL_CHECK
	if (!task)
		return 0;
#endif
	if (ctx->meta->seq_num == 0)
		bpf_seq_write(seq, header, sizeof(header) - 1);
	BPF_SEQ_PRINTF(seq, "%8d %8d %s\n", task->tgid, task->pid, task->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
