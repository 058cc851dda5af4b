// SPDX-License-Identifier: BSD-2-Clause
/*
 * pkt_helpers.c - the packet helpers of XDP and TC programs with Linux's
 * bounds, flags and return values (net/core/filter.c): adjust_head/tail/
 * meta and load/store_bytes on an XDP buffer, load/store_bytes and the
 * checksum fix-ups on a linear skb, csum_diff and redirect.  The packet
 * behind a context is found through the struct ubf_pkt_tag that the test
 * run puts after it (helpers.h), never through fields the program can
 * write; a context that is not the run's own gets -EINVAL.
 */
#include "helpers/helpers.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "vm/vm.h"

#define ETH_HLEN 14
/* Linux's sizeof(struct xdp_frame), kept at the start of the headroom. */
#define XDP_FRAME_SZ 40
/* xdp_metalen_invalid(): metadata is a multiple of 4 bytes, at most 32. */
#define XDP_META_MAX 32
/* Linux's scratch buffer of csum_diff: MAX_BPF_STACK bytes. */
#define CSUM_DIFF_MAX 512
#define CSUM_MANGLED_0 0xffffu

/* The packet of context @ctx when it is this run's context of the kind @magic names. */
static struct ubf_pkt *pkt_of(struct ubf_run *run, uint64_t ctx, uint64_t magic)
{
	size_t ctx_sz = magic == UBF_PKT_XDP_MAGIC ? sizeof(struct xdp_md)
						  : sizeof(struct __sk_buff);
	struct ubf_pkt_tag tag;

	if (ctx != (uint64_t)(uintptr_t)run->pkt || run->pkt_sz != ctx_sz)
		return NULL;
	if (ubf_helper_read_safe(&tag, ctx + ctx_sz, sizeof(tag)))
		return NULL;
	if (tag.magic != magic || tag.self != ctx)
		return NULL;
	return tag.pkt;
}

void ubf_pkt_sync(struct ubf_run *run, struct ubf_pkt *pkt, uintptr_t old_start,
		  uintptr_t old_end)
{
	struct xdp_md *md = pkt->ctx;
	uint32_t i;

	/* The buffer lives below 4 GiB (test_run_pkt.c): the u32 fields hold real addresses. */
	md->data = (uint32_t)(uintptr_t)pkt->data;
	md->data_end = (uint32_t)(uintptr_t)pkt->data_end;
	md->data_meta = (uint32_t)(uintptr_t)pkt->data_meta;
	for (i = 0; i < run->region_cnt; i++) {
		struct ubf_run_region *r = &run->regions[i];

		if (r->start == old_start && r->end == old_end) {
			r->start = (uintptr_t)pkt->data_meta;
			r->end = (uintptr_t)pkt->data_end;
			break;
		}
	}
}

uint64_t ubf_helper_xdp_adjust_head(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_XDP_MAGIC);
	uintptr_t old_start, old_end;
	size_t metalen;
	uint8_t *data;

	(void)r3, (void)r4, (void)r5;
	if (!pkt)
		return (uint64_t)-EINVAL;
	metalen = (size_t)(pkt->data - pkt->data_meta);
	data = pkt->data + (int32_t)r2;
	/* Room for Linux's struct xdp_frame and the metadata before, an Ethernet header after. */
	if (data < pkt->hard_start + XDP_FRAME_SZ + metalen || data > pkt->data_end - ETH_HLEN)
		return (uint64_t)-EINVAL;
	old_start = (uintptr_t)pkt->data_meta;
	old_end = (uintptr_t)pkt->data_end;
	if (metalen)
		memmove(pkt->data_meta + (int32_t)r2, pkt->data_meta, metalen);
	pkt->data_meta += (int32_t)r2;
	pkt->data = data;
	ubf_pkt_sync(run, pkt, old_start, old_end);
	return 0;
}

