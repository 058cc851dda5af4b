// SPDX-License-Identifier: BSD-2-Clause
/*
 * cgroup_skb_count.bpf.c - cgroup/skb egress: account bytes per protocol
 * for the cgroup and refuse traffic to a blocked port, like systemd's
 * IP accounting and firewall programs.  An egress cgroup skb program
 * returns 0 to 3 (bit 1: congestion notification): MUT_RETVAL_RANGE
 * returns 4.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_bytes SEC(".maps");

SEC("cgroup_skb/egress")
int cgroup_skb_count(struct __sk_buff *skb)
{
	__u32 proto = skb->protocol;
	__u64 *bytes, len = skb->len;

	bytes = bpf_map_lookup_elem(&proto_bytes, &proto);
	if (bytes)
		*bytes += len;
	else
		bpf_map_update_elem(&proto_bytes, &proto, &len, BPF_ANY);
	if (skb->remote_port == bpf_htonl(23 << 16))
#ifdef MUT_RETVAL_RANGE
		return 4;
#else
		return 0;
#endif
	return 1;
}
