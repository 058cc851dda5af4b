// SPDX-License-Identifier: BSD-2-Clause
/*
 * precise.c - precision tracking, as Linux's mark_chain_precision: every
 * path keeps the instructions it ran since its last checkpoint, and when a
 * scalar decides something about safety (a pointer offset, a size, a
 * branch the walk followed one way only, a return value), the walk goes
 * back over those instructions and the checkpoints before them, marking
 * precise the scalars (registers and spilled slots) the value came from.
 * Pruning compares only precise scalars; an imprecise one includes any.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "verifier/verifier.h"
#include "verifier/walk.h"

#define ARGS_MASK 0x3eu		/* r1-r5 */
#define MAX_VAR (1 << 29)
#define LINK_AFTER 64		/* instructions of history between links at most */

/* The registers and slots, per frame, whose earlier values are wanted. */
struct bt {
	uint16_t regs[UBF_VFY_MAX_FRAMES];
	uint64_t slots[UBF_VFY_MAX_FRAMES];
};

static int bt_empty(const struct bt *b)
{
	unsigned f;

	for (f = 0; f < UBF_VFY_MAX_FRAMES; f++)
		if (b->regs[f] || b->slots[f])
			return 0;
	return 1;
}

/* ------------------------------------------------------------ history */

/* The stack slots a load or store at the current instruction touches. */
static void note_stack(const struct ubf_vfy_env *env, struct ubf_vfy_hent *e)
{
	const struct ubf_insn_desc *d = ubf_vfy_desc(env, e->idx);
	const struct ubf_raw_insn *in = &env->insns[e->idx];
	unsigned base = ubf_raw_dst(in);
	const struct ubf_vreg *p;
	int64_t lo, hi;

	if (d->kind != UBF_KIND_LDX && d->kind != UBF_KIND_ST && d->kind != UBF_KIND_STX &&
	    d->kind != UBF_KIND_ATOMIC)
		return;
	if (d->kind == UBF_KIND_LDX || (d->kind == UBF_KIND_ATOMIC && d->op == UBF_OP_LOAD_ACQ))
		base = ubf_raw_src(in);
	p = &env->st->regs[base];
	if (p->type != UBF_VREG_STACK || p->map >= UBF_VFY_MAX_FRAMES)
		return;
	e->flags |= UBF_VFY_HENT_STACK;
	e->acc_frame = (uint8_t)p->map;
	e->slot_lo = 0;
	e->slot_hi = UBF_VFY_SLOTS - 1;
	if (p->s.smin <= -MAX_VAR || p->s.smax >= MAX_VAR || p->off <= -MAX_VAR ||
	    p->off >= MAX_VAR)
		return;		/* rejected by the access check; the whole stack meanwhile */
	lo = (int64_t)p->off + in->off + p->s.smin + UBF_VFY_STACK_SZ;
	hi = (int64_t)p->off + in->off + p->s.smax + d->width - 1 + UBF_VFY_STACK_SZ;
	if (hi < 0 || lo >= UBF_VFY_STACK_SZ)
		return;
	/* a store that replaces the slot's spill: 8 bytes, or a scalar at the slot's start */
	if (ubf_scalar_is_const(&p->s) && lo % 8 == 0 &&
	    (d->width == 8 || d->kind == UBF_KIND_ST ||
	     (d->kind == UBF_KIND_STX && env->st->regs[ubf_raw_src(in)].type == UBF_VREG_SCALAR)))
		e->flags |= UBF_VFY_HENT_FULL;
	e->slot_lo = (uint8_t)(lo < 0 ? 0 : lo / 8);
	e->slot_hi = (uint8_t)(hi >= UBF_VFY_STACK_SZ ? UBF_VFY_SLOTS - 1 : hi / 8);
}

/* A branch on linked scalars: which registers and slots share its operands' links. */
static void note_linked(const struct ubf_vfy_env *env, struct ubf_vfy_hent *e)
{
	const struct ubf_insn_desc *d = ubf_vfy_desc(env, e->idx);
	const struct ubf_raw_insn *in = &env->insns[e->idx];
	const struct ubf_vstate *st = env->st;
	uint16_t regs = 0;
	uint64_t slots = 0;

	if (d->kind != UBF_KIND_JMP)
		return;
	ubf_vfy_linked(st, &st->regs[ubf_raw_dst(in)], &regs, &slots);
	if (ubf_shape_has_src(d->shape))
		ubf_vfy_linked(st, &st->regs[ubf_raw_src(in)], &regs, &slots);
	if (__builtin_popcount(regs) + __builtin_popcountll(slots) < 2)
		return;
	e->linked_regs = regs;
	e->linked_slots = slots;
}

