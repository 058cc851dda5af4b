// SPDX-License-Identifier: BSD-2-Clause
/*
 * asm.c - text to raw instructions, in two syntaxes mixed freely line by
 * line: the conformance suite's ("ldxw %r0, [%r1+4]") and LLVM's ("r0 =
 * *(u32 *)(r1 + 4)", as llvm-objdump and Linux verifier logs print it).
 * This file holds lines, tokens, numbers, labels and the conformance
 * syntax, whose lines name their row by the table's mnemonic and the kinds
 * of their operands; asm_llvm.c parses LLVM lines by form and takes the row
 * with that (kind, op, width).  Numeric jump offsets are encoded as written:
 * whether a target lies inside the program is for the decoder to say.
 *
 * Spellings with no upstream syntax, chosen here (disasm.c prints them):
 *
 *   conformance                       LLVM
 *   lddw %r1, map_fd 3                r1 = map_fd[3]              lddw src 1
 *   lddw %r1, map_value 3, 8          r1 = map_value[3]+8         lddw src 2
 *   lddw %r1, btf_id 7                r1 = btf_id[7]              lddw src 3
 *   lddw %r1, func +5 / func lbl      r1 = func[pc+5] / func[lbl] lddw src 4
 *   lddw %r1, map_idx 0               r1 = map_idx[0]             lddw src 5
 *   lddw %r1, map_idx_value 0, 8      r1 = map_idx_value[0]+8     lddw src 6
 *   call kfunc 7 [, 2]                call kfunc 7 [, 2]          BTF id, module BTF (off)
 *   call local +5 / call local lbl    call pc+5 / call lbl        as Linux logs print it
 *   call %r2 (or callx %r2)           callx r2                    callx: dst register
 *   ldabsw 12 / ldindw %r1, 4         r0 = *(u32 *)skb[12] / skb[r1 + 4]
 *   ldacqw %r1, [%r2+0]               w1 = load_acquire((u32 *)(r2 + 0))
 *   strelw [%r1+0], %r2               store_release((u32 *)(r1 + 0), w2)
 *   may_goto +3                       may_goto +3
 *
 * The second number of map_value and map_idx_value may be left out (0).
 * swap16/32/64 are accepted for bswap16/32/64.  Comments start with '#' or
 * ';'.  A label is "name:" at the start of a line; a target is a label, +N,
 * -N or (LLVM lines) pc+N.  An immediate takes a 32-bit signed value, or in
 * hex also an unsigned one (0xffffffff is -1); lddw takes 64-bit values; an
 * offset takes a 16-bit signed one.  As in the suite's own assembler, a
 * target named "exit" that is not a label means the first exit.
 */
#include "isa/asm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

#include "util/opts.h"

#define MAX_OPDS 4

/* A conformance operand, parsed before the row is chosen. */
enum opd_kind { OPD_REG, OPD_NUM, OPD_MEM, OPD_SYM };

struct opd {
	enum opd_kind kind;
	uint32_t col;
	unsigned reg;		   /* OPD_REG; OPD_MEM base */
	struct ubf_num num;	   /* OPD_NUM; OPD_MEM offset; OPD_SYM argument when has_num */
	const struct ubf_tok *sym; /* OPD_SYM: label or lddw keyword */
	const struct ubf_tok *arg; /* OPD_SYM: a label argument ("func lbl") */
	bool has_num;
};

struct ubf_asm_label {
	const char *name;
	size_t len;
	size_t insn_idx;
	uint32_t line;
	uint32_t col;
};

/* A use of a label, patched when every label is known. */
struct ubf_asm_fixup {
	const char *name;
	size_t len;
	size_t insn_idx;
	bool in_off; /* the target goes in off (jumps), else in imm */
	uint32_t line;
	uint32_t col;
};

/* ------------------------------------------------------------ diagnostics */

static int vreport(const struct ubf_text_ctx *ctx, uint32_t line, uint32_t col, uint32_t insn_idx,
		   const char *id, const char *fmt, va_list ap) UBF_PRINTF(6, 0);

static int vreport(const struct ubf_text_ctx *ctx, uint32_t line, uint32_t col, uint32_t insn_idx,
		   const char *id, const char *fmt, va_list ap)
{
	struct ubf_diag *diag = ctx->diag;
	int n;

	if (!diag)
		return -EINVAL;
	diag->insn_idx = insn_idx;
	diag->line = line;
	diag->col = col;
	diag->id = id;
	diag->hint = NULL;
	n = snprintf(diag->msg, sizeof(diag->msg), "%s:%u:%u: ", ctx->file_name, line, col);
	if (n >= 0 && (size_t)n < sizeof(diag->msg))
		vsnprintf(diag->msg + n, sizeof(diag->msg) - (size_t)n, fmt, ap);
	return -EINVAL;
}

int ubf_text_error(const struct ubf_text_ctx *ctx, uint32_t line, uint32_t col, uint32_t insn_idx,
		   const char *id, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vreport(ctx, line, col, insn_idx, id, fmt, ap);
	va_end(ap);
	return err;
}

