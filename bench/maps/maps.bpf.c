// SPDX-License-Identifier: BSD-2-Clause
/*
 * maps.bpf.c - the programs of the map benchmark (bench/maps/mapbench.c).
 * For each of array, hash, lru_hash, percpu_array and percpu_hash there is
 * one XDP program that looks up MAP_BENCH_OPS prefilled keys and one that
 * updates them, so a run is MAP_BENCH_OPS map operations.  A program
 * returns XDP_PASS only when every operation did what it should (the
 * lookups found the prefilled values, the updates returned 0), so the
 * runner can tell a fast wrong answer from a fast right one.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "mapbench.h"

#define BENCH_MAP(name, map_type, entries)				\
	struct {						\
		__uint(type, map_type);				\
		__uint(max_entries, entries);			\
		__type(key, __u32);				\
		__type(value, __u64);				\
	} name SEC(".maps")

BENCH_MAP(m_array, BPF_MAP_TYPE_ARRAY, MAP_BENCH_OPS);
BENCH_MAP(m_hash, BPF_MAP_TYPE_HASH, MAP_BENCH_OPS);
/* room beyond the working set: an LRU update replaces the element */
BENCH_MAP(m_lru, BPF_MAP_TYPE_LRU_HASH, MAP_BENCH_LRU_ENTRIES);
BENCH_MAP(m_pcpu_array, BPF_MAP_TYPE_PERCPU_ARRAY, MAP_BENCH_OPS);
BENCH_MAP(m_pcpu_hash, BPF_MAP_TYPE_PERCPU_HASH, MAP_BENCH_OPS);

/* Every key holds MAP_BENCH_VALUE(key) (per-CPU maps: on every CPU). */
#define BENCH_LOOKUP(name, map)						\
	int lookup_##name(struct xdp_md *ctx);				\
	SEC("xdp") int lookup_##name(struct xdp_md *ctx __attribute__((unused)))	\
	{								\
		__u64 sum = 0, *v;					\
		__u32 i, k;						\
									\
		for (i = 0; i < MAP_BENCH_OPS; i++) {			\
			k = i;						\
			v = bpf_map_lookup_elem(&map, &k);		\
			if (!v)						\
				return XDP_DROP;			\
			sum += *v;					\
		}							\
		return sum == MAP_BENCH_SUM ? XDP_PASS : XDP_ABORTED;	\
	}

/* Writes MAP_BENCH_VALUE(key) back, so the lookups still find it. */
#define BENCH_UPDATE(name, map)						\
	int update_##name(struct xdp_md *ctx);				\
	SEC("xdp") int update_##name(struct xdp_md *ctx __attribute__((unused)))	\
	{								\
		__u64 v;						\
		__u32 i, k;						\
									\
		for (i = 0; i < MAP_BENCH_OPS; i++) {			\
			k = i;						\
			v = MAP_BENCH_VALUE(i);				\
			if (bpf_map_update_elem(&map, &k, &v, BPF_ANY))	\
				return XDP_DROP;			\
		}							\
		return XDP_PASS;					\
	}

BENCH_LOOKUP(array, m_array)
BENCH_UPDATE(array, m_array)
BENCH_LOOKUP(hash, m_hash)
BENCH_UPDATE(hash, m_hash)
BENCH_LOOKUP(lru_hash, m_lru)
BENCH_UPDATE(lru_hash, m_lru)
BENCH_LOOKUP(percpu_array, m_pcpu_array)
BENCH_UPDATE(percpu_array, m_pcpu_array)
BENCH_LOOKUP(percpu_hash, m_pcpu_hash)
BENCH_UPDATE(percpu_hash, m_pcpu_hash)

char LICENSE[] SEC("license") = "GPL";
