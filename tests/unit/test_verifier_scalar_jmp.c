// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_verifier_scalar_jmp.c - branch refinement of the scalar domain
 * for every conditional jump row (32 and 64 bits, register and
 * immediate): a concrete pair that goes one way must stay in the scalars
 * refined for that way, "always" and "never" must never be wrong (about
 * 1.7 million checks), and the classic bounds checks narrow as in Linux.
 */
#include "test.h"

#include "isa/isa.h"
#include "test_verifier_scalar.h"

#define JMP_ROUNDS 20000

static void report(const struct ubf_insn_desc *d, int taken, uint64_t dv,
		   const struct ubf_scalar *ds, uint64_t sv, const struct ubf_scalar *ss,
		   const char *what, int line)
{
	ubf_test_fail(__FILE__, line, "%s %s: dst %#llx in %s, src %#llx in %s: %s", d->name,
		      taken ? "taken" : "not taken", (unsigned long long)dv, ubf_vs_str(ds, 0),
		      (unsigned long long)sv, ubf_vs_str(ss, 1), what);
}

/* One pair through one row: 0 when everything held. */
static int check_pair(const struct ubf_insn_desc *d, uint64_t dv, const struct ubf_scalar *ds,
		      uint64_t sv, const struct ubf_scalar *ss)
{
	int taken = ubf_vs_ref_jmp(d->op, d->width, dv, sv);
	int e = ubf_scalar_branch_eval(ds, ss, d->op, d->width);
	struct ubf_scalar a = *ds, b = *ss, na = *ds, nb = *ss;
	int rc, nrc;

	if (e != -1 && e != taken) {
		report(d, taken, dv, ds, sv, ss, "eval decided the wrong way", __LINE__);
		return 1;
	}
	rc = ubf_scalar_branch_refine(&a, &b, d->op, d->width, taken);
	if (rc != 1 || !ubf_scalar_contains(&a, dv) || !ubf_scalar_contains(&b, sv)) {
		report(d, taken, dv, ds, sv, ss, rc != 1 ? "refined to dead" : "pair lost", __LINE__);
		return 1;
	}
	nrc = ubf_scalar_branch_refine(&na, &nb, d->op, d->width, !taken);
	if (nrc < 0 || (e != -1 && nrc != 0)) {
		report(d, taken, dv, ds, sv, ss, "decided branch has a live other side", __LINE__);
		return 1;
	}
	return 0;
}

TEST(verifier_scalar_jmp_sound)
{
	struct ubf_vs_rng r = { 0x452821e638d01377ull };
	unsigned long checks = 0;
	int fails = 0, n;
	size_t i;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[i];

		if (d->kind != UBF_KIND_JMP)
			continue;
		for (n = 0; n < JMP_ROUNDS && fails < 8; n++) {
			struct ubf_scalar ds, ss;
			uint64_t dv, sv;

			ubf_vs_pair(&r, &dv, &ds, 2);
			if (d->shape == UBF_SHAPE_DST_IMM_OFF) {
				sv = (uint64_t)(int64_t)(int32_t)(uint32_t)ubf_vs_value(&r);
				ss = ubf_scalar_const(sv);
			} else if (n % 4 == 0) {
				/* Near misses: the same value, or one off, against a range. */
				sv = dv + (ubf_vs_next(&r) % 3) - 1;
				ss = ubf_scalar_const(sv);
			} else {
				ubf_vs_pair(&r, &sv, &ss, 2);
			}
			checks += 4;
			fails += check_pair(d, dv, &ds, sv, &ss);
		}
	}
	EXPECT_EQ_INT(fails, 0);
	EXPECT_TRUE(checks > 1500000);
}

TEST(verifier_scalar_jmp_rejects_non_jump)
{
	struct ubf_scalar a = ubf_scalar_const(1), b = ubf_scalar_const(2);

	EXPECT_ERR(-22, ubf_scalar_branch_refine(&a, &b, UBF_OP_ADD, 64, 1));
	EXPECT_ERR(-22, ubf_scalar_branch_refine(&a, &b, UBF_OP_JEQ, 16, 1));
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&a, &b, UBF_OP_JA, 64), -1);
	EXPECT_EQ_U64(a.umin, 1);
}

static int refine(struct ubf_scalar *a, struct ubf_scalar *b, unsigned op, unsigned w, int taken)
{
	return ubf_scalar_branch_refine(a, b, op, w, taken);
}

