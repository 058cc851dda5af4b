/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vm.h - what the engines (interpreter and JITs) share: the predecoded
 * program, the loaded program object and the per-run state.  Everything
 * here is internal; embedders see only <userbpf/prog.h>.
 *
 * Predecoded form: one struct ubf_pinsn per 8-byte slot, so instruction
 * indexes are the same as in the raw program.  The id is resolved, jump
 * and local-call targets are absolute indexes, the two halves of an lddw
 * are joined in the first slot (the second slot, never executed, holds a
 * copy of the first), and a helper call carries a pointer to its descriptor.
 */
#ifndef UBF_VM_VM_H
#define UBF_VM_VM_H

#include <stddef.h>
#include <stdint.h>

#include <userbpf/prog.h>

#include "isa/isa.h"

struct ubf_pinsn {
	uint16_t id;	/* enum ubf_insn_id */
	uint8_t dst;
	uint8_t src;
	int32_t aux;	/* memory ops: off; jumps, local calls, LDDW_FUNC: absolute target */
	uint64_t imm;	/* sign-extended imm; lddw: the 64-bit value; helper call: const struct
			 * ubf_helper * cast to uintptr_t */
};

struct ubf_run_region;

/* JIT output attached to a program (see src/jit/jit.h). */
struct ubf_jit_image;
struct ubf_jit_ctx;

/* Entry point of generated code: returns r0; faults are recorded in run->err. */
typedef uint64_t (*ubf_jit_entry_fn)(uint64_t r1, uint64_t r2, struct ubf_jit_ctx *ctx);

struct ubf_prog {
	char name[32];
	size_t insn_cnt;
	struct ubf_raw_insn *raw;	/* as loaded, for dumps */
	struct ubf_pinsn *insns;	/* predecoded */
	const struct ubf_env *env;
	struct ubf_log *log;		/* during load only (the JIT may log); NULL after */
	uint64_t insn_limit;		/* checked runs */
	uint32_t flags;			/* UBF_PROG_F_* */
	enum ubf_engine engine;		/* resolved: INTERP or JIT */
	struct ubf_jit_image *jit;
	bool is_direct;			/* JIT code that needs no struct ubf_run */
	ubf_jit_entry_fn bare_entry;	/* JIT code that needs no context at all, or NULL */
	/* Checked runs: memory the program's lddw pseudo forms reach (map values). */
	struct ubf_run_region *obj_regions;
	uint32_t obj_region_cnt;
	/*
	 * Checked runs: the maps the program's lddws name, held for its
	 * lifetime by whoever loaded it, each with its value area (empty for
	 * maps without one), sorted by owner (ubf_prog_add_area()).
	 */
	struct ubf_run_area *obj_areas;
	uint32_t obj_area_cnt;
};

#define UBF_RUN_MAX_REGIONS 20
/* Memory helpers may hand one checked run (ubf_run_grant()) before they get -E2BIG. */
#define UBF_RUN_MAX_GRANTS 128
/* Map value areas (ubf_run_grant_area()) one checked run may hold. */
#define UBF_RUN_MAX_AREAS 16
/* Ring buffer records a checked run may hold reserved at once. */
#define UBF_RUN_MAX_RECORDS 32
/* Tail calls one run may take, as Linux's MAX_TAIL_CALL_CNT. */
#define UBF_MAX_TAIL_CALLS 33

struct ubf_run_region {
	uintptr_t start;
	uintptr_t end;		/* exclusive */
	bool is_writable;
};

/*
 * struct ubf_run_area - memory laid out as @stride-byte elements from @start
 * to @end (exclusive), of which bytes [@off, @off + @len) of each element
 * may be accessed: every value of a map at once, without its keys and
 * bookkeeping.
 */
