// SPDX-License-Identifier: BSD-2-Clause
/*
 * tailcall.bpf.c - tail calls through a BTF-defined prog array that libbpf
 * fills at load time: entry jumps to slot args[0], tail1 on to tail2, and a
 * program that tail-calls itself runs until Linux's limit of 33 tail calls.
 * An empty slot falls through to the instruction after the call.  Raw
 * tracepoint programs, since Linux allows no prog array in (sleepable)
 * syscall programs; the trail of calls is left in the .bss variable out.
 */
#include "common.bpf.h"

int tail1(struct bpf_raw_tracepoint_args *ctx);
int tail2(struct bpf_raw_tracepoint_args *ctx);
int self(struct bpf_raw_tracepoint_args *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 5);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct bpf_raw_tracepoint_args *));
} jmp SEC(".maps") = {
	.values = {
		[1] = (void *)&tail1,
		[2] = (void *)&tail2,
		[3] = (void *)&self,
	},
};

__u64 out;

SEC("raw_tp/ubf_entry")
int entry(struct bpf_raw_tracepoint_args *ctx)
{
	out = 1;
	bpf_tail_call(ctx, &jmp, (__u32)ctx->args[0]);
	return 7;	/* only when the slot is empty */
}

SEC("raw_tp/ubf_tail1")
int tail1(struct bpf_raw_tracepoint_args *ctx)
{
	out = out * 10 + 1;
	bpf_tail_call(ctx, &jmp, 2);
	return 8;
}

SEC("raw_tp/ubf_tail2")
int tail2(struct bpf_raw_tracepoint_args *ctx)
{
	out = out * 10 + 2;
	return 42;
}

SEC("raw_tp/ubf_self")
int self(struct bpf_raw_tracepoint_args *ctx)
{
	out++;
	bpf_tail_call(ctx, &jmp, 3);
	return (int)out;	/* after the 33rd tail call */
}

char LICENSE[] SEC("license") = "GPL";
