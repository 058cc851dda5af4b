/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scalar.h - the verifier's abstract domain for a scalar register: known
 * bits (a tnum) together with signed and unsigned 64-bit and 32-bit
 * ranges, kept consistent with each other, with the transfer function of
 * every ALU row of insn.def and the refinement of every conditional jump.
 * These are pure functions on value types: no allocation, no logging, and
 * every result contains every concrete value the inputs allow (soundness).
 */
#ifndef UBF_VERIFIER_SCALAR_H
#define UBF_VERIFIER_SCALAR_H

#include <stdint.h>

/*
 * struct ubf_tnum - a set of 64-bit values given by known bits: a bit set
 * in @mask is unknown; every other bit equals the bit of @value.  Value
 * bits under the mask are always zero.
 */
struct ubf_tnum {
	uint64_t value;
	uint64_t mask;
};

#define UBF_TNUM_UNKNOWN ((struct ubf_tnum){ 0, ~(uint64_t)0 })

static inline struct ubf_tnum ubf_tnum_const(uint64_t v)
{
	return (struct ubf_tnum){ v, 0 };
}

static inline int ubf_tnum_is_const(struct ubf_tnum a)
{
	return a.mask == 0;
}

static inline int ubf_tnum_is_unknown(struct ubf_tnum a)
{
	return a.mask == ~(uint64_t)0;
}

/* Is the concrete value @v one of the values @a describes? */
static inline int ubf_tnum_contains(struct ubf_tnum a, uint64_t v)
{
	return (v & ~a.mask) == a.value;
}

/* Is every value of @b also a value of @a? */
static inline int ubf_tnum_includes(struct ubf_tnum a, struct ubf_tnum b)
{
	return !(b.mask & ~a.mask) && a.value == (b.value & ~a.mask);
}

/* Are all values of @a multiples of @size (a power of two)? */
static inline int ubf_tnum_is_aligned(struct ubf_tnum a, uint64_t size)
{
	return !((a.value | a.mask) & (size - 1));
}

/* The smallest tnum holding every value of [min, max] (unsigned). */
struct ubf_tnum ubf_tnum_range(uint64_t min, uint64_t max);
struct ubf_tnum ubf_tnum_add(struct ubf_tnum a, struct ubf_tnum b);
struct ubf_tnum ubf_tnum_sub(struct ubf_tnum a, struct ubf_tnum b);
struct ubf_tnum ubf_tnum_neg(struct ubf_tnum a);
struct ubf_tnum ubf_tnum_mul(struct ubf_tnum a, struct ubf_tnum b);
struct ubf_tnum ubf_tnum_and(struct ubf_tnum a, struct ubf_tnum b);
struct ubf_tnum ubf_tnum_or(struct ubf_tnum a, struct ubf_tnum b);
struct ubf_tnum ubf_tnum_xor(struct ubf_tnum a, struct ubf_tnum b);
/* Shifts by a known count (0..63); arshift replicates bit @bits - 1 (32 or 64). */
struct ubf_tnum ubf_tnum_lshift(struct ubf_tnum a, unsigned shift);
struct ubf_tnum ubf_tnum_rshift(struct ubf_tnum a, unsigned shift);
struct ubf_tnum ubf_tnum_arshift(struct ubf_tnum a, unsigned shift, unsigned bits);
/* Values in both (the caller knows the sets meet); values in either. */
struct ubf_tnum ubf_tnum_intersect(struct ubf_tnum a, struct ubf_tnum b);
struct ubf_tnum ubf_tnum_union(struct ubf_tnum a, struct ubf_tnum b);
/* Do @a and @b have no value in common (a known bit differs)? */
static inline int ubf_tnum_is_disjoint(struct ubf_tnum a, struct ubf_tnum b)
{
	return ((a.value ^ b.value) & ~(a.mask | b.mask)) != 0;
}
/* Truncate to the low @size bytes (1, 2, 4 or 8); sign-extend from bit @bits - 1. */
struct ubf_tnum ubf_tnum_cast(struct ubf_tnum a, unsigned size);
struct ubf_tnum ubf_tnum_sext(struct ubf_tnum a, unsigned bits);
/* Byte-reverse the low @bits (16, 32 or 64) bits, zero-extended. */
struct ubf_tnum ubf_tnum_bswap(struct ubf_tnum a, unsigned bits);

/* Sub-register views: the low 32 bits, the high 32 bits, and replacing the low half. */
static inline struct ubf_tnum ubf_tnum_subreg(struct ubf_tnum a)
{
	return ubf_tnum_cast(a, 4);
}

