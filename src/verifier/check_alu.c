// SPDX-License-Identifier: BSD-2-Clause
/*
 * check_alu.c - the verifier's checks of ALU instructions, 64-bit immediate
 * loads and legacy packet loads: scalars go through scalar.c, pointers
 * follow Linux's pointer arithmetic rules (add and sub of bounded scalars
 * only, never on maps, packet ends or maybe-null pointers).  Memory accesses
 * are in check_mem.c.
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

/* ------------------------------------------------------------ ALU */

static const char *op_sym(unsigned op)
{
	switch (op) {
	case UBF_OP_ADD: return "+=";
	case UBF_OP_SUB: return "-=";
	case UBF_OP_MUL: return "*=";
	case UBF_OP_DIV: case UBF_OP_SDIV: return "/=";
	case UBF_OP_MOD: case UBF_OP_SMOD: return "%=";
	case UBF_OP_OR: return "|=";
	case UBF_OP_AND: return "&=";
	case UBF_OP_XOR: return "^=";
	case UBF_OP_LSH: return "<<=";
	case UBF_OP_RSH: return ">>=";
	case UBF_OP_ARSH: return "s>>=";
	default: return "?=";
	}
}

/* Is a scalar added to a pointer sane (Linux's check_reg_sane_offset)? */
static int check_offset_sane(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_vreg *ptr,
			     const struct ubf_scalar *s)
{
	const char *rule = ptr->type == UBF_VREG_CTX ? "ptr.ctx_var" : "ptr.unbounded_add";
	const char *name = ubf_vfy_type_name(ptr->type);

	if (ubf_scalar_is_const(s) && ((int64_t)s->var_off.value >= UBF_VFY_MAX_VAR_OFF ||
				       (int64_t)s->var_off.value <= -UBF_VFY_MAX_VAR_OFF))
		return ubf_vfy_rej(env, idx, rule, "math between %s pointer and %" PRId64 " is not allowed",
			   name, (int64_t)s->var_off.value);
	if (s->smin == INT64_MIN)
		return ubf_vfy_rej(env, idx, rule,
			   "math between %s pointer and register with unbounded min value is not allowed",
			   name);
	if (s->smin >= UBF_VFY_MAX_VAR_OFF || s->smin <= -UBF_VFY_MAX_VAR_OFF)
		return ubf_vfy_rej(env, idx, rule, "value %" PRId64 " makes %s pointer be out of bounds",
			   s->smin, name);
	return 0;
}

/*
 * Without CAP_PERFMON, Linux (sanitize_check_bounds()) wants the result of
 * stack and map value pointer arithmetic in bounds at once, and a stack
 * pointer's offset constant, so that speculation cannot go further.
 */
static int unpriv_bounds(struct ubf_vfy_env *env, uint32_t idx, unsigned dreg,
			 const struct ubf_vreg *r)
{
	int64_t off = (int64_t)r->off + (int64_t)r->s.var_off.value;
	char var[48];

	if (r->type == UBF_VREG_STACK && !ubf_scalar_is_const(&r->s)) {
		ubf_vfy_tnum_text(var, sizeof(var), r->s.var_off);
		return ubf_vfy_rej(env, idx, "stack.var_off",
			   "R%u variable stack access prohibited for !root, var_off=%s off=%" PRId64,
			   dreg, var, off);
	}
	if (r->type == UBF_VREG_STACK && (off >= 0 || off < -UBF_VFY_STACK_SZ))
		return ubf_vfy_rej(env, idx, "stack.oob",
			   "R%u stack pointer arithmetic goes out of range, prohibited for !root; off=%" PRId64,
			   dreg, off);
	if (r->type == UBF_VREG_MAP_VALUE &&
	    (r->s.smin < 0 || r->s.umax >= UBF_VFY_MAX_VAR_OFF || (int64_t)r->off + r->s.smin < 0 ||
	     (int64_t)r->off + (int64_t)r->s.umax + 1 > (int64_t)ubf_vfy_map(env, r)->value_sz))
		return ubf_vfy_rej(env, idx, "map.value_oob",
			   "R%u pointer arithmetic of map value goes out of range, prohibited for !root",
			   dreg);
	return 0;
}

/*
 * @is_rev: the pointer is the source (scalar op= pointer); Linux allows
 * only scalar += pointer then, and says so for a subtraction.
 */
