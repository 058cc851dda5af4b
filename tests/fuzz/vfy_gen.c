// SPDX-License-Identifier: BSD-2-Clause
/*
 * vfy_gen.c - soundness fuzzing of the verifier (issue 5).  It generates
 * random but plausible programs of four types (socket filter, XDP, raw
 * tracepoint, syscall): context loads, packet pointers checked against
 * data_end by random widths, stack spills and fills, map lookups with and
 * without null checks, pointer arithmetic with scalars bounded by random
 * branches, masks and arithmetic, bounded loops and helper calls.  Each is
 * loaded through ubf_bpf(PROG_LOAD); when the verifier accepts it, the
 * same instructions are loaded again with UBF_BPF_F_UNVERIFIED (the checked
 * mode, with the context, packet and map value regions the sys layer
 * grants) and run by PROG_TEST_RUN on random packets, contexts and map
 * contents: a fault or budget stop there is an unsoundness, printed with
 * the program and the verifier's log, and counted as failed.
 *
 * What the checked run cannot see: a main-frame stack access below fp-512
 * (the checked stack holds every call frame), an array map value overflowing
 * into the next element (hence a one-element array), uninitialised reads.
 *
 *   vfy_gen [--seed N] [--start I] [--count N] [--time SECONDS] [--runs N]
 *           [--reasons] [--kernel] [--verbose] [--print]
 *
 * --count 0 with --time 0 runs until SIGINT or SIGTERM, which print the
 * counts.  --reasons tallies the verifier's rejections; --kernel (root,
 * development only) compares every verdict with Linux's; --verbose lists
 * the accepted programs.  The last line is "vfy_fuzz: N passed, N failed,
 * N skipped": accepted and clean, unsound (or a canary the checked run
 * missed), rejected.
 */
#define _GNU_SOURCE	/* nftw's FTW_DEPTH, FTW_PHYS */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <userbpf/bpf.h>
#include <userbpf/insn.h>

#include "gen_rng.h"

#define MAX_DEPTH 3
#define NMAPS 4
#define PKT_MAX 256
#define SYSCALL_CTX 64		/* fields generated; accesses stay below RAW_TP_CTX */
#define RAW_TP_CTX 96
#define LOG_SZ (1u << 20)

/* What the generator believes a register or a spilled slot holds. */
enum kind { K_NONE, K_SCALAR, K_CTX, K_PKT, K_PKT_END, K_MVN, K_MV, K_FP };

struct vreg {
	uint8_t kind;
	uint8_t map;		/* K_MV, K_MVN */
	uint16_t range;		/* K_PKT: bytes believed below data_end */
};

struct model {
	struct vreg r[11];
	uint8_t init[512];	/* stack byte fp-512+i written on every path so far */
	struct vreg spill[64];	/* 8-byte slot i holds this register */
};

struct gen {
	struct ubf_raw_insn insns[4096];
	size_t cnt;
	struct model m;
	unsigned type, depth, units;
	uint16_t reserved;	/* loop counters */
};

struct fmap {
	int fd;
	uint32_t type, key_sz, val_sz, max;
};

static struct fmap maps[NMAPS];
static volatile sig_atomic_t stop;	/* SIGINT/SIGTERM: finish the program, then report */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---------------------------------------------------------------- emitting */

static void add(struct gen *g, uint8_t code, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	struct ubf_raw_insn in = UBF_INSN(code, dst, src, off, imm);

	if (g->cnt < sizeof(g->insns) / sizeof(g->insns[0]))
		g->insns[g->cnt++] = in;
}

static uint8_t size_bits(unsigned sz)
{
	return sz == 1 ? 0x10 : sz == 2 ? 0x08 : sz == 4 ? 0x00 : 0x18;
}

static void ldx(struct gen *g, unsigned sz, unsigned dst, unsigned src, int16_t off)
{
	add(g, 0x61 | size_bits(sz), dst, src, off, 0);
}

static void stx(struct gen *g, unsigned sz, unsigned dst, unsigned src, int16_t off)
{
	add(g, 0x63 | size_bits(sz), dst, src, off, 0);
}

static void st(struct gen *g, unsigned sz, unsigned dst, int16_t off, int32_t imm)
{
	add(g, 0x62 | size_bits(sz), dst, 0, off, imm);
}

static void mov_imm(struct gen *g, unsigned dst, int32_t imm)
{
	add(g, 0xb7, dst, 0, 0, imm);
	g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
}

static void mov_reg(struct gen *g, unsigned dst, unsigned src)
{
	add(g, 0xbf, dst, src, 0, 0);
	g->m.r[dst] = g->m.r[src];
}

static void call(struct gen *g, int32_t id)
{
	unsigned r;

	add(g, 0x85, 0, 0, 0, id);
	for (r = 1; r <= 5; r++)
		g->m.r[r].kind = K_NONE;
	g->m.r[0] = (struct vreg){ .kind = K_SCALAR };
}

static unsigned rnd_size(void)
{
	return 1u << below(4);
}

/* A size, and an offset near [lo, hi - size] (sometimes just outside, sometimes unaligned). */
static int rnd_off(int lo, int hi, unsigned sz)
{
	int span = hi - lo - (int)sz, off;

	if (span < 0 || chance(6))
		return lo + (int)below(16) - 8 + (span > 0 ? (int)below((unsigned)span + 1) : 0);
	off = lo + (int)below((unsigned)span + 1);
	if (chance(85))
		off &= ~(int)(sz - 1);
	if (off < lo)
		off += (int)sz;
	if (chance(5))
		off = chance(50) ? hi - (int)sz + 1 : lo - 1;
	return off;
}

/* A register of @kind (r0..r9), or -1. */
static int find_reg(const struct gen *g, unsigned kind)
{
	unsigned cand[10], n = 0, r;

	for (r = 0; r < 10; r++)
		if (g->m.r[r].kind == kind)
			cand[n++] = r;
	return n ? (int)cand[below(n)] : -1;
}

/* A register the code may overwrite: not ctx (r6), not a loop counter. */
static unsigned wreg(const struct gen *g)
{
	static const unsigned pool[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9 };
	unsigned r;

	do
		r = pool[below(9)];
	while (g->reserved & 1u << r);
	return r;
}

/* A register worth reading as a scalar: a scalar one mostly. */
static unsigned scalar_reg(struct gen *g)
{
	int r = find_reg(g, K_SCALAR);

	if (r >= 0 && chance(95))
		return (unsigned)r;
	r = (int)wreg(g);
	if (chance(90))
		mov_imm(g, (unsigned)r, rnd_imm());
	return (unsigned)r;
}

/* ---------------------------------------------------------------- blocks */

struct block {
	size_t at, at2;		/* the jump, and a second one to the same end or SIZE_MAX */
	struct model saved;
};

