// SPDX-License-Identifier: BSD-2-Clause
/*
 * scalar_jmp.c - what a conditional jump tells about its two operands.
 * Every jump row, taken or not, becomes one of eight conditions on the
 * pair (equal, unequal, unsigned and signed less-than and less-or-equal,
 * some common bit, no common bit), with the operands swapped for the
 * greater-than forms.  A condition is decided on the views of the jump's
 * width and narrows those views; ubf_scalar_sync() carries the result to
 * the other width, so a 32-bit test also bounds the full register.
 */
#include <errno.h>

#include "isa/isa.h"
#include "verifier/scalar.h"
#include "verifier/scalar_view.h"

enum cond { C_EQ, C_NE, C_LT, C_LE, C_SLT, C_SLE, C_SET, C_NSET };

/* The condition @op means when @taken, and whether its operands are swapped. */
static int to_cond(unsigned op, int taken, enum cond *c, int *is_swapped)
{
	static const struct {
		uint8_t op, taken_cond, taken_swap, fall_cond, fall_swap;
	} rows[] = {
		{ UBF_OP_JEQ, C_EQ, 0, C_NE, 0 },	{ UBF_OP_JNE, C_NE, 0, C_EQ, 0 },
		{ UBF_OP_JLT, C_LT, 0, C_LE, 1 },	{ UBF_OP_JLE, C_LE, 0, C_LT, 1 },
		{ UBF_OP_JGT, C_LT, 1, C_LE, 0 },	{ UBF_OP_JGE, C_LE, 1, C_LT, 0 },
		{ UBF_OP_JSLT, C_SLT, 0, C_SLE, 1 },	{ UBF_OP_JSLE, C_SLE, 0, C_SLT, 1 },
		{ UBF_OP_JSGT, C_SLT, 1, C_SLE, 0 },	{ UBF_OP_JSGE, C_SLE, 1, C_SLT, 0 },
		{ UBF_OP_JSET, C_SET, 0, C_NSET, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].op != op)
			continue;
		*c = (enum cond)(taken ? rows[i].taken_cond : rows[i].fall_cond);
		*is_swapped = taken ? rows[i].taken_swap : rows[i].fall_swap;
		return 0;
	}
	return -EINVAL;
}

static int eval_eq(const struct ubf_sview *a, const struct ubf_sview *b)
{
	if (ubf_sview_is_const(a) && ubf_sview_is_const(b))
		return ubf_sview_value(a) == ubf_sview_value(b);
	if (a->umax < b->umin || b->umax < a->umin || a->smax < b->smin || b->smax < a->smin ||
	    ubf_tnum_is_disjoint(a->t, b->t))
		return 0;
	return -1;
}

static int eval_set(const struct ubf_sview *a, const struct ubf_sview *b)
{
	if (a->t.value & b->t.value)
		return 1;
	if (!((a->t.value | a->t.mask) & (b->t.value | b->t.mask)))
		return 0;
	return -1;
}

