// SPDX-License-Identifier: BSD-2-Clause
/*
 * disasm.c - raw instructions to text, in the LLVM syntax, the
 * conformance suite's, or Linux's printer as bpftool shows it (output
 * only; helper names come from helpers.def), driven by the row's
 * shape, kind and op (never by opcode bytes).  For every instruction
 * LLVM 14 decodes faithfully the LLVM text is exactly what `llvm-objdump
 * -d` prints after the raw bytes; where LLVM 14 prints nothing or a lossy
 * text (ld_pseudo, kfunc calls, calls with src=1, ld_ind with an imm) the
 * spelling is the one newer LLVM or Linux verifier logs use, or ours
 * (see asm.c), so that every encoding reassembles to the same bytes.  It
 * does not judge whether the program is valid as a whole (jump ranges are
 * ubf_isa_check()'s business).
 */
#include "isa/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <userbpf/isa.h>

/* One spelling per op, shared with the assembler (which reads it backwards). */
static const char *const llvm_ops[UBF_OP_COUNT] = {
	[UBF_OP_ADD] = "+=",
	[UBF_OP_SUB] = "-=",
	[UBF_OP_MUL] = "*=",
	[UBF_OP_DIV] = "/=",
	[UBF_OP_SDIV] = "s/=",
	[UBF_OP_OR] = "|=",
	[UBF_OP_AND] = "&=",
	[UBF_OP_LSH] = "<<=",
	[UBF_OP_RSH] = ">>=",
	[UBF_OP_MOD] = "%=",
	[UBF_OP_SMOD] = "s%=",
	[UBF_OP_XOR] = "^=",
	[UBF_OP_MOV] = "=",
	[UBF_OP_ARSH] = "s>>=",
	[UBF_OP_MOVSX8] = "s8",
	[UBF_OP_MOVSX16] = "s16",
	[UBF_OP_MOVSX32] = "s32",
	[UBF_OP_LE] = "le",
	[UBF_OP_BE] = "be",
	[UBF_OP_BSWAP] = "bswap",
	[UBF_OP_JEQ] = "==",
	[UBF_OP_JGT] = ">",
	[UBF_OP_JGE] = ">=",
	[UBF_OP_JSET] = "&",
	[UBF_OP_JNE] = "!=",
	[UBF_OP_JSGT] = "s>",
	[UBF_OP_JSGE] = "s>=",
	[UBF_OP_JLT] = "<",
	[UBF_OP_JLE] = "<=",
	[UBF_OP_JSLT] = "s<",
	[UBF_OP_JSLE] = "s<=",
	[UBF_OP_MAP_FD] = "map_fd",
	[UBF_OP_MAP_VALUE] = "map_value",
	[UBF_OP_BTF_ID] = "btf_id",
	[UBF_OP_FUNC] = "func",
	[UBF_OP_MAP_IDX] = "map_idx",
	[UBF_OP_MAP_IDX_VALUE] = "map_idx_value",
	[UBF_OP_FETCH_ADD] = "atomic_fetch_add",
	[UBF_OP_FETCH_OR] = "atomic_fetch_or",
	[UBF_OP_FETCH_AND] = "atomic_fetch_and",
	[UBF_OP_FETCH_XOR] = "atomic_fetch_xor",
	[UBF_OP_XCHG] = "xchg",
	[UBF_OP_CMPXCHG] = "cmpxchg",
	[UBF_OP_LOAD_ACQ] = "load_acquire",
	[UBF_OP_STORE_REL] = "store_release",
};

const char *ubf_text_llvm_op(unsigned op)
{
	return op < UBF_OP_COUNT ? llvm_ops[op] : NULL;
}

/* Output with truncation: once the buffer is full, further text is dropped. */
struct out {
	char *buf;
	size_t sz;
	size_t len;
};

static void UBF_PRINTF(2, 3) put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->sz)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->sz - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* "r1 + 4", "r10 - 8": the address inside LLVM's parentheses. */
static void addr(struct out *o, unsigned reg, int16_t off)
{
	put(o, "r%u %c %d", reg, off < 0 ? '-' : '+', off < 0 ? -(int)off : (int)off);
}

