/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * interp_body.h - the interpreter loop, written once and included twice by
 * interp.c: with UBF_INTERP_CHECKED 0 it is the fast instance, which trusts
 * the program and checks nothing per instruction; with 1 it is the checked
 * instance (instruction budget, every memory access against the run's
 * regions, atomic alignment, call depth).  One handler per row of insn.def;
 * the label table is built from the rows, so a row without its handler
 * does not compile.  No include guard: interp.c includes it once per
 * instance, with UBF_INTERP_FN naming the entry to define and
 * UBF_INTERP_BODY the loop it runs (also the entry of callbacks).
 */

/*
 * Dispatch: computed goto where the compiler has it, a switch otherwise
 * (STYLE.md 3.6).  In the checked instance every dispatch spends one unit
 * of the instruction budget first.
 */
#if UBF_INTERP_CHECKED
#define CHARGE()                                      \
	do {                                          \
		if (UBF_UNLIKELY(budget-- == 0))      \
			goto out_insn_limit;          \
	} while (0)
#else
#define CHARGE() do { } while (0)
#endif

/*
 * The checked instance keeps the budget in a local; a helper that calls
 * back into the program (and the caller of a callback) sees it in
 * run->budget, written out before helper calls and exits, read back after.
 */
#if UBF_INTERP_CHECKED
#define SYNC_BUDGET_OUT() (run->budget = budget)
#define SYNC_BUDGET_IN() (budget = run->budget)
#else
#define SYNC_BUDGET_OUT() ((void)0)
#define SYNC_BUDGET_IN() ((void)0)
#endif

#if UBF_INTERP_USE_GOTO
#define OP(id) op_##id
#define DISPATCH()                          \
	do {                                \
		CHARGE();                   \
		goto *labels[pc->id];       \
	} while (0)
#else
#define OP(id) case UBF_INSN_##id
#define DISPATCH() goto dispatch
#endif
#define NEXT()                  \
	do {                    \
		pc++;           \
		DISPATCH();     \
	} while (0)
#define JUMP()                                  \
	do {                                    \
		pc = insns + pc->aux;           \
		DISPATCH();                     \
	} while (0)
#define BRANCH(cond)                                            \
	do {                                                    \
		pc = (cond) ? insns + pc->aux : pc + 1;         \
		DISPATCH();                                     \
	} while (0)
/* Instruction fields, as the handlers read them. */
#define DST r[pc->dst]
#define SRC r[pc->src]
#define IMM pc->imm
#define OFF ((uint64_t)(int64_t)pc->aux)
#define PC_IDX ((size_t)(pc - insns))
/* Checked instance only; in the fast one the condition folds to false. */
#define CANNOT_ACCESS(addr, size, is_write) \
	(UBF_INTERP_CHECKED && !access_ok(run, addr, size, is_write, PC_IDX))
#define CANNOT_ATOMIC(addr, size) (UBF_INTERP_CHECKED && !atomic_ok(run, addr, size, PC_IDX))

/*
 * Run from instruction @start with r1-r5 = @args and r10 = @fp, until the
 * exit of the frame it started in: the whole program (@start 0, @fp the
 * stack top) or a callback a helper runs (ubf_interp_call()), whose frame
 * depth follows from @fp.
 */