/* The first error, at @col of the current line, naming the instruction being assembled. */
int ubf_asm_fail(struct ubf_asm *st, uint32_t col, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (st->err)
		return st->err;
	va_start(ap, fmt);
	st->err = vreport(st->ctx, st->lineno, col, (uint32_t)st->cnt, id, fmt, ap);
	va_end(ap);
	return st->err;
}

/* "'r1'" or "end of line", for messages; at most one per message. */
const char *ubf_asm_describe(struct ubf_asm *st, const struct ubf_tok *t)
{
	if (t->type == UBF_TOK_END)
		return "end of line";
	snprintf(st->what, sizeof(st->what), "'%.*s'", t->len > 40 ? 40 : (int)t->len, t->p);
	return st->what;
}

static uint32_t clamp_u32(size_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* ------------------------------------------------------------ tokens */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || is_digit(c);
}

static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Longest first, so that "<<=" is not read as "<" "<=". */
static const char *const puncts[] = {
	"s>>=", "<<=", ">>=", "s/=", "s%=", "s>=", "s<=", "+=", "-=", "*=", "/=", "%=",
	"|=",	"&=",  "^=",  "==",  "!=",  ">=",  "<=",  "s>", "s<", "<",  ">",  "=",
	"&",	"+",   "-",   "*",   "(",   ")",   "[",	  "]",	",",  "%",  ":",
};

static size_t match_punct(const char *p, size_t len)
{
	size_t i, n;

	for (i = 0; i < UBF_ARRAY_SIZE(puncts); i++) {
		n = strlen(puncts[i]);
		if (n <= len && !memcmp(p, puncts[i], n))
			return n;
	}
	return 0;
}

static void lex_number(struct ubf_asm *st, struct ubf_tok *t, const char *p, size_t len)
{
	unsigned base = 10;
	size_t i = 0, digits = 0;
	int v;

	if (len > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		i = 2;
		t->is_hex = true;
	}
	for (; i < len && (v = hex_val(p[i])) >= 0 && (unsigned)v < base; i++, digits++) {
		if (t->val > (UINT64_MAX - (unsigned)v) / base)
			t->overflow = true;
		t->val = t->val * base + (unsigned)v;
	}
	if (!digits || (i < len && is_ident_char(p[i])))
		ubf_asm_fail(st, t->col, "asm.bad_number", "malformed number starting '%.*s'",
			     (int)(len > 20 ? 20 : len), p);
	t->type = UBF_TOK_NUM;
	t->len = i;
}

static void tokenize(struct ubf_asm *st, const char *p, size_t len)
{
	size_t i = 0, n;
	struct ubf_tok *t;
	char c;

	st->ntok = 0;
	st->pos = 0;
	while (i < len && !st->err) {
		c = p[i];
		if (c == '#' || c == ';')
			break;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
			i++;
			continue;
		}
		if (st->ntok == UBF_ASM_MAX_TOKS) {
			ubf_asm_fail(st, clamp_u32(i + 1), "asm.syntax",
				     "more than %d tokens on one line", UBF_ASM_MAX_TOKS);
			break;
		}
		t = &st->tok[st->ntok++];
		memset(t, 0, sizeof(*t));
		t->col = clamp_u32(i + 1);
		t->p = p + i;
		t->len = 1;
		if (is_digit(c)) {
			lex_number(st, t, p + i, len - i);
		} else if ((n = match_punct(p + i, len - i)) != 0) {
			t->type = UBF_TOK_PUNCT;
			t->len = n;
		} else if (is_ident_start(c)) {
			for (n = 1; i + n < len && is_ident_char(p[i + n]); n++)
				;
			t->type = UBF_TOK_IDENT;
			t->len = n;
		} else {
			ubf_asm_fail(st, t->col, "asm.syntax", "unexpected character 0x%02x",
				     (unsigned char)c);
		}
		i += t->len;
	}
	t = &st->tok[st->ntok];
	memset(t, 0, sizeof(*t));
	t->type = UBF_TOK_END;
	t->col = clamp_u32(len + 1);
}

bool ubf_asm_accept(struct ubf_asm *st, const char *s)
{
	if (st->err || !ubf_tok_is(ubf_asm_peek(st), s))
		return false;
	st->pos++;
	return true;
}

void ubf_asm_expect(struct ubf_asm *st, const char *s)
{
	if (!st->err && !ubf_asm_accept(st, s))
		ubf_asm_fail(st, ubf_asm_peek(st)->col, "asm.syntax", "expected '%s' but found %s",
			     s, ubf_asm_describe(st, ubf_asm_peek(st)));
}

/* ------------------------------------------------------------ operands */

/*
 * Does the token look like a register: one of @letters, then digits?
 * *@reg gets the number (which may be out of range), *@cls the letter.
 */
