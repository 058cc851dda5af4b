/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * corpus.h - what the corpus programs (tests/corpus/NAME.bpf.c) share: UAPI
 * headers, libbpf's helper definitions (rewritten for bpf-gcc by the
 * layer), and the header-parsing and map-declaration idioms the real
 * projects use.  A program's `#ifdef MUT_<NAME>` blocks each break one
 * safety property; docs/corpus.md describes them.
 */
#ifndef UBF_TESTS_CORPUS_H
#define UBF_TESTS_CORPUS_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#ifndef ETH_P_8021Q
#define ETH_P_8021Q 0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

/* <linux/icmp.h> pulls in the C library's socket headers, which BPF cannot build. */
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

/* Fold a 32-bit one's complement sum into 16 bits (RFC 1071). */
static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Incremental checksum update for one changed 32-bit word (RFC 1624). */
static __always_inline __u16 csum_replace4(__u16 check, __be32 from, __be32 to)
{
	__u32 sum = (__u16)~check;

	sum += (~from & 0xffff) + (~from >> 16);
	sum += (to & 0xffff) + (to >> 16);
	return csum_fold(sum);
}

char LICENSE[] SEC("license") = "GPL";

#endif /* UBF_TESTS_CORPUS_H */
