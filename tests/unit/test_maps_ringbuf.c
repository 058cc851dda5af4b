// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_ringbuf.c - BPF_MAP_TYPE_RINGBUF: attribute rules, Linux's
 * memory layout read straight from the memfd (consumer and producer pages,
 * 8-byte record headers with BUSY/DISCARD bits and pg_off), reserve /
 * submit / discard / output and consumption in order, a full ring, records
 * that wrap past the end, and producer threads racing one consumer.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t size)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_RINGBUF, .max_entries = size);
	return ubf_map_create(mapp, &a);
}

TEST(maps_ringbuf_attr)
{
	uint32_t page = (uint32_t)ubf_shm_page_size();
	struct ubf_map *map = NULL;
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_RINGBUF, .max_entries = page, .key_size = 4);

	EXPECT_ERR(-EINVAL, mk(&map, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 3 * page));
	EXPECT_ERR(-EINVAL, mk(&map, page / 2));
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.key_size = 0;
	a.map_flags = UBF_F_RDONLY;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.map_flags = UBF_F_NUMA_NODE;
	ASSERT_OK(ubf_map_create(&map, &a));
	ubf_map_free(map);
}

struct sink {
	int cnt;
	uint64_t sum;
	uint32_t sizes[64];
	uint8_t first[64];
};

static int collect(void *ctx, const void *data, size_t size)
{
	struct sink *s = ctx;

	if (s->cnt < 64) {
		s->sizes[s->cnt] = (uint32_t)size;
		s->first[s->cnt] = size ? *(const uint8_t *)data : 0;
	}
	s->cnt++;
	return 0;
}

TEST(maps_ringbuf_layout)
{
	size_t page = ubf_shm_page_size();
	struct ubf_map *map = NULL;
	struct sink s = { 0 };
	uint8_t *raw, *a, *b;
	uint32_t *hdr;

	ASSERT_OK(mk(&map, (uint32_t)page));
	raw = mmap(NULL, 3 * page, PROT_READ, MAP_SHARED, ubf_map_fd(map), 0);
	ASSERT_TRUE(raw != MAP_FAILED);
	EXPECT_TRUE(ubf_ringbuf_reserve(map, 8, 1) == NULL);	/* flags must be 0 */
	a = ubf_ringbuf_reserve(map, 5, 0);
	b = ubf_ringbuf_reserve(map, 16, 0);
	ASSERT_TRUE(a && b);
	hdr = (uint32_t *)(void *)(raw + 2 * page);
	EXPECT_EQ_U64(hdr[0], 5 | UBF_RINGBUF_BUSY_BIT);
	EXPECT_EQ_U64(hdr[1], 2);			/* pg_off: the data's first page */
	EXPECT_EQ_U64(*(uint64_t *)(void *)(raw + page), 16 + 24);	/* producer_pos */
	EXPECT_EQ_U64(*(uint64_t *)(void *)raw, 0);		/* consumer_pos */
	EXPECT_EQ_U64(ubf_ringbuf_query(map, UBF_RB_AVAIL_DATA), 40);
	EXPECT_EQ_U64(ubf_ringbuf_query(map, UBF_RB_RING_SIZE), page);
	memset(a, 0xa1, 5);
	memset(b, 0xb2, 16);
	/* the second record is ready but the first is busy: nothing is consumed */
	ubf_ringbuf_submit(b, 0);
	EXPECT_EQ_INT(ubf_ringbuf_consume(map, collect, &s), 0);
	ubf_ringbuf_discard(a, UBF_RB_NO_WAKEUP);
	EXPECT_EQ_U64(hdr[0], 5 | UBF_RINGBUF_DISCARD_BIT);
	EXPECT_EQ_U64(hdr[4], 16);
	EXPECT_EQ_INT(ubf_ringbuf_consume(map, collect, &s), 1);
	EXPECT_EQ_INT(s.sizes[0], 16);
	EXPECT_EQ_INT(s.first[0], 0xb2);
	EXPECT_EQ_U64(*(uint64_t *)(void *)raw, 40);
	EXPECT_EQ_U64(ubf_ringbuf_query(map, UBF_RB_CONS_POS), 40);
	EXPECT_EQ_INT(ubf_ringbuf_output(map, "xyz", 3, 4), -EINVAL);
	EXPECT_OK(ubf_ringbuf_output(map, "xyz", 3, UBF_RB_FORCE_WAKEUP));
	EXPECT_EQ_INT(ubf_ringbuf_poll(map, collect, &s, 100), 1);
	EXPECT_EQ_INT(s.first[1], 'x');
	EXPECT_EQ_INT(ubf_ringbuf_poll(map, collect, &s, 5), 0);
	munmap(raw, 3 * page);
	ubf_map_free(map);
}

static int check_pattern(void *ctx, const void *data, size_t size)
{
	const uint8_t *d = data;
	size_t i;

	for (i = 0; i < size; i++) {
		if (d[i] != (uint8_t)(i * 7))
			(*(int *)ctx)++;
	}
	return 0;
}

