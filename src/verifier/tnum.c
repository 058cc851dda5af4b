// SPDX-License-Identifier: BSD-2-Clause
/*
 * tnum.c - "tristate numbers": sets of 64-bit values described by which
 * bits are known and what they are, and the arithmetic on them the
 * verifier needs.  Each operation returns a tnum holding every result of
 * the concrete operation applied to members of its inputs; carries are
 * tracked by computing the sums with all unknown bits clear and all set,
 * as Linux's verifier does (its soundness is proved in Vishwanathan et
 * al., CGO 2022).
 */
#include "verifier/scalar.h"

#include "isa/semantics.h"

struct ubf_tnum ubf_tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max, delta;
	unsigned bits;

	if (!chi)
		return ubf_tnum_const(min);
	bits = 64u - (unsigned)__builtin_clzll(chi);
	if (bits >= 64)
		return UBF_TNUM_UNKNOWN;
	delta = ((uint64_t)1 << bits) - 1;
	return (struct ubf_tnum){ min & ~delta, delta };
}

/*
 * Addition: the bits where the sum with every unknown bit clear differs
 * from the sum with every unknown bit set are those a carry may reach;
 * they and the operands' unknown bits are unknown in the result.
 */
struct ubf_tnum ubf_tnum_add(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t lo = a.value + b.value;
	uint64_t hi = lo + a.mask + b.mask;
	uint64_t mu = (lo ^ hi) | a.mask | b.mask;

	return (struct ubf_tnum){ lo & ~mu, mu };
}

/* Subtraction: compare the largest and the smallest difference the same way. */
struct ubf_tnum ubf_tnum_sub(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t d = a.value - b.value;
	uint64_t hi = d + a.mask, lo = d - b.mask;
	uint64_t mu = (hi ^ lo) | a.mask | b.mask;

	return (struct ubf_tnum){ d & ~mu, mu };
}

struct ubf_tnum ubf_tnum_neg(struct ubf_tnum a)
{
	return ubf_tnum_sub(ubf_tnum_const(0), a);
}

/*
 * Multiplication as shift-and-add over the bits of @a: a known one adds
 * b << i; an unknown bit adds either 0 or b << i, which a tnum whose
 * value is 0 and whose mask covers every possible bit of b << i holds.
 */
struct ubf_tnum ubf_tnum_mul(struct ubf_tnum a, struct ubf_tnum b)
{
	struct ubf_tnum acc = ubf_tnum_const(0);
	uint64_t bits = a.value | a.mask;
	unsigned i;

	for (i = 0; i < 64 && (bits >> i); i++) {
		uint64_t bit = (uint64_t)1 << i;

		if (a.value & bit)
			acc = ubf_tnum_add(acc, ubf_tnum_lshift(b, i));
		else if (a.mask & bit)
			acc = ubf_tnum_add(acc, (struct ubf_tnum){ 0, (b.value | b.mask) << i });
	}
	return acc;
}

struct ubf_tnum ubf_tnum_and(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t v = a.value & b.value;
	uint64_t may = (a.value | a.mask) & (b.value | b.mask);

	return (struct ubf_tnum){ v, may & ~v };
}

struct ubf_tnum ubf_tnum_or(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t v = a.value | b.value;

	return (struct ubf_tnum){ v, (a.mask | b.mask) & ~v };
}

struct ubf_tnum ubf_tnum_xor(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t mu = a.mask | b.mask;

	return (struct ubf_tnum){ (a.value ^ b.value) & ~mu, mu };
}

struct ubf_tnum ubf_tnum_lshift(struct ubf_tnum a, unsigned shift)
{
	shift &= 63;
	return (struct ubf_tnum){ a.value << shift, a.mask << shift };
}

struct ubf_tnum ubf_tnum_rshift(struct ubf_tnum a, unsigned shift)
{
	shift &= 63;
	return (struct ubf_tnum){ a.value >> shift, a.mask >> shift };
}

/*
 * Arithmetic shift: value and mask are each shifted arithmetically, so an
 * unknown sign bit makes every vacated bit unknown and a known one copies
 * itself.  At 32 bits the result is zero-extended, as 32-bit rows are.
 */
struct ubf_tnum ubf_tnum_arshift(struct ubf_tnum a, unsigned shift, unsigned bits)
{
	if (bits == 32)
		return (struct ubf_tnum){ ubf_arsh32((uint32_t)a.value, shift),
					  ubf_arsh32((uint32_t)a.mask, shift) };
	return (struct ubf_tnum){ ubf_arsh64(a.value, shift), ubf_arsh64(a.mask, shift) };
}

struct ubf_tnum ubf_tnum_intersect(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t mu = a.mask & b.mask;

	return (struct ubf_tnum){ (a.value | b.value) & ~mu, mu };
}

/* A bit stays known only when it is known and equal in both. */
struct ubf_tnum ubf_tnum_union(struct ubf_tnum a, struct ubf_tnum b)
{
	uint64_t mu = a.mask | b.mask | (a.value ^ b.value);

	return (struct ubf_tnum){ a.value & ~mu, mu };
}

struct ubf_tnum ubf_tnum_cast(struct ubf_tnum a, unsigned size)
{
	uint64_t keep;

	if (size >= 8)
		return a;
	keep = ((uint64_t)1 << (size * 8)) - 1;
	return (struct ubf_tnum){ a.value & keep, a.mask & keep };
}

/* Sign extension from bit @bits - 1: the same rule as the arithmetic shift. */
struct ubf_tnum ubf_tnum_sext(struct ubf_tnum a, unsigned bits)
{
	unsigned up = 64 - bits;

	if (bits >= 64)
		return a;
	return (struct ubf_tnum){ ubf_arsh64(a.value << up, up), ubf_arsh64(a.mask << up, up) };
}

/* Moving bytes keeps each bit's known-ness, so the swap is exact. */
struct ubf_tnum ubf_tnum_bswap(struct ubf_tnum a, unsigned bits)
{
	return (struct ubf_tnum){ ubf_bswap(a.value, bits), ubf_bswap(a.mask, bits) };
}
