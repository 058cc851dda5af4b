// SPDX-License-Identifier: BSD-2-Clause
/*
 * run.c - the per-run state every engine shares: setting up the memory
 * regions a checked run may touch (its fixed regions, the program's object
 * regions, the grants helpers add during the run), checking an access
 * against them, and recording a fault in the caller's diagnostic.  The engines keep their own
 * fast inline checks for the common regions and call in here for the rest
 * and for every fault; helpers use ubf_run_check_mem() on their buffers.
 */
#include "vm/vm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void set_region(struct ubf_run_region *r, const void *addr, size_t size, bool is_writable)
{
	r->start = (uintptr_t)addr;
	r->end = r->start + size;
	r->is_writable = is_writable;
}

void ubf_run_init(struct ubf_run *run, const struct ubf_prog *prog, void *mem, size_t mem_sz,
		  const struct ubf_run_opts *opts)
{
	size_t i, extra = 0;

	run->prog = prog;
	run->cookie = NULL;
	run->diag = NULL;
	if (opts) {
		run->cookie = opts->cookie;
		run->diag = opts->diag;
		extra = opts->region_cnt;
	}
	run->budget = prog->insn_limit;
	run->may_goto_left = UBF_MAY_GOTO_BUDGET;
	run->err = 0;
	run->prng_state = 0;
	run->is_checked = (prog->flags & UBF_PROG_F_CHECKED) != 0;
	run->helper_pc = 0;
	run->pkt = mem;
	run->pkt_sz = mem ? mem_sz : 0;
	run->tail_call = NULL;
	run->tail_call_cnt = 0;
	run->cb_fp = ubf_run_stack_top(run);
	run->cb_depth = 0;
	run->rb_cnt = 0;
	run->held_lock = NULL;
	run->jit_ctx = NULL;
	run->func_ip = 0;
	run->attach_cookie = 0;
	/* Only checked runs look at regions; trusted runs skip the set-up cost. */
	run->region_cnt = 0;
	run->grant_cnt = 0;
	run->area_cnt = 0;
	if (!run->is_checked)
		return;
	memset(&run->hit, 0, sizeof(run->hit));
	run->hit_prog = NULL;
	set_region(&run->regions[0], run->stack, sizeof(run->stack), true);
	set_region(&run->regions[1], mem, mem ? mem_sz : 0, true);
	for (i = 0; i < extra; i++)
		set_region(&run->regions[2 + i], opts->regions[i].addr, opts->regions[i].size,
			   opts->regions[i].is_writable);
	run->region_cnt = (uint32_t)(2 + extra);
	memset(run->stack, 0, sizeof(run->stack));
}

/*
 * Search @cnt regions for one holding [addr, addr + size): 1 when one allows
 * the access, 0 when none holds it; *@ro is set to a read-only one that
 * holds it but refuses the write.
 */
static int find_region(const struct ubf_run_region *regions, uint32_t cnt, uint64_t addr,
		       uint64_t size, bool is_write, const struct ubf_run_region **ro)
{
	uint32_t i;

	for (i = 0; i < cnt; i++) {
		const struct ubf_run_region *r = &regions[i];

		/* Written so that addr + size cannot overflow. */
		if (addr < r->start || addr >= r->end || size > r->end - addr)
			continue;
		if (!is_write || r->is_writable)
			return 1;
		*ro = r;
	}
	return 0;
}

int ubf_run_area_prepare(struct ubf_run_area *area)
{
	if (area->end < area->start || !area->stride || area->off > area->stride ||
	    area->len > area->stride - area->off)
		return -EINVAL;
	area->mod_magic = 0;
	if (area->end - area->start <= UINT32_MAX && area->stride <= UINT32_MAX)
		area->mod_magic = UINT64_MAX / area->stride + 1;
	return 0;
}

/*
 * Does @a allow the access?  1 when it does, 0 when it does not hold the
 * bytes; *@ro is set when it holds them but refuses the write.  The place
 * inside the element is (addr - start) mod stride: with mod_magic (spans
 * below 4 GiB) as Lemire's "faster remainder by direct computation", exact
 * for 32-bit dividends and divisors.
 */
static inline int area_allows(const struct ubf_run_area *a, uint64_t addr, uint64_t size,
			      bool is_write, bool *ro)
{
	uint64_t rel;

	if (addr < a->start || addr >= a->end || size > a->end - addr)
		return 0;
	rel = addr - a->start;
	if (a->mod_magic)
		rel = (uint64_t)(((unsigned __int128)(a->mod_magic * rel) * a->stride) >> 64);
	else
		rel %= a->stride;
	if (rel < a->off || size > a->len || rel - a->off > a->len - size)
		return 0;
	if (!is_write || a->is_writable)
		return 1;
	*ro = true;
	return 0;
}

/* Like find_region() for value areas: the first that allows the access, or NULL. */
static const struct ubf_run_area *find_area(const struct ubf_run_area *areas, uint32_t cnt,
					    uint64_t addr, uint64_t size, bool is_write, bool *ro)
{
	uint32_t i;

	for (i = 0; i < cnt; i++)
		if (area_allows(&areas[i], addr, size, is_write, ro))
			return &areas[i];
	return NULL;
}

