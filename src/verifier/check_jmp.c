// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_jmp.c - conditional jumps: scalar refinement of both sides through
 * scalar_jmp.c, null checks of maybe-null pointers (every copy with the same
 * id), and packet ranges proven by comparing a packet pointer with the
 * packet end.  Each live side becomes a path; the walk is in verify.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <userbpf/helper.h>
#include <userbpf/isa.h>

#include "isa/isa.h"
#include "verifier/ctx.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

/*
 * A null check: every copy of the pointer (same id) becomes non-null or
 * the scalar 0.  A map-in-map's value is the inner map: non-null, it is
 * a map pointer to the inner map template, with no id (Linux's
 * mark_ptr_not_null_reg()).
 */
static void mark_null(struct ubf_vstate *st, const struct ubf_verify_map *maps, uint32_t id,
		      int is_null)
{
	unsigned i;

	for (i = 0; i < ubf_vfy_state_reg_cnt(st); i++) {
		struct ubf_vreg *r = ubf_vfy_state_reg(st, i);

		if (!r)
			continue;
		if (!ubf_vfy_reg_is_null_ptr(r) || r->id != id)
			continue;
		if (is_null) {
			ubf_vfy_reg_scalar(r, ubf_scalar_const(0));
			continue;
		}
		if (r->type == UBF_VREG_MAP_VALUE_OR_NULL && maps[r->map].inner) {
			r->type = UBF_VREG_MAP_PTR;
			r->map = maps[r->map].inner - 1;
			r->id = 0;
			continue;
		}
		/*
		 * map values keep their id: a spin lock taken through one is named
		 * by it; a socket keeps the reference it holds (@ref)
		 */
		if (r->type != UBF_VREG_MAP_VALUE_OR_NULL)
			r->id = 0;
		r->type = (uint8_t)ubf_vfy_type_not_null(r->type);
	}
	if (is_null) {
		for (i = 0; i < st->ref_cnt; i++) {
			if (st->refs[i] == id) {
				st->refs[i] = st->refs[--st->ref_cnt];
				break;
			}
		}
	}
}

static void set_pkt_range(struct ubf_vstate *st, const struct ubf_vreg *p, uint32_t range)
{
	unsigned i;

	for (i = 0; i < ubf_vfy_state_reg_cnt(st); i++) {
		struct ubf_vreg *r = ubf_vfy_state_reg(st, i);

		if (!r)
			continue;
		if (r->type == p->type && r->id == p->id && r->range < range)
			r->range = range;
	}
}

/*
 * Pointer comparisons that teach something: `ptr == 0` on a maybe-null
 * pointer, and a packet pointer against the packet end (or a meta pointer
 * against the packet start).  @taken_st / @fall_st get the facts of each side.
 * Return: a nonzero bitmask of live sides (1 fall, 2 taken).
 */
