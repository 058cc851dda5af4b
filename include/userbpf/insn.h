/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * insn.h - the eBPF instruction wire format (RFC 9669 section 3): eight
 * little-endian bytes, with field accessors and builder macros.  The raw
 * instruction is never a bitfield struct; read registers through
 * ubf_raw_dst() and ubf_raw_src().
 */
#ifndef USERBPF_INSN_H
#define USERBPF_INSN_H

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

/* 8 bytes, exactly as in an ELF object built for a little-endian target. */
struct ubf_raw_insn {
	uint8_t code;
	uint8_t regs; /* low nibble dst, high nibble src */
	int16_t off;
	int32_t imm;
};

static inline unsigned ubf_raw_dst(const struct ubf_raw_insn *in)
{
	return in->regs & 0x0fu;
}

static inline unsigned ubf_raw_src(const struct ubf_raw_insn *in)
{
	return (unsigned)in->regs >> 4;
}

#define UBF_REGS(dst, src) ((uint8_t)(((src)&0xf) << 4 | ((dst)&0xf)))

/* Builders for hand-written programs: UBF_INSN(code, dst, src, off, imm). */
#define UBF_INSN(c, d, s, o, i) { (uint8_t)(c), UBF_REGS(d, s), (int16_t)(o), (int32_t)(i) }
#define UBF_MOV64_IMM(d, i) UBF_INSN(0xb7, d, 0, 0, i)
#define UBF_MOV64_REG(d, s) UBF_INSN(0xbf, d, s, 0, 0)
#define UBF_ALU64_IMM(op, d, i) UBF_INSN(0x07 | (op), d, 0, 0, i)
#define UBF_ALU64_REG(op, d, s) UBF_INSN(0x0f | (op), d, s, 0, 0)
#define UBF_LDX(size, d, s, o) UBF_INSN(0x61 | (size), d, s, o, 0)
#define UBF_STX(size, d, s, o) UBF_INSN(0x63 | (size), d, s, o, 0)
#define UBF_JMP_IMM(op, d, i, o) UBF_INSN(0x05 | (op), d, 0, o, i)
#define UBF_CALL_HELPER(id) UBF_INSN(0x85, 0, 0, 0, id)
#define UBF_EXIT() UBF_INSN(0x95, 0, 0, 0, 0)
/* lddw takes two slots: UBF_LDDW(d, v) expands to both, comma separated. */
#define UBF_LDDW(d, v) \
	UBF_INSN(0x18, d, 0, 0, (uint32_t)(uint64_t)(v)), UBF_INSN(0, 0, 0, 0, (uint64_t)(v) >> 32)

/* Operation and size fields for the builders (RFC 9669 tables 3-6). */
#define UBF_ALU_ADD 0x00
#define UBF_ALU_SUB 0x10
#define UBF_ALU_MUL 0x20
#define UBF_ALU_DIV 0x30
#define UBF_ALU_OR 0x40
#define UBF_ALU_AND 0x50
#define UBF_ALU_LSH 0x60
#define UBF_ALU_RSH 0x70
#define UBF_ALU_MOD 0x90
#define UBF_ALU_XOR 0xa0
#define UBF_ALU_ARSH 0xc0
#define UBF_JMP_JEQ 0x10
#define UBF_JMP_JGT 0x20
#define UBF_JMP_JGE 0x30
#define UBF_JMP_JNE 0x50
#define UBF_SIZE_W 0x00
#define UBF_SIZE_H 0x08
#define UBF_SIZE_B 0x10
#define UBF_SIZE_DW 0x18

UBF_EXTERN_C_END

#endif /* USERBPF_INSN_H */
