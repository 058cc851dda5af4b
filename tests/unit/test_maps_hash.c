// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_hash.c - BPF_MAP_TYPE_HASH, PERCPU_HASH and HASH_OF_MAPS:
 * Linux's attribute errnos, ANY/NOEXIST/EXIST, -E2BIG when full (while
 * existing keys still update), next_key iteration and restart, the memory
 * cost per element measured from the memfd, per-CPU views, lookup and
 * delete, and many threads inserting and deleting at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t max,
	      uint32_t flags)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = ksz, .value_size = vsz,
		 .max_entries = max, .map_flags = flags);
	return ubf_map_create(mapp, &a);
}

TEST(maps_hash_attr_errnos)
{
	struct ubf_map *map = NULL, *inner = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_HASH, 0, 4, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_HASH, 4, 0, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_HASH, 4, 4, 0, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_HASH, 4, 4, 4, UBF_F_MMAPABLE));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_HASH, 4, 4, 4, UBF_F_NO_COMMON_LRU));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PERCPU_HASH, 4, 4, 4, UBF_F_NUMA_NODE));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_HASH, 513, 4, 4, 0));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_HASH, 4, 4u << 20, 4, 0));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_PERCPU_HASH, 4, 32769, 4, 0));
	ASSERT_OK(mk(&map, UBF_MAP_HASH, 512, 4, 4,
		     UBF_F_NO_PREALLOC | UBF_F_ZERO_SEED | UBF_F_NUMA_NODE));
	ubf_map_free(map);
	/* hash of maps: u32 values and an inner map template */
	EXPECT_ERR(-EBADF, mk(&map, UBF_MAP_HASH_OF_MAPS, 4, 4, 4, 0));
	ASSERT_OK(mk(&inner, UBF_MAP_ARRAY, 4, 8, 4, 0));
	{
		UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_HASH_OF_MAPS, .key_size = 4,
			 .value_size = 8, .max_entries = 4, .inner_map = inner);
		uint32_t key = 1, id = 77, out = 0;

		EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
		a.value_size = 4;
		ASSERT_OK(ubf_map_create(&map, &a));
		EXPECT_EQ_U64(map->hdr->inner_map_type, UBF_MAP_ARRAY);
		EXPECT_EQ_U64(map->hdr->inner_value_size, 8);
		EXPECT_OK(ubf_map_update_elem(map, &key, &id, UBF_NOEXIST));
		EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
		EXPECT_EQ_U64(out, 77);
		a.inner_map = map;	/* a map-in-map cannot be an inner map */
		EXPECT_ERR(-EINVAL, ubf_map_create(&inner, &a));
		ubf_map_free(map);
	}
	ubf_map_free(inner);
}

TEST(maps_hash_update_flags_and_full)
{
	struct ubf_map *map = NULL;
	uint64_t key, val, out;

	ASSERT_OK(mk(&map, UBF_MAP_HASH, 8, 8, 8, 0));
	key = 1;
	val = 10;
	EXPECT_ERR(-ENOENT, ubf_map_update_elem(map, &key, &val, UBF_EXIST));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, &out));
	EXPECT_OK(ubf_map_update_elem(map, &key, &val, UBF_NOEXIST));
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &key, &val, UBF_NOEXIST));
	val = 11;
	EXPECT_OK(ubf_map_update_elem(map, &key, &val, UBF_EXIST));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_U64(out, 11);
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, &val, 3));
	for (key = 2; key <= 8; key++)
		EXPECT_OK(ubf_map_update_elem(map, &key, &key, UBF_ANY));
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &key, UBF_ANY));
	key = 5;
	val = 55;
	EXPECT_OK(ubf_map_update_elem(map, &key, &val, UBF_ANY));	/* existing: fine */
	EXPECT_OK(ubf_map_delete_elem(map, &key));
	EXPECT_ERR(-ENOENT, ubf_map_delete_elem(map, &key));
	key = 100;
	EXPECT_OK(ubf_map_update_elem(map, &key, &key, UBF_ANY));	/* the freed slot */
	EXPECT_OK(ubf_map_lookup_and_delete_elem(map, &key, &out));
	EXPECT_EQ_U64(out, 100);
	EXPECT_ERR(-ENOENT, ubf_map_lookup_and_delete_elem(map, &key, &out));
	/* the program path returns a pointer into the shared value */
	key = 2;
	{
		uint64_t *p = ubf_map_lookup(map, &key);

		ASSERT_TRUE(p != NULL);
		*p = 222;
		EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
		EXPECT_EQ_U64(out, 222);
	}
	ubf_map_free(map);
}