/* A conditional jump over what follows until block_close(): the block runs when it is false. */
static void block_open(struct gen *g, struct block *b, uint8_t code, unsigned dst, unsigned src,
		       int32_t imm)
{
	add(g, code, dst, src, 0, imm);
	b->at = g->cnt - 1;
	b->at2 = SIZE_MAX;
	b->saved = g->m;
}

/* Whatever the block changed is unknown after it. */
static void merge_model(struct model *m, const struct model *saved)
{
	unsigned i;

	for (i = 0; i < 11; i++)
		if (memcmp(&m->r[i], &saved->r[i], sizeof(m->r[i])))
			m->r[i].kind = K_NONE;
	for (i = 0; i < 64; i++)
		if (memcmp(&m->spill[i], &saved->spill[i], sizeof(m->spill[i])))
			m->spill[i].kind = K_NONE;
	memcpy(m->init, saved->init, sizeof(m->init));
}

static void block_close(struct gen *g, struct block *b)
{
	g->insns[b->at].off = (int16_t)(g->cnt - b->at - 1);
	if (b->at2 != SIZE_MAX)
		g->insns[b->at2].off = (int16_t)(g->cnt - b->at2 - 1);
	merge_model(&g->m, &b->saved);
}

/* ---------------------------------------------------------------- context */

struct cfield {
	uint16_t off;
	uint8_t sz, kind;
	bool is_writable;
};

static const struct cfield skb_fields[] = {
	{ 0, 4, K_SCALAR, 0 },	{ 0, 2, K_SCALAR, 0 },	{ 0, 1, K_SCALAR, 0 },	{ 4, 4, K_SCALAR, 0 },
	{ 8, 4, K_SCALAR, 0 },	{ 12, 4, K_SCALAR, 0 }, { 16, 4, K_SCALAR, 0 }, { 16, 2, K_SCALAR, 0 },
	{ 20, 4, K_SCALAR, 0 }, { 24, 4, K_SCALAR, 0 }, { 28, 4, K_SCALAR, 0 }, { 32, 4, K_SCALAR, 0 },
	{ 36, 4, K_SCALAR, 0 }, { 40, 4, K_SCALAR, 0 }, { 48, 4, K_SCALAR, 1 }, { 52, 4, K_SCALAR, 1 },
	{ 56, 4, K_SCALAR, 1 }, { 60, 4, K_SCALAR, 1 }, { 64, 4, K_SCALAR, 1 }, { 68, 4, K_SCALAR, 0 },
};

static const struct cfield xdp_fields[] = {
	{ 0, 4, K_PKT, 0 },	 { 4, 4, K_PKT_END, 0 }, { 8, 4, K_PKT, 0 },
	{ 12, 4, K_SCALAR, 0 }, { 16, 4, K_SCALAR, 0 },
};

static const struct cfield raw_tp_fields[] = {
	{ 0, 8, K_SCALAR, 0 },	{ 8, 8, K_SCALAR, 0 },	{ 16, 8, K_SCALAR, 0 }, { 24, 8, K_SCALAR, 0 },
	{ 32, 8, K_SCALAR, 0 }, { 40, 8, K_SCALAR, 0 }, { 48, 8, K_SCALAR, 0 }, { 56, 8, K_SCALAR, 0 },
	{ 64, 8, K_SCALAR, 0 }, { 72, 8, K_SCALAR, 0 }, { 80, 8, K_SCALAR, 0 }, { 88, 8, K_SCALAR, 0 },
};

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* A field of the program type's context; syscall contexts are plain bytes. */
static struct cfield pick_field(const struct gen *g)
{
	struct cfield f = { 0, 8, K_SCALAR, 1 };

	switch (g->type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return skb_fields[below(NFIELDS(skb_fields))];
	case BPF_PROG_TYPE_XDP:
		return xdp_fields[below(NFIELDS(xdp_fields))];
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return raw_tp_fields[below(NFIELDS(raw_tp_fields))];
	default:
		f.sz = (uint8_t)rnd_size();
		f.off = (uint16_t)rnd_off(0, SYSCALL_CTX, f.sz);
		return f;
	}
}

static void u_ctx_load(struct gen *g)
{
	struct cfield f = pick_field(g);
	unsigned dst = wreg(g);

	if (chance(3))
		f.off = (uint16_t)(f.off + below(8));
	ldx(g, f.sz, dst, 6, (int16_t)f.off);
	g->m.r[dst] = (struct vreg){ .kind = f.kind };
}

static void u_ctx_store(struct gen *g)
{
	struct cfield f = pick_field(g);

	if (!f.is_writable && chance(90))
		return;
	if (chance(50))
		st(g, f.sz, 6, (int16_t)f.off, rnd_imm());
	else
		stx(g, f.sz, 6, scalar_reg(g), (int16_t)f.off);
}

/* ---------------------------------------------------------------- scalars */

static void u_alu(struct gen *g)
{
	static const uint8_t ops[] = { 0x00, 0x10, 0x20, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xc0, 0x30, 0x90 };
	uint8_t op = ops[below(NFIELDS(ops))], cls = chance(70) ? 0x07 : 0x04;
	unsigned dst = scalar_reg(g);
	int32_t imm = rnd_imm();

	if (g->reserved & 1u << dst)
		dst = wreg(g);

	if (op >= 0x60 && op <= 0x70)
		imm &= cls == 0x07 ? 63 : 31;
	if (op == 0xc0)
		imm &= cls == 0x07 ? 63 : 31;
	if (chance(30))
		add(g, cls | 0x08 | op, dst, scalar_reg(g), 0, 0);
	else
		add(g, cls | op, dst, 0, 0, imm);
	g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
}

/* Load an unknown scalar into @dst: from the context, a helper, a map value or the stack. */
static void unknown_scalar(struct gen *g, unsigned dst)
{
	int mv = find_reg(g, K_MV);
	struct cfield f;

	switch (below(4)) {
	case 0:
		call(g, BPF_FUNC_get_prandom_u32);
		if (dst)
			mov_reg(g, dst, 0);
		return;
	case 1:
		if (mv >= 0) {
			unsigned sz = rnd_size();

			ldx(g, sz, dst, (unsigned)mv,
			    (int16_t)rnd_off(0, (int)maps[g->m.r[mv].map].val_sz, sz));
			g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
			return;
		}
		break;
	case 2: {
		unsigned i = below(64);

		if (g->m.init[i * 8] && g->m.spill[i].kind != K_FP) {
			ldx(g, 8, dst, 10, (int16_t)(i * 8 - 512));
			g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
			return;
		}
		break;
	}
	default:
		break;
	}
	f = pick_field(g);
	if (f.kind != K_SCALAR) {
		mov_imm(g, dst, rnd_imm());
		return;
	}
	ldx(g, f.sz, dst, 6, (int16_t)f.off);
	g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
}

