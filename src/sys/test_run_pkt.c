// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_run_pkt.c - PROG_TEST_RUN for XDP and skb programs, with Linux's
 * rules (net/bpf/test_run.c of 6.1): XDP gets 256 bytes of headroom and a
 * 4096-byte frame, ctx_in as struct xdp_md whose data/data_end/data_meta
 * place the metadata, data_out from data_meta after adjust_head/tail; skb
 * programs get a linear skb of at least ETH_HLEN bytes, ctx_in/ctx_out as
 * struct __sk_buff with only the fields Linux lets a caller set.
 *
 * How a program reads ctx->data: Linux's verifier rewrites the 32-bit load
 * of xdp_md.data (and __sk_buff.data, data_end, data_meta) into a 64-bit
 * pointer load.  userbpf has no verifier yet, so instead the packet buffer
 * is mapped below 4 GiB: the u32 fields hold the packet's real addresses
 * and the program's unchanged 32-bit load zero-extends to exactly the
 * pointer Linux's rewritten load yields.  Checked runs get the packet
 * [data_meta, data_end) as a writable region, moved by the helpers that
 * move the packet.  An ingress_ifindex in ctx_in must name a device with
 * more receive queues than rx_queue_index (sysfs' queues/rx-N).  After
 * the context comes the struct ubf_pkt_tag through
 * which the packet helpers find the packet (helpers/helpers.h).
 */
#define _GNU_SOURCE
#include "sys/sys.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "helpers/helpers.h"
#include "util/compiler.h"

#define PAGE_SZ 4096u
#define XDP_HEADROOM 256u
/* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64: Linux's tailroom. */
#define SKB_TAILROOM 320u
/* NET_SKB_PAD + NET_IP_ALIGN on x86-64. */
#define SKB_HEADROOM 64u
#define XDP_META_MAX 32u
/* Linux's GSO_MAX_SIZE (8 * 64 KiB since BIG TCP) and GSO_MAX_SEGS. */
#define GSO_MAX_SZ 524288u
#define GSO_MAX_SEGS 65535u
/* The loopback device: where Linux's test runs receive packets. */
#define LOOPBACK_IFINDEX 1u

struct xdp_run {
	struct xdp_md md;		/* r1: what the program sees */
	struct ubf_pkt_tag tag;		/* right after it: never in a region */
	struct ubf_pkt pkt;
};

struct skb_run {
	struct __sk_buff skb;
	struct ubf_pkt_tag tag;
	struct ubf_pkt pkt;
};

_Static_assert(offsetof(struct xdp_run, tag) == sizeof(struct xdp_md), "tag follows xdp_md");
_Static_assert(offsetof(struct skb_run, tag) == sizeof(struct __sk_buff), "tag follows __sk_buff");

/* One page below 4 GiB, so that a u32 context field holds its addresses. */
static uint8_t *low_page(void)
{
	void *p;
#ifdef MAP_32BIT
	p = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		 -1, 0);
	if (p != MAP_FAILED)
		return p;
#endif
	for (uintptr_t hint = 0x10000000u; hint < 0xfffff000u; hint += 0x1000000u) {
		p = mmap((void *)hint, PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != MAP_FAILED && (uintptr_t)p + PAGE_SZ <= 0x100000000ull)
			return p;
		if (p != MAP_FAILED)
			munmap(p, PAGE_SZ);
	}
	return NULL;
}

/* Linux's bpf_check_uarg_tail_zero(): ctx_in past the struct Linux knows must be zero. */
static int ctx_tail_zero(const struct ubf_test_run *t, size_t known)
{
	const uint8_t *p = t->ctx;
	size_t i;

	for (i = known; i < t->ctx_sz; i++) {
		if (p[i])
			return -E2BIG;
	}
	return 0;
}

/* The ctx_in of a test run, zero-extended to @sz bytes (zeroes without ctx_in). */
static void ctx_in(const struct ubf_test_run *t, void *out, size_t sz)
{
	memset(out, 0, sz);
	if (t->ctx)
		memcpy(out, t->ctx, t->ctx_sz < sz ? t->ctx_sz : sz);
}

