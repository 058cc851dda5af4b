// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_array.c - BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY: Linux's attribute
 * errnos, update flags, -E2BIG out of range, -EINVAL deletes, next_key
 * order and restart, the mmap ABI (values at file offset 0, 8-byte
 * stride), and the per-CPU views (user: every slot; program: its CPU's).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

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

TEST(maps_array_attr_errnos)
{
	struct ubf_map *map = NULL;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_ARRAY, 8, 4, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_ARRAY, 4, 0, 4, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_ARRAY, 4, 4, 0, 0));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_ARRAY, 4, 4, 4, UBF_F_NO_PREALLOC));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_ARRAY, 4, 4, 4, UBF_F_PRESERVE_ELEMS));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PERCPU_ARRAY, 4, 4, 4, UBF_F_MMAPABLE));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_PERCPU_ARRAY, 4, 4, 4, UBF_F_NUMA_NODE));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_ARRAY, 4, (4u << 20) + 1, 1, 0));
	EXPECT_ERR(-E2BIG, mk(&map, UBF_MAP_PERCPU_ARRAY, 4, 32769, 1, 0));
	ASSERT_OK(mk(&map, UBF_MAP_ARRAY, 4, 4, 4,
		     UBF_F_NUMA_NODE | UBF_F_MMAPABLE | UBF_F_INNER_MAP | UBF_F_RDONLY_PROG));
	ubf_map_free(map);
}

TEST(maps_array_elements)
{
	struct ubf_map *map = NULL;
	uint64_t v = 0x1122334455667788ull, out = 1;
	uint32_t key = 3, next = 0;
	int i;

	ASSERT_OK(mk(&map, UBF_MAP_ARRAY, 4, 8, 4, 0));
	/* every element exists from the start, zeroed */
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_U64(out, 0);
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &key, &v, UBF_NOEXIST));
	EXPECT_OK(ubf_map_update_elem(map, &key, &v, UBF_EXIST));
	EXPECT_OK(ubf_map_lookup_elem(map, &key, &out));
	EXPECT_EQ_U64(out, v);
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, &key, &v, 3));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, &key));
	key = 4;
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, &key, &v, UBF_ANY));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, &key, &out));
	EXPECT_TRUE(ubf_map_lookup(map, &key) == NULL);
	/* next_key: NULL and out-of-range keys restart at 0; the last index ends */
	EXPECT_OK(ubf_map_next_key(map, NULL, &next));
	EXPECT_EQ_INT(next, 0);
	EXPECT_OK(ubf_map_next_key(map, &key, &next));
	EXPECT_EQ_INT(next, 0);
	for (i = 0; i < 3; i++) {
		key = next;
		EXPECT_OK(ubf_map_next_key(map, &key, &next));
		EXPECT_EQ_INT(next, i + 1);
	}
	key = 3;
	EXPECT_ERR(-ENOENT, ubf_map_next_key(map, &key, &next));
	ubf_map_free(map);
}

TEST(maps_array_mmap_abi)
{
	struct ubf_map *map = NULL;
	uint32_t key, val[2] = { 0xfeedbeef, 0 }, *view, *prog;
	size_t sz = 4096;

	/* value_size 5 gives an 8-byte stride, as Linux's round_up(value_size, 8) */
	ASSERT_OK(mk(&map, UBF_MAP_ARRAY, 4, 5, 10, UBF_F_MMAPABLE));
	view = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, ubf_map_fd(map), 0);
	ASSERT_TRUE(view != MAP_FAILED);
	key = 7;
	EXPECT_OK(ubf_map_update_elem(map, &key, val, UBF_ANY));
	EXPECT_EQ_U64(view[7 * 2], 0xfeedbeef);
	view[2 * 2] = 42;
	key = 2;
	prog = ubf_map_lookup(map, &key);
	ASSERT_TRUE(prog != NULL);
	EXPECT_EQ_U64(*prog, 42);
	munmap(view, sz);
	ubf_map_free(map);
}

TEST(maps_array_percpu_views)
{
	struct ubf_map *map = NULL;
	unsigned int ncpu = ubf_cpu_count(), cpu;
	size_t usz;
	uint8_t *buf;
	uint32_t key = 1, v32, *p;

	ASSERT_TRUE(ncpu >= 1);
	ASSERT_OK(mk(&map, UBF_MAP_PERCPU_ARRAY, 4, 4, 2, 0));
	usz = ubf_map_user_value_size(map);
	EXPECT_EQ_U64(usz, 8ull * ncpu);
	buf = calloc(1, usz);
	ASSERT_TRUE(buf != NULL);
	for (cpu = 0; cpu < ncpu; cpu++) {
		v32 = 1000 + cpu;
		memcpy(buf + 8 * cpu, &v32, 4);
	}
	EXPECT_ERR(-EEXIST, ubf_map_update_elem(map, &key, buf, UBF_NOEXIST));
	EXPECT_OK(ubf_map_update_elem(map, &key, buf, UBF_ANY));
	memset(buf, 0, usz);
	EXPECT_OK(ubf_map_lookup_elem(map, &key, buf));
	for (cpu = 0; cpu < ncpu; cpu++) {
		memcpy(&v32, buf + 8 * cpu, 4);
		EXPECT_EQ_U64(v32, 1000 + cpu);
		p = ubf_map_lookup_percpu(map, &key, cpu);
		ASSERT_TRUE(p != NULL);
		EXPECT_EQ_U64(*p, 1000 + cpu);
	}
	EXPECT_TRUE(ubf_map_lookup_percpu(map, &key, ncpu) == NULL);
	/* the program path writes the slot of the CPU it runs on */
	v32 = 7;
	EXPECT_OK(ubf_map_update(map, &key, &v32, UBF_ANY));
	p = ubf_map_lookup(map, &key);
	ASSERT_TRUE(p != NULL);
	EXPECT_TRUE(*p == 7 || ncpu > 1);
	EXPECT_OK(ubf_map_lookup_elem(map, &key, buf));
	{
		unsigned int sevens = 0;

		for (cpu = 0; cpu < ncpu; cpu++) {
			memcpy(&v32, buf + 8 * cpu, 4);
			sevens += v32 == 7;
		}
		EXPECT_EQ_INT(sevens, 1);
	}
	free(buf);
	ubf_map_free(map);
}
