// SPDX-License-Identifier: BSD-2-Clause
/*
 * decode.c - validation of raw instructions against the table: the opcode
 * and key must name a row, every field the row's shape does not use must
 * be zero, registers must exist, r10 is never written, an lddw has its
 * second slot, and (for a whole program) every jump lands on the start of
 * an instruction inside the program.  It does not judge safety; that is
 * the verifier's job.
 */
#include "isa/isa.h"

#include <errno.h>
#include <stdlib.h>

#include <userbpf/isa.h>

/* Does the row write its dst register?  (Stores and atomics on memory do not.) */
static int writes_dst(const struct ubf_insn_desc *d)
{
	switch ((enum ubf_kind)d->kind) {
	case UBF_KIND_ALU:
	case UBF_KIND_LDX:
	case UBF_KIND_LDDW:
		return 1;
	case UBF_KIND_ATOMIC:
		return d->op == UBF_OP_LOAD_ACQ;
	case UBF_KIND_JMP:
	case UBF_KIND_JA:
	case UBF_KIND_MAY_GOTO:
	case UBF_KIND_CALL:
	case UBF_KIND_CALLX:
	case UBF_KIND_EXIT:
	case UBF_KIND_LD_PKT:
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		return 0;
	}
	return 0;
}

/* Atomic fetch forms and xchg write the old value back into src. */
static int writes_src(const struct ubf_insn_desc *d)
{
	return d->kind == UBF_KIND_ATOMIC &&
	       (d->op == UBF_OP_FETCH_ADD || d->op == UBF_OP_FETCH_OR || d->op == UBF_OP_FETCH_AND ||
		d->op == UBF_OP_FETCH_XOR || d->op == UBF_OP_XCHG);
}

static int reject(struct ubf_diag *diag, size_t idx, const char *id, const char *what,
		  const struct ubf_raw_insn *in)
{
	ubf_diag_set(diag, (uint32_t)idx, id, "insn %zu: %s (code 0x%02x dst %u src %u off %d imm %d)",
		     idx, what, in->code, ubf_raw_dst(in), ubf_raw_src(in), in->off, in->imm);
	return -EINVAL;
}

static int check_fields(const struct ubf_insn_desc *d, const struct ubf_raw_insn *in, size_t idx,
			 struct ubf_diag *diag)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);

	if (!ubf_shape_has_dst(d->shape) && dst)
		return reject(diag, idx, "insn.reserved_field", "dst must be 0", in);
	if (!ubf_shape_has_src(d->shape) && d->key.field != UBF_KEY_SRC && src)
		return reject(diag, idx, "insn.reserved_field", "src must be 0", in);
	if (!ubf_shape_has_off(d->shape) && d->key.field != UBF_KEY_OFF && in->off)
		return reject(diag, idx, "insn.reserved_field", "off must be 0", in);
	if (!ubf_shape_has_imm(d->shape) && d->key.field != UBF_KEY_IMM && in->imm)
		return reject(diag, idx, "insn.reserved_field", "imm must be 0", in);
	if (dst > 10)
		return reject(diag, idx, "insn.bad_register", "dst is not r0..r10", in);
	if (ubf_shape_has_src(d->shape) && src > 10)
		return reject(diag, idx, "insn.bad_register", "src is not r0..r10", in);
	if (dst == 10 && writes_dst(d))
		return reject(diag, idx, "insn.write_r10", "r10 is read-only", in);
	if (src == 10 && writes_src(d))
		return reject(diag, idx, "insn.write_r10", "r10 is read-only", in);
	return 0;
}

int ubf_isa_decode_one(const struct ubf_raw_insn *insns, size_t insn_cnt, size_t idx,
		       struct ubf_diag *diag)
{
	const struct ubf_raw_insn *in = &insns[idx];
	const struct ubf_insn_desc *d;
	int id, err;

