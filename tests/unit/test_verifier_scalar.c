// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_verifier_scalar.c - the verifier's scalar domain on its own: every
 * tnum operation and every ALU row of insn.def must hold the concrete
 * result of members of its inputs (about two million random and
 * edge-value checks), constants must fold exactly, and the cases where
 * Linux's domain is exact (masks, shifts by constants, 32-bit
 * zero-extension, ranges through add/sub/mul/div/mod) are exact here too.
 */
#include "test.h"

#include "isa/isa.h"
#include "isa/semantics.h"
#include "test_verifier_scalar.h"

#define ALU_ROUNDS 15000

/* A tnum and one of its members. */
static struct ubf_tnum rand_tnum(struct ubf_vs_rng *r, uint64_t *member)
{
	uint64_t x = ubf_vs_value(r), m = ubf_vs_next(r) & ubf_vs_next(r);

	if (ubf_vs_next(r) & 1)
		m >>= ubf_vs_next(r) % 64;
	*member = x;
	return (struct ubf_tnum){ x & ~m, m };
}

static uint64_t ref_tnum_op(int i, uint64_t x, uint64_t y, unsigned k)
{
	switch (i) {
	case 0: return x + y;
	case 1: return x - y;
	case 2: return x * y;
	case 3: return x & y;
	case 4: return x | y;
	case 5: return x ^ y;
	case 6: return x << k;
	case 7: return x >> k;
	case 8: return (uint64_t)((int64_t)x >> k);
	case 9: return (uint32_t)((int32_t)(uint32_t)x >> (k & 31));
	case 10: return 0 - x;
	case 11: return (uint16_t)x;
	default: return (uint64_t)(int64_t)(int16_t)(uint16_t)x;
	}
}

static struct ubf_tnum tnum_op(int i, struct ubf_tnum a, struct ubf_tnum b, unsigned k)
{
	switch (i) {
	case 0: return ubf_tnum_add(a, b);
	case 1: return ubf_tnum_sub(a, b);
	case 2: return ubf_tnum_mul(a, b);
	case 3: return ubf_tnum_and(a, b);
	case 4: return ubf_tnum_or(a, b);
	case 5: return ubf_tnum_xor(a, b);
	case 6: return ubf_tnum_lshift(a, k);
	case 7: return ubf_tnum_rshift(a, k);
	case 8: return ubf_tnum_arshift(a, k, 64);
	case 9: return ubf_tnum_arshift(ubf_tnum_subreg(a), k & 31, 32);
	case 10: return ubf_tnum_neg(a);
	case 11: return ubf_tnum_cast(a, 2);
	default: return ubf_tnum_sext(a, 16);
	}
}

TEST(verifier_tnum_ops_sound)
{
	struct ubf_vs_rng r = { 0x9e3779b97f4a7c15ull };
	int n, i, fails = 0;

	for (n = 0; n < 40000; n++) {
		uint64_t x, y, lo, hi;
		struct ubf_tnum a = rand_tnum(&r, &x), b = rand_tnum(&r, &y), t;
		unsigned k = (unsigned)(ubf_vs_next(&r) % 64);

		for (i = 0; i < 13; i++) {
			t = tnum_op(i, a, b, k);
			if (!ubf_tnum_contains(t, ref_tnum_op(i, x, y, k)) || (t.value & t.mask)) {
				if (fails++ < 5)
					ubf_test_fail(__FILE__, __LINE__,
						      "tnum op %d: (%#llx;%#llx) (%#llx;%#llx) k %u", i,
						      (unsigned long long)a.value,
						      (unsigned long long)a.mask,
						      (unsigned long long)b.value,
						      (unsigned long long)b.mask, k);
			}
		}
		EXPECT_TRUE(ubf_tnum_contains(ubf_tnum_union(a, b), x));
		EXPECT_TRUE(ubf_tnum_contains(ubf_tnum_union(a, b), y));
		EXPECT_TRUE(ubf_tnum_includes(ubf_tnum_union(a, b), a));
		EXPECT_TRUE(ubf_tnum_contains(ubf_tnum_bswap(a, 32), ubf_bswap32((uint32_t)x)));
		if (ubf_tnum_contains(b, x))
			EXPECT_TRUE(ubf_tnum_contains(ubf_tnum_intersect(a, b), x));
		else
			EXPECT_TRUE(ubf_tnum_is_disjoint(a, b) || !ubf_tnum_contains(b, x));
		lo = x < y ? x : y;
		hi = x < y ? y : x;
		t = ubf_tnum_range(lo, hi);
		EXPECT_TRUE(ubf_tnum_contains(t, lo) && ubf_tnum_contains(t, hi) &&
			    ubf_tnum_contains(t, lo + (hi - lo) / 2));
		t = ubf_tnum_with_subreg(a, b);
		EXPECT_TRUE(ubf_tnum_contains(t, (x & ~0xffffffffull) | (uint32_t)y));
		if (ubf_test_failed())
			return;
	}
	EXPECT_EQ_INT(fails, 0);
}

