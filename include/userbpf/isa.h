/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * isa.h - the instruction set as data, for tools: one row per encoding,
 * the validator, the assembler (two syntaxes), the disassembler, and the
 * reader of the conformance suite's .data files.
 */
#ifndef USERBPF_ISA_H
#define USERBPF_ISA_H

#include <userbpf/common.h>
#include <userbpf/insn.h>
#include <userbpf/log.h>

UBF_EXTERN_C_BEGIN

/**
 * struct ubf_isa_row - one encoding of the instruction table, as text
 * @name:     row identifier, e.g. "SDIV64_REG"
 * @code:     opcode byte
 * @key:      the field that tells rows with the same @code apart, e.g.
 *            "src=1", "off=1", "imm=0xe1", or "" when the code suffices
 * @shape:    operand fields in use, e.g. "dst,src,off"
 * @kind:     instruction family, e.g. "alu", "jmp", "atomic"
 * @op:       operation within the family, e.g. "sdiv"
 * @width:    32 or 64 for ALU and jumps; access size in bytes for memory
 * @group:    conformance group (RFC 9669 section 2.2), e.g. "divmul64"
 * @mnemonic: conformance-syntax mnemonic
 * @doc:      one-line semantics
 * @example:  an encoding of the row (dst r1, src r2, off +1, imm 1 where
 *            those fields are used), two slots for lddw, to disassemble
 */
struct ubf_isa_row {
	const char *name;
	uint8_t code;
	char key[16];
	const char *shape;
	const char *kind;
	const char *op;
	unsigned width;
	const char *group;
	const char *mnemonic;
	const char *doc;
	struct ubf_raw_insn example[2];
};

/** ubf_isa_row_cnt() - number of rows in the instruction table */
UBF_API size_t ubf_isa_row_cnt(void);

/**
 * ubf_isa_row() - describe row @idx
 *
 * Return: 0, or -ENOENT when @idx is past the end.
 */
UBF_API int ubf_isa_row(size_t idx, struct ubf_isa_row *row);

/**
 * ubf_isa_check() - validate a whole program's encoding
 * @insns, @insn_cnt: the program
 * @diag: on failure, names the instruction and the field; may be NULL
 *
 * Checks every field against the table (unknown opcodes, reserved fields
 * that are not zero, r10 written, registers above r10), jumps out of range
 * or into the second slot of an lddw, and an lddw cut off at the end.
 *
 * Return: 0, -EINVAL, or -E2BIG for more than 1,000,000 slots.
 */
UBF_API int ubf_isa_check(const struct ubf_raw_insn *insns, size_t insn_cnt,
			  struct ubf_diag *diag);

enum ubf_syntax {
	UBF_SYNTAX_LLVM = 0,	    /* "r0 = *(u32 *)(r1 + 4)", as llvm-objdump prints */
	UBF_SYNTAX_CONFORMANCE = 1, /* "ldxw %r0, [%r1+4]", as the conformance suite writes */
	UBF_SYNTAX_BPFTOOL = 2,	    /* "(61) r0 = *(u32 *)(r1 +4)", as Linux's verifier log and
				       bpftool's dump xlated print (output only) */
};

/**
 * struct ubf_asm_opts - assembler options
 * @sz:        sizeof(struct ubf_asm_opts)
 * @file_name: used in messages; NULL: "<input>"
 * @diag:      on failure: id, line, col and a message naming file:line:col
 */
struct ubf_asm_opts {
	size_t sz;
	const char *file_name;
	struct ubf_diag *diag;
};

/**
 * ubf_asm_parse() - assemble text in either syntax (mixed freely, line by line)
 * @text, @text_len: the source; need not be NUL-terminated
 * @insnsp:    on success, a malloc'd array owned by the caller (free())
 * @insn_cntp: on success, the number of slots in *@insnsp
 * @opts:      may be NULL
 *
 * Return: 0, -EINVAL with the diagnostic filled, or -ENOMEM.
 */
UBF_API int ubf_asm_parse(const char *text, size_t text_len, struct ubf_raw_insn **insnsp,
			  size_t *insn_cntp, const struct ubf_asm_opts *opts);

/**
 * ubf_disasm_insn() - print the instruction at @idx
 * @insns, @insn_cnt: the program (an lddw needs its second slot)
 * @idx:    instruction to print
 * @syntax: enum ubf_syntax
 * @buf, @buf_sz: output, always NUL-terminated when @buf_sz > 0
 *
 * An encoding that is not in the table prints as "<unknown>".
 *
 * Return: the number of slots the instruction takes (1, or 2 for lddw),
 * or -EINVAL when @idx is out of range or @buf_sz is 0.
 */
UBF_API int ubf_disasm_insn(const struct ubf_raw_insn *insns, size_t insn_cnt, size_t idx,
			    enum ubf_syntax syntax, char *buf, size_t buf_sz);

/**
 * struct ubf_data_file - one conformance test (.data file), parsed
 * @insns, @insn_cnt: the program, from "-- asm" or "-- raw"
 * @mem, @mem_sz:     the "-- mem" bytes (NULL, 0 when absent)
 * @has_result:       a "-- result" section was present
 * @result:           its value
 * @error:            the "-- error" text (NULL when absent; "" when empty)
 */
struct ubf_data_file {
	struct ubf_raw_insn *insns;
	size_t insn_cnt;
	uint8_t *mem;
	size_t mem_sz;
	bool has_result;
	uint64_t result;
	char *error;
};

/**
 * ubf_data_parse() - read a conformance .data file
 * @text, @text_len: file contents
 * @df:   on success, owned by the caller; release with ubf_data_free()
 * @opts: file name and diagnostic, as for the assembler; may be NULL
 *
 * Return: 0, -EINVAL (bad section, bad hex, assembler error), -ENOMEM.
 */
UBF_API int ubf_data_parse(const char *text, size_t text_len, struct ubf_data_file *df,
			   const struct ubf_asm_opts *opts);

/** ubf_data_free() - release what ubf_data_parse() allocated; accepts a zeroed struct */
UBF_API void ubf_data_free(struct ubf_data_file *df);

UBF_EXTERN_C_END

#endif /* USERBPF_ISA_H */
