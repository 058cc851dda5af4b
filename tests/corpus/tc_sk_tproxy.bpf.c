// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc_sk_tproxy.bpf.c - tc ingress: steer TCP to a local proxy socket, the
 * shape of Cilium's tproxy and socket-LB paths.  The packet's tuple goes to
 * bpf_skc_lookup_tcp (any state) or, for a SYN, bpf_sk_lookup_tcp on the
 * proxy port; an established socket is kept when its full socket is one,
 * a listener is assigned to the skb with bpf_sk_assign, and every socket
 * reference is given back with bpf_sk_release.  MUT_SK_LEAK forgets the
 * release on one path, MUT_SK_USE_AFTER_RELEASE reads the socket's state
 * after releasing it, MUT_SK_UNCHECKED reads it before the NULL check.
 */
#include "corpus.h"

#define PROXY_PORT 15001

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} tproxy_stats SEC(".maps");

static __always_inline void count(__u32 what)
{
	__u64 *n = bpf_map_lookup_elem(&tproxy_stats, &what);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("tc")
int tc_sk_tproxy(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	struct iphdr *ip;
	struct tcphdr *tcp;
	long err;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end)
		return TC_ACT_OK;
	tuple.ipv4.saddr = ip->saddr;
	tuple.ipv4.daddr = ip->daddr;
	tuple.ipv4.sport = tcp->source;
	tuple.ipv4.dport = tcp->dest;

	/* an established flow keeps its socket */
	sk = (struct bpf_sock *)bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4),
						   BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		struct bpf_sock *full;

		if (sk->state == BPF_TCP_LISTEN) {
			bpf_sk_release(sk);
			goto proxy;
		}
		full = bpf_sk_fullsock(sk);
		if (full && full->protocol == IPPROTO_TCP)
			count(0);
		bpf_sk_release(sk);
		return TC_ACT_OK;
	}
proxy:
	if (!tcp->syn)
		return TC_ACT_OK;
	tuple.ipv4.dport = bpf_htons(PROXY_PORT);
	sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
#ifdef MUT_SK_UNCHECKED
	if (sk->state != BPF_TCP_LISTEN)
		count(3);
#endif
	if (!sk) {
		count(1);
		return TC_ACT_SHOT;
	}
	if (sk->state != BPF_TCP_LISTEN) {
#ifndef MUT_SK_LEAK
		bpf_sk_release(sk);
#endif
		return TC_ACT_OK;
	}
	err = bpf_sk_assign(skb, sk, 0);
	bpf_sk_release(sk);
#ifdef MUT_SK_USE_AFTER_RELEASE
	if (sk->state == BPF_TCP_LISTEN)
		count(3);
#endif
	count(err ? 1 : 2);
	return err ? TC_ACT_SHOT : TC_ACT_OK;
}