static void mem(struct out *o, unsigned reg, int16_t off)
{
	put(o, "(");
	addr(o, reg, off);
	put(o, ")");
}

/* Register letter: ALU32 and JMP32 operate on the 32-bit halves, wN. */
static char width_reg(unsigned width)
{
	return width == 32 ? 'w' : 'r';
}

/*
 * Atomics: LLVM 14 prints 64-bit forms with rN; 32-bit fetch, xchg,
 * cmpxchg, or, and, xor (which it decodes only with +alu32) with wN, and
 * the 32-bit add (which it also decodes without +alu32) with rN.
 */
static char atomic_reg(const struct ubf_insn_desc *d)
{
	return d->width == 8 || d->op == UBF_OP_ADD ? 'r' : 'w';
}

static void llvm_alu(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	const char *sp = ubf_text_llvm_op(d->op);
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	char c = width_reg(d->width);

	if (d->op == UBF_OP_NEG)
		put(o, "%c%u = -%c%u", c, dst, c, dst);
	else if (d->op == UBF_OP_LE || d->op == UBF_OP_BE || d->op == UBF_OP_BSWAP)
		put(o, "r%u = %s%u r%u", dst, sp, d->width, dst);
	else if (d->op == UBF_OP_MOVSX8 || d->op == UBF_OP_MOVSX16 || d->op == UBF_OP_MOVSX32)
		put(o, "%c%u = (%s)%c%u", c, dst, sp, c, src);
	else if (ubf_shape_has_src(d->shape))
		put(o, "%c%u %s %c%u", c, dst, sp, c, src);
	else
		put(o, "%c%u %s %d", c, dst, sp, in->imm);
}

static void llvm_atomic(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	const char *sp = ubf_text_llvm_op(d->op);
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in), bits = d->width * 8u;
	char c = atomic_reg(d);

	if (d->op == UBF_OP_XCHG || d->op == UBF_OP_CMPXCHG) {
		const char *sfx = d->width == 8 ? "_64" : "32_32";

		put(o, "%c%u = %s%s(", c, d->op == UBF_OP_XCHG ? src : 0, sp, sfx);
		addr(o, dst, in->off);
		if (d->op == UBF_OP_CMPXCHG)
			put(o, ", %c0", c);
		put(o, ", %c%u)", c, src);
	} else if (d->op == UBF_OP_LOAD_ACQ) {
		put(o, "%c%u = %s((u%u *)", c, dst, sp, bits);
		mem(o, src, in->off);
		put(o, ")");
	} else if (d->op == UBF_OP_STORE_REL) {
		put(o, "%s((u%u *)", sp, bits);
		mem(o, dst, in->off);
		put(o, ", %c%u)", c, src);
	} else if (d->op == UBF_OP_ADD || d->op == UBF_OP_OR || d->op == UBF_OP_AND ||
		   d->op == UBF_OP_XOR) {
		put(o, "lock *(u%u *)", bits);
		mem(o, dst, in->off);
		put(o, " %s %c%u", sp, c, src);
	} else {
		put(o, "%c%u = %s((u%u *)", c, src, sp, bits);
		mem(o, dst, in->off);
		put(o, ", %c%u)", c, src);
	}
}

static void llvm_lddw(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in);
	uint64_t v = (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;

	if (d->op == UBF_OP_IMM)
		put(o, "r%u = %lld ll", dst, (long long)(int64_t)v);
	else if (d->op == UBF_OP_FUNC)
		put(o, "r%u = func[pc%+d]", dst, in->imm);
	else if (ubf_text_has_next_imm(d->op))
		put(o, "r%u = %s[%d]%+d", dst, ubf_text_llvm_op(d->op), in[0].imm, in[1].imm);
	else
		put(o, "r%u = %s[%d]", dst, ubf_text_llvm_op(d->op), in[0].imm);
}

static void llvm_ld_pkt(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned bits = d->width * 8u;
	long long imm = in->imm;

	if (d->op == UBF_OP_ABS)
		put(o, "r0 = *(u%u *)skb[%lld]", bits, imm);
	else if (imm == 0)
		put(o, "r0 = *(u%u *)skb[r%u]", bits, ubf_raw_src(in));
	else
		put(o, "r0 = *(u%u *)skb[r%u %c %lld]", bits, ubf_raw_src(in), imm < 0 ? '-' : '+',
		    imm < 0 ? -imm : imm);
}

