// SPDX-License-Identifier: BSD-2-Clause
/*
 * x86_64.c - the x86-64 back end: how each (kind, op, width) of the
 * instruction table becomes machine code, the frame of the generated
 * function, and the out-of-line stubs.  It only chooses instruction forms;
 * the bytes come from the pure encoders in x86_64_enc.h, and the passes,
 * memory and run-time calls belong to the driver (jit.c).  Compiled on
 * every host (only executed on x86-64) so that its encodings stay tested.
 *
 * Frame.  The entry pushes the callee-saved registers the program uses,
 * loads r12 (context) and rbp (r10), zeroes the BPF registers the program
 * reads, and CALLs the body, whose exits are RETs.  bpf-to-bpf calls have
 * two conventions.  Trusted code that cannot tail call lets each subprogram
 * save what it uses, as native code does: a call is a bare CALL, and a leaf
 * that touches neither r6-r9 nor r10 costs CALL and RET.  Checked code and
 * code that may tail call save rbp and r6-r9 at the call site (five pushes
 * and the return address keep the stack 16-byte aligned at every depth),
 * so that a tail-called program, which restores nothing, may replace the
 * callee; exit is then a RET at any depth, as in the interpreter, where exit
 * pops a frame or ends the run by depth alone.  A fault or an early end
 * (packet load out of bounds) resets rsp from ctx->sp and leaves through the
 * entry's exit code, whatever the depth.
 *
 * Callbacks.  A program with lddw src=4 gets a second entry after the body,
 * which helpers such as bpf_loop reach through ubf_jit_call(): it saves
 * what the entry saves, points ctx->sp at itself, takes r10 from
 * ctx->cb_fp and CALLs the subprogram at ctx->cb_target, so the
 * subprogram's exit returns to it and a fault unwinds to it through the
 * same exit code.  Such programs use the caller-saves convention above.
 *
 * Two peepholes fuse pairs clang writes for lack of better BPF
 * instructions: "dst = a; dst += b" becomes LEA, and a conditional jump over
 * one move (min, max, clamp) becomes CMOV, as a data-dependent branch often
 * mispredicts.
 *
 * Memory ordering: x86-64 is TSO, so a plain MOV load already has acquire
 * and a plain MOV store release semantics; load-acquire and store-release
 * compile to plain moves.  Read-modify-write atomics use LOCK-prefixed
 * instructions (XCHG is locked implicitly), which are full barriers.
 */
#include "jit/jit_internal.h"

#include <stddef.h>

#include "jit/x86_64_enc.h"
#include "helpers/helpers.h"

/*
 * Register map.
 *
 *   BPF   x86-64  why
 *   r0    rax     return value of helpers and of the program
 *   r1    rdi     r1-r5 are the SysV argument registers in order, so a
 *   r2    rsi       helper call needs no shuffling
 *   r3    rdx     (div/mod and cmpxchg need rax/rdx: saved around them)
 *   r4    rcx     (shifts by register need cl: saved around them)
 *   r5    r8
 *   r6    rbx     r6-r9 callee-saved: they survive helper calls for free
 *   r7    r13
 *   r8    r14
 *   r9    r15
 *   r10   rbp     frame pointer, callee-saved; moves by 512 per call
 *   --    r12     struct ubf_jit_ctx *, callee-saved (run is its first field)
 *   --    r9      the sixth argument: struct ubf_run * at helper calls;
 *                 otherwise scratch (div/mod, atomics)
 *   --    r10     scratch: region checks, blinded stores, saved r0
 *   --    r11     scratch: checked addresses, divisors, blinded constants
 */
static const uint8_t reg_map[11] = {
	X86_RAX, X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8,
	X86_RBX, X86_R13, X86_R14, X86_R15, X86_RBP,
};

#define R_CTX X86_R12
#define R_ARG6 X86_R9

/* Shared labels in the stub area, emitted once by the epilogue. */
enum x86_label {
	L_EXIT,		/* the entry's exit code, after its CALL of the body */
	L_PKT_END,	/* r0 = 0, then unwind: a packet load out of bounds ends the program */
	L_UNWIND,	/* rsp = ctx->sp, then exit: the run ends (run->err tells how) */
	L_MEM_SLOW,	/* CALLed: r11 = address, r10d = info; returns if the access may go on */
	L_MISALIGNED,	/* r11 = address, r10d = info */
	L_BUDGET,	/* r10d = block's first insn, r11d = its length */
	L_CALL_DEPTH,	/* r10d = insn */
	L_TAIL_CALL,	/* r10d = insn */
};

/* Per-instruction stubs. */
enum x86_stub {
	S_MEM,		/* arg = info: slow check, then back to resume */
	S_MISALIGNED,	/* arg = info */
	S_BUDGET,	/* arg = block length */
	S_CALL_DEPTH,
	S_TAIL_CALL,
	S_NULL,		/* r0 = 0, then back to resume: an inlined lookup's miss */
	S_CPU_MOD,	/* arg = ncpu: rcx %= arg (clobbers rdx, r10), back to resume */
};

#define CTX_OFF(f) ((int32_t)offsetof(struct ubf_jit_ctx, f))
#define RUN_OFF(f) ((int32_t)offsetof(struct ubf_run, f))

static void emit(struct ubf_jit_state *st, struct x86_insn in)
{
	jit_emit_bytes(&st->buf, in.b, in.len);
}

static bool is_checked(const struct ubf_jit_state *st)
{
	return st->flags & UBF_JIT_F_CHECKED;
}

static bool is_blind(const struct ubf_jit_state *st)
{
	return st->flags & UBF_JIT_F_BLIND;
}

/* ---------------------------------------------------------------- small sequences */

/* A few instructions encoded ahead, so that a short jump over them knows their length. */
struct seq {
	struct x86_insn in[12];
	unsigned n;
};

static void seq_add(struct seq *s, struct x86_insn in)
{
	s->in[s->n++] = in;
}


static int8_t seq_len(const struct seq *s)
{
	unsigned i, len = 0;

	for (i = 0; i < s->n; i++)
		len += s->in[i].len;
	return (int8_t)len;
}

static void emit_seq(struct ubf_jit_state *st, const struct seq *s)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		emit(st, s->in[i]);
}

/* Jcc rel32 to a label in the stub area, patched by the driver. */
static void emit_jcc_label(struct ubf_jit_state *st, enum x86_cc cc, uint32_t label)
{
	emit(st, x86_jcc_rel32(cc, 0));
	ubf_jit_fixup_add(st, st->buf.len - 4, label);
}

static void emit_jmp_label(struct ubf_jit_state *st, uint32_t label)
{
	emit(st, x86_jmp_rel32(0));
	ubf_jit_fixup_add(st, st->buf.len - 4, label);
}

/* Jcc/JMP to a native offset already emitted in this pass (stubs and shared labels). */
static int32_t rel_back(const struct ubf_jit_state *st, size_t target, unsigned insn_len)
{
	return (int32_t)((int64_t)target - (int64_t)(st->buf.len + insn_len));
}

static void emit_jmp_back(struct ubf_jit_state *st, size_t target)
{
	emit(st, x86_jmp_rel32(rel_back(st, target, 5)));
}

static void emit_jcc_back(struct ubf_jit_state *st, enum x86_cc cc, size_t target)
{
	emit(st, x86_jcc_rel32(cc, rel_back(st, target, 6)));
}

/*
 * Branch to BPF instruction @target: rel8 when the driver allows short
 * forms and the distance (an overestimate before the emit pass) fits.
 */
static void emit_branch(struct ubf_jit_state *st, int cc, size_t target)
{
	bool is_jmp = cc < 0;
	size_t toff;
	int64_t rel;

	if (!ubf_jit_target_off(st, target, &toff)) {
		emit(st, is_jmp ? x86_jmp_rel32(0) : x86_jcc_rel32((enum x86_cc)cc, 0));
		return;
	}
	rel = (int64_t)toff - (int64_t)(st->buf.len + 2);
	if (st->can_shrink && x86_fits_s8(rel)) {
		emit(st, is_jmp ? x86_jmp_rel8((int8_t)rel) :
				  x86_jcc_rel8((enum x86_cc)cc, (int8_t)rel));
		return;
	}
	rel = (int64_t)toff - (int64_t)(st->buf.len + (is_jmp ? 5 : 6));
	emit(st, is_jmp ? x86_jmp_rel32((int32_t)rel) :
			  x86_jcc_rel32((enum x86_cc)cc, (int32_t)rel));
}

/*
 * CALL a C function: rel32 when every position of the code is within
 * +-2 GiB of it (decided from the mapping's bounds, so every pass after the
 * allocation decides the same), else through r11.
 */
