/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * asm.h - the assembler's internals, shared by asm.c (lines, tokens,
 * numbers, labels and the conformance syntax) and asm_llvm.c (the LLVM
 * syntax).  Parsing steps record the first error in the state and then do
 * nothing, so a form reads as its sequence of steps, checked once.
 */
#ifndef UBF_ISA_ASM_H
#define UBF_ISA_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "isa/isa.h"
#include "isa/text.h"
#include "util/compiler.h"

#define UBF_ASM_MAX_TOKS 48 /* the longest real line has about 15 */

enum ubf_tok_type { UBF_TOK_END, UBF_TOK_IDENT, UBF_TOK_NUM, UBF_TOK_PUNCT };

struct ubf_tok {
	enum ubf_tok_type type;
	uint32_t col; /* 1-based */
	const char *p;
	size_t len;
	uint64_t val;  /* UBF_TOK_NUM */
	bool overflow; /* UBF_TOK_NUM: more than 64 bits */
	bool is_hex;   /* UBF_TOK_NUM: written 0x... */
};

/* A number as written: magnitude and sign apart, so ranges can be checked. */
struct ubf_num {
	uint64_t mag;
	bool neg;
	bool overflow;
	bool is_hex;
	uint32_t col;
};

struct ubf_asm_label;
struct ubf_asm_fixup;

struct ubf_asm {
	const struct ubf_text_ctx *ctx;
	int err; /* the first error; later steps do nothing */
	uint32_t lineno;
	struct ubf_tok tok[UBF_ASM_MAX_TOKS + 1]; /* the line's tokens, then UBF_TOK_END */
	size_t ntok;
	size_t pos;    /* the cursor in tok[] */
	char what[48]; /* ubf_asm_describe() output */
	struct ubf_raw_insn *insns;
	size_t cnt;
	size_t cap;
	struct ubf_asm_label *labels;
	size_t label_cnt;
	size_t label_cap;
	struct ubf_asm_fixup *fixups;
	size_t fixup_cnt;
	size_t fixup_cap;
	size_t first_exit;		      /* the implicit label "exit", or SIZE_MAX */
	uint16_t by_mnemonic[UBF_INSN_COUNT]; /* row ids sorted by mnemonic, then id */
};

static inline const struct ubf_tok *ubf_asm_peek(const struct ubf_asm *st)
{
	return &st->tok[st->pos];
}

static inline const struct ubf_tok *ubf_asm_peek2(const struct ubf_asm *st)
{
	return st->pos < st->ntok ? &st->tok[st->pos + 1] : &st->tok[st->ntok];
}

/* The current token; the cursor moves past it (never past the end). */
static inline const struct ubf_tok *ubf_asm_take(struct ubf_asm *st)
{
	const struct ubf_tok *t = &st->tok[st->pos];

	if (t->type != UBF_TOK_END)
		st->pos++;
	return t;
}

static inline bool ubf_tok_is(const struct ubf_tok *t, const char *s)
{
	size_t n = strlen(s);

	return (t->type == UBF_TOK_IDENT || t->type == UBF_TOK_PUNCT) && t->len == n &&
	       !memcmp(t->p, s, n);
}

/* Is the token @a followed directly by @b ("le" "16", "xchg" "_64")? */
static inline bool ubf_tok_is2(const struct ubf_tok *t, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	return t->type == UBF_TOK_IDENT && t->len == na + nb && !memcmp(t->p, a, na) &&
	       !memcmp(t->p + na, b, nb);
}

static inline bool ubf_tok_sign(const struct ubf_tok *t)
{
	return ubf_tok_is(t, "+") || ubf_tok_is(t, "-");
}

/* Record the first error, at @col of the current line.  Return: the error. */
int ubf_asm_fail(struct ubf_asm *st, uint32_t col, const char *id, const char *fmt, ...)
	UBF_PRINTF(4, 5);

/* "'r1'" or "end of line", for messages; at most one per message. */
const char *ubf_asm_describe(struct ubf_asm *st, const struct ubf_tok *t);

bool ubf_asm_accept(struct ubf_asm *st, const char *s);
void ubf_asm_expect(struct ubf_asm *st, const char *s);

/* Registers: rN or wN in the LLVM syntax, with the class ('r' or 'w'). */
bool ubf_asm_is_reg(const struct ubf_tok *t);
void ubf_asm_parse_reg(struct ubf_asm *st, unsigned *reg, char *cls);
void ubf_asm_parse_reg_cls(struct ubf_asm *st, char want, unsigned *reg);

/* Numbers: [+|-] NUM, then a checked conversion into a field. */
void ubf_asm_parse_num(struct ubf_asm *st, struct ubf_num *n);
void ubf_asm_to_imm32(struct ubf_asm *st, const struct ubf_num *n, int32_t *out);
void ubf_asm_to_off16(struct ubf_asm *st, const struct ubf_num *n, int16_t *out);
void ubf_asm_to_imm64(struct ubf_asm *st, const struct ubf_num *n, struct ubf_raw_insn in[2]);

/* A jump target (label, +N, -N, pc+N) into off or imm, or a fixup. */
void ubf_asm_parse_target(struct ubf_asm *st, struct ubf_raw_insn *in, bool in_off);
bool ubf_asm_target_in_off(const struct ubf_insn_desc *d);

/* The row of (kind, op, width); @has_src picks register or immediate (-1: either). */
int ubf_asm_find_row(unsigned kind, int op, unsigned width, int has_src);

/* The op whose LLVM spelling (ubf_text_llvm_op()) is the token, or -1. */
int ubf_asm_op(const struct ubf_tok *t);

/* Row @id's encoding with its key, and @dst and @src where the row uses them. */
void ubf_asm_encode(struct ubf_raw_insn in[2], int id, unsigned dst, unsigned src);

/* Append row @id, which must exist (else "no instruction @what"), if nothing follows. */
void ubf_asm_finish(struct ubf_asm *st, int id, const struct ubf_raw_insn in[2], uint32_t col,
		    const char *what);

/* asm_llvm.c: assemble the line at the cursor if it is in the LLVM syntax.  Return: was it? */
bool ubf_asm_llvm(struct ubf_asm *st);

#endif /* UBF_ISA_ASM_H */
