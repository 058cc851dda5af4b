// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_vm_insns.c - what every instruction computes, on every engine: one
 * table of small programs with hand-derived results (RFC 9669 semantics,
 * and Linux's for the rows added since), run on the interpreter's fast and
 * checked instances and on the JIT's trusted and checked modes when the
 * host has a JIT.  A coverage test makes sure every runnable row of the
 * instruction table appears in some case.
 */
#include "test_vm.h"

struct vm_case {
	const char *name;
	const struct tinsn *prog;
	size_t cnt;
	const uint8_t *mem;
	size_t mem_sz;
	uint64_t r0;
	const uint8_t *mem_after;	/* NULL: memory is not checked */
	size_t mem_after_sz;
};

/* r0 = a; r0 op= imm */
#define BIN_K(id, a, i, want) \
	{ #id " " #a " " #i, PROG(LDDW(0, a), ALU_K(id, 0, i), EXIT()), NULL, 0, want, NULL, 0 }
/* r0 = a; r1 = b; r0 op= r1 */
#define BIN_X(id, a, b, want)                                                                  \
	{ #id " " #a " " #b, PROG(LDDW(0, a), LDDW(1, b), ALU_X(id, 0, 1), EXIT()), NULL, 0, want, \
	  NULL, 0 }
/* r0 = a; r0 = op(r0) */
#define UNARY(id, a, want) \
	{ #id " " #a, PROG(LDDW(0, a), I(id, 0, 0, 0, 0), EXIT()), NULL, 0, want, NULL, 0 }
/* r1 = a; r0 = 0; if (r1 op imm) r0 = 1 */
#define JCMP_K(id, a, i, taken)                                                               \
	{ #id " " #a " " #i,                                                                  \
	  PROG(LDDW(1, a), MOV_K(0, 0), JMP_K(id, 1, i, 1), EXIT(), MOV_K(0, 1), EXIT()), NULL, \
	  0, taken, NULL, 0 }
/* r1 = a; r2 = b; r0 = 0; if (r1 op r2) r0 = 1 */
#define JCMP_X(id, a, b, taken)                                                                \
	{ #id " " #a " " #b,                                                                   \
	  PROG(LDDW(1, a), LDDW(2, b), MOV_K(0, 0), JMP_X(id, 1, 2, 1), EXIT(), MOV_K(0, 1),     \
	       EXIT()),                                                                        \
	  NULL, 0, taken, NULL, 0 }

/* The memory most load cases read. */
#define LOAD_MEM                                                                                \
	BYTES(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0xff, 0xfe, 0x80, 0x7f, 0x00, 0x80, \
	      0xff, 0xff)
/* r0 = load(r1 + off) */
#define LOAD(id, off, want) \
	{ #id " " #off, PROG(MEM(id, 0, 1, off), EXIT()), LOAD_MEM, want, NULL, 0 }
#define ZERO8 BYTES(0, 0, 0, 0, 0, 0, 0, 0)
/* store into 8 zero bytes at r1, then r0 = *(u64 *)r1 */
#define STORE_K(id, off, imm, want)                                                          \
	{ #id " " #off " " #imm, PROG(ST_K(id, 1, off, imm), MEM(LDXDW, 0, 1, 0), EXIT()), ZERO8, \
	  want, NULL, 0 }
#define STORE_X(id, off, v, want)                                                       \
	{ #id " " #off " " #v,                                                          \
	  PROG(LDDW(2, v), MEM(id, 1, 2, off), MEM(LDXDW, 0, 1, 0), EXIT()), ZERO8, want, \
	  NULL, 0 }

/*
 * Atomics on the first 8 bytes of a 16-byte memory; afterwards the source
 * register is stored at offset 8, so mem_after shows both the target and
 * what the instruction returned.
 */
#define ATOMIC32_INIT \
	BYTES(0xf0, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0)
#define ATOMIC64_INIT BYTES(1, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0)
#define ATOMIC(id, init, src, ...)                                                         \
	{ #id, PROG(LDDW(2, src), MEM(id, 1, 2, 0), MEM(STXDW, 1, 2, 8), MOV_K(0, 0), EXIT()), \
	  init, 0, BYTES(__VA_ARGS__) }
/* cmpxchg: r0 = expected; afterwards r0 is stored at offset 8 */
#define CMPXCHG(id, init, expected, src, ...)                                             \
	{ #id " " #expected,                                                              \
	  PROG(LDDW(0, expected), LDDW(2, src), MEM(id, 1, 2, 0), MEM(STXDW, 1, 0, 8),        \
	       MOV_K(0, 0), EXIT()),                                                      \
	  init, 0, BYTES(__VA_ARGS__) }

#define ACQ_MEM                                                                                 \
	BYTES(0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, \
	      0xf7, 0xf8)
#define ZERO16 BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
#define STORE_REL(id, off, v, ...)                                                          \
	{ #id, PROG(LDDW(2, v), MEM(id, 1, 2, off), MOV_K(0, 0), EXIT()), ZERO16, 0,         \
	  BYTES(__VA_ARGS__) }

#define PKT_MEM BYTES(0x12, 0x34, 0x56, 0x78, 0x9a)
/* r0 = 99 after the packet load shows whether the program went on. */
#define LDABS(id, imm, want) \
	{ #id " " #imm, PROG(I(id, 0, 0, 0, imm), EXIT()), PKT_MEM, want, NULL, 0 }
#define LDIND(id, r3, imm, want)                                                             \
	{ #id " " #r3 " " #imm, PROG(LDDW(3, r3), I(id, 0, 3, 0, imm), EXIT()), PKT_MEM, want, \
	  NULL, 0 }

static const struct vm_case cases[] = {
	/* ALU64 */
	BIN_X(ADD64_REG, 0xffffffffffffffff, 2, 1),
	BIN_K(ADD64_IMM, 0x100000000, -1, 0xffffffff),
	BIN_X(SUB64_REG, 3, 5, 0xfffffffffffffffe),
	BIN_K(SUB64_IMM, 10, -6, 16),
	BIN_X(MUL64_REG, 0x100000001, 0x100000001, 0x200000001),
	BIN_K(MUL64_IMM, 7, -2, 0xfffffffffffffff2),
	BIN_X(DIV64_REG, 100, 7, 14),
	BIN_X(DIV64_REG, 100, 0, 0),
	BIN_K(DIV64_IMM, 0xffffffffffffffff, -1, 1),
	BIN_K(DIV64_IMM, 0xfffffffffffffffe, -1, 0),
	BIN_K(DIV64_IMM, 100, 0, 0),
	BIN_X(SDIV64_REG, 0xfffffffffffffff9, 2, 0xfffffffffffffffd),
	BIN_X(SDIV64_REG, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000),
	BIN_X(SDIV64_REG, 5, 0, 0),
	BIN_K(SDIV64_IMM, 7, -2, 0xfffffffffffffffd),
	BIN_K(SDIV64_IMM, 0x8000000000000000, -1, 0x8000000000000000),
	BIN_X(MOD64_REG, 100, 7, 2),
	BIN_X(MOD64_REG, 100, 0, 100),
	BIN_K(MOD64_IMM, 5, -1, 5),
	BIN_K(MOD64_IMM, 0xffffffffffffffff, -1, 0),
	BIN_X(SMOD64_REG, 0xfffffffffffffff9, 2, 0xffffffffffffffff),
	BIN_X(SMOD64_REG, 0x8000000000000000, 0xffffffffffffffff, 0),
	BIN_X(SMOD64_REG, 0xfffffffffffffff9, 0, 0xfffffffffffffff9),
	BIN_K(SMOD64_IMM, 7, -2, 1),
	BIN_X(OR64_REG, 0xf0, 0x0f, 0xff),
	BIN_K(OR64_IMM, 0, -1, 0xffffffffffffffff),
	BIN_X(AND64_REG, 0xff00ff, 0x0ff0f0, 0x0f00f0),
	BIN_K(AND64_IMM, 0xffffffffffffffff, -2, 0xfffffffffffffffe),
	BIN_X(XOR64_REG, 0xff, 0x0f, 0xf0),
	BIN_K(XOR64_IMM, 0xffffffff, -1, 0xffffffff00000000),
	BIN_X(LSH64_REG, 1, 65, 2),
	BIN_K(LSH64_IMM, 1, 63, 0x8000000000000000),
	BIN_K(LSH64_IMM, 3, 64, 3),
	BIN_X(RSH64_REG, 0x8000000000000000, 64, 0x8000000000000000),
	BIN_K(RSH64_IMM, 0x8000000000000000, 63, 1),
	BIN_X(ARSH64_REG, 0xffffffffffffff00, 4, 0xfffffffffffffff0),
	BIN_K(ARSH64_IMM, 0x8000000000000000, 63, 0xffffffffffffffff),
	BIN_K(ARSH64_IMM, 0x4000000000000000, 62, 1),
	UNARY(NEG64, 5, 0xfffffffffffffffb),
	UNARY(NEG64, 0x8000000000000000, 0x8000000000000000),
	BIN_K(MOV64_IMM, 0x1234, -1, 0xffffffffffffffff),
	BIN_X(MOV64_REG, 0, 0x123456789abcdef0, 0x123456789abcdef0),
	BIN_X(MOVSX8_64, 0, 0x180, 0xffffffffffffff80),
	BIN_X(MOVSX8_64, 0, 0x7f, 0x7f),
	BIN_X(MOVSX16_64, 0, 0x18000, 0xffffffffffff8000),
	BIN_X(MOVSX32_64, 0, 0x180000000, 0xffffffff80000000),
	BIN_X(MOVSX32_64, 0, 0x7fffffff, 0x7fffffff),

	/* ALU32: low halves, results zero-extended */
	BIN_X(ADD32_REG, 0xaaaaaaaaffffffff, 0x100000001, 0),
	BIN_K(ADD32_IMM, 0x100000005, 3, 8),
	BIN_K(ADD32_IMM, 0xffffffff, 2, 1),
	BIN_X(SUB32_REG, 3, 5, 0xfffffffe),
	BIN_K(SUB32_IMM, 0x100000000, 1, 0xffffffff),
	BIN_X(MUL32_REG, 0x10001, 0x10001, 0x20001),
	BIN_K(MUL32_IMM, 0xffffffff, 3, 0xfffffffd),
	BIN_K(MUL32_IMM, 0x80000000, -1, 0x80000000),
	BIN_X(DIV32_REG, 0x100000064, 7, 14),
	BIN_X(DIV32_REG, 0xffffffff00000064, 0xffffffff00000000, 0),
	BIN_K(DIV32_IMM, 0xfffffffe, -1, 0),
	BIN_K(DIV32_IMM, 0xffffffff, -1, 1),
	BIN_X(SDIV32_REG, 0xfffffff9, 2, 0xfffffffd),
	BIN_X(SDIV32_REG, 0x80000000, 0xffffffff, 0x80000000),
	BIN_X(SDIV32_REG, 0x1234, 0x100000000, 0),
	BIN_K(SDIV32_IMM, 100, -3, 0xffffffdf),
	BIN_K(SDIV32_IMM, 0xffffffff80000000, -1, 0x80000000),
	BIN_X(MOD32_REG, 0x100000064, 7, 2),
	BIN_X(MOD32_REG, 0xaaaaaaaa00000064, 0, 0x64),
	BIN_K(MOD32_IMM, 100, 7, 2),
	BIN_K(MOD32_IMM, 0x1ffffffff, -1, 0),
	BIN_X(SMOD32_REG, 0xfffffff9, 2, 0xffffffff),
	BIN_X(SMOD32_REG, 0xfffffffffffffff9, 0, 0xfffffff9),
	BIN_X(SMOD32_REG, 0x80000000, 0xffffffff, 0),
	BIN_K(SMOD32_IMM, 0xfffffff9, 3, 0xffffffff),
	BIN_K(SMOD32_IMM, 7, -3, 1),
	BIN_X(OR32_REG, 0xffffffff00000000, 1, 1),
	BIN_K(OR32_IMM, 0xffffffff00000000, 0x10, 0x10),
	BIN_X(AND32_REG, 0x1ffffffff, 0xffffffff0000ffff, 0xffff),
	BIN_K(AND32_IMM, 0x1ffffffff, -1, 0xffffffff),
	BIN_X(XOR32_REG, 0xffffffff000000ff, 0x0f, 0xf0),
	BIN_K(XOR32_IMM, 0xffffffff00000000, 0xff, 0xff),
	BIN_X(LSH32_REG, 1, 33, 2),
	BIN_K(LSH32_IMM, 0x100000001, 31, 0x80000000),
	BIN_X(RSH32_REG, 0xffffffff80000000, 32, 0x80000000),
	BIN_K(RSH32_IMM, 0xffffffff80000000, 31, 1),
	BIN_X(ARSH32_REG, 0x80000000, 31, 0xffffffff),
	BIN_K(ARSH32_IMM, 0xffffffff7fffff00, 4, 0x07fffff0),
	BIN_K(ARSH32_IMM, 0x80000000, 4, 0xf8000000),
	UNARY(NEG32, 5, 0xfffffffb),
	UNARY(NEG32, 0xffffffff80000000, 0x80000000),
	BIN_K(MOV32_IMM, 0x1234, -1, 0xffffffff),
	BIN_X(MOV32_REG, 0, 0x123456789, 0x23456789),
	BIN_X(MOVSX8_32, 0, 0x1ff, 0xffffffff),
	BIN_X(MOVSX8_32, 0, 0xffffffff0000007f, 0x7f),
	BIN_X(MOVSX16_32, 0, 0x18000, 0xffff8000),
	BIN_X(MOVSX16_32, 0, 0x7fff, 0x7fff),

	/* Byte order on this little-endian host */
	UNARY(LE16, 0x123456789abcdef0, 0xdef0),
	UNARY(LE32, 0x123456789abcdef0, 0x9abcdef0),
	UNARY(LE64, 0x123456789abcdef0, 0x123456789abcdef0),
	UNARY(BE16, 0x123456789abcdef0, 0xf0de),
	UNARY(BE32, 0x123456789abcdef0, 0xf0debc9a),
	UNARY(BE64, 0x123456789abcdef0, 0xf0debc9a78563412),
	UNARY(BSWAP16, 0x123456789abcdef0, 0xf0de),
	UNARY(BSWAP32, 0x123456789abcdef0, 0xf0debc9a),
	UNARY(BSWAP64, 0x123456789abcdef0, 0xf0debc9a78563412),

	/* Conditional jumps: unsigned, signed, 32-bit views, sign-extended imm */
	JCMP_K(JEQ64_IMM, 5, 5, 1),
	JCMP_K(JEQ64_IMM, 0x100000005, 5, 0),
	JCMP_K(JEQ64_IMM, 0xffffffffffffffff, -1, 1),
	JCMP_X(JEQ64_REG, 7, 7, 1),
	JCMP_X(JEQ64_REG, 7, 0x100000007, 0),
	JCMP_K(JEQ32_IMM, 0x100000005, 5, 1),
	JCMP_K(JEQ32_IMM, 0xffffffff, -1, 1),
	JCMP_X(JEQ32_REG, 0x100000007, 0x200000007, 1),
	JCMP_X(JEQ32_REG, 7, 8, 0),
	JCMP_K(JNE64_IMM, 0x100000005, 5, 1),
	JCMP_K(JNE64_IMM, 5, 5, 0),
	JCMP_X(JNE64_REG, 1, 2, 1),
	JCMP_X(JNE64_REG, 2, 2, 0),
	JCMP_K(JNE32_IMM, 0x100000005, 5, 0),
	JCMP_K(JNE32_IMM, 6, 5, 1),
	JCMP_X(JNE32_REG, 0x100000007, 7, 0),
	JCMP_X(JNE32_REG, 1, 2, 1),
	JCMP_K(JGT64_IMM, 0xffffffffffffffff, 1, 1),
	JCMP_K(JGT64_IMM, 1, -1, 0),
	JCMP_K(JGT64_IMM, 5, 5, 0),
	JCMP_X(JGT64_REG, 2, 1, 1),
	JCMP_X(JGT64_REG, 1, 2, 0),
	JCMP_K(JGT32_IMM, 0x100000000, 1, 0),
	JCMP_K(JGT32_IMM, 0xffffffff, 1, 1),
	JCMP_X(JGT32_REG, 0x200000001, 0x100000002, 0),
	JCMP_X(JGT32_REG, 3, 2, 1),
	JCMP_K(JGE64_IMM, 5, 5, 1),
	JCMP_K(JGE64_IMM, 4, 5, 0),
	JCMP_X(JGE64_REG, 5, 5, 1),
	JCMP_X(JGE64_REG, 4, 5, 0),
	JCMP_K(JGE32_IMM, 0x100000005, 5, 1),
	JCMP_K(JGE32_IMM, 0x100000004, 5, 0),
	JCMP_X(JGE32_REG, 0x100000005, 5, 1),
	JCMP_X(JGE32_REG, 4, 0x100000005, 0),
	JCMP_K(JLT64_IMM, 1, -1, 1),
	JCMP_K(JLT64_IMM, 5, 5, 0),
	JCMP_X(JLT64_REG, 1, 2, 1),
	JCMP_X(JLT64_REG, 2, 1, 0),
	JCMP_K(JLT32_IMM, 0x100000002, 3, 1),
	JCMP_K(JLT32_IMM, 3, 3, 0),
	JCMP_X(JLT32_REG, 0x100000002, 3, 1),
	JCMP_X(JLT32_REG, 4, 0x100000003, 0),
	JCMP_K(JLE64_IMM, 5, 5, 1),
	JCMP_K(JLE64_IMM, 6, 5, 0),
	JCMP_X(JLE64_REG, 5, 5, 1),
	JCMP_X(JLE64_REG, 0x100000000, 1, 0),
	JCMP_K(JLE32_IMM, 0x100000000, 0, 1),
	JCMP_K(JLE32_IMM, 1, 0, 0),
	JCMP_X(JLE32_REG, 0x100000005, 5, 1),
	JCMP_X(JLE32_REG, 6, 5, 0),
	JCMP_K(JSET64_IMM, 6, 2, 1),
	JCMP_K(JSET64_IMM, 0x100000000, -1, 1),
	JCMP_K(JSET64_IMM, 4, 3, 0),
	JCMP_X(JSET64_REG, 0x100000000, 0x100000000, 1),
	JCMP_X(JSET64_REG, 1, 2, 0),
	JCMP_K(JSET32_IMM, 0x100000000, -1, 0),
	JCMP_K(JSET32_IMM, 6, 2, 1),
	JCMP_X(JSET32_REG, 0x100000000, 0x100000000, 0),
	JCMP_X(JSET32_REG, 3, 0x100000001, 1),
	JCMP_K(JSGT64_IMM, 0xffffffffffffffff, -2, 1),
	JCMP_K(JSGT64_IMM, 0xffffffffffffffff, 1, 0),
	JCMP_X(JSGT64_REG, 1, 0xffffffffffffffff, 1),
	JCMP_X(JSGT64_REG, 0x8000000000000000, 0x7fffffffffffffff, 0),
	JCMP_K(JSGT32_IMM, 0xffffffff, 0, 0),
	JCMP_K(JSGT32_IMM, 0x100000000, -1, 1),
	JCMP_K(JSGT32_IMM, 0x7fffffff, 0, 1),
	JCMP_X(JSGT32_REG, 0x80000000, 0x7fffffff, 0),
	JCMP_X(JSGT32_REG, 1, 0xffffffff, 1),
	JCMP_K(JSGE64_IMM, 0xfffffffffffffffe, -2, 1),
	JCMP_K(JSGE64_IMM, 0xfffffffffffffffd, -2, 0),
	JCMP_X(JSGE64_REG, 0, 0xffffffffffffffff, 1),
	JCMP_X(JSGE64_REG, 0xffffffffffffffff, 0, 0),
	JCMP_K(JSGE32_IMM, 0xfffffffe, -2, 1),
	JCMP_K(JSGE32_IMM, 0x80000000, 0, 0),
	JCMP_X(JSGE32_REG, 0x100000000, 0xffffffff, 1),
	JCMP_X(JSGE32_REG, 0xffffffff, 0, 0),
	JCMP_K(JSLT64_IMM, 0xffffffffffffffff, 0, 1),
	JCMP_K(JSLT64_IMM, 0, -1, 0),
	JCMP_X(JSLT64_REG, 0x8000000000000000, 0, 1),
	JCMP_X(JSLT64_REG, 1, 1, 0),
	JCMP_K(JSLT32_IMM, 0x80000000, 0, 1),
	JCMP_K(JSLT32_IMM, 0xffffffff00000000, -1, 0),
	JCMP_X(JSLT32_REG, 0xffffffff, 0, 1),
	JCMP_X(JSLT32_REG, 0x7fffffff, 0x80000000, 0),
	JCMP_K(JSLE64_IMM, 0xffffffffffffffff, -1, 1),
	JCMP_K(JSLE64_IMM, 0, -1, 0),
	JCMP_X(JSLE64_REG, 0xfffffffffffffffb, 0xfffffffffffffffc, 1),
	JCMP_X(JSLE64_REG, 5, 0xfffffffffffffffc, 0),
	JCMP_K(JSLE32_IMM, 0xffffffff, -1, 1),
	JCMP_K(JSLE32_IMM, 1, 0, 0),
	JCMP_X(JSLE32_REG, 0x80000000, 0x80000000, 1),
	JCMP_X(JSLE32_REG, 0, 0xffffffff, 0),

	/* Unconditional jumps and a backward loop: 10 iterations of r0 += 3 */
	{ "JA forward", PROG(MOV_K(0, 1), I(JA, 0, 0, 1, 0), MOV_K(0, 2), EXIT()), NULL, 0, 1,
	  NULL, 0 },
	{ "JA32 forward", PROG(MOV_K(0, 1), I(JA32, 0, 0, 0, 1), MOV_K(0, 2), EXIT()), NULL, 0, 1,
	  NULL, 0 },
	{ "loop", PROG(MOV_K(0, 0), MOV_K(1, 10), ALU_K(ADD64_IMM, 0, 3), ALU_K(SUB64_IMM, 1, 1),
		       JMP_K(JNE64_IMM, 1, 0, -3), EXIT()),
	  NULL, 0, 30, NULL, 0 },
	{ "JA32 backward", PROG(MOV_K(0, 0), I(JA32, 0, 0, 0, 2), ALU_K(ADD64_IMM, 0, 1), EXIT(),
			       JMP_K(JEQ64_IMM, 0, 0, -3), EXIT()),
	  NULL, 0, 1, NULL, 0 },

	/* may_goto: falls through UBF_MAY_GOTO_BUDGET times per run, then jumps */
	{ "MAY_GOTO first time falls through",
	  PROG(MOV_K(0, 1), I(MAY_GOTO, 0, 0, 1, 0), MOV_K(0, 2), EXIT()), NULL, 0, 2, NULL, 0 },
	{ "MAY_GOTO loop", PROG(MOV_K(0, 0), I(MAY_GOTO, 0, 0, 2, 0), ALU_K(ADD64_IMM, 0, 1),
				I(JA, 0, 0, -3, 0), EXIT()),
	  NULL, 0, 0x800000, NULL, 0 },

	/* lddw joins its halves; the low half is not sign-extended */
	{ "LDDW", PROG(LDDW(0, 0x123456789abcdef0), EXIT()), NULL, 0, 0x123456789abcdef0, NULL,
	  0 },
	{ "LDDW low half with bit 31", PROG(LDDW(0, 0x80000000), EXIT()), NULL, 0, 0x80000000,
	  NULL, 0 },
	{ "LDDW high half only", PROG(LDDW(0, 0xffffffff00000000), EXIT()), NULL, 0,
	  0xffffffff00000000, NULL, 0 },

	/* Loads, little-endian, unaligned allowed; sign-extending loads */
	LOAD(LDXB, 2, 0x33),
	LOAD(LDXH, 1, 0x3322),
	LOAD(LDXW, 4, 0x88776655),
	LOAD(LDXDW, 0, 0x8877665544332211),
	LOAD(LDXDW, 8, 0xffff80007f80feff),
	LOAD(LDXSB, 8, 0xffffffffffffffff),
	LOAD(LDXSB, 11, 0x7f),
	LOAD(LDXSH, 9, 0xffffffffffff80fe),
	LOAD(LDXSH, 0, 0x2211),
	LOAD(LDXSW, 12, 0xffffffffffff8000),
	LOAD(LDXSW, 0, 0x44332211),
	{ "LDXDW negative offset",
	  PROG(MOV_X(2, 1), ALU_K(ADD64_IMM, 2, 16), MEM(LDXDW, 0, 2, -8), EXIT()), LOAD_MEM,
	  0xffff80007f80feff, NULL, 0 },

	/* Stores: immediates sign-extended then truncated; registers truncated */
	STORE_K(STB, 1, 0x1ab, 0xab00),
	STORE_K(STH, 2, -2, 0xfffe0000),
	STORE_K(STW, 4, 0x12345678, 0x1234567800000000),
	STORE_K(STDW, 0, -2, 0xfffffffffffffffe),
	STORE_X(STXB, 7, 0x1234, 0x3400000000000000),
	STORE_X(STXH, 0, 0x12345, 0x2345),
	STORE_X(STXW, 1, 0x1122334455, 0x2233445500),
	STORE_X(STXDW, 0, 0x0102030405060708, 0x0102030405060708),
	{ "stack store and partial load",
	  PROG(LDDW(2, 0x1122334455667788), MEM(STXDW, 10, 2, -16), MEM(LDXW, 0, 10, -12),
	       EXIT()),
	  NULL, 0, 0x11223344, NULL, 0 },

	/* Atomics, 32-bit: low word only, fetched values zero-extended */
	ATOMIC(ATOMIC32_ADD, ATOMIC32_INIT, 0xffffffff0000001f,
	       0x0f, 0x01, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0x1f, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
	ATOMIC(ATOMIC32_FETCH_ADD, ATOMIC32_INIT, 0xffffffff0000001f,
	       0x0f, 0x01, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),
	ATOMIC(ATOMIC32_OR, ATOMIC32_INIT, 0xffffffff0000001f,
	       0xff, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0x1f, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
	ATOMIC(ATOMIC32_FETCH_OR, ATOMIC32_INIT, 0xffffffff0000001f,
	       0xff, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),
	ATOMIC(ATOMIC32_AND, ATOMIC32_INIT, 0xffffffff0000001f,
	       0x10, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0x1f, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
	ATOMIC(ATOMIC32_FETCH_AND, ATOMIC32_INIT, 0xffffffff0000001f,
	       0x10, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),
	ATOMIC(ATOMIC32_XOR, ATOMIC32_INIT, 0xffffffff0000001f,
	       0xef, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0x1f, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
	ATOMIC(ATOMIC32_FETCH_XOR, ATOMIC32_INIT, 0xffffffff0000001f,
	       0xef, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),
	ATOMIC(ATOMIC32_XCHG, ATOMIC32_INIT, 0xffffffff0000001f,
	       0x1f, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),
	CMPXCHG(ATOMIC32_CMPXCHG, ATOMIC32_INIT, 0x12345678000000f0, 0x1f,
		0x1f, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),
	CMPXCHG(ATOMIC32_CMPXCHG, ATOMIC32_INIT, 0xf1, 0x1f,
		0xf0, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa, 0xf0, 0, 0, 0, 0, 0, 0, 0),

	/* Atomics, 64-bit */
	ATOMIC(ATOMIC64_ADD, ATOMIC64_INIT, 0x8000000000000003,
	       4, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_FETCH_ADD, ATOMIC64_INIT, 0x8000000000000003,
	       4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_OR, ATOMIC64_INIT, 0x8000000000000003,
	       3, 0, 0, 0, 0, 0, 0, 0x80, 3, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_FETCH_OR, ATOMIC64_INIT, 0x8000000000000003,
	       3, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_AND, ATOMIC64_INIT, 0x8000000000000003,
	       1, 0, 0, 0, 0, 0, 0, 0x80, 3, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_FETCH_AND, ATOMIC64_INIT, 0x8000000000000003,
	       1, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_XOR, ATOMIC64_INIT, 0x8000000000000003,
	       2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_FETCH_XOR, ATOMIC64_INIT, 0x8000000000000003,
	       2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x80),
	ATOMIC(ATOMIC64_XCHG, ATOMIC64_INIT, 0x8000000000000003,
	       3, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0x80),
	CMPXCHG(ATOMIC64_CMPXCHG, ATOMIC64_INIT, 0x8000000000000001, 0x8000000000000003,
		3, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0x80),
	CMPXCHG(ATOMIC64_CMPXCHG, ATOMIC64_INIT, 1, 0x8000000000000003,
		1, 0, 0, 0, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0x80),

	/* Load-acquire (zero-extending) and store-release, each size */
	{ "LOAD_ACQ_B", PROG(MEM(LOAD_ACQ_B, 0, 1, 0), EXIT()), ACQ_MEM, 0x81, NULL, 0 },
	{ "LOAD_ACQ_H", PROG(MEM(LOAD_ACQ_H, 0, 1, 2), EXIT()), ACQ_MEM, 0x8483, NULL, 0 },
	{ "LOAD_ACQ_W", PROG(MEM(LOAD_ACQ_W, 0, 1, 4), EXIT()), ACQ_MEM, 0x88878685, NULL, 0 },
	{ "LOAD_ACQ_DW", PROG(MEM(LOAD_ACQ_DW, 0, 1, 8), EXIT()), ACQ_MEM, 0xf8f7f6f5f4f3f2f1,
	  NULL, 0 },
	STORE_REL(STORE_REL_B, 1, 0x1ff, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	STORE_REL(STORE_REL_H, 2, 0x12345, 0, 0, 0x45, 0x23, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	STORE_REL(STORE_REL_W, 4, 0x123456789,
		  0, 0, 0, 0, 0x89, 0x67, 0x45, 0x23, 0, 0, 0, 0, 0, 0, 0, 0),
	STORE_REL(STORE_REL_DW, 8, 0x0102030405060708,
		  0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1),

	/* Legacy packet loads: big-endian; out of bounds ends the program with r0 = 0 */
	LDABS(LDABSB, 1, 0x34),
	LDABS(LDABSB, 4, 0x9a),
	LDABS(LDABSH, 1, 0x3456),
	LDABS(LDABSW, 1, 0x3456789a),
	LDIND(LDINDB, 0x100000000, 0, 0x12),
	LDIND(LDINDH, 2, 1, 0x789a),
	LDIND(LDINDW, 0xffffffffffffffff, 2, 0x3456789a),
	{ "LDABSW past the end", PROG(I(LDABSW, 0, 0, 0, 2), MOV_K(0, 99), EXIT()), PKT_MEM, 0,
	  NULL, 0 },
	{ "LDABSB past the end", PROG(I(LDABSB, 0, 0, 0, 5), MOV_K(0, 99), EXIT()), PKT_MEM, 0,
	  NULL, 0 },
	{ "LDABSH negative", PROG(I(LDABSH, 0, 0, 0, -1), MOV_K(0, 99), EXIT()), PKT_MEM, 0, NULL,
	  0 },
	{ "LDINDB past the end", PROG(MOV_K(3, 4), I(LDINDB, 0, 3, 0, 1), MOV_K(0, 99), EXIT()),
	  PKT_MEM, 0, NULL, 0 },
	{ "LDABSB without a packet", PROG(I(LDABSB, 0, 0, 0, 0), MOV_K(0, 99), EXIT()), NULL, 0,
	  0, NULL, 0 },
	{ "LDABS past the end in a subprogram ends the program",
	  PROG(CALL_LOCAL(2), MOV_K(0, 7), EXIT(), I(LDABSW, 0, 0, 0, 4), EXIT()), PKT_MEM, 0,
	  NULL, 0 },

	/* Helper calls: ktime_get_ns is never 0; r1 = -1 is ignored */
	{ "CALL_HELPER ktime_get_ns",
	  PROG(CALL(5), MOV_X(1, 0), MOV_K(0, 0), JMP_K(JEQ64_IMM, 1, 0, 1), MOV_K(0, 1), EXIT()),
	  NULL, 0, 1, NULL, 0 },
	{ "call_unwind_fail", PROG(MOV_K(1, -1), CALL(5), MOV_K(0, 2), EXIT()), NULL, 0, 2, NULL,
	  0 },
	{ "CALLX ktime_get_ns",
	  PROG(MOV_K(1, -1), MOV_K(2, 5), I(CALLX, 2, 0, 0, 0), MOV_X(1, 0), MOV_K(0, 0),
	       JMP_K(JEQ64_IMM, 1, 0, 1), MOV_K(0, 1), EXIT()),
	  NULL, 0, 1, NULL, 0 },

	/* bpf-to-bpf calls: r1-r5 passed, r6-r9 preserved, a new frame 512 bytes down */
	{ "CALL_LOCAL args and result",
	  PROG(MOV_K(6, 7), MOV_K(1, 5), CALL_LOCAL(2), ALU_X(ADD64_REG, 0, 6), EXIT(),
	       MOV_K(6, 100), MOV_X(0, 1), ALU_K(ADD64_IMM, 0, 1), EXIT()),
	  NULL, 0, 13, NULL, 0 },
	{ "CALL_LOCAL frames",
	  PROG(ST_K(STDW, 10, -8, 1), CALL_LOCAL(6), MEM(LDXDW, 2, 10, -8), MOV_X(3, 10),
	       ALU_X(SUB64_REG, 3, 0), ALU_X(ADD64_REG, 3, 2), MOV_X(0, 3), EXIT(),
	       ST_K(STDW, 10, -8, 50), MOV_X(0, 10), EXIT()),
	  NULL, 0, 513, NULL, 0 },
	{ "CALL_LOCAL nested restores r6-r9",
	  PROG(MOV_K(6, 1), MOV_K(7, 0x10), MOV_K(8, 0x100), MOV_K(9, 0x1000), CALL_LOCAL(5),
	       ALU_X(ADD64_REG, 0, 6), ALU_X(ADD64_REG, 0, 7), ALU_X(ADD64_REG, 0, 8),
	       ALU_X(ADD64_REG, 0, 9), EXIT(), MOV_K(6, 0xffff), MOV_K(7, 0xffff),
	       MOV_K(8, 0xffff), MOV_K(9, 0xffff), CALL_LOCAL(1), EXIT(), MOV_K(0, 0x10000),
	       EXIT()),
	  NULL, 0, 0x11111, NULL, 0 },

	/* Entry state: r1 = mem, r2 = mem_sz, r10 16-aligned; exit returns r0 */
	{ "r2 is the memory size", PROG(MOV_X(0, 2), EXIT()), LOAD_MEM, 16, NULL, 0 },
	{ "r10 is 16-aligned", PROG(MOV_X(0, 10), ALU_K(AND64_IMM, 0, 15), EXIT()), NULL, 0, 0,
	  NULL, 0 },
	{ "EXIT", PROG(MOV_K(0, 42), EXIT(), MOV_K(0, 43), EXIT()), NULL, 0, 42, NULL, 0 },
};

static void hex(char *buf, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 32; i++)
		sprintf(buf + 3 * i, "%02x ", p[i]);
	buf[3 * i] = '\0';
}

static void run_case(const struct vm_engine *e, const struct vm_case *c)
{
	struct ubf_diag diag = { .id = NULL };
	uint8_t out[64] = { 0 };
	uint64_t r0 = 0xdeadbeef;
	int err;

	err = vm_run(e, c->prog, c->cnt, NULL, c->mem, c->mem_sz, out, &r0, &diag);
	if (err) {
		ubf_test_fail(__FILE__, __LINE__, "%s on %s: error %d (%s: %s)", c->name, e->name,
			      err, diag.id ? diag.id : "-", diag.msg);
		return;
	}
	if (r0 != c->r0)
		ubf_test_fail(__FILE__, __LINE__, "%s on %s: r0 0x%" PRIx64 ", expected 0x%" PRIx64,
			      c->name, e->name, r0, c->r0);
	if (c->mem_after && memcmp(out, c->mem_after, c->mem_after_sz)) {
		char got[100], want[100];

		hex(got, out, c->mem_after_sz);
		hex(want, c->mem_after, c->mem_after_sz);
		ubf_test_fail(__FILE__, __LINE__, "%s on %s: memory %s, expected %s", c->name,
			      e->name, got, want);
	}
}

static void run_cases(unsigned engine)
{
	const struct vm_engine *e = &vm_engines[engine];
	size_t i;

	if (!vm_engine_available(e))
		SKIP("no JIT back end on this host");
	for (i = 0; i < UBF_ARRAY_SIZE(cases); i++)
		run_case(e, &cases[i]);
}

TEST(vm_insns_interp_fast)
{
	run_cases(VM_INTERP_FAST);
}

TEST(vm_insns_interp_checked)
{
	run_cases(VM_INTERP_CHECKED);
}

TEST(vm_insns_switch_fast)
{
	run_cases(VM_SWITCH_FAST);
}

TEST(vm_insns_switch_checked)
{
	run_cases(VM_SWITCH_CHECKED);
}

TEST(vm_insns_jit_trusted)
{
	run_cases(VM_JIT_TRUSTED);
}

TEST(vm_insns_jit_checked)
{
	run_cases(VM_JIT_CHECKED);
}

/*
 * Every row of the table that a program can run appears in some case.  The
 * lddw pseudo forms and kfunc calls are rejected at load (test_vm_prog.c).
 */
TEST(vm_insns_cover_every_runnable_row)
{
	bool covered[UBF_INSN_COUNT] = { false };
	size_t i, j;

	for (i = 0; i < UBF_ARRAY_SIZE(cases); i++) {
		for (j = 0; j < cases[i].cnt; j++)
			covered[cases[i].prog[j].id] = true;
	}
	for (i = 0; i < UBF_INSN_COUNT; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[i];

		if ((d->kind == UBF_KIND_LDDW && d->op != UBF_OP_IMM) || d->op == UBF_OP_KFUNC)
			continue;
		if (!covered[i])
			ubf_test_fail(__FILE__, __LINE__, "row %s has no case", d->name);
	}
}
