// SPDX-License-Identifier: BSD-2-Clause
/*
 * jit.c - the arch-neutral JIT driver: analysis, passes, executable memory,
 * and the small C run-time the generated code calls on its slow paths.
 *
 * The big picture.  A program is compiled in passes over its predecoded
 * instructions, all running the same back-end code (STYLE.md 3.7):
 *
 *   1. Analysis: which BPF registers appear, whether there are local calls,
 *      helper calls, possible tail calls, packet loads; in checked mode the
 *      basic blocks, whose length is charged against the instruction budget
 *      once, at the block's first instruction.
 *   2. First sizing pass with a NULL buffer: every branch long, every call
 *      to C absolute.  Its size bounds every later pass, so the executable
 *      memory is allocated now, and later passes know the code's address.
 *   3. Shrinking passes: a branch whose target is within reach of rel8 (by
 *      the last pass's offsets, which only overestimate distances) gets the
 *      short form; calls to C within +-2 GiB get rel32.  Sizes only shrink,
 *      so this repeats until the size stops changing, at most
 *      JIT_MAX_PASSES times; if it never settles, one more pass with every
 *      branch long gives a size that is stable by construction.
 *   4. Emit pass into the RW mapping with the settled offsets.  Its size
 *      must equal the last sizing pass (otherwise an internal error).
 *      Stub references are patched, the tail is filled with traps, and the
 *      mapping becomes read-execute.
 *
 * Out-of-line code ("stubs": slow paths and fault exits) goes after the
 * body, so the fast path falls through; the body reaches stubs through
 * 32-bit displacements recorded as fixups and patched by the back end.
 *
 * Running: ubf_jit_run() builds a struct ubf_jit_ctx on its stack (the run,
 * r10's initial value, and for checked programs the budget and the inline
 * region bounds) and calls the code.  Faults are recorded with
 * ubf_run_fault() by the run-time functions below; the generated code then
 * unwinds to its entry, and ubf_jit_run() returns run->err.  Trusted code
 * that calls nothing may skip the struct ubf_run: ubf_jit_run_direct().
 * A helper that takes a callback runs the subprogram through the image's
 * callback entry on the same context (ubf_jit_call(), via run->jit_ctx),
 * so the budget, regions and unwinding are the run's.
 *
 * The contract is the interpreter's (vm/interp_body.h), with one
 * difference a verified program cannot see: trusted code does not keep
 * r1-r5 across helper calls (Linux's calling convention makes them
 * scratch; the interpreter happens to keep them).  Checked code keeps them,
 * so unverified programs behave the same on both engines.  Instruction
 * budget faults name the same instruction as the interpreter, but as the
 * whole block is charged before it runs, the block's first instructions
 * have not run when the fault is reported.
 */
#include "jit/jit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "jit/jit_internal.h"
#include "util/execmem.h"
#include "util/log.h"

/* Shrinking passes before giving up on rel8 branches. */
#define JIT_MAX_PASSES 16

/*
 * The callback entry (UBF_JIT_F_CALLBACKS): saves what the entry saves,
 * then runs the subprogram at ctx->cb_target with r1-r5 and r10 =
 * ctx->cb_fp, and returns its r0; a fault unwinds to it.
 */
typedef uint64_t (*cb_entry_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct ubf_jit_ctx *ctx);

struct ubf_jit_image {
	void *mem;		/* the RX mapping */
	size_t map_sz;
	size_t code_sz;
	ubf_jit_entry_fn entry;
	bool is_bare;		/* reads neither context nor frame: entry(r1, r2, NULL) is fine */
	cb_entry_fn cb_entry;	/* UBF_JIT_F_CALLBACKS: see cb_entry_fn */
	const void *body;	/* native code of instruction 0: where a tail call enters */
	uint32_t flags;		/* UBF_JIT_F_* */
	uint32_t *insn_off;	/* native offset of each insn; [insn_cnt]: end of the body */
	size_t insn_cnt;
};

const struct ubf_jit_arch *ubf_jit_native(void)
{
#if defined(__x86_64__)
	return &ubf_jit_x86_64;
#else
	return NULL;
#endif
}