uint64_t ubf_helper_xdp_adjust_meta(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_XDP_MAGIC);
	uintptr_t old_start, old_end;
	uint8_t *meta;
	size_t metalen;

	(void)r3, (void)r4, (void)r5;
	if (!pkt)
		return (uint64_t)-EINVAL;
	meta = pkt->data_meta + (int32_t)r2;
	if (meta < pkt->hard_start + XDP_FRAME_SZ || meta > pkt->data)
		return (uint64_t)-EINVAL;
	metalen = (size_t)(pkt->data - meta);
	if ((metalen & 3) || metalen > XDP_META_MAX)
		return (uint64_t)-EACCES;
	old_start = (uintptr_t)pkt->data_meta;
	old_end = (uintptr_t)pkt->data_end;
	pkt->data_meta = meta;
	ubf_pkt_sync(run, pkt, old_start, old_end);
	return 0;
}

uint64_t ubf_helper_xdp_adjust_tail(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_XDP_MAGIC);
	int32_t off = (int32_t)r2;
	uintptr_t old_start, old_end;
	uint8_t *end;

	(void)r3, (void)r4, (void)r5;
	if (!pkt)
		return (uint64_t)-EINVAL;
	end = pkt->data_end + off;
	if (end > pkt->hard_end || end < pkt->data + ETH_HLEN)
		return (uint64_t)-EINVAL;
	/* Linux clears the bytes a grow exposes. */
	if (off > 0)
		memset(pkt->data_end, 0, (size_t)off);
	old_start = (uintptr_t)pkt->data_meta;
	old_end = (uintptr_t)pkt->data_end;
	pkt->data_end = end;
	ubf_pkt_sync(run, pkt, old_start, old_end);
	return 0;
}

/* Linux's bpf_xdp_pointer() on a linear buffer: -EFAULT past 64 KiB, -EINVAL past the end. */
static int xdp_span(const struct ubf_pkt *pkt, uint32_t off, uint32_t len)
{
	if (off > 0xffff || len > 0xffff)
		return -EFAULT;
	if ((size_t)off + len > (size_t)(pkt->data_end - pkt->data))
		return -EINVAL;
	return 0;
}

/* xdp_load_bytes and xdp_store_bytes: @len bytes between the packet at @off and @buf. */
static uint64_t xdp_copy(struct ubf_run *run, uint64_t ctx, uint32_t off, uint64_t buf,
			 uint32_t len, bool is_store)
{
	struct ubf_pkt *pkt = pkt_of(run, ctx, UBF_PKT_XDP_MAGIC);
	int err;

	if (!pkt)
		return (uint64_t)-EINVAL;
	/* the program's buffer is written by a load and read by a store */
	if (run->is_checked && ubf_run_check_mem(run, buf, len, !is_store, run->helper_pc))
		return (uint64_t)-EFAULT;
	err = xdp_span(pkt, off, len);
	if (err)
		return (uint64_t)(int64_t)err;
	if (is_store)
		memmove(pkt->data + off, (const void *)(uintptr_t)buf, len);
	else
		memcpy((void *)(uintptr_t)buf, pkt->data + off, len);
	return 0;
}

uint64_t ubf_helper_xdp_load_bytes(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct ubf_run *run)
{
	(void)r5;
	return xdp_copy(run, r1, (uint32_t)r2, r3, (uint32_t)r4, false);
}

uint64_t ubf_helper_xdp_store_bytes(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	(void)r5;
	return xdp_copy(run, r1, (uint32_t)r2, r3, (uint32_t)r4, true);
}

/* skb->len of a linear skb: the bytes from data to data_end. */
static size_t skb_len(const struct ubf_pkt *pkt)
{
	return (size_t)(pkt->data_end - pkt->data);
}

uint64_t ubf_helper_skb_load_bytes(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_SKB_MAGIC);
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;
	void *to = (void *)(uintptr_t)r3;

	(void)r5;
	if (!pkt)
		return (uint64_t)-EINVAL;
	if (run->is_checked && ubf_run_check_mem(run, r3, len, true, run->helper_pc))
		return (uint64_t)-EFAULT;
	if (off > INT_MAX || (size_t)off + len > skb_len(pkt)) {
		memset(to, 0, len);
		return (uint64_t)-EFAULT;
	}
	memcpy(to, pkt->data + off, len);
	return 0;
}