static inline struct ubf_tnum ubf_tnum_clear_subreg(struct ubf_tnum a)
{
	return (struct ubf_tnum){ a.value & ~(uint64_t)0xffffffff, a.mask & ~(uint64_t)0xffffffff };
}

static inline struct ubf_tnum ubf_tnum_with_subreg(struct ubf_tnum reg, struct ubf_tnum subreg)
{
	return ubf_tnum_or(ubf_tnum_clear_subreg(reg), ubf_tnum_subreg(subreg));
}

static inline struct ubf_tnum ubf_tnum_const_subreg(struct ubf_tnum a, uint32_t v)
{
	return ubf_tnum_with_subreg(a, ubf_tnum_const(v));
}

/*
 * struct ubf_scalar - what a scalar register may hold: every value that
 * lies in all four ranges and matches @var_off.  The 32-bit fields
 * describe the low half (the sub-register).  ubf_scalar_sync() makes each
 * view as tight as the others allow.
 */
struct ubf_scalar {
	struct ubf_tnum var_off;
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32_min, s32_max;
	uint32_t u32_min, u32_max;
};

struct ubf_scalar ubf_scalar_unknown(void);
struct ubf_scalar ubf_scalar_const(uint64_t v);
/* Every value of the tnum, or every value of an unsigned or signed 64-bit range. */
struct ubf_scalar ubf_scalar_from_tnum(struct ubf_tnum t);
struct ubf_scalar ubf_scalar_from_urange(uint64_t umin, uint64_t umax);
struct ubf_scalar ubf_scalar_from_srange(int64_t smin, int64_t smax);

int ubf_scalar_is_const(const struct ubf_scalar *s);
int ubf_scalar_contains(const struct ubf_scalar *s, uint64_t v);
/* Do the views contradict each other (no value satisfies them all)? */
int ubf_scalar_is_empty(const struct ubf_scalar *s);

/*
 * ubf_scalar_sync() - deduce each view from the others until nothing
 * changes: ranges from known bits and back, 32-bit from 64-bit and back,
 * signed from unsigned and back (what Linux's reg_bounds_sync() does).
 */
void ubf_scalar_sync(struct ubf_scalar *s);

/*
 * ubf_scalar_coerce() - the value a load of @s's low @bytes (1, 2, 4 or 8)
 * gives: zero-extended, or sign-extended when @is_signed (Linux's
 * coerce_reg_to_size() and coerce_reg_to_size_sx()).
 */
void ubf_scalar_coerce(struct ubf_scalar *s, unsigned bytes, int is_signed);

/* A scalar holding every value of @a and of @b (the join of two paths). */
struct ubf_scalar ubf_scalar_join(const struct ubf_scalar *a, const struct ubf_scalar *b);

/*
 * ubf_scalar_alu() - the transfer function of an ALU row: @dst becomes
 * what `dst = dst op src` can produce, for @op an enum ubf_op of kind ALU
 * and @width the row's width (32 or 64; the swap size 16/32/64 for LE, BE
 * and BSWAP).  @src is the source register, or for an immediate row the
 * constant ubf_scalar_const((uint64_t)(int64_t)imm); NEG, LE, BE and BSWAP
 * ignore it (it may be NULL).  32-bit rows zero-extend their result.
 * Division and modulo by zero and INT_MIN / -1 follow semantics.h.
 * Return: 0, or -EINVAL when @op/@width is not an ALU row (dst unchanged).
 */
int ubf_scalar_alu(struct ubf_scalar *dst, unsigned op, unsigned width,
		   const struct ubf_scalar *src);

/*
 * ubf_scalar_branch_eval() - is the conditional jump @op (an enum ubf_op
 * of kind JMP) at @width (32 or 64) taken for every value pair of @dst and
 * @src?  For an immediate row, @src is ubf_scalar_const() of the
 * sign-extended imm.  Return: 1 always taken, 0 never taken, -1 either.
 */
int ubf_scalar_branch_eval(const struct ubf_scalar *dst, const struct ubf_scalar *src,
			   unsigned op, unsigned width);

/*
 * ubf_scalar_branch_refine() - narrow @dst and @src to the value pairs for
 * which the jump goes the way @taken says (nonzero: to the target; zero:
 * falls through).  Every pair that goes that way stays in both results.
 * Return: 1 when that direction may happen, 0 when the refined scalars
 * are contradictory (the edge is dead), -EINVAL for an @op that is not a
 * conditional jump (scalars unchanged).
 */
int ubf_scalar_branch_refine(struct ubf_scalar *dst, struct ubf_scalar *src, unsigned op,
			     unsigned width, int taken);

#endif /* UBF_VERIFIER_SCALAR_H */
