// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_maps_user_ringbuf.c - BPF_MAP_TYPE_USER_RINGBUF: attribute rules,
 * Linux's layout read from the memfd (producer_pos written by user space,
 * consumer_pos by the drain, 8-byte headers with BUSY/DISCARD bits),
 * reserve / submit / discard and draining in order, a full ring, records
 * that wrap, a drain refusing a corrupt producer, a producer thread racing
 * the drain, and a producer in a forked child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <userbpf/map.h>

#include "maps/map.h"
#include "test.h"

static int mk(struct ubf_map **mapp, uint32_t size)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_USER_RINGBUF, .max_entries = size);
	return ubf_map_create(mapp, &a);
}

struct sink {
	int cnt;
	int stop_at;
	uint32_t sizes[64];
	uint8_t first[64];
};

static long collect(void *ctx, void *data, uint32_t size)
{
	struct sink *s = ctx;

	if (s->cnt < 64) {
		s->sizes[s->cnt] = size;
		s->first[s->cnt] = size ? *(const uint8_t *)data : 0;
	}
	s->cnt++;
	return s->stop_at && s->cnt >= s->stop_at;
}

static int rb_noop(void *ctx, const void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	return 0;
}

TEST(maps_user_ringbuf_attr)
{
	uint32_t page = (uint32_t)ubf_shm_page_size();
	struct ubf_map *map = NULL, *kern = NULL;
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_USER_RINGBUF, .max_entries = page,
		 .value_size = 8);
	void *s;

	EXPECT_ERR(-EINVAL, mk(&map, 0));
	EXPECT_ERR(-EINVAL, mk(&map, 3 * page));
	EXPECT_ERR(-EINVAL, mk(&map, page / 2));
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.value_size = 0;
	a.map_flags = UBF_F_WRONLY;
	EXPECT_ERR(-EINVAL, ubf_map_create(&map, &a));
	a.map_flags = UBF_F_NUMA_NODE;
	ASSERT_OK(ubf_map_create(&map, &a));
	EXPECT_EQ_INT(ubf_map_type(map), UBF_MAP_USER_RINGBUF);
	/* each ring type keeps its own direction */
	ASSERT_OK(ubf_map_create(&kern, &(struct ubf_map_attr){ .sz = sizeof(a),
		.map_type = UBF_MAP_RINGBUF, .max_entries = page }));
	EXPECT_ERR(-EINVAL, ubf_user_ringbuf_reserve(kern, 8, &s));
	EXPECT_ERR(-EINVAL, ubf_user_ringbuf_drain(kern, collect, NULL, 0));
	EXPECT_ERR(-EINVAL, ubf_ringbuf_consume(map, rb_noop, NULL));
	EXPECT_ERR(-EINVAL, ubf_user_ringbuf_reserve(map, 8, NULL));
	EXPECT_ERR(-EOPNOTSUPP, ubf_map_lookup_elem(map, NULL, &s));
	ubf_map_free(kern);
	ubf_map_free(map);
}

TEST(maps_user_ringbuf_layout)
{
	size_t page = ubf_shm_page_size();
	struct ubf_map *map = NULL;
	struct sink s = { 0 };
	uint8_t *raw, *a, *b, *c;
	uint32_t *hdr;

	ASSERT_OK(mk(&map, (uint32_t)page));
	raw = mmap(NULL, 3 * page, PROT_READ, MAP_SHARED, ubf_map_fd(map), 0);
	ASSERT_TRUE(raw != MAP_FAILED);
	ASSERT_OK(ubf_user_ringbuf_reserve(map, 5, (void **)&a));
	ASSERT_OK(ubf_user_ringbuf_reserve(map, 16, (void **)&b));
	ASSERT_OK(ubf_user_ringbuf_reserve(map, 3, (void **)&c));
	hdr = (uint32_t *)(void *)(raw + 2 * page);
	EXPECT_EQ_U64(hdr[0], 5 | UBF_RINGBUF_BUSY_BIT);
	EXPECT_EQ_U64(hdr[1], 0);
	EXPECT_EQ_U64(hdr[4], 16 | UBF_RINGBUF_BUSY_BIT);
	EXPECT_EQ_U64(*(uint64_t *)(void *)(raw + page), 16 + 24 + 16);	/* producer_pos */
	EXPECT_EQ_U64(*(uint64_t *)(void *)raw, 0);			/* consumer_pos */
	memset(a, 0xa1, 5);
	memset(b, 0xb2, 16);
	memset(c, 0xc3, 3);
	/* the oldest sample is still reserved: nothing is drained */
	ubf_user_ringbuf_submit(map, b);
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, 0), 0);
	EXPECT_EQ_INT(s.cnt, 0);
	ubf_user_ringbuf_discard(map, a);
	EXPECT_EQ_U64(hdr[0], 5 | UBF_RINGBUF_DISCARD_BIT);
	EXPECT_EQ_U64(hdr[4], 16);
	ubf_user_ringbuf_submit(map, c);
	ubf_user_ringbuf_submit(map, raw);	/* not a sample of the ring: ignored */
	EXPECT_ERR(-EINVAL, ubf_user_ringbuf_drain(map, collect, &s, 4));
	/* the discarded sample is skipped and not counted */
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, UBF_RB_NO_WAKEUP), 2);
	EXPECT_EQ_INT(s.cnt, 2);
	EXPECT_EQ_INT(s.sizes[0], 16);
	EXPECT_EQ_INT(s.first[0], 0xb2);
	EXPECT_EQ_INT(s.sizes[1], 3);
	EXPECT_EQ_INT(s.first[1], 0xc3);
	EXPECT_EQ_U64(*(uint64_t *)(void *)raw, 56);
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, UBF_RB_FORCE_WAKEUP), 0);
	/* a callback returning nonzero stops after its sample */
	ASSERT_OK(ubf_user_ringbuf_reserve(map, 1, (void **)&a));
	ubf_user_ringbuf_submit(map, a);
	ASSERT_OK(ubf_user_ringbuf_reserve(map, 1, (void **)&b));
	ubf_user_ringbuf_submit(map, b);
	s = (struct sink){ .stop_at = 1 };
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, 0), 1);
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, 0), 1);
	EXPECT_EQ_INT(s.cnt, 2);
	munmap(raw, 3 * page);
	ubf_map_free(map);
}