struct ubf_run_area {
	const void *owner;	/* the map, for ubf_run_has_area() */
	uintptr_t start;
	uintptr_t end;
	uint64_t stride;
	uint64_t off;
	uint64_t len;
	/*
	 * Set by ubf_run_area_prepare(): 2^64 / stride rounded up when the
	 * area spans at most 4 GiB, so that an address's place in its element
	 * takes two multiplications instead of a division; else 0.
	 */
	uint64_t mod_magic;
	bool is_writable;
};

/*
 * ubf_run_area_prepare() - check @area's layout (not wrapping around, the
 * values inside the stride) and set its mod_magic.  Return: 0 or -EINVAL.
 */
int ubf_run_area_prepare(struct ubf_run_area *area);

/*
 * ubf_prog_add_area() - before @prog first runs: it names the map @area->owner,
 * whose values at @area a checked run may access without a grant.  The
 * caller holds the map for as long as @prog lives, so helpers may also
 * take it as live.  An area with start == end names a map without a
 * value area.  Adding the same owner again keeps the narrower access.
 * Return: 0, -EINVAL for a bad layout, -ENOMEM.
 */
int ubf_prog_add_area(struct ubf_prog *prog, const struct ubf_run_area *area);

/* The entry of map @owner in @prog's areas, or NULL: a scan for a few, else a binary search. */
static inline const struct ubf_run_area *ubf_prog_find_area(const struct ubf_prog *prog,
							    const void *owner)
{
	uint32_t lo = 0, hi = prog->obj_area_cnt, mid;

	if (hi <= 8) {
		for (; lo < hi; lo++)
			if (prog->obj_areas[lo].owner == owner)
				return &prog->obj_areas[lo];
		return NULL;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((uintptr_t)prog->obj_areas[mid].owner == (uintptr_t)owner)
			return &prog->obj_areas[mid];
		if ((uintptr_t)prog->obj_areas[mid].owner < (uintptr_t)owner)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * struct ubf_run - one execution of a program, on the caller's C stack.
 * Helpers receive it as their sixth argument.  The engines keep r10 in a
 * register; stack[] is the memory behind it: frame k (0 = entry) occupies
 * [stack + (UBF_MAX_FRAMES - k - 1) * UBF_STACK_SZ, + UBF_STACK_SZ).
 */
struct ubf_run {
	const struct ubf_prog *prog;
	void *cookie;
	struct ubf_diag *diag;
	uint64_t budget;		/* checked mode: instructions left */
	uint64_t may_goto_left;		/* iterations may_goto still allows */
	int err;			/* set to end the run with an error (checked mode) */
	uint32_t region_cnt;
	uint64_t prng_state;		/* get_prandom_u32; 0: not seeded yet */
	bool is_checked;		/* UBF_PROG_F_CHECKED: helpers check memory too */
	size_t helper_pc;		/* checked mode: the call being made (helper faults) */
	const uint8_t *pkt;		/* LD_ABS/LD_IND packet: the memory of ubf_prog_run() */
	size_t pkt_sz;
	/*
	 * Tail calls: a helper flagged UBF_HF_TAIL_CALL sets this to the program
	 * that replaces the running one; the engine checks it after such a call
	 * and clears it (bpf_tail_call, src/helpers/map_helpers.c).
	 */
	const struct ubf_prog *tail_call;
	uint32_t grant_cnt;		/* checked mode: grants[] in use */
	uint32_t area_cnt;		/* checked mode: areas[] in use */
	uint32_t tail_call_cnt;		/* tail calls taken (Linux allows UBF_MAX_TAIL_CALLS) */
	/*
	 * Callbacks (ubf_run_callback()): the engines store r10 of the frame
	 * making a helper call in cb_fp, so that a helper can run a subprogram
	 * one frame below it; cb_depth counts callbacks running now.
	 */
	uint64_t cb_fp;
	uint32_t cb_depth;
	/* Checked mode: ring buffer records reserved and not yet released, and the spin lock held. */
	uint32_t rb_cnt;
	void *held_lock;
	struct ubf_jit_ctx *jit_ctx;	/* the JIT's context while its code runs, else NULL */
	/*
	 * Set by the hook that runs the program (0 in test runs and plain
	 * ubf_prog_run()): the traced function's address and the attachment's
	 * cookie, which get_func_ip and get_attach_cookie return.
	 */
	uint64_t func_ip;
	uint64_t attach_cookie;
	/*
	 * Checked mode: the value area that last allowed an access, tried
	 * first by ubf_run_check_mem(); valid while run->prog is hit_prog (an
	 * area of that program) or always (hit_prog NULL: an area granted to
	 * the run).  start == end: none.
	 */
	struct ubf_run_area hit;
	const struct ubf_prog *hit_prog;
	/* After the scalars, so that setting up a trusted run touches one cache line. */
	struct ubf_run_region regions[UBF_RUN_MAX_REGIONS];
	/* Checked mode: memory helpers handed the run (ubf_run_grant()), oldest first. */
	struct ubf_run_region grants[UBF_RUN_MAX_GRANTS];
	/* Checked mode: map value areas helpers handed the run (ubf_run_grant_area()). */
	struct ubf_run_area areas[UBF_RUN_MAX_AREAS];
	void *rb_records[UBF_RUN_MAX_RECORDS];	/* checked mode: rb_cnt reserved records */
	_Alignas(16) uint8_t stack[UBF_STACK_SZ * UBF_MAX_FRAMES];
};

/*
 * ubf_run_init() - prepare @run for one execution of @prog.  Region 0 is
 * the whole stack (all frames, writable), region 1 the memory passed to
 * ubf_prog_run() (writable; also the LD_ABS/LD_IND packet), then the
 * caller's @opts->regions.  A checked run starts with a zeroed stack so that
 * unverified programs reading it before writing it behave the same on every
 * engine.  A trusted run checks nothing, so it gets no regions (region_cnt
 * is 0) and its stack is left as it is, as in Linux.  @opts (may be NULL)
 * must already be validated by the caller (ubf_prog_run()).
 */
void ubf_run_init(struct ubf_run *run, const struct ubf_prog *prog, void *mem, size_t mem_sz,
		  const struct ubf_run_opts *opts);

/* Address one past the top of frame 0: r10 on entry. */
static inline uint64_t ubf_run_stack_top(const struct ubf_run *run)
{
	return (uint64_t)(uintptr_t)(run->stack + sizeof(run->stack));
}

/*
 * ubf_run_check_mem() - may a checked run access [addr, addr + size)?  The
 * access must lie inside one region (the run's fixed regions, then the
 * running program's object regions, then the run's grants), and a write
 * inside a writable one (or inside the values of a granted area); a zero-sized access always may.  Return: 0, or -EFAULT after recording the
 * fault (instruction @pc, address, size) in run->diag: "run.mem_oob" when
 * no region holds the bytes, "run.mem_readonly" for a write to a read-only
 * region.
 */
int ubf_run_check_mem(struct ubf_run *run, uint64_t addr, uint64_t size, bool is_write,
		      size_t pc);

/*
 * ubf_run_grant() - memory a helper hands a checked run (a map value, a
 * ring buffer record, an inner map) may be accessed for the rest of the
 * run, writable when @is_writable.  A no-op for trusted runs.  Memory
 * that an earlier grant already covers (with at least this access) takes
 * no new slot, so a loop that looks up the same value never runs out.
 * Grants are never replaced: dropping one could fault a correct program.
 * Return: 0; -EINVAL when the range wraps around; -E2BIG when the run
 * already holds UBF_RUN_MAX_GRANTS grants (the helper then fails its call
 * as if out of memory).
 */
int ubf_run_grant(struct ubf_run *run, const void *addr, size_t size, bool is_writable);

/*
 * ubf_run_grant_area() - every value of a map may be accessed for the rest
 * of a checked run (writable when @area->is_writable): one grant that covers
 * all the values a loop of lookups hands back, checked in constant time.  A
 * no-op for trusted runs and for an area the run already holds.  Return: 0;
 * -EINVAL for an area that wraps around or whose element layout is not
 * inside its stride; -E2BIG when the run already holds UBF_RUN_MAX_AREAS
 * areas (the caller then grants the one value with ubf_run_grant()).
 */
int ubf_run_grant_area(struct ubf_run *run, const struct ubf_run_area *area);

/*
 * Has a checked run been granted the area of @owner (writable, when
 * @is_writable), or does the running program name that map with a value area?
 */
static inline bool ubf_run_has_area(const struct ubf_run *run, const void *owner,
				    bool is_writable)
{
	const struct ubf_run_area *pa = ubf_prog_find_area(run->prog, owner);
	uint32_t i;

	if (pa && pa->end != pa->start && (pa->is_writable || !is_writable))
		return true;
	for (i = 0; i < run->area_cnt; i++)
		if (run->areas[i].owner == owner && (run->areas[i].is_writable || !is_writable))
			return true;
	return false;
}

/*
 * ubf_run_fault() - record a fault at instruction @pc and return @err.  The
 * message is "insn <pc>: " followed by @fmt.  Only the first fault of a run
 * is kept (run->err and run->diag); later calls just return @err.
 */
int ubf_run_fault(struct ubf_run *run, size_t pc, int err, const char *id, const char *fmt, ...)
	UBF_PRINTF(5, 6);

/*
 * The interpreter, in its two instances.  Both return 0 with *r0 set, or a
 * negative errno with run->diag filled (checked instance only faults).
 */
int ubf_interp_run_fast(struct ubf_run *run, uint64_t r1, uint64_t r2, uint64_t *r0);
int ubf_interp_run_checked(struct ubf_run *run, uint64_t r1, uint64_t r2, uint64_t *r0);

/*
 * ubf_interp_call() - run subprogram @target of run->prog from a helper,
 * on the interpreter instance of the run's mode, with r1-r5 = @args and
 * r10 = @fp (the frame below the caller's).  Return as ubf_interp_run_*().
 */
int ubf_interp_call(struct ubf_run *run, size_t target, const uint64_t args[5], uint64_t fp,
		    uint64_t *r0);

/*
 * ubf_run_callback_check() - may a helper call @fn back?  @fn is what the
 * program passed for an UBF_ARG_FUNC argument: it must be the instruction
 * index an lddw src=4 of the running program loaded.  Helpers call this
 * once, before their first ubf_run_callback().  Return: 0, or -EINVAL
 * after recording a "run.bad_callback" fault.
 */
int ubf_run_callback_check(struct ubf_run *run, uint64_t fn);

/*
 * ubf_run_callback() - call back into the running program from a helper
 * that takes a callback, @fn checked by ubf_run_callback_check().  The
 * subprogram runs on the run's engine and mode, one frame below the frame
 * that called the helper (run->cb_fp), with r1-r5 = @args, sharing the
 * run's instruction budget and regions.  Return: 0 with *@r0 its return
 * value; -E2BIG when the frame would be the ninth ("run.call_depth"); or
 * the fault that ended the callback (run->err).
 */
int ubf_run_callback(struct ubf_run *run, uint64_t fn, const uint64_t args[5], uint64_t *r0);

/* Does a helper with @proto take a callback (and so need run->cb_fp)? */
static inline bool ubf_helper_has_callback(const struct ubf_helper_proto *proto)
{
	unsigned i;

	for (i = 0; i < 5; i++) {
		if (proto->args[i] == UBF_ARG_FUNC)
			return true;
	}
	return false;
}

/* Look up the helper a program may call; NULL when unknown. */
const struct ubf_helper *ubf_helper_find(const struct ubf_env *env, int32_t id);

#endif /* UBF_VM_VM_H */
