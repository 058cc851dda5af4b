// SPDX-License-Identifier: BSD-2-Clause
/*
 * bloom.c - BPF_MAP_TYPE_BLOOM_FILTER: a bit array of a power-of-2 size of
 * about max_entries * nr_hashes / ln 2 bits, set with atomic OR so pushes
 * need no lock.  As in Linux: no keys, push adds a value (BPF_ANY only),
 * peek tests it (-ENOENT: certainly absent; 0: probably present),
 * map_extra's low 4 bits are the number of hash functions (0: 5), and
 * there is no pop, delete or iteration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "maps/map.h"

#define BLOOM_FLAGS (UBF_F_NUMA_NODE | UBF_F_ZERO_SEED | UBF_F_ACCESS_MASK)
#define BLOOM_DEFAULT_HASHES 5u

struct bloom_map {
	struct ubf_map map;
	uint32_t nr_hashes;
	uint64_t bit_mask;	/* number of bits - 1 */
};

static struct bloom_map *to_bloom(const struct ubf_map *map)
{
	return ubf_container_of(map, struct bloom_map, map);
}

static uint32_t seed(const struct ubf_map *map)
{
	return (uint32_t)map->hdr->state[0];
}

static int bloom_check_attr(const struct ubf_map_attr *a)
{
	if (a->key_size || !a->value_size || !a->max_entries || (a->map_flags & ~BLOOM_FLAGS) ||
	    !ubf_map_flags_access_ok(a->map_flags) || (a->map_extra & ~0xfull))
		return -EINVAL;
	if (a->value_size > UBF_MAP_VALUE_MAX)
		return -E2BIG;
	return 0;
}

static int bloom_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct bloom_map *bm = calloc(1, sizeof(*bm));
	uint64_t want, bits = 64;

	if (!bm)
		return -ENOMEM;
	bm->nr_hashes = (uint32_t)(a->map_extra & 0xf);
	if (!bm->nr_hashes)
		bm->nr_hashes = BLOOM_DEFAULT_HASHES;
	/* bits = entries * hashes / ln 2; 7/5 rounds 1/ln 2 (1.4427) down */
	want = (uint64_t)a->max_entries * bm->nr_hashes * 7 / 5;
	while (bits < want && bits < (1ull << 35))
		bits <<= 1;
	bm->bit_mask = bits - 1;
	bm->map.data_sz = bits / 8;
	*mapp = &bm->map;
	return 0;
}

static int bloom_attach(struct ubf_map *map, bool is_new)
{
	uint32_t s = 0;

	if (!is_new || (map->map_flags & UBF_F_ZERO_SEED))
		return 0;
	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s))
		s = (uint32_t)time(NULL);
	map->hdr->state[0] = s;
	return 0;
}

static void bloom_free(struct ubf_map *map)
{
	free(to_bloom(map));
}

static uint64_t bit_of(const struct bloom_map *bm, const void *value, uint32_t i)
{
	return ubf_map_hash(value, bm->map.value_size, seed(&bm->map) + i) & bm->bit_mask;
}

static int bloom_push(struct ubf_map *map, const void *value, uint64_t flags)
{
	struct bloom_map *bm = to_bloom(map);
	uint64_t *words = (uint64_t *)(void *)map->data, bit;
	uint32_t i;

	if (flags != UBF_ANY)
		return -EINVAL;
	for (i = 0; i < bm->nr_hashes; i++) {
		bit = bit_of(bm, value, i);
		__atomic_fetch_or(&words[bit / 64], 1ull << (bit % 64), __ATOMIC_RELAXED);
	}
	return 0;
}

static int bloom_peek(struct ubf_map *map, void *value)
{
	struct bloom_map *bm = to_bloom(map);
	const uint64_t *words = (const uint64_t *)(const void *)map->data;
	uint64_t bit;
	uint32_t i;

	for (i = 0; i < bm->nr_hashes; i++) {
		bit = bit_of(bm, value, i);
		if (!(__atomic_load_n(&words[bit / 64], __ATOMIC_RELAXED) & (1ull << (bit % 64))))
			return -ENOENT;
	}
	return 0;
}

static int bloom_delete(struct ubf_map *map, const void *key)
{
	(void)map, (void)key;
	return -EOPNOTSUPP;
}

static int bloom_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	(void)map, (void)key, (void)next_key;
	return -EINVAL;
}

const struct ubf_map_ops ubf_bloom_filter_map_ops = {
	.check_attr = bloom_check_attr,
	.alloc = bloom_alloc,
	.attach = bloom_attach,
	.free = bloom_free,
	.delete = bloom_delete,
	.next_key = bloom_next_key,
	.push = bloom_push,
	.peek = bloom_peek,
};