TEST(maps_user_ringbuf_full_and_wrap)
{
	size_t page = ubf_shm_page_size(), i;
	struct ubf_map *map = NULL;
	struct sink s = { 0 };
	uint8_t *r;

	ASSERT_OK(mk(&map, (uint32_t)page));
	EXPECT_ERR(-E2BIG, ubf_user_ringbuf_reserve(map, (uint32_t)page - 7, (void **)&r));
	EXPECT_ERR(-E2BIG, ubf_user_ringbuf_reserve(map, UBF_RINGBUF_BUSY_BIT | 8, (void **)&r));
	ASSERT_OK(ubf_user_ringbuf_reserve(map, (uint32_t)page - 8, (void **)&r));
	EXPECT_ERR(-ENOSPC, ubf_user_ringbuf_reserve(map, 0, (void **)&r));
	ubf_user_ringbuf_submit(map, r);
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, 0), 1);
	/* 100-byte samples walk around the ring many times */
	for (i = 0; i < 200; i++) {
		ASSERT_OK(ubf_user_ringbuf_reserve(map, 100, (void **)&r));
		memset(r, (int)i, 100);
		ubf_user_ringbuf_submit(map, r);
		s.cnt = 0;
		ASSERT_TRUE(ubf_user_ringbuf_drain(map, collect, &s, 0) == 1);
		EXPECT_EQ_INT(s.sizes[0], 100);
		EXPECT_EQ_INT(s.first[0], (uint8_t)i);
	}
	ubf_map_free(map);
}

static long check_pattern(void *ctx, void *data, uint32_t size)
{
	const uint8_t *d = data;
	uint32_t i;

	for (i = 0; i < size; i++) {
		if (d[i] != (uint8_t)(i * 7))
			(*(int *)ctx)++;
	}
	return 0;
}

TEST(maps_user_ringbuf_wrapped_sample_is_contiguous)
{
	size_t page = ubf_shm_page_size(), i, to_end;
	struct ubf_map *map = NULL;
	struct sink s = { 0 };
	int wrong = 0;
	uint8_t *r;

	ASSERT_OK(mk(&map, (uint32_t)page));
	/* leave 32 bytes before the end of the data area */
	ASSERT_OK(ubf_user_ringbuf_reserve(map, (uint32_t)page - 40, (void **)&r));
	ubf_user_ringbuf_submit(map, r);
	ASSERT_TRUE(ubf_user_ringbuf_drain(map, collect, &s, 0) == 1);
	to_end = 32 - UBF_RINGBUF_HDR_SZ;
	ASSERT_OK(ubf_user_ringbuf_reserve(map, (uint32_t)(to_end + 64), (void **)&r));
	for (i = 0; i < to_end + 64; i++)
		r[i] = (uint8_t)(i * 7);
	ubf_user_ringbuf_submit(map, r);
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, check_pattern, &wrong, 0), 1);
	EXPECT_EQ_INT(wrong, 0);
	ubf_map_free(map);
}

