// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_verifier_scalar_gen.c - the random side of the scalar-domain tests:
 * edge-biased values, abstract scalars that contain a chosen value, and
 * reference semantics for ALU rows and jumps written from RFC 9669's
 * tables (with semantics.h for division, modulo and byte order, which
 * the interpreter shares).  Nothing here calls the domain's folding code.
 */
#include <stdio.h>

#include "isa/isa.h"
#include "isa/semantics.h"
#include "test_verifier_scalar.h"

uint64_t ubf_vs_next(struct ubf_vs_rng *r)
{
	uint64_t x = r->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t ubf_vs_value(struct ubf_vs_rng *r)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0x7fff,
		0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
		0x100000000ull, 0x100000001ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		0x8000000000000001ull, 0xffffffff00000000ull, 0xffffffff7fffffffull,
		0xffffffff80000000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
	};
	uint64_t x = ubf_vs_next(r);

	switch (x % 8) {
	case 0:
	case 1:
		return edge[(x >> 8) % (sizeof(edge) / sizeof(edge[0]))];
	case 2:
		return edge[(x >> 8) % (sizeof(edge) / sizeof(edge[0]))] + ((x >> 40) % 5) - 2;
	case 3:
		return (x >> 8) % 300;
	case 4:
		return (uint64_t)(int64_t)(int32_t)(uint32_t)ubf_vs_next(r);
	case 5:
		return (uint32_t)ubf_vs_next(r);
	case 6:
		return (uint64_t)1 << ((x >> 8) & 63);
	default:
		return ubf_vs_next(r);
	}
}

/* A random mask of a few bits, or of many. */
static uint64_t rand_mask(struct ubf_vs_rng *r)
{
	uint64_t x = ubf_vs_next(r);

	switch (x % 4) {
	case 0:
		return ubf_vs_next(r) & ubf_vs_next(r) & ubf_vs_next(r);
	case 1:
		return ((uint64_t)1 << ((x >> 8) & 63)) - 1;
	case 2:
		return ubf_vs_next(r);
	default:
		return (uint64_t)0xff << ((x >> 8) % 57);
	}
}

static const uint8_t alu_ops[] = {
	UBF_OP_ADD, UBF_OP_SUB, UBF_OP_MUL, UBF_OP_AND, UBF_OP_OR, UBF_OP_XOR, UBF_OP_LSH,
	UBF_OP_RSH, UBF_OP_ARSH, UBF_OP_DIV, UBF_OP_MOD, UBF_OP_SDIV, UBF_OP_SMOD,
};

static const uint8_t jmp_ops[] = {
	UBF_OP_JEQ, UBF_OP_JNE, UBF_OP_JGT, UBF_OP_JGE, UBF_OP_JLT, UBF_OP_JLE,
	UBF_OP_JSGT, UBF_OP_JSGE, UBF_OP_JSLT, UBF_OP_JSLE, UBF_OP_JSET,
};

/* Both ends around v without wrapping: [v - a, v + b] in unsigned or signed order. */
static void around(struct ubf_vs_rng *r, uint64_t v, struct ubf_scalar *s, int is_signed)
{
	uint64_t a = rand_mask(r) >> (ubf_vs_next(r) % 64), b = rand_mask(r) >> (ubf_vs_next(r) % 64);

	if (!is_signed) {
		uint64_t lo = v >= a ? v - a : 0, hi = ~v >= b ? v + b : ~(uint64_t)0;

		*s = ubf_scalar_from_urange(lo, hi);
	} else {
		uint64_t bv = v ^ (1ull << 63); /* signed order as unsigned order */
		uint64_t lo = bv >= a ? bv - a : 0, hi = ~bv >= b ? bv + b : ~(uint64_t)0;

		*s = ubf_scalar_from_srange((int64_t)(lo ^ (1ull << 63)), (int64_t)(hi ^ (1ull << 63)));
	}
}

void ubf_vs_pair(struct ubf_vs_rng *r, uint64_t *v, struct ubf_scalar *s, int depth)
{
	uint64_t x = ubf_vs_value(r), m, y, k = ubf_vs_next(r);
	struct ubf_scalar t, u;
	unsigned op, w = (k >> 32) & 1 ? 64 : 32;

	*v = x;
	switch (k % (depth > 0 ? 9 : 6)) {
	case 0:
		*s = ubf_scalar_const(x);
		return;
	case 1:
		around(r, x, s, 0);
		return;
	case 2:
		around(r, x, s, 1);
		return;
	case 3:
		m = rand_mask(r);
		*s = ubf_scalar_from_tnum((struct ubf_tnum){ x & ~m, m });
		return;
	case 4:
		*s = ubf_scalar_unknown();
		return;
	case 5: /* a zero-extended 32-bit value, as after a 32-bit ALU op */
		x = (uint32_t)x;
		*v = x;
		*s = ubf_scalar_from_urange((uint32_t)x > 1000 ? (uint32_t)x - 1000 : 0, 0xffffffffu);
		return;
	case 6: /* the join of two paths */
		ubf_vs_pair(r, v, &t, depth - 1);
		ubf_vs_pair(r, &y, &u, depth - 1);
		*s = (k >> 8) & 1 ? ubf_scalar_join(&t, &u) : ubf_scalar_join(&u, &t);
		return;
	case 7: /* the result of an ALU operation */
		ubf_vs_pair(r, v, &t, depth - 1);
		ubf_vs_pair(r, &y, &u, depth - 1);
		op = alu_ops[(k >> 8) % sizeof(alu_ops)];
		*v = ubf_vs_ref_alu(op, w, *v, y);
		ubf_scalar_alu(&t, op, w, &u);
		*s = t;
		return;
	default: /* the side of a branch the value goes */
		ubf_vs_pair(r, v, &t, depth - 1);
		ubf_vs_pair(r, &y, &u, depth - 1);
		op = jmp_ops[(k >> 8) % sizeof(jmp_ops)];
		ubf_scalar_branch_refine(&t, &u, op, w, ubf_vs_ref_jmp(op, w, *v, y));
		*s = t;
		return;
	}
}

