// SPDX-License-Identifier: BSD-2-Clause
/*
 * isa.c - the descriptor array built from insn.def, lookup by opcode and
 * key, encoding of a row, and the public description of rows for tools.
 * Field validation of whole programs is in decode.c.
 */
#include "isa/isa.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <userbpf/isa.h>

#define K_NONE { UBF_KEY_NONE, 0 }
#define K_SRC(n) { UBF_KEY_SRC, n }
#define K_OFF(n) { UBF_KEY_OFF, n }
#define K_IMM(n) { UBF_KEY_IMM, n }

const struct ubf_insn_desc ubf_isa_desc[UBF_INSN_COUNT] = {
#define X(id_, code_, key_, shape_, kind_, op_, w_, grp_, mn_, doc_)                          \
	[UBF_INSN_##id_] = { .code = code_, .key = key_, .shape = UBF_SHAPE_##shape_,       \
			     .kind = UBF_KIND_##kind_, .op = UBF_OP_##op_, .width = w_,      \
			     .group = UBF_GROUP_##grp_, .mnemonic = mn_, .name = #id_,        \
			     .doc = doc_ },
#include "insn.def"
#undef X
};

#define UBF_NAME(n) #n,
static const char *const shape_names[] = { UBF_SHAPE_LIST(UBF_NAME) };
static const char *const kind_names[] = { UBF_KIND_LIST(UBF_NAME) };
static const char *const op_names[] = { UBF_OP_LIST(UBF_NAME) };
static const char *const group_names[] = { UBF_GROUP_LIST(UBF_NAME) };
#undef UBF_NAME

static const char *name_of(const char *const *names, size_t cnt, unsigned v)
{
	return v < cnt ? names[v] : "?";
}

const char *ubf_isa_kind_name(unsigned kind)
{
	return name_of(kind_names, UBF_ARRAY_SIZE(kind_names), kind);
}

const char *ubf_isa_op_name(unsigned op)
{
	return name_of(op_names, UBF_ARRAY_SIZE(op_names), op);
}

const char *ubf_isa_group_name(unsigned group)
{
	return name_of(group_names, UBF_ARRAY_SIZE(group_names), group);
}

const char *ubf_isa_shape_name(unsigned shape)
{
	return name_of(shape_names, UBF_ARRAY_SIZE(shape_names), shape);
}

static int32_t key_value(const struct ubf_raw_insn *in, unsigned field)
{
	switch ((enum ubf_key_field)field) {
	case UBF_KEY_NONE:
		return 0;
	case UBF_KEY_SRC:
		return (int32_t)ubf_raw_src(in);
	case UBF_KEY_OFF:
		return in->off;
	case UBF_KEY_IMM:
		return in->imm;
	}
	return 0;
}

