// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf_helpers.c - the ring buffer helpers: output, reserve, submit,
 * discard and query on a BPF_MAP_TYPE_RINGBUF; user_ringbuf_drain, which
 * hands each sample of a BPF_MAP_TYPE_USER_RINGBUF to a callback of the
 * program as a dynptr; and the dynptr helpers that read it (from_mem,
 * read, write, data).  In a checked run a reserved record is granted to the
 * run and remembered, so that only a record this run reserved, and only
 * once, can be submitted or discarded; a dynptr is program memory it may
 * forge, so every byte a dynptr helper touches is checked again.
 */
#include "helpers/map_helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "maps/map.h"
#include "vm/vm.h"

/*
 * Linux 6.1's struct bpf_dynptr_kern: the 16 bytes of a struct bpf_dynptr.
 * The size word holds the size in bits 0-23, the type (enum
 * bpf_dynptr_type) in bits 28-30 and the read-only flag in bit 31.
 */
struct dynptr_kern {
	void *data;
	uint32_t size;
	uint32_t offset;
};
_Static_assert(sizeof(struct dynptr_kern) == 16, "struct bpf_dynptr is 16 bytes");
#define DYNPTR_SIZE_MASK 0xffffffu
#define DYNPTR_MAX_SIZE DYNPTR_SIZE_MASK
#define DYNPTR_TYPE_SHIFT 28
#define DYNPTR_TYPE_LOCAL (1u << DYNPTR_TYPE_SHIFT)
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
 * One sample: the callback gets a local dynptr to it, as Linux's drain
 * makes it (not flagged read-only, so bpf_dynptr_data() works).  A checked
 * run may read the dynptr and the sample while the callback runs, never
 * write them (Linux's verifier forbids it); the grants end with the
 * callback (the sample's memory is the producer's again).
 */
static long drain_one(void *ctx, void *sample, uint32_t size)
{
	struct drain_ctx *d = ctx;
	struct ubf_run *run = d->run;
	struct dynptr_kern dp = { sample, size | DYNPTR_TYPE_LOCAL, 0 };
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

/* ---------------------------------------------------------------- dynptrs */

/*
 * The dynptr at @p, copied out (a checked run must be able to read its 16
 * bytes; a forged one is caught when its data is touched).  Return: 0, or
 * -EFAULT after recording the fault.
 */
static int dynptr_get(struct ubf_run *run, uint64_t p, struct dynptr_kern *dp)
{
	if (run->is_checked && ubf_run_check_mem(run, p, sizeof(*dp), false, run->helper_pc))
		return -EFAULT;
	memcpy(dp, (const void *)(uintptr_t)p, sizeof(*dp));
	return 0;
}

/* Linux's bpf_dynptr_check_off_len(): [off, off + len) inside the dynptr, else -E2BIG. */
static int dynptr_span(const struct dynptr_kern *dp, uint32_t off, uint32_t len)
{
	uint32_t size = dp->size & DYNPTR_SIZE_MASK;

	if (len > size || off > size - len)
		return -E2BIG;
	return 0;
}

static uint64_t dynptr_addr(const struct dynptr_kern *dp, uint32_t off)
{
	return (uint64_t)(uintptr_t)dp->data + dp->offset + off;
}

/*
 * bpf_dynptr_from_mem(data, size, flags, ptr): a local dynptr to @size
 * bytes at @data.  Flags other than 0: -EINVAL, sizes past 2^24 - 1:
 * -E2BIG; both leave a null dynptr, as Linux does.
 */
uint64_t ubf_helper_dynptr_from_mem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct dynptr_kern dp = { 0 };
	int err = 0;

	(void)r5;
	if (run->is_checked && ubf_run_check_mem(run, r4, sizeof(dp), true, run->helper_pc))
		return (uint64_t)-EFAULT;
	if (r3)
		err = -EINVAL;
	else if ((uint32_t)r2 > DYNPTR_MAX_SIZE)
		err = -E2BIG;
	else
		dp = (struct dynptr_kern){ (void *)(uintptr_t)r1,
					   (uint32_t)r2 | DYNPTR_TYPE_LOCAL, 0 };
	memcpy((void *)(uintptr_t)r4, &dp, sizeof(dp));
	return (uint64_t)(int64_t)err;
}

/* bpf_dynptr_read(dst, len, src, offset, flags): 0, -EINVAL (null dynptr, flags), -E2BIG. */
uint64_t ubf_helper_dynptr_read(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				uint64_t r5, struct ubf_run *run)
{
	uint32_t len = (uint32_t)r2, off = (uint32_t)r4;
	struct dynptr_kern dp;
	int err;

	if (dynptr_get(run, r3, &dp))
		return (uint64_t)-EFAULT;
	if (!dp.data || r5)
		return (uint64_t)-EINVAL;
	err = dynptr_span(&dp, off, len);
	if (err)
		return (uint64_t)(int64_t)err;
	if (run->is_checked && (ubf_run_check_mem(run, r1, len, true, run->helper_pc) ||
				ubf_run_check_mem(run, dynptr_addr(&dp, off), len, false,
						  run->helper_pc)))
		return (uint64_t)-EFAULT;
	memmove((void *)(uintptr_t)r1, (const void *)(uintptr_t)dynptr_addr(&dp, off), len);
	return 0;
}

/* bpf_dynptr_write(dst, offset, src, len, flags): also -EINVAL for a read-only dynptr. */
uint64_t ubf_helper_dynptr_write(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct ubf_run *run)
{
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;
	struct dynptr_kern dp;
	int err;

	if (dynptr_get(run, r1, &dp))
		return (uint64_t)-EFAULT;
	if (!dp.data || r5 || (dp.size & DYNPTR_RDONLY))
		return (uint64_t)-EINVAL;
	err = dynptr_span(&dp, off, len);
	if (err)
		return (uint64_t)(int64_t)err;
	if (run->is_checked && (ubf_run_check_mem(run, r3, len, false, run->helper_pc) ||
				ubf_run_check_mem(run, dynptr_addr(&dp, off), len, true,
						  run->helper_pc)))
		return (uint64_t)-EFAULT;
	memmove((void *)(uintptr_t)dynptr_addr(&dp, off), (const void *)(uintptr_t)r3, len);
	return 0;
}

/*
 * bpf_dynptr_data(ptr, offset, len): the address of the bytes, or NULL for
 * a null or read-only dynptr or a span past its end.  The program's own
 * accesses through the pointer are checked as any other in a checked run.
 */
uint64_t ubf_helper_dynptr_data(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				uint64_t r5, struct ubf_run *run)
{
	struct dynptr_kern dp;

	(void)r4, (void)r5;
	if (dynptr_get(run, r1, &dp))
		return 0;
	if (!dp.data || dynptr_span(&dp, (uint32_t)r2, (uint32_t)r3) || (dp.size & DYNPTR_RDONLY))
		return 0;
	return dynptr_addr(&dp, (uint32_t)r2);
}