static uint16_t scalar_regs(const struct ubf_vreg *regs)
{
	uint16_t m = 0;
	unsigned i;

	for (i = 0; i < UBF_VFY_REGS; i++)
		if (regs[i].type == UBF_VREG_SCALAR)
			m |= (uint16_t)(1u << i);
	return m;
}

static uint64_t scalar_slots(const struct ubf_vslot *stack)
{
	uint64_t m = 0;
	unsigned i;

	for (i = 0; i < UBF_VFY_SLOTS; i++)
		if (stack[i].type[0] == UBF_VSLOT_SPILL && stack[i].spill.type == UBF_VREG_SCALAR)
			m |= (uint64_t)1 << i;
	return m;
}

/*
 * A long run without a checkpoint (a loop whose states are not kept any
 * more) becomes a chain of links, so that going back stops at the first
 * link that already has the marks instead of walking the whole run.
 */
static int add_link(struct ubf_vfy_env *env)
{
	const struct ubf_vstate *st = env->st;
	size_t hsz = env->hist_cnt * sizeof(*env->hist);
	struct ubf_vfy_ckpt *c;
	unsigned f;

	c = calloc(1, offsetof(struct ubf_vfy_ckpt, link) + sizeof(c->link) + hsz);
	if (!c)
		return -ENOMEM;
	c->hist = (struct ubf_vfy_hent *)((char *)&c->link + sizeof(c->link));
	memcpy(c->hist, env->hist, hsz);
	c->hist_cnt = env->hist_cnt;
	c->is_link = 1;
	c->link.frame_cnt = st->frame_cnt;
	for (f = 0; f <= st->frame_cnt; f++) {
		c->link.scalar_regs[f] = scalar_regs(f == st->frame_cnt ? st->regs :
						     st->caller[f].regs);
		c->link.scalar_slots[f] = scalar_slots(f == st->frame_cnt ? st->stack :
						       st->caller[f].stack);
	}
	c->parent = env->cp;
	c->branches = 1;
	c->next = env->links;
	env->links = c;
	env->cp = c;
	env->hist_cnt = 0;
	return 0;
}

