// SPDX-License-Identifier: BSD-2-Clause
/*
 * cgroup_skb_tcp_info.bpf.c - cgroup/skb ingress: sample TCP state of the
 * sockets a cgroup receives on, as container monitoring agents do: skb->sk
 * (a sock_common, or NULL), its full socket (bpf_sk_fullsock), its
 * tcp_sock (bpf_tcp_sock) and its cgroup (bpf_sk_cgroup_id), then ECN
 * marking when the congestion window collapsed.  No reference is taken:
 * the skb holds the socket.  The sample is filled field by field: bpf-gcc
 * would keep a zeroed one's 0 in a register and null-check against it,
 * which Linux does not take for a null check.  MUT_FULLSOCK_UNCHECKED reads the full socket
 * before its NULL check, MUT_SK_WRITE writes into the socket.
 */
#include "corpus.h"

struct tcp_sample {
	__u64 cgroup;
	__u64 bytes_acked;
	__u32 snd_cwnd;
	__u32 srtt_us;
	__u32 state;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct tcp_sample);
} tcp_samples SEC(".maps");

SEC("cgroup_skb/ingress")
int cgroup_skb_tcp_info(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct tcp_sample s;
	struct bpf_tcp_sock *tp;
	__u32 port;

	if (!sk)
		return 1;
	if (sk->family != 2 /* AF_INET */)
		return 1;
	port = sk->src_port;
	sk = bpf_sk_fullsock(sk);
#ifdef MUT_FULLSOCK_UNCHECKED
	s.state = sk->type;
#endif
	if (!sk)
		return 1;
#ifdef MUT_SK_WRITE
	sk->mark = 1;
#endif
	if (sk->protocol != IPPROTO_TCP)
		return 1;
	s.state = sk->state;
	s.cgroup = bpf_sk_cgroup_id(sk);
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	s.snd_cwnd = tp->snd_cwnd;
	s.srtt_us = tp->srtt_us >> 3;
	s.bytes_acked = tp->bytes_acked;
	s.pad = 0;
	bpf_map_update_elem(&tcp_samples, &port, &s, BPF_ANY);
	if (s.snd_cwnd < 2)
		bpf_skb_ecn_set_ce(skb);
	return 1;
}
