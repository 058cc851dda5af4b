// SPDX-License-Identifier: BSD-2-Clause
/*
 * ipv4_count.bpf.c - the demo's libbpf object: an XDP program that parses
 * Ethernet and IPv4 and counts packets per IP protocol in a BTF-defined hash
 * map.  Non-IPv4 and truncated frames are counted under key 0xffff and
 * dropped; IPv4 frames pass.  Loaded with `userbpf prog load`, which hands
 * it to libbpf routed to userbpf's bpf(2).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static void count(__u32 key)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(&counts, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
}

SEC("xdp")
int ipv4_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) {
		count(0xffff);
		return XDP_DROP;
	}
	count(ip->protocol);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
