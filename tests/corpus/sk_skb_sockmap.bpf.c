// SPDX-License-Identifier: BSD-2-Clause
/*
 * sk_skb_sockmap.bpf.c - a socket splicing proxy on a sockmap, as Linux's
 * samples/bpf sockmap and Cilium's sockops acceleration: the stream
 * parser takes whole skbs, the verdict program redirects each to the peer
 * socket in the sockmap, and an sk_msg program redirects sendmsg data
 * through a sockhash keyed by the connection.  Programs of these types
 * reach the maps through the redirect helpers only: MUT_SOCKMAP_UPDATE
 * stores into the sockmap with bpf_map_update_elem, MUT_SOCKHASH_LOOKUP
 * looks a socket up and keeps it.
 */
#include "corpus.h"

struct sock_key {
	__u32 sip4;
	__u32 dip4;
	__u32 sport;
	__u32 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 20);
	__type(key, __u32);
	__type(value, __u32);
} sock_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1024);
	__type(key, struct sock_key);
	__type(value, __u32);
} sock_hash SEC(".maps");

SEC("sk_skb/stream_parser")
int prog_parser(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("sk_skb/stream_verdict")
int prog_verdict(struct __sk_buff *skb)
{
	__u32 idx = skb->local_port == 10000 ? 1 : 0;

#ifdef MUT_SOCKMAP_UPDATE
	__u32 fd = 0;

	bpf_map_update_elem(&sock_map, &idx, &fd, BPF_ANY);
#endif
	return bpf_sk_redirect_map(skb, &sock_map, idx, 0);
}

SEC("sk_msg")
int prog_msg(struct sk_msg_md *msg)
{
	struct sock_key key = {
		.sip4 = msg->remote_ip4,
		.dip4 = msg->local_ip4,
		.sport = msg->local_port,
		.dport = msg->remote_port >> 16,
	};

#ifdef MUT_SOCKHASH_LOOKUP
	if (bpf_map_lookup_elem(&sock_hash, &key))
		return SK_DROP;
#endif
	return bpf_msg_redirect_hash(msg, &sock_hash, &key, BPF_F_INGRESS);
}
