/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * isa.h - the instruction table expanded into C: the id enum, the
 * descriptor array and the small enums (shape, kind, op, group) every
 * consumer switches on.  Nothing here knows what an instruction computes;
 * the concrete arithmetic is in semantics.h.
 */
#ifndef UBF_ISA_ISA_H
#define UBF_ISA_ISA_H

#include <stddef.h>
#include <stdint.h>

#include <userbpf/insn.h>
#include <userbpf/log.h>

#include "util/compiler.h"

enum ubf_insn_id {
#define X(id, ...) UBF_INSN_##id,
#include "insn.def"
#undef X
};

/* Counts are not enumerators, so a switch over every value needs no default. */
enum {
	UBF_INSN_COUNT_ = 0
#define X(id, ...) +1
#include "insn.def"
#undef X
};
#define UBF_INSN_COUNT ((size_t)UBF_INSN_COUNT_)

/*
 * The small enums, each written once as a list so that names for printing
 * come from the same place as the values.
 */
/* Operand fields an encoding uses; the decoder requires all others to be zero. */
#define UBF_SHAPE_LIST(Y) Y(NONE) Y(DST) Y(DST_IMM) Y(DST_SRC) Y(DST_IMM_OFF) Y(DST_SRC_OFF) \
	Y(OFF) Y(IMM) Y(IMM_OFF) Y(SRC_IMM) Y(DST_IMM64)
#define UBF_KIND_LIST(Y) Y(ALU) Y(JMP) Y(JA) Y(MAY_GOTO) Y(CALL) Y(CALLX) Y(EXIT) Y(LDDW) \
	Y(LD_PKT) Y(LDX) Y(ST) Y(STX) Y(ATOMIC)
#define UBF_OP_LIST(Y)                                                                          \
	/* ALU (ADD, OR, AND, XOR also name atomic operations) */                              \
	Y(ADD) Y(SUB) Y(MUL) Y(DIV) Y(SDIV) Y(OR) Y(AND) Y(LSH) Y(RSH) Y(NEG) Y(MOD) Y(SMOD)    \
	Y(XOR) Y(MOV) Y(MOVSX8) Y(MOVSX16) Y(MOVSX32) Y(ARSH) Y(LE) Y(BE) Y(BSWAP)              \
	/* conditional jumps */                                                                 \
	Y(JEQ) Y(JGT) Y(JGE) Y(JSET) Y(JNE) Y(JSGT) Y(JSGE) Y(JLT) Y(JLE) Y(JSLT) Y(JSLE)        \
	/* JA, MAY_GOTO, CALL, CALLX, EXIT */                                                   \
	Y(JA) Y(MAY_GOTO) Y(HELPER) Y(LOCAL) Y(KFUNC) Y(CALLX) Y(EXIT)                          \
	/* LDDW: the src field's pseudo forms (Linux BPF_PSEUDO_*) */                           \
	Y(IMM) Y(MAP_FD) Y(MAP_VALUE) Y(BTF_ID) Y(FUNC) Y(MAP_IDX) Y(MAP_IDX_VALUE)             \
	/* LD_PKT, LDX, ST, STX */                                                              \
	Y(ABS) Y(IND) Y(MEM) Y(MEMSX)                                                           \
	/* ATOMIC */                                                                            \
	Y(FETCH_ADD) Y(FETCH_OR) Y(FETCH_AND) Y(FETCH_XOR) Y(XCHG) Y(CMPXCHG) Y(LOAD_ACQ)       \
	Y(STORE_REL)
#define UBF_GROUP_LIST(Y) Y(BASE32) Y(BASE64) Y(DIVMUL32) Y(DIVMUL64) Y(ATOMIC32) Y(ATOMIC64) \
	Y(PACKET) Y(CALLX) Y(LINUX)

#define UBF_ENUM_SHAPE(n) UBF_SHAPE_##n,
#define UBF_ENUM_KIND(n) UBF_KIND_##n,
#define UBF_ENUM_OP(n) UBF_OP_##n,
#define UBF_ENUM_GROUP(n) UBF_GROUP_##n,
#define UBF_PLUS_ONE(n) +1
enum ubf_shape { UBF_SHAPE_LIST(UBF_ENUM_SHAPE) };
enum ubf_kind { UBF_KIND_LIST(UBF_ENUM_KIND) };
enum ubf_op { UBF_OP_LIST(UBF_ENUM_OP) };
enum ubf_group { UBF_GROUP_LIST(UBF_ENUM_GROUP) };
#define UBF_KIND_COUNT (0 UBF_KIND_LIST(UBF_PLUS_ONE))
#define UBF_OP_COUNT (0 UBF_OP_LIST(UBF_PLUS_ONE))
#undef UBF_ENUM_SHAPE
#undef UBF_ENUM_KIND
#undef UBF_ENUM_OP
#undef UBF_ENUM_GROUP

