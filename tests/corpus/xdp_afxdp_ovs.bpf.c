// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_afxdp_ovs.bpf.c - the XDP side of an AF_XDP datapath, as Open
 * vSwitch's netdev-afxdp loads it (libbpf's xsk default program): hand
 * the frame to the AF_XDP socket of its receive queue if one is bound,
 * else to the stack.  An xskmap lookup is a socket programs may only read
 * the queue_id of: MUT_XSK_WRITE writes it, MUT_XSK_NULL reads it without
 * the null check, MUT_XSK_OOB reads past it.
 */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} xsk_misses SEC(".maps");

SEC("xdp")
int xsk_def_prog(struct xdp_md *ctx)
{
	__u32 index = ctx->rx_queue_index;
	__u32 *qid;
	__u64 *miss;
	long ret;

	ret = bpf_redirect_map(&xsks_map, index, XDP_PASS);
	if (ret > 0)
		return ret;
	/* kernels before 5.3 ignore the default action in the flags */
	qid = bpf_map_lookup_elem(&xsks_map, &index);
#ifdef MUT_XSK_NULL
	if (*qid != index)
		return XDP_DROP;
#endif
	if (qid) {
#ifdef MUT_XSK_WRITE
		*qid = index;
#endif
#ifdef MUT_XSK_OOB
		if (qid[1] != index)
			return XDP_DROP;
#endif
		if (*qid == index)
			return bpf_redirect_map(&xsks_map, index, 0);
	}
	miss = bpf_map_lookup_elem(&xsk_misses, &index);
	if (miss)
		*miss += 1;
	return XDP_PASS;
}