static void llvm_call(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	if (d->op == UBF_OP_LOCAL)
		put(o, "call pc%+d", in->imm);
	else if (d->op == UBF_OP_KFUNC && in->off)
		put(o, "call kfunc %d, %d", in->imm, in->off);
	else if (d->op == UBF_OP_KFUNC)
		put(o, "call kfunc %d", in->imm);
	else
		put(o, "call %d", in->imm);
}

static void llvm_insn(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in), bits = d->width * 8u;
	char c = width_reg(d->width);

	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_ALU:
		llvm_alu(o, d, in);
		break;
	case UBF_KIND_JMP:
		if (ubf_shape_has_src(d->shape))
			put(o, "if %c%u %s %c%u goto %+d", c, dst, ubf_text_llvm_op(d->op), c, src,
			    in->off);
		else
			put(o, "if %c%u %s %d goto %+d", c, dst, ubf_text_llvm_op(d->op), in->imm,
			    in->off);
		break;
	case UBF_KIND_JA:
		if (d->width == 32)
			put(o, "gotol %+d", in->imm);
		else
			put(o, "goto %+d", in->off);
		break;
	case UBF_KIND_MAY_GOTO:
		put(o, "may_goto %+d", in->off);
		break;
	case UBF_KIND_CALL:
		llvm_call(o, d, in);
		break;
	case UBF_KIND_CALLX:
		put(o, "callx r%u", dst);
		break;
	case UBF_KIND_EXIT:
		put(o, "exit");
		break;
	case UBF_KIND_LDDW:
		llvm_lddw(o, d, in);
		break;
	case UBF_KIND_LD_PKT:
		llvm_ld_pkt(o, d, in);
		break;
	case UBF_KIND_LDX:
		put(o, "r%u = *(%c%u *)", dst, d->op == UBF_OP_MEMSX ? 's' : 'u', bits);
		mem(o, src, in->off);
		break;
	case UBF_KIND_ST:
		put(o, "*(u%u *)", bits);
		mem(o, dst, in->off);
		put(o, " = %d", in->imm);
		break;
	case UBF_KIND_STX:
		put(o, "*(u%u *)", bits);
		mem(o, dst, in->off);
		put(o, " = r%u", src);
		break;
	case UBF_KIND_ATOMIC:
		llvm_atomic(o, d, in);
		break;
	}
}

/* Does the row's relative target live in imm or off, and is there one? */
static int has_target(const struct ubf_insn_desc *d)
{
	struct ubf_raw_insn zero = {0};
	int64_t target;

	return ubf_isa_branch_target(d, &zero, 0, &target);
}

static void conf_lddw(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in);
	uint64_t v = (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
	const char *kw = ubf_text_llvm_op(d->op);

	if (d->op == UBF_OP_IMM)
		put(o, "%s %%r%u, 0x%llx", d->mnemonic, dst, (unsigned long long)v);
	else if (d->op == UBF_OP_FUNC)
		put(o, "%s %%r%u, %s %+d", d->mnemonic, dst, kw, in[0].imm);
	else if (ubf_text_has_next_imm(d->op))
		put(o, "%s %%r%u, %s %d, %d", d->mnemonic, dst, kw, in[0].imm, in[1].imm);
	else
		put(o, "%s %%r%u, %s %d", d->mnemonic, dst, kw, in[0].imm);
}

/* Memory operand "[%r1+4]", "[%r10-8]", "[%r1+0]". */
static void conf_mem(struct out *o, unsigned reg, int16_t off)
{
	put(o, "[%%r%u%+d]", reg, off);
}

