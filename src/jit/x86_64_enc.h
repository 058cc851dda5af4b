/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x86_64_enc.h - pure x86-64 instruction encoders, one per instruction
 * form of the Intel SDM volume 2 that the back end uses, named after the
 * manual's mnemonic and operand form (x86_add_rm_r is "ADD r/m64, r64").
 * Each returns the instruction's bytes in a small struct and touches
 * nothing else; x86_64.c decides which form to use, these only encode.
 * The expected bytes in tests/unit/test_jit_x86_enc.c were produced by
 * `llvm-mc -triple x86_64 -show-encoding`.
 */
#ifndef UBF_JIT_X86_64_ENC_H
#define UBF_JIT_X86_64_ENC_H

#include <stdbool.h>
#include <stdint.h>

/* Register numbers as the ModRM, SIB and REX fields encode them. */
enum x86_reg {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};

/* Condition codes, the low nibble of Jcc (SDM Table B-1). */
enum x86_cc {
	X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
	X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
};

/* The group-1 arithmetic operations: the ModRM reg field of 81/83 /digit and bits 5:3 of the
 * opcode of the r/m, r forms (ADD 01, OR 09, AND 21, SUB 29, XOR 31, CMP 39). */
enum x86_alu {
	X86_ADD = 0, X86_OR = 1, X86_AND = 4, X86_SUB = 5, X86_XOR = 6, X86_CMP = 7,
};

/* The group-2 shifts: the ModRM reg field of C1/D1/D3 /digit. */
enum x86_shift {
	X86_ROL = 0, X86_ROR = 1, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7,
};

/* One encoded instruction: at most 15 bytes (SDM 2.3.11). */
struct x86_insn {
	uint8_t len;
	uint8_t b[15];
};

/* ---------------------------------------------------------------- building blocks */

/* Encoding options of one instruction. */
#define X86_W (1u << 0)		/* REX.W: 64-bit operand size */
#define X86_OSZ (1u << 1)	/* 66 prefix: 16-bit operand size */
#define X86_LOCK (1u << 2)	/* F0 prefix */
#define X86_BREG (1u << 3)	/* the reg field names a byte register (SPL..DIL need a REX) */
#define X86_BRM (1u << 4)	/* the r/m field names a byte register */

static inline void x86_put(struct x86_insn *in, uint8_t byte)
{
	in->b[in->len++] = byte;
}

static inline void x86_put32(struct x86_insn *in, uint32_t v)
{
	x86_put(in, (uint8_t)v);
	x86_put(in, (uint8_t)(v >> 8));
	x86_put(in, (uint8_t)(v >> 16));
	x86_put(in, (uint8_t)(v >> 24));
}

static inline bool x86_fits_s8(int64_t v)
{
	return v >= -128 && v <= 127;
}

/*
 * Legacy prefixes, then REX 0100WRXB when a bit is needed.  A byte
 * operand in SPL, BPL, SIL or DIL needs a REX even with no bit set;
 * without it the same numbers mean AH, CH, DH and BH.
 */
static inline void x86_prefixes(struct x86_insn *in, unsigned opt, unsigned reg, unsigned rm,
				bool rm_is_reg)
{
	uint8_t rex = (uint8_t)(0x40 | (opt & X86_W ? 8 : 0) | (reg & 8) >> 1 | (rm & 8) >> 3);
	bool need = rex != 0x40;

	if (opt & X86_LOCK)
		x86_put(in, 0xf0);
	if (opt & X86_OSZ)
		x86_put(in, 0x66);
	if ((opt & X86_BREG) && reg >= 4 && reg < 8)
		need = true;
	if ((opt & X86_BRM) && rm_is_reg && rm >= 4 && rm < 8)
		need = true;
	if (need)
		x86_put(in, rex);
}

/* One or two opcode bytes: values above 0xff are 0x0Fxx escapes. */
static inline void x86_opcode(struct x86_insn *in, unsigned op)
{
	if (op > 0xff)
		x86_put(in, (uint8_t)(op >> 8));
	x86_put(in, (uint8_t)op);
}