/* After a miss of the cached area: the program's areas, then the run's. */
static bool find_area_slow(struct ubf_run *run, uint64_t addr, uint64_t size, bool is_write,
			   bool *ro)
{
	const struct ubf_prog *prog = run->prog;
	const struct ubf_run_area *a;

	a = find_area(prog->obj_areas, prog->obj_area_cnt, addr, size, is_write, ro);
	if (a) {
		run->hit = *a;
		run->hit_prog = prog;
		return true;
	}
	a = find_area(run->areas, run->area_cnt, addr, size, is_write, ro);
	if (a) {
		run->hit = *a;
		run->hit_prog = NULL;
		return true;
	}
	return false;
}

int ubf_run_check_mem(struct ubf_run *run, uint64_t addr, uint64_t size, bool is_write,
		      size_t pc)
{
	const struct ubf_run_region *ro = NULL;
	const struct ubf_prog *prog = run->prog;
	bool area_ro = false;

	if (size == 0)
		return 0;
	/* Region 0 is the stack, where helpers find their keys and buffers. */
	if (run->region_cnt && addr >= run->regions[0].start && addr < run->regions[0].end &&
	    size <= run->regions[0].end - addr && (!is_write || run->regions[0].is_writable))
		return 0;
	/*
	 * Then map values: the engines checked stack and context inline.  The
	 * cached area is a copy of one the run may use now.
	 */
	if ((!run->hit_prog || run->hit_prog == prog) &&
	    area_allows(&run->hit, addr, size, is_write, &area_ro))
		return 0;
	if (find_area_slow(run, addr, size, is_write, &area_ro) ||
	    find_region(run->regions, run->region_cnt, addr, size, is_write, &ro) ||
	    find_region(prog->obj_regions, prog->obj_region_cnt, addr, size, is_write, &ro) ||
	    find_region(run->grants, run->grant_cnt, addr, size, is_write, &ro))
		return 0;
	if (area_ro && !ro)
		return ubf_run_fault(run, pc, -EFAULT, "run.mem_readonly",
				     "write of %" PRIu64 " bytes at 0x%" PRIx64
				     " into a read-only map value", size, addr);
	if (ro)
		return ubf_run_fault(run, pc, -EFAULT, "run.mem_readonly",
				     "write of %" PRIu64 " bytes at 0x%" PRIx64
				     " into read-only region [0x%" PRIxPTR ", 0x%" PRIxPTR ")",
				     size, addr, ro->start, ro->end);
	return ubf_run_fault(run, pc, -EFAULT, "run.mem_oob",
			     "%s of %" PRIu64 " bytes at 0x%" PRIx64 " outside every region",
			     is_write ? "write" : "read", size, addr);
}

int ubf_run_grant(struct ubf_run *run, const void *addr, size_t size, bool is_writable)
{
	uintptr_t start = (uintptr_t)addr;
	const struct ubf_run_region *ro = NULL;
	bool area_ro = false;

	if (!run->is_checked || size == 0)
		return 0;
	if (size > UINTPTR_MAX - start)
		return -EINVAL;
	if (find_region(run->grants, run->grant_cnt, start, size, is_writable, &ro) ||
	    find_area(run->areas, run->area_cnt, start, size, is_writable, &area_ro))
		return 0;
	if (run->grant_cnt >= UBF_RUN_MAX_GRANTS)
		return -E2BIG;
	set_region(&run->grants[run->grant_cnt++], addr, size, is_writable);
	return 0;
}

int ubf_run_grant_area(struct ubf_run *run, const struct ubf_run_area *area)
{
	struct ubf_run_area *a, copy = *area;
	uint32_t i;

	if (!run->is_checked || area->end == area->start)
		return 0;
	if (ubf_run_area_prepare(&copy))
		return -EINVAL;
	for (i = 0; i < run->area_cnt; i++) {
		a = &run->areas[i];
		if (a->start == area->start && a->end == area->end && a->stride == area->stride &&
		    a->off == area->off && a->len == area->len &&
		    (a->is_writable || !area->is_writable))
			return 0;
	}
	if (run->area_cnt >= UBF_RUN_MAX_AREAS)
		return -E2BIG;
	run->areas[run->area_cnt++] = copy;
	return 0;
}

int ubf_run_fault(struct ubf_run *run, size_t pc, int err, const char *id, const char *fmt, ...)
{
	struct ubf_diag *diag = run->diag;
	va_list ap;
	int len;

	if (run->err)
		return err;
	run->err = err;
	if (!diag)
		return err;
	diag->insn_idx = (uint32_t)pc;
	diag->line = 0;
	diag->col = 0;
	diag->id = id;
	diag->hint = NULL;
	len = snprintf(diag->msg, sizeof(diag->msg), "insn %zu: ", pc);
	va_start(ap, fmt);
	vsnprintf(diag->msg + len, sizeof(diag->msg) - (size_t)len, fmt, ap);
	va_end(ap);
	return err;
}

void *ubf_run_cookie(const struct ubf_run *run)
{
	return run ? run->cookie : NULL;
}
