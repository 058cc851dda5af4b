// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_truncated.bpf.c - a 20-byte struct bpf_map_def symbol in a
 * `maps` section that holds only 16 bytes (written in assembly, as a
 * damaged or hand-made object would have it).
 * expect: elf.legacy_maps_truncated short_def
 */
#include "corpus.h"

asm(".section maps,\"aw\"\n"
    ".globl short_def\n"
    ".type short_def,@object\n"
    ".size short_def,20\n"
    "short_def:\n"
    ".long 2, 4, 8, 1\n"
    ".text\n");

extern char short_def[];

SEC("xdp")
int use_short(struct xdp_md *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(short_def, &k) ? XDP_PASS : XDP_DROP;
}