bool ubf_jit_available(void)
{
	return ubf_jit_native() != NULL;
}

/* ---------------------------------------------------------------- analysis */

static void note_regs(struct ubf_jit_state *st, const struct ubf_pinsn *in,
		      const struct ubf_insn_desc *d)
{
	if (ubf_shape_has_dst(d->shape))
		st->regs_used |= (uint16_t)(1u << in->dst);
	if (ubf_shape_has_src(d->shape))
		st->regs_used |= (uint16_t)(1u << in->src);
}

/* Leaders of basic blocks: targets, and what follows a jump, call or exit. */
static void mark_leaders(const struct ubf_jit_state *st, uint8_t *leader)
{
	size_t i, next;

	leader[0] = 1;
	for (i = 0; i < st->insn_cnt; i = next) {
		const struct ubf_pinsn *in = &st->insns[i];
		const struct ubf_insn_desc *d = &ubf_isa_desc[in->id];

		next = i + ubf_isa_slots(d);
		switch ((enum ubf_kind)d->kind) {
		case UBF_KIND_JMP:
		case UBF_KIND_JA:
		case UBF_KIND_MAY_GOTO:
			leader[in->aux] = 1;
			break;
		case UBF_KIND_CALL:
			if (d->op == UBF_OP_LOCAL)
				leader[in->aux] = 1;
			break;
		case UBF_KIND_CALLX:
		case UBF_KIND_EXIT:
			break;
		case UBF_KIND_LDDW:
			/* A callback starts a block: its budget is charged there. */
			if (d->op == UBF_OP_FUNC)
				leader[in->aux] = 1;
			continue;
		case UBF_KIND_ALU:
		case UBF_KIND_LD_PKT:
		case UBF_KIND_LDX:
		case UBF_KIND_ST:
		case UBF_KIND_STX:
		case UBF_KIND_ATOMIC:
			continue;
		}
		if (next < st->insn_cnt)
			leader[next] = 1;
	}
}

/* Checked mode: the number of instructions (an lddw is one) of each block, at its leader. */
static int count_blocks(struct ubf_jit_state *st)
{
	uint8_t *leader = calloc(st->insn_cnt, 1);
	size_t i, start = 0, next;

	if (!leader)
		return -ENOMEM;
	mark_leaders(st, leader);
	for (i = 0; i < st->insn_cnt; i = next) {
		next = i + ubf_isa_slots(&ubf_isa_desc[st->insns[i].id]);
		if (leader[i])
			start = i;
		st->block_len[start]++;
	}
	free(leader);
	return 0;
}

static void analyze_one(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[in->id];
	const struct ubf_helper *h;

	note_regs(st, in, d);
	if (d->kind == UBF_KIND_JMP || d->kind == UBF_KIND_JA || d->kind == UBF_KIND_MAY_GOTO ||
	    (d->kind == UBF_KIND_CALL && d->op == UBF_OP_LOCAL))
		st->is_target[in->aux] = 1;
	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_CALL:
		st->regs_used |= 0x3f;	/* r0-r5 */
		if (d->op == UBF_OP_LOCAL) {
			st->flags |= UBF_JIT_F_LOCAL_CALLS;
			break;
		}
		st->flags |= UBF_JIT_F_CALLS;
		h = (const struct ubf_helper *)(uintptr_t)in->imm;
		if (h && (h->proto.flags & UBF_HF_TAIL_CALL))
			st->flags |= UBF_JIT_F_TAIL_CALLS;
		break;
	case UBF_KIND_CALLX:
		st->regs_used |= 0x3f;
		st->flags |= UBF_JIT_F_CALLS | UBF_JIT_F_TAIL_CALLS | UBF_JIT_F_UNWIND;
		break;
	case UBF_KIND_LD_PKT:
		st->regs_used |= 1;
		st->flags |= UBF_JIT_F_UNWIND;
		break;
	case UBF_KIND_ATOMIC:
		if (d->op == UBF_OP_CMPXCHG)
			st->regs_used |= 1;
		break;
	case UBF_KIND_MAY_GOTO:
		st->flags |= UBF_JIT_F_MAY_GOTO;
		break;
	case UBF_KIND_LDDW:
		if (d->op == UBF_OP_FUNC) {
			st->is_target[in->aux] = 1;
			st->flags |= UBF_JIT_F_CALLBACKS;
		}
		break;
	case UBF_KIND_ALU:
	case UBF_KIND_JMP:
	case UBF_KIND_JA:
	case UBF_KIND_EXIT:
	case UBF_KIND_LDX:
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		break;
	}
}