TEST(maps_hash_next_key)
{
	struct ubf_map *map = NULL;
	uint32_t key, next, n = 0, missing = 12345;
	uint64_t seen = 0;
	int err;

	ASSERT_OK(mk(&map, UBF_MAP_HASH, 4, 4, 64, 0));
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, NULL, &next));
	for (key = 0; key < 40; key++)
		ASSERT_OK(ubf_map_update_elem(map, &key, &key, UBF_ANY));
	err = ubf_map_next_key(map, NULL, &next);
	while (!err && n < 100) {
		EXPECT_TRUE(next < 40);
		EXPECT_TRUE(!(seen & (1ull << next)));
		seen |= 1ull << next;
		n++;
		key = next;
		err = ubf_map_next_key(map, &key, &next);
	}
	EXPECT_ERR(-ENOENT, err);
	EXPECT_EQ_INT(n, 40);
	EXPECT_EQ_U64(seen, (1ull << 40) - 1);
	/* a key that is not in the map restarts at the first key */
	EXPECT_OK(ubf_map_next_key(map, NULL, &key));
	EXPECT_OK(ubf_map_next_key(map, &missing, &next));
	EXPECT_EQ_INT(next, key);
	ubf_map_free(map);
}

TEST(maps_hash_memory_per_element)
{
	const uint32_t max = 1u << 16, ksz = 8, vsz = 16;
	size_t page = ubf_shm_page_size();
	struct ubf_map *map = NULL;
	struct stat st;

	ASSERT_OK(mk(&map, UBF_MAP_HASH, ksz, vsz, max, 0));
	ASSERT_OK(fstat(ubf_map_fd(map), &st));
	EXPECT_TRUE((uint64_t)st.st_size <= (uint64_t)max * (ksz + vsz + 32) + 2 * page);
	ubf_map_free(map);
	/* worst case for buckets: max_entries just above a power of 2 */
	ASSERT_OK(mk(&map, UBF_MAP_HASH, 5, 3, 4097, 0));
	ASSERT_OK(fstat(ubf_map_fd(map), &st));
	EXPECT_TRUE((uint64_t)st.st_size <= 4097ull * (5 + 3 + 32) + 2 * page);
	ubf_map_free(map);
}

TEST(maps_hash_percpu_views)
{
	unsigned int ncpu = ubf_cpu_count(), cpu, hits = 0;
	struct ubf_map *map = NULL;
	uint32_t key = 9, v, *p;
	uint8_t *buf;

	ASSERT_OK(mk(&map, UBF_MAP_PERCPU_HASH, 4, 4, 4, 0));
	buf = calloc(ncpu, 8);
	ASSERT_TRUE(buf != NULL);
	for (cpu = 0; cpu < ncpu; cpu++) {
		v = cpu * 3;
		memcpy(buf + 8 * cpu, &v, 4);
	}
	EXPECT_OK(ubf_map_update_elem(map, &key, buf, UBF_NOEXIST));
	memset(buf, 0xff, 8 * ncpu);
	EXPECT_OK(ubf_map_lookup_elem(map, &key, buf));
	for (cpu = 0; cpu < ncpu; cpu++) {
		memcpy(&v, buf + 8 * cpu, 4);
		EXPECT_EQ_U64(v, cpu * 3);
		p = ubf_map_lookup_percpu(map, &key, cpu);
		ASSERT_TRUE(p != NULL);
		EXPECT_EQ_U64(*p, cpu * 3);
	}
	/* a new element from a program: its CPU's slot set, the others zero */
	key = 10;
	v = 0xabc;
	EXPECT_OK(ubf_map_update(map, &key, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, buf));
	for (cpu = 0; cpu < ncpu; cpu++) {
		memcpy(&v, buf + 8 * cpu, 4);
		EXPECT_TRUE(v == 0 || v == 0xabc);
		hits += v == 0xabc;
	}
	EXPECT_EQ_INT(hits, 1);
	free(buf);
	ubf_map_free(map);
}

struct worker {
	struct ubf_map *map;
	uint32_t base;
	int errors;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	uint32_t i, round, out;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < 200; i++) {
			uint32_t key = w->base + i, val = key ^ round;

			if (ubf_map_update_elem(w->map, &key, &val, UBF_ANY))
				w->errors++;
		}
		for (i = 0; i < 200; i++) {
			uint32_t key = w->base + i;

			if (ubf_map_lookup_elem(w->map, &key, &out) || out != (key ^ round))
				w->errors++;
			if (i % 2 && ubf_map_delete_elem(w->map, &key))
				w->errors++;
		}
	}
	return NULL;
}

TEST(maps_hash_threads)
{
	struct worker w[4];
	pthread_t t[4];
	struct ubf_map *map = NULL;
	uint32_t key, out, n = 0;
	int i;

	ASSERT_OK(mk(&map, UBF_MAP_HASH, 4, 4, 800, 0));
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ .map = map, .base = (uint32_t)i * 1000 };
		ASSERT_TRUE(!pthread_create(&t[i], NULL, hammer, &w[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ_INT(w[i].errors, 0);
	}
	/* each thread leaves its 100 even keys */
	if (!ubf_map_next_key(map, NULL, &key)) {
		do {
			EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
			EXPECT_EQ_INT(key % 2, 0);
			n++;
		} while (!ubf_map_next_key(map, &key, &key) && n < 1000);
	}
	EXPECT_EQ_INT(n, 400);
	ubf_map_free(map);
}
