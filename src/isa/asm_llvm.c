// SPDX-License-Identifier: BSD-2-Clause
/*
 * asm_llvm.c - the LLVM syntax of the assembler: "r0 = *(u32 *)(r1 + 4)",
 * "if w1 s< w2 goto -2", "lock *(u64 *)(r1 + 0) += r2", as llvm-objdump and
 * Linux verifier logs print them (newer spellings for what LLVM 14 lacks,
 * ours for lddw pseudo forms and kfunc calls; see the table atop asm.c).
 * Each form is parsed by its shape and the row is the one with that (kind,
 * op, width); the spellings come from ubf_text_llvm_op().  Lines, labels
 * and the conformance syntax are asm.c's.
 */
#include "isa/asm.h"

#include <stdio.h>
#include <string.h>

static bool op_in(int op, int a, int b, int c, int d)
{
	return op >= 0 && (op == a || op == b || op == c || op == d);
}

static unsigned bits_of(const struct ubf_tok *t)
{
	static const char *const sizes[] = {"8", "16", "32", "64"};
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(sizes); i++) {
		if (ubf_tok_is2(t, "u", sizes[i]) || ubf_tok_is2(t, "s", sizes[i]))
			return 8u << i;
	}
	return 0;
}

/* "(u32 *)", "(s8 *)": the access size in bytes and whether a load sign-extends. */
static void parse_type(struct ubf_asm *st, unsigned *size, bool *is_signed)
{
	const struct ubf_tok *t;
	unsigned bits;

	ubf_asm_expect(st, "(");
	t = ubf_asm_peek(st);
	bits = st->err ? 8 : bits_of(t);
	if (!bits)
		ubf_asm_fail(st, t->col, "asm.bad_operand",
			     "expected a type u8, u16, u32, u64, s8, s16 or s32 but found %s",
			     ubf_asm_describe(st, t));
	if (st->err)
		return;
	st->pos++;
	*size = bits / 8;
	*is_signed = t->p[0] == 's';
	ubf_asm_expect(st, "*");
	ubf_asm_expect(st, ")");
}

static void parse_unsigned_type(struct ubf_asm *st, unsigned *size)
{
	uint32_t col = ubf_asm_peek2(st)->col;
	bool is_signed = false;

	parse_type(st, size, &is_signed);
	if (is_signed)
		ubf_asm_fail(st, col, "asm.bad_operand", "only loads sign-extend: write u%u",
			     *size * 8);
}

/* "r1 + 4", "r10 - 8" or "r1": the base register (always rN) and offset. */
static void parse_addr(struct ubf_asm *st, unsigned *reg, int16_t *off)
{
	struct ubf_num n;

	ubf_asm_parse_reg_cls(st, 'r', reg);
	if (st->err || !ubf_tok_sign(ubf_asm_peek(st)))
		return;
	ubf_asm_parse_num(st, &n);
	ubf_asm_to_off16(st, &n, off);
}

static void parse_mem(struct ubf_asm *st, unsigned *reg, int16_t *off)
{
	ubf_asm_expect(st, "(");
	parse_addr(st, reg, off);
	ubf_asm_expect(st, ")");
}

/* The data register of a memory access: rN, or wN for accesses up to 32 bits. */
static void check_data_reg(struct ubf_asm *st, uint32_t col, char cls, unsigned size)
{
	if (cls == 'w' && size > 4)
		ubf_asm_fail(st, col, "asm.bad_operand", "a 64-bit access takes an rN register");
}

static void check_same_cls(struct ubf_asm *st, uint32_t col, char a, char b)
{
	if (a != b)
		ubf_asm_fail(st, col, "asm.bad_operand", "mixes %cN and %cN registers", a, b);
}

/* A register or a number: the source of ALU ops, jumps and stores. */
struct src_opd {
	bool is_reg;
	unsigned reg;
	char cls;
	struct ubf_num num;
	uint32_t col;
};

static void parse_src(struct ubf_asm *st, struct src_opd *s, char cls)
{
	memset(s, 0, sizeof(*s));
	s->col = ubf_asm_peek(st)->col;
	s->is_reg = ubf_asm_is_reg(ubf_asm_peek(st));
	s->cls = cls;
	if (s->is_reg)
		ubf_asm_parse_reg(st, &s->reg, &s->cls);
	else
		ubf_asm_parse_num(st, &s->num);
	check_same_cls(st, s->col, cls, s->cls);
}

