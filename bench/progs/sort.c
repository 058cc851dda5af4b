/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sort.c - sorting in the buffer: copy an array of 32-bit keys to a work
 * area, Shell sort it (Knuth's gaps), insertion-sort a smaller copy, check
 * that both results are ordered and fold them into a checksum.  Data
 * dependent branches and indexed loads and stores dominate.
 */
#include "bench.h"

/*
 * Layout of mem (u32 arrays):
 *   [0, N)        input keys, never written
 *   [N, 2N)       Shell sort work area
 *   [2N, 2N + M)  insertion sort work area (the first M input keys)
 */
#define N 2048
#define M 384

/* Shell sort with Knuth's gaps (h = 3h + 1: 1, 4, 13, 40, ... 1093 for N = 2048). */
BENCH_INLINE void shell_sort(uint32_t *a, uint32_t n)
{
	uint32_t gap = 1;

	while (gap < N / 3 && gap < n / 3)
		gap = 3 * gap + 1;
	for (uint32_t g = 0; g < 16 && gap > 0; g++, gap /= 3) {
		for (uint32_t i = gap; i < N && i < n; i++) {
			uint32_t v = a[i], j = i;

			for (uint32_t k = 0; k < N && j >= gap && a[j - gap] > v; k++) {
				a[j] = a[j - gap];
				j -= gap;
			}
			a[j] = v;
		}
	}
}

BENCH_INLINE void insertion_sort(uint32_t *a, uint32_t n)
{
	for (uint32_t i = 1; i < M && i < n; i++) {
		uint32_t v = a[i], j = i;

		for (uint32_t k = 0; k < M && j > 0 && a[j - 1] > v; k++) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

/* Checksum of a sorted array; every inversion found counts heavily against it. */
BENCH_INLINE uint64_t sorted_sum(const uint32_t *a, uint32_t n)
{
	uint64_t sum = n, bad = 0;

	for (uint32_t i = 0; i < N && i < n; i++) {
		sum = bench_mix(sum, a[i]);
		if (i > 0 && a[i - 1] > a[i])
			bad++;
	}
	return sum + (bad << 48);
}

BENCH_ENTRY uint64_t bench_sort(void *mem, uint64_t len)
{
	uint32_t *in = mem, *work = in + N, *small = in + 2 * N;

	if (len < (2 * N + M) * sizeof(uint32_t))
		return 0;
	for (uint32_t i = 0; i < N; i++)
		work[i] = in[i];
	for (uint32_t i = 0; i < M; i++)
		small[i] = in[i];
	shell_sort(work, N);
	insertion_sort(small, M);
	return bench_mix(sorted_sum(work, N), sorted_sum(small, M));
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
#include <string.h>

void bench_sort_input(void *mem, uint64_t len)
{
	uint32_t *in = mem;
	uint64_t rs = 0x736f7274ull;

	memset(mem, 0, len);
	for (uint32_t i = 0; i < N; i++)	/* some duplicates and a sorted run */
		in[i] = i % 16 == 0 ? in[i / 2] : i >= N - 64 ? i : (uint32_t)bench_rand(&rs);
}
#endif
