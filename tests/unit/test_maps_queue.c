// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_queue.c - BPF_MAP_TYPE_QUEUE and STACK: FIFO and LIFO order
 * through the user and program entry points, -E2BIG when full, BPF_EXIST
 * overwriting the oldest element, -ENOENT when empty, and Linux's errnos
 * for keys, flags, delete and next_key.
 */
#include <errno.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t type, uint32_t ksz, uint32_t max)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = ksz, .value_size = 4,
		 .max_entries = max);
	return ubf_map_create(mapp, &a);
}

TEST(maps_queue_attr_and_errnos)
{
	struct ubf_map *map = NULL;
	uint32_t v = 1, key = 0;

	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_QUEUE, 4, 4));
	EXPECT_ERR(-EINVAL, mk(&map, UBF_MAP_STACK, 0, 0));
	ASSERT_OK(mk(&map, UBF_MAP_QUEUE, 0, 4));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, NULL, &v, UBF_NOEXIST));
	EXPECT_ERR(-EINVAL, ubf_map_update_elem(map, NULL, &v, 4));
	EXPECT_ERR(-EINVAL, ubf_map_delete_elem(map, NULL));
	EXPECT_ERR(-EINVAL, ubf_map_next_key(map, NULL, &key));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_elem(map, NULL, &v));
	EXPECT_ERR(-ENOENT, ubf_map_lookup_and_delete_elem(map, NULL, &v));
	EXPECT_TRUE(ubf_map_lookup(map, NULL) == NULL);
	ubf_map_free(map);
}

static void order(uint32_t type)
{
	struct ubf_map *map = NULL;
	uint32_t v, out, i;
	bool is_stack = type == UBF_MAP_STACK;

	ASSERT_OK(mk(&map, type, 0, 4));
	for (v = 1; v <= 4; v++)
		EXPECT_OK(ubf_map_update_elem(map, NULL, &v, UBF_ANY));
	EXPECT_ERR(-E2BIG, ubf_map_update_elem(map, NULL, &v, UBF_ANY));
	EXPECT_OK(ubf_map_lookup_elem(map, NULL, &out));	/* peek */
	EXPECT_EQ_INT(out, is_stack ? 4 : 1);
	/* BPF_EXIST drops the oldest (1) to make room for 5 */
	v = 5;
	EXPECT_OK(ubf_map_update_elem(map, NULL, &v, UBF_EXIST));
	for (i = 0; i < 4; i++) {
		EXPECT_OK(ubf_map_lookup_and_delete_elem(map, NULL, &out));
		EXPECT_EQ_INT(out, is_stack ? 5 - i : 2 + i);
	}
	EXPECT_ERR(-ENOENT, ubf_map_lookup_and_delete_elem(map, NULL, &out));
	/* the program side: push, peek, pop; wrap the ring several times */
	for (i = 0; i < 50; i++) {
		v = 100 + i;
		EXPECT_OK(ubf_map_push(map, &v, UBF_ANY));
		v = 200 + i;
		EXPECT_OK(ubf_map_update(map, NULL, &v, UBF_ANY));
		EXPECT_OK(ubf_map_peek(map, &out));
		EXPECT_EQ_INT(out, is_stack ? 200 + i : 100 + i);
		EXPECT_OK(ubf_map_pop(map, &out));
		EXPECT_EQ_INT(out, is_stack ? 200 + i : 100 + i);
		EXPECT_OK(ubf_map_pop(map, &out));
		EXPECT_EQ_INT(out, is_stack ? 100 + i : 200 + i);
	}
	EXPECT_ERR(-ENOENT, ubf_map_pop(map, &out));
	ubf_map_free(map);
}

TEST(maps_queue_fifo)
{
	order(UBF_MAP_QUEUE);
}

TEST(maps_stack_lifo)
{
	order(UBF_MAP_STACK);
}