/*
 * Trusted code with bpf-to-bpf calls and no tail calls: split it into
 * subprograms (call targets start them) so each can save only the
 * registers it uses, as native callees do.
 */
static int split_subprogs(struct ubf_jit_state *st)
{
	uint8_t *starts = calloc(st->insn_cnt + 1, 1);	/* + 1: never 0 bytes */
	size_t i, n = 0, k = 0;

	if (!starts)
		return -ENOMEM;
	starts[0] = 1;
	for (i = 0; i < st->insn_cnt; i += ubf_isa_slots(&ubf_isa_desc[st->insns[i].id])) {
		if (st->insns[i].id == UBF_INSN_CALL_LOCAL)
			starts[st->insns[i].aux] = 1;
	}
	for (i = 0; i < st->insn_cnt; i++)
		n += starts[i];
	st->subprogs = calloc(n, sizeof(*st->subprogs));
	if (!st->subprogs) {
		free(starts);
		return -ENOMEM;
	}
	for (i = 0; i < st->insn_cnt; i += ubf_isa_slots(&ubf_isa_desc[st->insns[i].id])) {
		const struct ubf_pinsn *in = &st->insns[i];
		const struct ubf_insn_desc *d = &ubf_isa_desc[in->id];
		struct ubf_jit_subprog *sp;

		if (starts[i]) {
			if (i)
				st->subprogs[k - 1].end = (uint32_t)i;
			st->subprogs[k++].start = (uint32_t)i;
		}
		sp = &st->subprogs[k - 1];
		if (ubf_shape_has_dst(d->shape))
			sp->regs_used |= (uint16_t)(1u << in->dst);
		if (ubf_shape_has_src(d->shape))
			sp->regs_used |= (uint16_t)(1u << in->src);
		if (d->kind == UBF_KIND_CALL || d->kind == UBF_KIND_CALLX)
			sp->has_calls = true;
	}
	st->subprogs[k - 1].end = (uint32_t)st->insn_cnt;
	st->subprog_cnt = k;
	free(starts);
	return 0;
}

size_t ubf_jit_subprog_of(const struct ubf_jit_state *st, size_t idx)
{
	size_t lo = 0, hi = st->subprog_cnt;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->subprogs[mid].start <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static bool calls_insn0(const struct ubf_jit_state *st)
{
	size_t i;

	for (i = 0; i < st->insn_cnt; i += ubf_isa_slots(&ubf_isa_desc[st->insns[i].id])) {
		if (st->insns[i].id == UBF_INSN_CALL_LOCAL && st->insns[i].aux == 0)
			return true;
	}
	return false;
}

/* Does @in leave r1 as it was?  (Stores and jumps do; so do writes to other registers.) */
static bool keeps_r1(const struct ubf_pinsn *in, const struct ubf_insn_desc *d)
{
	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_JMP:
	case UBF_KIND_JA:
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		return true;
	case UBF_KIND_ALU:
	case UBF_KIND_LDX:
	case UBF_KIND_LDDW:
		return in->dst != 1;
	case UBF_KIND_MAY_GOTO:
	case UBF_KIND_CALL:
	case UBF_KIND_CALLX:
	case UBF_KIND_EXIT:
	case UBF_KIND_LD_PKT:
	case UBF_KIND_ATOMIC:
		break;
	}
	return false;
}

/*
 * Trusted code: the helper calls whose r1 is a map an lddw loaded in the
 * same block, so the back end may use the helper's direct form
 * (ubf_helper_direct()).  A jump target or anything that may write r1
 * forgets the map.
 */