TEST(maps_user_ringbuf_rejects_corrupt_producer)
{
	size_t page = ubf_shm_page_size();
	struct ubf_map *map = NULL;
	struct sink s = { 0 };
	uint64_t *prod;
	uint32_t *hdr;
	uint8_t *raw, *r;

	ASSERT_OK(mk(&map, (uint32_t)page));
	raw = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, ubf_map_fd(map), 0);
	ASSERT_TRUE(raw != MAP_FAILED);
	prod = (uint64_t *)(void *)(raw + page);
	hdr = (uint32_t *)(void *)(raw + 2 * page);
	ASSERT_OK(ubf_user_ringbuf_reserve(map, 16, (void **)&r));
	ubf_user_ringbuf_submit(map, r);
	*prod = 20;					/* not 8-byte aligned */
	EXPECT_ERR(-EINVAL, ubf_user_ringbuf_drain(map, collect, &s, 0));
	*prod = 24;
	hdr[0] = 17;					/* longer than what was produced */
	EXPECT_ERR(-EINVAL, ubf_user_ringbuf_drain(map, collect, &s, 0));
	*prod = 2 * page;
	hdr[0] = (uint32_t)page;			/* longer than the ring */
	EXPECT_ERR(-E2BIG, ubf_user_ringbuf_drain(map, collect, &s, 0));
	EXPECT_EQ_INT(s.cnt, 0);
	EXPECT_EQ_U64(*(uint64_t *)(void *)raw, 0);	/* nothing consumed */
	/* one drain at a time: the busy word lives in the shared header */
	map->hdr->state[1] = 1;
	EXPECT_ERR(-EBUSY, ubf_user_ringbuf_drain(map, collect, &s, 0));
	map->hdr->state[1] = 0;
	*prod = 24;
	hdr[0] = 16;
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, collect, &s, 0), 1);
	munmap(raw, 3 * page);
	ubf_map_free(map);
}

enum { N_SAMPLES = 20000 };

static int producer_stop;	/* set when the drain gave up: a producer blocked on a full ring quits */

static void produce(struct ubf_map *map, uint32_t id)
{
	uint32_t i, *r;

	for (i = 0; i < N_SAMPLES; i++) {
		while (ubf_user_ringbuf_reserve(map, 8 + (i % 5) * 4, (void **)&r) == -ENOSPC) {
			if (__atomic_load_n(&producer_stop, __ATOMIC_RELAXED))
				return;
			sched_yield();
		}
		r[0] = id;
		r[1] = i;
		if (i % 7 == 3)
			ubf_user_ringbuf_discard(map, r);
		else
			ubf_user_ringbuf_submit(map, r);
	}
}

static void *produce_thread(void *arg)
{
	produce(arg, 1);
	return NULL;
}

struct tally {
	uint32_t next;
	int bad;
	int cnt;
};

static long check_order(void *ctx, void *data, uint32_t size)
{
	struct tally *t = ctx;
	const uint32_t *r = data;

	while (t->next % 7 == 3)
		t->next++;
	if (size != 8 + (t->next % 5) * 4 || r[1] != t->next)
		t->bad++;
	t->next = r[1] + 1;
	t->cnt++;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drain until every submitted sample arrived in order; false after 60 s. */
static bool drain_all(struct ubf_map *map, struct tally *t)
{
	int expected = N_SAMPLES - N_SAMPLES / 7 - (N_SAMPLES % 7 > 3), n;
	double deadline = now_s() + 60;

	while (t->cnt < expected && !t->bad && now_s() < deadline) {
		n = ubf_user_ringbuf_drain(map, check_order, t, 0);
		if (n < 0) {
			t->bad++;
			break;
		}
		if (!n)
			sched_yield();
	}
	EXPECT_EQ_INT(t->bad, 0);
	EXPECT_EQ_INT(t->cnt, expected);
	return t->cnt == expected;
}

TEST(maps_user_ringbuf_thread_producer)
{
	struct ubf_map *map = NULL;
	struct tally t = { 0 };
	pthread_t th;

	ASSERT_OK(mk(&map, (uint32_t)ubf_shm_page_size()));
	ASSERT_TRUE(!pthread_create(&th, NULL, produce_thread, map));
	if (!drain_all(map, &t))
		__atomic_store_n(&producer_stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	EXPECT_EQ_INT(ubf_user_ringbuf_drain(map, check_order, &t, 0), 0);
	ubf_map_free(map);
}

TEST(maps_user_ringbuf_child_producer)
{
	struct ubf_map *map = NULL;
	struct tally t = { 0 };
	int status;
	pid_t pid;

	ASSERT_OK(mk(&map, (uint32_t)ubf_shm_page_size()));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		struct ubf_map *child = NULL;

		if (ubf_map_open_fd(&child, ubf_map_fd(map)))
			_exit(2);
		produce(child, 2);
		ubf_map_free(child);
		_exit(0);
	}
	if (!drain_all(map, &t))
		kill(pid, SIGKILL);	/* a producer blocked on a full ring would never exit */
	ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ubf_map_free(map);
}
