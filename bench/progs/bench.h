/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench.h - what every benchmark program includes.  A program is one entry
 * function `uint64_t bench_NAME(void *mem, uint64_t len)` written once in
 * restricted C (no libc, no globals, bounded loops, big arrays in @mem) and
 * compiled twice: for -target bpf, where the engines run it, and for the
 * host, where the runner calls it directly as the yardstick.  The host
 * build also gets the program's input builder, which fills @mem
 * deterministically, so a layout is described in exactly one file.
 */
#ifndef UBF_BENCH_H
#define UBF_BENCH_H

#include <stdint.h>

/*
 * The entry function.  For BPF it must be the first function of .text:
 * the runner enters the section at instruction 0, and bench/check-bpf-obj
 * fails the build if the symbol ends up anywhere else.
 */
#ifdef __bpf__
#define BENCH_ENTRY __attribute__((section(".text")))
#else
#define BENCH_ENTRY
#endif

/* A bpf-to-bpf call in BPF, an ordinary call natively: same structure on both sides. */
#define BENCH_NOINLINE static __attribute__((noinline))
#define BENCH_INLINE static inline __attribute__((always_inline))

/* Every program's entry and (host only) input builder, from progs.def. */
#define X(name, mem_sz)							\
	uint64_t bench_##name(void *mem, uint64_t len);			\
	void bench_##name##_input(void *mem, uint64_t len);
#include "progs.def"
#undef X

#define BENCH_MIN(a, b) ((a) < (b) ? (a) : (b))

BENCH_INLINE uint32_t bench_rol32(uint32_t x, unsigned k)
{
	return x << k | x >> (32 - k);
}

/* Fold one value into a running checksum (FNV-1a step, then an xor-shift). */
BENCH_INLINE uint64_t bench_mix(uint64_t acc, uint64_t v)
{
	acc = (acc ^ v) * 0x100000001b3ull;
	return acc ^ acc >> 29;
}

#ifndef __bpf__
/* Host-only: the deterministic generator the input builders share (splitmix64). */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

/* A value in [0, n) for n > 0. */
static inline uint32_t bench_below(uint64_t *state, uint32_t n)
{
	return (uint32_t)((bench_rand(state) >> 32) * n >> 32);
}
#endif

#endif /* UBF_BENCH_H */