static void emit_call_c(struct ubf_jit_state *st, const void *fn)
{
	int64_t f = (int64_t)(uintptr_t)fn;
	int64_t lo = (int64_t)st->base, hi = (int64_t)(st->base + st->max_sz);

	if (st->base && f - hi >= INT32_MIN && f - lo <= INT32_MAX) {
		emit(st, x86_call_rel32((int32_t)(f - (lo + (int64_t)st->buf.len + 5))));
		return;
	}
	emit(st, x86_mov_r64_imm64(X86_R11, (uint64_t)f));
	emit(st, x86_call_rm(X86_R11));
}

/* op dst, imm32, in the accumulator's short form when dst is rax. */
static struct x86_insn alu_imm32(enum x86_alu op, bool is64, unsigned dst, int32_t imm)
{
	if (dst == X86_RAX)
		return x86_alu_rax_imm32(op, is64, imm);
	return x86_alu_rm_imm32(op, is64, dst, imm);
}

/* TEST dst, imm: the byte form for a mask of the low byte; AL and RAX have shorter forms. */
static struct x86_insn test_imm(bool is64, unsigned dst, int32_t imm)
{
	if (imm > 0 && imm <= 0xff)
		return dst == X86_RAX ? x86_test_al_imm8((uint8_t)imm) :
					x86_test_rm8_imm8(dst, (uint8_t)imm);
	return dst == X86_RAX ? x86_test_rax_imm32(is64, imm) : x86_test_rm_imm32(is64, dst, imm);
}

/* ---------------------------------------------------------------- constants */

/*
 * dst = @v, where @v is a sign-extended 32-bit value (64-bit ops) or a
 * 32-bit value (32-bit ops, zero-extended), in the shortest form.
 */
