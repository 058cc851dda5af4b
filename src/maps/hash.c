// SPDX-License-Identifier: BSD-2-Clause
/*
 * hash.c - BPF_MAP_TYPE_HASH and its variants: PERCPU_HASH, LRU_HASH,
 * LRU_PERCPU_HASH and HASH_OF_MAPS (u32 inner map ids as values).
 *
 * Shared layout (offsets from file offset 0): a small control block (free
 * list, bump allocator, seed, LRU clock), then n_buckets 32-bit bucket words
 * (bit 31: the bucket's spin lock, bits 0-30: first element index + 1), then
 * max_entries elements {next, hash, [LRU stamp], key, value}.  Elements are
 * taken from a free list, else from never-used space, so untouched elements
 * cost no memory (the memfd is sparse); that is how BPF_F_NO_PREALLOC is
 * honoured.  A preallocated element costs key + value + at most 30 bytes.
 *
 * LRU policy (approximate, as Linux's): every program lookup and every
 * update stamps the element with a shared clock.  When an insert finds no
 * free element it samples up to LRU_SAMPLE consecutive elements from a
 * rotating cursor and evicts the one with the oldest stamp; maps of at most
 * LRU_SAMPLE entries are therefore exact LRU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "maps/map.h"

#define HASH_FLAGS (UBF_F_NO_PREALLOC | UBF_F_NO_COMMON_LRU | UBF_F_NUMA_NODE | \
		    UBF_F_ACCESS_MASK | UBF_F_ZERO_SEED)
#define BUCKET_LOCK (1u << 31)
#define LRU_SAMPLE 128u
#define MAX_KEY_SIZE 512u	/* Linux MAX_BPF_STACK: keys are built on the stack */

struct hash_ctl {
	uint32_t free_lock;
	uint32_t free_head;	/* element index + 1; 0: empty */
	uint32_t next_unused;	/* elements [next_unused, max_entries) were never used */
	uint32_t seed;
	uint64_t clock;		/* LRU stamps */
	uint32_t evict_cursor;
	uint32_t reserved;
};

struct hash_elem {
	uint32_t next;		/* element index + 1 of the next in the bucket; 0: last */
	uint32_t hash;
};

struct hash_map {
	struct ubf_map map;
	bool is_lru;
	uint32_t n_buckets;
	uint32_t key_sz8;	/* round_up(key_size, 8) */
	uint32_t hdr_sz;	/* struct hash_elem, + 8 for the LRU stamp */
	uint64_t elem_sz;
	uint64_t buckets_off;
	uint64_t elems_off;
};

static struct hash_map *to_hash(const struct ubf_map *map)
{
	return ubf_container_of(map, struct hash_map, map);
}

static struct hash_ctl *ctl(const struct ubf_map *map)
{
	return (struct hash_ctl *)(void *)map->data;
}

static uint32_t *bucket(const struct hash_map *hm, uint32_t hash)
{
	return (uint32_t *)(void *)(hm->map.data + hm->buckets_off) + (hash & (hm->n_buckets - 1));
}

static struct hash_elem *elem(const struct hash_map *hm, uint32_t idx)
{
	return (struct hash_elem *)(void *)(hm->map.data + hm->elems_off + idx * hm->elem_sz);
}

static uint64_t *stamp(struct hash_elem *e)
{
	return (uint64_t *)(void *)(e + 1);
}

static uint8_t *elem_key(const struct hash_map *hm, struct hash_elem *e)
{
	return (uint8_t *)e + hm->hdr_sz;
}

static uint8_t *elem_value(const struct hash_map *hm, struct hash_elem *e)
{
	return (uint8_t *)e + hm->hdr_sz + hm->key_sz8;
}