/* "dst op= src|imm" and "dst = src": ALU operations of either width. */
static void llvm_alu(struct ubf_asm *st, unsigned dst, char cls, const struct ubf_tok *op_tok,
		     uint32_t col)
{
	int op = ubf_asm_op(op_tok), id;
	struct ubf_raw_insn in[2] = {{0}};
	struct src_opd s;

	parse_src(st, &s, cls);
	id = op == UBF_OP_NEG ? -1
			      : ubf_asm_find_row(UBF_KIND_ALU, op, cls == 'w' ? 32 : 64, s.is_reg);
	if (id < 0)
		ubf_asm_fail(st, op_tok->col, "asm.bad_operand", "'%.*s' is not an ALU operator",
			     (int)op_tok->len, op_tok->p);
	if (st->err)
		return;
	ubf_asm_encode(in, id, dst, s.reg);
	if (!s.is_reg)
		ubf_asm_to_imm32(st, &s.num, &in[0].imm);
	ubf_asm_finish(st, id, in, col, "");
}

/* "r1 = 5", "w1 = -1", "r1 = 0x1122334455667788 ll" */
static void llvm_imm(struct ubf_asm *st, unsigned dst, char cls, uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	bool is_lddw;
	struct ubf_num n;
	int id;

	ubf_asm_parse_num(st, &n);
	is_lddw = ubf_asm_accept(st, "ll");
	if (is_lddw && cls != 'r')
		ubf_asm_fail(st, col, "asm.bad_operand", "lddw loads r%u, not w%u", dst, dst);
	if (is_lddw)
		id = ubf_asm_find_row(UBF_KIND_LDDW, UBF_OP_IMM, 64, -1);
	else
		id = ubf_asm_find_row(UBF_KIND_ALU, UBF_OP_MOV, cls == 'w' ? 32 : 64, 0);
	ubf_asm_encode(in, id, dst, 0);
	if (is_lddw)
		ubf_asm_to_imm64(st, &n, in);
	else
		ubf_asm_to_imm32(st, &n, &in[0].imm);
	ubf_asm_finish(st, id, in, col, "");
}

/* "r1 = -r1", in place */
static void llvm_neg(struct ubf_asm *st, unsigned dst, char cls, uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	uint32_t rcol = ubf_asm_peek2(st)->col;
	unsigned reg = dst;
	char rcls = cls;
	int id = ubf_asm_find_row(UBF_KIND_ALU, UBF_OP_NEG, cls == 'w' ? 32 : 64, -1);

	st->pos++;
	ubf_asm_parse_reg(st, &reg, &rcls);
	if (reg != dst || rcls != cls)
		ubf_asm_fail(st, rcol, "asm.bad_operand",
			     "negation is in place: write %c%u = -%c%u", cls, dst, cls, dst);
	ubf_asm_encode(in, id, dst, 0);
	ubf_asm_finish(st, id, in, col, "");
}

/* "r1 = (s8)r2", "w1 = (s16)w2" */
static void llvm_movsx(struct ubf_asm *st, unsigned dst, char cls, uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	const struct ubf_tok *t = ubf_asm_peek2(st);
	int op = ubf_asm_op(t), id = -1;
	unsigned src = 0;
	char scls = cls;

	if (op_in(op, UBF_OP_MOVSX8, UBF_OP_MOVSX16, UBF_OP_MOVSX32, -1))
		id = ubf_asm_find_row(UBF_KIND_ALU, op, cls == 'w' ? 32 : 64, 1);
	if (id < 0)
		ubf_asm_fail(st, t->col, "asm.bad_operand",
			     "expected (s8), (s16) or (s32, 64-bit only) but found %s",
			     ubf_asm_describe(st, t));
	st->pos += 2;
	ubf_asm_expect(st, ")");
	ubf_asm_parse_reg(st, &src, &scls);
	check_same_cls(st, t->col, cls, scls);
	if (id >= 0)
		ubf_asm_encode(in, id, dst, src);
	ubf_asm_finish(st, id, in, col, "");
}