uint64_t ubf_vs_ref_alu(unsigned op, unsigned w, uint64_t d, uint64_t s)
{
	int is32 = w == 32;
	uint32_t d32 = (uint32_t)d, s32 = (uint32_t)s;

	switch (op) {
	case UBF_OP_ADD: return is32 ? (uint32_t)(d32 + s32) : d + s;
	case UBF_OP_SUB: return is32 ? (uint32_t)(d32 - s32) : d - s;
	case UBF_OP_MUL: return is32 ? (uint32_t)(d32 * s32) : d * s;
	case UBF_OP_DIV: return is32 ? ubf_udiv32(d32, s32) : ubf_udiv64(d, s);
	case UBF_OP_SDIV: return is32 ? ubf_sdiv32(d32, s32) : ubf_sdiv64(d, s);
	case UBF_OP_MOD: return is32 ? ubf_umod32(d32, s32) : ubf_umod64(d, s);
	case UBF_OP_SMOD: return is32 ? ubf_smod32(d32, s32) : ubf_smod64(d, s);
	case UBF_OP_OR: return is32 ? d32 | s32 : d | s;
	case UBF_OP_AND: return is32 ? d32 & s32 : d & s;
	case UBF_OP_XOR: return is32 ? d32 ^ s32 : d ^ s;
	case UBF_OP_LSH: return is32 ? (uint32_t)(d32 << (s32 & 31)) : d << (s & 63);
	case UBF_OP_RSH: return is32 ? d32 >> (s32 & 31) : d >> (s & 63);
	case UBF_OP_ARSH: return is32 ? ubf_arsh32(d32, s32 & 31) : ubf_arsh64(d, (unsigned)(s & 63));
	case UBF_OP_NEG: return is32 ? (uint32_t)(0u - d32) : 0 - d;
	case UBF_OP_MOV: return is32 ? s32 : s;
	case UBF_OP_MOVSX8: return is32 ? (uint32_t)ubf_sext8(s) : ubf_sext8(s);
	case UBF_OP_MOVSX16: return is32 ? (uint32_t)ubf_sext16(s) : ubf_sext16(s);
	case UBF_OP_MOVSX32: return ubf_sext32(s);
	case UBF_OP_LE: return ubf_to_le(d, w);
	case UBF_OP_BE: return ubf_to_be(d, w);
	case UBF_OP_BSWAP: return ubf_bswap(d, w);
	default: return 0xdeadbeef;
	}
}

int ubf_vs_ref_jmp(unsigned op, unsigned w, uint64_t d, uint64_t s)
{
	uint64_t ud = w == 32 ? (uint32_t)d : d, us = w == 32 ? (uint32_t)s : s;
	int64_t sd = w == 32 ? (int32_t)(uint32_t)d : (int64_t)d;
	int64_t ss = w == 32 ? (int32_t)(uint32_t)s : (int64_t)s;

	switch (op) {
	case UBF_OP_JEQ: return ud == us;
	case UBF_OP_JNE: return ud != us;
	case UBF_OP_JGT: return ud > us;
	case UBF_OP_JGE: return ud >= us;
	case UBF_OP_JLT: return ud < us;
	case UBF_OP_JLE: return ud <= us;
	case UBF_OP_JSGT: return sd > ss;
	case UBF_OP_JSGE: return sd >= ss;
	case UBF_OP_JSLT: return sd < ss;
	case UBF_OP_JSLE: return sd <= ss;
	case UBF_OP_JSET: return (ud & us) != 0;
	default: return -1;
	}
}

const char *ubf_vs_str(const struct ubf_scalar *s, int slot)
{
	static char buf[4][320];
	char *b = buf[slot & 3];

	snprintf(b, sizeof(buf[0]),
		 "{var_off=(%#llx; %#llx) s=[%lld, %lld] u=[%#llx, %#llx] s32=[%d, %d] u32=[%#x, %#x]}",
		 (unsigned long long)s->var_off.value, (unsigned long long)s->var_off.mask,
		 (long long)s->smin, (long long)s->smax, (unsigned long long)s->umin,
		 (unsigned long long)s->umax, s->s32_min, s->s32_max, s->u32_min, s->u32_max);
	return b;
}