/*
 * Make @r a scalar believed to lie in [0, *max]: a mask, a shift, or a
 * branch around a block (then *blk is open and the caller closes it).
 * Some of the bounds are deliberately one-sided or signed only.
 */
static bool bound_scalar(struct gen *g, unsigned r, uint32_t *max, struct block *blk)
{
	uint32_t k = chance(50) ? below(64) : below(4096);
	bool is32 = chance(25);

	unknown_scalar(g, r);
	switch (below(6)) {
	case 0:		/* and with a low mask or a random one */
		k = chance(70) ? (1u << below(9)) - 1 : k;
		add(g, is32 ? 0x54 : 0x57, r, 0, 0, (int32_t)k);
		*max = k;
		return false;
	case 1:		/* a shift leaving a few bits */
		k = 24 + below(9);
		add(g, 0x54, r, 0, 0, -1);	/* w &= -1: zero extend */
		add(g, 0x77, r, 0, 0, (int32_t)k);
		*max = (uint32_t)(0xffffffffull >> k);
		return false;
	case 2:		/* if r > k goto out */
		block_open(g, blk, is32 ? 0x26 : 0x25, r, 0, (int32_t)k);
		*max = k;
		return true;
	case 3:		/* if r >= k goto out, the register on the other side */
		block_open(g, blk, 0x35, r, 0, (int32_t)k);
		*max = k ? k - 1 : 0;
		return true;
	case 4:		/* signed only: the low end stays open */
		block_open(g, blk, is32 ? 0x66 : 0x65, r, 0, (int32_t)k);
		*max = k;
		return true;
	default:	/* two-sided signed: if r s< 0 goto out; if r s> k goto out */
		block_open(g, blk, 0xc5, r, 0, 0);
		add(g, 0x65, r, 0, 0, (int32_t)k);
		blk->at2 = g->cnt - 1;
		*max = k;
		return true;
	}
}

/*
 * Arithmetic on a bounded scalar, which the verifier must track exactly:
 * the generator's belief about the maximum follows roughly (an access may
 * then be out of range, which the verifier must see).
 */
static void scalar_noise(struct gen *g, unsigned r, uint32_t *max)
{
	static const uint8_t ops[] = { 0x00, 0x10, 0x20, 0x40, 0x50, 0x70, 0xa0, 0xc0, 0x80 };
	unsigned n = 1 + below(3);
	uint64_t m = *max;

	while (n--) {
		uint8_t op = ops[below(NFIELDS(ops))], cls = chance(80) ? 0x07 : 0x04;
		uint32_t k = chance(70) ? below(16) : below(256);

		if (op == 0x70 || op == 0xc0)
			k &= 31;
		if (op == 0x80) {	/* neg, twice: back where it was, if tracked */
			add(g, cls | op, r, 0, 0, 0);
			add(g, cls | op, r, 0, 0, 0);
			continue;
		}
		add(g, cls | op, r, 0, 0, (int32_t)k);
		switch (op) {
		case 0x00: m += k; break;
		case 0x20: m *= k; break;
		case 0x40: case 0xa0: m |= k; break;
		case 0x50: m = m < k ? m : k; break;
		case 0x70: case 0xc0: m >>= k; break;
		default: break;	/* sub: the low end moves below 0 */
		}
	}
	*max = m > 0xffffffffu ? 0xffffffffu : (uint32_t)m;
}

/* ---------------------------------------------------------------- memory */

static void mem_op(struct gen *g, unsigned base, int off, unsigned sz, bool is_write)
{
	if (!is_write) {
		unsigned dst = wreg(g);

		ldx(g, sz, dst, base, (int16_t)off);
		g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
	} else if (chance(50)) {
		st(g, sz, base, (int16_t)off, rnd_imm());
	} else {
		stx(g, sz, base, scalar_reg(g), (int16_t)off);
	}
}

static void u_stack_store(struct gen *g)
{
	int lo = chance(80) ? -64 : -512, off;
	unsigned sz = rnd_size(), src, i;

	off = rnd_off(lo, 0, sz);
	if (chance(30)) {	/* spill a pointer or a scalar, 8 bytes, aligned */
		src = (unsigned)(chance(70) ? (int)below(10) : 10);
		if (src < 10 && g->m.r[src].kind == K_NONE && chance(90))
			src = 10;
		off = -8 * (int)(1 + below(chance(80) ? 8 : 64));
		stx(g, 8, 10, src, (int16_t)off);
		if (off >= -512) {
			g->m.spill[(off + 512) / 8] = g->m.r[src];
			memset(&g->m.init[off + 512], g->m.r[src].kind != K_NONE, 8);
		}
		return;
	}
	if (chance(50))
		st(g, sz, 10, (int16_t)off, rnd_imm());
	else
		stx(g, sz, 10, scalar_reg(g), (int16_t)off);
	if (off >= -512 && off + (int)sz <= 0) {
		for (i = 0; i < sz; i++)
			g->m.init[off + 512 + (int)i] = 1;
		g->m.spill[(off + 512) / 8].kind = K_SCALAR;
	}
}

static void u_stack_load(struct gen *g)
{
	unsigned sz = rnd_size(), dst = wreg(g), slot;
	int off = rnd_off(chance(80) ? -64 : -512, 0, sz);

	if (chance(40)) {	/* fill a whole slot */
		slot = 56 + below(8);
		off = (int)slot * 8 - 512;
		sz = 8;
	}
	ldx(g, sz, dst, 10, (int16_t)off);
	g->m.r[dst] = (struct vreg){ .kind = K_SCALAR };
	if (sz == 8 && off >= -512 && off <= -8 && !(off % 8))
		g->m.r[dst] = g->m.spill[(off + 512) / 8];
}

/* A packet access through @p believed good for @range bytes. */
static void pkt_access(struct gen *g, unsigned p, unsigned range)
{
	unsigned sz = rnd_size();

	mem_op(g, p, rnd_off(0, (int)range, sz), sz, chance(30));
}

static void body(struct gen *g, unsigned units);