/* ModRM mod=11: register-direct r/m. */
static inline void x86_modrm_reg(struct x86_insn *in, unsigned reg, unsigned rm)
{
	x86_put(in, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/*
 * ModRM (+SIB) (+disp) for [base + disp].  RSP and R12 as base need a SIB
 * byte (r/m=100 means "SIB follows"); RBP and R13 with mod=00 would mean
 * RIP-relative, so they always take at least a zero disp8.
 */
static inline void x86_modrm_mem(struct x86_insn *in, unsigned reg, unsigned base, int32_t disp)
{
	unsigned mod = disp == 0 && (base & 7) != 5 ? 0 : x86_fits_s8(disp) ? 1 : 2;

	x86_put(in, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == 4)
		x86_put(in, 0x24);
	if (mod == 1)
		x86_put(in, (uint8_t)disp);
	else if (mod == 2)
		x86_put32(in, (uint32_t)disp);
}

/* op with a register-direct ModRM: "op r/m, reg" or "op reg, r/m" by the opcode's direction. */
static inline struct x86_insn x86_enc_rr(unsigned opt, unsigned op, unsigned reg, unsigned rm)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, opt, reg, rm, true);
	x86_opcode(&in, op);
	x86_modrm_reg(&in, reg, rm);
	return in;
}

/* op with a memory ModRM [base + disp]. */
static inline struct x86_insn x86_enc_rm(unsigned opt, unsigned op, unsigned reg, unsigned base,
					 int32_t disp)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, opt, reg, base, false);
	x86_opcode(&in, op);
	x86_modrm_mem(&in, reg, base, disp);
	return in;
}

static inline unsigned x86_w(bool is64)
{
	return is64 ? X86_W : 0;
}

/* Prefix options and opcode (byte form, other forms) for an access of @size bytes. */
static inline unsigned x86_size_opt(unsigned size)
{
	return size == 8 ? X86_W : size == 2 ? X86_OSZ : size == 1 ? X86_BREG : 0;
}

/* ---------------------------------------------------------------- data transfer */

/* MOV r/m64, r64 (REX.W 89 /r) and MOV r/m32, r32 (89 /r; zero-extends to 64 bits). */
static inline struct x86_insn x86_mov_rm_r(bool is64, unsigned dst, unsigned src)
{
	return x86_enc_rr(x86_w(is64), 0x89, src, dst);
}

/* MOV r32, imm32 (B8+rd id): zero-extends to 64 bits. */
static inline struct x86_insn x86_mov_r32_imm32(unsigned dst, uint32_t imm)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, 0, 0, dst, true);
	x86_put(&in, (uint8_t)(0xb8 + (dst & 7)));
	x86_put32(&in, imm);
	return in;
}

/* MOV r/m64, imm32 (REX.W C7 /0 id): the immediate is sign-extended. */
static inline struct x86_insn x86_mov_rm64_imm32(unsigned dst, int32_t imm)
{
	struct x86_insn in = x86_enc_rr(X86_W, 0xc7, 0, dst);

	x86_put32(&in, (uint32_t)imm);
	return in;
}

/* MOV r64, imm64 (REX.W B8+rd io), "movabs". */
static inline struct x86_insn x86_mov_r64_imm64(unsigned dst, uint64_t imm)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, X86_W, 0, dst, true);
	x86_put(&in, (uint8_t)(0xb8 + (dst & 7)));
	x86_put32(&in, (uint32_t)imm);
	x86_put32(&in, (uint32_t)(imm >> 32));
	return in;
}

/*
 * Loads [base + disp] of @size bytes, zero-extended to 64 bits:
 * MOVZX r32, r/m8 (0F B6 /r), MOVZX r32, r/m16 (0F B7 /r), MOV r32, r/m32
 * (8B /r), MOV r64, r/m64 (REX.W 8B /r).
 */
static inline struct x86_insn x86_mov_r_m(unsigned size, unsigned dst, unsigned base,
					  int32_t disp)
{
	unsigned op = size == 1 ? 0x0fb6 : size == 2 ? 0x0fb7 : 0x8b;

	return x86_enc_rm(size == 8 ? X86_W : 0, op, dst, base, disp);
}

/*
 * Sign-extending loads to 64 bits: MOVSX r64, r/m8 (REX.W 0F BE /r),
 * MOVSX r64, r/m16 (REX.W 0F BF /r), MOVSXD r64, r/m32 (REX.W 63 /r).
 */
static inline struct x86_insn x86_movsx_r64_m(unsigned size, unsigned dst, unsigned base,
					      int32_t disp)
{
	unsigned op = size == 1 ? 0x0fbe : size == 2 ? 0x0fbf : 0x63;

	return x86_enc_rm(X86_W, op, dst, base, disp);
}

/* Stores of @size bytes: MOV r/m8, r8 (88 /r), MOV r/m16, r16 (66 89 /r), r/m32, r/m64 (89). */
static inline struct x86_insn x86_mov_m_r(unsigned size, unsigned base, int32_t disp,
					  unsigned src)
{
	return x86_enc_rm(x86_size_opt(size), size == 1 ? 0x88 : 0x89, src, base, disp);
}

