// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_meta_mark.bpf.c - XDP: store a classification mark in the metadata
 * area in front of the packet (bpf_xdp_adjust_meta), for a TC program to
 * pick up, as Cilium does for its XDP-to-TC hand-over.  The metadata must
 * be proven against data before it is written: MUT_META_UNCHECKED skips
 * that.
 */
#include "corpus.h"

struct meta {
	__u32 mark;
};

SEC("xdp")
int xdp_meta_mark(struct xdp_md *ctx)
{
	void *data_end, *data;
	struct ethhdr *eth;
	struct meta *m;
	__u32 mark = 0;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) <= data_end)
		mark = bpf_ntohs(eth->h_proto);
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	m = (void *)(long)ctx->data_meta;
#ifndef MUT_META_UNCHECKED
	if ((void *)(m + 1) > data)
		return XDP_PASS;
#endif
	m->mark = mark;
	return XDP_PASS;
}
