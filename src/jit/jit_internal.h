/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * jit_internal.h - what the arch-neutral driver (jit.c) and the back ends
 * (x86_64.c, later arm64.c) share: the emit buffer with its sticky error,
 * the per-pass compile state, the back-end vtable, and the run-time
 * context the generated code reaches through a register.  Nothing outside
 * src/jit/ includes this; the rest of the library sees only jit.h.
 */
#ifndef UBF_JIT_JIT_INTERNAL_H
#define UBF_JIT_JIT_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vm/vm.h"

/*
 * Output buffer.  During sizing passes @p is NULL and emits only count;
 * the first error sticks and turns every later emit into a no-op, so
 * back-end code emits without checking each call.
 */
struct jit_buf {
	uint8_t *p;	/* NULL during sizing passes: count only */
	size_t len;	/* bytes emitted (or counted) so far */
	size_t cap;
	int err;	/* first error; later emits do nothing */
};

static inline void jit_emit_bytes(struct jit_buf *b, const void *src, size_t n)
{
	if (b->err)
		return;
	if (b->p) {
		if (n > b->cap - b->len) {
			b->err = -E2BIG;
			return;
		}
		memcpy(b->p + b->len, src, n);
	}
	b->len += n;
}

/*
 * Run-time context: one per ubf_jit_run() call, on its C stack; the
 * generated code keeps its address in a callee-saved register.  Fields
 * after @fp are filled only for checked programs.  The layout is part of
 * the contract with the back ends, which address fields with offsetof().
 */
struct ubf_jit_region {
	uint64_t start;
	uint64_t cnt[4];	/* accesses of 1 << i bytes may start at start + [0, cnt[i]) */
};

struct ubf_jit_ctx {
	struct ubf_run *run;		/* the helpers' sixth argument */
	uint64_t sp;			/* native stack pointer a fault unwinds to */
	uint64_t fp;			/* r10 of frame 0: the top of run->stack */
	uint64_t may_goto_left;		/* copy of run->may_goto_left, written back */
	const uint8_t *pkt;		/* LD_ABS/LD_IND packet (run->pkt) */
	uint64_t pkt_sz;
	uint64_t callx_id;		/* callx: the helper ID from dst */
	uint64_t call_info;		/* callx: insn index | dst << 24 */
	uint64_t cb_target;		/* callback entry: native address of the subprogram */
	uint64_t cb_fp;			/* callback entry: its r10 */
	/* checked programs only */
	uint64_t budget;		/* instructions left */
	uint64_t frame_min;		/* r10 below which a call would need a 9th frame */
	struct ubf_jit_region region[2];	/* inline checks: [0] run's memory, [1] stack */
};


/* An out-of-line code fragment emitted after the body: a slow path or a fault exit. */
struct ubf_jit_stub {
	uint32_t kind;		/* back-end specific */
	uint32_t insn;		/* BPF instruction it belongs to */
	uint32_t arg;		/* kind-specific */
	uint32_t resume;	/* native offset to continue at, where the kind needs one */
	uint32_t off;		/* where the stub was emitted (this pass) */
};

/* A 32-bit displacement at @at to be pointed at label @label once the pass is done. */
struct ubf_jit_fixup {
	uint32_t at;
	uint32_t label;		/* < UBF_JIT_SHARED_LABELS: shared label; else stub index + that */
};

#define UBF_JIT_SHARED_LABELS 16

/* What the arch-neutral analysis found; the back end picks its frame from it. */
#define UBF_JIT_F_CHECKED (1u << 0)	/* UBF_PROG_F_CHECKED */
#define UBF_JIT_F_BLIND (1u << 1)	/* UBF_PROG_F_BLIND_CONST */
#define UBF_JIT_F_LOCAL_CALLS (1u << 2)	/* has bpf-to-bpf calls */
#define UBF_JIT_F_CALLS (1u << 3)	/* calls C: helpers, callx, checked slow paths */
#define UBF_JIT_F_TAIL_CALLS (1u << 4)	/* may tail call: a flagged helper or callx */
#define UBF_JIT_F_UNWIND (1u << 5)	/* may end the run early: faults, packet loads */
#define UBF_JIT_F_MAY_GOTO (1u << 6)	/* uses the run's may_goto budget */
/* Trusted code without tail calls: each subprogram saves what it uses, as native code does. */
#define UBF_JIT_F_CALLEE_SAVES (1u << 7)
/* Has lddw src=4: helpers may call its subprograms back through the callback entry. */
#define UBF_JIT_F_CALLBACKS (1u << 8)

/* A subprogram: the code from a call target (or 0) up to the next one. */
struct ubf_jit_subprog {
	uint32_t start, end;	/* instruction range */
	uint16_t regs_used;	/* BPF registers it names */
	bool has_calls;		/* calls helpers or subprograms */
};