static void emit_mov_imm(struct ubf_jit_state *st, bool is64, unsigned dst, uint64_t v)
{
	if (!is64)
		v = (uint32_t)v;
	if (v == 0)
		emit(st, x86_alu_rm_r(X86_XOR, false, dst, dst));
	else if (v <= UINT32_MAX)
		emit(st, x86_mov_r32_imm32(dst, (uint32_t)v));
	else if ((int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX)
		emit(st, x86_mov_rm64_imm32(dst, (int32_t)v));
	else
		emit(st, x86_mov_r64_imm64(dst, v));
}

/*
 * Constant blinding (UBF_PROG_F_BLIND_CONST), as Linux's
 * bpf_jit_blind_constants(): the code holds imm ^ key and key, never imm.
 * @reg = sign-extended @imm32 (also right in its low 32 bits for 32-bit
 * ops); fixed-size forms, so every pass has the same length.
 */
static void emit_blinded_imm32(struct ubf_jit_state *st, unsigned reg, int32_t imm)
{
	uint32_t key = (uint32_t)ubf_jit_blind_key(st, st->cur);

	emit(st, x86_mov_rm64_imm32(reg, (int32_t)((uint32_t)imm ^ key)));
	emit(st, alu_imm32(X86_XOR, true, reg, (int32_t)key));
}

/* @reg = 64-bit @v, blinded; clobbers r11 when @reg is not r11. */
static void emit_blinded_imm64(struct ubf_jit_state *st, unsigned reg, uint64_t v)
{
	uint64_t key = ubf_jit_blind_key(st, st->cur);
	unsigned tmp = reg == X86_R11 ? X86_R10 : X86_R11;

	emit(st, x86_mov_r64_imm64(reg, v ^ key));
	emit(st, x86_mov_r64_imm64(tmp, key));
	emit(st, x86_alu_rm_r(X86_XOR, true, reg, tmp));
}

/* op dst, imm (imm8 form when it fits); blinded through r11. */
static void emit_alu_imm(struct ubf_jit_state *st, enum x86_alu op, bool is64, unsigned dst,
			 int32_t imm)
{
	if (is_blind(st)) {
		emit_blinded_imm32(st, X86_R11, imm);
		emit(st, x86_alu_rm_r(op, is64, dst, X86_R11));
	} else if (x86_fits_s8(imm)) {
		emit(st, x86_alu_rm_imm8(op, is64, dst, (int8_t)imm));
	} else {
		emit(st, alu_imm32(op, is64, dst, imm));
	}
}

/* ---------------------------------------------------------------- ALU */

static enum x86_alu alu_of(unsigned op)
{
	switch (op) {
	case UBF_OP_SUB:
		return X86_SUB;
	case UBF_OP_OR:
		return X86_OR;
	case UBF_OP_AND:
		return X86_AND;
	case UBF_OP_XOR:
		return X86_XOR;
	default:
		return X86_ADD;
	}
}

static enum x86_shift shift_of(unsigned op)
{
	return op == UBF_OP_LSH ? X86_SHL : op == UBF_OP_RSH ? X86_SHR : X86_SAR;
}

/*
 * "dst <<= 32; dst s>>= 32" (or ">>= 32") is how code built for BPF
 * without movsx sign- (or zero-) extends the low half: one MOVSXD (or
 * 32-bit MOV), unless something jumps to the second shift.
 */
static bool emit_extend32(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	size_t idx = st->cur;
	const struct ubf_pinsn *next;
	unsigned dst = reg_map[in->dst];

	if (idx + 1 >= st->insn_cnt || st->is_target[idx + 1])
		return false;
	next = &st->insns[idx + 1];
	if (next->dst != in->dst || (next->imm & 63) != 32)
		return false;
	if (next->id == UBF_INSN_ARSH64_IMM)
		emit(st, x86_movsx_r_r(true, 4, dst, dst));
	else if (next->id == UBF_INSN_RSH64_IMM)
		emit(st, x86_mov_rm_r(false, dst, dst));
	else
		return false;
	st->fused = idx + 1;
	return true;
}

/*
 * Shifts.  Counts are masked to the width (RFC 9669 4.1), as x86 masks
 * them.  A count of zero still zero-extends a 32-bit dst.  By register the
 * count must be in cl, and cl is r4's: r4 is parked in r11 around it.
 */
static void emit_shift(struct ubf_jit_state *st, const struct ubf_pinsn *in, bool is64,
		       bool is_imm)
{
	enum x86_shift sh = shift_of(ubf_isa_desc[in->id].op);
	unsigned dst = reg_map[in->dst], src = reg_map[in->src];
	unsigned cnt;

	if (is_imm) {
		cnt = (unsigned)in->imm & (is64 ? 63 : 31);
		if (is64 && sh == X86_SHL && cnt == 32 && emit_extend32(st, in))
			return;
		if (cnt == 0) {
			if (!is64)
				emit(st, x86_mov_rm_r(false, dst, dst));
		} else if (cnt == 1) {
			emit(st, x86_shift_rm_1(sh, is64, dst));
		} else {
			emit(st, x86_shift_rm_imm8(sh, is64, dst, (uint8_t)cnt));
		}
		return;
	}
	if (src == X86_RCX) {
		emit(st, x86_shift_rm_cl(sh, is64, dst));
		return;
	}
	emit(st, x86_mov_rm_r(true, X86_R11, X86_RCX));
	emit(st, x86_mov_rm_r(false, X86_RCX, src));
	if (dst == X86_RCX) {
		emit(st, x86_shift_rm_cl(sh, is64, X86_R11));
	} else {
		emit(st, x86_shift_rm_cl(sh, is64, dst));
	}
	emit(st, x86_mov_rm_r(true, X86_RCX, X86_R11));
}

/* What division by zero (RFC 9669 4.1) and signed division by -1 give, without dividing. */
static void add_div_special(struct seq *s, unsigned op, bool is64, unsigned dst, bool by_zero)
{
	bool is_div = op == UBF_OP_DIV || op == UBF_OP_SDIV;

	if (by_zero && is_div)
		seq_add(s, x86_alu_rm_r(X86_XOR, false, dst, dst));	/* dst = 0 */
	else if (by_zero && !is64)
		seq_add(s, x86_mov_rm_r(false, dst, dst));		/* unchanged, zero-ext. */
	else if (!by_zero && is_div)
		seq_add(s, x86_neg_rm(is64, dst));			/* x / -1 = -x, wrapping */
	else if (!by_zero)
		seq_add(s, x86_alu_rm_r(X86_XOR, false, dst, dst));	/* x % -1 = 0 */
}

/*
 * The division itself: divisor in r11, rax and rdx (r0, r3) saved in r10
 * and r9 unless dst is one of them.
 */
static void add_div_core(struct seq *s, unsigned op, bool is64, unsigned dst)
{
	bool is_signed = op == UBF_OP_SDIV || op == UBF_OP_SMOD;
	bool is_mod = op == UBF_OP_MOD || op == UBF_OP_SMOD;
	unsigned res = is_mod ? X86_RDX : X86_RAX;

	if (dst != X86_RAX)
		seq_add(s, x86_mov_rm_r(true, X86_R10, X86_RAX));
	if (dst != X86_RDX)
		seq_add(s, x86_mov_rm_r(true, X86_R9, X86_RDX));
	if (dst != X86_RAX)
		seq_add(s, x86_mov_rm_r(is64, X86_RAX, dst));
	if (is_signed)
		seq_add(s, x86_cqo(is64));
	else
		seq_add(s, x86_alu_rm_r(X86_XOR, false, X86_RDX, X86_RDX));
	seq_add(s, is_signed ? x86_idiv_rm(is64, X86_R11) : x86_div_rm(is64, X86_R11));
	if (dst != res)
		seq_add(s, x86_mov_rm_r(is64, dst, res));
	if (dst != X86_RAX)
		seq_add(s, x86_mov_rm_r(true, X86_RAX, X86_R10));
	if (dst != X86_RDX)
		seq_add(s, x86_mov_rm_r(true, X86_RDX, X86_R9));
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static unsigned log2_u64(uint64_t v)
{
	unsigned n = 0;

	while (v >>= 1)
		n++;
	return n;
}

/*
 * Division by a constant: zero and -1 are decided now; unsigned powers of
 * two become a shift or a mask; anything else divides by r11 with no guard.
 */
static bool emit_div_const(struct ubf_jit_state *st, unsigned op, bool is64, unsigned dst,
			   uint64_t v)
{
	bool is_signed = op == UBF_OP_SDIV || op == UBF_OP_SMOD;
	struct seq s;

	s.n = 0;
	if (v == 0 || (is_signed && v == (is64 ? UINT64_MAX : UINT32_MAX))) {
		add_div_special(&s, op, is64, dst, v == 0);
		emit_seq(st, &s);
		return true;
	}
	if (is_signed || is_blind(st) || !is_pow2(v))
		return false;
	if (op == UBF_OP_MOD) {
		emit_alu_imm(st, X86_AND, is64, dst, (int32_t)(v - 1));
	} else if (v == 1) {
		if (!is64)
			emit(st, x86_mov_rm_r(false, dst, dst));
	} else {
		emit(st, x86_shift_rm_imm8(X86_SHR, is64, dst, (uint8_t)log2_u64(v)));
	}
	return true;
}

static void emit_div(struct ubf_jit_state *st, const struct ubf_pinsn *in, bool is64,
		     bool is_imm)
{
	unsigned op = ubf_isa_desc[in->id].op;
	bool is_signed = op == UBF_OP_SDIV || op == UBF_OP_SMOD;
	unsigned dst = reg_map[in->dst];
	struct seq guard, core, zero, m1;
	int8_t core_len, zero_len, m1_len;

	guard.n = core.n = zero.n = m1.n = 0;
	if (is_imm) {
		uint64_t v = is64 ? in->imm : (uint32_t)in->imm;

		if (emit_div_const(st, op, is64, dst, v))
			return;
		if (is_blind(st))
			emit_blinded_imm32(st, X86_R11, (int32_t)in->imm);
		else
			emit_mov_imm(st, is64, X86_R11, v);
		add_div_core(&core, op, is64, dst);
		emit_seq(st, &core);
		return;
	}
	emit(st, x86_mov_rm_r(is64, X86_R11, reg_map[in->src]));
	add_div_core(&core, op, is64, dst);
	add_div_special(&zero, op, is64, dst, true);
	if (is_signed)
		add_div_special(&m1, op, is64, dst, false);
	zero_len = seq_len(&zero);
	m1_len = seq_len(&m1);
	/* core; jmp done; zero: ...; [jmp done; minus_one: ...]; done: */
	core_len = (int8_t)(seq_len(&core) + 2);
	if (is_signed) {
		seq_add(&guard, x86_alu_rm_imm8(X86_CMP, is64, X86_R11, -1));
		seq_add(&guard, x86_jcc_rel8(X86_CC_E, (int8_t)(core_len + zero_len + 2)));
	}
	emit(st, x86_test_rm_r(is64, X86_R11, X86_R11));
	emit(st, x86_jcc_rel8(X86_CC_E, (int8_t)(seq_len(&guard) + core_len)));
	emit_seq(st, &guard);
	emit_seq(st, &core);
	emit(st, x86_jmp_rel8((int8_t)(zero_len + (is_signed ? 2 + m1_len : 0))));
	emit_seq(st, &zero);
	if (is_signed) {
		emit(st, x86_jmp_rel8(m1_len));
		emit_seq(st, &m1);
	}
}

/* Byte order: le truncates (little-endian host), be and bswap swap; all zero-extend. */
static void emit_swap(struct ubf_jit_state *st, unsigned op, unsigned width, unsigned dst)
{
	if (op == UBF_OP_LE) {
		if (width == 16)
			emit(st, x86_movzx_r32_r(2, dst, dst));
		else if (width == 32)
			emit(st, x86_mov_rm_r(false, dst, dst));
		return;
	}
	if (width == 16) {
		emit(st, x86_ror_rm16_imm8(dst, 8));
		emit(st, x86_movzx_r32_r(2, dst, dst));
	} else {
		emit(st, x86_bswap_r(width == 64, dst));
	}
}

static void emit_mul(struct ubf_jit_state *st, const struct ubf_pinsn *in, bool is64,
		     bool is_imm)
{
	unsigned dst = reg_map[in->dst];
	int32_t imm = (int32_t)in->imm;

	if (!is_imm) {
		emit(st, x86_imul_r_rm(is64, dst, reg_map[in->src]));
	} else if (is_blind(st)) {
		emit_blinded_imm32(st, X86_R11, imm);
		emit(st, x86_imul_r_rm(is64, dst, X86_R11));
	} else if (x86_fits_s8(imm)) {
		emit(st, x86_imul_r_rm_imm8(is64, dst, dst, (int8_t)imm));
	} else {
		emit(st, x86_imul_r_rm_imm32(is64, dst, dst, imm));
	}
}

/*
 * "dst = a; dst += b" (BPF has no three-operand add; clang writes this for
 * every address and index) becomes one LEA, unless something jumps to the
 * add.  A 32-bit add gives the 32-bit LEA whatever the move's width; a
 * 32-bit move then a 64-bit add is not an LEA.  Immediates stay out of
 * LEA when blinding.
 */
static bool emit_lea(struct ubf_jit_state *st, const struct ubf_pinsn *mv, bool mv64)
{
	size_t idx = st->cur;
	const struct ubf_pinsn *add;
	unsigned dst = reg_map[mv->dst], a = reg_map[mv->src], b;
	bool add64;

	if (idx + 1 >= st->insn_cnt || st->is_target[idx + 1])
		return false;
	add = &st->insns[idx + 1];
	if (add->dst != mv->dst)
		return false;
	switch (add->id) {
	case UBF_INSN_ADD64_REG:
	case UBF_INSN_ADD32_REG:
		add64 = add->id == UBF_INSN_ADD64_REG;
		if (add64 && !mv64)
			return false;
		b = add->src == mv->dst ? a : reg_map[add->src];
		emit(st, x86_lea_r_bi(add64, dst, a, b));
		break;
	case UBF_INSN_ADD64_IMM:
	case UBF_INSN_ADD32_IMM:
		add64 = add->id == UBF_INSN_ADD64_IMM;
		if ((add64 && !mv64) || is_blind(st))
			return false;
		emit(st, add64 ? x86_lea_r_m(dst, a, (int32_t)add->imm) :
				 x86_lea_r32_m(dst, a, (int32_t)add->imm));
		break;
	default:
		return false;
	}
	st->fused = idx + 1;
	return true;
}

static void emit_mov(struct ubf_jit_state *st, const struct ubf_pinsn *in, bool is64,
		     bool is_imm)
{
	unsigned dst = reg_map[in->dst], src = reg_map[in->src];

	if (!is_imm && emit_lea(st, in, is64))
		return;
	if (!is_imm) {
		if (!is64 || dst != src)
			emit(st, x86_mov_rm_r(is64, dst, src));
	} else if (is_blind(st) && is64) {
		emit_blinded_imm32(st, dst, (int32_t)in->imm);
	} else if (is_blind(st)) {
		uint32_t key = (uint32_t)ubf_jit_blind_key(st, st->cur);

		emit(st, x86_mov_r32_imm32(dst, (uint32_t)in->imm ^ key));
		emit(st, alu_imm32(X86_XOR, false, dst, (int32_t)key));
	} else {
		emit_mov_imm(st, is64, dst, in->imm);
	}
}

static void emit_alu(struct ubf_jit_state *st, const struct ubf_pinsn *in,
		     const struct ubf_insn_desc *d)
{
	bool is64 = d->width == 64, is_imm = d->shape == UBF_SHAPE_DST_IMM;
	unsigned dst = reg_map[in->dst], src = reg_map[in->src];

	switch (d->op) {
	case UBF_OP_ADD:
	case UBF_OP_SUB:
	case UBF_OP_OR:
	case UBF_OP_AND:
	case UBF_OP_XOR:
		if (is_imm)
			emit_alu_imm(st, alu_of(d->op), is64, dst, (int32_t)in->imm);
		else
			emit(st, x86_alu_rm_r(alu_of(d->op), is64, dst, src));
		break;
	case UBF_OP_MUL:
		emit_mul(st, in, is64, is_imm);
		break;
	case UBF_OP_DIV:
	case UBF_OP_SDIV:
	case UBF_OP_MOD:
	case UBF_OP_SMOD:
		emit_div(st, in, is64, is_imm);
		break;
	case UBF_OP_LSH:
	case UBF_OP_RSH:
	case UBF_OP_ARSH:
		emit_shift(st, in, is64, is_imm);
		break;
	case UBF_OP_NEG:
		emit(st, x86_neg_rm(is64, dst));
		break;
	case UBF_OP_MOV:
		emit_mov(st, in, is64, is_imm);
		break;
	case UBF_OP_MOVSX8:
		emit(st, x86_movsx_r_r(is64, 1, dst, src));
		break;
	case UBF_OP_MOVSX16:
		emit(st, x86_movsx_r_r(is64, 2, dst, src));
		break;
	case UBF_OP_MOVSX32:
		emit(st, x86_movsx_r_r(true, 4, dst, src));
		break;
	case UBF_OP_LE:
	case UBF_OP_BE:
	case UBF_OP_BSWAP:
		emit_swap(st, d->op, d->width, dst);
		break;
	default:
		st->buf.err = -EINVAL;
		break;
	}
}

/* ---------------------------------------------------------------- jumps */

static enum x86_cc cc_of(unsigned op)
{
	switch (op) {
	case UBF_OP_JEQ:
		return X86_CC_E;
	case UBF_OP_JGT:
		return X86_CC_A;
	case UBF_OP_JGE:
		return X86_CC_AE;
	case UBF_OP_JLT:
		return X86_CC_B;
	case UBF_OP_JLE:
		return X86_CC_BE;
	case UBF_OP_JSGT:
		return X86_CC_G;
	case UBF_OP_JSGE:
		return X86_CC_GE;
	case UBF_OP_JSLT:
		return X86_CC_L;
	case UBF_OP_JSLE:
		return X86_CC_LE;
	default:
		return X86_CC_NE;	/* JNE, JSET */
	}
}

/*
 * "if (cond) goto +1; dst = x", as clang writes min and max without a
 * conditional move, becomes CMOV on the opposite condition: a branch on
 * data is often unpredictable.  Only when nothing else jumps to the move,
 * and not in checked code (whose budget charges the move as its own block).
 * The move's value goes through r11: CMOV has no immediate form, and the
 * 32-bit CMOV would zero-extend dst even when it does not move.
 */
static bool emit_cmov(struct ubf_jit_state *st, const struct ubf_pinsn *in, enum x86_cc cc)
{
	size_t idx = st->cur;
	const struct ubf_pinsn *mv;
	unsigned dst;

	if (is_checked(st) || (size_t)in->aux != idx + 2 || st->is_target[idx + 1])
		return false;
	mv = &st->insns[idx + 1];
	dst = reg_map[mv->dst];
	/* Loads of r11 here must leave the flags alone: MOV, never XOR. */
	switch (mv->id) {
	case UBF_INSN_MOV64_REG:
		emit(st, x86_cmovcc_r_rm(cc ^ 1, true, dst, reg_map[mv->src]));
		break;
	case UBF_INSN_MOV32_REG:
		emit(st, x86_mov_rm_r(false, X86_R11, reg_map[mv->src]));
		emit(st, x86_cmovcc_r_rm(cc ^ 1, true, dst, X86_R11));
		break;
	case UBF_INSN_MOV64_IMM:
	case UBF_INSN_MOV32_IMM:
		if (is_blind(st))
			return false;
		if (mv->id == UBF_INSN_MOV32_IMM || mv->imm <= UINT32_MAX)
			emit(st, x86_mov_r32_imm32(X86_R11, (uint32_t)mv->imm));
		else
			emit(st, x86_mov_rm64_imm32(X86_R11, (int32_t)mv->imm));
		emit(st, x86_cmovcc_r_rm(cc ^ 1, true, dst, X86_R11));
		break;
	default:
		return false;
	}
	st->fused = idx + 1;
	return true;
}

/* Conditional jumps: CMP (or TEST for jset) right before Jcc, so the two fuse. */
static void emit_jmp(struct ubf_jit_state *st, const struct ubf_pinsn *in,
		     const struct ubf_insn_desc *d)
{
	bool is64 = d->width == 64, is_imm = d->shape == UBF_SHAPE_DST_IMM_OFF;
	bool is_jset = d->op == UBF_OP_JSET;
	unsigned dst = reg_map[in->dst], rhs = reg_map[in->src];
	int32_t imm = (int32_t)in->imm;

	if (is_imm && is_blind(st)) {
		emit_blinded_imm32(st, X86_R11, imm);
		rhs = X86_R11;
		is_imm = false;
	}
	if (!is_imm) {
		emit(st, is_jset ? x86_test_rm_r(is64, dst, rhs) :
				   x86_alu_rm_r(X86_CMP, is64, dst, rhs));
	} else if (is_jset) {
		if (imm == 0)
			return;		/* never taken */
		emit(st, test_imm(is64, dst, imm));
	} else if (imm == 0) {
		emit(st, x86_test_rm_r(is64, dst, dst));	/* same flags as cmp dst, 0 */
	} else if (x86_fits_s8(imm)) {
		emit(st, x86_alu_rm_imm8(X86_CMP, is64, dst, (int8_t)imm));
	} else {
		emit(st, alu_imm32(X86_CMP, is64, dst, imm));
	}
	if (!emit_cmov(st, in, cc_of(d->op)))
		emit_branch(st, cc_of(d->op), (size_t)in->aux);
}

/* may_goto (Linux BPF_JCOND): jump when the run's loop budget is spent, else spend one. */
static void emit_may_goto(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	emit(st, x86_alu_m_imm8(X86_CMP, true, R_CTX, CTX_OFF(may_goto_left), 0));
	emit_branch(st, X86_CC_E, (size_t)in->aux);
	emit(st, x86_alu_m_imm8(X86_SUB, true, R_CTX, CTX_OFF(may_goto_left), 1));
}

/* ---------------------------------------------------------------- memory */

static unsigned size_log2(unsigned size)
{
	return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
}

/*
 * The inline region checks: r11 = address; fall through when the access
 * lies in the run's memory or stack, else call the slow check in a stub
 * that comes back here.
 */
static void emit_region_checks(struct ubf_jit_state *st, unsigned lg, uint32_t info)
{
	struct seq stk;
	uint32_t label;

	stk.n = 0;
	/* r10 = addr - start; inside iff r10 < cnt[lg] (unsigned, so below start fails too) */
	seq_add(&stk, x86_mov_rm_r(true, X86_R10, X86_R11));
	seq_add(&stk, x86_alu_r_m(X86_SUB, true, X86_R10, R_CTX, CTX_OFF(region[1].start)));
	seq_add(&stk, x86_alu_r_m(X86_CMP, true, X86_R10, R_CTX, CTX_OFF(region[1].cnt[lg])));
	emit(st, x86_mov_rm_r(true, X86_R10, X86_R11));
	emit(st, x86_alu_r_m(X86_SUB, true, X86_R10, R_CTX, CTX_OFF(region[0].start)));
	emit(st, x86_alu_r_m(X86_CMP, true, X86_R10, R_CTX, CTX_OFF(region[0].cnt[lg])));
	emit(st, x86_jcc_rel8(X86_CC_B, (int8_t)(seq_len(&stk) + 6)));
	emit_seq(st, &stk);
	emit(st, x86_jcc_rel32(X86_CC_AE, 0));
	label = ubf_jit_stub_add(st, S_MEM, info, (uint32_t)st->buf.len);
	ubf_jit_fixup_add(st, st->buf.len - 4, label);
}

/*
 * Checked mode: before an access of @size bytes at [base + off], prove it
 * lies in the run's memory or stack inline, or else call the slow check
 * (other regions, or the fault).  r10-relative accesses inside the current
 * frame need no check: r10 is always a frame top in run->stack.  Returns
 * the base register to use, with *disp.
 */
static unsigned emit_mem_check(struct ubf_jit_state *st, unsigned base, int32_t off,
			       unsigned size, bool is_write, bool is_atomic, int32_t *disp)
{
	unsigned lg = size_log2(size);
	uint32_t info = UBF_JIT_INFO(st->cur, lg, is_write);

	*disp = off;
	if (!is_checked(st))
		return base;
	if (base == X86_RBP && off >= -UBF_STACK_SZ && off + (int32_t)size <= 0 &&
	    (!is_atomic || off % (int32_t)size == 0))
		return base;
	*disp = 0;
	emit(st, off ? x86_lea_r_m(X86_R11, base, off) : x86_mov_rm_r(true, X86_R11, base));
	if (is_atomic && size > 1) {
		emit(st, x86_test_rm8_imm8(X86_R11, (uint8_t)(size - 1)));
		emit_jcc_label(st, X86_CC_NE, ubf_jit_stub_add(st, S_MISALIGNED, info, 0));
	}
	emit_region_checks(st, lg, info);
	return X86_R11;
}

static void emit_ldx(struct ubf_jit_state *st, const struct ubf_pinsn *in,
		     const struct ubf_insn_desc *d)
{
	unsigned dst = reg_map[in->dst];
	int32_t disp;
	unsigned base;

	base = emit_mem_check(st, reg_map[in->src], in->aux, d->width, false, false, &disp);
	if (d->op == UBF_OP_MEMSX)
		emit(st, x86_movsx_r64_m(d->width, dst, base, disp));
	else
		emit(st, x86_mov_r_m(d->width, dst, base, disp));
}

static void emit_st(struct ubf_jit_state *st, const struct ubf_pinsn *in,
		    const struct ubf_insn_desc *d)
{
	int32_t disp;
	unsigned base = emit_mem_check(st, reg_map[in->dst], in->aux, d->width, true, false, &disp);

	if (d->kind == UBF_KIND_STX) {
		emit(st, x86_mov_m_r(d->width, base, disp, reg_map[in->src]));
	} else if (is_blind(st)) {
		emit_blinded_imm32(st, X86_R10, (int32_t)in->imm);
		emit(st, x86_mov_m_r(d->width, base, disp, X86_R10));
	} else {
		emit(st, x86_mov_m_imm(d->width, base, disp, (int32_t)in->imm));
	}
}

/*
 * fetch_or/and/xor have no x86 instruction: a CMPXCHG loop on rax, with
 * r0 parked in r10 (or used as the old value when src is r0).
 */
static void emit_fetch_loop(struct ubf_jit_state *st, enum x86_alu op, bool is64,
			    unsigned addr, unsigned src)
{
	unsigned val = src == X86_RAX ? X86_R10 : src;
	struct seq loop;

	loop.n = 0;
	emit(st, x86_mov_rm_r(true, X86_R10, X86_RAX));
	emit(st, x86_mov_r_m(is64 ? 8 : 4, X86_RAX, addr, 0));
	seq_add(&loop, x86_mov_rm_r(true, X86_R9, X86_RAX));
	seq_add(&loop, x86_alu_rm_r(op, is64, X86_R9, val));
	seq_add(&loop, x86_lock_cmpxchg_m_r(is64, addr, 0, X86_R9));
	emit_seq(st, &loop);
	emit(st, x86_jcc_rel8(X86_CC_NE, (int8_t)-(seq_len(&loop) + 2)));
	if (src != X86_RAX) {
		emit(st, x86_mov_rm_r(is64, src, X86_RAX));
		emit(st, x86_mov_rm_r(true, X86_RAX, X86_R10));
	}
}

static void emit_atomic(struct ubf_jit_state *st, const struct ubf_pinsn *in,
			const struct ubf_insn_desc *d)
{
	bool is_load = d->op == UBF_OP_LOAD_ACQ, is64 = d->width == 8;
	unsigned src = reg_map[in->src], dst = reg_map[in->dst];
	int32_t disp;
	unsigned base = emit_mem_check(st, is_load ? src : dst, in->aux, d->width, true, true,
				       &disp);

	switch (d->op) {
	case UBF_OP_ADD:
	case UBF_OP_OR:
	case UBF_OP_AND:
	case UBF_OP_XOR:
		emit(st, x86_lock_alu_m_r(alu_of(d->op), is64, base, disp, src));
		break;
	case UBF_OP_FETCH_ADD:
		emit(st, x86_lock_xadd_m_r(is64, base, disp, src));
		break;
	case UBF_OP_FETCH_OR:
	case UBF_OP_FETCH_AND:
	case UBF_OP_FETCH_XOR:
		if (base != X86_R11 || disp) {
			emit(st, x86_lea_r_m(X86_R11, base, disp));
			base = X86_R11;
		}
		emit_fetch_loop(st, d->op == UBF_OP_FETCH_OR ? X86_OR :
				    d->op == UBF_OP_FETCH_AND ? X86_AND : X86_XOR,
				is64, base, src);
		break;
	case UBF_OP_XCHG:
		emit(st, x86_xchg_m_r(is64, base, disp, src));
		break;
	case UBF_OP_CMPXCHG:
		/* r0 is rax, which CMPXCHG compares and loads implicitly. */
		emit(st, x86_lock_cmpxchg_m_r(is64, base, disp, src));
		if (!is64)	/* on success eax is not written, so its upper half would survive */
			emit(st, x86_mov_rm_r(false, X86_RAX, X86_RAX));
		break;
	case UBF_OP_LOAD_ACQ:
		emit(st, x86_mov_r_m(d->width, dst, base, disp));
		break;
	case UBF_OP_STORE_REL:
		emit(st, x86_mov_m_r(d->width, base, disp, src));
		break;
	default:
		st->buf.err = -EINVAL;
		break;
	}
}

/* r0 = the big-endian value of @size bytes at [base + disp], zero-extended. */
static void emit_pkt_load(struct ubf_jit_state *st, unsigned size, unsigned base, int32_t disp)
{
	emit(st, x86_mov_r_m(size, X86_RAX, base, disp));
	if (size == 2)
		emit(st, x86_ror_rm16_imm8(X86_RAX, 8));
	else if (size == 4)
		emit(st, x86_bswap_r(false, X86_RAX));
}

/* LD_ABS with a constant offset: one comparison with the packet size. */
static void emit_ld_abs(struct ubf_jit_state *st, unsigned size, int32_t off)
{
	if (off < 0) {
		emit_jmp_label(st, L_PKT_END);
		return;
	}
	emit(st, x86_mov_r_m(8, X86_R11, R_CTX, CTX_OFF(pkt_sz)));
	if ((int64_t)off + size > INT32_MAX) {
		emit(st, x86_mov_r32_imm32(X86_R10, (uint32_t)off + size));
		emit(st, x86_alu_rm_r(X86_CMP, true, X86_R11, X86_R10));
	} else {
		emit_alu_imm(st, X86_CMP, true, X86_R11, off + (int32_t)size);
	}
	emit_jcc_label(st, X86_CC_B, L_PKT_END);
	emit(st, x86_mov_r_m(8, X86_R10, R_CTX, CTX_OFF(pkt)));
	emit_pkt_load(st, size, X86_R10, off);
}

/*
 * LD_ABS/LD_IND: r0 = big-endian load from the packet at the signed 32-bit
 * offset (s32)(src + imm); outside the packet the program ends with r0 = 0.
 * r1-r5 keep their values, as in the interpreter.
 */
static void emit_ld_pkt(struct ubf_jit_state *st, const struct ubf_pinsn *in,
			const struct ubf_insn_desc *d)
{
	unsigned size = d->width, src = reg_map[in->src];
	int32_t imm = (int32_t)in->imm;

	if (d->op == UBF_OP_ABS && !is_blind(st)) {
		emit_ld_abs(st, size, imm);
		return;
	}
	if (d->op == UBF_OP_ABS) {
		emit_blinded_imm32(st, X86_R10, imm);
		src = X86_R10;
		imm = 0;
	}
	emit(st, x86_mov_rm_r(false, X86_R10, src));
	if (imm)
		emit_alu_imm(st, X86_ADD, false, X86_R10, imm);	/* blinded through r11 */
	emit(st, x86_movsx_r_r(true, 4, X86_R10, X86_R10));
	emit(st, x86_test_rm_r(true, X86_R10, X86_R10));
	emit_jcc_label(st, X86_CC_S, L_PKT_END);
	emit(st, x86_mov_r_m(8, X86_R11, R_CTX, CTX_OFF(pkt_sz)));
	emit(st, x86_alu_rm_r(X86_SUB, true, X86_R11, X86_R10));
	emit_jcc_label(st, X86_CC_B, L_PKT_END);
	emit(st, x86_alu_rm_imm8(X86_CMP, true, X86_R11, (int8_t)size));
	emit_jcc_label(st, X86_CC_B, L_PKT_END);
	emit(st, x86_alu_r_m(X86_ADD, true, X86_R10, R_CTX, CTX_OFF(pkt)));
	emit_pkt_load(st, size, X86_R10, 0);
}

/* ---------------------------------------------------------------- calls */

static const unsigned arg_regs[5] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8 };

/*
 * Keep r1-r5 across a C call: in checked mode (the interpreter keeps them,
 * and unverified programs may read them), and around anything that may
 * tail call (the next program starts with the caller's r1).  Six pushes
 * (rax as filler) keep the stack aligned.
 */
static void emit_save_args(struct ubf_jit_state *st)
{
	unsigned i;

	for (i = 0; i < 5; i++)
		emit(st, x86_push_r(arg_regs[i]));
	emit(st, x86_push_r(X86_RAX));
}

static void emit_restore_args(struct ubf_jit_state *st)
{
	unsigned i;

	emit(st, x86_pop_r(X86_R11));
	for (i = 5; i-- > 0;)
		emit(st, x86_pop_r(arg_regs[i]));
}

/* After a C call that may fault or tail call: leave, or continue in the next program. */
static void emit_after_call(struct ubf_jit_state *st, bool may_fault, bool may_tail_call)
{
	if (may_fault || may_tail_call)
		emit(st, x86_mov_r_m(8, X86_R11, R_CTX, CTX_OFF(run)));
	if (may_fault) {
		emit(st, x86_alu_m_imm8(X86_CMP, false, X86_R11, RUN_OFF(err), 0));
		emit_jcc_label(st, X86_CC_NE, L_UNWIND);
	}
	if (may_tail_call) {
		emit(st, x86_alu_m_imm8(X86_CMP, true, X86_R11, RUN_OFF(tail_call), 0));
		emit_jcc_label(st, X86_CC_NE, ubf_jit_stub_add(st, S_TAIL_CALL, 0, 0));
	}
}

/* dst *= @k: a shift when @k is a power of two. */
static struct x86_insn mul_imm(unsigned dst, uint32_t k)
{
	if (k && !(k & (k - 1)))
		return x86_shift_rm_imm8(X86_SHL, true, dst, (uint8_t)__builtin_ctz(k));
	return x86_imul_r_rm_imm32(true, dst, dst, (int32_t)k);
}

/* The stub behind @label comes back here. */
static void stub_resume_here(struct ubf_jit_state *st, uint32_t label)
{
	if (label >= UBF_JIT_SHARED_LABELS && !st->buf.err)
		st->stubs[label - UBF_JIT_SHARED_LABELS].resume = (uint32_t)st->buf.len;
}

/*
 * r0 = the value of the u32 key at r2 in an array-like map (Linux's
 * array_map_gen_lookup()); per-CPU maps add the slot of the thread's CPU,
 * read from glibc's rseq area.  A miss (r0 = NULL) is a stub; a CPU number
 * past the map's count is taken modulo it (a mask for a power of two, else
 * a stub).  r1-r5 are dead after a call, so the sequence may use rcx and
 * rdx.
 */
static void emit_index_lookup(struct ubf_jit_state *st, const struct ubf_helper_direct *hd)
{
	uint64_t scale = hd->stride;
	uint32_t miss, mod;

	emit(st, x86_mov_r_m(4, X86_RAX, X86_RSI, 0));
	emit(st, x86_alu_rax_imm32(X86_CMP, false, (int32_t)hd->max_entries));
	miss = ubf_jit_stub_add(st, S_NULL, 0, 0);
	emit_jcc_label(st, X86_CC_AE, miss);
	if (hd->cpu_stride) {
		emit(st, x86_mov_r32_fs_m(X86_RCX, (int32_t)hd->rseq_cpu));
		if (!(hd->ncpu & (hd->ncpu - 1))) {
			/* modulo a power of two: a mask, no branch */
			emit(st, alu_imm32(X86_AND, false, X86_RCX, (int32_t)hd->ncpu - 1));
		} else {
			emit(st, alu_imm32(X86_CMP, false, X86_RCX, (int32_t)hd->ncpu));
			mod = ubf_jit_stub_add(st, S_CPU_MOD, hd->ncpu, 0);
			emit_jcc_label(st, X86_CC_AE, mod);
			stub_resume_here(st, mod);
		}
		if (hd->stride == (uint64_t)hd->ncpu * hd->cpu_stride && hd->ncpu <= 8 &&
		    !(hd->ncpu & (hd->ncpu - 1))) {
			/* slot (key * ncpu + cpu) of cpu_stride bytes */
			emit(st, x86_lea_r_bis(true, X86_RAX, X86_RCX, X86_RAX,
					       (unsigned)__builtin_ctz(hd->ncpu)));
			scale = hd->cpu_stride;
		} else {
			emit(st, mul_imm(X86_RAX, hd->stride));
			emit(st, mul_imm(X86_RCX, hd->cpu_stride));
			emit(st, x86_alu_rm_r(X86_ADD, true, X86_RAX, X86_RCX));
			scale = 1;
		}
	}
	/* base + rax * scale: one lea when the scale is 1, 2, 4 or 8 */
	if (scale > 8 || (scale & (scale - 1))) {
		emit(st, mul_imm(X86_RAX, scale));
		scale = 1;
	}
	emit(st, x86_mov_r64_imm64(X86_R11, hd->base));
	emit(st, x86_lea_r_bis(true, X86_RAX, X86_R11, X86_RAX, (unsigned)__builtin_ctzll(scale)));
	stub_resume_here(st, miss);
}

/*
 * Trusted code calling a map helper on a map it loaded just before: the
 * helper's direct form (ubf_helper_direct()) instead of the call.
 */
static bool emit_call_direct(struct ubf_jit_state *st, const struct ubf_helper *h)
{
	struct ubf_helper_direct hd;

	if (!st->call_map || !st->call_map[st->cur] ||
	    !ubf_helper_direct(h, st->call_map[st->cur], &hd))
		return false;
	if (hd.kind == UBF_HD_ARRAY && hd.rseq_cpu >= INT32_MIN && hd.rseq_cpu <= INT32_MAX) {
		emit_index_lookup(st, &hd);
		return true;
	}
	if (hd.kind != UBF_HD_CALL)
		return false;
	emit_call_c(st, hd.fn);
	if (hd.ret_int)
		emit(st, x86_movsx_r_r(true, 4, X86_RAX, X86_RAX));
	return true;
}

static void emit_call_helper(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	const struct ubf_helper *h = (const struct ubf_helper *)(uintptr_t)in->imm;
	bool may_tail_call = (h->proto.flags & UBF_HF_TAIL_CALL) != 0;
	bool keep = is_checked(st) || may_tail_call;

	if (!is_checked(st) && emit_call_direct(st, h))
		return;

	if (keep)
		emit_save_args(st);
	emit(st, x86_mov_r_m(8, R_ARG6, R_CTX, CTX_OFF(run)));
	if (is_checked(st))
		emit(st, x86_mov_m_imm(8, R_ARG6, RUN_OFF(helper_pc), (int32_t)st->cur));
	/* A helper that calls back runs the callback one frame below this one. */
	if (ubf_helper_has_callback(&h->proto))
		emit(st, x86_mov_m_r(8, R_ARG6, RUN_OFF(cb_fp), X86_RBP));
	emit_call_c(st, (const void *)h->fn);
	if (keep)
		emit_restore_args(st);
	emit_after_call(st, is_checked(st), may_tail_call);
}

/* callx: the run-time looks the ID up (and faults when no helper has it). */
static void emit_callx(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	emit_save_args(st);
	if (st->flags & UBF_JIT_F_CALLBACKS) {
		emit(st, x86_mov_r_m(8, X86_R11, R_CTX, CTX_OFF(run)));
		emit(st, x86_mov_m_r(8, X86_R11, RUN_OFF(cb_fp), X86_RBP));
	}
	emit(st, x86_mov_m_r(8, R_CTX, CTX_OFF(callx_id), reg_map[in->dst]));
	emit(st, x86_mov_m_imm(8, R_CTX, CTX_OFF(call_info),
			       (int32_t)(st->cur | (size_t)in->dst << 24)));
	emit(st, x86_mov_rm_r(true, R_ARG6, R_CTX));
	emit_call_c(st, (const void *)&ubf_jit_rt_callx);
	emit_restore_args(st);
	emit_after_call(st, true, true);
}

/*
 * Callee saves (UBF_JIT_F_CALLEE_SAVES: trusted code without tail calls):
 * subprogram @k other than the first pushes the registers among r6-r9 it
 * names, moves r10 one frame down when it uses r10 or calls, and pads the
 * stack to 16 bytes when it calls; its exits undo all that.  A call is then
 * a bare CALL to the subprogram's entry, just before its first instruction
 * (jumps to that instruction land after the entry).
 */
static void callee_frame(const struct ubf_jit_state *st, size_t k, struct seq *pro,
			 struct seq *epi)
{
	static const uint8_t bpf_saved[4] = { 6, 7, 8, 9 };
	const struct ubf_jit_subprog *sp = &st->subprogs[k];
	bool has_frame = (sp->regs_used & 1u << 10) || sp->has_calls, pad;
	unsigned saves[4], n = 0, i;

	for (i = 0; i < 4; i++) {
		if (sp->regs_used & 1u << bpf_saved[i])
			saves[n++] = reg_map[bpf_saved[i]];
	}
	pad = sp->has_calls && n % 2 == 0;	/* the CALL pushed 8 bytes */
	for (i = 0; i < n; i++)
		seq_add(pro, x86_push_r(saves[i]));
	if (pad)
		seq_add(pro, x86_alu_rm_imm8(X86_SUB, true, X86_RSP, 8));
	if (has_frame)
		seq_add(pro, x86_lea_r_m(X86_RBP, X86_RBP, -UBF_STACK_SZ));
	if (has_frame)
		seq_add(epi, x86_lea_r_m(X86_RBP, X86_RBP, UBF_STACK_SZ));
	if (pad)
		seq_add(epi, x86_alu_rm_imm8(X86_ADD, true, X86_RSP, 8));
	for (i = n; i-- > 0;)
		seq_add(epi, x86_pop_r(saves[i]));
	seq_add(epi, x86_ret());
}

static bool callee_saves(const struct ubf_jit_state *st)
{
	return st->flags & UBF_JIT_F_CALLEE_SAVES;
}

/* Exit from subprogram @k > 0 when callees save: undo its entry, then RET. */
static void emit_subprog_exit(struct ubf_jit_state *st, size_t k)
{
	struct seq pro, epi;

	pro.n = epi.n = 0;
	callee_frame(st, k, &pro, &epi);
	emit_seq(st, &epi);
}

static void emit_exit(struct ubf_jit_state *st)
{
	size_t k;

	if (callee_saves(st) && (k = ubf_jit_subprog_of(st, st->cur)))
		emit_subprog_exit(st, k);
	else
		emit(st, x86_ret());
}

/* The entry of subprogram @k, at its first instruction @idx, when callees save. */
static void emit_subprog_entry(struct ubf_jit_state *st, size_t k, size_t idx)
{
	struct seq pro, epi;

	pro.n = epi.n = 0;
	callee_frame(st, k, &pro, &epi);
	emit_seq(st, &pro);
	st->off[idx] = (uint32_t)st->buf.len;	/* jumps to the first insn skip the entry */
}

/*
 * bpf-to-bpf call.  When callees save, just CALL.  Otherwise save r10 and
 * r6-r9 here, open a frame 512 bytes lower and call: a tail call may
 * replace the callee by code that restores nothing.
 */
static void emit_call_local(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	static const unsigned saved[5] = { X86_RBP, X86_RBX, X86_R13, X86_R14, X86_R15 };
	struct seq pro, epi;
	size_t toff, target = (size_t)in->aux;
	bool known = ubf_jit_target_off(st, target, &toff);
	unsigned i;

	pro.n = epi.n = 0;
	if (callee_saves(st)) {
		callee_frame(st, ubf_jit_subprog_of(st, target), &pro, &epi);
		toff -= (size_t)seq_len(&pro);
		emit(st, x86_call_rel32(known ? rel_back(st, toff, 5) : 0));
		return;
	}
	if (is_checked(st)) {
		emit(st, x86_alu_r_m(X86_CMP, true, X86_RBP, R_CTX, CTX_OFF(frame_min)));
		emit_jcc_label(st, X86_CC_B, ubf_jit_stub_add(st, S_CALL_DEPTH, 0, 0));
	}
	for (i = 0; i < 5; i++)
		emit(st, x86_push_r(saved[i]));
	emit(st, x86_lea_r_m(X86_RBP, X86_RBP, -UBF_STACK_SZ));
	if (known)
		emit(st, x86_call_rel32(rel_back(st, toff, 5)));
	else
		emit(st, x86_call_rel32(0));
	for (i = 5; i-- > 0;)
		emit(st, x86_pop_r(saved[i]));
}

/* ---------------------------------------------------------------- per instruction */

static void emit_lddw(struct ubf_jit_state *st, const struct ubf_pinsn *in)
{
	if (is_blind(st))
		emit_blinded_imm64(st, reg_map[in->dst], in->imm);
	else
		emit_mov_imm(st, true, reg_map[in->dst], in->imm);
}

/* Checked mode: charge the block that starts here against the instruction budget. */
static void emit_charge(struct ubf_jit_state *st, uint32_t len)
{
	if (len <= 127)
		emit(st, x86_alu_m_imm8(X86_SUB, true, R_CTX, CTX_OFF(budget), (int8_t)len));
	else
		emit(st, x86_alu_m_imm32(X86_SUB, true, R_CTX, CTX_OFF(budget), (int32_t)len));
	emit_jcc_label(st, X86_CC_B, ubf_jit_stub_add(st, S_BUDGET, len, 0));
}

static void x86_insn(struct ubf_jit_state *st, size_t idx)
{
	const struct ubf_pinsn *in = &st->insns[idx];
	const struct ubf_insn_desc *d = &ubf_isa_desc[in->id];
	size_t k;

	if (st->fused && st->fused == idx)
		return;	/* emitted with the instruction before */
	if (callee_saves(st) && idx && st->subprogs[k = ubf_jit_subprog_of(st, idx)].start == idx)
		emit_subprog_entry(st, k, idx);
	if (is_checked(st) && st->block_len[idx])
		emit_charge(st, st->block_len[idx]);
	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_ALU:
		emit_alu(st, in, d);
		break;
	case UBF_KIND_JMP:
		emit_jmp(st, in, d);
		break;
	case UBF_KIND_JA:
		if ((size_t)in->aux != idx + 1)
			emit_branch(st, -1, (size_t)in->aux);
		break;
	case UBF_KIND_MAY_GOTO:
		emit_may_goto(st, in);
		break;
	case UBF_KIND_CALL:
		if (d->op == UBF_OP_LOCAL)
			emit_call_local(st, in);
		else
			emit_call_helper(st, in);
		break;
	case UBF_KIND_CALLX:
		emit_callx(st, in);
		break;
	case UBF_KIND_EXIT:
		emit_exit(st);
		break;
	case UBF_KIND_LDDW:
		emit_lddw(st, in);
		break;
	case UBF_KIND_LD_PKT:
		emit_ld_pkt(st, in, d);
		break;
	case UBF_KIND_LDX:
		emit_ldx(st, in, d);
		break;
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		emit_st(st, in, d);
		break;
	case UBF_KIND_ATOMIC:
		emit_atomic(st, in, d);
		break;
	}
}