static int ptr_alu(struct ubf_vfy_env *env, uint32_t idx, struct ubf_vreg *dst, unsigned dreg,
		   const struct ubf_vreg *ptr, const struct ubf_scalar *off, unsigned op,
		   unsigned width, int is_rev)
{
	const char *name = ubf_vfy_type_name(ptr->type);
	struct ubf_vreg r = *ptr;
	int err;

	if (width != 64) {
		if (op == UBF_OP_SUB && !ubf_vfy_is_unpriv(env)) {
			ubf_vfy_reg_unknown(dst);
			return 0;
		}
		return ubf_vfy_rej(env, idx, "ptr.alu32", "R%u 32-bit pointer arithmetic prohibited", dreg);
	}
	if (ubf_vfy_reg_is_null_ptr(ptr))
		return ubf_vfy_rej(env, idx, "ptr.or_null",
			   "R%u pointer arithmetic on %s prohibited, null-check it first", dreg, name);
	if (ptr->type == UBF_VREG_MAP_PTR || ptr->type == UBF_VREG_PACKET_END ||
	    ptr->type == UBF_VREG_FUNC)
		return ubf_vfy_rej(env, idx,
			   ptr->type == UBF_VREG_MAP_PTR ? "ptr.map_ptr" :
			   ptr->type == UBF_VREG_FUNC ? "ptr.func" : "ptr.pkt_end",
			   "R%u pointer arithmetic on %s prohibited", dreg, name);
	/* Linux moves a socket pointer never, a flow keys pointer by constants only */
	if (ubf_vfy_reg_is_sock(ptr) ||
	    (ptr->type == UBF_VREG_FLOW_KEYS && !ubf_scalar_is_const(off)))
		return ubf_vfy_rej(env, idx, ptr->type == UBF_VREG_FLOW_KEYS ? "ptr.flow_keys" :
										"ptr.sock",
				   "R%u pointer arithmetic on %s prohibited", dreg, name);
	if (op == UBF_OP_AND || op == UBF_OP_OR || op == UBF_OP_XOR)
		return ubf_vfy_rej(env, idx, "ptr.alu32", "R%u bitwise operator %s on pointer prohibited",
			   dreg, op_sym(op));
	if (op != UBF_OP_ADD && op != UBF_OP_SUB)
		return ubf_vfy_rej(env, idx, "ptr.alu32", "R%u pointer arithmetic with %s operator prohibited",
			   dreg, op_sym(op));
	err = check_offset_sane(env, idx, ptr, off);
	if (err)
		return err;
	if (is_rev && op == UBF_OP_SUB)
		return ubf_vfy_rej(env, idx, "ptr.sub_from_scalar",
				   "R%u tried to subtract pointer from scalar", dreg);
	if (op == UBF_OP_SUB && ptr->type == UBF_VREG_STACK)
		return ubf_vfy_rej(env, idx, "ptr.stack_sub",
				   "R%u subtraction from stack pointer prohibited", dreg);
	if (ubf_scalar_is_const(off)) {
		int64_t v = (int64_t)off->var_off.value;
		int64_t n = op == UBF_OP_ADD ? (int64_t)r.off + v : (int64_t)r.off - v;

		if (n >= UBF_VFY_MAX_VAR_OFF || n <= -UBF_VFY_MAX_VAR_OFF)
			return ubf_vfy_rej(env, idx, "ptr.unbounded_add",
				   "%s pointer offset %" PRId64 " is not allowed", name, n);
		r.off = (int32_t)n;
	} else {
		ubf_scalar_alu(&r.s, op, 64, off);
		if (r.type == UBF_VREG_PACKET || r.type == UBF_VREG_PACKET_META) {
			r.id = ++env->id_gen;
			r.range = 0;
		}
	}
	err = ubf_vfy_is_unpriv(env) ? unpriv_bounds(env, idx, dreg, &r) : 0;
	if (!err)
		*dst = r;
	return err;
}

/*
 * Linux's check_alu_op() refuses, before any range tracking, a division or
 * modulo by an immediate 0 and a shift by an immediate outside the width.
 * Both are -EINVAL there, as here.
 */