static int UBF_INTERP_BODY(struct ubf_run *run, size_t start, const uint64_t args[5], uint64_t fp,
			   uint64_t *r0)
{
#if UBF_INTERP_USE_GOTO
	static const void *const labels[UBF_INSN_COUNT] = {
#define X(id, ...) [UBF_INSN_##id] = &&op_##id,
#include "isa/insn.def"
#undef X
	};
#endif
	const struct ubf_pinsn *insns = run->prog->insns;
	const struct ubf_pinsn *pc = insns + start;
	struct interp_frame frames[UBF_MAX_FRAMES];
	const struct ubf_helper *helper;
	const unsigned base = (unsigned)((ubf_run_stack_top(run) - fp) / UBF_STACK_SZ);
	unsigned depth = base;
	uint64_t r[11];
	uint64_t addr, val;
#if UBF_INTERP_CHECKED
	uint64_t budget = run->budget;
#endif

	r[0] = 0;
	r[1] = args[0];
	r[2] = args[1];
	r[3] = args[2];
	r[4] = args[3];
	r[5] = args[4];
	r[6] = r[7] = r[8] = r[9] = 0;
	r[10] = fp;

#if UBF_INTERP_USE_GOTO
	DISPATCH();
#else
dispatch:
	CHARGE();
	switch ((enum ubf_insn_id)pc->id) {
#endif

	/* ALU, 64-bit: immediates are sign-extended (RFC 9669 4.1). */
	OP(ADD64_IMM):	DST += IMM;			NEXT();
	OP(ADD64_REG):	DST += SRC;			NEXT();
	OP(SUB64_IMM):	DST -= IMM;			NEXT();
	OP(SUB64_REG):	DST -= SRC;			NEXT();
	OP(MUL64_IMM):	DST *= IMM;			NEXT();
	OP(MUL64_REG):	DST *= SRC;			NEXT();
	OP(DIV64_IMM):	DST = ubf_udiv64(DST, IMM);	NEXT();
	OP(DIV64_REG):	DST = ubf_udiv64(DST, SRC);	NEXT();
	OP(SDIV64_IMM):	DST = ubf_sdiv64(DST, IMM);	NEXT();
	OP(SDIV64_REG):	DST = ubf_sdiv64(DST, SRC);	NEXT();
	OP(MOD64_IMM):	DST = ubf_umod64(DST, IMM);	NEXT();
	OP(MOD64_REG):	DST = ubf_umod64(DST, SRC);	NEXT();
	OP(SMOD64_IMM):	DST = ubf_smod64(DST, IMM);	NEXT();
	OP(SMOD64_REG):	DST = ubf_smod64(DST, SRC);	NEXT();
	OP(OR64_IMM):	DST |= IMM;			NEXT();
	OP(OR64_REG):	DST |= SRC;			NEXT();
	OP(AND64_IMM):	DST &= IMM;			NEXT();
	OP(AND64_REG):	DST &= SRC;			NEXT();
	OP(XOR64_IMM):	DST ^= IMM;			NEXT();
	OP(XOR64_REG):	DST ^= SRC;			NEXT();
	OP(LSH64_IMM):	DST <<= IMM & 63;		NEXT();
	OP(LSH64_REG):	DST <<= SRC & 63;		NEXT();
	OP(RSH64_IMM):	DST >>= IMM & 63;		NEXT();
	OP(RSH64_REG):	DST >>= SRC & 63;		NEXT();
	OP(ARSH64_IMM):	DST = ubf_arsh64(DST, (unsigned)(IMM & 63));	NEXT();
	OP(ARSH64_REG):	DST = ubf_arsh64(DST, (unsigned)(SRC & 63));	NEXT();
	OP(NEG64):	DST = 0 - DST;			NEXT();
	OP(MOV64_IMM):	DST = IMM;			NEXT();
	OP(MOV64_REG):	DST = SRC;			NEXT();
	OP(MOVSX8_64):	DST = ubf_sext8(SRC);		NEXT();
	OP(MOVSX16_64):	DST = ubf_sext16(SRC);		NEXT();
	OP(MOVSX32_64):	DST = ubf_sext32(SRC);		NEXT();

	/* ALU, 32-bit: operate on the low halves, zero-extend the result. */
	OP(ADD32_IMM):	DST = (uint32_t)((uint32_t)DST + (uint32_t)IMM);	NEXT();
	OP(ADD32_REG):	DST = (uint32_t)((uint32_t)DST + (uint32_t)SRC);	NEXT();
	OP(SUB32_IMM):	DST = (uint32_t)((uint32_t)DST - (uint32_t)IMM);	NEXT();
	OP(SUB32_REG):	DST = (uint32_t)((uint32_t)DST - (uint32_t)SRC);	NEXT();
	OP(MUL32_IMM):	DST = (uint32_t)((uint32_t)DST * (uint32_t)IMM);	NEXT();
	OP(MUL32_REG):	DST = (uint32_t)((uint32_t)DST * (uint32_t)SRC);	NEXT();
	OP(DIV32_IMM):	DST = ubf_udiv32((uint32_t)DST, (uint32_t)IMM);		NEXT();
	OP(DIV32_REG):	DST = ubf_udiv32((uint32_t)DST, (uint32_t)SRC);		NEXT();
	OP(SDIV32_IMM):	DST = ubf_sdiv32((uint32_t)DST, (uint32_t)IMM);		NEXT();
	OP(SDIV32_REG):	DST = ubf_sdiv32((uint32_t)DST, (uint32_t)SRC);		NEXT();
	OP(MOD32_IMM):	DST = ubf_umod32((uint32_t)DST, (uint32_t)IMM);		NEXT();
	OP(MOD32_REG):	DST = ubf_umod32((uint32_t)DST, (uint32_t)SRC);		NEXT();
	OP(SMOD32_IMM):	DST = ubf_smod32((uint32_t)DST, (uint32_t)IMM);		NEXT();
	OP(SMOD32_REG):	DST = ubf_smod32((uint32_t)DST, (uint32_t)SRC);		NEXT();
	OP(OR32_IMM):	DST = (uint32_t)(DST | IMM);				NEXT();
	OP(OR32_REG):	DST = (uint32_t)(DST | SRC);				NEXT();
	OP(AND32_IMM):	DST = (uint32_t)(DST & IMM);				NEXT();
	OP(AND32_REG):	DST = (uint32_t)(DST & SRC);				NEXT();
	OP(XOR32_IMM):	DST = (uint32_t)(DST ^ IMM);				NEXT();
	OP(XOR32_REG):	DST = (uint32_t)(DST ^ SRC);				NEXT();
	OP(LSH32_IMM):	DST = (uint32_t)((uint32_t)DST << (IMM & 31));		NEXT();
	OP(LSH32_REG):	DST = (uint32_t)((uint32_t)DST << (SRC & 31));		NEXT();
	OP(RSH32_IMM):	DST = (uint32_t)DST >> (IMM & 31);			NEXT();
	OP(RSH32_REG):	DST = (uint32_t)DST >> (SRC & 31);			NEXT();
	OP(ARSH32_IMM):	DST = ubf_arsh32((uint32_t)DST, (unsigned)(IMM & 31));	NEXT();
	OP(ARSH32_REG):	DST = ubf_arsh32((uint32_t)DST, (unsigned)(SRC & 31));	NEXT();
	OP(NEG32):	DST = (uint32_t)(0u - (uint32_t)DST);			NEXT();
	OP(MOV32_IMM):	DST = (uint32_t)IMM;					NEXT();
	OP(MOV32_REG):	DST = (uint32_t)SRC;					NEXT();
	OP(MOVSX8_32):	DST = (uint32_t)ubf_sext8(SRC);				NEXT();
	OP(MOVSX16_32):	DST = (uint32_t)ubf_sext16(SRC);			NEXT();

	/* Byte order (RFC 9669 4.2): convert, truncate to the width, zero-extend. */
	OP(LE16):	DST = ubf_to_le(DST, 16);	NEXT();
	OP(LE32):	DST = ubf_to_le(DST, 32);	NEXT();
	OP(LE64):	DST = ubf_to_le(DST, 64);	NEXT();
	OP(BE16):	DST = ubf_to_be(DST, 16);	NEXT();
	OP(BE32):	DST = ubf_to_be(DST, 32);	NEXT();
	OP(BE64):	DST = ubf_to_be(DST, 64);	NEXT();
	OP(BSWAP16):	DST = ubf_bswap(DST, 16);	NEXT();
	OP(BSWAP32):	DST = ubf_bswap(DST, 32);	NEXT();
	OP(BSWAP64):	DST = ubf_bswap(DST, 64);	NEXT();

	/* Conditional jumps; aux is the absolute target. */
	OP(JEQ64_IMM):	BRANCH(DST == IMM);
	OP(JEQ64_REG):	BRANCH(DST == SRC);
	OP(JEQ32_IMM):	BRANCH((uint32_t)DST == (uint32_t)IMM);
	OP(JEQ32_REG):	BRANCH((uint32_t)DST == (uint32_t)SRC);
	OP(JNE64_IMM):	BRANCH(DST != IMM);
	OP(JNE64_REG):	BRANCH(DST != SRC);
	OP(JNE32_IMM):	BRANCH((uint32_t)DST != (uint32_t)IMM);
	OP(JNE32_REG):	BRANCH((uint32_t)DST != (uint32_t)SRC);
	OP(JGT64_IMM):	BRANCH(DST > IMM);
	OP(JGT64_REG):	BRANCH(DST > SRC);
	OP(JGT32_IMM):	BRANCH((uint32_t)DST > (uint32_t)IMM);
	OP(JGT32_REG):	BRANCH((uint32_t)DST > (uint32_t)SRC);
	OP(JGE64_IMM):	BRANCH(DST >= IMM);
	OP(JGE64_REG):	BRANCH(DST >= SRC);
	OP(JGE32_IMM):	BRANCH((uint32_t)DST >= (uint32_t)IMM);
	OP(JGE32_REG):	BRANCH((uint32_t)DST >= (uint32_t)SRC);
	OP(JLT64_IMM):	BRANCH(DST < IMM);
	OP(JLT64_REG):	BRANCH(DST < SRC);
	OP(JLT32_IMM):	BRANCH((uint32_t)DST < (uint32_t)IMM);
	OP(JLT32_REG):	BRANCH((uint32_t)DST < (uint32_t)SRC);
	OP(JLE64_IMM):	BRANCH(DST <= IMM);
	OP(JLE64_REG):	BRANCH(DST <= SRC);
	OP(JLE32_IMM):	BRANCH((uint32_t)DST <= (uint32_t)IMM);
	OP(JLE32_REG):	BRANCH((uint32_t)DST <= (uint32_t)SRC);
	OP(JSET64_IMM):	BRANCH(DST & IMM);
	OP(JSET64_REG):	BRANCH(DST & SRC);
	OP(JSET32_IMM):	BRANCH((uint32_t)DST & (uint32_t)IMM);
	OP(JSET32_REG):	BRANCH((uint32_t)DST & (uint32_t)SRC);
	OP(JSGT64_IMM):	BRANCH((int64_t)DST > (int64_t)IMM);
	OP(JSGT64_REG):	BRANCH((int64_t)DST > (int64_t)SRC);
	OP(JSGT32_IMM):	BRANCH((int32_t)DST > (int32_t)IMM);
	OP(JSGT32_REG):	BRANCH((int32_t)DST > (int32_t)SRC);
	OP(JSGE64_IMM):	BRANCH((int64_t)DST >= (int64_t)IMM);
	OP(JSGE64_REG):	BRANCH((int64_t)DST >= (int64_t)SRC);
	OP(JSGE32_IMM):	BRANCH((int32_t)DST >= (int32_t)IMM);
	OP(JSGE32_REG):	BRANCH((int32_t)DST >= (int32_t)SRC);
	OP(JSLT64_IMM):	BRANCH((int64_t)DST < (int64_t)IMM);
	OP(JSLT64_REG):	BRANCH((int64_t)DST < (int64_t)SRC);
	OP(JSLT32_IMM):	BRANCH((int32_t)DST < (int32_t)IMM);
	OP(JSLT32_REG):	BRANCH((int32_t)DST < (int32_t)SRC);
	OP(JSLE64_IMM):	BRANCH((int64_t)DST <= (int64_t)IMM);
	OP(JSLE64_REG):	BRANCH((int64_t)DST <= (int64_t)SRC);
	OP(JSLE32_IMM):	BRANCH((int32_t)DST <= (int32_t)IMM);
	OP(JSLE32_REG):	BRANCH((int32_t)DST <= (int32_t)SRC);
	OP(JA):
	OP(JA32):
		JUMP();

	/*
	 * Linux rewrites may_goto into a counter on the stack: jump when it is
	 * spent, otherwise decrement and fall through.  The counter here belongs
	 * to the run, not to each subprogram invocation.
	 */
	OP(MAY_GOTO):
		if (run->may_goto_left == 0)
			JUMP();
		run->may_goto_left--;
		NEXT();

	/*
	 * Every lddw form loads the 64-bit value the loader put in imm: the
	 * pseudo forms were resolved at load (a map handle or value address from
	 * the caller's resolver, a subprogram's index).  The second slot is skipped.
	 */
	OP(LDDW):
	OP(LDDW_MAP_FD):
	OP(LDDW_MAP_VALUE):
	OP(LDDW_BTF_ID):
	OP(LDDW_FUNC):
	OP(LDDW_MAP_IDX):
	OP(LDDW_MAP_IDX_VALUE):
		DST = IMM;
		pc += 2;
		DISPATCH();

	/* Loads. */
	OP(LDXB):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 1, false))
			goto out_fault;
		DST = load8(addr);
		NEXT();
	OP(LDXH):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 2, false))
			goto out_fault;
		DST = load16(addr);
		NEXT();
	OP(LDXW):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 4, false))
			goto out_fault;
		DST = load32(addr);
		NEXT();
	OP(LDXDW):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 8, false))
			goto out_fault;
		DST = load64(addr);
		NEXT();
	OP(LDXSB):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 1, false))
			goto out_fault;
		DST = ubf_sext8(load8(addr));
		NEXT();
	OP(LDXSH):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 2, false))
			goto out_fault;
		DST = ubf_sext16(load16(addr));
		NEXT();
	OP(LDXSW):
		addr = SRC + OFF;
		if (CANNOT_ACCESS(addr, 4, false))
			goto out_fault;
		DST = ubf_sext32(load32(addr));
		NEXT();

	/* Stores of an immediate (sign-extended, then truncated) or a register. */
	OP(STB):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 1, true))
			goto out_fault;
		store8(addr, IMM);
		NEXT();
	OP(STH):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 2, true))
			goto out_fault;
		store16(addr, IMM);
		NEXT();
	OP(STW):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 4, true))
			goto out_fault;
		store32(addr, IMM);
		NEXT();
	OP(STDW):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 8, true))
			goto out_fault;
		store64(addr, IMM);
		NEXT();
	OP(STXB):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 1, true))
			goto out_fault;
		store8(addr, SRC);
		NEXT();
	OP(STXH):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 2, true))
			goto out_fault;
		store16(addr, SRC);
		NEXT();
	OP(STXW):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 4, true))
			goto out_fault;
		store32(addr, SRC);
		NEXT();
	OP(STXDW):
		addr = DST + OFF;
		if (CANNOT_ACCESS(addr, 8, true))
			goto out_fault;
		store64(addr, SRC);
		NEXT();

	/*
	 * Atomics on *(dst + off).  Plain read-modify-write forms are relaxed,
	 * fetch forms, xchg and cmpxchg fully ordered (as Linux's atomic_*()
	 * and atomic_fetch_*()); 32-bit forms zero-extend what they return.
	 */
	OP(ATOMIC32_ADD):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		atomic_fetch_add_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC32_FETCH_ADD):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		SRC = atomic_fetch_add_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC,
						memory_order_seq_cst);
		NEXT();
	OP(ATOMIC32_OR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		atomic_fetch_or_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC32_FETCH_OR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		SRC = atomic_fetch_or_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC,
					       memory_order_seq_cst);
		NEXT();
	OP(ATOMIC32_AND):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		atomic_fetch_and_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC32_FETCH_AND):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		SRC = atomic_fetch_and_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC,
						memory_order_seq_cst);
		NEXT();
	OP(ATOMIC32_XOR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		atomic_fetch_xor_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC32_FETCH_XOR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		SRC = atomic_fetch_xor_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC,
						memory_order_seq_cst);
		NEXT();
	OP(ATOMIC32_XCHG):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		SRC = atomic_exchange_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC,
					       memory_order_seq_cst);
		NEXT();
	OP(ATOMIC64_ADD):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		atomic_fetch_add_explicit(ATOMIC_PTR64(addr), SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC64_FETCH_ADD):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		SRC = atomic_fetch_add_explicit(ATOMIC_PTR64(addr), SRC, memory_order_seq_cst);
		NEXT();
	OP(ATOMIC64_OR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		atomic_fetch_or_explicit(ATOMIC_PTR64(addr), SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC64_FETCH_OR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		SRC = atomic_fetch_or_explicit(ATOMIC_PTR64(addr), SRC, memory_order_seq_cst);
		NEXT();
	OP(ATOMIC64_AND):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		atomic_fetch_and_explicit(ATOMIC_PTR64(addr), SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC64_FETCH_AND):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		SRC = atomic_fetch_and_explicit(ATOMIC_PTR64(addr), SRC, memory_order_seq_cst);
		NEXT();
	OP(ATOMIC64_XOR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		atomic_fetch_xor_explicit(ATOMIC_PTR64(addr), SRC, memory_order_relaxed);
		NEXT();
	OP(ATOMIC64_FETCH_XOR):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		SRC = atomic_fetch_xor_explicit(ATOMIC_PTR64(addr), SRC, memory_order_seq_cst);
		NEXT();
	OP(ATOMIC64_XCHG):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		SRC = atomic_exchange_explicit(ATOMIC_PTR64(addr), SRC, memory_order_seq_cst);
		NEXT();
	OP(ATOMIC32_CMPXCHG):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		r[0] = atomic_cmpxchg32(addr, (uint32_t)r[0], (uint32_t)SRC);
		NEXT();
	OP(ATOMIC64_CMPXCHG):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		r[0] = atomic_cmpxchg64(addr, r[0], SRC);
		NEXT();

	/* Load-acquire from *(src + off), store-release to *(dst + off). */
	OP(LOAD_ACQ_B):
		addr = SRC + OFF;
		if (CANNOT_ATOMIC(addr, 1))
			goto out_fault;
		DST = atomic_load_explicit(ATOMIC_PTR8(addr), memory_order_acquire);
		NEXT();
	OP(LOAD_ACQ_H):
		addr = SRC + OFF;
		if (CANNOT_ATOMIC(addr, 2))
			goto out_fault;
		DST = atomic_load_explicit(ATOMIC_PTR16(addr), memory_order_acquire);
		NEXT();
	OP(LOAD_ACQ_W):
		addr = SRC + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		DST = atomic_load_explicit(ATOMIC_PTR32(addr), memory_order_acquire);
		NEXT();
	OP(LOAD_ACQ_DW):
		addr = SRC + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		DST = atomic_load_explicit(ATOMIC_PTR64(addr), memory_order_acquire);
		NEXT();
	OP(STORE_REL_B):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 1))
			goto out_fault;
		atomic_store_explicit(ATOMIC_PTR8(addr), (uint8_t)SRC, memory_order_release);
		NEXT();
	OP(STORE_REL_H):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 2))
			goto out_fault;
		atomic_store_explicit(ATOMIC_PTR16(addr), (uint16_t)SRC, memory_order_release);
		NEXT();
	OP(STORE_REL_W):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 4))
			goto out_fault;
		atomic_store_explicit(ATOMIC_PTR32(addr), (uint32_t)SRC, memory_order_release);
		NEXT();
	OP(STORE_REL_DW):
		addr = DST + OFF;
		if (CANNOT_ATOMIC(addr, 8))
			goto out_fault;
		atomic_store_explicit(ATOMIC_PTR64(addr), SRC, memory_order_release);
		NEXT();

	/*
	 * Legacy packet loads (Linux's LD_ABS/LD_IND): big-endian from the
	 * run's packet; an offset outside it ends the whole program with r0 = 0.
	 * Linux lets them clobber r1-r5; here those registers keep their values,
	 * but programs must not rely on that.
	 */
	OP(LDABSB):
		if (!pkt_load(run, (int64_t)IMM, 1, &val))
			goto out_pkt_end;
		r[0] = val;
		NEXT();
	OP(LDABSH):
		if (!pkt_load(run, (int64_t)IMM, 2, &val))
			goto out_pkt_end;
		r[0] = val;
		NEXT();
	OP(LDABSW):
		if (!pkt_load(run, (int64_t)IMM, 4, &val))
			goto out_pkt_end;
		r[0] = val;
		NEXT();
	OP(LDINDB):
		if (!pkt_load(run, pkt_ind_off(SRC, IMM), 1, &val))
			goto out_pkt_end;
		r[0] = val;
		NEXT();
	OP(LDINDH):
		if (!pkt_load(run, pkt_ind_off(SRC, IMM), 2, &val))
			goto out_pkt_end;
		r[0] = val;
		NEXT();
	OP(LDINDW):
		if (!pkt_load(run, pkt_ind_off(SRC, IMM), 4, &val))
			goto out_pkt_end;
		r[0] = val;
		NEXT();

	/*
	 * Helper calls: the loader resolved `call N` to its descriptor (and will
	 * resolve kfuncs the same way); callx looks the ID in dst up now.  The
	 * helper gets r1-r5 and the run; r1-r5 are not restored (the verifier
	 * treats them as clobbered).
	 */
	OP(CALL_HELPER):
	OP(CALL_KFUNC):
		helper = (const struct ubf_helper *)(uintptr_t)IMM;
		goto call_helper;
	OP(CALLX):
		helper = DST <= INT32_MAX ? ubf_helper_find(run->prog->env, (int32_t)DST) : NULL;
		if (UBF_UNLIKELY(!helper))
			goto out_bad_callx;