/* XDP: data and data_end, "if data + k > data_end goto out", accesses inside. */
static void u_pkt_check(struct gen *g)
{
	unsigned p = wreg(g), e, t, k = chance(60) ? 1 + below(40) : below(300);
	static const uint8_t codes[] = { 0x2d, 0x3d, 0xad, 0xbd };	/* jgt jge jlt jle (reg) */
	uint8_t code = codes[below(4)];
	struct block b;

	if (g->type != BPF_PROG_TYPE_XDP)
		return;
	ldx(g, 4, p, 6, chance(97) ? 0 : 8);
	g->m.r[p] = (struct vreg){ .kind = K_PKT };
	do
		e = wreg(g);
	while (e == p);
	ldx(g, 4, e, 6, 4);
	g->m.r[e] = (struct vreg){ .kind = K_PKT_END };
	do
		t = wreg(g);
	while (t == p || t == e);
	mov_reg(g, t, p);
	add(g, 0x07, t, 0, 0, (int32_t)k);
	g->m.r[t].kind = K_NONE;
	/* data + k > end, data + k >= end, end < data + k, end <= data + k */
	if (code == 0x2d || code == 0x3d)
		block_open(g, &b, code, t, e, 0);
	else
		block_open(g, &b, code, e, t, 0);
	if (code == 0x3d || code == 0xbd)
		k = k ? k - 1 : 0;	/* >= proves one byte less, as the generator believes */
	g->m.r[p].range = (uint16_t)k;
	pkt_access(g, p, k);
	body(g, 1 + below(3));
	if (g->m.r[p].kind == K_PKT)
		pkt_access(g, p, g->m.r[p].range);
	block_close(g, &b);
}

static void u_pkt_access(struct gen *g)
{
	int p = find_reg(g, K_PKT);

	if (p >= 0)
		pkt_access(g, (unsigned)p, g->m.r[p].range);
}

/* A key on the stack at fp-8 / fp-16, from a constant or a scalar; r2 points at it. */
static void key_on_stack(struct gen *g, const struct fmap *fm, int off)
{
	if (chance(60))
		st(g, fm->key_sz, 10, (int16_t)off, (int32_t)below(fm->max + 2));
	else
		stx(g, fm->key_sz, 10, scalar_reg(g), (int16_t)off);
	if (fm->key_sz == 4 && chance(90))
		st(g, 4, 10, (int16_t)(off + 4), 0);	/* keep the slot initialised */
	memset(&g->m.init[off + 512], 1, 8);
	g->m.spill[(off + 512) / 8].kind = K_SCALAR;
}

static void ld_map(struct gen *g, unsigned dst, unsigned i)
{
	add(g, 0x18, dst, BPF_PSEUDO_MAP_FD, 0, maps[i].fd);
	add(g, 0, 0, 0, 0, 0);
	g->m.r[dst] = (struct vreg){ .kind = K_NONE };
}

static void mv_access(struct gen *g, unsigned r)
{
	unsigned sz = rnd_size();

	mem_op(g, r, rnd_off(0, (int)maps[g->m.r[r].map].val_sz, sz), sz, chance(40));
}

static void u_map_lookup(struct gen *g)
{
	unsigned m = below(NMAPS), dst;
	struct block b;

	key_on_stack(g, &maps[m], -8);
	ld_map(g, 1, m);
	mov_reg(g, 2, 10);
	add(g, 0x07, 2, 0, 0, -8);
	call(g, BPF_FUNC_map_lookup_elem);
	g->m.r[0] = (struct vreg){ .kind = K_MVN, .map = (uint8_t)m };
	dst = 0;
	if (chance(40) && !(g->reserved & 0x380)) {
		dst = 7 + below(3);
		mov_reg(g, dst, 0);
	}
	if (chance(12)) {	/* no null check */
		g->m.r[dst].kind = K_MV;
		mv_access(g, dst);
		return;
	}
	/* mostly "if r == 0 goto out"; sometimes the wrong way round (the block sees null) */
	block_open(g, &b, chance(90) ? 0x15 : 0x55, dst, 0, 0);
	g->m.r[dst].kind = K_MV;
	if (dst)	/* the check covers the copy in r0 too */
		g->m.r[0].kind = K_MV;
	mv_access(g, dst && chance(30) ? 0 : dst);
	body(g, below(4));
	if (g->m.r[dst].kind == K_MV)
		mv_access(g, dst);
	block_close(g, &b);
}

static void u_mv_access(struct gen *g)
{
	int r = find_reg(g, K_MV);

	if (r >= 0)
		mv_access(g, (unsigned)r);
}

/* base += bounded scalar; an access whose offset the bound is believed to allow. */
static void u_varptr(struct gen *g)
{
	unsigned s = wreg(g), p, sz = rnd_size(), which = below(3);
	uint32_t max = 0;
	struct block b, pb;
	bool has_blk;
	int mv = find_reg(g, K_MV), off;

	if (which == 1 && mv < 0)
		which = 0;
	if (which == 2 && g->type != BPF_PROG_TYPE_XDP)
		which = 0;
	if (which == 1 && (unsigned)mv == s)
		return;
	has_blk = bound_scalar(g, s, &max, &b);
	if (which == 1 && g->m.r[mv].kind != K_MV)	/* a helper call took it */
		which = 0;
	if (chance(30))
		scalar_noise(g, s, &max);
	if (chance(20)) {
		add(g, 0x67, s, 0, 0, 3);	/* scale by 8 */
		max = max > 0x1fffffff ? 0xffffffffu : max * 8;
	}
	do
		p = wreg(g);
	while (p == s);
	if (which == 0) {		/* the stack: strict alignment, as in Linux */
		if (!(g->insns[g->cnt - 1].code == 0x67 && chance(80)) && chance(70))
			sz = 1;
		mov_reg(g, p, 10);
		off = -(int)(chance(70) ? 64 : 512);
		if (max < 512 && chance(80))
			off = -(int)max - (int)sz - (int)below(16);
		if (off < -512)
			off = -512;
		if (chance(90))
			off &= ~(int)(sz - 1);
		add(g, 0x0f, p, s, 0, 0);
		g->m.r[p].kind = K_NONE;
		mem_op(g, p, off, sz, chance(60));
	} else if (which == 1) {	/* a map value */
		unsigned vsz = maps[g->m.r[mv].map].val_sz;

		mov_reg(g, p, (unsigned)mv);
		add(g, 0x0f, p, s, 0, 0);
		g->m.r[p].kind = K_NONE;
		off = max + sz <= vsz ? (int)below(vsz - max - sz + 1) : (int)below(8);
		if (chance(5))
			off++;
		mem_op(g, p, off, sz, chance(40));
	} else {			/* a packet: data + s, then its own check */
		unsigned e, k = sz + below(8);

		ldx(g, 4, p, 6, 0);
		add(g, 0x0f, p, s, 0, 0);
		do
			e = wreg(g);
		while (e == p || e == s);
		ldx(g, 4, e, 6, 4);
		mov_reg(g, s, p);
		add(g, 0x07, s, 0, 0, (int32_t)k);
		block_open(g, &pb, 0x2d, s, e, 0);
		mem_op(g, p, rnd_off(0, (int)k, sz), sz, chance(30));
		block_close(g, &pb);
		g->m.r[p].kind = K_NONE;
	}
	if (has_blk)
		block_close(g, &b);
}

/* ---------------------------------------------------------------- control */

