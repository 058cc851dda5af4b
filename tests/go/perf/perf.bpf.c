// SPDX-License-Identifier: BSD-2-Clause
/*
 * perf.bpf.c - an XDP program (cilium/ebpf's Program.Test passes a packet)
 * that sends {seq, cpu, 3 * seq} to the calling CPU's perf event, seq being
 * the packet's first four bytes; tests/go/perf/main.go reads the samples
 * with perf.NewReader.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct sample {
	__u32 seq;
	__u32 cpu;
	__u64 val;
};

SEC("xdp")
int emit(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct sample s;

	if (data + 4 > end)
		return XDP_ABORTED;
	s.seq = *(__u32 *)data;
	s.cpu = bpf_get_smp_processor_id();
	s.val = (__u64)s.seq * 3;
	return bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &s, sizeof(s)) ? XDP_DROP :
										       XDP_PASS;
}

char _license[] SEC("license") = "GPL";