call_helper:
		/* A helper may call back into the program: one frame below this one. */
		run->cb_fp = r[10];
		SYNC_BUDGET_OUT();
		if (UBF_INTERP_CHECKED)
			run->helper_pc = PC_IDX;
		r[0] = helper->fn(r[1], r[2], r[3], r[4], r[5], run);
		SYNC_BUDGET_IN();
		if (UBF_INTERP_CHECKED && UBF_UNLIKELY(run->err))
			goto out_helper_fault;
		if (UBF_UNLIKELY(helper->proto.flags & UBF_HF_TAIL_CALL) && run->tail_call)
			goto tail_call;
		NEXT();

	/*
	 * bpf-to-bpf calls: a new 512-byte frame below the caller's; r6-r9,
	 * the return address and the caller's program are saved and restored
	 * by exit.
	 */
	OP(CALL_LOCAL):
		if (UBF_INTERP_CHECKED && UBF_UNLIKELY(depth + 1 >= UBF_MAX_FRAMES))
			goto out_call_depth;
		frames[depth].ret = pc + 1;
		frames[depth].insns = insns;
		frames[depth].saved[0] = r[6];
		frames[depth].saved[1] = r[7];
		frames[depth].saved[2] = r[8];
		frames[depth].saved[3] = r[9];
		depth++;
		r[10] -= UBF_STACK_SZ;
		JUMP();
	OP(EXIT):
		if (depth == base)
			goto out_exit;
		depth--;
		pc = frames[depth].ret;
		insns = frames[depth].insns;
		r[6] = frames[depth].saved[0];
		r[7] = frames[depth].saved[1];
		r[8] = frames[depth].saved[2];
		r[9] = frames[depth].saved[3];
		r[10] += UBF_STACK_SZ;
		DISPATCH();

