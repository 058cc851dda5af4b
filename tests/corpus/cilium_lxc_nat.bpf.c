// SPDX-License-Identifier: BSD-2-Clause
/*
 * cilium_lxc_nat.bpf.c - a tc datapath in the style of Cilium's per-endpoint
 * programs: an entry program parses Ethernet and IPv4 or IPv6, then tail
 * calls a per-family stage through a prog_array; the IPv4 stage looks the
 * flow up in an LRU conntrack table, finds a service by address and port,
 * picks a backend by the flow hash, rewrites the destination with the csum
 * helpers (DNAT), counts per CPU and reports new flows by perf event
 * output.  Sections come from a __section() macro and the stages are large
 * __always_inline functions, as in Cilium's headers.
 * MUT_CT_NO_NULL uses the conntrack entry without its null check;
 * MUT_L4_NO_BOUNDS reads the ports without checking data_end.
 * corpus-eras: cpu-v1 cpu-v2 cpu-v3 O1
 */
#include "corpus.h"

#define __section(NAME) __attribute__((section(NAME), used))
#define CILIUM_CALL_IPV4 1
#define CILIUM_CALL_IPV6 2
#define METRIC_FORWARD 0
#define METRIC_DROP 1
#define METRIC_NEW_FLOW 2
#define METRICS_MAX 4
#define BACKENDS_PER_SVC 8

struct ct_key4 {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct ct_entry {
	__u64 packets;
	__u64 bytes;
	__u32 backend_id;
	__u32 flags;
};

struct svc_key {
	__be32 addr;
	__be16 port;
	__u16 pad;
};

struct svc_val {
	__u32 count;
	__u32 backend_base;
};

struct backend {
	__be32 addr;
	__be16 port;
	__u16 pad;
};

struct metric {
	__u64 packets;
	__u64 bytes;
};

struct flow_event {
	__be32 saddr;
	__be32 daddr;
	__be16 dport;
	__u8 proto;
	__u8 pad;
	__u32 backend_id;
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} cilium_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct ct_key4);
	__type(value, struct ct_entry);
} cilium_ct4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct svc_key);
	__type(value, struct svc_val);
} cilium_svc4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct backend);
} cilium_backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, METRICS_MAX);
	__type(key, __u32);
	__type(value, struct metric);
} cilium_metrics SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} cilium_events SEC(".maps");

static __always_inline void update_metrics(__u32 reason, __u64 len)
{
	struct metric *m = bpf_map_lookup_elem(&cilium_metrics, &reason);

	if (m) {
		m->packets++;
		m->bytes += len;
	}
}

/* A multiplicative mix of the 5-tuple, standing in for Cilium's jhash. */
static __always_inline __u32 flow_hash(const struct ct_key4 *k)
{
	__u32 h = k->saddr * 0x9e3779b1u;

	h ^= k->daddr + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= ((__u32)k->sport << 16 | k->dport) + (h << 6) + (h >> 2);
	return h ^ k->proto;
}

static __always_inline int drop(struct __sk_buff *skb)
{
	update_metrics(METRIC_DROP, skb->len);
	return TC_ACT_SHOT;
}

#define L3_OFF sizeof(struct ethhdr)
#define L4_OFF (sizeof(struct ethhdr) + sizeof(struct iphdr))

static __always_inline int lb4_dnat(struct __sk_buff *skb, const struct ct_key4 *key,
				    const struct backend *be)
{
	int l4_csum_off = key->proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
						       offsetof(struct udphdr, check);
	int l3_off = L3_OFF, l4_off = L4_OFF;
	__be32 old_addr = key->daddr;
	__be16 old_port = key->dport;
	__be32 new_addr = be->addr;
	__be16 new_port = be->port;

	if (bpf_l4_csum_replace(skb, l4_off + l4_csum_off, old_addr, new_addr,
				BPF_F_PSEUDO_HDR | sizeof(new_addr)) < 0)
		return -1;
	if (bpf_l3_csum_replace(skb, l3_off + offsetof(struct iphdr, check), old_addr, new_addr,
				sizeof(new_addr)) < 0)
		return -1;
	if (bpf_skb_store_bytes(skb, l3_off + offsetof(struct iphdr, daddr), &new_addr,
				sizeof(new_addr), 0) < 0)
		return -1;
	if (new_port != old_port) {
		if (bpf_l4_csum_replace(skb, l4_off + l4_csum_off, old_port, new_port,
					sizeof(new_port)) < 0)
			return -1;
		if (bpf_skb_store_bytes(skb, l4_off + offsetof(struct tcphdr, dest), &new_port,
					sizeof(new_port), 0) < 0)
			return -1;
	}
	return 0;
}

