// SPDX-License-Identifier: BSD-2-Clause
/*
 * slot.c - the open-addressing table the hashed fd-like maps share
 * (DEVMAP_HASH, SOCKHASH, the local storages): fixed capacity in the map's
 * shared memory, linear probing from the key's hash, tombstones on delete.
 * Writers hold the map's lock; the table itself takes none.
 */
#include <errno.h>
#include <string.h>

#include "maps/map.h"

#define SLOT_EMPTY 0u
#define SLOT_USED 1u
#define SLOT_TOMB 2u

uint64_t ubf_slot_table_size(uint64_t cap, uint32_t key_sz, uint32_t value_sz)
{
	return cap * (8 + ubf_round_up(key_sz, 8) + ubf_round_up(value_sz, 8));
}

uint64_t ubf_slot_table_cap(uint32_t max_entries)
{
	uint64_t cap = 8;

	while (cap < 2ull * max_entries)
		cap <<= 1;
	return cap;
}

void ubf_slot_table_init(struct ubf_slot_table *t, uint8_t *base, uint64_t cap,
			 uint32_t key_sz, uint32_t value_sz)
{
	t->base = base;
	t->cap = cap;
	t->key_sz = key_sz;
	t->value_sz = value_sz;
	t->entry_sz = ubf_slot_table_size(1, key_sz, value_sz);
}

static uint64_t *state(const struct ubf_slot_table *t, uint64_t i)
{
	return (uint64_t *)(void *)(t->base + i * t->entry_sz);
}

static uint8_t *key_of(const struct ubf_slot_table *t, uint64_t i)
{
	return t->base + i * t->entry_sz + 8;
}

static uint8_t *value_of(const struct ubf_slot_table *t, uint64_t i)
{
	return key_of(t, i) + ubf_round_up(t->key_sz, 8);
}

/* The index holding @key, or t->cap. */
static uint64_t find(const struct ubf_slot_table *t, const void *key)
{
	uint64_t i = ubf_map_hash(key, t->key_sz, 0) & (t->cap - 1), n;

	for (n = 0; n < t->cap; n++, i = (i + 1) & (t->cap - 1)) {
		uint64_t s = __atomic_load_n(state(t, i), __ATOMIC_ACQUIRE);

		if (s == SLOT_EMPTY)
			break;
		if (s == SLOT_USED && !memcmp(key_of(t, i), key, t->key_sz))
			return i;
	}
	return t->cap;
}

void *ubf_slot_find(const struct ubf_slot_table *t, const void *key)
{
	uint64_t i = find(t, key);

	return i < t->cap ? value_of(t, i) : NULL;
}

void *ubf_slot_insert(struct ubf_slot_table *t, const void *key)
{
	uint64_t i = ubf_map_hash(key, t->key_sz, 0) & (t->cap - 1), n;

	for (n = 0; n < t->cap; n++, i = (i + 1) & (t->cap - 1)) {
		if (*state(t, i) == SLOT_USED)
			continue;
		memcpy(key_of(t, i), key, t->key_sz);
		memset(value_of(t, i), 0, t->value_sz);
		__atomic_store_n(state(t, i), SLOT_USED, __ATOMIC_RELEASE);
		return value_of(t, i);
	}
	return NULL;
}

int ubf_slot_remove(struct ubf_slot_table *t, const void *key)
{
	uint64_t i = find(t, key);

	if (i == t->cap)
		return -ENOENT;
	__atomic_store_n(state(t, i), SLOT_TOMB, __ATOMIC_RELEASE);
	return 0;
}

int ubf_slot_next_key(const struct ubf_slot_table *t, const void *key, void *next_key)
{
	uint64_t i = key ? find(t, key) : t->cap;

	i = i == t->cap ? 0 : i + 1;
	for (; i < t->cap; i++) {
		if (__atomic_load_n(state(t, i), __ATOMIC_ACQUIRE) == SLOT_USED) {
			memcpy(next_key, key_of(t, i), t->key_sz);
			return 0;
		}
	}
	return -ENOENT;
}