/* "r0 = *(u16 *)skb[12]", "r0 = *(u32 *)skb[r1]", "r0 = *(u8 *)skb[r1 + 4]" */
static void llvm_ld_pkt(struct ubf_asm *st, unsigned dst, char cls, unsigned size, uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	bool is_ind;
	unsigned src = 0;
	struct ubf_num n = {0};
	int id;

	if (dst != 0 || cls != 'r')
		ubf_asm_fail(st, col, "asm.bad_operand", "packet loads always write r0");
	st->pos++;
	ubf_asm_expect(st, "[");
	is_ind = ubf_asm_is_reg(ubf_asm_peek(st));
	if (is_ind)
		ubf_asm_parse_reg_cls(st, 'r', &src);
	if (!is_ind || ubf_tok_sign(ubf_asm_peek(st)))
		ubf_asm_parse_num(st, &n);
	ubf_asm_expect(st, "]");
	id = ubf_asm_find_row(UBF_KIND_LD_PKT, is_ind ? UBF_OP_IND : UBF_OP_ABS, size, -1);
	if (id >= 0)
		ubf_asm_encode(in, id, 0, src);
	ubf_asm_to_imm32(st, &n, &in[0].imm);
	ubf_asm_finish(st, id, in, col, "loads 64 bits from the packet");
}

/* "r1 = *(u32 *)(r2 + 4)", "w1 = *(u8 *)(r2 + 0)", "r1 = *(s16 *)(r2 - 2)" */
static void llvm_load(struct ubf_asm *st, unsigned dst, char cls, uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	unsigned size = 8, src = 0;
	bool sx = false;
	int16_t off = 0;
	int id;

	st->pos++;
	parse_type(st, &size, &sx);
	if (!st->err && !sx && ubf_tok_is(ubf_asm_peek(st), "skb")) {
		llvm_ld_pkt(st, dst, cls, size, col);
		return;
	}
	parse_mem(st, &src, &off);
	/* Only the zero-extending loads have a wN spelling (LLVM's +alu32). */
	check_data_reg(st, col, cls, sx ? 8 : size);
	id = ubf_asm_find_row(UBF_KIND_LDX, sx ? UBF_OP_MEMSX : UBF_OP_MEM, size, -1);
	if (id >= 0)
		ubf_asm_encode(in, id, dst, src);
	in[0].off = off;
	ubf_asm_finish(st, id, in, col, "sign-extends a 64-bit load");
}

/* "rS = atomic_fetch_add((u64 *)(rD + off), rS)", "rD = load_acquire((u64 *)(rS + off))" */
static void llvm_atomic_fn(struct ubf_asm *st, unsigned lhs, char cls, int op, uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	unsigned size = 8, base = 0, src = lhs;
	uint32_t scol = 0;
	char scls = cls;
	int16_t off = 0;
	int id;

	st->pos++;
	ubf_asm_expect(st, "(");
	parse_unsigned_type(st, &size);
	parse_mem(st, &base, &off);
	if (op != UBF_OP_LOAD_ACQ) {
		ubf_asm_expect(st, ",");
		scol = ubf_asm_peek(st)->col;
		ubf_asm_parse_reg(st, &src, &scls);
		if (src != lhs || scls != cls)
			ubf_asm_fail(
				st, scol, "asm.bad_operand",
				"the old value is returned in the source: write %c%u on both sides",
				cls, lhs);
	}
	ubf_asm_expect(st, ")");
	check_data_reg(st, col, cls, size);
	id = ubf_asm_find_row(UBF_KIND_ATOMIC, op, size, -1);
	if (id >= 0 && op == UBF_OP_LOAD_ACQ)
		ubf_asm_encode(in, id, lhs, base);
	else if (id >= 0)
		ubf_asm_encode(in, id, base, src);
	in[0].off = off;
	ubf_asm_finish(st, id, in, col, "of this size");
}

/* "r2 = xchg_64(r1 + 0, r2)", "w0 = cmpxchg32_32(r1 + 0, w0, w2)" */
static void llvm_xchg(struct ubf_asm *st, unsigned lhs, char cls, int op, unsigned size,
		      uint32_t col)
{
	struct ubf_raw_insn in[2] = {{0}};
	unsigned base = 0, src = 0, r0 = 0;
	char scls = cls, c0 = cls;
	int16_t off = 0;
	uint32_t scol;
	int id = ubf_asm_find_row(UBF_KIND_ATOMIC, op, size, -1);

	st->pos++;
	ubf_asm_expect(st, "(");
	parse_addr(st, &base, &off);
	ubf_asm_expect(st, ",");
	if (op == UBF_OP_CMPXCHG) {
		ubf_asm_parse_reg(st, &r0, &c0);
		ubf_asm_expect(st, ",");
	}
	scol = ubf_asm_peek(st)->col;
	ubf_asm_parse_reg(st, &src, &scls);
	ubf_asm_expect(st, ")");
	check_data_reg(st, col, cls, size);
	if (scls != cls || c0 != cls || (op == UBF_OP_XCHG ? src != lhs : lhs != 0 || r0 != 0))
		ubf_asm_fail(st, scol, "asm.bad_operand", "%s",
			     op == UBF_OP_XCHG ? "xchg returns the old value in its source register"
					       : "cmpxchg compares with r0 and returns in r0");
	ubf_asm_encode(in, id, base, src);
	in[0].off = off;
	ubf_asm_finish(st, id, in, col, "");
}

