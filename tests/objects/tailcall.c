// SPDX-License-Identifier: BSD-2-Clause
/*
 * tailcall.c - runs tailcall.bpf.c: a chain entry -> tail1 -> tail2, a
 * direct jump to tail2, an empty slot falling through, a slot cleared from
 * user space, and a self tail call stopped by Linux's limit (33 tail calls,
 * self runs 33 times after entry set the counter to 1).
 */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void run(struct bpf_object *obj, const char *name, __u64 slot, __u64 want_out,
		int want_ret)
{
	__u64 args[1] = { slot };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "entry");
	__u64 *out = drv_var(obj, "out");
	char n[64];
	int err;

	snprintf(n, sizeof(n), "%s.test_run", name);
	err = prog ? drv_test_run(prog, name, &opts) : -ENOENT;
	drv_check(!err && out, n, "%s (out %p)", strerror(errno), (void *)out);
	if (err || !out)
		return;
	snprintf(n, sizeof(n), "%s.retval", name);
	DRV_EQ(n, opts.retval, want_ret);
	snprintf(n, sizeof(n), "%s.out", name);
	DRV_EQ(n, *out, want_out);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_map *jmp;
	struct drv d;
	__u32 k = 2;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "tailcall", NULL);
	if (!obj)
		return drv_done();
	run(obj, "chain", 1, 112, 42);
	run(obj, "direct", 2, 12, 42);
	run(obj, "empty_slot", 4, 1, 7);
	run(obj, "out_of_range", 9, 1, 7);
	run(obj, "limit_33", 3, 1 + 33, 1 + 33);
	jmp = bpf_object__find_map_by_name(obj, "jmp");
	drv_check(jmp && !bpf_map_delete_elem(bpf_map__fd(jmp), &k), "slot_delete", "%s",
		  strerror(errno));
	run(obj, "deleted_slot", 1, 11, 8);
	drv_close(obj);
	return drv_done();
}