TEST(verifier_scalar_jmp_narrows_ranges)
{
	struct ubf_scalar a, b, k50 = ubf_scalar_const(50);

	a = ubf_scalar_from_urange(0, 100);
	b = k50;
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JLT, 64, 1), 1);
	EXPECT_TRUE(a.umin == 0 && a.umax == 49 && a.smax == 49);
	a = ubf_scalar_from_urange(0, 100);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JLT, 64, 0), 1);
	EXPECT_TRUE(a.umin == 50 && a.umax == 100);
	/* if (50 > x): the constant on the left narrows x the same way. */
	a = ubf_scalar_from_urange(0, 100);
	b = k50;
	EXPECT_EQ_INT(refine(&b, &a, UBF_OP_JGT, 64, 1), 1);
	EXPECT_TRUE(a.umax == 49);
	a = ubf_scalar_unknown();
	b = ubf_scalar_const(5);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JEQ, 64, 1), 1);
	EXPECT_TRUE(ubf_scalar_is_const(&a) && a.var_off.value == 5);
	a = ubf_scalar_from_urange(5, 10);
	b = ubf_scalar_const(5);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JNE, 64, 1), 1);
	EXPECT_TRUE(a.umin == 6 && a.umax == 10);
	a = ubf_scalar_from_srange(-10, 10);
	b = ubf_scalar_const(0);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JSGT, 64, 1), 1);
	EXPECT_TRUE(a.smin == 1 && a.smax == 10 && a.umin == 1 && a.umax == 10);
	a = ubf_scalar_from_srange(-10, 10);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JSGE, 64, 0), 1);
	EXPECT_TRUE(a.smin == -10 && a.smax == -1 && a.umin == (uint64_t)-10);
	/* Two registers: x < y with y <= 20 bounds x; y > x >= 3 bounds y. */
	a = ubf_scalar_from_urange(3, 1000);
	b = ubf_scalar_from_urange(0, 20);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JLT, 64, 1), 1);
	EXPECT_TRUE(a.umin == 3 && a.umax == 19 && b.umin == 4 && b.umax == 20);
}

TEST(verifier_scalar_jmp_bits_and_widths)
{
	struct ubf_scalar a, b;

	a = ubf_scalar_unknown();
	b = ubf_scalar_const(8);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JSET, 64, 0), 1);
	EXPECT_TRUE(!(a.var_off.mask & 8) && !(a.var_off.value & 8));
	a = ubf_scalar_unknown();
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JSET, 64, 1), 1);
	EXPECT_TRUE(!(a.var_off.mask & 8) && (a.var_off.value & 8));
	/* A 32-bit test bounds the sub-register; the high half stays unknown... */
	a = ubf_scalar_unknown();
	b = ubf_scalar_const(10);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JLT, 32, 1), 1);
	EXPECT_TRUE(a.u32_max == 9 && a.umax == 0xffffffff00000009ull);
	EXPECT_EQ_U64(a.var_off.mask, 0xffffffff0000000full);
	/* ...unless a 32-bit operation zero-extended the register first. */
	a = ubf_scalar_unknown();
	ASSERT_OK(ubf_scalar_alu(&a, UBF_OP_MOV, 32, &a));
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JLT, 32, 1), 1);
	EXPECT_TRUE(a.umax == 9 && a.smax == 9 && a.var_off.mask == 0xf);
	/* jeq32 with a negative immediate: the low half becomes known. */
	a = ubf_scalar_unknown();
	b = ubf_scalar_const((uint64_t)-2);
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JEQ, 32, 1), 1);
	EXPECT_TRUE(a.u32_min == 0xfffffffe && a.u32_max == 0xfffffffe && a.s32_min == -2);
	EXPECT_EQ_U64(a.var_off.value, 0xfffffffe);
}

TEST(verifier_scalar_jmp_always_never)
{
	struct ubf_scalar a = ubf_scalar_from_urange(0, 10), k20 = ubf_scalar_const(20), b;

	EXPECT_EQ_INT(ubf_scalar_branch_eval(&a, &k20, UBF_OP_JGT, 64), 0);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&a, &k20, UBF_OP_JLT, 64), 1);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&a, &k20, UBF_OP_JEQ, 64), 0);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&a, &k20, UBF_OP_JNE, 64), 1);
	b = ubf_scalar_from_urange(30, 40);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &k20, UBF_OP_JGT, 64), 1);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &k20, UBF_OP_JSLE, 64), 0);
	b = ubf_scalar_from_urange(0, 30);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &k20, UBF_OP_JGT, 64), -1);
	/* Signed: [-5, -1] is below 0 signed but above it unsigned. */
	b = ubf_scalar_from_srange(-5, -1);
	a = ubf_scalar_const(0);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &a, UBF_OP_JSLT, 64), 1);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &a, UBF_OP_JGT, 64), 1);
	/* Known bits decide jset and jeq: an odd value is never 4. */
	b = ubf_scalar_from_tnum((struct ubf_tnum){ 1, 0xfe });
	a = ubf_scalar_const(4);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &a, UBF_OP_JEQ, 64), 0);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &b, UBF_OP_JSET, 64), 1);
	a = ubf_scalar_const(0x100);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &a, UBF_OP_JSET, 64), 0);
	/* 32-bit: the high half does not matter. */
	b = ubf_scalar_from_urange(0x100000000ull, 0x100000005ull);
	a = ubf_scalar_const(6);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &a, UBF_OP_JLT, 32), 1);
	EXPECT_EQ_INT(ubf_scalar_branch_eval(&b, &a, UBF_OP_JLT, 64), 0);
	/* The dead side of a decided branch refines to nothing. */
	a = ubf_scalar_from_urange(0, 10);
	b = k20;
	EXPECT_EQ_INT(refine(&a, &b, UBF_OP_JGT, 64, 1), 0);
}