/* "r1 = map_fd[3]", "r1 = map_value[3]+8", "r1 = func[pc+5]", "r1 = func[label]" */
static void llvm_pseudo(struct ubf_asm *st, unsigned dst, char cls, int id, uint32_t col)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	struct ubf_raw_insn in[2] = {{0}};
	struct ubf_num n;

	if (cls != 'r')
		ubf_asm_fail(st, col, "asm.bad_operand", "lddw loads r%u, not w%u", dst, dst);
	ubf_asm_encode(in, id, dst, 0);
	st->pos++;
	ubf_asm_expect(st, "[");
	if (d->op == UBF_OP_FUNC) {
		ubf_asm_parse_target(st, &in[0], false);
	} else {
		ubf_asm_parse_num(st, &n);
		ubf_asm_to_imm32(st, &n, &in[0].imm);
	}
	ubf_asm_expect(st, "]");
	if (ubf_text_has_next_imm(d->op) && ubf_tok_sign(ubf_asm_peek(st))) {
		ubf_asm_parse_num(st, &n);
		ubf_asm_to_imm32(st, &n, &in[1].imm);
	}
	ubf_asm_finish(st, id, in, col, "");
}

/* "r1 = le16 r1", "r1 = bswap64 r1": the rows of LE, BE and BSWAP, by name.  Return: found. */
static bool llvm_endian(struct ubf_asm *st, unsigned dst, char cls, uint32_t col)
{
	const struct ubf_tok *t = ubf_asm_peek(st);
	struct ubf_raw_insn in[2] = {{0}};
	unsigned reg = dst;
	char w[8], rcls = 'r';
	size_t i;

	for (i = 0; i < UBF_INSN_COUNT; i++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[i];

		snprintf(w, sizeof(w), "%u", d->width);
		if (d->kind == UBF_KIND_ALU &&
		    op_in(d->op, UBF_OP_LE, UBF_OP_BE, UBF_OP_BSWAP, -1) &&
		    ubf_tok_is2(t, ubf_text_llvm_op(d->op), w))
			break;
	}
	if (i == UBF_INSN_COUNT)
		return false;
	st->pos++;
	ubf_asm_parse_reg(st, &reg, &rcls);
	if (reg != dst || rcls != 'r' || cls != 'r')
		ubf_asm_fail(st, t->col, "asm.bad_operand",
			     "byte swaps are in place on a 64-bit register: write r%u = %.*s r%u",
			     dst, (int)t->len, t->p, dst);
	ubf_asm_encode(in, (int)i, dst, 0);
	ubf_asm_finish(st, (int)i, in, col, "");
	return true;
}

/* After "dst =", a named form: byte swap, atomic function, lddw pseudo form. */
static void llvm_named(struct ubf_asm *st, unsigned dst, char cls, uint32_t col)
{
	const struct ubf_tok *t = ubf_asm_peek(st);
	int op = ubf_asm_op(t), id;
	const char *fn;

	if (llvm_endian(st, dst, cls, col))
		return;
	if (op_in(op, UBF_OP_FETCH_ADD, UBF_OP_FETCH_OR, UBF_OP_FETCH_AND, UBF_OP_FETCH_XOR) ||
	    op == UBF_OP_LOAD_ACQ) {
		llvm_atomic_fn(st, dst, cls, op, col);
		return;
	}
	id = op != UBF_OP_IMM ? ubf_asm_find_row(UBF_KIND_LDDW, op, 64, -1) : -1;
	if (id >= 0) {
		llvm_pseudo(st, dst, cls, id, col);
		return;
	}
	for (op = UBF_OP_XCHG; op <= UBF_OP_CMPXCHG; op += UBF_OP_CMPXCHG - UBF_OP_XCHG) {
		fn = ubf_text_llvm_op((unsigned)op);
		if (ubf_tok_is2(t, fn, "_64") || ubf_tok_is2(t, fn, "32_32")) {
			llvm_xchg(st, dst, cls, op, ubf_tok_is2(t, fn, "_64") ? 8 : 4, col);
			return;
		}
	}
	ubf_asm_fail(
		st, t->col, "asm.bad_operand",
		"expected a register, number, load, byte swap, atomic or lddw form after '=' but "
		"found %s",
		ubf_asm_describe(st, t));
}