/* i = 0; do { body; stack[i]; } while (++i < n) */
static void u_loop(struct gen *g)
{
	unsigned c = 7 + below(3), t, n = 1 + below(chance(80) ? 8 : 64), sz = 8;
	size_t top;
	struct model saved;
	int base;

	if (g->reserved & 1u << c || g->depth >= MAX_DEPTH)
		return;
	mov_imm(g, c, 0);
	g->reserved |= (uint16_t)(1u << c);
	saved = g->m;
	top = g->cnt;
	g->depth++;
	body(g, below(3));
	g->depth--;
	do
		t = wreg(g);
	while (t == c);
	mov_reg(g, t, c);
	add(g, 0x67, t, 0, 0, 3);
	add(g, 0x0f, t, 10, 0, 0);	/* t = fp + 8 * i */
	base = -8 * (int)n - (chance(85) ? (int)below(8) * 8 : -8);
	if (base < -512)
		base = -512;
	g->m.r[t].kind = K_NONE;
	mem_op(g, t, base, sz, chance(60));
	add(g, 0x07, c, 0, 0, 1);
	add(g, chance(80) ? 0xa5 : 0xb5, c, 0, 0, (int32_t)n);
	g->insns[g->cnt - 1].off = (int16_t)((long)top - (long)g->cnt);
	g->reserved &= (uint16_t)~(1u << c);
	merge_model(&g->m, &saved);
	g->m.r[c].kind = K_NONE;
}

/* A random comparison of a scalar, skipping a block. */
static void u_branch(struct gen *g)
{
	static const uint8_t ops[] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 };
	uint8_t code = (chance(70) ? 0x05 : 0x06) | ops[below(NFIELDS(ops))];
	unsigned r = scalar_reg(g);
	struct block b;

	if (g->depth >= MAX_DEPTH)
		return;
	if (chance(30))
		block_open(g, &b, code | 0x08, r, scalar_reg(g), 0);
	else
		block_open(g, &b, code, r, 0, rnd_imm());
	g->depth++;
	body(g, 1 + below(3));
	g->depth--;
	block_close(g, &b);
}

/* A packet helper whose length is a bounded scalar, into a stack buffer sized by the bound. */
static void helper_var_len(struct gen *g)
{
	unsigned s = 7 + below(3);
	uint32_t max = 0;
	struct block b;
	bool has_blk;
	int buf;

	if (g->reserved & 1u << s)
		return;
	has_blk = bound_scalar(g, s, &max, &b);
	buf = max < 512 ? -(int)max - (int)(chance(80) ? 0 : below(8)) : -512;
	if (buf < -512)
		buf = -512;
	mov_reg(g, 1, 6);
	mov_imm(g, 2, (int32_t)below(32));
	mov_reg(g, 3, 10);
	add(g, 0x07, 3, 0, 0, buf);
	mov_reg(g, 4, s);
	call(g, g->type == BPF_PROG_TYPE_XDP ? BPF_FUNC_xdp_load_bytes : BPF_FUNC_skb_load_bytes);
	if (has_blk)
		block_close(g, &b);
}

/* A helper with arguments of the right kinds, mostly. */
static void u_helper(struct gen *g)
{
	unsigned len = 1 + below(chance(80) ? 32 : 600);
	int buf = -(int)(len + below(16));
	unsigned m = below(NMAPS);

	if (buf < -512)
		buf = -512;
	switch (below(6)) {
	case 0:
		call(g, chance(50) ? BPF_FUNC_get_prandom_u32 : BPF_FUNC_ktime_get_ns);
		break;
	case 1:
	case 2:
		if (g->type != BPF_PROG_TYPE_SOCKET_FILTER && g->type != BPF_PROG_TYPE_XDP)
			return;
		if (chance(30)) {
			helper_var_len(g);
			return;
		}
		mov_reg(g, 1, 6);
		if (chance(70))
			mov_imm(g, 2, (int32_t)below(64));
		else
			mov_reg(g, 2, scalar_reg(g));
		mov_reg(g, 3, 10);
		add(g, 0x07, 3, 0, 0, buf);
		mov_imm(g, 4, (int32_t)len);
		call(g, g->type == BPF_PROG_TYPE_XDP ? (chance(50) ? BPF_FUNC_xdp_load_bytes
							     : BPF_FUNC_xdp_store_bytes)
						     : BPF_FUNC_skb_load_bytes);
		if (g->insns[g->cnt - 1].imm != BPF_FUNC_xdp_store_bytes)
			memset(&g->m.init[512 + buf], 1, len <= 512 ? len : 0);
		break;
	case 3:
		key_on_stack(g, &maps[m], -8);
		ld_map(g, 1, m);
		mov_reg(g, 2, 10);
		add(g, 0x07, 2, 0, 0, -8);
		mov_reg(g, 3, 10);
		add(g, 0x07, 3, 0, 0, -(int)(8 + maps[m].val_sz + (chance(90) ? 0 : 8)));
		mov_imm(g, 4, 0);
		call(g, BPF_FUNC_map_update_elem);
		break;
	case 4:
		key_on_stack(g, &maps[m], -8);
		ld_map(g, 1, m);
		mov_reg(g, 2, 10);
		add(g, 0x07, 2, 0, 0, -8);
		call(g, BPF_FUNC_map_delete_elem);
		break;
	default:
		if (g->type != BPF_PROG_TYPE_XDP)
			return;
		mov_reg(g, 1, 6);
		mov_imm(g, 2, (int32_t)below(32) - 16);
		call(g, BPF_FUNC_xdp_adjust_head);
		for (m = 0; m < 10; m++)	/* packet pointers are stale: sometimes used anyway */
			if ((g->m.r[m].kind == K_PKT || g->m.r[m].kind == K_PKT_END) && chance(80))
				g->m.r[m].kind = K_NONE;
		break;
	}
}

static void unit(struct gen *g)
{
	unsigned pick = below(100);

	if (g->units++ > 60)
		return;
	if (pick < 10)
		u_ctx_load(g);
	else if (pick < 14)
		u_ctx_store(g);
	else if (pick < 22)
		u_alu(g);
	else if (pick < 32)
		u_stack_store(g);
	else if (pick < 38)
		u_stack_load(g);
	else if (pick < 48)
		u_pkt_check(g);
	else if (pick < 52)
		u_pkt_access(g);
	else if (pick < 62)
		u_map_lookup(g);
	else if (pick < 66)
		u_mv_access(g);
	else if (pick < 78)
		u_varptr(g);
	else if (pick < 83)
		u_loop(g);
	else if (pick < 90)
		u_branch(g);
	else
		u_helper(g);
}

static void body(struct gen *g, unsigned units)
{
	while (units--)
		unit(g);
}

static const uint32_t prog_types[] = { BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_XDP,
				       BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_PROG_TYPE_SYSCALL };

