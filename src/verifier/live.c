// SPDX-License-Identifier: BSD-2-Clause
/*
 * live.c - static liveness for pruning: before the walk, a backward
 * data-flow pass over each subprogram's control flow finds, per
 * instruction, the registers and the frame's own stack slots that some
 * path from there may read before writing them.  Pruning ignores the
 * rest.  A stack slot is followed only through r10 at constant offsets;
 * a subprogram that lets its frame pointer escape (copies r10, stores it,
 * hands it to an atomic) keeps every slot of its frame live everywhere.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

#define ARGS_MASK 0x3eu		/* r1-r5 */
#define CALLER_SAVED 0x3fu	/* r0-r5 */
#define FP_MASK (1u << 10)

/* What one instruction reads and writes, and where control goes next. */
struct effect {
	uint16_t use, def;
	uint64_t slot_use, slot_def;
	int64_t next[2];
	int escapes;		/* the frame pointer leaves r10 */
};

/* The slots the bytes [off, off + size) relative to r10 cover. */
static uint64_t slot_span(int32_t off, unsigned size)
{
	int64_t lo = (int64_t)off + UBF_VFY_STACK_SZ, hi = lo + size - 1;
	uint64_t m = 0;
	int64_t i;

	if (hi < 0 || lo >= UBF_VFY_STACK_SZ)
		return 0;
	lo = lo < 0 ? 0 : lo;
	hi = hi >= UBF_VFY_STACK_SZ ? UBF_VFY_STACK_SZ - 1 : hi;
	for (i = lo / 8; i <= hi / 8; i++)
		m |= (uint64_t)1 << i;
	return m;
}

/* A write of 8 aligned bytes through r10 replaces the slot's whole content. */
static uint64_t slot_full(int32_t off, unsigned size)
{
	int64_t lo = (int64_t)off + UBF_VFY_STACK_SZ;

	if (size != 8 || lo < 0 || lo >= UBF_VFY_STACK_SZ || lo % 8)
		return 0;
	return (uint64_t)1 << (lo / 8);
}

static void mem_effect(struct effect *e, const struct ubf_insn_desc *d,
		       const struct ubf_raw_insn *in)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);

	switch (d->kind) {
	case UBF_KIND_LDX:
		e->use = (uint16_t)(1u << src);
		e->def = (uint16_t)(1u << dst);
		if (src == 10)
			e->slot_use = slot_span(in->off, d->width);
		break;
	case UBF_KIND_ST:
		e->use = (uint16_t)(1u << dst);
		if (dst == 10)
			e->slot_def = slot_full(in->off, d->width);
		break;
	case UBF_KIND_STX:
		e->use = (uint16_t)(1u << dst | 1u << src);
		if (dst == 10)
			e->slot_def = slot_full(in->off, d->width);
		e->escapes = src == 10;
		break;
	default:	/* ATOMIC: reads everything it names, writes nothing for sure */
		e->use = (uint16_t)(1u << dst | 1u << src | 1u);
		e->escapes = dst == 10 || src == 10;
		break;
	}
}

static void insn_effect(const struct ubf_vfy_env *env, uint32_t idx, struct effect *e)
{
	const struct ubf_insn_desc *d = ubf_vfy_desc(env, idx);
	const struct ubf_raw_insn *in = &env->insns[idx];
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	int has_src = ubf_shape_has_src(d->shape);
	int64_t target;

	memset(e, 0, sizeof(*e));
	e->next[0] = idx + ubf_isa_slots(d);
	e->next[1] = -1;
	switch (d->kind) {
	case UBF_KIND_ALU:
		if (d->op == UBF_OP_MOV || d->op == UBF_OP_MOVSX8 || d->op == UBF_OP_MOVSX16 ||
		    d->op == UBF_OP_MOVSX32)
			e->def = (uint16_t)(1u << dst);
		else
			e->use = (uint16_t)(1u << dst);
		if (has_src) {
			e->use |= (uint16_t)(1u << src);
			e->escapes = src == 10;
		}
		break;
	case UBF_KIND_LDDW:
		e->def = (uint16_t)(1u << dst);
		break;
	case UBF_KIND_LDX:
	case UBF_KIND_ST:
	case UBF_KIND_STX:
	case UBF_KIND_ATOMIC:
		mem_effect(e, d, in);
		break;
	case UBF_KIND_LD_PKT:
		e->use = (uint16_t)(1u << 6 | (d->op == UBF_OP_IND ? 1u << src : 0));
		e->def = CALLER_SAVED;
		break;
	case UBF_KIND_JMP:
		e->use = (uint16_t)(1u << dst | (has_src ? 1u << src : 0));
		if (ubf_isa_branch_target(d, in, idx, &target))
			e->next[1] = target;
		break;
	case UBF_KIND_JA:
		e->next[0] = ubf_isa_branch_target(d, in, idx, &target) ? target : -1;
		break;
	case UBF_KIND_MAY_GOTO:
		if (ubf_isa_branch_target(d, in, idx, &target))
			e->next[1] = target;
		break;
	case UBF_KIND_CALL:
		e->use = ARGS_MASK;
		e->def = CALLER_SAVED;
		break;
	case UBF_KIND_CALLX:
		e->use = 0x7ff;
		e->def = CALLER_SAVED;
		break;
	case UBF_KIND_EXIT:
		e->use = 1;
		e->next[0] = -1;
		break;
	}
}