static __always_inline int handle_ipv4(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct ct_key4 key = {};
	struct svc_key skey = {};
	struct flow_event ev = {};
	struct ct_entry *ct, fresh = {};
	struct svc_val *svc;
	struct backend *be;
	__be16 *ports;
	__u32 slot;

	if ((void *)(ip + 1) > data_end)
		return drop(skb);
	if (ip->ihl != 5 || (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP))
		return TC_ACT_OK;
	ports = (void *)(ip + 1);
#ifndef MUT_L4_NO_BOUNDS
	if ((void *)(ports + 2) > data_end)
		return drop(skb);
#endif
	key.saddr = ip->saddr;
	key.daddr = ip->daddr;
	key.sport = ports[0];
	key.dport = ports[1];
	key.proto = ip->protocol;

	ct = bpf_map_lookup_elem(&cilium_ct4, &key);
#ifdef MUT_CT_NO_NULL
	ct->packets++;
#endif
	if (ct) {
		ct->packets++;
		ct->bytes += skb->len;
		be = bpf_map_lookup_elem(&cilium_backends, &ct->backend_id);
		if (!be)
			return drop(skb);
		goto rewrite;
	}
	skey.addr = key.daddr;
	skey.port = key.dport;
	svc = bpf_map_lookup_elem(&cilium_svc4, &skey);
	if (!svc || !svc->count) {
		update_metrics(METRIC_FORWARD, skb->len);
		return TC_ACT_OK;
	}
	slot = svc->backend_base + flow_hash(&key) % svc->count;
	be = bpf_map_lookup_elem(&cilium_backends, &slot);
	if (!be)
		return drop(skb);
	fresh.backend_id = slot;
	fresh.packets = 1;
	fresh.bytes = skb->len;
	bpf_map_update_elem(&cilium_ct4, &key, &fresh, BPF_ANY);
	ev.saddr = key.saddr;
	ev.daddr = key.daddr;
	ev.dport = key.dport;
	ev.proto = key.proto;
	ev.backend_id = slot;
	bpf_perf_event_output(skb, &cilium_events, BPF_F_CURRENT_CPU, &ev, sizeof(ev));
	update_metrics(METRIC_NEW_FLOW, skb->len);
rewrite:
	if (lb4_dnat(skb, &key, be))
		return drop(skb);
	update_metrics(METRIC_FORWARD, skb->len);
	return TC_ACT_OK;
}

__section("tc")
int tail_handle_ipv4(struct __sk_buff *skb)
{
	return handle_ipv4(skb);
}

static __always_inline int handle_ipv6(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);
	__u8 nexthdr;
	int i;

	if ((void *)(ip6 + 1) > data_end)
		return drop(skb);
	nexthdr = ip6->nexthdr;
	/* skip up to four extension headers of 8 bytes each, as Cilium's ipv6_hdrlen() */
#pragma unroll
	for (i = 0; i < 4; i++) {
		__u8 *ext = (void *)(ip6 + 1) + i * 8;

		if (nexthdr != 0 && nexthdr != 60 && nexthdr != 43)
			break;
		if ((void *)(ext + 8) > data_end)
			return drop(skb);
		nexthdr = ext[0];
	}
	update_metrics(nexthdr == IPPROTO_TCP || nexthdr == IPPROTO_UDP ? METRIC_FORWARD :
									  METRIC_DROP,
		       skb->len);
	return TC_ACT_OK;
}

__section("tc")
int tail_handle_ipv6(struct __sk_buff *skb)
{
	return handle_ipv6(skb);
}

__section("tc")
int cil_from_container(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return drop(skb);
	skb->cb[0] = 0;
	switch (eth->h_proto) {
	case bpf_htons(ETH_P_IP):
		bpf_tail_call(skb, &cilium_calls, CILIUM_CALL_IPV4);
		break;
	case bpf_htons(ETH_P_IPV6):
		bpf_tail_call(skb, &cilium_calls, CILIUM_CALL_IPV6);
		break;
	default:
		return TC_ACT_OK;
	}
	return drop(skb);
}