/* ---------------------------------------------------------------- frame */

/*
 * Callee-saved registers the code writes, in push order.  A program that
 * may tail call saves all: the next program may use any of them.
 */
static unsigned frame_saves(const struct ubf_jit_state *st, unsigned *regs)
{
	static const uint8_t bpf_saved[4] = { 6, 7, 8, 9 };
	bool all = st->flags & UBF_JIT_F_TAIL_CALLS;
	unsigned i, n = 0;

	if (ubf_jit_needs_fp(st))
		regs[n++] = X86_RBP;
	if (ubf_jit_needs_ctx(st))
		regs[n++] = R_CTX;
	for (i = 0; i < 4; i++) {
		if (all || (st->regs_used & 1u << bpf_saved[i]))
			regs[n++] = reg_map[bpf_saved[i]];
	}
	return n;
}

/*
 * Entry: save, set up r12 and rbp, zero the registers the program may read
 * before writing (as the interpreter starts them at 0), call the body (or
 * fall into it when there is nothing to save).
 * 16-byte alignment at the body's calls needs an even number of 8-byte
 * slots between the entry and the CALL of the body.
 */
static void x86_prologue(struct ubf_jit_state *st)
{
	static const uint8_t zero_regs[] = { 0, 3, 4, 5, 6, 7, 8, 9 };
	unsigned saves[6], n = frame_saves(st, saves), i;
	bool pad = n % 2 == 1;
	struct seq exit;

	exit.n = 0;
	for (i = 0; i < n; i++)
		emit(st, x86_push_r(saves[i]));
	if (pad)
		emit(st, x86_alu_rm_imm8(X86_SUB, true, X86_RSP, 8));
	if (ubf_jit_needs_ctx(st))
		emit(st, x86_mov_rm_r(true, R_CTX, X86_RDX));
	if (st->flags & UBF_JIT_F_UNWIND)
		emit(st, x86_mov_m_r(8, R_CTX, CTX_OFF(sp), X86_RSP));
	if (ubf_jit_needs_fp(st))
		emit(st, x86_mov_r_m(8, X86_RBP, X86_RDX, CTX_OFF(fp)));
	for (i = 0; i < UBF_ARRAY_SIZE(zero_regs); i++) {
		unsigned r = zero_regs[i];

		if ((st->flags & UBF_JIT_F_TAIL_CALLS) || (st->regs_used & 1u << r))
			emit(st, x86_alu_rm_r(X86_XOR, false, reg_map[r], reg_map[r]));
	}
	/*
	 * Nothing to restore (so no calls, no frame, no unwinding): the body's
	 * ret returns straight to the caller.  Otherwise the body follows the
	 * exit code: call it, then fall into the exit code.
	 */
	if (n == 0)
		return;
	if (pad)
		seq_add(&exit, x86_alu_rm_imm8(X86_ADD, true, X86_RSP, 8));
	for (i = n; i-- > 0;)
		seq_add(&exit, x86_pop_r(saves[i]));
	seq_add(&exit, x86_ret());
	emit(st, x86_call_rel32(seq_len(&exit)));
	st->label_off[L_EXIT] = (uint32_t)st->buf.len;
	emit_seq(st, &exit);
}