static void conf_insn(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	const char *mn = d->mnemonic;
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	int is_jmp = d->kind == UBF_KIND_JMP;

	switch ((enum ubf_shape)d->shape) {
	case UBF_SHAPE_NONE:
		put(o, "%s", mn);
		break;
	case UBF_SHAPE_DST:
		/* The suite writes callx as "call %rN"; the table's "callx" is also accepted. */
		put(o, "%s %%r%u", d->kind == UBF_KIND_CALLX ? "call" : mn, dst);
		break;
	case UBF_SHAPE_DST_IMM:
		put(o, "%s %%r%u, %d", mn, dst, in->imm);
		break;
	case UBF_SHAPE_DST_SRC:
		put(o, "%s %%r%u, %%r%u", mn, dst, src);
		break;
	case UBF_SHAPE_DST_IMM_OFF:
		if (is_jmp) {
			put(o, "%s %%r%u, %d, %+d", mn, dst, in->imm, in->off);
		} else {
			put(o, "%s ", mn);
			conf_mem(o, dst, in->off);
			put(o, ", %d", in->imm);
		}
		break;
	case UBF_SHAPE_DST_SRC_OFF:
		if (is_jmp) {
			put(o, "%s %%r%u, %%r%u, %+d", mn, dst, src, in->off);
		} else if (d->kind == UBF_KIND_LDX || d->op == UBF_OP_LOAD_ACQ) {
			put(o, "%s %%r%u, ", mn, dst);
			conf_mem(o, src, in->off);
		} else {
			put(o, "%s ", mn);
			conf_mem(o, dst, in->off);
			put(o, ", %%r%u", src);
		}
		break;
	case UBF_SHAPE_OFF:
		put(o, "%s %+d", mn, in->off);
		break;
	case UBF_SHAPE_IMM:
		put(o, has_target(d) ? "%s %+d" : "%s %d", mn, in->imm);
		break;
	case UBF_SHAPE_IMM_OFF:
		put(o, "%s %d", mn, in->imm);
		if (in->off)
			put(o, ", %d", in->off);
		break;
	case UBF_SHAPE_SRC_IMM:
		put(o, "%s %%r%u, %d", mn, src, in->imm);
		break;
	case UBF_SHAPE_DST_IMM64:
		conf_lddw(o, d, in);
		break;
	}
}

/* ---------------------------------------------------------------- Linux's printer */

/*
 * The spelling of Linux's kernel/bpf/disasm.c, which the verifier log and
 * bpftool's `prog dump xlated` print: "(61) r2 = *(u32 *)(r1 +4)", "if r1
 * == 0x0 goto pc+3", "call bpf_map_lookup_elem#1".  An lddw's imm is what
 * bpftool shows for Linux's xlated form (the map's id, not its fd).  The
 * instructions newer than Linux 6.2 (cpu v4, may_goto, load-acquire) take
 * the spelling later Linux versions print.
 */
static const char *kern_size(unsigned width)
{
	return width == 1 ? "u8" : width == 2 ? "u16" : width == 4 ? "u32" : "u64";
}

/* The sign-extending loads (Linux 6.6) print "s8", "s16", "s32". */
static const char *kern_ssize(unsigned width)
{
	return width == 1 ? "s8" : width == 2 ? "s16" : "s32";
}

/* "(r1 +4)", "(r10 -8)", "(r1 +0)": Linux prints the offset with %+d. */
static void kern_mem(struct out *o, const char *size, unsigned reg, int16_t off)
{
	put(o, "(%s *)(r%u %+d)", size, reg, off);
}

static void kern_alu(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	char c = width_reg(d->width);
	const char *sp = ubf_text_llvm_op(d->op);

	if (d->op == UBF_OP_NEG)
		put(o, "%c%u = -%c%u", c, dst, c, dst);
	else if (d->op == UBF_OP_LE || d->op == UBF_OP_BE || d->op == UBF_OP_BSWAP)
		put(o, "r%u = %s%d r%u", dst, sp, in->imm, dst);
	else if (d->op == UBF_OP_MOVSX8 || d->op == UBF_OP_MOVSX16 || d->op == UBF_OP_MOVSX32)
		put(o, "%c%u = (%s)%c%u", c, dst, sp, c, src);
	else if (ubf_shape_has_src(d->shape))
		put(o, "%c%u %s %c%u", c, dst, sp, c, src);
	else
		put(o, "%c%u %s %d", c, dst, sp, in->imm);
}

/* Linux names the fetching atomics by their ALU operation. */
static const char *kern_fetch_op(unsigned op)
{
	switch (op) {
	case UBF_OP_FETCH_ADD:
		return "add";
	case UBF_OP_FETCH_OR:
		return "or";
	case UBF_OP_FETCH_AND:
		return "and";
	default:
		return "xor";
	}
}

