// SPDX-License-Identifier: BSD-2-Clause
/*
 * loop_lock.c - runs loop_lock.bpf.c: bpf_loop's return value and the
 * callback's sum when the callback stops early and when the loop runs out,
 * then two threads running the program at once, each adding under the spin
 * lock; the final counter is read with and without BPF_F_LOCK.
 */
#include "driver.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#define RUNS 300
#define STEP 3

struct locked {
	__u32 lock;
	__u32 pad;
	__u64 cnt;
};

static void *runner(void *arg)
{
	struct bpf_object *obj = arg;
	struct obj_args a;
	int i, ret;

	for (i = 0; i < RUNS; i++) {
		memset(&a, 0, sizeof(a));
		a.y = STEP;
		if (drv_run(obj, "loop_lock", &a, &ret))
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct obj_args a = { .x = 5 };
	struct locked val = { 0 };
	struct bpf_object *obj;
	struct bpf_map *locks;
	pthread_t t[2];
	struct drv d;
	__u32 k = 0;
	int ret;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "loop_lock", NULL);
	if (!obj)
		return drv_done();
	if (!drv_run(obj, "loop_lock", &a, &ret)) {
		DRV_EQ("loop_stop_early.retval", ret, 6);
		DRV_EQ("loop_stop_early.sum", a.out, 0 + 1 + 4 + 9 + 16 + 25);
	}
	memset(&a, 0, sizeof(a));
	a.x = 1000;
	if (!drv_run(obj, "loop_lock", &a, &ret)) {
		DRV_EQ("loop_all.retval", ret, 100);
		DRV_EQ("loop_all.sum", a.out, 99ull * 100 * 199 / 6);
	}
	pthread_create(&t[0], NULL, runner, obj);
	pthread_create(&t[1], NULL, runner, obj);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	locks = bpf_object__find_map_by_name(obj, "locks");
	drv_check(locks && !bpf_map_lookup_elem(bpf_map__fd(locks), &k, &val), "lock_lookup", "%s",
		  strerror(errno));
	DRV_EQ("lock_count", val.cnt, 2 * RUNS * STEP);
	memset(&val, 0xff, sizeof(val));
	drv_check(locks && !bpf_map_lookup_elem_flags(bpf_map__fd(locks), &k, &val, BPF_F_LOCK),
		  "lock_lookup_f_lock", "%s", strerror(errno));
	DRV_EQ("lock_count_f_lock", val.cnt, 2 * RUNS * STEP);
	drv_close(obj);
	return drv_done();
}