/*
 * The callback entry (UBF_JIT_F_CALLBACKS), called from C by ubf_jit_call()
 * as entry(r1, r2, r3, r4, r5, ctx): the entry's saves and alignment, so
 * that a fault's unwinding (rsp = ctx->sp, then the exit code) and the
 * exit code itself work for it too; then r10 = ctx->cb_fp, r0 and r6-r9
 * zeroed, and a CALL of the subprogram, whose exit returns here.
 */
static void emit_callback_entry(struct ubf_jit_state *st)
{
	static const uint8_t zero_regs[] = { 0, 6, 7, 8, 9 };
	unsigned saves[6], n = frame_saves(st, saves), i;

	st->cb_entry_off = (uint32_t)st->buf.len;
	for (i = 0; i < n; i++)
		emit(st, x86_push_r(saves[i]));
	if (n % 2 == 1)
		emit(st, x86_alu_rm_imm8(X86_SUB, true, X86_RSP, 8));
	emit(st, x86_mov_rm_r(true, R_CTX, R_ARG6));
	emit(st, x86_mov_m_r(8, R_CTX, CTX_OFF(sp), X86_RSP));
	emit(st, x86_mov_r_m(8, X86_RBP, R_CTX, CTX_OFF(cb_fp)));
	for (i = 0; i < UBF_ARRAY_SIZE(zero_regs); i++) {
		unsigned r = zero_regs[i];

		if ((st->flags & UBF_JIT_F_TAIL_CALLS) || (st->regs_used & 1u << r))
			emit(st, x86_alu_rm_r(X86_XOR, false, reg_map[r], reg_map[r]));
	}
	emit(st, x86_mov_r_m(8, X86_R11, R_CTX, CTX_OFF(cb_target)));
	emit(st, x86_call_rm(X86_R11));
	emit_jmp_back(st, st->label_off[L_EXIT]);
}