/* 4- and 8-byte keys (most maps) get ubf_map_hash() unrolled for their size. */
static inline uint32_t key_hash(const struct hash_map *hm, const void *key)
{
	uint32_t seed = ctl(&hm->map)->seed, h;

	switch (hm->map.key_size) {
	case 4:
		h = ubf_map_hash(key, 4, seed);
		break;
	case 8:
		h = ubf_map_hash(key, 8, seed);
		break;
	default:
		h = ubf_map_hash(key, hm->map.key_size, seed);
		break;
	}
	return h & ~BUCKET_LOCK;
}

/* Lock a bucket; returns its head (element index + 1). */
static uint32_t bucket_lock(uint32_t *b)
{
	uint32_t old;

	for (;;) {
		old = __atomic_fetch_or(b, BUCKET_LOCK, __ATOMIC_ACQUIRE);
		if (!(old & BUCKET_LOCK))
			return old;
		while (__atomic_load_n(b, __ATOMIC_RELAXED) & BUCKET_LOCK)
			sched_yield();
	}
}

static void bucket_unlock(uint32_t *b, uint32_t head)
{
	__atomic_store_n(b, head, __ATOMIC_RELEASE);
}

/* Does @e hold @key?  4- and 8-byte keys (most maps) compare without a call. */
static inline bool key_equal(const struct hash_map *hm, struct hash_elem *e, const void *key)
{
	const uint8_t *k = elem_key(hm, e);
	uint64_t a8, b8;
	uint32_t a4, b4;

	switch (hm->map.key_size) {
	case 4:
		memcpy(&a4, k, 4);
		memcpy(&b4, key, 4);
		return a4 == b4;
	case 8:
		memcpy(&a8, k, 8);
		memcpy(&b8, key, 8);
		return a8 == b8;
	default:
		return !memcmp(k, key, hm->map.key_size);
	}
}

/* Under the bucket lock: the element holding @key, and the link that points to it. */
static struct hash_elem *find(const struct hash_map *hm, uint32_t *headp, const void *key,
			      uint32_t hash, uint32_t **linkp)
{
	uint32_t *link = headp;

	while (*link) {
		struct hash_elem *e = elem(hm, *link - 1);

		if (e->hash == hash && key_equal(hm, e, key)) {
			if (linkp)
				*linkp = link;
			return e;
		}
		link = &e->next;
	}
	return NULL;
}

/*
 * Stamp @e with the next tick of the LRU clock.  A plain load and store,
 * not an atomic add: threads racing here may hand out one tick twice or
 * lose one, which only blurs the approximate order, and the clock never
 * reads 0 again (0 marks a free element) before 2^64 ticks.
 */