int ubf_vfy_hist_add(struct ubf_vfy_env *env)
{
	const struct ubf_vstate *st = env->st;
	struct ubf_vfy_hent *e;

	if (env->hist_cnt >= LINK_AFTER && add_link(env))
		return -ENOMEM;
	if (env->hist_cnt == env->hist_cap) {
		uint32_t cap = env->hist_cap ? env->hist_cap * 2 : 256;

		e = realloc(env->hist, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		env->hist = e;
		env->hist_cap = cap;
	}
	e = &env->hist[env->hist_cnt++];
	memset(e, 0, sizeof(*e));
	e->idx = st->insn_idx;
	e->frame = (uint8_t)st->frame_cnt;
	if (ubf_vfy_desc(env, e->idx)->kind == UBF_KIND_EXIT &&
	    st->frame.kind == UBF_VFRAME_CALLBACK)
		e->flags |= UBF_VFY_HENT_CB_EXIT;
	note_stack(env, e);
	note_linked(env, e);
	return 0;
}

/* ------------------------------------------------------------ going back */

static uint64_t hent_slots(const struct ubf_vfy_hent *e)
{
	uint64_t hi = e->slot_hi == 63 ? ~(uint64_t)0 : ((uint64_t)1 << (e->slot_hi + 1)) - 1;

	return hi & ~(((uint64_t)1 << e->slot_lo) - 1);
}

/* A load, store or atomic, backwards. */
static void back_mem(const struct ubf_insn_desc *d, const struct ubf_raw_insn *in,
		     const struct ubf_vfy_hent *e, uint16_t *r, struct bt *b)
{
	unsigned dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	uint64_t acc = e->flags & UBF_VFY_HENT_STACK ? hent_slots(e) : 0;
	uint64_t *slots = &b->slots[e->acc_frame];

	switch (d->kind) {
	case UBF_KIND_LDX:
		if (!(*r >> dst & 1))
			return;
		*r &= (uint16_t)~(1u << dst);
		*slots |= acc;
		return;
	case UBF_KIND_ST:
	case UBF_KIND_STX:
		if (!(*slots & acc))
			return;
		if (d->kind == UBF_KIND_STX)
			*r |= (uint16_t)(1u << src);
		if (e->flags & UBF_VFY_HENT_FULL)
			*slots &= ~acc;
		return;
	default:	/* ATOMIC: whatever it touched stays wanted, and so do its operands */
		if (!(*r & (1u << dst | 1u << src | 1u)) && !(*slots & acc))
			return;
		*r |= (uint16_t)(1u << src | 1u);
		*slots |= acc;
		return;
	}
}

/* A branch bounded its linked scalars together: one of them wanted, all are. */
static void want_linked(const struct ubf_vfy_hent *e, uint16_t *r, uint64_t *slots)
{
	if (!(*r & e->linked_regs) && !(*slots & e->linked_slots))
		return;
	*r |= e->linked_regs;
	*slots |= e->linked_slots;
}

/* Entry @e, then the entry that ran in frame @next_frame: what was wanted before @e. */
static void back_insn(const struct ubf_vfy_env *env, struct bt *b, const struct ubf_vfy_hent *e,
		      unsigned next_frame)
{
	const struct ubf_insn_desc *d = ubf_vfy_desc(env, e->idx);
	const struct ubf_raw_insn *in = &env->insns[e->idx];
	unsigned f = e->frame, dst = ubf_raw_dst(in), src = ubf_raw_src(in);
	int has_src = ubf_shape_has_src(d->shape);
	uint16_t *r = &b->regs[f];

	if (next_frame == f + 1 && next_frame < UBF_VFY_MAX_FRAMES) {
		/* a call: the callee's arguments come from the caller's r1-r5 */
		uint16_t args = b->regs[next_frame] & ARGS_MASK;

		if (args)
			*r |= d->op == UBF_OP_LOCAL ? args : ARGS_MASK;
		b->regs[next_frame] = 0;
		b->slots[next_frame] = 0;
		return;
	}
	if (next_frame + 1 == f) {
		/* an exit: the caller's r0 is the callee's (a callback's caller keeps its own) */
		if (b->regs[next_frame] & 1) {
			if (!(e->flags & UBF_VFY_HENT_CB_EXIT))
				b->regs[next_frame] &= (uint16_t)~1u;
			*r |= 1;
		}
		return;
	}
	switch (d->kind) {
	case UBF_KIND_ALU:
		if (!(*r >> dst & 1))
			return;
		if (d->op == UBF_OP_MOV || d->op == UBF_OP_MOVSX8 || d->op == UBF_OP_MOVSX16 ||
		    d->op == UBF_OP_MOVSX32)
			*r &= (uint16_t)~(1u << dst);
		if (has_src)
			*r |= (uint16_t)(1u << src);
		return;
	case UBF_KIND_LDDW:
		*r &= (uint16_t)~(1u << dst);
		return;
	case UBF_KIND_LDX:
	case UBF_KIND_ST:
	case UBF_KIND_STX:
	case UBF_KIND_ATOMIC:
		back_mem(d, in, e, r, b);
		return;
	case UBF_KIND_JMP:
		/* a compare refines both sides: each bounds the other, and what is linked to them */
		want_linked(e, r, &b->slots[f]);
		if (has_src && (*r & (1u << dst | 1u << src)))
			*r |= (uint16_t)(1u << dst | 1u << src);
		want_linked(e, r, &b->slots[f]);
		return;
	case UBF_KIND_CALL:	/* a helper's or global function's result: not computed here */
	case UBF_KIND_LD_PKT:	/* a packet byte */
		*r &= (uint16_t)~1u;
		return;
	default:
		return;
	}
}

/*
 * Mark what @b names precise in the checkpoint state @st, dropping what is
 * not a scalar there (a pointer is compared exactly, a stack byte by its
 * type).  Return: whether anything was not marked yet.
 */
static int mark_link(struct bt *b, struct ubf_vfy_link *l)
{
	int fresh = 0;
	unsigned f;

	for (f = 0; f < UBF_VFY_MAX_FRAMES; f++) {
		if (f > l->frame_cnt) {
			b->regs[f] = 0;
			b->slots[f] = 0;
			continue;
		}
		b->regs[f] &= l->scalar_regs[f];
		b->slots[f] &= l->scalar_slots[f];
		fresh |= (b->regs[f] & ~l->precise_regs[f]) || (b->slots[f] & ~l->precise_slots[f]);
		l->precise_regs[f] |= b->regs[f];
		l->precise_slots[f] |= b->slots[f];
	}
	return fresh;
}

static int mark_state(struct bt *b, const struct ubf_vview *v)
{
	int fresh = 0;
	unsigned f, i;

	for (f = 0; f < UBF_VFY_MAX_FRAMES; f++) {
		struct ubf_vreg *regs = v->regs[f];

		if (f > v->frame_cnt) {
			b->regs[f] = 0;
			b->slots[f] = 0;
			continue;
		}
		for (i = 0; i < UBF_VFY_REGS; i++) {
			if (!(b->regs[f] >> i & 1))
				continue;
			if (regs[i].type != UBF_VREG_SCALAR) {
				b->regs[f] &= (uint16_t)~(1u << i);
				continue;
			}
			fresh |= !regs[i].precise;
			regs[i].precise = 1;
		}
		for (i = 0; i < UBF_VFY_SLOTS; i++) {
			struct ubf_vslot *s;

			if (!(b->slots[f] >> i & 1))
				continue;
			s = ubf_vfy_view_slot(v, f, i);
			if (!s || s->type[0] != UBF_VSLOT_SPILL || s->spill.type != UBF_VREG_SCALAR) {
				b->slots[f] &= ~((uint64_t)1 << i);
				continue;
			}
			fresh |= !s->spill.precise;
			s->spill.precise = 1;
		}
	}
	return fresh;
}

/*
 * Walk the first @n entries of the current history backwards, then each
 * checkpoint of the path and its history, until nothing more is wanted or
 * a checkpoint already had every mark (its own history was walked then).
 */
static void backtrack(struct ubf_vfy_env *env, struct bt *b, uint32_t n, unsigned next_frame)
{
	const struct ubf_vfy_hent *h = env->hist;
	struct ubf_vfy_ckpt *c = env->cp;

	for (;;) {
		while (n-- > 0) {
			back_insn(env, b, &h[n], next_frame);
			next_frame = h[n].frame;
		}
		if (!c || bt_empty(b))
			return;
		if (c->is_link) {
			if (!mark_link(b, &c->link) || bt_empty(b))
				return;
			next_frame = c->link.frame_cnt;
		} else {
			struct ubf_vview v;

			ubf_vfy_view_packed(&v, c->st);
			if (!mark_state(b, &v) || bt_empty(b))
				return;
			next_frame = v.frame_cnt;
		}
		h = c->hist;
		n = c->hist_cnt;
		c = c->parent;
	}
}

void ubf_vfy_precise(struct ubf_vfy_env *env, unsigned regno)
{
	struct bt b;
	unsigned f;

	if (!env->hist_cnt || regno >= UBF_VFY_REGS ||
	    env->st->regs[regno].type != UBF_VREG_SCALAR)
		return;
	memset(&b, 0, sizeof(b));
	f = env->hist[env->hist_cnt - 1].frame;
	b.regs[f] = (uint16_t)(1u << regno);
	/* the current instruction read the value: start before it */
	backtrack(env, &b, env->hist_cnt - 1, f);
}

void ubf_vfy_precise_slot(struct ubf_vfy_env *env, unsigned frame, unsigned slot)
{
	struct bt b;

	if (!env->hist_cnt || frame >= UBF_VFY_MAX_FRAMES || slot >= UBF_VFY_SLOTS)
		return;
	memset(&b, 0, sizeof(b));
	b.slots[frame] = (uint64_t)1 << slot;
	backtrack(env, &b, env->hist_cnt - 1, env->hist[env->hist_cnt - 1].frame);
}

void ubf_vfy_precise_pruned(struct ubf_vfy_env *env, const struct ubf_vview *old,
			    const struct ubf_vfy_live *live, int all)
{
	struct bt b;
	unsigned f, i;

	memset(&b, 0, sizeof(b));
	for (f = 0; f <= old->frame_cnt && f < UBF_VFY_MAX_FRAMES; f++) {
		const struct ubf_vreg *regs = old->regs[f];
		uint64_t slots = live ? live->slots[f] : ~(uint64_t)0;

		for (i = 0; i < UBF_VFY_REGS; i++)
			if ((!live || (live->regs[f] >> i & 1)) &&
			    regs[i].type == UBF_VREG_SCALAR && (all || regs[i].precise))
				b.regs[f] |= (uint16_t)(1u << i);
		for (i = old->lo[f]; i < UBF_VFY_SLOTS; i++) {
			const struct ubf_vslot *s = &old->slots[f][i - old->lo[f]];

			if ((slots >> i & 1) && s->type[0] == UBF_VSLOT_SPILL &&
			    s->spill.type == UBF_VREG_SCALAR && (all || s->spill.precise))
				b.slots[f] |= (uint64_t)1 << i;
		}
	}
	if (!bt_empty(&b))
		backtrack(env, &b, env->hist_cnt, env->st->frame_cnt);
}