static bool reg_like(const struct ubf_tok *t, const char *letters, unsigned *reg, char *cls)
{
	size_t i;
	unsigned v = 0;

	if (t->type != UBF_TOK_IDENT || t->len < 2 || !strchr(letters, t->p[0]))
		return false;
	for (i = 1; i < t->len; i++) {
		if (!is_digit(t->p[i]))
			return false;
		v = v > 99 ? v : v * 10 + (unsigned)(t->p[i] - '0');
	}
	*reg = v;
	*cls = t->p[0];
	return true;
}

bool ubf_asm_is_reg(const struct ubf_tok *t)
{
	unsigned reg;
	char cls;

	return reg_like(t, "rw", &reg, &cls);
}

static void parse_reg_tok(struct ubf_asm *st, const char *letters, const char *form, unsigned *reg,
			  char *cls)
{
	const struct ubf_tok *t = ubf_asm_peek(st);
	unsigned r = 0;
	char c = 0;

	if (st->err)
		return;
	if (!reg_like(t, letters, &r, &c))
		ubf_asm_fail(st, t->col, "asm.bad_operand", "expected a register (%s) but found %s",
			     form, ubf_asm_describe(st, t));
	else if (r > 10)
		ubf_asm_fail(st, t->col, "asm.bad_register",
			     "no register %.*s: registers are %s0..%s10", (int)t->len, t->p, form,
			     form);
	if (st->err)
		return;
	*reg = r;
	*cls = c;
	st->pos++;
}

/* LLVM register: rN or wN. */
void ubf_asm_parse_reg(struct ubf_asm *st, unsigned *reg, char *cls)
{
	parse_reg_tok(st, "rw", "rN/wN", reg, cls);
}

/* LLVM register that must be of class @want, 'r' or 'w'. */
void ubf_asm_parse_reg_cls(struct ubf_asm *st, char want, unsigned *reg)
{
	uint32_t col = ubf_asm_peek(st)->col;
	char cls = want;

	ubf_asm_parse_reg(st, reg, &cls);
	if (cls != want)
		ubf_asm_fail(st, col, "asm.bad_operand", "expected %c%u here, not %c%u", want, *reg,
			     cls, *reg);
}

/* Conformance register: %rN. */
static void parse_pct_reg(struct ubf_asm *st, unsigned *reg)
{
	char cls;

	ubf_asm_expect(st, "%");
	parse_reg_tok(st, "r", "%r", reg, &cls);
}

/* [+|-] NUM */
void ubf_asm_parse_num(struct ubf_asm *st, struct ubf_num *n)
{
	const struct ubf_tok *t = ubf_asm_peek(st);

	memset(n, 0, sizeof(*n));
	n->col = t->col;
	if (st->err)
		return;
	if (ubf_tok_sign(t)) {
		n->neg = t->p[0] == '-';
		t = &st->tok[++st->pos];
	}
	if (t->type != UBF_TOK_NUM) {
		ubf_asm_fail(st, t->col, "asm.bad_operand", "expected a number but found %s",
			     ubf_asm_describe(st, t));
		return;
	}
	n->mag = t->val;
	n->overflow = t->overflow;
	n->is_hex = t->is_hex;
	st->pos++;
}

/* Is @n within [-@neg_max, @pos_max]?  Otherwise fail, naming @what and the range. */
static bool in_range(struct ubf_asm *st, const struct ubf_num *n, uint64_t neg_max,
		     uint64_t pos_max, const char *what, const char *range)
{
	if (st->err)
		return false;
	if (n->overflow)
		ubf_asm_fail(st, n->col, "asm.imm_range", "number does not fit in 64 bits");
	else if (n->mag > (n->neg ? neg_max : pos_max))
		ubf_asm_fail(st, n->col, strcmp(what, "offset") ? "asm.imm_range" : "asm.off_range",
			     "%s %s%" PRIu64 " is out of range (%s)", what, n->neg ? "-" : "",
			     n->mag, range);
	return !st->err;
}

static uint32_t low32(const struct ubf_num *n)
{
	return n->neg ? 0u - (uint32_t)n->mag : (uint32_t)n->mag;
}

/*
 * A 32-bit immediate.  Decimal numbers take the signed range; hex ones may
 * also be written unsigned, 0x80000000..0xffffffff, as the suite does
 * (tests/negative/invalid_imm32_dec_range.data rejects 2147483648).
 */
void ubf_asm_to_imm32(struct ubf_asm *st, const struct ubf_num *n, int32_t *out)
{
	if (in_range(st, n, 0x80000000u, n->is_hex ? 0xffffffffu : 0x7fffffffu, "immediate",
		     "-2147483648..2147483647, or 0x0..0xffffffff in hex"))
		*out = (int32_t)low32(n);
}

/* A pc-relative 32-bit value (ja32, local calls): signed range only. */
static void to_rel32(struct ubf_asm *st, const struct ubf_num *n, int32_t *out)
{
	if (in_range(st, n, 0x80000000u, 0x7fffffffu, "relative target", "-2147483648..2147483647"))
		*out = (int32_t)low32(n);
}