	id = ubf_isa_lookup(in);
	if (id < 0)
		return reject(diag, idx, "insn.unknown_opcode", "no instruction has this encoding", in);
	d = &ubf_isa_desc[id];
	err = check_fields(d, in, idx, diag);
	if (err)
		return err;
	if (d->kind == UBF_KIND_LDDW) {
		const struct ubf_raw_insn *hi;

		if (idx + 1 >= insn_cnt)
			return reject(diag, idx, "insn.lddw_truncated",
				      "lddw needs a second slot but the program ends", in);
		hi = &insns[idx + 1];
		if (hi->code || hi->regs || hi->off)
			return reject(diag, idx + 1, "insn.lddw_bad_second",
				      "second slot of lddw must be zero apart from imm", hi);
		if (d->op == UBF_OP_IMM || d->op == UBF_OP_MAP_FD || d->op == UBF_OP_BTF_ID ||
		    d->op == UBF_OP_FUNC || d->op == UBF_OP_MAP_IDX) {
			if (d->op != UBF_OP_IMM && hi->imm)
				return reject(diag, idx + 1, "insn.lddw_bad_second",
					      "this lddw form takes no second immediate", hi);
		}
	}
	return id;
}

static int can_fall_through(const struct ubf_insn_desc *d)
{
	return d->kind != UBF_KIND_EXIT && d->kind != UBF_KIND_JA;
}

/* Second pass: every jump, local call and function address lands on an instruction start. */
static int check_targets(const struct ubf_raw_insn *insns, size_t insn_cnt, const uint8_t *is_start,
			 struct ubf_diag *diag)
{
	size_t idx;

	for (idx = 0; idx < insn_cnt; idx++) {
		const struct ubf_insn_desc *d;
		int64_t target;

		if (!is_start[idx])
			continue;
		d = &ubf_isa_desc[ubf_isa_lookup(&insns[idx])];
		if (!ubf_isa_branch_target(d, &insns[idx], idx, &target))
			continue;
		if (target < 0 || target >= (int64_t)insn_cnt) {
			ubf_diag_set(diag, (uint32_t)idx, "insn.jump_out_of_range",
				     "insn %zu: target %lld is outside the program (0..%zu)", idx,
				     (long long)target, insn_cnt - 1);
			return -EINVAL;
		}
		if (!is_start[target]) {
			ubf_diag_set(diag, (uint32_t)idx, "insn.jump_into_lddw",
				     "insn %zu: target %lld is the second slot of an lddw", idx,
				     (long long)target);
			return -EINVAL;
		}
	}
	return 0;
}

int ubf_isa_check(const struct ubf_raw_insn *insns, size_t insn_cnt, struct ubf_diag *diag)
{
	uint8_t *is_start;
	size_t idx;
	int err = 0;

	if (!insns || insn_cnt == 0) {
		ubf_diag_set(diag, UBF_DIAG_NO_INSN, "insn.empty", "program has no instructions");
		return -EINVAL;
	}
	if (insn_cnt > UBF_MAX_INSNS) {
		ubf_diag_set(diag, UBF_DIAG_NO_INSN, "insn.too_many",
			     "program has %zu instructions, at most %u are allowed", insn_cnt,
			     UBF_MAX_INSNS);
		return -E2BIG;
	}
	is_start = calloc(insn_cnt, 1);
	if (!is_start)
		return -ENOMEM;
	for (idx = 0; idx < insn_cnt;) {
		const struct ubf_insn_desc *d;
		int id;

		id = ubf_isa_decode_one(insns, insn_cnt, idx, diag);
		if (id < 0) {
			err = id;
			goto out_free;
		}
		d = &ubf_isa_desc[id];
		is_start[idx] = 1;
		if (can_fall_through(d) && idx + ubf_isa_slots(d) >= insn_cnt) {
			ubf_diag_set(diag, (uint32_t)idx, "insn.falls_off_end",
				     "insn %zu: execution can continue past the last instruction",
				     idx);
			err = -EINVAL;
			goto out_free;
		}
		idx += ubf_isa_slots(d);
	}
	err = check_targets(insns, insn_cnt, is_start, diag);
out_free:
	free(is_start);
	return err;
}