struct ubf_jit_state {
	const struct ubf_prog *prog;
	const struct ubf_pinsn *insns;
	size_t insn_cnt;
	struct jit_buf buf;
	uint32_t *off;		/* this pass: native offset of each insn; [insn_cnt]: body end */
	uint32_t *prev_off;	/* last pass's offsets, valid when has_prev */
	bool has_prev;		/* false in the first pass */
	uint32_t *block_len;	/* checked: instructions in the block starting here, else 0 */
	uint8_t *is_target;	/* per insn: a jump or call lands there */
	uintptr_t *call_map;	/* trusted: per helper call, the map constant in r1, or 0 (NULL: none) */
	size_t fused;		/* an insn the back end emitted with the one before (0: none) */
	struct ubf_jit_subprog *subprogs;	/* with UBF_JIT_F_CALLEE_SAVES, in order */
	size_t subprog_cnt;
	uint32_t flags;		/* UBF_JIT_F_* */
	uint16_t regs_used;	/* bit n: BPF register n appears in the program */
	bool is_final;		/* the emit pass */
	bool can_shrink;	/* short branch forms allowed in this pass */
	uintptr_t base;		/* address of the code, 0 until memory is allocated */
	size_t max_sz;		/* size of the first pass: an upper bound of every later one */
	uint64_t blind_seed;
	size_t cur;		/* the instruction being emitted */
	uint32_t cb_entry_off;	/* UBF_JIT_F_CALLBACKS: where the back end put the callback entry */
	uint32_t label_off[UBF_JIT_SHARED_LABELS];	/* shared labels, this pass */
	struct ubf_jit_stub *stubs;
	size_t stub_cnt, stub_cap;
	struct ubf_jit_fixup *fixups;
	size_t fixup_cnt, fixup_cap;
};

/* The code reads the context (its third argument): for calls, faults, packet loads, may_goto. */
static inline bool ubf_jit_needs_ctx(const struct ubf_jit_state *st)
{
	return st->flags & (UBF_JIT_F_CALLS | UBF_JIT_F_UNWIND | UBF_JIT_F_CHECKED |
			    UBF_JIT_F_TAIL_CALLS | UBF_JIT_F_MAY_GOTO | UBF_JIT_F_CALLBACKS);
}

/* The code uses a frame pointer as r10, loaded from the context (a tail-called program may too). */
static inline bool ubf_jit_needs_fp(const struct ubf_jit_state *st)
{
	return (st->flags & (UBF_JIT_F_LOCAL_CALLS | UBF_JIT_F_TAIL_CALLS | UBF_JIT_F_CALLBACKS)) ||
	       (st->regs_used & 1u << 10);
}

/*
 * A back end.  The driver calls prologue, insn for every instruction (not
 * for an lddw's second slot), then epilogue, which emits the shared labels
 * and the stubs; in the emit pass it then calls patch for every fixup.
 */
struct ubf_jit_arch {
	const char *name;
	void (*prologue)(struct ubf_jit_state *st);
	void (*insn)(struct ubf_jit_state *st, size_t idx);
	void (*epilogue)(struct ubf_jit_state *st);
	void (*patch)(uint8_t *code, size_t at, size_t target);
};

/* Queue a stub; returns its label for ubf_jit_fixup_add(), or 0 after an allocation failure. */
uint32_t ubf_jit_stub_add(struct ubf_jit_state *st, uint32_t kind, uint32_t arg,
			  uint32_t resume);

/* Record that the 32-bit displacement at @at must reach @label. */
void ubf_jit_fixup_add(struct ubf_jit_state *st, size_t at, uint32_t label);

/* The subprogram holding instruction @idx (UBF_JIT_F_CALLEE_SAVES only). */
size_t ubf_jit_subprog_of(const struct ubf_jit_state *st, size_t idx);

/* The blinding key of instruction @idx: random per compile, never 0. */
uint64_t ubf_jit_blind_key(const struct ubf_jit_state *st, size_t idx);

/*
 * ubf_jit_target_off() - native offset of instruction @target, for a branch
 * emitted now from the current instruction.  Backward targets are exact;
 * forward ones come from the last pass, moved by how much the current
 * instruction has moved since, which never underestimates a distance.
 * Return: false in the first pass for a forward target (use the long form).
 */
bool ubf_jit_target_off(const struct ubf_jit_state *st, size_t target, size_t *off);

/* The back ends, compiled on every host so that their encoders stay tested. */
extern const struct ubf_jit_arch ubf_jit_x86_64;

/* The back end that runs on this host (#if on the architecture), or NULL. */
const struct ubf_jit_arch *ubf_jit_native(void);

/* C functions the generated code calls (jit.c). */
uint32_t ubf_jit_rt_check_mem(struct ubf_jit_ctx *ctx, uint64_t addr, uint32_t info);
void ubf_jit_rt_misaligned(struct ubf_jit_ctx *ctx, uint64_t addr, uint32_t info);
void ubf_jit_rt_budget(struct ubf_jit_ctx *ctx, uint32_t insn, uint32_t len);
void ubf_jit_rt_call_depth(struct ubf_jit_ctx *ctx, uint32_t insn);
uint64_t ubf_jit_rt_callx(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			  struct ubf_jit_ctx *ctx);
const void *ubf_jit_rt_tail_call(struct ubf_jit_ctx *ctx, uint32_t insn);

/* Packing of the info word passed to ubf_jit_rt_check_mem() and ubf_jit_rt_misaligned(). */
#define UBF_JIT_INFO(insn, size_log2, is_write) \
	((uint32_t)(insn) | (uint32_t)(size_log2) << 20 | (uint32_t)(is_write) << 22)

#endif /* UBF_JIT_JIT_INTERNAL_H */