/*
 * Stores of an immediate: MOV r/m8, imm8 (C6 /0 ib), MOV r/m16, imm16
 * (66 C7 /0 iw), MOV r/m32, imm32 (C7 /0 id), MOV r/m64, imm32 (REX.W C7
 * /0 id, sign-extended).
 */
static inline struct x86_insn x86_mov_m_imm(unsigned size, unsigned base, int32_t disp,
					    int32_t imm)
{
	struct x86_insn in = x86_enc_rm(size == 8 ? X86_W : size == 2 ? X86_OSZ : 0,
					size == 1 ? 0xc6 : 0xc7, 0, base, disp);

	x86_put(&in, (uint8_t)imm);
	if (size >= 2)
		x86_put(&in, (uint8_t)(imm >> 8));
	if (size >= 4) {
		x86_put(&in, (uint8_t)(imm >> 16));
		x86_put(&in, (uint8_t)(imm >> 24));
	}
	return in;
}

/* MOVZX r32, r/m8 (0F B6 /r) and MOVZX r32, r/m16 (0F B7 /r), register source. */
static inline struct x86_insn x86_movzx_r32_r(unsigned size, unsigned dst, unsigned src)
{
	return x86_enc_rr(size == 1 ? X86_BRM : 0, size == 1 ? 0x0fb6 : 0x0fb7, dst, src);
}

/*
 * Sign extension between registers: MOVSX r32/r64, r/m8 (0F BE /r),
 * MOVSX r32/r64, r/m16 (0F BF /r), MOVSXD r64, r/m32 (REX.W 63 /r).
 */
static inline struct x86_insn x86_movsx_r_r(bool is64, unsigned size, unsigned dst,
					    unsigned src)
{
	unsigned op = size == 1 ? 0x0fbe : size == 2 ? 0x0fbf : 0x63;

	return x86_enc_rr(x86_w(is64) | (size == 1 ? X86_BRM : 0), op, dst, src);
}

/* LEA r64, m (REX.W 8D /r). */
static inline struct x86_insn x86_lea_r_m(unsigned dst, unsigned base, int32_t disp)
{
	return x86_enc_rm(X86_W, 0x8d, dst, base, disp);
}

/* LEA r32, m (8D /r): the low 32 bits of the address, zero-extended. */
static inline struct x86_insn x86_lea_r32_m(unsigned dst, unsigned base, int32_t disp)
{
	return x86_enc_rm(0, 0x8d, dst, base, disp);
}

/* LEA r, [base + index << lg] (8D /r with a SIB byte); index is never RSP. */
static inline struct x86_insn x86_lea_r_bis(bool is64, unsigned dst, unsigned base,
					    unsigned index, unsigned lg)
{
	struct x86_insn in = { 0 };
	uint8_t rex = (uint8_t)(0x40 | (is64 ? 8 : 0) | (dst & 8) >> 1 | (index & 8) >> 2 |
				(base & 8) >> 3);
	bool has_disp = (base & 7) == 5;

	if (rex != 0x40)
		x86_put(&in, rex);
	x86_put(&in, 0x8d);
	x86_put(&in, (uint8_t)((has_disp ? 0x40 : 0) | (dst & 7) << 3 | 4));
	x86_put(&in, (uint8_t)(lg << 6 | (index & 7) << 3 | (base & 7)));
	if (has_disp)
		x86_put(&in, 0);
	return in;
}

/*
 * LEA r64/r32, [base + index] (REX.W 8D /r with a SIB byte, scale 1): a
 * three-operand add.  RBP and R13 as base take a zero disp8; RSP cannot
 * be an index.
 */
static inline struct x86_insn x86_lea_r_bi(bool is64, unsigned dst, unsigned base,
					   unsigned index)
{
	return x86_lea_r_bis(is64, dst, base, index, 0);
}

/* mov r32, fs:[disp32]: a thread-local word at a fixed offset from the thread pointer. */
static inline struct x86_insn x86_mov_r32_fs_m(unsigned dst, int32_t disp)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0x64);
	if (dst >= 8)
		x86_put(&in, 0x44);
	x86_put(&in, 0x8b);
	x86_put(&in, (uint8_t)(0x04 | (dst & 7) << 3));
	x86_put(&in, 0x25);
	x86_put32(&in, (uint32_t)disp);
	return in;
}

