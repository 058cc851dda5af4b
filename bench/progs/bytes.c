/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bytes.c - the byte loops programs write because they have no libc:
 * memcpy byte by byte and word by word, memset, memcmp, the Internet
 * checksum (RFC 1071) and Adler-32 over a buffer, and a search for a
 * four-byte pattern.
 */
#include "bench.h"

/*
 * Layout of mem:
 *   [0, SZ)        source data, never written
 *   [SZ, 2SZ)      byte-copy destination
 *   [2SZ, 3SZ)     word-copy destination
 */
#define SZ (16 * 1024)

BENCH_INLINE void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < SZ && i < n; i++)
		dst[i] = src[i];
}

BENCH_INLINE void copy_words(uint64_t *dst, const uint64_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < SZ / 8 && i < n; i++)
		dst[i] = src[i];
}

/* memcmp(): <0, 0 or >0 as the first differing byte. */
BENCH_INLINE int32_t compare(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < SZ && i < n; i++) {
		if (a[i] != b[i])
			return (int32_t)a[i] - (int32_t)b[i];
	}
	return 0;
}

/* RFC 1071 one's-complement sum over 16-bit big-endian words. */
BENCH_INLINE uint16_t inet_csum(const uint8_t *p, uint32_t n)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i + 1 < SZ && i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	for (int i = 0; i < 4; i++)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

BENCH_INLINE uint32_t adler32(const uint8_t *p, uint32_t n)
{
	uint32_t a = 1, b = 0;

	/* 5552 is the largest block for which b cannot overflow before the modulo. */
	for (uint32_t blk = 0; blk < SZ && blk < n; blk += 5552) {
		uint32_t end = BENCH_MIN(blk + 5552, n);

		for (uint32_t i = blk; i < end; i++) {
			a += p[i];
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

/* Occurrences of the four bytes at @pat in @p. */
BENCH_INLINE uint32_t count_pattern(const uint8_t *p, uint32_t n, const uint8_t *pat)
{
	uint32_t cnt = 0;

	for (uint32_t i = 0; i + 4 <= SZ && i + 4 <= n; i++) {
		if (p[i] == pat[0] && p[i + 1] == pat[1] && p[i + 2] == pat[2] &&
		    p[i + 3] == pat[3])
			cnt++;
	}
	return cnt;
}

BENCH_ENTRY uint64_t bench_bytes(void *mem, uint64_t len)
{
	uint8_t *src = mem, *dst1 = src + SZ, *dst2 = src + 2 * SZ;
	uint64_t sum;
	int32_t diff;

	if (len < 3 * SZ)
		return 0;
	copy_bytes(dst1, src, SZ);
	copy_words((uint64_t *)dst2, (const uint64_t *)src, SZ / 8);
	sum = (uint64_t)(uint32_t)compare(dst1, dst2, SZ);
	for (uint32_t i = 0; i < SZ / 2; i++)	/* memset of the second half */
		dst2[SZ / 2 + i] = 0x5a;
	diff = compare(dst1, dst2, SZ);
	sum = bench_mix(sum, (uint64_t)(uint32_t)diff);
	sum = bench_mix(sum, inet_csum(src, SZ - 1));
	sum = bench_mix(sum, adler32(dst1, SZ));
	sum = bench_mix(sum, count_pattern(src, SZ, src + 100));
	return sum;
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
void bench_bytes_input(void *mem, uint64_t len)
{
	uint8_t *m = mem;
	uint64_t rs = 0x6279746573ull;

	/* Text-like bytes from a small alphabet, so the pattern search finds matches. */
	for (uint64_t i = 0; i < len; i++)
		m[i] = (uint8_t)("etaoin shrdlu"[bench_below(&rs, 13)]);
}
#endif