/* Does a @c b hold for every pair (1), for none (0), or is it open (-1)? */
static int eval_cond(const struct ubf_sview *a, const struct ubf_sview *b, enum cond c)
{
	int r;

	switch (c) {
	case C_EQ:
		return eval_eq(a, b);
	case C_NE:
		r = eval_eq(a, b);
		return r < 0 ? r : !r;
	case C_LT:
		return a->umax < b->umin ? 1 : a->umin >= b->umax ? 0 : -1;
	case C_LE:
		return a->umax <= b->umin ? 1 : a->umin > b->umax ? 0 : -1;
	case C_SLT:
		return a->smax < b->smin ? 1 : a->smin >= b->smax ? 0 : -1;
	case C_SLE:
		return a->smax <= b->smin ? 1 : a->smin > b->smax ? 0 : -1;
	case C_SET:
		return eval_set(a, b);
	case C_NSET:
		r = eval_set(a, b);
		return r < 0 ? r : !r;
	}
	return -1;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* x != k: a range that ends at k loses that end. */
static int refine_ne_const(struct ubf_sview *a, uint64_t k, unsigned w)
{
	int64_t sk = ubf_sview_sx(k, w);

	if (a->umin == k && a->umax == k)
		return 0;
	if (a->umin == k)
		a->umin++;
	else if (a->umax == k)
		a->umax--;
	if (a->smin == sk)
		a->smin++;
	else if (a->smax == sk)
		a->smax--;
	return 1;
}

/* x & k has some bit (@is_set) or none: a single-bit k makes that bit known. */
static void refine_set_const(struct ubf_sview *a, uint64_t k, int is_set)
{
	if (is_set && is_pow2(k))
		a->t = ubf_tnum_or(a->t, ubf_tnum_const(k));
	else if (!is_set)
		a->t = ubf_tnum_and(a->t, ubf_tnum_const(~k));
}

/* a < b (@strict) or a <= b, unsigned or signed: a's top and b's bottom move. */
static int refine_order(struct ubf_sview *a, struct ubf_sview *b, int is_signed, int strict,
			unsigned w)
{
	if (!is_signed) {
		if (strict && (!b->umax || a->umin == ubf_sview_umax_of(w)))
			return 0;
		if (a->umax > b->umax - (uint64_t)strict)
			a->umax = b->umax - (uint64_t)strict;
		if (b->umin < a->umin + (uint64_t)strict)
			b->umin = a->umin + (uint64_t)strict;
		return 1;
	}
	if (strict && (b->smax == ubf_sview_smin_of(w) || a->smin == ubf_sview_smax_of(w)))
		return 0;
	if (a->smax > b->smax - strict)
		a->smax = b->smax - strict;
	if (b->smin < a->smin + strict)
		b->smin = a->smin + strict;
	return 1;
}

static int refine_cond(struct ubf_sview *a, struct ubf_sview *b, enum cond c, unsigned w)
{
	switch (c) {
	case C_EQ:
		a->umin = b->umin = a->umin > b->umin ? a->umin : b->umin;
		a->umax = b->umax = a->umax < b->umax ? a->umax : b->umax;
		a->smin = b->smin = a->smin > b->smin ? a->smin : b->smin;
		a->smax = b->smax = a->smax < b->smax ? a->smax : b->smax;
		a->t = b->t = ubf_tnum_intersect(a->t, b->t);
		return 1;
	case C_NE:
		if (ubf_sview_is_const(b))
			return refine_ne_const(a, ubf_sview_value(b), w);
		if (ubf_sview_is_const(a))
			return refine_ne_const(b, ubf_sview_value(a), w);
		return 1;
	case C_LT:
	case C_LE:
	case C_SLT:
	case C_SLE:
		return refine_order(a, b, c == C_SLT || c == C_SLE, c == C_LT || c == C_SLT, w);
	case C_SET:
	case C_NSET:
		if (ubf_sview_is_const(b))
			refine_set_const(a, ubf_sview_value(b), c == C_SET);
		if (ubf_sview_is_const(a))
			refine_set_const(b, ubf_sview_value(a), c == C_SET);
		return 1;
	}
	return 1;
}

int ubf_scalar_branch_eval(const struct ubf_scalar *dst, const struct ubf_scalar *src,
			   unsigned op, unsigned width)
{
	struct ubf_sview a = ubf_sview_get(dst, width), b = ubf_sview_get(src, width);
	int is_swapped;
	enum cond c;

	if ((width != 32 && width != 64) || to_cond(op, 1, &c, &is_swapped))
		return -1;
	return is_swapped ? eval_cond(&b, &a, c) : eval_cond(&a, &b, c);
}

int ubf_scalar_branch_refine(struct ubf_scalar *dst, struct ubf_scalar *src, unsigned op,
			     unsigned width, int taken)
{
	struct ubf_sview a = ubf_sview_get(dst, width), b = ubf_sview_get(src, width);
	struct ubf_sview *x = &a, *y = &b;
	int is_swapped;
	enum cond c;

	if ((width != 32 && width != 64) || to_cond(op, taken, &c, &is_swapped))
		return -EINVAL;
	if (is_swapped) {
		x = &b;
		y = &a;
	}
	if (!eval_cond(x, y, c) || !refine_cond(x, y, c, width))
		return 0;
	ubf_sview_put(dst, &a, width);
	ubf_sview_put(src, &b, width);
	return !ubf_scalar_is_empty(dst) && !ubf_scalar_is_empty(src);
}
