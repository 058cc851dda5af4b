// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_unrolled_mix.bpf.c - XDP: a flow hash of fully unrolled mixing
 * rounds, the long straight-line code that generated programs (P4 and
 * packet-crypto compilers) emit.  Built by clang 18+ with -mcpu=v4, the
 * rounds are over 32767 instructions, so the branch over them needs gotol
 * and its 32-bit offset; older targets get a short version.
 * MUT_PAST_CHECK reads the second 8 bytes of the frame, after the rounds,
 * having proven only the first 8.
 * corpus-eras: cpu-v4 cpu-v4+MUT_PAST_CHECK
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} flow_mix SEC(".maps");

#define MIX(n)                          \
	do {                            \
		h ^= h >> ((n) % 61 + 1); \
		h += (n);               \
	} while (0)
#define MIX10(n)                                                                       \
	MIX(n##0); MIX(n##1); MIX(n##2); MIX(n##3); MIX(n##4); MIX(n##5); MIX(n##6); \
	MIX(n##7); MIX(n##8); MIX(n##9)
#define MIX100(n)                                                                   \
	MIX10(n##0); MIX10(n##1); MIX10(n##2); MIX10(n##3); MIX10(n##4); MIX10(n##5); \
	MIX10(n##6); MIX10(n##7); MIX10(n##8); MIX10(n##9)
#define MIX1000(n)                                                                        \
	MIX100(n##0); MIX100(n##1); MIX100(n##2); MIX100(n##3); MIX100(n##4); MIX100(n##5); \
	MIX100(n##6); MIX100(n##7); MIX100(n##8); MIX100(n##9)

SEC("xdp")
int xdp_unrolled_mix(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	__u32 key = 0;
	__u64 *out, h;

	out = bpf_map_lookup_elem(&flow_mix, &key);
	if (!out)
		return XDP_PASS;
	if (data + 8 > data_end)
		return XDP_DROP;
	h = *(__u64 *)data;
	if (h & 1) {
#ifdef __BPF_FEATURE_GOTOL
		MIX1000(1); MIX1000(2); MIX1000(3); MIX1000(4); MIX1000(5);
		MIX1000(6); MIX1000(7); MIX1000(8); MIX1000(9);
#else
		MIX100(1); MIX100(2);
#endif
	}
#ifdef MUT_PAST_CHECK
	h ^= *(__u64 *)(data + 8);
#endif
	*out = h;
	return XDP_PASS;
}