/* PUSH r64 (50+rd) and POP r64 (58+rd). */
static inline struct x86_insn x86_push_r(unsigned r)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, 0, 0, r, true);
	x86_put(&in, (uint8_t)(0x50 + (r & 7)));
	return in;
}

static inline struct x86_insn x86_pop_r(unsigned r)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, 0, 0, r, true);
	x86_put(&in, (uint8_t)(0x58 + (r & 7)));
	return in;
}

/* BSWAP r32 (0F C8+rd; zero-extends) and BSWAP r64 (REX.W 0F C8+rd). */
static inline struct x86_insn x86_bswap_r(bool is64, unsigned r)
{
	struct x86_insn in = { 0 };

	x86_prefixes(&in, x86_w(is64), 0, r, true);
	x86_put(&in, 0x0f);
	x86_put(&in, (uint8_t)(0xc8 + (r & 7)));
	return in;
}

/* ---------------------------------------------------------------- arithmetic */

/* ADD/OR/AND/SUB/XOR/CMP r/m, r (01/09/21/29/31/39 /r, REX.W for 64 bits). */
static inline struct x86_insn x86_alu_rm_r(enum x86_alu op, bool is64, unsigned dst,
					   unsigned src)
{
	return x86_enc_rr(x86_w(is64), (unsigned)op << 3 | 1, src, dst);
}

/* ADD/OR/AND/SUB/XOR/CMP r, r/m with a memory source (03/0B/23/2B/33/3B /r). */
static inline struct x86_insn x86_alu_r_m(enum x86_alu op, bool is64, unsigned dst,
					  unsigned base, int32_t disp)
{
	return x86_enc_rm(x86_w(is64), (unsigned)op << 3 | 3, dst, base, disp);
}

/* ADD/... r/m, imm8 (83 /digit ib): imm8 sign-extended to the operand size. */
static inline struct x86_insn x86_alu_rm_imm8(enum x86_alu op, bool is64, unsigned dst,
					      int8_t imm)
{
	struct x86_insn in = x86_enc_rr(x86_w(is64), 0x83, (unsigned)op, dst);

	x86_put(&in, (uint8_t)imm);
	return in;
}

/* ADD/... r/m, imm32 (81 /digit id): sign-extended to 64 bits with REX.W. */
static inline struct x86_insn x86_alu_rm_imm32(enum x86_alu op, bool is64, unsigned dst,
					       int32_t imm)
{
	struct x86_insn in = x86_enc_rr(x86_w(is64), 0x81, (unsigned)op, dst);

	x86_put32(&in, (uint32_t)imm);
	return in;
}

/*
 * ADD/OR/AND/SUB/XOR/CMP EAX, imm32 (05/0D/25/2D/35/3D id) and RAX, imm32
 * (REX.W, sign-extended): the accumulator's one byte shorter form.
 */
static inline struct x86_insn x86_alu_rax_imm32(enum x86_alu op, bool is64, int32_t imm)
{
	struct x86_insn in = { 0 };

	if (is64)
		x86_put(&in, 0x48);
	x86_put(&in, (uint8_t)((unsigned)op << 3 | 5));
	x86_put32(&in, (uint32_t)imm);
	return in;
}

/* ADD/SUB/CMP/... m32, imm8 (83 /digit ib) and m64, imm8 (REX.W 83 /digit ib) on memory. */
static inline struct x86_insn x86_alu_m_imm8(enum x86_alu op, bool is64, unsigned base,
					     int32_t disp, int8_t imm)
{
	struct x86_insn in = x86_enc_rm(x86_w(is64), 0x83, (unsigned)op, base, disp);

	x86_put(&in, (uint8_t)imm);
	return in;
}

/* ADD/SUB/CMP/... m32, imm32 (81 /digit id) and m64, imm32 (REX.W 81 /digit id). */
static inline struct x86_insn x86_alu_m_imm32(enum x86_alu op, bool is64, unsigned base,
					      int32_t disp, int32_t imm)
{
	struct x86_insn in = x86_enc_rm(x86_w(is64), 0x81, (unsigned)op, base, disp);

	x86_put32(&in, (uint32_t)imm);
	return in;
}

/* TEST r/m, r (85 /r). */
static inline struct x86_insn x86_test_rm_r(bool is64, unsigned a, unsigned b)
{
	return x86_enc_rr(x86_w(is64), 0x85, b, a);
}

