// SPDX-License-Identifier: BSD-2-Clause
/*
 * interp.c - the interpreter: two instances of one loop (interp_body.h),
 * ubf_interp_run_fast() for trusted programs, with no checks per step, and
 * ubf_interp_run_checked() for unverified ones, which checks memory, the
 * instruction budget and call depth and ends the run with a diagnostic
 * instead of crashing.  This file holds what both instances share: memory
 * access through memcpy (eBPF allows unaligned loads and stores), atomics
 * through C11 <stdatomic.h>, the packet loads and the region fast path.
 */
#include "vm/vm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <string.h>

#include "isa/semantics.h"

/*
 * Dispatch style: computed goto on GCC and Clang; the portable switch is
 * used elsewhere, or when UBF_FORCE_SWITCH is defined (to test that path).
 */
#if UBF_HAVE_COMPUTED_GOTO && !defined(UBF_FORCE_SWITCH)
#define UBF_INTERP_USE_GOTO 1
#else
#define UBF_INTERP_USE_GOTO 0
#endif

/* What a bpf-to-bpf call saves; exit restores it. */
struct interp_frame {
	const struct ubf_pinsn *ret;
	const struct ubf_pinsn *insns;	/* the caller's program (differs after a tail call) */
	uint64_t saved[4];		/* r6-r9 */
};

static inline uint64_t load8(uint64_t addr)
{
	uint8_t v;

	memcpy(&v, (const void *)(uintptr_t)addr, sizeof(v));
	return v;
}

static inline uint64_t load16(uint64_t addr)
{
	uint16_t v;

	memcpy(&v, (const void *)(uintptr_t)addr, sizeof(v));
	return v;
}

static inline uint64_t load32(uint64_t addr)
{
	uint32_t v;

	memcpy(&v, (const void *)(uintptr_t)addr, sizeof(v));
	return v;
}

static inline uint64_t load64(uint64_t addr)
{
	uint64_t v;

	memcpy(&v, (const void *)(uintptr_t)addr, sizeof(v));
	return v;
}

static inline void store8(uint64_t addr, uint64_t val)
{
	uint8_t v = (uint8_t)val;

	memcpy((void *)(uintptr_t)addr, &v, sizeof(v));
}

static inline void store16(uint64_t addr, uint64_t val)
{
	uint16_t v = (uint16_t)val;

	memcpy((void *)(uintptr_t)addr, &v, sizeof(v));
}

static inline void store32(uint64_t addr, uint64_t val)
{
	uint32_t v = (uint32_t)val;

	memcpy((void *)(uintptr_t)addr, &v, sizeof(v));
}

static inline void store64(uint64_t addr, uint64_t val)
{
	memcpy((void *)(uintptr_t)addr, &val, sizeof(val));
}

#define ATOMIC_PTR8(addr) ((_Atomic uint8_t *)(uintptr_t)(addr))
#define ATOMIC_PTR16(addr) ((_Atomic uint16_t *)(uintptr_t)(addr))
#define ATOMIC_PTR32(addr) ((_Atomic uint32_t *)(uintptr_t)(addr))
#define ATOMIC_PTR64(addr) ((_Atomic uint64_t *)(uintptr_t)(addr))

/* cmpxchg: store @val if *addr == @expected; return the old value either way. */
static inline uint64_t atomic_cmpxchg32(uint64_t addr, uint32_t expected, uint32_t val)
{
	atomic_compare_exchange_strong_explicit(ATOMIC_PTR32(addr), &expected, val,
						memory_order_seq_cst, memory_order_seq_cst);
	return expected;
}

static inline uint64_t atomic_cmpxchg64(uint64_t addr, uint64_t expected, uint64_t val)
{
	atomic_compare_exchange_strong_explicit(ATOMIC_PTR64(addr), &expected, val,
						memory_order_seq_cst, memory_order_seq_cst);
	return expected;
}

static inline bool in_region(const struct ubf_run_region *r, uint64_t addr, uint64_t size)
{
	return addr >= r->start && addr < r->end && size <= r->end - addr;
}

/*
 * Checked instance: the stack and the run's memory (regions 0 and 1, both
 * writable) inline; every other region, and the fault, in run.c.
 */
static inline bool access_ok(struct ubf_run *run, uint64_t addr, uint64_t size, bool is_write,
			     size_t pc)
{
	if (UBF_LIKELY(in_region(&run->regions[0], addr, size) ||
		       in_region(&run->regions[1], addr, size)))
		return true;
	return ubf_run_check_mem(run, addr, size, is_write, pc) == 0;
}

/*
 * Atomics and acquire/release accesses must also be naturally aligned, as
 * Linux's verifier requires: a misaligned locked access may trap (split
 * lock detection on x86, alignment faults on arm64).
 */
static UBF_NOINLINE bool atomic_ok(struct ubf_run *run, uint64_t addr, uint64_t size, size_t pc)
{
	if (addr & (size - 1)) {
		ubf_run_fault(run, pc, -EFAULT, "run.mem_misaligned",
			      "atomic access of %" PRIu64 " bytes at 0x%" PRIx64 " is not aligned",
			      size, addr);
		return false;
	}
	return access_ok(run, addr, size, true, pc);
}

/*
 * LD_IND's offset: src + imm truncated to a signed 32-bit value, as Linux
 * passes it to its packet load helpers.
 */
static inline int64_t pkt_ind_off(uint64_t src, uint64_t imm)
{
	return (int64_t)(int32_t)(uint32_t)(src + imm);
}

/* Big-endian load of @size bytes at @off of the run's packet; false when outside it. */
static inline bool pkt_load(const struct ubf_run *run, int64_t off, unsigned size, uint64_t *val)
{
	const uint8_t *p;
	uint64_t v = 0;
	unsigned i;

	if (off < 0 || (uint64_t)off > run->pkt_sz || size > run->pkt_sz - (uint64_t)off)
		return false;
	p = run->pkt + off;
	for (i = 0; i < size; i++)
		v = v << 8 | p[i];
	*val = v;
	return true;
}

/*
 * A tail call stays in the running instance, so its target must be an
 * interpreted program with the same checking mode.
 */
static bool tail_call_ok(const struct ubf_run *run, const struct ubf_prog *next)
{
	return next->engine == UBF_ENGINE_INTERP &&
	       ((next->flags ^ run->prog->flags) & UBF_PROG_F_CHECKED) == 0;
}

#define UBF_INTERP_CHECKED 0
#define UBF_INTERP_FN ubf_interp_run_fast
#define UBF_INTERP_BODY interp_body_fast
#include "vm/interp_body.h"
#undef UBF_INTERP_BODY
#undef UBF_INTERP_FN
#undef UBF_INTERP_CHECKED

#define UBF_INTERP_CHECKED 1
#define UBF_INTERP_FN ubf_interp_run_checked
#define UBF_INTERP_BODY interp_body_checked
#include "vm/interp_body.h"
#undef UBF_INTERP_BODY
#undef UBF_INTERP_FN
#undef UBF_INTERP_CHECKED

int ubf_interp_call(struct ubf_run *run, size_t target, const uint64_t args[5], uint64_t fp,
		    uint64_t *r0)
{
	if (run->is_checked)
		return interp_body_checked(run, target, args, fp, r0);
	return interp_body_fast(run, target, args, fp, r0);
}
