/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * muldiv.c - 64-bit multiply and divide: for each number of an array, its
 * integer square root (Newton's method), the gcd with its neighbour
 * (Euclid), and a deterministic Miller-Rabin primality test of its low
 * 32 bits (modular exponentiation with bases 2, 7 and 61, exact below
 * 4,759,123,141).  Only unsigned division: BPF has no other in clang 14.
 */
#include "bench.h"

/* Layout of mem: CNT u64 numbers. */
#define CNT 512

BENCH_INLINE uint64_t isqrt(uint64_t x)
{
	uint64_t r, y;
	uint32_t bits = 0;

	if (x < 2)
		return x;
	for (uint64_t t = x; t && bits < 64; t >>= 1)
		bits++;
	r = 1ull << ((bits + 1) / 2);	/* r >= sqrt(x): Newton descends from above */
	for (int i = 0; i < 64; i++) {
		y = (r + x / r) / 2;
		if (y >= r)
			break;
		r = y;
	}
	return r;
}

BENCH_INLINE uint64_t gcd(uint64_t a, uint64_t b)
{
	for (int i = 0; i < 100 && b; i++) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* b^e mod m for m < 2^32, so every product fits in 64 bits. */
BENCH_INLINE uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1;

	b %= m;
	for (int i = 0; i < 32 && e; i++) {
		if (e & 1)
			r = r * b % m;
		b = b * b % m;
		e >>= 1;
	}
	return r;
}

/* One Miller-Rabin round for odd n > 3 = d * 2^s + 1: 0 when @a proves n composite. */
BENCH_INLINE int mr_round(uint64_t n, uint64_t d, uint32_t s, uint64_t a)
{
	uint64_t x;

	a %= n;
	if (a == 0)
		return 1;
	x = powmod(a, d, n);
	if (x == 1 || x == n - 1)
		return 1;
	for (uint32_t i = 1; i < 32 && i < s; i++) {
		x = x * x % n;
		if (x == n - 1)
			return 1;
	}
	return 0;
}

BENCH_INLINE int is_prime32(uint64_t n)
{
	uint64_t d = n - 1;
	uint32_t s = 0;

	if (n < 2)
		return 0;
	if (n < 4)
		return 1;
	if (!(n & 1))
		return 0;
	for (; s < 32 && !(d & 1); s++)
		d >>= 1;
	return mr_round(n, d, s, 2) && mr_round(n, d, s, 7) && mr_round(n, d, s, 61);
}

BENCH_ENTRY uint64_t bench_muldiv(void *mem, uint64_t len)
{
	const uint64_t *v = mem;
	uint64_t sum = 0, primes = 0;

	if (len < CNT * 8)
		return 0;
	for (uint32_t i = 0; i < CNT; i++) {
		uint64_t x = v[i];

		sum = bench_mix(sum, isqrt(x));
		sum = bench_mix(sum, gcd(x, v[(i + 1) % CNT]));
		primes += is_prime32(x & 0xffffffffu);
	}
	return bench_mix(sum, primes);
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
void bench_muldiv_input(void *mem, uint64_t len)
{
	uint64_t *v = mem;
	uint64_t rs = 0x6d756c646976ull;

	/* Shared factors make gcd loops longer; odd low halves make more Miller-Rabin work. */
	for (uint64_t i = 0; i < len / 8; i++) {
		uint64_t x = bench_rand(&rs) >> bench_below(&rs, 40);

		v[i] = (i % 4 == 0 ? x * 6 : x) | 1;
	}
}
#endif
