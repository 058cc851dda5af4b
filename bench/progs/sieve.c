/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sieve.c - the sieve of Eratosthenes over a byte array in the buffer:
 * clear the array, strike out multiples of every prime up to the square
 * root, then count the primes and sum them and their gaps.  A tight
 * store-heavy inner loop with a stride.
 */
#include "bench.h"

/* mem[0, min(len, LIMIT)) holds one flag byte per integer; nothing is read from the input. */
#define LIMIT (64 * 1024)

BENCH_ENTRY uint64_t bench_sieve(void *mem, uint64_t len)
{
	uint8_t *is_composite = mem;
	uint32_t n = (uint32_t)BENCH_MIN(len, (uint64_t)LIMIT);
	uint64_t *words = mem;
	uint64_t cnt = 0, sum = 0, max_gap = 0, prev = 2;

	if (n < 16)
		return 0;
	for (uint32_t i = 0; i < LIMIT / 8 && i < n / 8; i++)
		words[i] = 0;
	for (uint32_t i = n / 8 * 8; i < n; i++)
		is_composite[i] = 0;
	for (uint32_t i = 2; i < 256 && i * i < n; i++) {
		if (is_composite[i])
			continue;
		for (uint32_t j = i * i; j < n; j += i)
			is_composite[j] = 1;
	}
	for (uint32_t i = 2; i < LIMIT && i < n; i++) {
		if (is_composite[i])
			continue;
		cnt++;
		sum += i;
		if (i - prev > max_gap)
			max_gap = i - prev;
		prev = i;
	}
	return cnt << 40 ^ sum << 8 ^ max_gap;
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
#include <string.h>

/* The sieve writes before it reads: start from garbage to prove it. */
void bench_sieve_input(void *mem, uint64_t len)
{
	memset(mem, 0xa5, len);
}
#endif
