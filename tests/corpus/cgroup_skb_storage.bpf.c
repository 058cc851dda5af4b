// SPDX-License-Identifier: BSD-2-Clause
/*
 * cgroup_skb_storage.bpf.c - cgroup/skb ingress accounting in cgroup local
 * storage, as Linux's samples/bpf and selftests netcnt: packets and bytes
 * of the cgroup, updated atomically, and a per-CPU count of what arrived.
 * bpf_get_local_storage() returns the storage, value_size bytes:
 * MUT_STORAGE_OOB writes past it; MUT_STORAGE_LOOKUP looks it up with
 * bpf_map_lookup_elem, which cgroup storage refuses, as socket storage
 * does (MUT_SK_STORAGE_LOOKUP: only bpf_sk_storage_get reaches it).
 */
#include "corpus.h"

struct netcnt {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, struct netcnt);
} netcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} percpu_netcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct netcnt);
} sk_netcnt SEC(".maps");

SEC("cgroup_skb/ingress")
int cgroup_skb_storage(struct __sk_buff *skb)
{
	struct netcnt *cnt;
	__u64 *pcnt;

	cnt = bpf_get_local_storage(&netcnt, 0);
	pcnt = bpf_get_local_storage(&percpu_netcnt, 0);
	__sync_fetch_and_add(&cnt->packets, 1);
	__sync_fetch_and_add(&cnt->bytes, skb->len);
	*pcnt += 1;
#ifdef MUT_STORAGE_OOB
	cnt[1].packets = 0;
#endif
#ifdef MUT_STORAGE_LOOKUP
	struct bpf_cgroup_storage_key key = {};

	if (bpf_map_lookup_elem(&netcnt, &key))
		return 0;
#endif
#ifdef MUT_SK_STORAGE_LOOKUP
	int fd = 0;

	cnt = bpf_map_lookup_elem(&sk_netcnt, &fd);
	if (cnt)
		cnt->packets++;
#endif
	return 1;
}