/* "rD = ..." or "rD op= ...": everything that starts with a register. */
static void llvm_assign(struct ubf_asm *st)
{
	uint32_t col = ubf_asm_peek(st)->col;
	const struct ubf_tok *op_tok, *t;
	unsigned dst = 0;
	char cls = 'r';

	ubf_asm_parse_reg(st, &dst, &cls);
	op_tok = ubf_asm_take(st);
	t = ubf_asm_peek(st);
	if (st->err)
		return;
	if (!ubf_tok_is(op_tok, "=") || ubf_asm_is_reg(t))
		llvm_alu(st, dst, cls, op_tok, col);
	else if (ubf_tok_is(t, "*"))
		llvm_load(st, dst, cls, col);
	else if (ubf_tok_is(t, "("))
		llvm_movsx(st, dst, cls, col);
	else if (ubf_tok_is(t, "-") && ubf_asm_peek2(st)->type == UBF_TOK_IDENT)
		llvm_neg(st, dst, cls, col);
	else if (t->type == UBF_TOK_NUM || ubf_tok_sign(t))
		llvm_imm(st, dst, cls, col);
	else
		llvm_named(st, dst, cls, col);
}

/* "*(u32 *)(r1 + 4) = r2", "*(u8 *)(r10 - 1) = 5" */
static void llvm_store(struct ubf_asm *st)
{
	uint32_t col = ubf_asm_peek(st)->col;
	struct ubf_raw_insn in[2] = {{0}};
	unsigned size = 8, dst = 0;
	struct src_opd s;
	int16_t off = 0;
	int id;

	st->pos++;
	parse_unsigned_type(st, &size);
	parse_mem(st, &dst, &off);
	ubf_asm_expect(st, "=");
	parse_src(st, &s, ubf_asm_is_reg(ubf_asm_peek(st)) ? ubf_asm_peek(st)->p[0] : 'r');
	if (s.is_reg)
		check_data_reg(st, s.col, s.cls, size);
	id = ubf_asm_find_row(s.is_reg ? UBF_KIND_STX : UBF_KIND_ST, UBF_OP_MEM, size, -1);
	ubf_asm_encode(in, id, dst, s.reg);
	in[0].off = off;
	if (!s.is_reg)
		ubf_asm_to_imm32(st, &s.num, &in[0].imm);
	ubf_asm_finish(st, id, in, col, "");
}

/* "lock *(u64 *)(r1 + 0) += r2" (also |=, &=, ^=) */
static void llvm_lock(struct ubf_asm *st)
{
	uint32_t col = ubf_asm_peek(st)->col;
	struct ubf_raw_insn in[2] = {{0}};
	unsigned size = 8, dst = 0, src = 0;
	const struct ubf_tok *op_tok;
	int16_t off = 0;
	char cls = 'r';
	int op, id = -1;

	st->pos += 2;
	parse_unsigned_type(st, &size);
	parse_mem(st, &dst, &off);
	op_tok = ubf_asm_take(st);
	op = ubf_asm_op(op_tok);
	if (op_in(op, UBF_OP_ADD, UBF_OP_OR, UBF_OP_AND, UBF_OP_XOR))
		id = ubf_asm_find_row(UBF_KIND_ATOMIC, op, size, -1);
	if (id < 0)
		ubf_asm_fail(st, op_tok->col, "asm.bad_operand",
			     "expected +=, |=, &= or ^= on a u32 or u64 but found %s",
			     ubf_asm_describe(st, op_tok));
	ubf_asm_parse_reg(st, &src, &cls);
	check_data_reg(st, col, cls, size);
	if (id >= 0)
		ubf_asm_encode(in, id, dst, src);
	in[0].off = off;
	ubf_asm_finish(st, id, in, col, "");
}

/* "store_release((u32 *)(r1 + 0), w2)" */
static void llvm_store_release(struct ubf_asm *st)
{
	uint32_t col = ubf_asm_peek(st)->col;
	struct ubf_raw_insn in[2] = {{0}};
	unsigned size = 8, dst = 0, src = 0;
	int16_t off = 0;
	char cls = 'r';
	int id;

	st->pos++;
	ubf_asm_expect(st, "(");
	parse_unsigned_type(st, &size);
	parse_mem(st, &dst, &off);
	ubf_asm_expect(st, ",");
	ubf_asm_parse_reg(st, &src, &cls);
	ubf_asm_expect(st, ")");
	check_data_reg(st, col, cls, size);
	id = ubf_asm_find_row(UBF_KIND_ATOMIC, UBF_OP_STORE_REL, size, -1);
	ubf_asm_encode(in, id, dst, src);
	in[0].off = off;
	ubf_asm_finish(st, id, in, col, "");
}