static void kern_atomic(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	const char *size = kern_size(d->width), *w64 = d->width == 8 ? "64" : "";

	switch (d->op) {
	case UBF_OP_ADD:
	case UBF_OP_OR:
	case UBF_OP_AND:
	case UBF_OP_XOR:
		put(o, "lock *");
		kern_mem(o, size, dst, in->off);
		put(o, " %s r%u", ubf_text_llvm_op(d->op), src);
		break;
	case UBF_OP_XCHG:
		put(o, "r%u = atomic%s_xchg(", src, w64);
		kern_mem(o, size, dst, in->off);
		put(o, ", r%u)", src);
		break;
	case UBF_OP_CMPXCHG:
		put(o, "r0 = atomic%s_cmpxchg(", w64);
		kern_mem(o, size, dst, in->off);
		put(o, ", r0, r%u)", src);
		break;
	case UBF_OP_LOAD_ACQ:
		put(o, "r%u = load_acquire(", dst);
		kern_mem(o, size, src, in->off);
		put(o, ")");
		break;
	case UBF_OP_STORE_REL:
		put(o, "store_release(");
		kern_mem(o, size, dst, in->off);
		put(o, ", r%u)", src);
		break;
	default:
		put(o, "r%u = atomic%s_fetch_%s(", src, w64, kern_fetch_op(d->op));
		kern_mem(o, size, dst, in->off);
		put(o, ", r%u)", src);
		break;
	}
}

/* bpftool's text for the imm of an lddw of Linux's xlated form. */
static void kern_lddw(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	uint64_t v = (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;

	put(o, "r%u = ", ubf_raw_dst(in));
	if (d->op == UBF_OP_MAP_FD)
		put(o, "map[id:%u]", (uint32_t)in[0].imm);
	else if (d->op == UBF_OP_MAP_VALUE)
		put(o, "map[id:%u][0]+%u", (uint32_t)in[0].imm, (uint32_t)in[1].imm);
	else if (d->op == UBF_OP_MAP_IDX_VALUE)
		put(o, "map[idx:%u]+%u", (uint32_t)in[0].imm, (uint32_t)in[1].imm);
	else if (d->op == UBF_OP_FUNC)
		put(o, "subprog[%+d]", in[0].imm);
	else
		put(o, "0x%llx", (unsigned long long)v);
}

/*
 * Linux's names of the helpers, read from the table's data alone (not the
 * registry: printing must not link the implementations in).
 */
static const char *const helper_names[] = {
#define X(id, name, ...) [id] = "bpf_" #name,
#include "helpers/helpers.def"
#undef X
};

static void kern_call(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	uint32_t id = (uint32_t)in->imm;

	if (d->op == UBF_OP_LOCAL)
		put(o, "call pc%+d", in->imm);
	else if (d->op == UBF_OP_KFUNC)
		put(o, "call kernel-function#%d", in->imm);
	else if (id < sizeof(helper_names) / sizeof(helper_names[0]) && helper_names[id])
		put(o, "call %s#%d", helper_names[id], in->imm);
	else
		put(o, "call unknown#%d", in->imm);
}

static void kern_jmp(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	char c = width_reg(d->width);

	if (ubf_shape_has_src(d->shape))
		put(o, "if %c%u %s %c%u goto pc%+d", c, ubf_raw_dst(in), ubf_text_llvm_op(d->op), c,
		    ubf_raw_src(in), in->off);
	else
		put(o, "if %c%u %s 0x%x goto pc%+d", c, ubf_raw_dst(in), ubf_text_llvm_op(d->op),
		    (uint32_t)in->imm, in->off);
}

static void kern_insn(struct out *o, const struct ubf_insn_desc *d, const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);

	put(o, "(%02x) ", in->code);
	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_ALU:
		kern_alu(o, d, in);
		break;
	case UBF_KIND_JMP:
		kern_jmp(o, d, in);
		break;
	case UBF_KIND_JA:
		if (d->width == 32)
			put(o, "gotol pc%+d", in->imm);
		else
			put(o, "goto pc%+d", in->off);
		break;
	case UBF_KIND_MAY_GOTO:
		put(o, "may_goto pc%+d", in->off);
		break;
	case UBF_KIND_CALL:
		kern_call(o, d, in);
		break;
	case UBF_KIND_CALLX:
		put(o, "callx r%u", dst);
		break;
	case UBF_KIND_EXIT:
		put(o, "exit");
		break;
	case UBF_KIND_LDDW:
		kern_lddw(o, d, in);
		break;
	case UBF_KIND_LD_PKT:
		if (d->op == UBF_OP_ABS)
			put(o, "r0 = *(%s *)skb[%d]", kern_size(d->width), in->imm);
		else
			put(o, "r0 = *(%s *)skb[r%u + %d]", kern_size(d->width), src, in->imm);
		break;
	case UBF_KIND_LDX:
		put(o, "r%u = *", dst);
		kern_mem(o, d->op == UBF_OP_MEMSX ? kern_ssize(d->width) : kern_size(d->width), src,
			 in->off);
		break;
	case UBF_KIND_ST:
		put(o, "*");
		kern_mem(o, kern_size(d->width), dst, in->off);
		put(o, " = %d", in->imm);
		break;
	case UBF_KIND_STX:
		put(o, "*");
		kern_mem(o, kern_size(d->width), dst, in->off);
		put(o, " = r%u", src);
		break;
	case UBF_KIND_ATOMIC:
		kern_atomic(o, d, in);
		break;
	}
}