/* One backward pass over @sub; returns whether anything changed. */
static int sweep(struct ubf_vfy_env *env, const struct ubf_vfy_subprog *sub, int all_slots)
{
	int changed = 0;
	uint32_t idx;

	for (idx = sub->end; idx-- > sub->start;) {
		uint16_t out_r = 0, in_r;
		uint64_t out_s = 0, in_s;
		struct effect e;
		unsigned k;

		if (env->row[idx] < 0)
			continue;
		insn_effect(env, idx, &e);
		for (k = 0; k < 2; k++) {
			if (e.next[k] < sub->start || e.next[k] >= sub->end)
				continue;
			out_r |= env->live_regs[e.next[k]];
			out_s |= env->live_slots[e.next[k]];
		}
		in_r = (uint16_t)(e.use | (out_r & ~e.def) | FP_MASK);
		in_s = all_slots ? ~(uint64_t)0 : e.slot_use | (out_s & ~e.slot_def);
		if (in_r != env->live_regs[idx] || in_s != env->live_slots[idx]) {
			env->live_regs[idx] = in_r;
			env->live_slots[idx] = in_s;
			changed = 1;
		}
	}
	return changed;
}

int ubf_vfy_liveness(struct ubf_vfy_env *env)
{
	uint32_t s, idx;

	env->live_regs = calloc(env->cnt, sizeof(*env->live_regs));
	env->live_slots = calloc(env->cnt, sizeof(*env->live_slots));
	if (!env->live_regs || !env->live_slots)
		return -ENOMEM;
	for (s = 0; s < env->sub_cnt; s++) {
		const struct ubf_vfy_subprog *sub = &env->sub[s];
		int escapes = 0;

		for (idx = sub->start; idx < sub->end && !escapes; idx++) {
			struct effect e;

			if (env->row[idx] < 0)
				continue;
			insn_effect(env, idx, &e);
			escapes = e.escapes;
		}
		while (sweep(env, sub, escapes))
			;
	}
	return 0;
}

/*
 * What pruning at @idx compares in @st's frames: the current frame's from
 * the pass above; a caller's from where its call returns: after a static
 * call (r0-r5 are the callee's result and unset), or the helper call
 * itself for a callback, which runs again.
 */
void ubf_vfy_live_at(const struct ubf_vfy_env *env, const struct ubf_vstate *st, uint32_t idx,
		     struct ubf_vfy_live *live)
{
	unsigned f;

	live->any_misc = !ubf_vfy_is_unpriv(env);
	for (f = 0; f <= st->frame_cnt; f++) {
		const struct ubf_vframe_info *callee = f + 1 < st->frame_cnt ?
						       &st->caller[f + 1].info : &st->frame;
		uint32_t at = idx;
		uint16_t mask = 0x7ff;

		if (f < st->frame_cnt) {
			at = callee->callsite;
			if (callee->kind == UBF_VFRAME_STATIC) {
				at = callee->callsite + 1;
				mask = (uint16_t)~CALLER_SAVED & 0x7ff;
			} else if (callee->kind != UBF_VFRAME_CALLBACK) {
				at = (uint32_t)env->cnt;
			}
		}
		if (at >= env->cnt || env->row[at] < 0) {
			live->regs[f] = 0x7ff;
			live->slots[f] = ~(uint64_t)0;
			continue;
		}
		live->regs[f] = env->live_regs[at] & mask;
		live->slots[f] = env->live_slots[at];
	}
}