static int ptr_branch(const struct ubf_vfy_env *env, struct ubf_vstate *fall,
		      struct ubf_vstate *taken, unsigned op, unsigned dreg, unsigned sreg, int is_imm,
		      int32_t imm)
{
	const struct ubf_vreg *d = &fall->regs[dreg], *s = is_imm ? NULL : &fall->regs[sreg];
	int zero_cmp = is_imm ? imm == 0 :
				(s->type == UBF_VREG_SCALAR && ubf_scalar_is_const(&s->s) &&
				 !s->s.var_off.value);
	int le_fall, lt;
	const struct ubf_vreg *pkt;
	uint32_t pkt_end_type;

	if ((op == UBF_OP_JEQ || op == UBF_OP_JNE) && zero_cmp && ubf_vfy_reg_is_ptr(d)) {
		uint32_t id = d->id;

		/* Linux 6.18 null-checks against an immediate 0 only, not a register holding 0 */
		if (ubf_vfy_reg_is_null_ptr(d) && id && is_imm) {
			mark_null(op == UBF_OP_JEQ ? taken : fall, env->in->maps, id, 1);
			mark_null(op == UBF_OP_JEQ ? fall : taken, env->in->maps, id, 0);
			return 3;
		}
		/*
		 * Linux's reg_not_null(): these are never null; a stack, context,
		 * flow keys or tracepoint buffer pointer may be, it says
		 */
		if (d->type == UBF_VREG_MAP_VALUE || d->type == UBF_VREG_MAP_KEY ||
		    d->type == UBF_VREG_MEM || d->type == UBF_VREG_MAP_PTR ||
		    d->type == UBF_VREG_BTF_TRUSTED || ubf_vfy_reg_is_sock(d))
			return op == UBF_OP_JEQ ? 1 : 2;
		return 3;
	}
	if (is_imm)
		return 3;
	/* normalise to "pkt OP end" */
	pkt = d;
	pkt_end_type = d->type == UBF_VREG_PACKET ? UBF_VREG_PACKET_END :
		       d->type == UBF_VREG_PACKET_META ? UBF_VREG_PACKET : 0;
	if (!pkt_end_type || s->type != pkt_end_type) {
		pkt = s;
		pkt_end_type = s->type == UBF_VREG_PACKET ? UBF_VREG_PACKET_END :
			       s->type == UBF_VREG_PACKET_META ? UBF_VREG_PACKET : 0;
		if (!pkt_end_type || d->type != pkt_end_type)
			return 3;
		/* end OP pkt: swap the sense */
		switch (op) {
		case UBF_OP_JGT: op = UBF_OP_JLT; break;
		case UBF_OP_JGE: op = UBF_OP_JLE; break;
		case UBF_OP_JLT: op = UBF_OP_JGT; break;
		case UBF_OP_JLE: op = UBF_OP_JGE; break;
		default: return 3;
		}
	}
	if (pkt->off < 0 || pkt->s.smin < 0 || pkt->s.umax > UBF_VFY_MAX_PACKET_OFF ||
	    (int64_t)pkt->s.umax + pkt->off > UBF_VFY_MAX_PACKET_OFF)
		return 3;
	/* which side knows pkt <= end (le) or pkt < end (lt) */
	switch (op) {
	case UBF_OP_JGT: le_fall = 1; lt = 0; break;	/* fall: pkt <= end */
	case UBF_OP_JGE: le_fall = 1; lt = 1; break;	/* fall: pkt < end */
	case UBF_OP_JLT: le_fall = 0; lt = 1; break;	/* taken: pkt < end */
	case UBF_OP_JLE: le_fall = 0; lt = 0; break;	/* taken: pkt <= end */
	default: return 3;
	}
	{
		struct ubf_vreg p = *pkt;

		set_pkt_range(le_fall ? fall : taken, &p, (uint32_t)p.off + (uint32_t)lt);
	}
	return 3;
}

/* ------------------------------------------------------------ linked scalars */

void ubf_vfy_link(struct ubf_vfy_env *env, struct ubf_vreg *r)
{
	if (r->type == UBF_VREG_SCALAR && !r->id && !ubf_scalar_is_const(&r->s))
		r->id = ++env->id_gen & ~UBF_VFY_ID_ADD_CONST;
}

static int is_linked(const struct ubf_vreg *r, const struct ubf_vreg *to)
{
	return r->type == UBF_VREG_SCALAR && to->id &&
	       !((r->id ^ to->id) & ~UBF_VFY_ID_ADD_CONST);
}

void ubf_vfy_linked(const struct ubf_vstate *st, const struct ubf_vreg *r, uint16_t *regs,
		    uint64_t *slots)
{
	unsigned i;

	if (r->type != UBF_VREG_SCALAR || !r->id)
		return;
	for (i = 0; i < UBF_VFY_REGS; i++)
		if (is_linked(&st->regs[i], r))
			*regs |= (uint16_t)(1u << i);
	for (i = 0; i < UBF_VFY_SLOTS; i++)
		if (st->stack[i].type[0] == UBF_VSLOT_SPILL && is_linked(&st->stack[i].spill, r))
			*slots |= (uint64_t)1 << i;
}

/* @r gets @known's value, moved by the difference of their constants (Linux's sync_linked_regs()). */
static void sync_one(struct ubf_vreg *r, const struct ubf_vreg *known)
{
	struct ubf_scalar delta;

	if (r == known || !is_linked(r, known))
		return;
	if (!((r->id | known->id) & UBF_VFY_ID_ADD_CONST) || r->off == known->off) {
		r->s = known->s;
		return;
	}
	delta = ubf_scalar_const((uint64_t)((int64_t)r->off - (int64_t)known->off));
	r->s = known->s;
	ubf_scalar_alu(&r->s, UBF_OP_ADD, 64, &delta);
}

void ubf_vfy_sync_linked(struct ubf_vstate *st, const struct ubf_vreg *known)
{
	unsigned i;

	if (known->type != UBF_VREG_SCALAR || !known->id)
		return;
	for (i = 0; i < UBF_VFY_REGS; i++)
		sync_one(&st->regs[i], known);
	for (i = 0; i < UBF_VFY_SLOTS; i++)
		if (st->stack[i].type[0] == UBF_VSLOT_SPILL)
			sync_one(&st->stack[i].spill, known);
}

/* After a branch refined its operands: the first, then the second (a register) */
static void sync_operands(struct ubf_vstate *st, unsigned dreg, unsigned sreg)
{
	ubf_vfy_sync_linked(st, &st->regs[dreg]);
	if (sreg < UBF_VFY_REGS)
		ubf_vfy_sync_linked(st, &st->regs[sreg]);
}

