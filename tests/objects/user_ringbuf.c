// SPDX-License-Identifier: BSD-2-Clause
/*
 * user_ringbuf.c - libbpf's user_ring_buffer producer on a userbpf user
 * ring buffer drained by user_ringbuf.bpf.c: submitted and discarded
 * samples, then a full ring where user_ring_buffer__reserve_blocking()
 * sleeps until the program drains it, which must wake the producer.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define SAMPLE_SZ 64

struct blocked {
	struct user_ring_buffer *rb;
	void *sample;
	int err;
};

static void *reserve_blocking(void *arg)
{
	struct blocked *b = arg;

	b->sample = user_ring_buffer__reserve_blocking(b->rb, SAMPLE_SZ, 20000);
	b->err = b->sample ? 0 : errno;
	return NULL;
}

static int drain(struct bpf_object *obj, __u64 *cnt)
{
	struct obj_args a = { 0 };
	int ret = -100;

	drv_run(obj, "drain", &a, &ret);
	*cnt = a.out;
	return ret;
}

static void fill_and_block(struct bpf_object *obj, struct user_ring_buffer *rb)
{
	struct timespec nap = { .tv_sec = 0, .tv_nsec = 200 * 1000000L };
	struct blocked b = { .rb = rb };
	int n = 0, ret;
	pthread_t t;
	void *s;
	__u64 cnt;

	while ((s = user_ring_buffer__reserve(rb, SAMPLE_SZ))) {
		user_ring_buffer__submit(rb, s);
		n++;
	}
	drv_check(n > 1 && errno == ENOSPC, "ring_full", "%d samples, then %s", n,
		  strerror(errno));
	pthread_create(&t, NULL, reserve_blocking, &b);
	nanosleep(&nap, NULL);
	ret = drain(obj, &cnt);
	pthread_join(t, NULL);
	DRV_EQ("drain_full.retval", ret, n);
	drv_check(b.sample != NULL, "reserve_blocking_woken", "%s", strerror(b.err));
	if (b.sample)
		user_ring_buffer__submit(rb, b.sample);
	DRV_EQ("drain_after_wake", drain(obj, &cnt), 1);
}

int main(int argc, char **argv)
{
	struct user_ring_buffer *rb;
	struct bpf_object *obj;
	struct bpf_map *map;
	struct drv d;
	void *s[3];
	__u64 cnt;
	int i;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "user_ringbuf", NULL);
	if (!obj)
		return drv_done();
	map = bpf_object__find_map_by_name(obj, "urb");
	rb = map ? user_ring_buffer__new(bpf_map__fd(map), NULL) : NULL;
	drv_check(rb != NULL, "user_ring_buffer__new", "%s", strerror(errno));
	if (!rb)
		goto out;
	for (i = 0; i < 3; i++) {
		s[i] = user_ring_buffer__reserve(rb, SAMPLE_SZ);
		drv_check(s[i] != NULL, "reserve", "%s", strerror(errno));
		if (!s[i])
			goto out_free;
		memset(s[i], i, SAMPLE_SZ);
	}
	user_ring_buffer__submit(rb, s[0]);
	user_ring_buffer__discard(rb, s[1]);
	user_ring_buffer__submit(rb, s[2]);
	DRV_EQ("drain.retval", drain(obj, &cnt), 2);
	DRV_EQ("drain.callbacks", cnt, 2);
	DRV_EQ("drain_empty.retval", drain(obj, &cnt), 0);
	fill_and_block(obj, rb);
out_free:
	user_ring_buffer__free(rb);
out:
	drv_close(obj);
	return drv_done();
}