static void emit_shared_labels(struct ubf_jit_state *st)
{
	static const unsigned pushed[7] = { X86_RAX, X86_RDI, X86_RSI, X86_RDX,
					    X86_RCX, X86_R8,  X86_R11 };
	unsigned i;

	if (st->flags & UBF_JIT_F_UNWIND) {
		st->label_off[L_PKT_END] = (uint32_t)st->buf.len;
		emit(st, x86_alu_rm_r(X86_XOR, false, X86_RAX, X86_RAX));
		st->label_off[L_UNWIND] = (uint32_t)st->buf.len;
		emit(st, x86_mov_r_m(8, X86_RSP, R_CTX, CTX_OFF(sp)));
		emit_jmp_back(st, st->label_off[L_EXIT]);
	}
	if (is_checked(st)) {
		/* CALLed with the return address pushed: 7 pushes re-align the stack. */
		st->label_off[L_MEM_SLOW] = (uint32_t)st->buf.len;
		for (i = 0; i < 7; i++)
			emit(st, x86_push_r(pushed[i]));
		emit(st, x86_mov_rm_r(true, X86_RDI, R_CTX));
		emit(st, x86_mov_rm_r(true, X86_RSI, X86_R11));
		emit(st, x86_mov_rm_r(false, X86_RDX, X86_R10));
		emit_call_c(st, (const void *)&ubf_jit_rt_check_mem);
		emit(st, x86_test_rm_r(false, X86_RAX, X86_RAX));
		for (i = 7; i-- > 0;)
			emit(st, x86_pop_r(pushed[i]));
		emit_jcc_back(st, X86_CC_NE, st->label_off[L_UNWIND]);
		emit(st, x86_ret());

		st->label_off[L_MISALIGNED] = (uint32_t)st->buf.len;
		emit(st, x86_mov_rm_r(true, X86_RDI, R_CTX));
		emit(st, x86_mov_rm_r(true, X86_RSI, X86_R11));
		emit(st, x86_mov_rm_r(false, X86_RDX, X86_R10));
		emit_call_c(st, (const void *)&ubf_jit_rt_misaligned);
		emit_jmp_back(st, st->label_off[L_UNWIND]);

		st->label_off[L_BUDGET] = (uint32_t)st->buf.len;
		emit(st, x86_mov_rm_r(true, X86_RDI, R_CTX));
		emit(st, x86_mov_rm_r(false, X86_RSI, X86_R10));
		emit(st, x86_mov_rm_r(false, X86_RDX, X86_R11));
		emit_call_c(st, (const void *)&ubf_jit_rt_budget);
		emit_jmp_back(st, st->label_off[L_UNWIND]);

		st->label_off[L_CALL_DEPTH] = (uint32_t)st->buf.len;
		emit(st, x86_mov_rm_r(true, X86_RDI, R_CTX));
		emit(st, x86_mov_rm_r(false, X86_RSI, X86_R10));
		emit_call_c(st, (const void *)&ubf_jit_rt_call_depth);
		emit_jmp_back(st, st->label_off[L_UNWIND]);
	}
	if (st->flags & UBF_JIT_F_CALLBACKS)
		emit_callback_entry(st);
	if (st->flags & UBF_JIT_F_TAIL_CALLS) {
		/* Reached by a jump at body level: 6 pushes keep the stack aligned. */
		st->label_off[L_TAIL_CALL] = (uint32_t)st->buf.len;
		for (i = 0; i < 6; i++)
			emit(st, x86_push_r(pushed[i]));
		emit(st, x86_mov_rm_r(true, X86_RDI, R_CTX));
		emit(st, x86_mov_rm_r(false, X86_RSI, X86_R10));
		emit_call_c(st, (const void *)&ubf_jit_rt_tail_call);
		emit(st, x86_mov_rm_r(true, X86_R11, X86_RAX));
		for (i = 6; i-- > 0;)
			emit(st, x86_pop_r(pushed[i]));
		emit(st, x86_test_rm_r(true, X86_R11, X86_R11));
		emit_jcc_back(st, X86_CC_E, st->label_off[L_UNWIND]);
		emit(st, x86_jmp_rm(X86_R11));
	}
}

