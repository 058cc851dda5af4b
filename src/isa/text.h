/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * text.h - what the assembler, the disassembler and the .data reader share:
 * the spelling of each operation in the LLVM syntax (indexed by enum
 * ubf_op, so both directions read one table), the keywords of the lddw
 * pseudo forms, diagnostics that name file:line:col, and the assembler's
 * entry point with a first line number so that errors inside a .data file
 * name the file's own line.  Internal to src/isa/.
 */
#ifndef UBF_ISA_TEXT_H
#define UBF_ISA_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <userbpf/insn.h>
#include <userbpf/log.h>

#include "isa/isa.h"
#include "util/compiler.h"

/*
 * ubf_text_llvm_op() - the LLVM-syntax spelling of @op, or NULL when the op
 * has none of its own: the compound operator of ALU ops ("+=", "s>>="), the
 * condition of jumps ("s<="), the cast of sign-extending moves ("(s8)"), the
 * word of byte swaps ("le", "bswap"), the function of atomics
 * ("atomic_fetch_add", "xchg", "load_acquire") and the keyword of lddw
 * pseudo forms ("map_fd").  Atomic add/or/and/xor share the ALU operators.
 */
const char *ubf_text_llvm_op(unsigned op);

/* Does this lddw pseudo form use the second slot's imm (a value offset)? */
static inline int ubf_text_has_next_imm(unsigned op)
{
	return op == UBF_OP_MAP_VALUE || op == UBF_OP_MAP_IDX_VALUE;
}

/* Which rows are lddw pseudo forms, i.e. written as a keyword and a number. */
static inline int ubf_text_is_pseudo(const struct ubf_insn_desc *d)
{
	return d->kind == UBF_KIND_LDDW && d->op != UBF_OP_IMM;
}

/*
 * ubf_text_next_line() - the line at *@pos of @text, without its '\n' or a
 * trailing '\r'; *@pos moves past it.  The text need not end in '\n' or NUL.
 * Return: 0 at the end of the text, else 1.
 */
static inline int ubf_text_next_line(const char *text, size_t text_len, size_t *pos,
				     const char **line, size_t *len)
{
	size_t start = *pos, end = start;

	if (start >= text_len)
		return 0;
	while (end < text_len && text[end] != '\n')
		end++;
	*pos = end < text_len ? end + 1 : end;
	if (end > start && text[end - 1] == '\r')
		end--;
	*line = text + start;
	*len = end - start;
	return 1;
}

/* Where an assembler or .data error is reported, and under which name. */
struct ubf_text_ctx {
	const char *file_name; /* never NULL: "<input>" by default */
	struct ubf_diag *diag; /* may be NULL */
};

/*
 * ubf_text_error() - fill the diagnostic: @id, @line, @col (1-based), and a
 * message "file:line:col: ..." from @fmt.  Return: -EINVAL, for tail calls.
 */
int ubf_text_error(const struct ubf_text_ctx *ctx, uint32_t line, uint32_t col, uint32_t insn_idx,
		   const char *id, const char *fmt, ...) UBF_PRINTF(6, 7);

/*
 * ubf_text_asm() - ubf_asm_parse() on a part of a file whose first line is
 * @first_line; on success *@insnsp (malloc'd, at least one element even for
 * an empty program) and *@insn_cntp belong to the caller.
 * Return: 0, -EINVAL (diagnostic filled), -E2BIG or -ENOMEM.
 */
int ubf_text_asm(const char *text, size_t text_len, uint32_t first_line,
		 const struct ubf_text_ctx *ctx, struct ubf_raw_insn **insnsp, size_t *insn_cntp);

#endif /* UBF_ISA_TEXT_H */