/* TEST r/m8, imm8 (F6 /0 ib). */
static inline struct x86_insn x86_test_rm8_imm8(unsigned r, uint8_t imm)
{
	struct x86_insn in = x86_enc_rr(X86_BRM, 0xf6, 0, r);

	x86_put(&in, imm);
	return in;
}

/* TEST AL, imm8 (A8 ib). */
static inline struct x86_insn x86_test_al_imm8(uint8_t imm)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0xa8);
	x86_put(&in, imm);
	return in;
}

/* TEST EAX, imm32 (A9 id) and TEST RAX, imm32 (REX.W A9 id). */
static inline struct x86_insn x86_test_rax_imm32(bool is64, int32_t imm)
{
	struct x86_insn in = { 0 };

	if (is64)
		x86_put(&in, 0x48);
	x86_put(&in, 0xa9);
	x86_put32(&in, (uint32_t)imm);
	return in;
}

/* TEST r/m32, imm32 (F7 /0 id) and TEST r/m64, imm32 (REX.W F7 /0 id, sign-extended). */
static inline struct x86_insn x86_test_rm_imm32(bool is64, unsigned r, int32_t imm)
{
	struct x86_insn in = x86_enc_rr(x86_w(is64), 0xf7, 0, r);

	x86_put32(&in, (uint32_t)imm);
	return in;
}

/* IMUL r, r/m (0F AF /r). */
static inline struct x86_insn x86_imul_r_rm(bool is64, unsigned dst, unsigned src)
{
	return x86_enc_rr(x86_w(is64), 0x0faf, dst, src);
}

/* IMUL r, r/m, imm8 (6B /r ib). */
static inline struct x86_insn x86_imul_r_rm_imm8(bool is64, unsigned dst, unsigned src,
						 int8_t imm)
{
	struct x86_insn in = x86_enc_rr(x86_w(is64), 0x6b, dst, src);

	x86_put(&in, (uint8_t)imm);
	return in;
}

/* IMUL r, r/m, imm32 (69 /r id). */
static inline struct x86_insn x86_imul_r_rm_imm32(bool is64, unsigned dst, unsigned src,
						  int32_t imm)
{
	struct x86_insn in = x86_enc_rr(x86_w(is64), 0x69, dst, src);

	x86_put32(&in, (uint32_t)imm);
	return in;
}

/* Group 3 (F7 /digit): NOT /2, NEG /3, MUL /4, DIV /6, IDIV /7 on a register. */
static inline struct x86_insn x86_grp3_rm(unsigned digit, bool is64, unsigned r)
{
	return x86_enc_rr(x86_w(is64), 0xf7, digit, r);
}

/* NEG r/m (F7 /3). */
static inline struct x86_insn x86_neg_rm(bool is64, unsigned r)
{
	return x86_grp3_rm(3, is64, r);
}

/* MUL r/m (F7 /4): RDX:RAX = RAX * r/m, unsigned. */
static inline struct x86_insn x86_mul_rm(bool is64, unsigned r)
{
	return x86_grp3_rm(4, is64, r);
}

/* DIV r/m (F7 /6): unsigned RDX:RAX / r/m; quotient in RAX, remainder in RDX. */
static inline struct x86_insn x86_div_rm(bool is64, unsigned r)
{
	return x86_grp3_rm(6, is64, r);
}

/* IDIV r/m (F7 /7): signed; traps on a zero divisor and on INT_MIN / -1. */
static inline struct x86_insn x86_idiv_rm(bool is64, unsigned r)
{
	return x86_grp3_rm(7, is64, r);
}

/* CDQ (99): EDX = sign of EAX; CQO (REX.W 99): RDX = sign of RAX. */
static inline struct x86_insn x86_cqo(bool is64)
{
	struct x86_insn in = { 0 };

	if (is64)
		x86_put(&in, 0x48);
	x86_put(&in, 0x99);
	return in;
}

/* CMOVcc r, r/m (0F 40+cc /r): dst = src when cc holds; the 32-bit form always zero-extends. */
static inline struct x86_insn x86_cmovcc_r_rm(enum x86_cc cc, bool is64, unsigned dst,
					      unsigned src)
{
	return x86_enc_rr(x86_w(is64), 0x0f40 + (unsigned)cc, dst, src);
}

/* Shift or rotate r/m by imm8 (C1 /digit ib). */
static inline struct x86_insn x86_shift_rm_imm8(enum x86_shift op, bool is64, unsigned r,
						uint8_t imm)
{
	struct x86_insn in = x86_enc_rr(x86_w(is64), 0xc1, (unsigned)op, r);

	x86_put(&in, imm);
	return in;
}