static void touch(const struct hash_map *hm, struct hash_elem *e)
{
	uint64_t *clock = &ctl(&hm->map)->clock, now;

	if (!hm->is_lru)
		return;
	now = __atomic_load_n(clock, __ATOMIC_RELAXED) + 1;
	__atomic_store_n(clock, now, __ATOMIC_RELAXED);
	__atomic_store_n(stamp(e), now, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- element allocation */

static int elem_alloc(struct hash_map *hm, uint32_t *idxp)
{
	struct hash_ctl *c = ctl(&hm->map);
	int err = 0;

	ubf_spin_lock(&c->free_lock);
	if (c->free_head) {
		*idxp = c->free_head - 1;
		c->free_head = elem(hm, *idxp)->next;
	} else if (c->next_unused < hm->map.max_entries) {
		*idxp = c->next_unused++;
	} else {
		err = -E2BIG;
	}
	ubf_spin_unlock(&c->free_lock);
	return err;
}

static void elem_release(struct hash_map *hm, uint32_t idx)
{
	struct hash_ctl *c = ctl(&hm->map);
	struct hash_elem *e = elem(hm, idx);

	if (hm->is_lru)
		__atomic_store_n(stamp(e), 0, __ATOMIC_RELAXED);
	ubf_spin_lock(&c->free_lock);
	e->next = c->free_head;
	c->free_head = idx + 1;
	ubf_spin_unlock(&c->free_lock);
}

/* Unlink the sampled element with the oldest stamp; it becomes the caller's. */
static int lru_evict(struct hash_map *hm, uint32_t *idxp)
{
	uint32_t n = hm->map.max_entries, sample = n < LRU_SAMPLE ? n : LRU_SAMPLE;
	int tries;

	for (tries = 0; tries < 16; tries++) {
		uint32_t start = __atomic_fetch_add(&ctl(&hm->map)->evict_cursor, sample,
						    __ATOMIC_RELAXED) % n;
		uint64_t best_stamp = UINT64_MAX, st;
		uint32_t i, best = UINT32_MAX, *b, head, *link;
		struct hash_elem *e;

		for (i = 0; i < sample; i++) {
			uint32_t idx = (start + i) % n;

			st = __atomic_load_n(stamp(elem(hm, idx)), __ATOMIC_RELAXED);
			if (st && st < best_stamp) {
				best_stamp = st;
				best = idx;
			}
		}
		if (best == UINT32_MAX)
			continue;
		e = elem(hm, best);
		b = bucket(hm, __atomic_load_n(&e->hash, __ATOMIC_RELAXED));
		head = bucket_lock(b);
		link = &head;
		while (*link && *link != best + 1)
			link = &elem(hm, *link - 1)->next;
		if (*link && __atomic_load_n(stamp(e), __ATOMIC_RELAXED) == best_stamp) {
			*link = e->next;
			__atomic_store_n(stamp(e), 0, __ATOMIC_RELAXED);
			bucket_unlock(b, head);
			*idxp = best;
			return 0;
		}
		bucket_unlock(b, head);
	}
	return -E2BIG;
}

/* ---------------------------------------------------------------- values */

enum value_src {
	SRC_ONE,	/* one value: the map's, or the calling CPU's slot */
	SRC_ALL_CPUS,	/* user view of a per-CPU map: ncpu slots, 8-byte stride */
};

static void write_value(struct hash_map *hm, struct hash_elem *e, const void *value,
			uint64_t flags, enum value_src src, bool is_fresh)
{
	struct ubf_map *map = &hm->map;
	uint8_t *v = elem_value(hm, e);
	uint32_t cpu, this_cpu;

	if (!map->is_percpu) {
		if (is_fresh) {
			memcpy(v, value, map->value_size);
			if (map->lock_off >= 0)
				memset(v + map->lock_off, 0, 4);
		} else if (flags & UBF_F_LOCK) {
			ubf_map_copy_value_locked(map, v, value, false);
		} else {
			ubf_map_copy_value(map, v, value);
		}
		return;
	}
	if (src == SRC_ALL_CPUS) {
		for (cpu = 0; cpu < map->ncpu; cpu++)
			memcpy(v + (size_t)cpu * map->pcpu_value_sz,
			       (const uint8_t *)value + (size_t)cpu * map->pcpu_value_sz,
			       map->value_size);
		return;
	}
	this_cpu = ubf_map_this_cpu(map);
	for (cpu = 0; cpu < map->ncpu; cpu++) {
		uint8_t *slot = v + (size_t)cpu * map->pcpu_value_sz;

		if (cpu == this_cpu)
			memcpy(slot, value, map->value_size);
		else if (is_fresh)
			memset(slot, 0, map->pcpu_value_sz);
	}
}

static void read_value(const struct hash_map *hm, struct hash_elem *e, void *value,
		       uint64_t flags)
{
	const struct ubf_map *map = &hm->map;
	uint8_t *v = elem_value(hm, e);

	if (map->is_percpu) {
		memcpy(value, v, (size_t)map->pcpu_value_sz * map->ncpu);
		return;
	}
	if (flags & UBF_F_LOCK)
		ubf_map_copy_value_locked(map, value, v, true);
	else
		memcpy(value, v, map->value_size);
	if (map->lock_off >= 0)
		memset((uint8_t *)value + map->lock_off, 0, 4);
}

/* ---------------------------------------------------------------- ops */

static int update_existing(struct hash_map *hm, const void *key, uint32_t hash, const void *value,
			   uint64_t flags, enum value_src src)
{
	uint32_t *b = bucket(hm, hash), head = bucket_lock(b);
	struct hash_elem *e = find(hm, &head, key, hash, NULL);
	int err = -ENOENT;

	if (e) {
		err = 0;
		if (flags & UBF_NOEXIST) {
			err = -EEXIST;
		} else {
			write_value(hm, e, value, flags, src, false);
			touch(hm, e);
		}
	}
	bucket_unlock(b, head);
	return err;
}

static int update(struct hash_map *hm, const void *key, const void *value, uint64_t flags,
		  enum value_src src)
{
	uint32_t hash = key_hash(hm, key), *b, head, idx;
	struct hash_elem *e;
	int err;

	err = update_existing(hm, key, hash, value, flags, src);
	if (err != -ENOENT || (flags & UBF_EXIST))
		return err;
	err = elem_alloc(hm, &idx);
	if (err && hm->is_lru)
		err = lru_evict(hm, &idx);
	if (err)
		return err;
	e = elem(hm, idx);
	e->hash = hash;
	memcpy(elem_key(hm, e), key, hm->map.key_size);
	write_value(hm, e, value, flags, src, true);

	b = bucket(hm, hash);
	head = bucket_lock(b);
	if (find(hm, &head, key, hash, NULL)) {
		/* another thread inserted the key meanwhile: behave as if it came first */
		bucket_unlock(b, head);
		elem_release(hm, idx);
		return update_existing(hm, key, hash, value, flags, src);
	}
	e->next = head;
	touch(hm, e);
	bucket_unlock(b, idx + 1);
	return 0;
}

static int hash_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	return update(to_hash(map), key, value, flags, SRC_ONE);
}

static int hash_copy_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	return update(to_hash(map), key, value, flags,
		      map->is_percpu ? SRC_ALL_CPUS : SRC_ONE);
}

