// SPDX-License-Identifier: BSD-2-Clause
/*
 * skel.c - globals.bpf.c through a skeleton from `bpftool gen skeleton`
 * (tests/layers/objects.sh generates globals.skel.h and builds this file):
 * the const volatile set through skel->rodata before load, runs, and the
 * .data/.bss variables read through skel->data and skel->bss, which are
 * the maps' memory.  The object is embedded in the skeleton; the argument
 * only names it for the messages.
 */
#include "driver.h"

#include <errno.h>
#include <string.h>

#include "globals.skel.h"

int main(int argc, char **argv)
{
	struct obj_args args = { .x = 6 };
	struct globals *skel;
	struct drv d;
	int err;

	drv_init(&d, argc, argv);
	skel = globals__open();
	drv_check(skel != NULL, "skel.open", "%s", strerror(errno));
	if (!skel)
		return drv_done();
	skel->rodata->scale = 4;
	err = globals__load(skel);
	drv_check(!err, "skel.load", "%s", strerror(-err));
	if (err)
		goto out;
	if (!drv_run(skel->obj, "globals", &args, &err)) {
		DRV_EQ("skel.retval", err, 6 * 4 + 1);
		DRV_EQ("skel.ctx_out", args.out, 36 + 24);
	}
	args.x = 2;
	drv_run(skel->obj, "globals", &args, &err);
	DRV_EQ("skel.bss", skel->bss->calls, 2);
	DRV_EQ("skel.data", skel->data->total, 108);
	skel->bss->calls = 40;	/* user space writes the map's memory */
	drv_run(skel->obj, "globals", &args, &err);
	DRV_EQ("skel.bss_shared", skel->bss->calls, 41);
out:
	globals__destroy(skel);
	return drv_done();
}
