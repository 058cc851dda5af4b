// SPDX-License-Identifier: BSD-2-Clause
/*
 * hook.c - runs hook.bpf.c on an application-defined hook point: the
 * program is attached with libbpf's bpf_program__attach_raw_tracepoint()
 * to a point this driver defined with ubf_tp_define(), fired from C with
 * two arguments, then detached by bpf_link__destroy(), after which firing
 * runs nothing.  With --kernel the name is no kernel tracepoint, so the
 * check is Linux's ENOENT for it.
 */
#include "driver.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <userbpf/hook.h>

#define TP_NAME "objtest:request"
#define FIRES 5

struct hook_stats {
	__u64 sum;
	__u64 calls;
};

static void read_stats(struct bpf_object *obj, struct hook_stats *s)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "stats");
	__u32 k = 0;

	memset(s, 0, sizeof(*s));
	drv_check(m && !bpf_map_lookup_elem(bpf_map__fd(m), &k, s), "stats_lookup", "%s",
		  strerror(errno));
}

/* The link's last fd is gone: the watcher detaches within a moment. */
static bool wait_detached(struct ubf_tp *tp)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	int i;

	for (i = 0; i < 2000 && ubf_tp_attached(tp); i++)
		nanosleep(&ms, NULL);
	return !ubf_tp_attached(tp);
}

int main(int argc, char **argv)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct hook_stats s;
	struct bpf_link *link;
	struct ubf_tp *tp;
	struct drv d;
	uint64_t args[2];
	int i, ran = 0;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "hook", NULL);
	if (!obj)
		return drv_done();
	prog = bpf_object__find_program_by_name(obj, "on_request");
	drv_check(prog != NULL, "find_prog", "no program on_request");
	if (!prog)
		goto out;
	if (d.kernel) {
		link = bpf_program__attach_raw_tracepoint(prog, TP_NAME);
		DRV_EQ("kernel_no_such_tp", libbpf_get_error(link), -ENOENT);
		goto out;
	}
	drv_check(!ubf_tp_define(TP_NAME, &tp), "tp_define", "failed");
	link = bpf_program__attach_raw_tracepoint(prog, TP_NAME);
	drv_check(!libbpf_get_error(link), "attach", "%s", strerror(errno));
	if (libbpf_get_error(link))
		goto out;
	DRV_EQ("attached", ubf_tp_attached(tp), 1);
	for (i = 0; i < FIRES; i++) {
		args[0] = (uint64_t)i;
		args[1] = 100;
		ran += ubf_tp_fire(tp, args, 2);
	}
	DRV_EQ("ran", ran, FIRES);
	read_stats(obj, &s);
	DRV_EQ("calls", s.calls, FIRES);
	DRV_EQ("sum", s.sum, 0 + 1 + 2 + 3 + 4 + FIRES * 100);
	bpf_link__destroy(link);
	drv_check(wait_detached(tp), "detached_on_close", "still attached");
	DRV_EQ("fire_after_detach", ubf_tp_fire(tp, args, 2), 0);
	read_stats(obj, &s);
	DRV_EQ("calls_after_detach", s.calls, FIRES);
out:
	drv_close(obj);
	return drv_done();
}