TEST(maps_ringbuf_full_and_wrap)
{
	size_t page = ubf_shm_page_size(), i;
	struct ubf_map *map = NULL;
	struct sink s = { 0 };
	uint8_t *rec, *big;

	ASSERT_OK(mk(&map, (uint32_t)page));
	EXPECT_TRUE(ubf_ringbuf_reserve(map, page - 7, 0) == NULL);	/* never fits */
	rec = ubf_ringbuf_reserve(map, page - 8, 0);
	ASSERT_TRUE(rec != NULL);
	EXPECT_TRUE(ubf_ringbuf_reserve(map, 1, 0) == NULL);		/* full */
	EXPECT_EQ_INT(ubf_ringbuf_output(map, "a", 1, 0), -EAGAIN);
	ubf_ringbuf_submit(rec, 0);
	EXPECT_EQ_INT(ubf_ringbuf_consume(map, collect, &s), 1);
	/* 100-byte records: the 37th or so crosses the end of the data area */
	big = malloc(100);
	ASSERT_TRUE(big != NULL);
	for (i = 0; i < 200; i++) {
		memset(big, (int)i, 100);
		ASSERT_OK(ubf_ringbuf_output(map, big, 100, 0));
		s.cnt = 0;
		ASSERT_TRUE(ubf_ringbuf_consume(map, collect, &s) == 1);
		EXPECT_EQ_INT(s.sizes[0], 100);
		EXPECT_EQ_INT(s.first[0], (uint8_t)i);
	}
	free(big);
	/* a record across the boundary is contiguous: check every byte */
	{
		uint64_t prod = ubf_ringbuf_query(map, UBF_RB_PROD_POS);
		uint64_t to_end = page - (prod & (page - 1));
		uint8_t *r;

		if (to_end > 16) {
			ASSERT_OK(ubf_ringbuf_output(map, "", 0, 0));	/* header-only record */
			ASSERT_TRUE(ubf_ringbuf_consume(map, collect, &s) == 1);
			to_end = page - (ubf_ringbuf_query(map, UBF_RB_PROD_POS) & (page - 1));
		}
		r = ubf_ringbuf_reserve(map, to_end + 64, 0);
		ASSERT_TRUE(r != NULL);
		for (i = 0; i < to_end + 64; i++)
			r[i] = (uint8_t)(i * 7);
		ubf_ringbuf_submit(r, 0);
	}
	{
		int wrong = 0;

		EXPECT_EQ_INT(ubf_ringbuf_consume(map, check_pattern, &wrong), 1);
		EXPECT_EQ_INT(wrong, 0);
	}
	ubf_map_free(map);
}

struct producer {
	struct ubf_map *map;
	uint32_t id;
	int fails;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	uint32_t i;

	for (i = 0; i < 20000; i++) {
		uint32_t *r;

		while (!(r = ubf_ringbuf_reserve(p->map, 8 + (i % 5) * 4, 0)))
			;
		r[0] = p->id;
		r[1] = i;
		if (i % 7 == 3)
			ubf_ringbuf_discard(r, 0);
		else
			ubf_ringbuf_submit(r, 0);
	}
	return NULL;
}

struct tally {
	uint32_t next[2];
	int bad;
	int cnt;
};

static int check_order(void *ctx, const void *data, size_t size)
{
	struct tally *t = ctx;
	const uint32_t *r = data;

	if (size < 8 || r[0] > 1) {
		t->bad++;
		return 0;
	}
	/* per producer, records arrive in order, the discarded ones skipped */
	while (t->next[r[0]] % 7 == 3)
		t->next[r[0]]++;
	if (r[1] != t->next[r[0]] || size != 8 + (r[1] % 5) * 4)
		t->bad++;
	t->next[r[0]] = r[1] + 1;
	t->cnt++;
	return 0;
}

TEST(maps_ringbuf_threads)
{
	struct producer p[2];
	struct tally t = { { 0, 0 }, 0, 0 };
	struct ubf_map *map = NULL;
	pthread_t th[2];
	int expected = 2 * (20000 - 20000 / 7 - (20000 % 7 > 3)), i, n;

	ASSERT_OK(mk(&map, (uint32_t)ubf_shm_page_size()));
	for (i = 0; i < 2; i++) {
		p[i] = (struct producer){ .map = map, .id = (uint32_t)i };
		ASSERT_TRUE(!pthread_create(&th[i], NULL, produce, &p[i]));
	}
	while (t.cnt < expected && !t.bad) {
		n = ubf_ringbuf_poll(map, check_order, &t, 1000);
		if (n <= 0)
			break;
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ_INT(t.bad, 0);
	EXPECT_EQ_INT(t.cnt, expected);
	EXPECT_EQ_U64(ubf_ringbuf_query(map, UBF_RB_AVAIL_DATA), 0);
	ubf_map_free(map);
}
