// SPDX-License-Identifier: BSD-2-Clause
/*
 * maps.bpf.c - the object the Go test loads with cilium/ebpf under
 * `userbpf exec`: a BTF-defined hash map and a socket filter that returns
 * the value stored under key 1.  Compiled by clang at test time.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("socket")
int read_value(void *ctx)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_elem(&values, &key);

	return v ? (int)*v : -1;
}

char _license[] SEC("license") = "GPL";