static void generate(struct gen *g)
{
	memset(g, 0, sizeof(*g));
	g->type = prog_types[below(NFIELDS(prog_types))];
	mov_reg(g, 6, 1);
	g->m.r[6] = (struct vreg){ .kind = K_CTX };
	g->m.r[10] = (struct vreg){ .kind = K_FP };
	if (chance(50)) {	/* most real programs zero a few stack slots first */
		unsigned i, n = 1 + below(8);

		for (i = 1; i <= n; i++)
			st(g, 8, 10, (int16_t)(-8 * (int)i), 0);
		memset(&g->m.init[512 - 8 * n], 1, 8 * n);
	}
	body(g, 1 + below(12));
	if (chance(50) && find_reg(g, K_SCALAR) >= 0 && g->type != BPF_PROG_TYPE_XDP)
		mov_reg(g, 0, (unsigned)find_reg(g, K_SCALAR));
	else
		mov_imm(g, 0, (int32_t)below(3));
	add(g, 0x95, 0, 0, 0, 0);
}

/* ---------------------------------------------------------------- running */

static int prog_load(const struct gen *g, uint32_t flags, char *log, uint32_t log_sz,
		     uint32_t level)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = g->type;
	a.insns = (uintptr_t)g->insns;
	a.insn_cnt = (uint32_t)g->cnt;
	a.license = (uintptr_t)"GPL";
	a.prog_flags = flags | (g->type == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE : 0);
	a.log_buf = (uintptr_t)log;
	a.log_size = log ? log_sz : 0;
	a.log_level = log ? level : 0;
	return ubf_bpf(BPF_PROG_LOAD, &a, sizeof(a));
}

static void fill_maps(void)
{
	uint8_t key[8] = { 0 }, val[64];
	unsigned i, j, n;
	union bpf_attr a;

	for (i = 0; i < NMAPS; i++) {
		for (n = 0; n < 3; n++) {
			uint32_t k = below(maps[i].max + 2);

			memcpy(key, &k, 4);
			for (j = 0; j < sizeof(val); j++)
				val[j] = (uint8_t)rnd();
			memset(&a, 0, sizeof(a));
			a.map_fd = (uint32_t)maps[i].fd;
			a.key = (uintptr_t)key;
			a.value = (uintptr_t)val;
			if (maps[i].type == BPF_MAP_TYPE_HASH && chance(30))
				ubf_bpf(BPF_MAP_DELETE_ELEM, &a, sizeof(a));
			else
				ubf_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
		}
	}
}

/* One test run on random input: 0, or -errno of PROG_TEST_RUN. */
static int test_run(const struct gen *g, int fd)
{
	uint8_t data[PKT_MAX], ctx[RAW_TP_CTX];
	union bpf_attr a;
	unsigned i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rnd();
	for (i = 0; i < sizeof(ctx); i++)
		ctx[i] = (uint8_t)(chance(50) ? below(64) : rnd());
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	if (g->type == BPF_PROG_TYPE_SOCKET_FILTER || g->type == BPF_PROG_TYPE_XDP) {
		a.test.data_in = (uintptr_t)data;
		a.test.data_size_in = 14 + below(chance(50) ? 40 : PKT_MAX - 14 + 1);
	} else {
		a.test.ctx_in = (uintptr_t)ctx;
		/*
		 * The whole buffer: a syscall program's context size is checked
		 * against the verifier's ctx_max by PROG_TEST_RUN, which the
		 * unverified load does not have.
		 */
		a.test.ctx_size_in = RAW_TP_CTX;
	}
	return ubf_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)) < 0 ? -errno : 0;
}

struct stats {
	uint64_t generated, accepted, rejected, runs, run_skipped, unsound, by_type_acc[4];
	uint64_t acc_insns, all_insns;	/* instructions of accepted / of all programs */
};

static void report(const struct gen *g, uint64_t idx, uint64_t seed, int err)
{
	char *log = calloc(1, LOG_SZ);
	int fd;

	fprintf(stderr, "vfy_fuzz: UNSOUND: program %" PRIu64 " (--seed %" PRIu64 " --start %" PRIu64
			" --count 1), type %u, accepted but its checked run failed: %s (%s)\n",
		idx, seed, idx, g->type, strerror(-err),
		err == -EFAULT ? "memory access outside its regions" : "instruction budget or call depth");
	gen_dump(g->insns, g->cnt);
	if (log) {
		fd = prog_load(g, 0, log, LOG_SZ, 2);
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "vfy_fuzz: verifier log (level 2):\n%s\n", log);
	}
	free(log);
}

/*
 * --kernel (root, development only, never in make check): the verdict of
 * Linux's own verifier for the same program, with kernel maps of the same
 * shapes in place of ours.  An accept where Linux rejects is printed with
 * Linux's reason: it may be an unsafe program the checked run cannot see.
 */
static int kmap_fd[NMAPS];
static struct {
	uint64_t both, neither, only_ours, only_linux;
} kcmp;

static int sys_bpf(int cmd, union bpf_attr *a)
{
	return (int)syscall(__NR_bpf, cmd, a, sizeof(*a));
}