/* Hand the caller's buffers the output: ctx_out (when asked) and the packet. */
static int finish(struct ubf_test_run *t, const void *ctx, size_t ctx_sz, const uint8_t *data,
		  size_t data_sz)
{
	if (t->ctx) {
		if (t->ctx_cap < ctx_sz)
			return -ENOSPC;
		memcpy(t->ctx, ctx, ctx_sz);
		t->ctx_size_out = (uint32_t)ctx_sz;
	}
	t->data_size_out = (uint32_t)data_sz;
	t->data_out = t->data;
	memcpy(t->data, data, data_sz < t->data_cap ? data_sz : t->data_cap);
	return 0;
}

/* The receive queues of device @name (its real_num_rx_queues): rx-N entries in sysfs. */
static uint32_t rx_queue_count(const char *name)
{
	char path[64 + IF_NAMESIZE];
	uint32_t n = 0;

	for (;;) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%u", name, n);
		if (access(path, F_OK))
			break;
		n++;
	}
	/* Without sysfs, every device has at least one queue. */
	return n ? n : 1;
}

/* Linux's xdp_convert_md_to_buff() checks on the device fields. */
static int xdp_check_dev(const struct xdp_md *md)
{
	char name[IF_NAMESIZE];

	if (md->egress_ifindex || (!md->ingress_ifindex && md->rx_queue_index))
		return -EINVAL;
	if (!md->ingress_ifindex)
		return 0;
	if (!if_indextoname(md->ingress_ifindex, name))
		return -ENODEV;
	if (md->rx_queue_index >= rx_queue_count(name))
		return -EINVAL;
	return 0;
}

/* Check ctx_in and set the packet's bounds in @page (Linux: xdp_prepare_buff + convert). */
static int xdp_setup(struct ubf_test_run *t, struct xdp_run *x, uint8_t *page)
{
	uint32_t headroom = XDP_HEADROOM, max_sz;
	struct xdp_md in;
	int err;

	ctx_in(t, &in, sizeof(in));
	if (t->ctx) {
		err = ctx_tail_zero(t, sizeof(in));
		if (err)
			return err;
		/* No data before the metadata; metadata a multiple of 4, at most 32 bytes. */
		if (in.data_meta || in.data_end != t->data_sz || in.data > in.data_end ||
		    (in.data & 3) || in.data > XDP_META_MAX)
			return -EINVAL;
		headroom -= in.data;
	}
	max_sz = PAGE_SZ - headroom - SKB_TAILROOM;
	/*
	 * Linux's bpf_test_init() wants at least an Ethernet header and puts the
	 * rest of a larger packet in fragments (multi-buffer XDP).
	 */
	if (t->data_sz < ETH_HLEN || t->data_sz > max_sz)
		return -EINVAL;
	err = xdp_check_dev(&in);
	if (err)
		return err;
	memcpy(page + headroom, t->data, t->data_sz);
	x->pkt.hard_start = page;
	x->pkt.hard_end = page + PAGE_SZ - SKB_TAILROOM;
	x->pkt.data_meta = page + headroom;
	x->pkt.data = x->pkt.data_meta + in.data;
	x->pkt.data_end = x->pkt.data_meta + t->data_sz;
	x->md = in;
	if (!in.ingress_ifindex)
		x->md.ingress_ifindex = LOOPBACK_IFINDEX;
	return 0;
}