static int check_imm_operand(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
			     const struct ubf_raw_insn *in)
{
	switch (d->op) {
	case UBF_OP_DIV:
	case UBF_OP_SDIV:
	case UBF_OP_MOD:
	case UBF_OP_SMOD:
		if (in->imm)
			return 0;
		return ubf_vfy_rej_inval(env, idx, "alu.div_by_zero", "div by zero");
	case UBF_OP_LSH:
	case UBF_OP_RSH:
	case UBF_OP_ARSH:
		if (in->imm >= 0 && in->imm < (int32_t)d->width)
			return 0;
		return ubf_vfy_rej_inval(env, idx, "alu.shift_range", "invalid shift %d", in->imm);
	default:
		return 0;
	}
}

/*
 * Linux's scalar_min_max_lsh(): the signed bounds of a left shift by @k
 * come from the known bits alone (but for the <<32 of a sign extension),
 * and so do the unsigned ones once a set bit may be shifted out.
 */
static void lsh_bounds(struct ubf_scalar *r, const struct ubf_scalar *pre, unsigned k, unsigned w)
{
	r->s32_min = INT32_MIN;
	r->s32_max = INT32_MAX;
	if (k >= 32 || pre->u32_max > (UINT32_C(1) << (31 - k))) {
		r->u32_min = 0;
		r->u32_max = UINT32_MAX;
	}
	if (w == 32) {
		r->umin = 0;
		r->umax = UINT32_MAX;
		r->smin = 0;
		r->smax = UINT32_MAX;
		ubf_scalar_sync(r);
		return;
	}
	r->smin = k == 32 && pre->s32_min >= 0 ? (int64_t)((uint64_t)(uint32_t)pre->s32_min << 32) :
						 INT64_MIN;
	r->smax = k == 32 && pre->s32_max >= 0 ? (int64_t)((uint64_t)(uint32_t)pre->s32_max << 32) :
						 INT64_MAX;
	if (pre->umax > (UINT64_C(1) << (63 - k))) {
		r->umin = 0;
		r->umax = UINT64_MAX;
	}
	ubf_scalar_sync(r);
}

/*
 * A linked scalar stays linked through one 64-bit add of a constant in
 * [0, INT32_MAX], which it remembers; any other change ends the link.
 */
static void link_after_alu(struct ubf_vreg *dst, const struct ubf_insn_desc *d,
			   const struct ubf_scalar *src)
{
	if (dst->id && !(dst->id & UBF_VFY_ID_ADD_CONST) && d->op == UBF_OP_ADD &&
	    d->width == 64 && src && ubf_scalar_is_const(src) && src->var_off.value <= INT32_MAX) {
		dst->id |= UBF_VFY_ID_ADD_CONST;
		dst->off = (int32_t)src->var_off.value;
		return;
	}
	dst->id = 0;
	dst->off = 0;
}

/*
 * scalar op= scalar, with Linux's is_safe_to_compute_dst_reg_range(): a
 * division or modulo, or a shift by anything but a constant below the
 * width, leaves a fully unknown 64-bit scalar, even on 32-bit rows and
 * even for two constants.  Programs Linux accepts never depend on more.
 */
static int scalar_alu(struct ubf_vreg *dst, const struct ubf_insn_desc *d,
		      const struct ubf_scalar *src)
{
	struct ubf_scalar pre = dst->s;
	int is_shift = d->op == UBF_OP_LSH || d->op == UBF_OP_RSH || d->op == UBF_OP_ARSH;

	link_after_alu(dst, d, src);

	switch (d->op) {
	case UBF_OP_DIV:
	case UBF_OP_SDIV:
	case UBF_OP_MOD:
	case UBF_OP_SMOD:
		ubf_vfy_reg_unknown(dst);
		return 0;
	default:
		break;
	}
	if (is_shift && (!ubf_scalar_is_const(src) || src->umax >= d->width)) {
		ubf_vfy_reg_unknown(dst);
		return 0;
	}
	ubf_scalar_alu(&dst->s, d->op, d->width, src);
	if (d->op == UBF_OP_LSH && !ubf_scalar_is_const(&pre))
		lsh_bounds(&dst->s, &pre, (unsigned)src->umax, d->width);
	return 0;
}