/* "if r1 > 3 goto +5", "if w1 s< w2 goto label" */
static void llvm_if(struct ubf_asm *st)
{
	uint32_t col = ubf_asm_peek(st)->col;
	struct ubf_raw_insn in[2] = {{0}};
	const struct ubf_tok *op_tok;
	struct src_opd s;
	unsigned dst = 0;
	char cls = 'r';
	int id;

	st->pos++;
	ubf_asm_parse_reg(st, &dst, &cls);
	op_tok = ubf_asm_take(st);
	parse_src(st, &s, cls);
	id = ubf_asm_find_row(UBF_KIND_JMP, ubf_asm_op(op_tok), cls == 'w' ? 32 : 64, s.is_reg);
	if (id < 0)
		ubf_asm_fail(st, op_tok->col, "asm.bad_operand",
			     "expected a condition (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &) but "
			     "found %s",
			     ubf_asm_describe(st, op_tok));
	if (st->err)
		return;
	ubf_asm_encode(in, id, dst, s.reg);
	if (!s.is_reg)
		ubf_asm_to_imm32(st, &s.num, &in[0].imm);
	ubf_asm_expect(st, "goto");
	ubf_asm_parse_target(st, &in[0], true);
	ubf_asm_finish(st, id, in, col, "");
}

/* "goto +1", "gotol label", "callx r2", "call pc+5", "call label" */
static void llvm_branch(struct ubf_asm *st)
{
	uint32_t col = ubf_asm_peek(st)->col;
	struct ubf_raw_insn in[2] = {{0}};
	const struct ubf_tok *t;
	unsigned dst = 0;
	int id;

	t = ubf_asm_take(st);
	if (ubf_tok_is(t, "callx")) {
		id = ubf_asm_find_row(UBF_KIND_CALLX, UBF_OP_CALLX, 0, -1);
		ubf_asm_parse_reg_cls(st, 'r', &dst);
		ubf_asm_encode(in, id, dst, 0);
	} else {
		if (ubf_tok_is(t, "call"))
			id = ubf_asm_find_row(UBF_KIND_CALL, UBF_OP_LOCAL, 0, -1);
		else
			id = ubf_asm_find_row(UBF_KIND_JA, UBF_OP_JA,
					      ubf_tok_is(t, "gotol") ? 32 : 64, -1);
		ubf_asm_encode(in, id, 0, 0);
		ubf_asm_parse_target(st, &in[0], ubf_asm_target_in_off(&ubf_isa_desc[id]));
	}
	ubf_asm_finish(st, id, in, col, "");
}

static bool is_assign_op(const struct ubf_tok *t)
{
	int op = ubf_asm_op(t);

	return t->type == UBF_TOK_PUNCT && (ubf_asm_find_row(UBF_KIND_ALU, op, 64, -1) >= 0 ||
					    ubf_asm_find_row(UBF_KIND_ALU, op, 32, -1) >= 0);
}

bool ubf_asm_llvm(struct ubf_asm *st)
{
	const struct ubf_tok *t = ubf_asm_peek(st), *t2 = ubf_asm_peek2(st);

	if (ubf_tok_is(t, "*"))
		llvm_store(st);
	else if (ubf_tok_is(t, "if"))
		llvm_if(st);
	else if (ubf_tok_is(t, "store_release"))
		llvm_store_release(st);
	else if (ubf_tok_is(t, "lock") && ubf_tok_is(t2, "*"))
		llvm_lock(st);
	else if (ubf_tok_is(t, "goto") || ubf_tok_is(t, "gotol") ||
		 (ubf_tok_is(t, "callx") && !ubf_tok_is(t2, "%")) ||
		 (ubf_tok_is(t, "call") && t2->type == UBF_TOK_IDENT && !ubf_tok_is(t2, "local") &&
		  !ubf_tok_is(t2, "kfunc")))
		llvm_branch(st);
	else if (ubf_asm_is_reg(t) && is_assign_op(t2))
		llvm_assign(st);
	else
		return false;
	return true;
}