static int find_const_maps(struct ubf_jit_state *st)
{
	uintptr_t map = 0;
	size_t i;

	for (i = 0; i < st->insn_cnt; i += ubf_isa_slots(&ubf_isa_desc[st->insns[i].id])) {
		const struct ubf_pinsn *in = &st->insns[i];
		const struct ubf_insn_desc *d = &ubf_isa_desc[in->id];

		if (st->is_target[i])
			map = 0;
		if (d->kind == UBF_KIND_CALL && d->op != UBF_OP_LOCAL && map) {
			if (!st->call_map) {
				st->call_map = calloc(st->insn_cnt, sizeof(*st->call_map));
				if (!st->call_map)
					return -ENOMEM;
			}
			st->call_map[i] = map;
		}
		if (d->kind == UBF_KIND_LDDW && in->dst == 1 &&
		    (d->op == UBF_OP_MAP_FD || d->op == UBF_OP_MAP_IDX))
			map = (uintptr_t)in->imm;
		else if (!keeps_r1(in, d))
			map = 0;
	}
	return 0;
}

static int analyze(struct ubf_jit_state *st)
{
	size_t i;
	int err;

	st->regs_used = 1;	/* r0 is the result */
	if (st->prog->flags & UBF_PROG_F_CHECKED)
		st->flags |= UBF_JIT_F_CHECKED | UBF_JIT_F_CALLS | UBF_JIT_F_UNWIND;
	if (st->prog->flags & UBF_PROG_F_BLIND_CONST)
		st->flags |= UBF_JIT_F_BLIND;
	for (i = 0; i < st->insn_cnt; i += ubf_isa_slots(&ubf_isa_desc[st->insns[i].id]))
		analyze_one(st, &st->insns[i]);
	if (st->flags & UBF_JIT_F_TAIL_CALLS)
		st->flags |= UBF_JIT_F_UNWIND;
	if (st->flags & UBF_JIT_F_CHECKED)
		return count_blocks(st);
	err = find_const_maps(st);
	if (err)
		return err;
	/* A call back to instruction 0 would need an entry where the program starts. */
	/* Callbacks are entered from C, with the caller-saves convention of checked code. */
	if ((st->flags & UBF_JIT_F_LOCAL_CALLS) &&
	    !(st->flags & (UBF_JIT_F_TAIL_CALLS | UBF_JIT_F_CALLBACKS)) && !calls_insn0(st)) {
		st->flags |= UBF_JIT_F_CALLEE_SAVES;
		return split_subprogs(st);
	}
	return 0;
}

/* ---------------------------------------------------------------- passes */

uint32_t ubf_jit_stub_add(struct ubf_jit_state *st, uint32_t kind, uint32_t arg,
			  uint32_t resume)
{
	struct ubf_jit_stub *s;

	if (st->stub_cnt == st->stub_cap) {
		size_t cap = st->stub_cap ? st->stub_cap * 2 : 64;

		s = realloc(st->stubs, cap * sizeof(*s));
		if (!s) {
			st->buf.err = -ENOMEM;
			return 0;
		}
		st->stubs = s;
		st->stub_cap = cap;
	}
	s = &st->stubs[st->stub_cnt];
	*s = (struct ubf_jit_stub){ .kind = kind, .insn = (uint32_t)st->cur, .arg = arg,
				    .resume = resume };
	return (uint32_t)(UBF_JIT_SHARED_LABELS + st->stub_cnt++);
}

void ubf_jit_fixup_add(struct ubf_jit_state *st, size_t at, uint32_t label)
{
	struct ubf_jit_fixup *f;

	if (!st->is_final || st->buf.err)
		return;
	if (st->fixup_cnt == st->fixup_cap) {
		size_t cap = st->fixup_cap ? st->fixup_cap * 2 : 64;

		f = realloc(st->fixups, cap * sizeof(*f));
		if (!f) {
			st->buf.err = -ENOMEM;
			return;
		}
		st->fixups = f;
		st->fixup_cap = cap;
	}
	st->fixups[st->fixup_cnt++] = (struct ubf_jit_fixup){ .at = (uint32_t)at, .label = label };
}