static int kernel_maps(void)
{
	union bpf_attr a;
	unsigned i;

	for (i = 0; i < NMAPS; i++) {
		memset(&a, 0, sizeof(a));
		a.map_type = maps[i].type;
		a.key_size = maps[i].key_sz;
		a.value_size = maps[i].val_sz;
		a.max_entries = maps[i].max;
		kmap_fd[i] = sys_bpf(BPF_MAP_CREATE, &a);
		if (kmap_fd[i] < 0) {
			fprintf(stderr, "vfy_fuzz: --kernel: BPF_MAP_CREATE: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * Did our verifier walk the instruction Linux rejects (the last "N: (" line
 * of its log)?  When it did not, the two differ only in which paths they
 * prove dead, and the checked runs are the judge.
 */
static void triage(const struct gen *g, const char *klog)
{
	char *ours = malloc(LOG_SZ), pat[24];
	const char *q;
	long at = -1;
	int fd;

	for (q = klog; *q; q++) {
		if ((q == klog || q[-1] == '\n') && *q >= '0' && *q <= '9') {
			char *end;
			long n = strtol(q, &end, 10);

			if (end[0] == ':' && end[1] == ' ' && end[2] == '(')
				at = n;
		}
	}
	if (!ours || at < 0) {
		free(ours);
		return;
	}
	ours[0] = 0;
	fd = prog_load(g, 0, ours, LOG_SZ, 2);
	if (fd >= 0)
		close(fd);
	snprintf(pat, sizeof(pat), "\n%ld: ", at);
	fprintf(stderr, "vfy_fuzz: triage: insn %ld %s by userbpf's verifier\n\n", at,
		strstr(ours, pat) || !strncmp(ours, pat + 1, strlen(pat + 1)) ? "WALKED" : "proven dead");
	free(ours);
}

static void kernel_compare(const struct gen *g, bool is_ours, uint64_t idx, char *log)
{
	struct ubf_raw_insn insns[sizeof(g->insns) / sizeof(g->insns[0])];
	union bpf_attr a;
	size_t i;
	unsigned m;
	int fd;

	memcpy(insns, g->insns, g->cnt * sizeof(insns[0]));
	for (i = 0; i < g->cnt; i++) {
		if (insns[i].code != 0x18 || ubf_raw_src(&insns[i]) != BPF_PSEUDO_MAP_FD)
			continue;
		for (m = 0; m < NMAPS; m++)
			if (insns[i].imm == maps[m].fd)
				insns[i].imm = kmap_fd[m];
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = g->type;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = (uint32_t)g->cnt;
	a.license = (uintptr_t)"GPL";
	a.prog_flags = g->type == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE : 0;
	a.log_buf = (uintptr_t)log;
	a.log_size = LOG_SZ;
	a.log_level = 1;
	log[0] = 0;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0 && errno == ENOSPC) {
		/* a log too long for the buffer says nothing of the verdict */
		a.log_buf = 0;
		a.log_size = 0;
		a.log_level = 0;
		fd = sys_bpf(BPF_PROG_LOAD, &a);
	}
	if (fd >= 0)
		close(fd);
	if (fd >= 0 && is_ours)
		kcmp.both++;
	else if (fd < 0 && !is_ours)
		kcmp.neither++;
	else if (fd >= 0)
		kcmp.only_linux++;
	else
		kcmp.only_ours++;
	if (fd >= 0 && !is_ours) {
		size_t n;

		fd = prog_load(g, 0, log, LOG_SZ, 1);
		if (fd >= 0)
			close(fd);
		n = strlen(log);
		while (n && log[n - 1] == '\n')
			log[--n] = '\0';
		/* the rejection is the line before the statistics */
		while (n && log[n - 1] != '\n')
			n--;
		if (n)
			log[--n] = '\0';
		while (n && log[n - 1] != '\n')
			n--;
		fprintf(stderr, "vfy_fuzz: program %" PRIu64 ": rejected (%s), Linux accepts; userbpf: %s\n",
			idx, strerror(errno), log + n);
	}
	if (fd < 0 && is_ours) {
		fprintf(stderr, "vfy_fuzz: program %" PRIu64 ": accepted, Linux says %s:\n", idx,
			strerror(errno));
		gen_dump(g->insns, g->cnt);
		fprintf(stderr, "%s\n", log);
		triage(g, log);
	}
}

/* Why programs are rejected (--reasons): the log's last line, digits dropped. */
static struct {
	char what[96];
	uint64_t cnt;
} reasons[64];

static void count_reason(const char *log)
{
	const char *end = log + strlen(log), *p;
	char what[96];
	size_t n = 0, i;

	while (end > log && end[-1] == '\n')
		end--;
	for (p = end; p > log && p[-1] != '\n'; p--)
		;
	for (; p < end && n + 1 < sizeof(what); p++)
		if (*p < '0' || *p > '9')
			what[n++] = *p;
	what[n] = 0;
	for (i = 0; i < 64 && reasons[i].cnt && strcmp(reasons[i].what, what); i++)
		;
	if (i < 64) {
		memcpy(reasons[i].what, what, n + 1);
		reasons[i].cnt++;
	}
}

static void print_reasons(void)
{
	unsigned i, j;

	for (i = 0; i < 64 && reasons[i].cnt; i++) {
		unsigned best = i;

		for (j = i + 1; j < 64 && reasons[j].cnt; j++)
			if (reasons[j].cnt > reasons[best].cnt)
				best = j;
		if (best != i) {
			__typeof__(reasons[0]) tmp = reasons[i];

			reasons[i] = reasons[best];
			reasons[best] = tmp;
		}
		printf("vfy_fuzz: rejected %8" PRIu64 "  %s\n", reasons[i].cnt, reasons[i].what);
	}
}

/* Verdict, then the checked runs: false on an unsoundness. */
static bool check_one(const struct gen *g, unsigned runs, uint64_t idx, uint64_t seed,
		      struct stats *st, char *log, bool verbose)
{
	unsigned i, t;
	int fd, err;
	bool ran = false;

	if (log)
		log[0] = 0;
	fd = prog_load(g, 0, log, LOG_SZ, 1);
	if (fd < 0 && errno == ENOSPC)	/* the log, not the program, was too long */
		fd = prog_load(g, 0, NULL, 0, 0);
	if (log && kmap_fd[0] > 0)
		kernel_compare(g, fd >= 0, idx, log);
	else if (fd < 0 && log)
		count_reason(log);
	if (fd < 0) {
		st->rejected++;
		return true;
	}
	close(fd);
	st->accepted++;
	st->acc_insns += g->cnt;
	if (verbose)
		gen_dump(g->insns, g->cnt);
	for (t = 0; t < 4; t++)
		if (prog_types[t] == g->type)
			st->by_type_acc[t]++;
	fd = prog_load(g, UBF_BPF_F_UNVERIFIED, NULL, 0, 0);
	if (fd < 0) {
		fprintf(stderr, "vfy_fuzz: program %" PRIu64 ": the unverified load failed: %s\n",
			idx, strerror(errno));
		gen_dump(g->insns, g->cnt);
		return false;
	}
	for (i = 0; i < runs; i++) {
		fill_maps();
		err = test_run(g, fd);
		if (err == -EFAULT || err == -E2BIG) {
			st->unsound++;
			report(g, idx, seed, err);
			close(fd);
			return false;
		}
		if (err) {
			st->run_skipped++;
			continue;
		}
		st->runs++;
		ran = true;
	}
	close(fd);
	if (!ran)
		st->run_skipped++;
	return true;
}

/*
 * The oracle must see faults: three unsafe programs (past the context,
 * past a map value, past the packet) are rejected by the verifier and fault
 * in the checked run.  Returns the number of canaries that did not.
 */
static unsigned oracle_selftest(struct gen *g)
{
	unsigned bad = 0, c;
	int fd, err;

	for (c = 0; c < 3; c++) {
		memset(g, 0, sizeof(*g));
		g->type = BPF_PROG_TYPE_XDP;
		if (c == 0) {
			ldx(g, 8, 0, 1, 64);
		} else if (c == 1) {
			/* the last element: past the others is the next one's value */
			st(g, 4, 10, -8, (int32_t)maps[0].max - 1);
			ld_map(g, 1, 0);
			mov_reg(g, 2, 10);
			add(g, 0x07, 2, 0, 0, -8);
			call(g, BPF_FUNC_map_lookup_elem);
			add(g, 0x15, 0, 0, 1, 0);
			ldx(g, 1, 0, 0, (int16_t)maps[0].val_sz);
		} else {
			ldx(g, 4, 2, 1, 0);
			ldx(g, 1, 0, 2, PKT_MAX + 1);
		}
		mov_imm(g, 0, 2);
		add(g, 0x95, 0, 0, 0, 0);
		fd = prog_load(g, 0, NULL, 0, 0);
		if (fd >= 0) {
			close(fd);
			fprintf(stderr, "vfy_fuzz: canary %u accepted by the verifier\n", c);
			bad++;
			continue;
		}
		fd = prog_load(g, UBF_BPF_F_UNVERIFIED, NULL, 0, 0);
		err = fd < 0 ? -errno : test_run(g, fd);
		if (fd >= 0)
			close(fd);
		if (err != -EFAULT) {
			fprintf(stderr, "vfy_fuzz: canary %u: the checked run did not fault (%s)\n", c,
				strerror(-err));
			bad++;
		}
	}
	return bad;
}

static int make_maps(void)
{
	static const struct fmap shapes[NMAPS] = {
		{ -1, BPF_MAP_TYPE_ARRAY, 4, 16, 1 },	/* one element: no neighbour to overflow into */
		{ -1, BPF_MAP_TYPE_ARRAY, 4, 48, 8 },
		{ -1, BPF_MAP_TYPE_HASH, 4, 8, 16 },
		{ -1, BPF_MAP_TYPE_HASH, 8, 40, 4 },
	};
	union bpf_attr a;
	unsigned i;

	for (i = 0; i < NMAPS; i++)
		maps[i].fd = -1;
	for (i = 0; i < NMAPS; i++) {
		maps[i] = shapes[i];
		memset(&a, 0, sizeof(a));
		a.map_type = maps[i].type;
		a.key_size = maps[i].key_sz;
		a.value_size = maps[i].val_sz;
		a.max_entries = maps[i].max;
		maps[i].fd = ubf_bpf(BPF_MAP_CREATE, &a, sizeof(a));
		if (maps[i].fd < 0) {
			fprintf(stderr, "vfy_fuzz: cannot create map %u: %s\n", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A private store directory, so that runs leave nothing in the user's; removed at exit. */
static char store_dir[] = "/tmp/vfy_gen.XXXXXX";
static bool has_store_dir;

static void private_store(void)
{
	if (!getenv("UBF_PIN_ROOT") && mkdtemp(store_dir)) {
		setenv("UBF_PIN_ROOT", store_dir, 1);
		has_store_dir = true;
	}
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_store(void)
{
	unsigned i;

	for (i = 0; i < NMAPS; i++)
		if (maps[i].fd >= 0)
			close(maps[i].fd);
	if (has_store_dir)
		nftw(store_dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

struct opts {
	uint64_t seed, count, first;
	unsigned runs;
	double limit;
	bool verbose, print, reasons, kernel;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	int a;

	*o = (struct opts){ .seed = (uint64_t)time(NULL), .count = 1000, .runs = 4 };
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			o->seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--start") && a + 1 < argc)
			o->first = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--count") && a + 1 < argc)
			o->count = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--time") && a + 1 < argc)
			o->limit = strtod(argv[++a], NULL);
		else if (!strcmp(argv[a], "--runs") && a + 1 < argc)
			o->runs = (unsigned)strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--reasons"))
			o->reasons = true;
		else if (!strcmp(argv[a], "--kernel"))
			o->kernel = true;
		else if (!strcmp(argv[a], "--verbose"))
			o->verbose = true;
		else if (!strcmp(argv[a], "--print"))
			o->print = true;
		else
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t failed = 0, i;
	unsigned canary_bad;
	struct stats st = { 0 };
	time_t start = time(NULL);
	struct gen *g;
	char *why = NULL;
	struct opts o;

	if (parse_args(argc, argv, &o)) {
		fprintf(stderr, "usage: vfy_gen [--seed N] [--start I] [--count N] [--time SECONDS] "
				"[--runs N] [--reasons] [--kernel] [--verbose] [--print]\n");
		return 2;
	}
	g = malloc(sizeof(*g));
	if (!g)
		return 1;
	if (o.reasons || o.kernel)
		why = malloc(LOG_SZ);
	private_store();
	if (make_maps()) {
		remove_store();
		printf("vfy_fuzz: 0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	if (o.kernel) {
		if (!why || kernel_maps()) {
			remove_store();
			return 1;
		}
	}
	canary_bad = oracle_selftest(g);
	printf("vfy_fuzz: seed %" PRIu64 "%s\n", o.seed,
	       canary_bad ? "" : "; the oracle faults on 3 canaries");
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (i = o.first; !stop && (!o.count || i < o.first + o.count) &&
			(!o.limit || difftime(time(NULL), start) < o.limit);
	     i++) {
		rng_state = o.seed ^ i * 0x2545f4914f6cdd1dull;
		generate(g);
		st.generated++;
		st.all_insns += g->cnt;
		if (o.verbose || o.print) {
			fprintf(stderr, "vfy_fuzz: program %" PRIu64 " (type %u)\n", i, g->type);
			if (o.print)
				gen_dump(g->insns, g->cnt);
		}
		if (!o.print && !check_one(g, o.runs, i, o.seed, &st, why, o.verbose))
			failed++;
	}
	printf("vfy_fuzz: %" PRIu64 " programs, %" PRIu64 " accepted (%.1f%%; socket_filter %" PRIu64
	       ", xdp %" PRIu64 ", raw_tp %" PRIu64 ", syscall %" PRIu64 "), %" PRIu64
	       " clean checked runs, %" PRIu64 " runs skipped, %" PRIu64 " unsound\n",
	       st.generated, st.accepted, st.generated ? 100.0 * st.accepted / st.generated : 0.0,
	       st.by_type_acc[0], st.by_type_acc[1], st.by_type_acc[2], st.by_type_acc[3], st.runs,
	       st.run_skipped, st.unsound);
	printf("vfy_fuzz: %.1f instructions per accepted program, %.1f per program\n",
	       st.accepted ? (double)st.acc_insns / (double)st.accepted : 0.0,
	       st.generated ? (double)st.all_insns / (double)st.generated : 0.0);
	if (o.kernel)
		printf("vfy_fuzz: vs Linux: both accept %" PRIu64 ", both reject %" PRIu64
		       ", only userbpf accepts %" PRIu64 ", only Linux accepts %" PRIu64 "\n",
		       kcmp.both, kcmp.neither, kcmp.only_ours, kcmp.only_linux);
	else if (why)
		print_reasons();
	free(why);
	printf("vfy_fuzz: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n",
	       st.accepted - failed, failed + canary_bad, st.generated - st.accepted);
	free(g);
	remove_store();
	return failed || canary_bad ? 1 : 0;
}
