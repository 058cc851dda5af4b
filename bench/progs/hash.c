/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hash.c - the hashing a hash map or a flow table does: 64-bit FNV-1a over
 * every byte of the buffer, then Bob Jenkins' lookup3 word hash (the
 * algorithm behind Linux's jhash) over the buffer cut into 40-byte keys,
 * each hash placed into a bucket count as a table insert would.
 */
#include "bench.h"

/*
 * Layout of mem:
 *   [0, KEYS_SZ)        data: hashed byte by byte, then as 40-byte keys
 *   [KEYS_SZ, +BUCKETS) u16 bucket counts, rewritten by every run
 */
#define KEYS_SZ (60 * 1024)
#define KEY_WORDS 10
#define BUCKETS 1024

BENCH_INLINE uint64_t fnv1a64(const uint8_t *p, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < KEYS_SZ && i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* lookup3's mix() and final(): three 32-bit lanes, add-rotate-xor. */
#define LK3_MIX(a, b, c)						\
	do {								\
		a -= c; a ^= bench_rol32(c, 4); c += b;			\
		b -= a; b ^= bench_rol32(a, 6); a += c;			\
		c -= b; c ^= bench_rol32(b, 8); b += a;			\
		a -= c; a ^= bench_rol32(c, 16); c += b;		\
		b -= a; b ^= bench_rol32(a, 19); a += c;		\
		c -= b; c ^= bench_rol32(b, 4); b += a;			\
	} while (0)

#define LK3_FINAL(a, b, c)						\
	do {								\
		c ^= b; c -= bench_rol32(b, 14);			\
		a ^= c; a -= bench_rol32(c, 11);			\
		b ^= a; b -= bench_rol32(a, 25);			\
		c ^= b; c -= bench_rol32(b, 16);			\
		a ^= c; a -= bench_rol32(c, 4);				\
		b ^= a; b -= bench_rol32(a, 14);			\
		c ^= b; c -= bench_rol32(b, 24);			\
	} while (0)

/* lookup3 hashword(): @n 32-bit words of @k with @seed. */
BENCH_INLINE uint32_t hashword(const uint32_t *k, uint32_t n, uint32_t seed)
{
	uint32_t a, b, c;

	a = b = c = 0xdeadbeefu + (n << 2) + seed;
	for (uint32_t i = 0; i < KEY_WORDS && n > 3; i++) {
		a += k[0];
		b += k[1];
		c += k[2];
		LK3_MIX(a, b, c);
		n -= 3;
		k += 3;
	}
	switch (n) {
	case 3:
		c += k[2];
		/* fall through */
	case 2:
		b += k[1];
		/* fall through */
	case 1:
		a += k[0];
		LK3_FINAL(a, b, c);
		break;
	default:
		break;
	}
	return c;
}

BENCH_ENTRY uint64_t bench_hash(void *mem, uint64_t len)
{
	const uint8_t *m = mem;
	uint16_t *buckets = (uint16_t *)(m + KEYS_SZ);
	uint64_t sum, longest = 0;
	uint32_t seed = 0;

	if (len < KEYS_SZ + BUCKETS * 2)
		return 0;
	for (uint32_t i = 0; i < BUCKETS; i++)
		buckets[i] = 0;
	sum = fnv1a64(m, KEYS_SZ);
	for (uint32_t off = 0; off + KEY_WORDS * 4 <= KEYS_SZ; off += KEY_WORDS * 4) {
		uint32_t h = hashword((const uint32_t *)(m + off), KEY_WORDS, seed);
		uint16_t *b = &buckets[h % BUCKETS];

		*b += 1;
		if (*b > longest)
			longest = *b;
		seed = h;
		sum = bench_mix(sum, h);
	}
	return bench_mix(sum, longest);
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
void bench_hash_input(void *mem, uint64_t len)
{
	uint8_t *m = mem;
	uint64_t rs = 0x68617368ull;

	for (uint64_t i = 0; i < len; i++)
		m[i] = (uint8_t)(bench_rand(&rs) >> 56);
}
#endif