/* splitmix64: a bijection, so distinct instructions get distinct keys. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t ubf_jit_blind_key(const struct ubf_jit_state *st, size_t idx)
{
	uint64_t k = mix64(st->blind_seed + idx);

	return k ? k : 0x5a5a5a5a5a5a5a5aull;
}

bool ubf_jit_target_off(const struct ubf_jit_state *st, size_t target, size_t *off)
{
	if (target <= st->cur) {
		*off = st->off[target];
		return true;
	}
	if (!st->has_prev)
		return false;
	/* Forward: the last pass's distance, measured from where the current insn starts now. */
	*off = st->off[st->cur] + (st->prev_off[target] - st->prev_off[st->cur]);
	return true;
}

static size_t label_off(const struct ubf_jit_state *st, uint32_t label)
{
	if (label < UBF_JIT_SHARED_LABELS)
		return st->label_off[label];
	return st->stubs[label - UBF_JIT_SHARED_LABELS].off;
}

/* One pass over the program; the buffer decides whether it sizes or emits. */
static int run_pass(struct ubf_jit_state *st, const struct ubf_jit_arch *arch)
{
	size_t i, next;

	st->buf.len = 0;
	st->buf.err = 0;
	st->fused = 0;
	st->stub_cnt = 0;
	st->fixup_cnt = 0;
	memset(st->label_off, 0, sizeof(st->label_off));
	arch->prologue(st);
	for (i = 0; i < st->insn_cnt; i = next) {
		next = i + ubf_isa_slots(&ubf_isa_desc[st->insns[i].id]);
		st->cur = i;
		st->off[i] = (uint32_t)st->buf.len;
		if (next == i + 2)
			st->off[i + 1] = (uint32_t)st->buf.len;
		arch->insn(st, i);
	}
	st->cur = st->insn_cnt;
	st->off[st->insn_cnt] = (uint32_t)st->buf.len;
	arch->epilogue(st);
	if (!st->buf.err && st->buf.len > UINT32_MAX)
		st->buf.err = -E2BIG;
	if (st->buf.err || !st->is_final)
		return st->buf.err;
	for (i = 0; i < st->fixup_cnt; i++)
		arch->patch(st->buf.p, st->fixups[i].at, label_off(st, st->fixups[i].label));
	return 0;
}

/* The offsets of this pass become the reference of the next. */
static void end_pass(struct ubf_jit_state *st)
{
	uint32_t *t = st->prev_off;

	st->prev_off = st->off;
	st->off = t;
	st->has_prev = true;
}

/* An internal inconsistency (UBF_BUG): logged with where it was found, and in @diag. */
#define JIT_BUG(st, diag, what, got, want) jit_bug(st, diag, what, got, want, __LINE__)

static int jit_bug(struct ubf_jit_state *st, struct ubf_diag *diag, const char *what,
		   size_t got, size_t want, int line)
{
	ubf_log_printf(st->prog->log, UBF_LOG_WARN,
		       "jit: %s: internal error at %s:%d: %s: %zu bytes, expected %zu",
		       st->prog->name, __FILE__, line, what, got, want);
	if (diag)
		ubf_diag_set(diag, UBF_DIAG_NO_INSN, "jit.internal",
			     "internal error: %s: %zu bytes, expected %zu", what, got, want);
	return -EFAULT;
}

/*
 * Sizing passes until the size settles (see the top of the file); returns
 * the settled size with st->prev_off holding its offsets.
 */
static int size_passes(struct ubf_jit_state *st, const struct ubf_jit_arch *arch, size_t *szp)
{
	size_t last = st->max_sz;
	unsigned pass;
	int err;

	for (pass = 0; pass < JIT_MAX_PASSES; pass++) {
		err = run_pass(st, arch);
		if (err)
			return err;
		end_pass(st);
		if (st->buf.len == last) {
			*szp = last;
			return 0;
		}
		last = st->buf.len;
	}
	/* Did not settle: every branch long, which needs no reference offsets to be stable. */
	st->can_shrink = false;
	err = run_pass(st, arch);
	if (err)
		return err;
	end_pass(st);
	*szp = st->buf.len;
	return 0;
}