uint64_t ubf_helper_skb_store_bytes(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_SKB_MAGIC);
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;

	if (!pkt)
		return (uint64_t)-EINVAL;
	if (run->is_checked && ubf_run_check_mem(run, r3, len, false, run->helper_pc))
		return (uint64_t)-EFAULT;
	if (r5 & ~(uint64_t)(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH))
		return (uint64_t)-EINVAL;
	if (off > INT_MAX || (size_t)off + len > skb_len(pkt))
		return (uint64_t)-EFAULT;
	/* A test-run skb carries no CHECKSUM_COMPLETE sum, so RECOMPUTE_CSUM has nothing to fix. */
	memmove(pkt->data + off, (const void *)(uintptr_t)r3, len);
	if (r5 & BPF_F_INVALIDATE_HASH) {
		pkt->hash_cleared = true;
		((struct __sk_buff *)pkt->ctx)->hash = 0;
	}
	return 0;
}

/* ---- one's-complement arithmetic, as include/net/checksum.h ---- */

static uint32_t csum_add(uint32_t a, uint32_t b)
{
	uint32_t res = a + b;

	return res + (res < b);
}

static uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t csum16_add(uint16_t csum, uint16_t addend)
{
	uint16_t res = (uint16_t)(csum + addend);

	return (uint16_t)(res + (res < addend));
}

/* The checksum field changed from @from to @to (raw memory order, as the program loaded them). */
static void csum_replace(uint16_t *sum, uint32_t field_sz, uint64_t from, uint64_t to)
{
	uint16_t s = *sum;

	if (field_sz == 2) {
		s = (uint16_t)~csum16_add(csum16_add((uint16_t)~s, (uint16_t)~(uint16_t)from),
					  (uint16_t)to);
	} else if (field_sz == 4) {
		s = csum_fold(csum_add(csum_add((uint32_t)~(uint32_t)s, ~(uint32_t)from),
				       (uint32_t)to));
	} else {
		/* By a csum_diff() result in @to. */
		s = csum_fold(csum_add((uint32_t)to, (uint32_t)~(uint32_t)s));
	}
	*sum = s;
}

/* Linux's field sizes (flags & BPF_F_HDR_FIELD_MASK): 0 with from == 0 (a diff), 2 or 4. */
static int csum_field_sz(uint64_t flags, uint64_t from)
{
	uint64_t sz = flags & BPF_F_HDR_FIELD_MASK;

	if ((sz == 0 && from != 0) || (sz != 0 && sz != 2 && sz != 4))
		return -EINVAL;
	return (int)sz;
}

/* The 2 checksum bytes at @off: -EFAULT for an odd or too large offset or one past the end. */
static uint16_t *csum_at(struct ubf_pkt *pkt, uint32_t off)
{
	if (off > 0xffff || (off & 1) || (size_t)off + 2 > skb_len(pkt))
		return NULL;
	return (uint16_t *)(void *)(pkt->data + off);
}

uint64_t ubf_helper_l3_csum_replace(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_SKB_MAGIC);
	uint16_t *ptr, v;
	int sz;

	if (!pkt)
		return (uint64_t)-EINVAL;
	if (r5 & ~(uint64_t)BPF_F_HDR_FIELD_MASK)
		return (uint64_t)-EINVAL;
	ptr = csum_at(pkt, (uint32_t)r2);
	if (!ptr)
		return (uint64_t)-EFAULT;
	sz = csum_field_sz(r5, r3);
	if (sz < 0)
		return (uint64_t)(int64_t)sz;
	memcpy(&v, ptr, sizeof(v));
	csum_replace(&v, (uint32_t)sz, r3, r4);
	memcpy(ptr, &v, sizeof(v));
	return 0;
}

