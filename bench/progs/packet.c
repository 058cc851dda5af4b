/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * packet.c - parse a batch of packets the way an XDP or tc program does:
 * Ethernet with up to two VLAN tags, IPv4 (options, fragments, header
 * checksum), IPv6, TCP, UDP, ICMP and ARP, every header bounds-checked
 * against the packet and the packet against the buffer.  Each packet
 * updates counters and a per-flow histogram kept in the buffer, as a map
 * update would.
 */
#include "bench.h"

/*
 * Layout of mem:
 *   [0, 4)          number of packets
 *   [HIST_OFF, ...) HIST_CNT u32 flow buckets, rewritten by every run
 *   [DESC_OFF, ...) MAX_PKTS descriptors { u32 off; u32 len }
 *   [DATA_OFF, len) packet bytes; each packet starts at 2 mod 8, so the IP
 *                   header is 4-byte aligned (Linux's NET_IP_ALIGN)
 */
#define HIST_OFF 64
#define HIST_CNT 64
#define MAX_PKTS 2048
#define DESC_OFF (HIST_OFF + HIST_CNT * 4)
#define DATA_OFF (DESC_OFF + MAX_PKTS * 8)

#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define ETH_P_IPV6 0x86dd
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04

struct eth_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t proto;
};

struct vlan_hdr {
	uint16_t tci;
	uint16_t proto;
};

struct ipv4_hdr {
	uint8_t ver_ihl;
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag_off;
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t saddr;
	uint32_t daddr;
};

struct ipv6_hdr {
	uint32_t ver_tc_flow;
	uint16_t payload_len;
	uint8_t nexthdr;
	uint8_t hop_limit;
	uint32_t saddr[4];
	uint32_t daddr[4];
};

struct tcp_hdr {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t doff;	/* data offset in the high nibble */
	uint8_t flags;
	uint16_t window;
	uint16_t csum;
	uint16_t urg;
};

struct udp_hdr {
	uint16_t sport;
	uint16_t dport;
	uint16_t len;
	uint16_t csum;
};

struct counters {
	uint64_t pkts, bytes, bad_len, bad_ip, bad_csum, frags, vlan;
	uint64_t tcp, udp, icmp, ipv6, arp, other, syn, fin, rst, payload, flows;
};

BENCH_INLINE uint16_t be16(uint16_t v)
{
	return __builtin_bswap16(v);
}

/* A flow key hashed into 32 bits (multiply-xorshift, order-sensitive). */
BENCH_INLINE uint32_t flow_hash(uint32_t saddr, uint32_t daddr, uint32_t ports, uint32_t proto)
{
	uint32_t h = saddr * 0x9e3779b1u;

	h = bench_rol32(h ^ daddr, 13) * 0x85ebca6bu;
	h = bench_rol32(h ^ ports, 15) * 0xc2b2ae35u;
	h ^= proto;
	return h ^ h >> 16;
}