#if !UBF_INTERP_USE_GOTO
	}
	/* Every id has a case that leaves by goto; reaching here is a bug. */
	return ubf_run_fault(run, PC_IDX, -EFAULT, "run.internal", "bad predecoded id %u",
			     (unsigned)pc->id);
#endif

	/*
	 * A helper flagged UBF_HF_TAIL_CALL asked for another program: it takes
	 * over the current frame and registers, as in Linux.
	 */
tail_call:
	if (!tail_call_ok(run, run->tail_call))
		return ubf_run_fault(run, PC_IDX, -EFAULT, "run.bad_tail_call",
				     "tail call target does not run on this engine and mode");
	run->prog = run->tail_call;
	run->tail_call = NULL;
	insns = run->prog->insns;
	pc = insns;
	DISPATCH();

out_exit:
	SYNC_BUDGET_OUT();
	*r0 = r[0];
	return 0;
out_pkt_end:
	SYNC_BUDGET_OUT();
	*r0 = 0;
	return 0;
out_fault:
out_helper_fault:
	return run->err;
out_bad_callx:
	return ubf_run_fault(run, PC_IDX, -EFAULT, "run.bad_callx",
			     "callx r%u: no helper has ID %" PRIu64, (unsigned)pc->dst, DST);
out_call_depth:
	return ubf_run_fault(run, PC_IDX, -E2BIG, "run.call_depth",
			     "call would need more than %d stack frames", UBF_MAX_FRAMES);
#if UBF_INTERP_CHECKED
out_insn_limit:
	run->budget = 0;
	return ubf_run_fault(run, PC_IDX, -E2BIG, "run.insn_limit",
			     "instruction budget of %" PRIu64 " exhausted", run->prog->insn_limit);
#endif
}

int UBF_INTERP_FN(struct ubf_run *run, uint64_t r1, uint64_t r2, uint64_t *r0)
{
	const uint64_t args[5] = { r1, r2, 0, 0, 0 };

	return UBF_INTERP_BODY(run, 0, args, ubf_run_stack_top(run), r0);
}

#undef CHARGE
#undef SYNC_BUDGET_OUT
#undef SYNC_BUDGET_IN
#undef OP
#undef DISPATCH
#undef NEXT
#undef JUMP
#undef BRANCH
#undef DST
#undef SRC
#undef IMM
#undef OFF
#undef PC_IDX
#undef CANNOT_ACCESS
#undef CANNOT_ATOMIC
