// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_ops_rtt.bpf.c - sockops: per-connection RTT and retransmission
 * counters, as tcp-rtt tools and Cilium's sockops programs collect them.
 * The callback flags ask for RTT events once a connection is established;
 * ctx->sk (a socket, or NULL) gives the tcp_sock whose srtt the RTT
 * callback records.  MUT_SK_UNCHECKED reads ctx->sk before its NULL check.
 */
#include "corpus.h"

struct rtt {
	__u32 srtt_us;
	__u32 retrans;
	__u64 bytes_received;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct rtt);
} rtts SEC(".maps");

SEC("sockops")
int sock_ops_rtt(struct bpf_sock_ops *skops)
{
	struct bpf_sock *sk = skops->sk;
	struct bpf_tcp_sock *tp;
	struct rtt r = {};
	__u64 key;

	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_RTT_CB_FLAG);
		return 1;
	case BPF_SOCK_OPS_RTT_CB:
		break;
	default:
		return 1;
	}
#ifdef MUT_SK_UNCHECKED
	key = sk->dst_port;
#endif
	if (!sk)
		return 1;
	key = (__u64)sk->dst_ip4 << 32 | sk->dst_port;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	r.srtt_us = tp->srtt_us >> 3;
	r.retrans = tp->total_retrans;
	r.bytes_received = tp->bytes_received;
	bpf_map_update_elem(&rtts, &key, &r, BPF_ANY);
	return 1;
}