void ubf_asm_to_off16(struct ubf_asm *st, const struct ubf_num *n, int16_t *out)
{
	if (in_range(st, n, 0x8000u, 0x7fffu, "offset", "-32768..32767"))
		*out = (int16_t)(n->neg ? -(int32_t)n->mag : (int32_t)n->mag);
}

void ubf_asm_to_imm64(struct ubf_asm *st, const struct ubf_num *n, struct ubf_raw_insn in[2])
{
	uint64_t v;

	if (!in_range(st, n, (uint64_t)1 << 63, UINT64_MAX, "immediate", "-2^63..2^64-1"))
		return;
	v = n->neg ? 0 - n->mag : n->mag;
	in[0].imm = (int32_t)(uint32_t)v;
	in[1].imm = (int32_t)(uint32_t)(v >> 32);
}

/* ------------------------------------------------------------ labels */

/*
 * @arr (of *@cap elements of @elem_sz bytes) with room for @need elements:
 * the same array, a larger one, or NULL with -ENOMEM recorded (@arr kept).
 */
static void *grow(struct ubf_asm *st, void *arr, size_t *cap, size_t need, size_t elem_sz)
{
	size_t n = *cap ? *cap : 16, bytes;
	void *p;

	if (st->err)
		return NULL;
	if (need <= *cap)
		return arr;
	while (n < need)
		n *= 2;
	p = ubf_mul_overflow(n, elem_sz, &bytes) ? NULL : realloc(arr, bytes);
	if (!p) {
		st->err = -ENOMEM;
		return NULL;
	}
	*cap = n;
	return p;
}

static void define_label(struct ubf_asm *st, const struct ubf_tok *t)
{
	struct ubf_asm_label *l;

	l = grow(st, st->labels, &st->label_cap, st->label_cnt + 1, sizeof(*l));
	if (!l)
		return;
	st->labels = l;
	l[st->label_cnt++] = (struct ubf_asm_label){t->p, t->len, st->cnt, st->lineno, t->col};
}

