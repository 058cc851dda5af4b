// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_redirect_cpu.bpf.c - spread packets over CPUs through a cpumap, as
 * Linux's samples/bpf xdp_redirect_cpu (round robin over the CPUs user
 * space made available, or by a hash of the IPv4 addresses).  Programs
 * redirect through a cpumap and nothing else: MUT_CPUMAP_LOOKUP looks a
 * slot up.
 */
#include "corpus.h"

#define MAX_CPUS 64

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, MAX_CPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__type(key, __u32);
	__type(value, __u32);
} cpus_available SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpus_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpus_iterator SEC(".maps");

SEC("xdp")
int xdp_prognum_cpu(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 key = 0, *cpu_iter, *cpu_max, *cpu_selected, cpu_idx, cpu_dest;

	cpu_max = bpf_map_lookup_elem(&cpus_count, &key);
	cpu_iter = bpf_map_lookup_elem(&cpus_iterator, &key);
	if (!cpu_max || !cpu_iter || !*cpu_max)
		return XDP_ABORTED;
	cpu_idx = *cpu_iter;
	if ((void *)(iph + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP))
		cpu_idx = (iph->saddr ^ iph->daddr) % *cpu_max;
	else if (++*cpu_iter >= *cpu_max)
		*cpu_iter = 0;
	cpu_selected = bpf_map_lookup_elem(&cpus_available, &cpu_idx);
	if (!cpu_selected)
		return XDP_ABORTED;
	cpu_dest = *cpu_selected;
#ifdef MUT_CPUMAP_LOOKUP
	if (!bpf_map_lookup_elem(&cpu_map, &cpu_dest))
		return XDP_PASS;
#endif
	if (cpu_dest >= MAX_CPUS)
		return XDP_ABORTED;
	return bpf_redirect_map(&cpu_map, cpu_dest, 0);
}
