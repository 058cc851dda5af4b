// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_telemetry_signed.bpf.c - XDP: in-band telemetry records in UDP (a
 * signed hop delta, clock skew and drift per probe), folded per path into
 * a signed running sum, mean and a histogram of drift modulo 16, the
 * signed arithmetic a clang 18+ build with -mcpu=v4 turns into
 * sign-extending loads and moves, sdiv and smod.  MUT_SIGNED_IDX bounds
 * the histogram slot only from above, so a negative remainder indexes
 * before the array.
 * corpus-eras: cpu-v1 cpu-v3 cpu-v4
 */
#include "corpus.h"

#define TLM_PORT 5555
#define NBUCKETS 16
#define NPATHS 64

struct tlm_rec {
	__s8 hop_delta;
	__s8 path;
	__s16 skew_us;
	__s32 drift_ns;
};

struct path_stats {
	__s64 drift_sum;
	__s64 drift_mean;
	__s64 skew_min;
	__s64 count;
	__u64 hist[NBUCKETS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NPATHS);
	__type(key, __u32);
	__type(value, struct path_stats);
} path_stats SEC(".maps");

/*
 * Signed division and remainder, truncating toward zero as C's: sdiv and
 * smod when the target has them (clang 18+ with -mcpu=v4), otherwise on
 * the magnitudes, as programs built for older CPUs do it.
 */
static __always_inline __s64 s64_div(__s64 a, __s64 b)
{
#ifdef __BPF_FEATURE_SDIV_SMOD
	return a / b;
#else
	__u64 ua = a < 0 ? -a : a, ub = b < 0 ? -b : b, q;

	/* or gcc 12 turns this back into a call to libgcc's __divdi3 */
	barrier_var(ua);
	q = ua / ub;
	return (a < 0) != (b < 0) ? -(__s64)q : (__s64)q;
#endif
}

static __always_inline __s64 s64_mod(__s64 a, __s64 b)
{
#ifdef __BPF_FEATURE_SDIV_SMOD
	return a % b;
#else
	__u64 ua = a < 0 ? -a : a, ub = b < 0 ? -b : b, r;

	barrier_var(ua);
	r = ua % ub;
	return a < 0 ? -(__s64)r : (__s64)r;
#endif
}

static __always_inline int fold(struct path_stats *st, const struct tlm_rec *r)
{
	__s64 drift = r->drift_ns;
	__s64 skew = r->skew_us;
	__s64 slot;

	drift += r->hop_delta;
	st->drift_sum += drift;
	st->count++;
	st->drift_mean = s64_div(st->drift_sum, st->count);
	if (skew < st->skew_min)
		st->skew_min = skew;
	slot = s64_mod(drift, NBUCKETS);
	/* the compiler knows -16 < slot < 16; the verifier must be shown */
	barrier_var(slot);
#ifdef MUT_SIGNED_IDX
	if (slot >= NBUCKETS)
		return -1;
#else
	if (slot < 0 || slot >= NBUCKETS)
		return -1;
#endif
	st->hist[slot]++;
	return 0;
}

SEC("xdp")
int xdp_telemetry_signed(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct path_stats *st;
	struct tlm_rec *rec;
	struct udphdr *udp;
	struct iphdr *ip;
	__u32 key;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP || ip->ihl != 5)
		return XDP_PASS;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end || udp->dest != bpf_htons(TLM_PORT))
		return XDP_PASS;
	rec = (void *)(udp + 1);
	if ((void *)(rec + 1) > data_end)
		return XDP_DROP;
	key = (__u32)(__s32)rec->path % NPATHS;
	st = bpf_map_lookup_elem(&path_stats, &key);
	if (!st)
		return XDP_ABORTED;
	return fold(st, rec) ? XDP_DROP : XDP_PASS;
}