static int check_mov(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in)
{
	struct ubf_vreg *dst = &env->st->regs[ubf_raw_dst(in)], *src;
	struct ubf_scalar v;
	int err, link;

	if (d->shape == UBF_SHAPE_DST_IMM) {
		v = ubf_scalar_const((uint64_t)(int64_t)in->imm);
		if (d->width == 32)
			v = ubf_scalar_const((uint32_t)in->imm);
		ubf_vfy_reg_scalar(dst, v);
		return 0;
	}
	err = ubf_vfy_check_read(env, idx, ubf_raw_src(in), "reg.uninit_read");
	if (err)
		return err;
	if (ubf_vfy_reg_is_ptr(&env->st->regs[ubf_raw_src(in)])) {
		if (d->width == 64 && d->op == UBF_OP_MOV) {
			*dst = env->st->regs[ubf_raw_src(in)];
			return 0;
		}
		if (ubf_vfy_is_unpriv(env) || d->op != UBF_OP_MOV)
			return ubf_vfy_rej(env, idx, "ptr.alu32", "R%u partial copy of pointer",
				   ubf_raw_src(in));
		ubf_vfy_reg_unknown(dst);
		return 0;
	}
	src = &env->st->regs[ubf_raw_src(in)];
	/* a copy that keeps the value is linked to it (Linux's assign_scalar_id_before_mov()) */
	switch (d->op) {
	case UBF_OP_MOV:
		link = d->width == 64 || src->s.umax <= UINT32_MAX;
		break;
	case UBF_OP_MOVSX8:
		link = src->s.umax < UINT64_C(1) << 7;
		break;
	case UBF_OP_MOVSX16:
		link = src->s.umax < UINT64_C(1) << 15;
		break;
	default:
		link = src->s.umax < UINT64_C(1) << 31;
		break;
	}
	if (link)
		ubf_vfy_link(env, src);
	v = src->s;
	ubf_scalar_alu(&v, d->op, d->width, &src->s);
	ubf_vfy_reg_scalar(dst, v);
	if (link) {
		dst->id = src->id;
		dst->off = src->off;
	}
	return 0;
}

int ubf_vfy_check_alu(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		     const struct ubf_raw_insn *in)
{
	unsigned dreg = ubf_raw_dst(in), sreg = ubf_raw_src(in);
	struct ubf_vreg *dst = &env->st->regs[dreg];
	struct ubf_vreg imm_reg;
	const struct ubf_vreg *src;
	int has_src = d->shape == UBF_SHAPE_DST_SRC;
	int err;

	if (d->op == UBF_OP_MOV || d->op == UBF_OP_MOVSX8 || d->op == UBF_OP_MOVSX16 ||
	    d->op == UBF_OP_MOVSX32)
		return check_mov(env, idx, d, in);
	if (has_src) {
		err = ubf_vfy_check_read(env, idx, sreg, "reg.uninit_read");
		if (err)
			return err;
	}
	err = ubf_vfy_check_read(env, idx, dreg, "reg.uninit_read");
	if (err)
		return err;
	if (!has_src) {
		err = check_imm_operand(env, idx, d, in);
		if (err)
			return err;
	}
	if (has_src) {
		src = &env->st->regs[sreg];
	} else {
		ubf_vfy_reg_scalar(&imm_reg, ubf_scalar_const((uint64_t)(int64_t)in->imm));
		src = &imm_reg;
	}
	if (d->op == UBF_OP_NEG || d->op == UBF_OP_LE || d->op == UBF_OP_BE ||
	    d->op == UBF_OP_BSWAP) {
		if (ubf_vfy_reg_is_ptr(dst)) {
			if (ubf_vfy_is_unpriv(env))
				return ubf_vfy_rej(env, idx, "ptr.alu32", "R%u pointer arithmetic prohibited",
					   dreg);
			ubf_vfy_reg_unknown(dst);
			return 0;
		}
		link_after_alu(dst, d, NULL);
		ubf_scalar_alu(&dst->s, d->op, d->width, NULL);
		return 0;
	}
	if (ubf_vfy_reg_is_ptr(dst) && ubf_vfy_reg_is_ptr(src)) {
		if (d->op == UBF_OP_SUB && !ubf_vfy_is_unpriv(env)) {
			ubf_vfy_reg_unknown(dst);
			return 0;
		}
		return ubf_vfy_rej(env, idx, "ptr.sub_ptr", "R%u pointer %s pointer prohibited", dreg,
			   op_sym(d->op));
	}
	if (ubf_vfy_reg_is_ptr(dst)) {
		if (has_src)
			ubf_vfy_precise(env, sreg);	/* the offset moves the pointer */
		return ptr_alu(env, idx, dst, dreg, dst, &src->s, d->op, d->width, 0);
	}
	if (ubf_vfy_reg_is_ptr(src)) {
		struct ubf_scalar off = dst->s;

		ubf_vfy_precise(env, dreg);

		return ptr_alu(env, idx, dst, dreg, src, &off, d->op, d->width, 1);
	}
	return scalar_alu(dst, d, &src->s);
}