/* Which field tells rows with the same opcode apart. */
enum ubf_key_field {
	UBF_KEY_NONE,
	UBF_KEY_SRC,
	UBF_KEY_OFF,
	UBF_KEY_IMM,
};

struct ubf_insn_key {
	uint8_t field;	/* enum ubf_key_field */
	int32_t val;
};

struct ubf_insn_desc {
	uint8_t code;
	struct ubf_insn_key key;
	uint8_t shape;	/* enum ubf_shape */
	uint8_t kind;	/* enum ubf_kind */
	uint8_t op;	/* enum ubf_op */
	uint8_t width;
	uint8_t group;	/* enum ubf_group */
	const char *mnemonic;
	const char *name;
	const char *doc;
};

extern const struct ubf_insn_desc ubf_isa_desc[UBF_INSN_COUNT];

/* Names of the small enums, for printing (indexes are the enum values). */
const char *ubf_isa_kind_name(unsigned kind);
const char *ubf_isa_op_name(unsigned op);
const char *ubf_isa_group_name(unsigned group);
const char *ubf_isa_shape_name(unsigned shape);

/* Shape predicates: does this encoding use the field? */
static inline int ubf_shape_has_dst(unsigned shape)
{
	return shape == UBF_SHAPE_DST || shape == UBF_SHAPE_DST_IMM || shape == UBF_SHAPE_DST_SRC ||
	       shape == UBF_SHAPE_DST_IMM_OFF || shape == UBF_SHAPE_DST_SRC_OFF ||
	       shape == UBF_SHAPE_DST_IMM64;
}

static inline int ubf_shape_has_src(unsigned shape)
{
	return shape == UBF_SHAPE_DST_SRC || shape == UBF_SHAPE_DST_SRC_OFF ||
	       shape == UBF_SHAPE_SRC_IMM;
}

static inline int ubf_shape_has_off(unsigned shape)
{
	return shape == UBF_SHAPE_DST_IMM_OFF || shape == UBF_SHAPE_DST_SRC_OFF ||
	       shape == UBF_SHAPE_OFF || shape == UBF_SHAPE_IMM_OFF;
}

static inline int ubf_shape_has_imm(unsigned shape)
{
	return shape == UBF_SHAPE_DST_IMM || shape == UBF_SHAPE_DST_IMM_OFF ||
	       shape == UBF_SHAPE_IMM || shape == UBF_SHAPE_IMM_OFF || shape == UBF_SHAPE_SRC_IMM ||
	       shape == UBF_SHAPE_DST_IMM64;
}

/*
 * ubf_isa_lookup() - the row a raw instruction encodes, by opcode and key
 * field, without checking the other fields.  Return: the id, or -EINVAL
 * when no row matches (unknown opcode or key value).
 */
int ubf_isa_lookup(const struct ubf_raw_insn *in);

/*
 * ubf_isa_decode_one() - the row of insns[idx] with every field checked
 * (reserved fields zero, registers in range, r10 not written, the second
 * slot of an lddw present and zero apart from imm).  Jump ranges need the
 * whole program: see ubf_isa_check().  Return: the id, or -EINVAL with
 * @diag filled (may be NULL).
 */
int ubf_isa_decode_one(const struct ubf_raw_insn *insns, size_t insn_cnt, size_t idx,
		       struct ubf_diag *diag);

/* Number of slots the row takes: 2 for lddw, else 1. */
static inline unsigned ubf_isa_slots(const struct ubf_insn_desc *d)
{
	return d->kind == UBF_KIND_LDDW ? 2 : 1;
}

/*
 * ubf_isa_branch_target() - the absolute target of a jump, local call or
 * lddw of a function at idx (pc + 1 + off, or + imm for ja32, local calls
 * and LDDW_FUNC), as a signed 64-bit value so out-of-range targets can be
 * reported.  Return: 1 when the row has a target, 0 otherwise.
 */
int ubf_isa_branch_target(const struct ubf_insn_desc *d, const struct ubf_raw_insn *in,
			  size_t idx, int64_t *target);

/* Encode: the raw instruction of row @id with its key applied (other fields zero). */
struct ubf_raw_insn ubf_isa_encode(enum ubf_insn_id id);

/*
 * Encode: row @id with its key applied and dst, src, off, imm set where the
 * row's shape uses them (a field that is the row's key keeps the key).
 */
struct ubf_raw_insn ubf_isa_encode_ops(enum ubf_insn_id id, unsigned dst, unsigned src, int16_t off,
				       int32_t imm);

void ubf_diag_set(struct ubf_diag *diag, uint32_t insn_idx, const char *id, const char *fmt, ...)
	UBF_PRINTF(4, 5);

#define UBF_MAX_INSNS 1000000u

#endif /* UBF_ISA_ISA_H */