/*
 * The program-side lookup's first try, without the bucket lock (as Linux's
 * RCU lookups): writers publish an element fully written before they link
 * it (the release store of bucket_unlock()), so a walk sees keys that were
 * complete when linked.  A walk that races with a removal or with an
 * element's reuse may leave the bucket's chain and miss; the caller then
 * looks again under the lock, so only a hit is taken from here.  The walk
 * stays inside the element pool and takes at most max_entries steps, whatever
 * the links say meanwhile.
 */
static struct hash_elem *find_lockless(const struct hash_map *hm, const void *key, uint32_t hash)
{
	uint32_t n = hm->map.max_entries, steps = n;
	uint32_t link = __atomic_load_n(bucket(hm, hash), __ATOMIC_ACQUIRE) & ~BUCKET_LOCK;

	while (link && link <= n && steps--) {
		struct hash_elem *e = elem(hm, link - 1);

		if (__atomic_load_n(&e->hash, __ATOMIC_RELAXED) == hash && key_equal(hm, e, key))
			return e;
		link = __atomic_load_n(&e->next, __ATOMIC_ACQUIRE);
	}
	return NULL;
}

static void *lookup_cpu(struct ubf_map *map, const void *key, uint32_t cpu)
{
	struct hash_map *hm = to_hash(map);
	uint32_t hash = key_hash(hm, key), *b, head;
	struct hash_elem *e = find_lockless(hm, key, hash);

	if (!e) {
		b = bucket(hm, hash);
		head = bucket_lock(b);
		e = find(hm, &head, key, hash, NULL);
		bucket_unlock(b, head);
	}
	if (!e)
		return NULL;
	touch(hm, e);
	return elem_value(hm, e) + (size_t)cpu * map->pcpu_value_sz;
}

static void *hash_lookup(struct ubf_map *map, const void *key)
{
	return lookup_cpu(map, key, map->is_percpu ? ubf_map_this_cpu(map) : 0);
}

static int hash_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	struct hash_map *hm = to_hash(map);
	uint32_t hash = key_hash(hm, key), *b = bucket(hm, hash), head = bucket_lock(b);
	struct hash_elem *e = find(hm, &head, key, hash, NULL);

	if (e)
		read_value(hm, e, value, flags);
	bucket_unlock(b, head);
	return e ? 0 : -ENOENT;
}