int ubf_vfy_check_lddw(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
		      const struct ubf_raw_insn *in)
{
	struct ubf_vreg *dst = &env->st->regs[ubf_raw_dst(in)];
	uint64_t v = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
	const struct ubf_verify_map *m;

	switch (d->op) {
	case UBF_OP_IMM:
		ubf_vfy_reg_scalar(dst, ubf_scalar_const(v));
		return 0;
	case UBF_OP_MAP_FD:
	case UBF_OP_MAP_IDX:
	case UBF_OP_MAP_VALUE:
	case UBF_OP_MAP_IDX_VALUE:
		break;
	case UBF_OP_FUNC:
		ubf_vfy_reg_ptr(dst, UBF_VREG_FUNC, 0);
		dst->map = (uint32_t)(idx + 1 + in->imm);
		return 0;
	default:
		return ubf_vfy_rej(env, idx, "ld.imm64", "lddw of kind %s is not accepted",
			   ubf_isa_op_name(d->op));
	}
	if (in->imm < 0 || (size_t)in->imm >= env->in->map_cnt)
		return ubf_vfy_rej(env, idx, "map.fd", "fd %d is not pointing to valid bpf_map", in->imm);
	m = &env->in->maps[in->imm];
	if (m->lock_off >= 0 && env->in->prog_type == BPF_PROG_TYPE_SOCKET_FILTER)
		return ubf_vfy_rej(env, idx, "lock.arg", "socket filter progs cannot use bpf_spin_lock yet");
	if (d->op == UBF_OP_MAP_FD || d->op == UBF_OP_MAP_IDX) {
		ubf_vfy_reg_ptr(dst, UBF_VREG_MAP_PTR, 0);
		dst->map = (uint32_t)in->imm;
		return 0;
	}
	if (m->type != BPF_MAP_TYPE_ARRAY || m->max_entries != 1)
		return ubf_vfy_rej(env, idx, "map.direct_value",
			   "no direct value access support for this map type");
	if ((uint32_t)in[1].imm >= m->value_sz)
		return ubf_vfy_rej(env, idx, "map.direct_value",
			   "invalid access to map value pointer, value_size=%u off=%u", m->value_sz,
			   (uint32_t)in[1].imm);
	ubf_vfy_reg_ptr(dst, UBF_VREG_MAP_VALUE, in[1].imm);
	dst->map = (uint32_t)in->imm;
	return 0;
}

int ubf_vfy_check_ld_pkt(struct ubf_vfy_env *env, uint32_t idx, const struct ubf_insn_desc *d,
			const struct ubf_raw_insn *in)
{
	const struct ubf_vreg *ctx = &env->st->regs[6];
	unsigned i;
	int err;

	/* Linux's may_access_skb() */
	if (env->in->prog_type != BPF_PROG_TYPE_SOCKET_FILTER &&
	    env->in->prog_type != BPF_PROG_TYPE_SCHED_CLS &&
	    env->in->prog_type != BPF_PROG_TYPE_SCHED_ACT)
		return ubf_vfy_rej(env, idx, "pkt.ld_abs",
				   "BPF_LD_[ABS|IND] instructions not allowed for this program type");
	/* a packet too short ends the program there, leaking what it holds */
	if (env->st->ref_cnt)
		return ubf_vfy_rej(env, idx, "pkt.ld_abs",
				   "BPF_LD_[ABS|IND] would lead to reference leak");
	if (ctx->type != UBF_VREG_CTX || ctx->off || !ubf_scalar_is_const(&ctx->s))
		return ubf_vfy_rej(env, idx, "pkt.ld_abs", "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	if (d->op == UBF_OP_IND) {
		err = ubf_vfy_check_read(env, idx, ubf_raw_src(in), "reg.uninit_read");
		if (err)
			return err;
		if (ubf_vfy_reg_is_ptr(&env->st->regs[ubf_raw_src(in)]))
			return ubf_vfy_rej(env, idx, "pkt.ld_abs", "R%u is not a scalar", ubf_raw_src(in));
	}
	for (i = 1; i <= 5; i++)
		memset(&env->st->regs[i], 0, sizeof(env->st->regs[i]));
	ubf_vfy_reg_scalar(&env->st->regs[0], ubf_vfy_scalar_sized(d->width, 0));
	return 0;
}