int ubf_isa_lookup(const struct ubf_raw_insn *in)
{
	size_t lo = 0, hi = UBF_INSN_COUNT;

	/* Rows are sorted by code: find the first row with this code. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ubf_isa_desc[mid].code < in->code)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < UBF_INSN_COUNT && ubf_isa_desc[lo].code == in->code; lo++) {
		const struct ubf_insn_desc *d = &ubf_isa_desc[lo];

		if (d->key.field == UBF_KEY_NONE || key_value(in, d->key.field) == d->key.val)
			return (int)lo;
	}
	return -EINVAL;
}

int ubf_isa_branch_target(const struct ubf_insn_desc *d, const struct ubf_raw_insn *in,
			  size_t idx, int64_t *target)
{
	int64_t delta = 0;

	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_JMP:
	case UBF_KIND_MAY_GOTO:
		delta = in->off;
		break;
	case UBF_KIND_JA:
		delta = d->width == 32 ? in->imm : in->off;
		break;
	case UBF_KIND_CALL:
		if (d->op != UBF_OP_LOCAL)
			return 0;
		delta = in->imm;
		break;
	case UBF_KIND_LDDW:
		if (d->op != UBF_OP_FUNC)
			return 0;
		delta = in->imm;
		break;
	case UBF_KIND_ALU:
	case UBF_KIND_CALLX:
	case UBF_KIND_EXIT:
	case UBF_KIND_LD_PKT:
	case UBF_KIND_LDX:
	case UBF_KIND_ST:
	case UBF_KIND_STX:
	case UBF_KIND_ATOMIC:
		return 0;
	}
	*target = (int64_t)idx + 1 + delta;
	return 1;
}

struct ubf_raw_insn ubf_isa_encode(enum ubf_insn_id id)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	struct ubf_raw_insn in = { .code = d->code };

	switch ((enum ubf_key_field)d->key.field) {
	case UBF_KEY_NONE:
		break;
	case UBF_KEY_SRC:
		in.regs = UBF_REGS(0, d->key.val);
		break;
	case UBF_KEY_OFF:
		in.off = (int16_t)d->key.val;
		break;
	case UBF_KEY_IMM:
		in.imm = d->key.val;
		break;
	}
	return in;
}

struct ubf_raw_insn ubf_isa_encode_ops(enum ubf_insn_id id, unsigned dst, unsigned src, int16_t off,
				       int32_t imm)
{
	const struct ubf_insn_desc *d = &ubf_isa_desc[id];
	struct ubf_raw_insn in = ubf_isa_encode(id);

	if (ubf_shape_has_dst(d->shape))
		in.regs = UBF_REGS(dst, ubf_raw_src(&in));
	if (ubf_shape_has_src(d->shape) && d->key.field != UBF_KEY_SRC)
		in.regs = UBF_REGS(ubf_raw_dst(&in), src);
	if (ubf_shape_has_off(d->shape) && d->key.field != UBF_KEY_OFF)
		in.off = off;
	if (ubf_shape_has_imm(d->shape) && d->key.field != UBF_KEY_IMM)
		in.imm = imm;
	return in;
}

void ubf_diag_set(struct ubf_diag *diag, uint32_t insn_idx, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return;
	diag->insn_idx = insn_idx;
	diag->id = id;
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
}

size_t ubf_isa_row_cnt(void)
{
	return UBF_INSN_COUNT;
}

static const char *const shape_fields[] = {
	[UBF_SHAPE_NONE] = "",
	[UBF_SHAPE_DST] = "dst",
	[UBF_SHAPE_DST_IMM] = "dst,imm",
	[UBF_SHAPE_DST_SRC] = "dst,src",
	[UBF_SHAPE_DST_IMM_OFF] = "dst,off,imm",
	[UBF_SHAPE_DST_SRC_OFF] = "dst,src,off",
	[UBF_SHAPE_OFF] = "off",
	[UBF_SHAPE_IMM] = "imm",
	[UBF_SHAPE_IMM_OFF] = "off,imm",
	[UBF_SHAPE_SRC_IMM] = "src,imm",
	[UBF_SHAPE_DST_IMM64] = "dst,imm64",
};

int ubf_isa_row(size_t idx, struct ubf_isa_row *row)
{
	static const char *const key_names[] = { "", "src", "off", "imm" };
	const struct ubf_insn_desc *d;
	struct ubf_raw_insn *ex;

	if (idx >= UBF_INSN_COUNT)
		return -ENOENT;
	d = &ubf_isa_desc[idx];
	memset(row, 0, sizeof(*row));
	row->name = d->name;
	row->code = d->code;
	if (d->key.field == UBF_KEY_IMM && d->key.val > 9)
		snprintf(row->key, sizeof(row->key), "imm=0x%x", (unsigned)d->key.val);
	else if (d->key.field != UBF_KEY_NONE)
		snprintf(row->key, sizeof(row->key), "%s=%d", key_names[d->key.field],
			 (int)d->key.val);
	row->shape = shape_fields[d->shape];
	row->kind = kind_names[d->kind];
	row->op = op_names[d->op];
	row->width = d->width;
	row->group = group_names[d->group];
	row->mnemonic = d->mnemonic;
	row->doc = d->doc;

	ex = row->example;
	ex[0] = ubf_isa_encode_ops((enum ubf_insn_id)idx, 1, 2, 1, 1);
	if (d->kind == UBF_KIND_LDDW)
		ex[1].imm = 0;
	return 0;
}