/* Shift or rotate r/m by 1 (D1 /digit). */
static inline struct x86_insn x86_shift_rm_1(enum x86_shift op, bool is64, unsigned r)
{
	return x86_enc_rr(x86_w(is64), 0xd1, (unsigned)op, r);
}

/* Shift or rotate r/m by CL (D3 /digit); the count is masked to 5 or 6 bits. */
static inline struct x86_insn x86_shift_rm_cl(enum x86_shift op, bool is64, unsigned r)
{
	return x86_enc_rr(x86_w(is64), 0xd3, (unsigned)op, r);
}

/* ROR r/m16, imm8 (66 C1 /1 ib): a 16-bit byte swap with imm 8. */
static inline struct x86_insn x86_ror_rm16_imm8(unsigned r, uint8_t imm)
{
	struct x86_insn in = x86_enc_rr(X86_OSZ, 0xc1, X86_ROR, r);

	x86_put(&in, imm);
	return in;
}

/* ---------------------------------------------------------------- atomics */

/* LOCK ADD/OR/AND/XOR m, r (F0 01/09/21/31 /r). */
static inline struct x86_insn x86_lock_alu_m_r(enum x86_alu op, bool is64, unsigned base,
					       int32_t disp, unsigned src)
{
	return x86_enc_rm(X86_LOCK | x86_w(is64), (unsigned)op << 3 | 1, src, base, disp);
}

/* LOCK XADD m, r (F0 0F C1 /r): r gets the old value. */
static inline struct x86_insn x86_lock_xadd_m_r(bool is64, unsigned base, int32_t disp,
						unsigned src)
{
	return x86_enc_rm(X86_LOCK | x86_w(is64), 0x0fc1, src, base, disp);
}

/* LOCK CMPXCHG m, r (F0 0F B1 /r): if RAX == m then m = r, else RAX = m. */
static inline struct x86_insn x86_lock_cmpxchg_m_r(bool is64, unsigned base, int32_t disp,
						   unsigned src)
{
	return x86_enc_rm(X86_LOCK | x86_w(is64), 0x0fb1, src, base, disp);
}

/* XCHG m, r (87 /r): locked implicitly. */
static inline struct x86_insn x86_xchg_m_r(bool is64, unsigned base, int32_t disp,
					   unsigned src)
{
	return x86_enc_rm(x86_w(is64), 0x87, src, base, disp);
}

/* ---------------------------------------------------------------- control transfer */

/* Jcc rel8 (70+cc cb); @rel counts from the end of the instruction. */
static inline struct x86_insn x86_jcc_rel8(enum x86_cc cc, int8_t rel)
{
	struct x86_insn in = { 0 };

	x86_put(&in, (uint8_t)(0x70 + (unsigned)cc));
	x86_put(&in, (uint8_t)rel);
	return in;
}

/* Jcc rel32 (0F 80+cc cd). */
static inline struct x86_insn x86_jcc_rel32(enum x86_cc cc, int32_t rel)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0x0f);
	x86_put(&in, (uint8_t)(0x80 + (unsigned)cc));
	x86_put32(&in, (uint32_t)rel);
	return in;
}

/* JMP rel8 (EB cb). */
static inline struct x86_insn x86_jmp_rel8(int8_t rel)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0xeb);
	x86_put(&in, (uint8_t)rel);
	return in;
}

/* JMP rel32 (E9 cd). */
static inline struct x86_insn x86_jmp_rel32(int32_t rel)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0xe9);
	x86_put32(&in, (uint32_t)rel);
	return in;
}

/* CALL rel32 (E8 cd). */
static inline struct x86_insn x86_call_rel32(int32_t rel)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0xe8);
	x86_put32(&in, (uint32_t)rel);
	return in;
}

/* CALL r/m64 (FF /2), register operand. */
static inline struct x86_insn x86_call_rm(unsigned r)
{
	return x86_enc_rr(0, 0xff, 2, r);
}

/* JMP r/m64 (FF /4), register operand. */
static inline struct x86_insn x86_jmp_rm(unsigned r)
{
	return x86_enc_rr(0, 0xff, 4, r);
}

/* RET (C3). */
static inline struct x86_insn x86_ret(void)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0xc3);
	return in;
}

/* INT3 (CC): fills the unused tail of the code. */
static inline struct x86_insn x86_int3(void)
{
	struct x86_insn in = { 0 };

	x86_put(&in, 0xcc);
	return in;
}

#endif /* UBF_JIT_X86_64_ENC_H */
