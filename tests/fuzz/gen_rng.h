/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen_rng.h - what the random program generators (diff_gen.c, vfy_gen.c)
 * share: a splitmix64 generator whose whole state is one seed, so that a
 * program is reproduced from (seed, index) alone, values biased to the
 * edges of both register widths, and the disassembly of a generated
 * program for failure reports.  Each generator is one translation unit,
 * so the state is a file-scope static.
 */
#ifndef UBF_TESTS_FUZZ_GEN_RNG_H
#define UBF_TESTS_FUZZ_GEN_RNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <userbpf/insn.h>
#include <userbpf/isa.h>

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static inline bool chance(unsigned pct)
{
	return below(100) < pct;
}

/* Values near the edges of both widths, or anything. */
static inline uint64_t rnd_val(void)
{
	static const uint64_t edges[] = { 0, 1, 2, 7, 31, 32, 63, 64, 0x7f, 0x80, 0xff,
					  0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
					  0x7fffffffffffffffull, 0x8000000000000000ull,
					  0xffffffffffffffffull, 0xffffffff80000000ull };

	switch (below(4)) {
	case 0:
		return edges[below(sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return (uint64_t)(int64_t)(int8_t)rnd();
	case 2:
		return (uint64_t)(int64_t)(int32_t)rnd();
	default:
		return rnd();
	}
}

static inline int32_t rnd_imm(void)
{
	return (int32_t)rnd_val();
}

/* The program, one instruction a line, to stderr. */
static inline void gen_dump(const struct ubf_raw_insn *insns, size_t cnt)
{
	char line[128];
	size_t i;
	int n;

	for (i = 0; i < cnt; i += n > 0 ? (size_t)n : 1) {
		n = ubf_disasm_insn(insns, cnt, i, UBF_SYNTAX_LLVM, line, sizeof(line));
		fprintf(stderr, "  %4zu: %s\n", i, line);
	}
}

#endif /* UBF_TESTS_FUZZ_GEN_RNG_H */