static int remove_key(struct hash_map *hm, const void *key, void *value)
{
	uint32_t hash = key_hash(hm, key), *b = bucket(hm, hash), head = bucket_lock(b), *link;
	struct hash_elem *e = find(hm, &head, key, hash, &link);
	uint32_t idx;

	if (!e) {
		bucket_unlock(b, head);
		return -ENOENT;
	}
	if (value)
		read_value(hm, e, value, 0);
	idx = *link - 1;
	*link = e->next;
	bucket_unlock(b, head);
	elem_release(hm, idx);
	return 0;
}

static int hash_delete(struct ubf_map *map, const void *key)
{
	return remove_key(to_hash(map), key, NULL);
}

static int hash_lookup_and_delete(struct ubf_map *map, const void *key, void *value)
{
	return remove_key(to_hash(map), key, value);
}

/* First key of the first non-empty bucket at or after @from. */
static int first_from(const struct hash_map *hm, uint32_t from, void *next_key)
{
	uint32_t i;

	for (i = from; i < hm->n_buckets; i++) {
		uint32_t *b = bucket(hm, i), head;

		if (!(__atomic_load_n(b, __ATOMIC_RELAXED) & ~BUCKET_LOCK))
			continue;
		head = bucket_lock(b);
		if (head)
			memcpy(next_key, elem_key(hm, elem(hm, head - 1)), hm->map.key_size);
		bucket_unlock(b, head);
		if (head)
			return 0;
	}
	return -ENOENT;
}

/* Linux htab_map_get_next_key(): NULL or a missing key restarts at the first key. */
static int hash_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	const struct hash_map *hm = to_hash(map);
	uint32_t hash, *b, head;
	struct hash_elem *e;

	if (!key)
		return first_from(hm, 0, next_key);
	hash = key_hash(hm, key);
	b = bucket(hm, hash);
	head = bucket_lock(b);
	e = find(hm, &head, key, hash, NULL);
	if (e && e->next)
		memcpy(next_key, elem_key(hm, elem(hm, e->next - 1)), map->key_size);
	bucket_unlock(b, head);
	if (!e)
		return first_from(hm, 0, next_key);
	if (e->next)
		return 0;
	return first_from(hm, (hash & (hm->n_buckets - 1)) + 1, next_key);
}

/* ---------------------------------------------------------------- creation */

static int hash_check_attr(const struct ubf_map_attr *a)
{
	bool percpu = a->map_type == UBF_MAP_PERCPU_HASH || a->map_type == UBF_MAP_LRU_PERCPU_HASH;
	bool lru = a->map_type == UBF_MAP_LRU_HASH || a->map_type == UBF_MAP_LRU_PERCPU_HASH;
	bool percpu_lru = a->map_flags & UBF_F_NO_COMMON_LRU;

	if ((a->map_flags & ~HASH_FLAGS) || !ubf_map_flags_access_ok(a->map_flags))
		return -EINVAL;
	if (!lru && percpu_lru)
		return -EINVAL;
	if (lru && (a->map_flags & UBF_F_NO_PREALLOC))
		return -EOPNOTSUPP;	/* Linux: ENOTSUPP */
	if ((a->map_flags & UBF_F_NUMA_NODE) && (percpu || percpu_lru))
		return -EINVAL;
	if (!a->max_entries || !a->key_size || !a->value_size)
		return -EINVAL;
	if (a->key_size > MAX_KEY_SIZE ||
	    (uint64_t)a->key_size + a->value_size >= UBF_MAP_VALUE_MAX - 48)
		return -E2BIG;
	if (percpu && ubf_round_up(a->value_size, 8) > UBF_MAP_PCPU_VALUE_MAX)
		return -E2BIG;
	if (a->max_entries > (1u << 30))
		return -E2BIG;
	return 0;
}