TEST(verifier_tnum_exact_cases)
{
	struct ubf_tnum t;

	t = ubf_tnum_range(0, 255);
	EXPECT_EQ_U64(t.value, 0);
	EXPECT_EQ_U64(t.mask, 0xff);
	t = ubf_tnum_range(0x1000, 0x1003);
	EXPECT_EQ_U64(t.value, 0x1000);
	EXPECT_EQ_U64(t.mask, 3);
	EXPECT_TRUE(ubf_tnum_is_unknown(ubf_tnum_range(0, ~0ull)));
	t = ubf_tnum_mul(ubf_tnum_const(12345), ubf_tnum_const(678910));
	EXPECT_TRUE(ubf_tnum_is_const(t) && t.value == 12345ull * 678910ull);
	t = ubf_tnum_mul(ubf_tnum_const(0xfedcba9876543210ull), ubf_tnum_const(0x123456789abcdefull));
	EXPECT_EQ_U64(t.value, 0xfedcba9876543210ull * 0x123456789abcdefull);
	EXPECT_EQ_U64(t.mask, 0);
	/* Known low bits stay known through add: (x*4) + 1 is odd. */
	t = ubf_tnum_add((struct ubf_tnum){ 0, 0xfc }, ubf_tnum_const(1));
	EXPECT_EQ_U64(t.value & 3, 1);
	EXPECT_EQ_U64(t.mask & 3, 0);
	t = ubf_tnum_and(UBF_TNUM_UNKNOWN, ubf_tnum_const(0xf0));
	EXPECT_EQ_U64(t.value, 0);
	EXPECT_EQ_U64(t.mask, 0xf0);
	t = ubf_tnum_or(UBF_TNUM_UNKNOWN, ubf_tnum_const(0x1));
	EXPECT_EQ_U64(t.value, 1);
	EXPECT_EQ_U64(t.mask, ~1ull);
	t = ubf_tnum_arshift((struct ubf_tnum){ 0x80000000, 0x0000ff00 }, 8, 32);
	EXPECT_EQ_U64(t.value, 0xff800000);
	EXPECT_EQ_U64(t.mask, 0xff);
	t = ubf_tnum_sext((struct ubf_tnum){ 0, 0x80 }, 8);
	EXPECT_EQ_U64(t.mask, ~0x7full);
	EXPECT_TRUE(ubf_tnum_is_aligned((struct ubf_tnum){ 0x10, 0xf0 }, 16));
	EXPECT_TRUE(!ubf_tnum_is_aligned((struct ubf_tnum){ 0x10, 0xf8 }, 16));
	t = ubf_tnum_const_subreg(UBF_TNUM_UNKNOWN, 7);
	EXPECT_EQ_U64(t.value, 7);
	EXPECT_EQ_U64(t.mask, 0xffffffff00000000ull);
}

static int alu_src_kind(const struct ubf_insn_desc *d)
{
	return d->shape == UBF_SHAPE_DST ? 0 : d->shape == UBF_SHAPE_DST_IMM ? 1 : 2;
}

/* The source operand of row @d: none, a sign-extended immediate, or a register. */
static const struct ubf_scalar *alu_src(struct ubf_vs_rng *r, const struct ubf_insn_desc *d,
					uint64_t *sv, struct ubf_scalar *ss)
{
	*sv = 0;
	switch (alu_src_kind(d)) {
	case 0:
		return NULL;
	case 1:
		*sv = (uint64_t)(int64_t)(int32_t)(uint32_t)ubf_vs_value(r);
		*ss = ubf_scalar_const(*sv);
		return ss;
	default:
		ubf_vs_pair(r, sv, ss, 2);
		return ss;
	}
}