/*
 * A test-run skb is CHECKSUM_NONE, so Linux's inet_proto_csum_replace*()
 * update the field exactly as the L3 forms do, with or without
 * BPF_F_PSEUDO_HDR; BPF_F_MARK_MANGLED_0 keeps a zero (no checksum) UDP
 * field zero and turns a result of 0 into 0xffff.
 */
uint64_t ubf_helper_l4_csum_replace(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_pkt *pkt = pkt_of(run, r1, UBF_PKT_SKB_MAGIC);
	bool is_mmzero = r5 & BPF_F_MARK_MANGLED_0, do_mforce = r5 & BPF_F_MARK_ENFORCE;
	uint16_t *ptr, v;
	int sz;

	if (!pkt)
		return (uint64_t)-EINVAL;
	if (r5 & ~(uint64_t)(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR |
			     BPF_F_HDR_FIELD_MASK))
		return (uint64_t)-EINVAL;
	ptr = csum_at(pkt, (uint32_t)r2);
	if (!ptr)
		return (uint64_t)-EFAULT;
	memcpy(&v, ptr, sizeof(v));
	if (is_mmzero && !do_mforce && !v)
		return 0;
	sz = csum_field_sz(r5, r3);
	if (sz < 0)
		return (uint64_t)(int64_t)sz;
	csum_replace(&v, (uint32_t)sz, r3, r4);
	if (is_mmzero && !v)
		v = CSUM_MANGLED_0;
	memcpy(ptr, &v, sizeof(v));
	return 0;
}

/*
 * Linux's bpf_csum_diff(): the 32-bit one's-complement sum (x86-64's
 * csum_partial(): 32-bit words with end-around carry) of the complemented
 * @from words and the @to words, seeded with the low 32 bits of r5.
 */
uint64_t ubf_helper_csum_diff(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct ubf_run *run)
{
	uint32_t from_sz = (uint32_t)r2, to_sz = (uint32_t)r4, w;
	uint64_t sum = (uint32_t)r5;
	size_t i;

	if (((from_sz | to_sz) & 3) || (uint64_t)from_sz + to_sz > CSUM_DIFF_MAX)
		return (uint64_t)-EINVAL;
	if (run->is_checked && (ubf_run_check_mem(run, r1, from_sz, false, run->helper_pc) ||
				ubf_run_check_mem(run, r3, to_sz, false, run->helper_pc)))
		return (uint64_t)-EFAULT;
	for (i = 0; i < from_sz; i += 4) {
		memcpy(&w, (const uint8_t *)(uintptr_t)r1 + i, 4);
		sum += (uint32_t)~w;
	}
	for (i = 0; i < to_sz; i += 4) {
		memcpy(&w, (const uint8_t *)(uintptr_t)r3 + i, 4);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return sum;
}

/*
 * redirect has no context argument: the run's own context tells the
 * program type.  XDP: XDP_REDIRECT, or XDP_ABORTED for any flag.  TC:
 * TC_ACT_REDIRECT, or TC_ACT_SHOT for flags other than BPF_F_INGRESS.
 */
uint64_t ubf_helper_redirect(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct ubf_run *run)
{
	uint64_t ctx = (uint64_t)(uintptr_t)run->pkt;
	struct ubf_pkt *pkt;

	(void)r3, (void)r4, (void)r5;
	pkt = pkt_of(run, ctx, UBF_PKT_XDP_MAGIC);
	if (pkt) {
		if (r2)
			return XDP_ABORTED;
		pkt->redirect_ifindex = (uint32_t)r1;
		pkt->redirect_flags = 0;
		return XDP_REDIRECT;
	}
	pkt = pkt_of(run, ctx, UBF_PKT_SKB_MAGIC);
	if (!pkt)
		return (uint64_t)-EINVAL;
	if (r2 & ~(uint64_t)BPF_F_INGRESS)
		return TC_ACT_SHOT;
	pkt->redirect_ifindex = (uint32_t)r1;
	pkt->redirect_flags = r2;
	return TC_ACT_REDIRECT;
}
