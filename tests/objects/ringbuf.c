// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf.c - consumes ringbuf.bpf.c's records with libbpf's ring_buffer
 * API: ring_buffer__poll() blocks with a long timeout and must wake when
 * another thread runs the producer, then when a forked child process runs
 * it (same ring, shared memory, a futex wake-up across processes), and
 * returns 0 after a short timeout when nothing arrives.  Records are
 * checked in order.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_TIMEOUT_MS 20000

struct seen {
	int cnt;
	struct obj_event ev[8];
};

static int on_event(void *ctx, void *data, size_t sz)
{
	struct seen *s = ctx;

	if (sz == sizeof(struct obj_event) && s->cnt < 8)
		memcpy(&s->ev[s->cnt], data, sz);
	s->cnt++;
	return 0;
}

struct producer {
	struct bpf_object *obj;
	__u32 x;
	int ret;
};

static void nap_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void *produce_later(void *arg)
{
	struct producer *p = arg;
	struct obj_args a = { .x = p->x, .y = 1 };

	nap_ms(200);
	p->ret = -100;
	drv_run(p->obj, "produce", &a, &p->ret);
	return NULL;
}

static void check_records(const char *what, const struct seen *s, __u32 x, __u32 y)
{
	char n[64];

	snprintf(n, sizeof(n), "%s.records", what);
	DRV_EQ(n, s->cnt, 2);
	if (s->cnt < 2)
		return;
	snprintf(n, sizeof(n), "%s.first", what);
	drv_check(s->ev[0].seq == x && s->ev[0].pid == y && s->ev[0].val == 2ull * y, n,
		  "{%u, %u, %llu}", s->ev[0].seq, s->ev[0].pid, (unsigned long long)s->ev[0].val);
	snprintf(n, sizeof(n), "%s.second", what);
	drv_check(s->ev[1].seq == x + 1000 && s->ev[1].pid == y && s->ev[1].val == 0, n,
		  "{%u, %u, %llu}", s->ev[1].seq, s->ev[1].pid, (unsigned long long)s->ev[1].val);
}

/* Poll until two records arrived or a poll timed out. */
static int poll_two(struct ring_buffer *rb, struct seen *s)
{
	int n;

	while (s->cnt < 2) {
		n = ring_buffer__poll(rb, POLL_TIMEOUT_MS);
		if (n <= 0)
			return n;
	}
	return 0;
}

static void from_thread(struct bpf_object *obj, struct ring_buffer *rb, struct seen *s)
{
	struct producer p = { .obj = obj, .x = 1 };
	pthread_t t;
	int err;

	memset(s, 0, sizeof(*s));
	pthread_create(&t, NULL, produce_later, &p);
	err = poll_two(rb, s);
	pthread_join(t, NULL);
	DRV_EQ("thread.poll", err, 0);
	DRV_EQ("thread.produce_retval", p.ret, 0);
	check_records("thread", s, 1, 1);
}

static void from_child(struct bpf_object *obj, struct ring_buffer *rb, struct seen *s)
{
	int status = 0, err;
	pid_t pid;

	memset(s, 0, sizeof(*s));
	pid = fork();
	if (pid == 0) {
		struct obj_args a = { .x = 2, .y = 2 };
		int ret = -1;

		nap_ms(200);
		if (drv_run(obj, "produce", &a, &ret) || ret)
			_exit(1);
		_exit(0);
	}
	err = poll_two(rb, s);
	waitpid(pid, &status, 0);
	DRV_EQ("child.poll", err, 0);
	drv_check(WIFEXITED(status) && !WEXITSTATUS(status), "child.produce", "status 0x%x",
		  status);
	check_records("child", s, 2, 2);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct ring_buffer *rb;
	struct bpf_map *map;
	struct seen s;
	struct drv d;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "ringbuf", NULL);
	if (!obj)
		return drv_done();
	map = bpf_object__find_map_by_name(obj, "rb");
	memset(&s, 0, sizeof(s));
	rb = map ? ring_buffer__new(bpf_map__fd(map), on_event, &s, NULL) : NULL;
	drv_check(rb != NULL, "ring_buffer__new", "%s", strerror(errno));
	if (!rb)
		goto out;
	DRV_EQ("empty_poll_times_out", ring_buffer__poll(rb, 50), 0);
	from_thread(obj, rb, &s);
	from_child(obj, rb, &s);
	ring_buffer__free(rb);
out:
	drv_close(obj);
	return drv_done();
}