TEST(verifier_scalar_alu_sound)
{
	struct ubf_vs_rng r = { 0x243f6a8885a308d3ull };
	unsigned long checks = 0;
	int fails = 0, n;
	size_t i;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[i];

		if (d->kind != UBF_KIND_ALU)
			continue;
		for (n = 0; n < ALU_ROUNDS; n++) {
			struct ubf_scalar ds, ss, res;
			const struct ubf_scalar *src;
			uint64_t dv, sv, want;

			ubf_vs_pair(&r, &dv, &ds, 2);
			src = alu_src(&r, d, &sv, &ss);
			checks += 2;
			if (!ubf_scalar_contains(&ds, dv) || (src && !ubf_scalar_contains(src, sv))) {
				if (fails++ < 5)
					ubf_test_fail(__FILE__, __LINE__, "generator lost %#llx in %s",
						      (unsigned long long)dv, ubf_vs_str(&ds, 0));
				continue;
			}
			res = ds;
			ASSERT_OK(ubf_scalar_alu(&res, d->op, d->width, src));
			want = ubf_vs_ref_alu(d->op, d->width, dv, sv);
			if (ubf_scalar_contains(&res, want) && !ubf_scalar_is_empty(&res))
				continue;
			if (fails++ < 8)
				ubf_test_fail(__FILE__, __LINE__,
					      "%s: dst %#llx in %s, src %#llx in %s: %#llx not in %s",
					      d->name, (unsigned long long)dv, ubf_vs_str(&ds, 0),
					      (unsigned long long)sv, src ? ubf_vs_str(src, 1) : "-",
					      (unsigned long long)want, ubf_vs_str(&res, 2));
		}
	}
	EXPECT_EQ_INT(fails, 0);
	EXPECT_TRUE(checks > 2000000);
}

TEST(verifier_scalar_alu_folds_constants)
{
	struct ubf_vs_rng r = { 0xb7e151628aed2a6bull };
	size_t i;
	int n;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[i];

		if (d->kind != UBF_KIND_ALU)
			continue;
		for (n = 0; n < 300; n++) {
			uint64_t dv = ubf_vs_value(&r), sv = ubf_vs_value(&r);
			struct ubf_scalar res = ubf_scalar_const(dv), src = ubf_scalar_const(sv);
			uint64_t want = ubf_vs_ref_alu(d->op, d->width, dv, sv);

			ASSERT_OK(ubf_scalar_alu(&res, d->op, d->width, &src));
			if (!ubf_scalar_is_const(&res) || res.var_off.value != want || res.umin != want ||
			    res.smax != (int64_t)want || res.u32_max != (uint32_t)want) {
				ubf_test_fail(__FILE__, __LINE__, "%s %#llx, %#llx: want %#llx, got %s",
					      d->name, (unsigned long long)dv, (unsigned long long)sv,
					      (unsigned long long)want, ubf_vs_str(&res, 0));
				return;
			}
		}
	}
}

TEST(verifier_scalar_alu_rejects_non_alu)
{
	struct ubf_scalar a = ubf_scalar_const(1), b = ubf_scalar_const(2);

	EXPECT_ERR(-22, ubf_scalar_alu(&a, UBF_OP_JEQ, 64, &b));
	EXPECT_ERR(-22, ubf_scalar_alu(&a, UBF_OP_ADD, 16, &b));
	EXPECT_ERR(-22, ubf_scalar_alu(&a, UBF_OP_MOVSX32, 32, &b));
	EXPECT_ERR(-22, ubf_scalar_alu(&a, UBF_OP_ADD, 64, NULL));
	EXPECT_EQ_U64(a.umin, 1);
}

static void expect_ranges(const struct ubf_scalar *s, uint64_t umin, uint64_t umax, int64_t smin,
			  int64_t smax, int line)
{
	if (s->umin != umin || s->umax != umax || s->smin != smin || s->smax != smax)
		ubf_test_fail(__FILE__, line, "want u=[%#llx, %#llx] s=[%lld, %lld], got %s",
			      (unsigned long long)umin, (unsigned long long)umax, (long long)smin,
			      (long long)smax, ubf_vs_str(s, 0));
}

#define EXPECT_RANGES(s, umin, umax, smin, smax) expect_ranges(&(s), umin, umax, smin, smax, __LINE__)

static struct ubf_scalar alu(struct ubf_scalar d, unsigned op, unsigned w, struct ubf_scalar s)
{
	if (ubf_scalar_alu(&d, op, w, &s))
		ubf_test_fail(__FILE__, __LINE__, "alu op %u width %u failed", op, w);
	return d;
}