/*
 * Is insns[idx] exactly an encoding of row @d: fields the shape does not
 * use are zero, registers are r0..r10, and an lddw has a well-formed second
 * slot?  Writes to r10 print fine; rejecting them is the decoder's job.
 */
static int fits_row(const struct ubf_insn_desc *d, const struct ubf_raw_insn *insns,
		    size_t insn_cnt, size_t idx)
{
	const struct ubf_raw_insn *in = &insns[idx], *hi;
	unsigned shape = d->shape;

	if ((!ubf_shape_has_dst(shape) && ubf_raw_dst(in)) || ubf_raw_dst(in) > 10)
		return 0;
	if (d->key.field != UBF_KEY_SRC &&
	    (ubf_shape_has_src(shape) ? ubf_raw_src(in) > 10 : ubf_raw_src(in) != 0))
		return 0;
	if (d->key.field != UBF_KEY_OFF && !ubf_shape_has_off(shape) && in->off)
		return 0;
	if (d->key.field != UBF_KEY_IMM && !ubf_shape_has_imm(shape) && in->imm)
		return 0;
	if (d->kind != UBF_KIND_LDDW)
		return 1;
	if (idx + 1 >= insn_cnt)
		return 0;
	hi = &insns[idx + 1];
	if (hi->code || hi->regs || hi->off)
		return 0;
	return d->op == UBF_OP_IMM || ubf_text_has_next_imm(d->op) || hi->imm == 0;
}

int ubf_disasm_insn(const struct ubf_raw_insn *insns, size_t insn_cnt, size_t idx,
		    enum ubf_syntax syntax, char *buf, size_t buf_sz)
{
	struct out o = {.buf = buf, .sz = buf_sz};
	const struct ubf_insn_desc *d;
	int id;

	if (!insns || !buf || !buf_sz || idx >= insn_cnt || (syntax != UBF_SYNTAX_LLVM &&
	    syntax != UBF_SYNTAX_CONFORMANCE && syntax != UBF_SYNTAX_BPFTOOL))
		return -EINVAL;
	buf[0] = '\0';
	id = ubf_isa_lookup(&insns[idx]);
	if (id < 0 || !fits_row(&ubf_isa_desc[id], insns, insn_cnt, idx)) {
		if (syntax == UBF_SYNTAX_BPFTOOL)
			put(&o, "(%02x) ", insns[idx].code);
		put(&o, "<unknown>");
		return 1;
	}
	d = &ubf_isa_desc[id];
	if (syntax == UBF_SYNTAX_LLVM)
		llvm_insn(&o, d, &insns[idx]);
	else if (syntax == UBF_SYNTAX_BPFTOOL)
		kern_insn(&o, d, &insns[idx]);
	else
		conf_insn(&o, d, &insns[idx]);
	return (int)ubf_isa_slots(d);
}
