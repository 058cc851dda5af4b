/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_verifier_scalar.h - shared by the scalar-domain tests: a seeded
 * random source, edge values, and a generator of (concrete value,
 * abstract scalar that must contain it) pairs built the ways a verifier
 * builds them: constants, ranges, tnums, joins, branch refinements and
 * chains of ALU operations.  The reference arithmetic is here too.
 */
#ifndef UBF_TEST_VERIFIER_SCALAR_H
#define UBF_TEST_VERIFIER_SCALAR_H

#include <stdint.h>

#include "verifier/scalar.h"

struct ubf_vs_rng {
	uint64_t s;
};

uint64_t ubf_vs_next(struct ubf_vs_rng *r);
/* A value biased toward edges: 0, +-1, powers of two and their neighbours, s32/u32 limits. */
uint64_t ubf_vs_value(struct ubf_vs_rng *r);
/* A concrete value in *v and an abstract scalar in *s holding it. */
void ubf_vs_pair(struct ubf_vs_rng *r, uint64_t *v, struct ubf_scalar *s, int depth);
/* RFC 9669 result of an ALU row (op, width as in insn.def) on concrete values. */
uint64_t ubf_vs_ref_alu(unsigned op, unsigned width, uint64_t dst, uint64_t src);
/* Is the conditional jump (op, width) taken for dst, src? */
int ubf_vs_ref_jmp(unsigned op, unsigned width, uint64_t dst, uint64_t src);
/* Describe a scalar for failure messages (static buffer per call slot 0..3). */
const char *ubf_vs_str(const struct ubf_scalar *s, int slot);

#endif /* UBF_TEST_VERIFIER_SCALAR_H */