/* Ones-complement sum of an IPv4 header of @words 16-bit words; 0xffff means valid. */
BENCH_INLINE uint32_t ipv4_csum(const uint16_t *w, uint32_t words)
{
	uint32_t sum = 0;

	for (uint32_t i = 0; i < 30 && i < words; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}

/* TCP/UDP/ICMP at @l4 with @l4_len bytes left in the IP payload; returns the port pair. */
BENCH_INLINE uint32_t parse_l4(const uint8_t *l4, uint32_t l4_len, uint32_t proto,
			       struct counters *c)
{
	if (proto == IPPROTO_TCP) {
		const struct tcp_hdr *tcp = (const void *)l4;
		uint32_t doff;

		if (l4_len < sizeof(*tcp))
			goto bad;
		doff = (uint32_t)(tcp->doff >> 4) * 4;
		if (doff < sizeof(*tcp) || doff > l4_len)
			goto bad;
		c->tcp++;
		c->syn += (tcp->flags & TCP_SYN) != 0;
		c->fin += (tcp->flags & TCP_FIN) != 0;
		c->rst += (tcp->flags & TCP_RST) != 0;
		c->payload += l4_len - doff;
		return (uint32_t)be16(tcp->sport) << 16 | be16(tcp->dport);
	}
	if (proto == IPPROTO_UDP) {
		const struct udp_hdr *udp = (const void *)l4;

		if (l4_len < sizeof(*udp) || be16(udp->len) < sizeof(*udp) ||
		    be16(udp->len) > l4_len)
			goto bad;
		c->udp++;
		c->payload += be16(udp->len) - sizeof(*udp);
		return (uint32_t)be16(udp->sport) << 16 | be16(udp->dport);
	}
	if (proto == IPPROTO_ICMP) {
		if (l4_len < 8)
			goto bad;
		c->icmp++;
		return (uint32_t)l4[0] << 8 | l4[1];
	}
	c->other++;
	return 0;
bad:
	c->bad_len++;
	return 0;
}

BENCH_INLINE void count_flow(uint32_t *hist, struct counters *c, uint32_t h)
{
	hist[h % HIST_CNT]++;
	c->flows = bench_mix(c->flows, h);
}

BENCH_INLINE void parse_ipv4(const uint8_t *l3, uint32_t l3_len, struct counters *c,
			     uint32_t *hist)
{
	const struct ipv4_hdr *ip = (const void *)l3;
	uint32_t ihl, tot, ports;

	if (l3_len < sizeof(*ip))
		goto bad;
	ihl = (uint32_t)(ip->ver_ihl & 0xf) * 4;
	tot = be16(ip->tot_len);
	if (ip->ver_ihl >> 4 != 4 || ihl < sizeof(*ip) || ihl > l3_len || tot < ihl ||
	    tot > l3_len)
		goto bad;
	if (ipv4_csum((const uint16_t *)ip, ihl / 2) != 0xffff) {
		c->bad_csum++;
		return;
	}
	if (be16(ip->frag_off) & 0x3fff) {	/* MF set or a non-zero offset */
		c->frags++;
		return;
	}
	ports = parse_l4(l3 + ihl, tot - ihl, ip->proto, c);
	count_flow(hist, c, flow_hash(ip->saddr, ip->daddr, ports, ip->proto));
	return;
bad:
	c->bad_ip++;
}

BENCH_INLINE void parse_ipv6(const uint8_t *l3, uint32_t l3_len, struct counters *c,
			     uint32_t *hist)
{
	const struct ipv6_hdr *ip6 = (const void *)l3;
	uint32_t plen, ports, s, d;

	if (l3_len < sizeof(*ip6) || l3[0] >> 4 != 6)
		goto bad;
	plen = be16(ip6->payload_len);
	if (plen > l3_len - sizeof(*ip6))
		goto bad;
	c->ipv6++;
	ports = parse_l4(l3 + sizeof(*ip6), plen, ip6->nexthdr, c);
	s = ip6->saddr[0] ^ ip6->saddr[1] ^ ip6->saddr[2] ^ ip6->saddr[3];
	d = ip6->daddr[0] ^ ip6->daddr[1] ^ ip6->daddr[2] ^ ip6->daddr[3];
	count_flow(hist, c, flow_hash(s, d, ports, ip6->nexthdr));
	return;
bad:
	c->bad_ip++;
}

BENCH_INLINE void parse_packet(const uint8_t *pkt, uint32_t plen, struct counters *c,
			       uint32_t *hist)
{
	const struct eth_hdr *eth = (const void *)pkt;
	uint32_t l3 = sizeof(*eth);
	uint16_t proto;

	if (plen < sizeof(*eth)) {
		c->bad_len++;
		return;
	}
	proto = be16(eth->proto);
	for (int i = 0; i < 2; i++) {
		const struct vlan_hdr *vh = (const void *)(pkt + l3);

		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			break;
		if (l3 + sizeof(*vh) > plen) {
			c->bad_len++;
			return;
		}
		c->vlan++;
		proto = be16(vh->proto);
		l3 += sizeof(*vh);
	}
	if (proto == ETH_P_IP)
		parse_ipv4(pkt + l3, plen - l3, c, hist);
	else if (proto == ETH_P_IPV6)
		parse_ipv6(pkt + l3, plen - l3, c, hist);
	else if (proto == ETH_P_ARP)
		c->arp++;
	else
		c->other++;
}

BENCH_ENTRY uint64_t bench_packet(void *mem, uint64_t len)
{
	uint8_t *m = mem;
	uint32_t *hist = (uint32_t *)(m + HIST_OFF);
	const uint32_t *desc = (const uint32_t *)(m + DESC_OFF);
	struct counters c = { 0 };
	uint64_t sum = 0;
	uint32_t cnt;

	if (len < DATA_OFF)
		return 0;
	cnt = *(const uint32_t *)m;
	for (uint32_t i = 0; i < HIST_CNT; i++)
		hist[i] = 0;
	for (uint32_t i = 0; i < MAX_PKTS && i < cnt; i++) {
		uint32_t off = desc[2 * i], plen = desc[2 * i + 1];

		if (off < DATA_OFF || off > len || plen > len - off || (off & 3) != 2) {
			c.bad_len++;
			continue;
		}
		c.pkts++;
		c.bytes += plen;
		parse_packet(m + off, plen, &c, hist);
	}
	for (uint32_t i = 0; i < sizeof(c) / sizeof(uint64_t); i++)
		sum = bench_mix(sum, ((const uint64_t *)&c)[i]);
	for (uint32_t i = 0; i < HIST_CNT; i++)
		sum = bench_mix(sum, hist[i]);
	return sum;
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
#include <string.h>

enum pkt_kind { K_TCP, K_UDP, K_ICMP, K_IPV6, K_ARP, K_FRAG, K_BAD_CSUM, K_TRUNC, K_KIND_CNT };

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void fill_ipv4_csum(uint8_t *ip, uint32_t ihl)
{
	uint32_t sum = 0;

	put16(ip + 10, 0);
	for (uint32_t i = 0; i < ihl; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, ~sum & 0xffff);
}

/* Transport header at @l4 with @pay payload bytes; returns its size. */
static uint32_t build_l4(uint8_t *l4, uint32_t proto, uint32_t pay, uint64_t *rs)
{
	uint32_t flow = bench_below(rs, 24);	/* few flows, so buckets repeat */

	if (proto == IPPROTO_TCP) {
		uint32_t opt = bench_below(rs, 3) * 4;

		put16(l4, 1024 + flow * 7);
		put16(l4 + 2, flow % 3 ? 443 : 80);
		put32(l4 + 4, (uint32_t)bench_rand(rs));
		put32(l4 + 8, (uint32_t)bench_rand(rs));
		l4[12] = (uint8_t)((20 + opt) / 4 << 4);
		l4[13] = (uint8_t)(bench_below(rs, 8) == 0 ? TCP_SYN : 0x10 | bench_below(rs, 2));
		put16(l4 + 14, 65535);
		return 20 + opt;
	}
	if (proto == IPPROTO_UDP) {
		put16(l4, 5000 + flow);
		put16(l4 + 2, flow & 1 ? 53 : 4789);
		put16(l4 + 4, 8 + pay);
		return 8;
	}
	l4[0] = (uint8_t)(bench_below(rs, 2) ? 8 : 0);
	return 8;
}

/* One IPv4 or IPv6 packet after a @l3-byte link header; returns its length. */
static uint32_t build_ip(uint8_t *pkt, uint32_t l3, enum pkt_kind kind, uint64_t *rs)
{
	uint8_t *ip = pkt + l3;
	uint32_t pay = bench_below(rs, 4) ? bench_below(rs, 64) : 100 + bench_below(rs, 400);
	uint32_t proto = kind == K_UDP ? IPPROTO_UDP : kind == K_ICMP ? IPPROTO_ICMP : IPPROTO_TCP;
	uint32_t ihl = 20 + (bench_below(rs, 10) == 0 ? 4 * (1 + bench_below(rs, 4)) : 0);
	uint32_t hdr;

	if (kind == K_IPV6) {
		put32(ip, 6u << 28 | bench_below(rs, 1u << 20));
		ip[6] = IPPROTO_TCP;
		ip[7] = 64;
		for (uint32_t i = 8; i < 40; i++)
			ip[i] = (uint8_t)(i == 39 ? bench_below(rs, 8) : i * 13);
		hdr = build_l4(ip + 40, IPPROTO_TCP, pay, rs);
		put16(ip + 4, hdr + pay);
		return l3 + 40 + hdr + pay;
	}
	ip[0] = (uint8_t)(0x40 | ihl / 4);
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	put32(ip + 12, 0x0a000000u | bench_below(rs, 16));
	put32(ip + 16, 0xc0a80000u | bench_below(rs, 4));
	for (uint32_t i = 20; i < ihl; i++)
		ip[i] = 1;	/* NOP options */
	hdr = build_l4(ip + ihl, proto, pay, rs);
	put16(ip + 2, ihl + hdr + pay);
	put16(ip + 4, (uint32_t)bench_rand(rs));
	put16(ip + 6, kind == K_FRAG ? 0x2000 | bench_below(rs, 100) : 0x4000);
	fill_ipv4_csum(ip, ihl);
	if (kind == K_BAD_CSUM)
		ip[11] ^= 0x5a;
	return l3 + ihl + hdr + pay;
}

static uint32_t build_packet(uint8_t *pkt, enum pkt_kind kind, uint64_t *rs)
{
	uint32_t l3 = 14, vlans = bench_below(rs, 8) == 0 ? 1 + bench_below(rs, 2) : 0;
	uint32_t plen;

	for (uint32_t i = 0; i < 12; i++)
		pkt[i] = (uint8_t)(0x02 + i);
	for (uint32_t i = 0; i < vlans; i++) {
		put16(pkt + l3 - 2, i == 0 && vlans == 2 ? ETH_P_8021AD : ETH_P_8021Q);
		put16(pkt + l3, 100 + i);
		l3 += 4;
	}
	if (kind == K_ARP) {
		put16(pkt + l3 - 2, ETH_P_ARP);
		return l3 + 28;
	}
	put16(pkt + l3 - 2, kind == K_IPV6 ? ETH_P_IPV6 : ETH_P_IP);
	plen = build_ip(pkt, l3, kind, rs);
	if (kind == K_TRUNC)
		plen = 14 + bench_below(rs, plen - 14);
	return plen;
}

void bench_packet_input(void *mem, uint64_t len)
{
	/* Percent of packets of each kind. */
	static const uint8_t mix[K_KIND_CNT] = { 55, 20, 5, 8, 3, 3, 3, 3 };
	uint8_t *m = mem;
	uint64_t rs = 0x7061636b6574ull;
	uint32_t off = DATA_OFF + 2, cnt = 0;

	memset(m, 0, len);
	while (cnt < MAX_PKTS && off + 1600 <= len) {
		uint32_t pick = bench_below(&rs, 100), kind = 0, plen;

		while (pick >= mix[kind]) {
			pick -= mix[kind];
			kind++;
		}
		plen = build_packet(m + off, (enum pkt_kind)kind, &rs);
		memcpy(m + DESC_OFF + 8 * cnt, &off, 4);
		memcpy(m + DESC_OFF + 8 * cnt + 4, &plen, 4);
		cnt++;
		off = (off + plen + 7) / 8 * 8 + 2;
	}
	memcpy(m, &cnt, 4);
}
#endif
