// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf_helpers.c - the ring buffer helpers: output, reserve, submit,
 * discard and query on a BPF_MAP_TYPE_RINGBUF, and user_ringbuf_drain,
 * which hands each sample of a BPF_MAP_TYPE_USER_RINGBUF to a callback of
 * the program.  In a checked run a reserved record is granted to the run
 * and remembered, so that only a record this run reserved, and only once,
 * can be submitted or discarded: the record header sits in front of it.
 */
#include "helpers/map_helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "maps/map.h"
#include "vm/vm.h"

/* Linux's struct bpf_dynptr_kern, the callback's first argument, and its size-word bits. */
struct dynptr_kern {
	void *data;
	uint32_t size;		/* bits 0-27 size, 28-30 type, 31 read-only */
	uint32_t offset;
};
#define DYNPTR_TYPE_LOCAL (1u << 28)
#define DYNPTR_RDONLY (1u << 31)

#define RINGBUF_BIT UBF_MAP_TYPE_BIT(UBF_MAP_RINGBUF)

uint64_t ubf_helper_ringbuf_output(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct ubf_run *run)
{
	(void)r5;
	if (run->is_checked && (ubf_helper_check_map(run, r1, RINGBUF_BIT, "ringbuf_output") ||
				ubf_helper_check_buf(run, r2, r3, false)))
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)ubf_ringbuf_output((struct ubf_map *)(uintptr_t)r1,
						     (const void *)(uintptr_t)r2, r3, r4);
}

/* Checked runs: grant @rec and remember it until it is submitted or discarded. */
static int track_record(struct ubf_run *run, void *rec, uint64_t size)
{
	if (run->rb_cnt >= UBF_RUN_MAX_RECORDS || ubf_run_grant(run, rec, size, true))
		return -E2BIG;
	run->rb_records[run->rb_cnt++] = rec;
	return 0;
}

uint64_t ubf_helper_ringbuf_reserve(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	void *rec;

	(void)r4, (void)r5;
	if (run->is_checked && ubf_helper_check_map(run, r1, RINGBUF_BIT, "ringbuf_reserve"))
		return 0;
	rec = ubf_ringbuf_reserve((struct ubf_map *)(uintptr_t)r1, r2, r3);
	if (rec && run->is_checked && track_record(run, rec, r2)) {
		/* Out of room to track it: as if the ring were full. */
		ubf_ringbuf_discard(rec, 0);
		return 0;
	}
	return (uint64_t)(uintptr_t)rec;
}

/* Checked runs: forget the record at @p, which must be one this run reserved. */
static int release_record(struct ubf_run *run, uint64_t p, const char *helper)
{
	uint32_t i;

	for (i = 0; i < run->rb_cnt; i++) {
		if (run->rb_records[i] == (void *)(uintptr_t)p) {
			run->rb_records[i] = run->rb_records[--run->rb_cnt];
			return 0;
		}
	}
	return ubf_run_fault(run, run->helper_pc, -EINVAL, "helper.bad_record",
			     "%s: 0x%" PRIx64 " is no ring buffer record this run holds", helper,
			     p);
}

uint64_t ubf_helper_ringbuf_submit(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct ubf_run *run)
{
	(void)r3, (void)r4, (void)r5;
	if (run->is_checked && release_record(run, r1, "ringbuf_submit"))
		return 0;
	ubf_ringbuf_submit((void *)(uintptr_t)r1, r2);
	return 0;
}

uint64_t ubf_helper_ringbuf_discard(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	(void)r3, (void)r4, (void)r5;
	if (run->is_checked && release_record(run, r1, "ringbuf_discard"))
		return 0;
	ubf_ringbuf_discard((void *)(uintptr_t)r1, r2);
	return 0;
}

uint64_t ubf_helper_ringbuf_query(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct ubf_run *run)
{
	(void)r3, (void)r4, (void)r5;
	if (run->is_checked && ubf_helper_check_map(run, r1, RINGBUF_BIT, "ringbuf_query"))
		return 0;
	return ubf_ringbuf_query((struct ubf_map *)(uintptr_t)r1, r2);
}

/* ---------------------------------------------------------------- user ring buffers */

struct drain_ctx {
	struct ubf_run *run;
	uint64_t fn;		/* the program's callback */
	uint64_t cb_ctx;	/* its second argument */
	int err;		/* a fault in the callback */
};

/*
 * One sample: the callback gets a read-only local dynptr to it.  A checked
 * run may read the dynptr and the sample while the callback runs; the
 * grants end with it (the sample's memory is the producer's again).
 */
static long drain_one(void *ctx, void *sample, uint32_t size)
{
	struct drain_ctx *d = ctx;
	struct ubf_run *run = d->run;
	struct dynptr_kern dp = { sample, size | DYNPTR_TYPE_LOCAL | DYNPTR_RDONLY, 0 };
	uint64_t args[5] = { (uint64_t)(uintptr_t)&dp, d->cb_ctx, 0, 0, 0 }, ret = 0;
	uint32_t mark = run->grant_cnt;

	if (ubf_run_grant(run, &dp, sizeof(dp), false) || ubf_run_grant(run, sample, size, false))
		d->err = -E2BIG;
	else
		d->err = ubf_run_callback(run, d->fn, args, &ret);
	if (run->is_checked)
		run->grant_cnt = mark;
	return d->err ? 1 : (long)ret;
}

/*
 * user_ringbuf_drain(map, callback, ctx, flags): the number of samples
 * drained, or Linux's errors (-EBUSY while another drain runs, -EINVAL for
 * bad flags or a corrupt producer position, -E2BIG for an oversized sample).
 */
uint64_t ubf_helper_user_ringbuf_drain(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				       uint64_t r5, struct ubf_run *run)
{
	struct drain_ctx d = { run, r2, r3, 0 };
	int n;

	(void)r5;
	if (run->is_checked &&
	    ubf_helper_check_map(run, r1, UBF_MAP_TYPE_BIT(UBF_MAP_USER_RINGBUF),
				 "user_ringbuf_drain"))
		return (uint64_t)-EFAULT;
	n = ubf_run_callback_check(run, r2);
	if (n)
		return (uint64_t)(int64_t)n;
	n = ubf_user_ringbuf_drain((struct ubf_map *)(uintptr_t)r1, drain_one, &d, r4);
	return (uint64_t)(int64_t)(d.err ? d.err : n);
}
