// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp.c - runs xdp.bpf.c with data_in and repeat: the frame comes back
 * with its Ethernet addresses swapped, XDP_TX, and the per-CPU counter
 * summed over the CPUs libbpf reads (libbpf_num_possible_cpus()) equals the
 * number of runs; a frame shorter than an Ethernet header is dropped.
 */
#include "driver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REPEAT 11

int main(int argc, char **argv)
{
	unsigned char pkt[64], out[64], want[64];
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *pkts;
	__u64 *vals, sum = 0;
	int ncpu, i, err;
	struct drv d;
	__u32 k = 0;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "xdp", NULL);
	if (!obj)
		return drv_done();
	for (i = 0; i < (int)sizeof(pkt); i++)
		pkt[i] = (unsigned char)i;
	memcpy(want, pkt, sizeof(pkt));
	memcpy(want, pkt + 6, 6);
	memcpy(want + 6, pkt, 6);
	prog = bpf_object__find_program_by_name(obj, "xdp_swap");
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .data_out = out, .data_size_out = sizeof(out), .repeat = REPEAT);

		err = prog ? drv_test_run(prog, "xdp_swap", &opts) : -ENOENT;
		drv_check(!err, "xdp.test_run", "%s", strerror(errno));
		DRV_EQ("xdp.retval", opts.retval, XDP_TX);
		DRV_EQ("xdp.data_size_out", opts.data_size_out, sizeof(pkt));
		/* as in Linux every run works on the same frame: an odd count leaves it swapped */
		drv_check(!memcmp(out, want, sizeof(out)), "xdp.data_out", "addresses not swapped");
	}
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = 10);

		err = prog ? drv_test_run(prog, "xdp_short", &opts) : -ENOENT;
		drv_check(err || opts.retval == XDP_DROP, "xdp.short_frame",
			  "retval %u, want XDP_DROP (or a refused run)", opts.retval);
	}
	ncpu = libbpf_num_possible_cpus();
	pkts = bpf_object__find_map_by_name(obj, "pkts");
	vals = calloc((size_t)(ncpu > 0 ? ncpu : 1), sizeof(*vals));
	drv_check(pkts && vals && !bpf_map_lookup_elem(bpf_map__fd(pkts), &k, vals),
		  "percpu_lookup", "%s", strerror(errno));
	for (i = 0; vals && i < ncpu; i++)
		sum += vals[i];
	DRV_EQ("percpu_sum", sum, REPEAT);
	free(vals);
	drv_close(obj);
	return drv_done();
}