TEST(verifier_scalar_precise_bitwise_and_shifts)
{
	struct ubf_scalar u = ubf_scalar_unknown(), s;

	s = alu(u, UBF_OP_AND, 64, ubf_scalar_const(0xff));
	EXPECT_RANGES(s, 0, 0xff, 0, 0xff);
	EXPECT_EQ_U64(s.var_off.mask, 0xff);
	EXPECT_TRUE(s.u32_max == 0xff && s.s32_min == 0 && s.s32_max == 0xff);
	s = alu(ubf_scalar_from_urange(0, 0xff), UBF_OP_LSH, 64, ubf_scalar_const(4));
	EXPECT_RANGES(s, 0, 0xff0, 0, 0xff0);
	EXPECT_EQ_U64(s.var_off.mask, 0xff0);
	s = alu(u, UBF_OP_RSH, 64, ubf_scalar_const(60));
	EXPECT_RANGES(s, 0, 15, 0, 15);
	s = alu(ubf_scalar_from_srange(-16, 15), UBF_OP_ARSH, 64, ubf_scalar_const(2));
	EXPECT_TRUE(s.smin == -4 && s.smax == 3);
	s = alu(u, UBF_OP_RSH, 32, ubf_scalar_const(28));
	EXPECT_RANGES(s, 0, 15, 0, 15);
	/* A shift by a register known to be 2 or 3. */
	s = alu(ubf_scalar_from_urange(0, 10), UBF_OP_LSH, 64, ubf_scalar_from_urange(2, 3));
	EXPECT_RANGES(s, 0, 80, 0, 80);
	s = alu(u, UBF_OP_OR, 64, ubf_scalar_const(0x8000000000000000ull));
	EXPECT_TRUE(s.smax == -1 && s.umin == 0x8000000000000000ull);
	s = alu(ubf_scalar_from_urange(0, 7), UBF_OP_XOR, 64, ubf_scalar_const(8));
	EXPECT_RANGES(s, 8, 15, 8, 15);
}

TEST(verifier_scalar_precise_arith)
{
	struct ubf_scalar s;

	s = alu(ubf_scalar_from_urange(2, 3), UBF_OP_MUL, 64, ubf_scalar_from_urange(4, 5));
	EXPECT_RANGES(s, 8, 15, 8, 15);
	s = alu(ubf_scalar_from_urange(10, 20), UBF_OP_SUB, 64, ubf_scalar_from_urange(1, 2));
	EXPECT_RANGES(s, 8, 19, 8, 19);
	s = alu(ubf_scalar_from_urange(10, 20), UBF_OP_ADD, 64, ubf_scalar_const(5));
	EXPECT_RANGES(s, 15, 25, 15, 25);
	s = alu(ubf_scalar_from_srange(-10, 10), UBF_OP_ADD, 64, ubf_scalar_const(-5));
	EXPECT_TRUE(s.smin == -15 && s.smax == 5);
	s = alu(ubf_scalar_from_urange(100, 200), UBF_OP_DIV, 64, ubf_scalar_const(10));
	EXPECT_RANGES(s, 10, 20, 10, 20);
	s = alu(ubf_scalar_unknown(), UBF_OP_MOD, 64, ubf_scalar_const(8));
	EXPECT_RANGES(s, 0, 7, 0, 7);
	s = alu(ubf_scalar_from_srange(-100, 50), UBF_OP_SDIV, 64, ubf_scalar_const(10));
	EXPECT_TRUE(s.smin == -10 && s.smax == 5);
	s = alu(ubf_scalar_from_srange(-100, 50), UBF_OP_SMOD, 64, ubf_scalar_const(7));
	EXPECT_TRUE(s.smin == -6 && s.smax == 6);
	/* Division by an unknown that may be zero: 0 is possible, nothing above dst. */
	s = alu(ubf_scalar_from_urange(5, 9), UBF_OP_DIV, 64, ubf_scalar_unknown());
	EXPECT_RANGES(s, 0, 9, 0, 9);
	/* Modulo by something that may be zero keeps dst possible. */
	s = alu(ubf_scalar_from_urange(5, 9), UBF_OP_MOD, 64, ubf_scalar_from_urange(0, 3));
	EXPECT_RANGES(s, 0, 9, 0, 9);
	s = alu(ubf_scalar_from_srange(-3, 3), UBF_OP_MUL, 64, ubf_scalar_from_srange(-2, 5));
	EXPECT_TRUE(s.smin == -15 && s.smax == 15);
}