int ubf_test_run_xdp(struct ubf_test_run *t)
{
	struct ubf_region region;
	struct xdp_run *x;
	struct xdp_md out;
	uint8_t *page;
	int err;

	/* batch_size belongs to BPF_F_TEST_XDP_LIVE_FRAMES runs, which are not offered */
	if (t->flags || t->attr->test.batch_size ||
	    t->prog->expected_attach_type == BPF_XDP_DEVMAP ||
	    t->prog->expected_attach_type == BPF_XDP_CPUMAP)
		return -EINVAL;
	x = calloc(1, sizeof(*x));
	page = low_page();
	if (!x || !page) {
		err = -ENOMEM;
		goto out;
	}
	err = xdp_setup(t, x, page);
	if (err)
		goto out;
	x->pkt.ctx = &x->md;
	x->tag = (struct ubf_pkt_tag){ UBF_PKT_XDP_MAGIC, (uint64_t)(uintptr_t)&x->md, &x->pkt };
	x->md.data = (uint32_t)(uintptr_t)x->pkt.data;
	x->md.data_end = (uint32_t)(uintptr_t)x->pkt.data_end;
	x->md.data_meta = (uint32_t)(uintptr_t)x->pkt.data_meta;
	region = (struct ubf_region){ x->pkt.data_meta,
				      (size_t)(x->pkt.data_end - x->pkt.data_meta), true };
	err = ubf_test_run_loop(t, &x->md, sizeof(x->md), &region, 1);
	if (err)
		goto out;
	/* ctx_out: Linux's xdp_convert_buff_to_md(), offsets from data_meta. */
	ctx_in(t, &out, sizeof(out));
	out.data = (uint32_t)(x->pkt.data - x->pkt.data_meta);
	out.data_end = (uint32_t)(x->pkt.data_end - x->pkt.data_meta);
	err = finish(t, &out, sizeof(out), x->pkt.data_meta,
		     (size_t)(x->pkt.data_end - x->pkt.data_meta));
out:
	if (page)
		munmap(page, PAGE_SZ);
	free(x);
	return err;
}

/* Linux's convert___skb_to_skb(): which __sk_buff fields a caller may set. */
static int skb_check_ctx(const struct __sk_buff *s, uint32_t len)
{
	static const struct {
		size_t off, end;
	} allowed[] = {
#define F(f) { offsetof(struct __sk_buff, f), offsetof(struct __sk_buff, f) + sizeof(s->f) }
		F(mark), F(priority), F(ingress_ifindex), F(ifindex), F(cb), F(tstamp), F(wire_len),
		F(gso_segs), F(gso_size), F(hwtstamp),
#undef F
	};
	const uint8_t *p = (const uint8_t *)s;
	size_t i, k;

	for (i = 0; i < sizeof(*s); i++) {
		bool ok = false;

		for (k = 0; k < UBF_ARRAY_SIZE(allowed); k++)
			ok = ok || (i >= allowed[k].off && i < allowed[k].end);
		if (!ok && p[i])
			return -EINVAL;
	}
	if (s->wire_len && (s->wire_len < len || s->wire_len > GSO_MAX_SZ))
		return -EINVAL;
	if (s->gso_segs > GSO_MAX_SEGS)
		return -EINVAL;
	return 0;
}

/* What eth_type_trans() on the loopback device (address 00:00:00:00:00:00) decides. */
static void skb_eth(struct __sk_buff *s, const uint8_t *eth)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[ETH_ALEN];
	uint16_t proto;

	if (eth[0] & 1)
		s->pkt_type = memcmp(eth, bcast, ETH_ALEN) ? PACKET_MULTICAST : PACKET_BROADCAST;
	else
		s->pkt_type = memcmp(eth, zero, ETH_ALEN) ? PACKET_OTHERHOST : PACKET_HOST;
	memcpy(&proto, eth + 12, sizeof(proto));
	/* Below 0x600 the field is a length: 802.3 (raw IPX) or 802.2 LLC. */
	if (((eth[12] << 8) | eth[13]) >= ETH_P_802_3_MIN)
		s->protocol = proto;
	else if (eth[14] == 0xff && eth[15] == 0xff)
		s->protocol = __builtin_bswap16(ETH_P_802_3);
	else
		s->protocol = __builtin_bswap16(ETH_P_802_2);
}

/* The socket Linux's test run attaches: family and addresses from an IPv4/IPv6 header. */
static void skb_sock(struct __sk_buff *s, const uint8_t *nh, size_t nh_len)
{
	if (s->protocol == __builtin_bswap16(ETH_P_IP)) {
		s->family = 2; /* AF_INET */
		if (nh_len >= 20) {
			memcpy(&s->local_ip4, nh + 12, 4);
			memcpy(&s->remote_ip4, nh + 16, 4);
		}
	} else if (s->protocol == __builtin_bswap16(ETH_P_IPV6)) {
		s->family = 10; /* AF_INET6 */
		if (nh_len >= 40) {
			memcpy(s->local_ip6, nh + 8, 16);
			memcpy(s->remote_ip6, nh + 24, 16);
		}
	}
}