/* The scalar operands of a branch decided something (ubf_vfy_precise() skips pointers). */
static void mark_operands(struct ubf_vfy_env *env, unsigned dreg, unsigned sreg)
{
	ubf_vfy_precise(env, dreg);
	if (sreg < UBF_VFY_REGS)
		ubf_vfy_precise(env, sreg);
}

int ubf_vfy_check_jmp(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in, uint32_t target)
{
	struct ubf_vstate *st = env->st;
	unsigned dreg = ubf_raw_dst(in), sreg = ubf_raw_src(in);
	int is_imm = d->shape == UBF_SHAPE_DST_IMM_OFF;
	unsigned oreg = is_imm ? UBF_VFY_REGS : sreg;	/* the second operand's register, or none */
	struct ubf_vreg *dr = &st->regs[dreg], imm_reg;
	struct ubf_vreg *sr;
	struct ubf_vstate *tk = env->tmp;
	int live, leak, err, et, ef;

	err = ubf_vfy_check_read(env, idx, dreg, "reg.uninit_read");
	if (!err && !is_imm)
		err = ubf_vfy_check_read(env, idx, sreg, "reg.uninit_read");
	if (err)
		return err;
	if (is_imm) {
		ubf_vfy_reg_scalar(&imm_reg, ubf_scalar_const((uint64_t)(int64_t)in->imm));
		if (d->width == 32)
			imm_reg.s = ubf_scalar_const((uint32_t)in->imm);
		sr = &imm_reg;
	} else {
		sr = &st->regs[sreg];
	}
	if (dr->type == UBF_VREG_SCALAR && sr->type == UBF_VREG_SCALAR) {
		int ev = ubf_scalar_branch_eval(&dr->s, &sr->s, d->op, d->width);
		struct ubf_scalar td = dr->s, ts = sr->s;

		if (ev == 0 || ev == 1) {
			/* one side only: the operands' values decided which */
			mark_operands(env, dreg, oreg);
			if (ev == 1)
				st->insn_idx = target;
			return 0;
		}
		et = ubf_scalar_branch_refine(&td, &ts, d->op, d->width, 1);
		ef = ubf_scalar_branch_refine(&dr->s, &sr->s, d->op, d->width, 0);
		if (et <= 0 || ef <= 0)
			mark_operands(env, dreg, oreg);
		if (et > 0 && ef > 0 && !dr->id && (is_imm || !sr->id)) {
			/* the taken side: this state with the taken refinements, pushed */
			struct ubf_scalar fd = dr->s, fs = sr->s;
			uint32_t next = st->insn_idx;

			dr->s = td;
			if (!is_imm)
				sr->s = ts;
			st->insn_idx = target;
			err = ubf_vfy_push_path(env, st, idx);
			dr->s = fd;
			sr->s = fs;
			st->insn_idx = next;
			return err;
		}
		if (et > 0 && ef > 0) {
			/* linked scalars move too: the taken side is a copy */
			ubf_vfy_state_copy(tk, st);
			tk->regs[dreg].s = td;
			if (!is_imm)
				tk->regs[sreg].s = ts;
			sync_operands(tk, dreg, oreg);
			tk->insn_idx = target;
			sync_operands(st, dreg, oreg);
			return ubf_vfy_push_path(env, tk, idx);
		}
		if (et > 0) {
			dr->s = td;
			if (!is_imm)
				sr->s = ts;
			st->insn_idx = target;
		}
		if (ef <= 0 && et <= 0)
			return ubf_vfy_rej(env, idx, "scalar.contradiction", "both sides of the branch are impossible");
		sync_operands(st, dreg, oreg);
		return 0;
	}
	/* a scalar compared with a pointer (a null check against a register 0) */
	mark_operands(env, dreg, oreg);
	/* a null check, a packet bound, or a branch the pointer decides is no comparison */
	leak = ubf_vfy_is_unpriv(env) && !(ubf_vfy_reg_is_null_ptr(dr) && is_imm && !in->imm) &&
	       ubf_vfy_reg_is_ptr(dr) && dr->type != UBF_VREG_PACKET &&
	       dr->type != UBF_VREG_PACKET_END && dr->type != UBF_VREG_PACKET_META;
	ubf_vfy_state_copy(tk, st);
	tk->insn_idx = target;
	live = d->width == 64 ? ptr_branch(env, st, tk, d->op, dreg, sreg, is_imm, in->imm) : 3;
	if (leak && live == 3)
		return ubf_vfy_rej(env, idx, "ptr.compare", "R%u pointer comparison prohibited", dreg);
	if (live == 2) {
		ubf_vfy_state_copy(st, tk);
		return 0;
	}
	if (live & 2)
		return ubf_vfy_push_path(env, tk, idx);
	return 0;
}