static int hash_of_maps_check_attr(const struct ubf_map_attr *a)
{
	if (a->value_size != 4)
		return -EINVAL;
	return hash_check_attr(a);
}

static int hash_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct hash_map *hm = calloc(1, sizeof(*hm));
	uint64_t value_sz = ubf_round_up(a->value_size, 8);

	if (!hm)
		return -ENOMEM;
	hm->is_lru = a->map_type == UBF_MAP_LRU_HASH || a->map_type == UBF_MAP_LRU_PERCPU_HASH;
	if (a->map_type == UBF_MAP_PERCPU_HASH || a->map_type == UBF_MAP_LRU_PERCPU_HASH) {
		hm->map.is_percpu = true;
		hm->map.ncpu = ubf_cpu_count();
		value_sz *= hm->map.ncpu;
	}
	hm->n_buckets = 1;
	while (hm->n_buckets < a->max_entries)
		hm->n_buckets <<= 1;
	hm->key_sz8 = (uint32_t)ubf_round_up(a->key_size, 8);
	hm->hdr_sz = sizeof(struct hash_elem) + (hm->is_lru ? 8 : 0);
	hm->elem_sz = hm->hdr_sz + hm->key_sz8 + value_sz;
	hm->buckets_off = sizeof(struct hash_ctl);
	hm->elems_off = ubf_round_up(hm->buckets_off + 4ull * hm->n_buckets, 8);
	hm->map.data_sz = hm->elems_off + hm->elem_sz * a->max_entries;
	if (hm->map.data_sz > UBF_MAP_DATA_MAX) {
		free(hm);
		return -ENOMEM;
	}
	*mapp = &hm->map;
	return 0;
}

static int hash_attach(struct ubf_map *map, bool is_new)
{
	uint32_t seed = 0;

	if (!is_new || (map->map_flags & UBF_F_ZERO_SEED))
		return 0;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint32_t)time(NULL) ^ (uint32_t)(uintptr_t)map;
	ctl(map)->seed = seed;
	return 0;
}

/* The values of the element pool, without the elements' links, keys and padding. */
static void hash_value_area(const struct ubf_map *map, struct ubf_map_area *area)
{
	const struct hash_map *hm = to_hash(map);

	area->start = map->data + hm->elems_off;
	area->size = hm->elem_sz * map->max_entries;
	area->stride = hm->elem_sz;
	area->off = hm->hdr_sz + hm->key_sz8;
	/* a per-CPU element's slots, from the first to the end of the last value */
	area->len = (uint64_t)(map->ncpu - 1) * map->pcpu_value_sz + map->value_size;
}

static void hash_free(struct ubf_map *map)
{
	free(to_hash(map));
}

#define HASH_OPS(check_, percpu_, inner_)			\
	.has_inner_map = (inner_),				\
	.check_attr = (check_),					\
	.alloc = hash_alloc,					\
	.attach = hash_attach,					\
	.free = hash_free,					\
	.lookup = hash_lookup,					\
	.update = hash_update,					\
	.delete = hash_delete,					\
	.next_key = hash_next_key,				\
	.copy_out = hash_copy_out,				\
	.copy_in = hash_copy_in,				\
	.lookup_and_delete = hash_lookup_and_delete,		\
	.lookup_percpu = (percpu_) ? lookup_cpu : NULL,		\
	.value_area = (inner_) ? NULL : hash_value_area

const struct ubf_map_ops ubf_hash_map_ops = { HASH_OPS(hash_check_attr, false, false) };
const struct ubf_map_ops ubf_percpu_hash_map_ops = { HASH_OPS(hash_check_attr, true, false) };
const struct ubf_map_ops ubf_lru_hash_map_ops = { HASH_OPS(hash_check_attr, false, false) };
const struct ubf_map_ops ubf_lru_percpu_hash_map_ops = { HASH_OPS(hash_check_attr, true, false) };
const struct ubf_map_ops ubf_hash_of_maps_map_ops = {
	HASH_OPS(hash_of_maps_check_attr, false, true)
};