/* Lay out the packet in @page and fill the context the program reads. */
static int skb_setup(struct ubf_test_run *t, struct skb_run *r, uint8_t *page, bool is_l2)
{
	struct __sk_buff in, *s = &r->skb;
	char name[IF_NAMESIZE];
	int err;

	if (t->data_sz < ETH_HLEN || t->data_sz > PAGE_SZ - SKB_HEADROOM - SKB_TAILROOM)
		return -EINVAL;
	ctx_in(t, &in, sizeof(in));
	if (t->ctx) {
		err = ctx_tail_zero(t, sizeof(in));
		if (!err)
			err = skb_check_ctx(&in, is_l2 ? t->data_sz : t->data_sz - ETH_HLEN);
		if (err)
			return err;
	}
	if (in.ifindex > 1 && !if_indextoname(in.ifindex, name))
		return -ENODEV;
	memcpy(page + SKB_HEADROOM, t->data, t->data_sz);
	r->pkt.hard_start = page;
	r->pkt.hard_end = page + PAGE_SZ - SKB_TAILROOM;
	r->pkt.data = page + SKB_HEADROOM + (is_l2 ? 0 : ETH_HLEN);
	r->pkt.data_meta = r->pkt.data;
	r->pkt.data_end = page + SKB_HEADROOM + t->data_sz;
	*s = in;
	skb_eth(s, page + SKB_HEADROOM);
	skb_sock(s, page + SKB_HEADROOM + ETH_HLEN, t->data_sz - ETH_HLEN);
	s->len = (uint32_t)(r->pkt.data_end - r->pkt.data);
	s->ifindex = in.ifindex > 1 ? in.ifindex : LOOPBACK_IFINDEX;
	if (!s->wire_len)
		s->wire_len = s->len;
	s->data = (uint32_t)(uintptr_t)r->pkt.data;
	s->data_end = (uint32_t)(uintptr_t)r->pkt.data_end;
	s->data_meta = (uint32_t)(uintptr_t)r->pkt.data_meta;
	return 0;
}

/* ctx_out: Linux's convert_skb_to___skb(); the program may have written mark, priority, cb, tstamp. */
static void skb_ctx_out(const struct ubf_test_run *t, const struct __sk_buff *s,
			struct __sk_buff *out)
{
	ctx_in(t, out, sizeof(*out));
	out->mark = s->mark;
	out->priority = s->priority;
	out->ingress_ifindex = s->ingress_ifindex;
	out->ifindex = s->ifindex;
	out->tstamp = s->tstamp;
	memcpy(out->cb, s->cb, sizeof(out->cb));
	out->wire_len = s->wire_len;
	out->gso_segs = s->gso_segs;
	out->hwtstamp = s->hwtstamp;
}

int ubf_test_run_skb(struct ubf_test_run *t)
{
	uint32_t type = t->prog->prog_type;
	bool is_l2 = type == BPF_PROG_TYPE_SCHED_CLS || type == BPF_PROG_TYPE_SCHED_ACT;
	struct __sk_buff out;
	struct ubf_region region;
	struct skb_run *r;
	uint8_t *page, *start;
	int err;

	if (t->flags || t->cpu)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	page = low_page();
	if (!r || !page) {
		err = -ENOMEM;
		goto out;
	}
	err = skb_setup(t, r, page, is_l2);
	if (err)
		goto out;
	r->pkt.ctx = &r->skb;
	r->tag = (struct ubf_pkt_tag){ UBF_PKT_SKB_MAGIC, (uint64_t)(uintptr_t)&r->skb, &r->pkt };
	region = (struct ubf_region){ r->pkt.data, (size_t)(r->pkt.data_end - r->pkt.data), true };
	err = ubf_test_run_loop(t, &r->skb, sizeof(r->skb), &region, 1);
	if (err)
		goto out;
	/* Linux pushes the link-layer header back for L3 programs, zeroed. */
	start = r->pkt.data;
	if (!is_l2) {
		start -= ETH_HLEN;
		memset(start, 0, ETH_HLEN);
	}
	skb_ctx_out(t, &r->skb, &out);
	err = finish(t, &out, sizeof(out), start, (size_t)(r->pkt.data_end - start));
out:
	if (page)
		munmap(page, PAGE_SZ);
	free(r);
	return err;
}