static void add_fixup(struct ubf_asm *st, const struct ubf_tok *t, bool in_off)
{
	struct ubf_asm_fixup *f;

	f = grow(st, st->fixups, &st->fixup_cap, st->fixup_cnt + 1, sizeof(*f));
	if (!f)
		return;
	st->fixups = f;
	f[st->fixup_cnt++] =
		(struct ubf_asm_fixup){t->p, t->len, st->cnt, in_off, st->lineno, t->col};
}

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static int label_cmp(const void *pa, const void *pb)
{
	const struct ubf_asm_label *a = pa, *b = pb;
	int c = name_cmp(a->name, a->len, b->name, b->len);

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

static const struct ubf_asm_label *find_label(const struct ubf_asm *st, const char *name,
					      size_t len)
{
	size_t lo = 0, hi = st->label_cnt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(st->labels[mid].name, st->labels[mid].len, name, len);

		if (c == 0)
			return &st->labels[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int resolve_fixup(struct ubf_asm *st, const struct ubf_asm_fixup *f)
{
	const struct ubf_asm_label *l = find_label(st, f->name, f->len);
	struct ubf_raw_insn *in = &st->insns[f->insn_idx];
	size_t target = l ? l->insn_idx : st->first_exit;
	int64_t delta;

	/* As in the suite's own assembler, "exit" names the first exit unless defined. */
	if (!l && (st->first_exit == SIZE_MAX || name_cmp(f->name, f->len, "exit", 4)))
		return ubf_text_error(st->ctx, f->line, f->col, (uint32_t)f->insn_idx,
				      "asm.undefined_label", "label '%.*s' is not defined",
				      f->len > 40 ? 40 : (int)f->len, f->name);
	delta = (int64_t)target - ((int64_t)f->insn_idx + 1);
	if (f->in_off && (delta < INT16_MIN || delta > INT16_MAX))
		return ubf_text_error(st->ctx, f->line, f->col, (uint32_t)f->insn_idx,
				      "asm.off_range",
				      "label '%.*s' is %lld instructions away; a jump offset "
				      "reaches -32768..32767 (ja32/gotol reach further)",
				      f->len > 40 ? 40 : (int)f->len, f->name, (long long)delta);
	if (f->in_off)
		in->off = (int16_t)delta;
	else
		in->imm = (int32_t)delta;
	return 0;
}

/* Second pass: duplicate labels, then every use of a label. */
static int resolve(struct ubf_asm *st)
{
	size_t i;
	int err;

	if (st->label_cnt)
		qsort(st->labels, st->label_cnt, sizeof(*st->labels), label_cmp);
	for (i = 1; i < st->label_cnt; i++) {
		const struct ubf_asm_label *a = &st->labels[i - 1], *b = &st->labels[i];

		if (!name_cmp(a->name, a->len, b->name, b->len))
			return ubf_text_error(st->ctx, b->line, b->col, UBF_DIAG_NO_INSN,
					      "asm.duplicate_label",
					      "label '%.*s' is already defined at line %u",
					      b->len > 40 ? 40 : (int)b->len, b->name, a->line);
	}
	for (i = 0; i < st->fixup_cnt; i++) {
		err = resolve_fixup(st, &st->fixups[i]);
		if (err)
			return err;
	}
	return 0;
}

/* ------------------------------------------------------------ rows */

/*
 * The row of (@kind, @op, @width); when rows differ only in taking a
 * register or an immediate, @has_src picks (-1: either).  Return: the row
 * id or -1.
 */
int ubf_asm_find_row(unsigned kind, int op, unsigned width, int has_src)
{
	size_t i;

	for (i = 0; i < UBF_INSN_COUNT && op >= 0; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[i];

		if (d->kind == kind && d->op == op && d->width == width &&
		    (has_src < 0 || ubf_shape_has_src(d->shape) == has_src))
			return (int)i;
	}
	return -1;
}

/* The op whose LLVM spelling is the token (operators, names, keywords), or -1. */
int ubf_asm_op(const struct ubf_tok *t)
{
	unsigned op;

	for (op = 0; op < UBF_OP_COUNT; op++) {
		const char *s = ubf_text_llvm_op(op);

		if (s && ubf_tok_is(t, s))
			return (int)op;
	}
	return -1;
}

/* The encoding of row @id with its key, @dst and @src where the row uses them. */
void ubf_asm_encode(struct ubf_raw_insn in[2], int id, unsigned dst, unsigned src)
{
	const struct ubf_insn_desc *d;

	if (id < 0)
		return; /* no such row: the caller's ubf_asm_finish() reports it */
	d = &ubf_isa_desc[id];
	in[0] = ubf_isa_encode((enum ubf_insn_id)id);
	in[0].regs = UBF_REGS(ubf_shape_has_dst(d->shape) ? dst : 0,
			      ubf_shape_has_src(d->shape) ? src : ubf_raw_src(&in[0]));
}

static void emit(struct ubf_asm *st, int id, const struct ubf_raw_insn in[2], uint32_t col)
{
	struct ubf_raw_insn *p;
	unsigned slots;

	if (st->err)
		return;
	slots = ubf_isa_slots(&ubf_isa_desc[id]);
	if (st->cnt + slots > UBF_MAX_INSNS) {
		ubf_asm_fail(st, col, "asm.too_many", "more than %u instruction slots",
			     UBF_MAX_INSNS);
		st->err = -E2BIG;
		return;
	}
	p = grow(st, st->insns, &st->cap, st->cnt + slots, sizeof(*st->insns));
	if (!p)
		return;
	st->insns = p;
	memcpy(&st->insns[st->cnt], in, slots * sizeof(*in));
	if (ubf_isa_desc[id].kind == UBF_KIND_EXIT && st->first_exit == SIZE_MAX)
		st->first_exit = st->cnt;
	st->cnt += slots;
}

/*
 * Finish an LLVM-syntax instruction: the row must exist (else the form is
 * not an instruction: fail with @what), nothing may follow, then append.
 */
void ubf_asm_finish(struct ubf_asm *st, int id, const struct ubf_raw_insn in[2], uint32_t col,
		    const char *what)
{
	if (!st->err && id < 0)
		ubf_asm_fail(st, col, "asm.bad_operand", "no instruction %s", what);
	if (!st->err && ubf_asm_peek(st)->type != UBF_TOK_END)
		ubf_asm_fail(st, ubf_asm_peek(st)->col, "asm.syntax",
			     "unexpected %s after the instruction",
			     ubf_asm_describe(st, ubf_asm_peek(st)));
	emit(st, id, in, col);
}

/* Does the target of this row go in off (jumps, may_goto) or in imm? */
bool ubf_asm_target_in_off(const struct ubf_insn_desc *d)
{
	return d->kind == UBF_KIND_JMP || d->kind == UBF_KIND_MAY_GOTO ||
	       (d->kind == UBF_KIND_JA && d->width == 64);
}

/* Target: label, +N, -N, N or pc+N; into off or imm of @in, or a fixup. */
void ubf_asm_parse_target(struct ubf_asm *st, struct ubf_raw_insn *in, bool in_off)
{
	struct ubf_num n;

	if (ubf_tok_is(ubf_asm_peek(st), "pc") && ubf_tok_sign(ubf_asm_peek2(st)))
		st->pos++;
	if (!st->err && ubf_asm_peek(st)->type == UBF_TOK_IDENT) {
		add_fixup(st, ubf_asm_take(st), in_off);
		return;
	}
	ubf_asm_parse_num(st, &n);
	if (in_off)
		ubf_asm_to_off16(st, &n, &in->off);
	else
		to_rel32(st, &n, &in->imm);
}

/* ------------------------------------------------------------ conformance syntax */

/*
 * The operands of a row in the conformance syntax, one letter each:
 *   d s  register into dst / src         M S  [%rN+off] into dst / src and off
 *   i    32-bit immediate                t    jump target into off or imm
 *   k    lddw value: a number, or keyword and argument ("map_fd 3")
 *   n    optional 16-bit number into off x    optional second imm (value offset)
 */
static const char *conf_pattern(const struct ubf_insn_desc *d)
{
	switch ((enum ubf_shape)d->shape) {
	case UBF_SHAPE_NONE:
		return "";
	case UBF_SHAPE_DST:
		return "d";
	case UBF_SHAPE_DST_IMM:
		return "di";
	case UBF_SHAPE_DST_SRC:
		return "ds";
	case UBF_SHAPE_DST_IMM_OFF:
		return d->kind == UBF_KIND_JMP ? "dit" : "Mi";
	case UBF_SHAPE_DST_SRC_OFF:
		if (d->kind == UBF_KIND_JMP)
			return "dst";
		return d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ ? "dS" : "Ms";
	case UBF_SHAPE_OFF:
		return "t";
	case UBF_SHAPE_IMM:
		return d->kind == UBF_KIND_JA || d->op == UBF_OP_LOCAL ? "t" : "i";
	case UBF_SHAPE_IMM_OFF:
		return "in";
	case UBF_SHAPE_SRC_IMM:
		return "si";
	case UBF_SHAPE_DST_IMM64:
		return ubf_text_has_next_imm(d->op) ? "dkx" : "dk";
	}
	return "";
}

static const char *letter_what(char letter)
{
	switch (letter) {
	case 'd':
	case 's':
		return "a register %rN";
	case 'M':
	case 'S':
		return "a memory operand [%rN+off]";
	case 't':
		return "a jump target (+N, -N or a label)";
	case 'k':
		return "a 64-bit number or map_fd N, map_value N, btf_id N, func T, map_idx N, "
		       "map_idx_value N";
	default:
		return "a number";
	}
}

static bool conf_fits(const struct ubf_insn_desc *d, char letter, const struct opd *o)
{
	switch (letter) {
	case 'd':
	case 's':
		return o->kind == OPD_REG;
	case 'M':
	case 'S':
		return o->kind == OPD_MEM;
	case 't':
		return o->kind == OPD_NUM || (o->kind == OPD_SYM && !o->has_num && !o->arg);
	case 'k':
		if (d->op == UBF_OP_IMM)
			return o->kind == OPD_NUM;
		if (o->kind != OPD_SYM || !ubf_tok_is(o->sym, ubf_text_llvm_op(d->op)))
			return false;
		return d->op == UBF_OP_FUNC ? o->has_num || o->arg : o->has_num && !o->arg;
	default:
		return o->kind == OPD_NUM;
	}
}

/* 0 when the operands fit the row; -1 when their number does not; else the misfit's index + 1. */
static int conf_match(const struct ubf_insn_desc *d, const struct opd *o, size_t n)
{
	const char *pat = conf_pattern(d);
	size_t len = strlen(pat), min = len, i;

	if (len && (pat[len - 1] == 'n' || pat[len - 1] == 'x'))
		min--;
	if (n < min || n > len)
		return -1;
	for (i = 0; i < n; i++) {
		if (!conf_fits(d, pat[i], &o[i]))
			return (int)i + 1;
	}
	return 0;
}

static void conf_target(struct ubf_asm *st, const struct opd *o, struct ubf_raw_insn *in,
			bool in_off)
{
	if (o->kind == OPD_SYM && !o->has_num)
		add_fixup(st, o->arg ? o->arg : o->sym, in_off);
	else if (in_off)
		ubf_asm_to_off16(st, &o->num, &in->off);
	else
		to_rel32(st, &o->num, &in->imm);
}

static void conf_encode(struct ubf_asm *st, int id, const struct opd *o, size_t n,
			struct ubf_raw_insn in[2])
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	const char *pat = conf_pattern(d);
	unsigned dst = 0, src = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (pat[i] == 'd' || pat[i] == 'M')
			dst = o[i].reg;
		else if (pat[i] == 's' || pat[i] == 'S')
			src = o[i].reg;
	}
	ubf_asm_encode(in, id, dst, src);
	for (i = 0; i < n; i++) {
		if (pat[i] == 'M' || pat[i] == 'S' || pat[i] == 'n')
			ubf_asm_to_off16(st, &o[i].num, &in[0].off);
		else if (pat[i] == 'i' ||
			 (pat[i] == 'k' && d->op != UBF_OP_IMM && d->op != UBF_OP_FUNC))
			ubf_asm_to_imm32(st, &o[i].num, &in[0].imm);
		else if (pat[i] == 'x')
			ubf_asm_to_imm32(st, &o[i].num, &in[1].imm);
		else if (pat[i] == 't' || (pat[i] == 'k' && d->op == UBF_OP_FUNC))
			conf_target(st, &o[i], &in[0], ubf_asm_target_in_off(d));
		else if (pat[i] == 'k')
			ubf_asm_to_imm64(st, &o[i].num, in);
	}
}

/* "[%r1+4]", "[%r10-8]", "[%r1]" */
static void parse_bracket_mem(struct ubf_asm *st, struct opd *o)
{
	st->pos++;
	parse_pct_reg(st, &o->reg);
	if (ubf_tok_sign(ubf_asm_peek(st)))
		ubf_asm_parse_num(st, &o->num);
	ubf_asm_expect(st, "]");
}

static void parse_opd(struct ubf_asm *st, struct opd *o)
{
	const struct ubf_tok *t = ubf_asm_peek(st);

	memset(o, 0, sizeof(*o));
	o->col = t->col;
	if (ubf_tok_is(t, "%")) {
		o->kind = OPD_REG;
		parse_pct_reg(st, &o->reg);
	} else if (ubf_tok_is(t, "[")) {
		o->kind = OPD_MEM;
		parse_bracket_mem(st, o);
	} else if (t->type == UBF_TOK_NUM || ubf_tok_sign(t)) {
		o->kind = OPD_NUM;
		ubf_asm_parse_num(st, &o->num);
	} else if (t->type == UBF_TOK_IDENT) {
		o->kind = OPD_SYM;
		o->sym = ubf_asm_take(st);
		t = ubf_asm_peek(st);
		o->has_num = t->type == UBF_TOK_NUM || ubf_tok_sign(t);
		if (o->has_num)
			ubf_asm_parse_num(st, &o->num);
		else if (t->type == UBF_TOK_IDENT)
			o->arg = ubf_asm_take(st);
	} else {
		ubf_asm_fail(st, t->col, "asm.bad_operand", "expected an operand but found %s",
			     ubf_asm_describe(st, t));
	}
}

static int mn_cmp(const void *pa, const void *pb)
{
	uint16_t a = *(const uint16_t *)pa, b = *(const uint16_t *)pb;
	int c = strcmp(ubf_isa_desc[a].mnemonic, ubf_isa_desc[b].mnemonic);

	return c ? c : (a > b) - (a < b);
}

/* Rows named @name: [*lo, *hi) of st->by_mnemonic.  Return: whether any. */
static bool rows_named(const struct ubf_asm *st, const char *name, size_t *lo, size_t *hi)
{
	size_t l = 0, h = UBF_INSN_COUNT;

	while (l < h) {
		size_t mid = l + (h - l) / 2;

		if (strcmp(ubf_isa_desc[st->by_mnemonic[mid]].mnemonic, name) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	for (*lo = l;
	     l < UBF_INSN_COUNT && !strcmp(ubf_isa_desc[st->by_mnemonic[l]].mnemonic, name);)
		l++;
	*hi = l;
	return *hi > *lo;
}

/* Spellings the suite uses besides the table's mnemonics. */
static const char *const aliases[][2] = {
	{"swap16", "bswap16"},
	{"swap32", "bswap32"},
	{"swap64", "bswap64"},
};

/*
 * The mnemonic at the cursor: the longest run of up to three words that
 * names rows ("lock fetch add32", "call local").  Return: the number of
 * words, 0 when none names a row.
 */
static size_t lookup_mnemonic(struct ubf_asm *st, size_t *lo, size_t *hi)
{
	const struct ubf_tok *t = ubf_asm_peek(st);
	size_t words = 0, k, i;
	char name[64];
	int len;

	while (words < 3 && t[words].type == UBF_TOK_IDENT && t[words].len < 20)
		words++;
	for (k = words; k > 0; k--) {
		for (i = 0, len = 0; i < k; i++)
			len += snprintf(name + len, sizeof(name) - (size_t)len, "%s%.*s",
					i ? " " : "", (int)t[i].len, t[i].p);
		for (i = 0; i < UBF_ARRAY_SIZE(aliases); i++) {
			if (!strcmp(name, aliases[i][0]))
				snprintf(name, sizeof(name), "%s", aliases[i][1]);
		}
		/* The suite writes callx as "call %rN". */
		if (!strcmp(name, "call") && ubf_tok_is(&t[1], "%"))
			snprintf(name, sizeof(name), "%s", "callx");
		if (rows_named(st, name, lo, hi))
			return k;
	}
	return 0;
}

/* Among the rows sharing the mnemonic, the first whose pattern the operands fit, or -1. */
static int conf_pick(struct ubf_asm *st, size_t lo, size_t hi, const struct opd *o, size_t n,
		     const struct ubf_tok *mn)
{
	const struct ubf_insn_desc *misfit_row = NULL, *d;
	int misfit = 0, m;
	size_t i;

	for (i = lo; i < hi; i++) {
		d = &ubf_isa_desc[st->by_mnemonic[i]];
		m = conf_match(d, o, n);
		if (m == 0)
			return st->by_mnemonic[i];
		if (m > 0 && !misfit_row) {
			misfit_row = d;
			misfit = m;
		}
	}
	d = &ubf_isa_desc[st->by_mnemonic[lo]];
	if (misfit_row)
		ubf_asm_fail(st, o[misfit - 1].col, "asm.bad_operand",
			     "operand %d of '%s' must be %s", misfit, misfit_row->mnemonic,
			     letter_what(conf_pattern(misfit_row)[misfit - 1]));
	else
		ubf_asm_fail(st, mn->col, "asm.operand_count",
			     "'%s' takes %zu operand(s), found %zu", d->mnemonic,
			     strlen(conf_pattern(d)), n);
	return -1;
}

static void conf_insn(struct ubf_asm *st)
{
	const struct ubf_tok *mn = ubf_asm_peek(st);
	struct ubf_raw_insn in[2] = {{0}};
	struct opd o[MAX_OPDS];
	size_t lo = 0, hi = 0, n = 0, words;
	int id;

	words = lookup_mnemonic(st, &lo, &hi);
	if (!words) {
		ubf_asm_fail(st, mn->col, "asm.unknown_mnemonic", "unknown instruction %s",
			     ubf_asm_describe(st, mn));
		return;
	}
	st->pos += words;
	while (!st->err && ubf_asm_peek(st)->type != UBF_TOK_END) {
		if (n == MAX_OPDS) {
			ubf_asm_fail(st, ubf_asm_peek(st)->col, "asm.operand_count",
				     "more than %d operands", MAX_OPDS);
			return;
		}
		parse_opd(st, &o[n++]);
		if (ubf_asm_peek(st)->type != UBF_TOK_END)
			ubf_asm_expect(st, ",");
	}
	if (st->err)
		return;
	id = conf_pick(st, lo, hi, o, n, mn);
	if (id < 0)
		return;
	conf_encode(st, id, o, n, in);
	emit(st, id, in, mn->col);
}

/* ------------------------------------------------------------ lines */

/* The LLVM syntax first, by its first tokens; forms both syntaxes share go to the table. */
static void assemble_insn(struct ubf_asm *st)
{
	if (!ubf_asm_llvm(st))
		conf_insn(st);
}

static void assemble_line(struct ubf_asm *st, const char *p, size_t len)
{
	tokenize(st, p, len);
	while (!st->err && ubf_asm_peek(st)->type == UBF_TOK_IDENT &&
	       ubf_tok_is(ubf_asm_peek2(st), ":")) {
		define_label(st, ubf_asm_peek(st));
		st->pos += 2;
	}
	if (!st->err && ubf_asm_peek(st)->type != UBF_TOK_END)
		assemble_insn(st);
}

int ubf_text_asm(const char *text, size_t text_len, uint32_t first_line,
		 const struct ubf_text_ctx *ctx, struct ubf_raw_insn **insnsp, size_t *insn_cntp)
{
	size_t pos = 0, i, len;
	struct ubf_asm *st;
	const char *line;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->ctx = ctx;
	st->lineno = first_line;
	st->first_exit = SIZE_MAX;
	for (i = 0; i < UBF_INSN_COUNT; i++)
		st->by_mnemonic[i] = (uint16_t)i;
	qsort(st->by_mnemonic, UBF_INSN_COUNT, sizeof(st->by_mnemonic[0]), mn_cmp);
	while (!st->err && ubf_text_next_line(text, text_len, &pos, &line, &len)) {
		assemble_line(st, line, len);
		st->lineno += st->lineno < UINT32_MAX;
	}
	err = st->err ? st->err : resolve(st);
	if (!err && !st->insns) {
		/* An empty program still gets an array, so callers may test the pointer. */
		st->insns = calloc(1, sizeof(*st->insns));
		err = st->insns ? 0 : -ENOMEM;
	}
	if (!err) {
		*insnsp = st->insns;
		*insn_cntp = st->cnt;
		st->insns = NULL;
	}
	free(st->insns);
	free(st->labels);
	free(st->fixups);
	free(st);
	return err;
}

int ubf_asm_parse(const char *text, size_t text_len, struct ubf_raw_insn **insnsp,
		  size_t *insn_cntp, const struct ubf_asm_opts *opts)
{
	struct ubf_text_ctx ctx = {"<input>", NULL};

	if (!UBF_OPTS_VALID(opts, ubf_asm_opts))
		return -EINVAL;
	if (UBF_OPTS_GET(opts, file_name, NULL))
		ctx.file_name = opts->file_name;
	ctx.diag = UBF_OPTS_GET(opts, diag, NULL);
	if (!insnsp || !insn_cntp || (!text && text_len))
		return ubf_text_error(&ctx, 0, 0, UBF_DIAG_NO_INSN, "asm.bad_argument",
				      "no text or no place for the result");
	return ubf_text_asm(text, text_len, 1, &ctx, insnsp, insn_cntp);
}