static int seed_blinding(struct ubf_jit_state *st)
{
	struct timespec ts;

	if (getrandom(&st->blind_seed, sizeof(st->blind_seed), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(st->blind_seed))
		return 0;
	/* No entropy yet (early boot): the clock still makes keys unpredictable enough to vary. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	st->blind_seed = mix64((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^
			       (uint64_t)(uintptr_t)st);
	return 0;
}

static int compile(struct ubf_jit_state *st, const struct ubf_jit_arch *arch,
		   struct ubf_jit_image *img, struct ubf_diag *diag)
{
	size_t sz;
	int err;

	err = analyze(st);
	if (err)
		return err;
	if (st->flags & UBF_JIT_F_BLIND)
		seed_blinding(st);

	/* Pass 1: long branches, absolute calls; an upper bound of the final size. */
	st->can_shrink = false;
	err = run_pass(st, arch);
	if (err)
		return err;
	end_pass(st);
	st->max_sz = st->buf.len;
	err = ubf_execmem_alloc(st->max_sz, (const void *)&ubf_jit_compile, &img->mem,
				&img->map_sz);
	if (err)
		return err;
	st->base = (uintptr_t)img->mem;
	st->can_shrink = true;
	err = size_passes(st, arch, &sz);
	if (err)
		return err;
	if (sz > st->max_sz)
		return JIT_BUG(st, diag, "sizing pass grew", sz, st->max_sz);

	st->is_final = true;
	st->buf.p = img->mem;
	st->buf.cap = img->map_sz;
	err = run_pass(st, arch);
	if (err)
		return err;
	if (st->buf.len != sz)
		return JIT_BUG(st, diag, "emit pass size differs from sizing pass", st->buf.len,
			       sz);
	memset((uint8_t *)img->mem + sz, 0xcc, img->map_sz - sz);	/* int3 */
	img->code_sz = sz;
	img->entry = (ubf_jit_entry_fn)(uintptr_t)img->mem;
	img->body = (const uint8_t *)img->mem + st->off[0];
	img->flags = st->flags;
	img->is_bare = !ubf_jit_needs_ctx(st) && !ubf_jit_needs_fp(st);
	if (st->flags & UBF_JIT_F_CALLBACKS)
		img->cb_entry = (cb_entry_fn)(uintptr_t)((uint8_t *)img->mem + st->cb_entry_off);
	/* The emit pass's offsets stay with the image, for dumps (ubf_jit_insn_off()). */
	img->insn_off = st->off;
	img->insn_cnt = st->insn_cnt;
	st->off = NULL;
	return ubf_execmem_seal(img->mem, img->map_sz);
}

int ubf_jit_compile(struct ubf_prog *prog, struct ubf_diag *diag)
{
	const struct ubf_jit_arch *arch = ubf_jit_native();
	struct ubf_jit_state st = { 0 };
	struct ubf_jit_image *img;
	int err;

	if (!arch)
		return -EOPNOTSUPP;
	if (!prog->insn_cnt)
		return -EINVAL;
	img = calloc(1, sizeof(*img));
	st.prog = prog;
	st.insns = prog->insns;
	st.insn_cnt = prog->insn_cnt;
	st.off = calloc(prog->insn_cnt + 1, sizeof(*st.off));
	st.prev_off = calloc(prog->insn_cnt + 1, sizeof(*st.prev_off));
	st.block_len = calloc(prog->insn_cnt, sizeof(*st.block_len));
	st.is_target = calloc(prog->insn_cnt, 1);
	if (!img || !st.off || !st.prev_off || !st.block_len || !st.is_target) {
		err = -ENOMEM;
		goto out;
	}
	err = compile(&st, arch, img, diag);
out:
	free(st.off);
	free(st.prev_off);
	free(st.block_len);
	free(st.is_target);
	free(st.call_map);
	free(st.subprogs);
	free(st.stubs);
	free(st.fixups);
	if (err) {
		ubf_jit_free(img);
		return err;
	}
	prog->jit = img;
	return 0;
}

void ubf_jit_free(struct ubf_jit_image *img)
{
	if (!img)
		return;
	ubf_execmem_free(img->mem, img->map_sz);
	free(img->insn_off);
	free(img);
}

const void *ubf_jit_code(const struct ubf_jit_image *img, size_t *code_sz)
{
	*code_sz = img ? img->code_sz : 0;
	return img ? img->mem : NULL;
}

int ubf_jit_insn_off(const struct ubf_jit_image *img, size_t idx, size_t *off)
{
	if (!img)
		return -ENOENT;
	if (idx > img->insn_cnt)
		return -EINVAL;
	*off = img->insn_off[idx];
	return 0;
}

/* ---------------------------------------------------------------- running */

/* Accesses of 1 << i bytes inside [start, start + size): how many start offsets are valid. */
static void set_region(struct ubf_jit_region *r, const struct ubf_run_region *rr)
{
	uint64_t size = rr->end - rr->start;
	unsigned i;

	r->start = rr->start;
	for (i = 0; i < 4; i++)
		r->cnt[i] = size >= (1u << i) ? size - (1u << i) + 1 : 0;
}

int ubf_jit_run(const struct ubf_prog *prog, struct ubf_run *run, uint64_t r1, uint64_t r2,
		uint64_t *r0)
{
	const struct ubf_jit_image *img = prog->jit;
	struct ubf_jit_ctx ctx;
	uint64_t v;

	ctx.run = run;
	ctx.fp = ubf_run_stack_top(run);
	ctx.may_goto_left = run->may_goto_left;
	ctx.pkt = run->pkt;
	ctx.pkt_sz = run->pkt_sz;
	if (img->flags & UBF_JIT_F_CHECKED) {
		ctx.budget = run->budget;
		ctx.frame_min = (uint64_t)(uintptr_t)run->stack + 2 * UBF_STACK_SZ;
		set_region(&ctx.region[0], &run->regions[1]);
		set_region(&ctx.region[1], &run->regions[0]);
	}
	run->jit_ctx = &ctx;
	v = img->entry(r1, r2, &ctx);
	run->jit_ctx = NULL;
	run->may_goto_left = ctx.may_goto_left;
	if (img->flags & UBF_JIT_F_CHECKED)
		run->budget = ctx.budget;
	if (run->err)
		return run->err;
	*r0 = v;
	return 0;
}

int ubf_jit_call(struct ubf_run *run, size_t target, const uint64_t args[5], uint64_t fp,
		 uint64_t *r0)
{
	const struct ubf_jit_image *img = run->prog->jit;
	struct ubf_jit_ctx *ctx = run->jit_ctx;
	uint64_t sp, v;

	if (!ctx || !img || !img->cb_entry || target >= img->insn_cnt)
		return ubf_run_fault(run, run->helper_pc, -EFAULT, "run.internal",
				     "no JIT callback entry for instruction %zu", target);
	/* The callback entry makes its own frame the one a fault unwinds to. */
	sp = ctx->sp;
	ctx->cb_target = (uint64_t)(uintptr_t)img->mem + img->insn_off[target];
	ctx->cb_fp = fp;
	v = img->cb_entry(args[0], args[1], args[2], args[3], args[4], ctx);
	ctx->sp = sp;
	if (run->err)
		return run->err;
	*r0 = v;
	return 0;
}

/*
 * The direct entry: trusted code that calls nothing needs no struct
 * ubf_run (no helper will ask for it, no fault can be recorded), only a
 * stack, which lives in this frame, uninitialised as a trusted run's stack is.
 */
bool ubf_jit_is_direct(const struct ubf_jit_image *img)
{
	return img && !(img->flags & (UBF_JIT_F_CHECKED | UBF_JIT_F_CALLS | UBF_JIT_F_TAIL_CALLS));
}

ubf_jit_entry_fn ubf_jit_bare_entry(const struct ubf_jit_image *img)
{
	return ubf_jit_is_direct(img) && img->is_bare ? img->entry : NULL;
}

int ubf_jit_run_direct(const struct ubf_prog *prog, void *mem, size_t mem_sz, uint64_t *r0)
{
	struct {
		struct ubf_jit_ctx ctx;
		_Alignas(16) uint8_t stack[UBF_STACK_SZ * UBF_MAX_FRAMES];
	} f;

	f.ctx.run = NULL;
	f.ctx.fp = (uint64_t)(uintptr_t)(f.stack + sizeof(f.stack));
	f.ctx.may_goto_left = UBF_MAY_GOTO_BUDGET;
	f.ctx.pkt = mem;
	f.ctx.pkt_sz = mem ? mem_sz : 0;
	*r0 = prog->jit->entry((uint64_t)(uintptr_t)mem, mem_sz, &f.ctx);
	return 0;
}

/* ---------------------------------------------------------------- run-time, for JIT code */

#define INFO_INSN(info) ((info) & 0xfffffu)
#define INFO_SIZE(info) (1u << ((info) >> 20 & 3))
#define INFO_IS_WRITE(info) (((info) >> 22 & 1) != 0)

/* A checked access outside the inline regions: 0 to go on, nonzero after a fault. */
uint32_t ubf_jit_rt_check_mem(struct ubf_jit_ctx *ctx, uint64_t addr, uint32_t info)
{
	return ubf_run_check_mem(ctx->run, addr, INFO_SIZE(info), INFO_IS_WRITE(info),
				 INFO_INSN(info)) != 0;
}

void ubf_jit_rt_misaligned(struct ubf_jit_ctx *ctx, uint64_t addr, uint32_t info)
{
	ubf_run_fault(ctx->run, INFO_INSN(info), -EFAULT, "run.mem_misaligned",
		      "atomic access of %u bytes at 0x%" PRIx64 " is not aligned", INFO_SIZE(info),
		      addr);
}

/*
 * The block at @insn needed @len instructions and the budget had fewer: it
 * ran out after the block's first (what was left) instructions, at the one
 * after them, where the interpreter stops too.  Those first instructions
 * did not run here; a fault's side effects are not compared.
 */
void ubf_jit_rt_budget(struct ubf_jit_ctx *ctx, uint32_t insn, uint32_t len)
{
	const struct ubf_prog *prog = ctx->run->prog;
	uint64_t left = ctx->budget + len;
	size_t pc = insn;

	for (; left && pc < prog->insn_cnt; left--)
		pc += ubf_isa_slots(&ubf_isa_desc[prog->insns[pc].id]);
	ctx->budget = 0;
	ubf_run_fault(ctx->run, pc, -E2BIG, "run.insn_limit",
		      "instruction budget of %" PRIu64 " exhausted", prog->insn_limit);
}

void ubf_jit_rt_call_depth(struct ubf_jit_ctx *ctx, uint32_t insn)
{
	ubf_run_fault(ctx->run, insn, -E2BIG, "run.call_depth",
		      "call would need more than %d stack frames", UBF_MAX_FRAMES);
}

/* callx: the helper whose ID is in dst, looked up now; a fault when there is none. */
uint64_t ubf_jit_rt_callx(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			  struct ubf_jit_ctx *ctx)
{
	struct ubf_run *run = ctx->run;
	uint32_t insn = (uint32_t)ctx->call_info & 0xffffff;
	const struct ubf_helper *h = NULL;

	if (ctx->callx_id <= INT32_MAX)
		h = ubf_helper_find(run->prog->env, (int32_t)ctx->callx_id);
	if (!h) {
		ubf_run_fault(run, insn, -EFAULT, "run.bad_callx",
			      "callx r%u: no helper has ID %" PRIu64,
			      (unsigned)(ctx->call_info >> 24), ctx->callx_id);
		return 0;
	}
	if (run->is_checked)
		run->helper_pc = insn;
	return h->fn(r1, r2, r3, r4, r5, run);
}

/*
 * A helper flagged UBF_HF_TAIL_CALL set run->tail_call: the target takes
 * over the current frame and registers.  It must be JIT code of the same
 * mode, whose body the caller jumps to.  NULL after a fault.
 */
const void *ubf_jit_rt_tail_call(struct ubf_jit_ctx *ctx, uint32_t insn)
{
	struct ubf_run *run = ctx->run;
	const struct ubf_prog *next = run->tail_call;

	if (next->engine != UBF_ENGINE_JIT || !next->jit ||
	    ((next->flags ^ run->prog->flags) & UBF_PROG_F_CHECKED)) {
		ubf_run_fault(run, insn, -EFAULT, "run.bad_tail_call",
			      "tail call target does not run on this engine and mode");
		return NULL;
	}
	run->prog = next;
	run->tail_call = NULL;
	return next->jit->body;
}