TEST(verifier_scalar_precise_32bit)
{
	struct ubf_scalar u = ubf_scalar_unknown(), s;

	/* 32-bit results are zero-extended: the high half is known zero. */
	s = alu(u, UBF_OP_ADD, 32, ubf_scalar_const(1));
	EXPECT_RANGES(s, 0, 0xffffffff, 0, 0xffffffff);
	EXPECT_EQ_U64(s.var_off.mask, 0xffffffff);
	s = alu(u, UBF_OP_MOV, 32, u);
	EXPECT_RANGES(s, 0, 0xffffffff, 0, 0xffffffff);
	s = alu(ubf_scalar_from_urange(0x100000005ull, 0x100000009ull), UBF_OP_MOV, 32, s);
	EXPECT_RANGES(s, 0, 0xffffffff, 0, 0xffffffff);
	s = alu(u, UBF_OP_MOV, 32, ubf_scalar_from_urange(0x100000005ull, 0x100000009ull));
	EXPECT_RANGES(s, 5, 9, 5, 9);
	s = alu(u, UBF_OP_MOVSX8, 64, ubf_scalar_from_urange(0x80, 0xff));
	EXPECT_TRUE(s.smin == -128 && s.smax == -1);
	s = alu(u, UBF_OP_MOVSX32, 64, ubf_scalar_from_urange(0, 0x7fffffff));
	EXPECT_RANGES(s, 0, 0x7fffffff, 0, 0x7fffffff);
	s = alu(u, UBF_OP_MOVSX16, 32, ubf_scalar_from_urange(0x8000, 0x8001));
	EXPECT_RANGES(s, 0xffff8000, 0xffff8001, 0xffff8000, 0xffff8001);
	s = alu(u, UBF_OP_NEG, 32, u);
	EXPECT_RANGES(s, 0, 0xffffffff, 0, 0xffffffff);
	s = alu(u, ubf_to_le(1, 16) == 1 ? UBF_OP_LE : UBF_OP_BE, 16, u);
	EXPECT_RANGES(s, 0, 0xffff, 0, 0xffff);
	s = alu(ubf_scalar_from_tnum((struct ubf_tnum){ 0x12, 0x0f00 }), UBF_OP_BSWAP, 16, u);
	EXPECT_EQ_U64(s.var_off.value, 0x1200);
	EXPECT_EQ_U64(s.var_off.mask, 0x0f);
}

TEST(verifier_scalar_sync)
{
	struct ubf_scalar s, a = ubf_scalar_const(4), b = ubf_scalar_const(6);

	s = ubf_scalar_from_urange(0, 0xff);
	EXPECT_RANGES(s, 0, 0xff, 0, 0xff);
	EXPECT_TRUE(s.var_off.mask == 0xff && s.u32_max == 0xff && s.s32_min == 0);
	s = ubf_scalar_from_srange(-5, 5);
	EXPECT_TRUE(s.s32_min == -5 && s.s32_max == 5);
	s = ubf_scalar_from_urange(0x100000005ull, 0x100000009ull);
	EXPECT_TRUE(s.u32_min == 5 && s.u32_max == 9);
	EXPECT_EQ_U64(s.var_off.value, 0x100000000ull);
	EXPECT_EQ_U64(s.var_off.mask, 0xf);
	s = ubf_scalar_from_tnum((struct ubf_tnum){ 0x8000000000000000ull, 0xff });
	EXPECT_RANGES(s, 0x8000000000000000ull, 0x80000000000000ffull, INT64_MIN, INT64_MIN + 0xff);
	s = ubf_scalar_join(&a, &b);
	EXPECT_RANGES(s, 4, 6, 4, 6);
	EXPECT_EQ_U64(s.var_off.value, 4);
	EXPECT_EQ_U64(s.var_off.mask, 2);
	EXPECT_TRUE(!ubf_scalar_contains(&s, 5) && ubf_scalar_contains(&s, 6));
	/* The 32-bit range moves the 64-bit bounds to values whose low half fits. */
	s = ubf_scalar_unknown();
	s.umin = 0x100000010ull;
	s.umax = 0x2fffffff0ull;
	s.u32_min = 0x20;
	s.u32_max = 0x30;
	ubf_scalar_sync(&s);
	EXPECT_EQ_U64(s.umin, 0x100000020ull);
	EXPECT_EQ_U64(s.umax, 0x200000030ull);
	EXPECT_TRUE(!ubf_scalar_is_empty(&s));
	s = ubf_scalar_unknown();
	s.umin = 0x40;
	s.umax = 0x50;
	s.u32_min = 0x60;
	s.u32_max = 0x70;
	ubf_scalar_sync(&s);
	EXPECT_TRUE(ubf_scalar_is_empty(&s));
}