static void emit_stub(struct ubf_jit_state *st, struct ubf_jit_stub *s)
{
	s->off = (uint32_t)st->buf.len;
	switch ((enum x86_stub)s->kind) {
	case S_MEM:
		emit(st, x86_mov_r32_imm32(X86_R10, s->arg));
		emit(st, x86_call_rel32(rel_back(st, st->label_off[L_MEM_SLOW], 5)));
		emit_jmp_back(st, s->resume);
		break;
	case S_MISALIGNED:
		emit(st, x86_mov_r32_imm32(X86_R10, s->arg));
		emit_jmp_back(st, st->label_off[L_MISALIGNED]);
		break;
	case S_BUDGET:
		emit(st, x86_mov_r32_imm32(X86_R10, s->insn));
		emit(st, x86_mov_r32_imm32(X86_R11, s->arg));
		emit_jmp_back(st, st->label_off[L_BUDGET]);
		break;
	case S_CALL_DEPTH:
		emit(st, x86_mov_r32_imm32(X86_R10, s->insn));
		emit_jmp_back(st, st->label_off[L_CALL_DEPTH]);
		break;
	case S_TAIL_CALL:
		emit(st, x86_mov_r32_imm32(X86_R10, s->insn));
		emit_jmp_back(st, st->label_off[L_TAIL_CALL]);
		break;
	case S_NULL:
		emit(st, x86_alu_rm_r(X86_XOR, false, X86_RAX, X86_RAX));
		emit_jmp_back(st, s->resume);
		break;
	case S_CPU_MOD:
		emit(st, x86_mov_rm_r(true, X86_R10, X86_RAX));
		emit(st, x86_mov_rm_r(false, X86_RAX, X86_RCX));
		emit(st, x86_alu_rm_r(X86_XOR, false, X86_RDX, X86_RDX));
		emit(st, x86_mov_r32_imm32(X86_RCX, s->arg));
		emit(st, x86_div_rm(false, X86_RCX));
		emit(st, x86_mov_rm_r(false, X86_RCX, X86_RDX));
		emit(st, x86_mov_rm_r(true, X86_RAX, X86_R10));
		emit_jmp_back(st, s->resume);
		break;
	}
}

static void x86_epilogue(struct ubf_jit_state *st)
{
	size_t i;

	emit_shared_labels(st);
	for (i = 0; i < st->stub_cnt; i++)
		emit_stub(st, &st->stubs[i]);
}

/* Point the rel32 at @at to @target. */
static void x86_patch(uint8_t *code, size_t at, size_t target)
{
	uint32_t rel = (uint32_t)((int64_t)target - (int64_t)(at + 4));

	code[at] = (uint8_t)rel;
	code[at + 1] = (uint8_t)(rel >> 8);
	code[at + 2] = (uint8_t)(rel >> 16);
	code[at + 3] = (uint8_t)(rel >> 24);
}

const struct ubf_jit_arch ubf_jit_x86_64 = {
	.name = "x86-64",
	.prologue = x86_prologue,
	.insn = x86_insn,
	.epilogue = x86_epilogue,
	.patch = x86_patch,
};
