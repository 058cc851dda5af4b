// SPDX-License-Identifier: BSD-2-Clause
/*
 * state.c - the verifier's per-path state: registers and stack bytes, the
 * entry state, the inclusion test that pruning relies on (a path reaching
 * an instruction in a state some finished path already covered there is
 * safe), exact equality for infinite-loop detection, and printing in the
 * style of Linux's verifier log.  Kept states and waiting paths are
 * packed; a struct ubf_vview reads and marks either form in place.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/compiler.h"
#include "verifier/verifier.h"

static const char *const type_names[] = {
#define Y(n, s) [UBF_VREG_##n] = s,
	UBF_VREG_TYPES(Y)
#undef Y
};

const char *ubf_vfy_type_name(unsigned type)
{
	return type < UBF_VREG_TYPE_CNT ? type_names[type] : "invalid";
}

void ubf_vfy_reg_scalar(struct ubf_vreg *r, struct ubf_scalar s)
{
	memset(r, 0, sizeof(*r));
	r->type = UBF_VREG_SCALAR;
	r->s = s;
}

void ubf_vfy_reg_unknown(struct ubf_vreg *r)
{
	ubf_vfy_reg_scalar(r, ubf_scalar_unknown());
}

void ubf_vfy_reg_ptr(struct ubf_vreg *r, unsigned type, int32_t off)
{
	memset(r, 0, sizeof(*r));
	r->type = (uint8_t)type;
	r->off = off;
	r->s = ubf_scalar_const(0);
}

int ubf_vfy_reg_is_ptr(const struct ubf_vreg *r)
{
	return r->type != UBF_VREG_NOT_INIT && r->type != UBF_VREG_SCALAR;
}

int ubf_vfy_reg_is_null_ptr(const struct ubf_vreg *r)
{
	return r->type == UBF_VREG_MAP_VALUE_OR_NULL || r->type == UBF_VREG_MEM_OR_NULL ||
	       r->type == UBF_VREG_BTF_TRUSTED_OR_NULL || r->type == UBF_VREG_BTF_RCU_OR_NULL ||
	       r->type == UBF_VREG_SOCKET_OR_NULL || r->type == UBF_VREG_SOCK_COMMON_OR_NULL ||
	       r->type == UBF_VREG_TCP_SOCK_OR_NULL;
}

unsigned ubf_vfy_type_not_null(unsigned type)
{
	switch (type) {
	case UBF_VREG_MAP_VALUE_OR_NULL:
		return UBF_VREG_MAP_VALUE;
	case UBF_VREG_MEM_OR_NULL:
		return UBF_VREG_MEM;
	case UBF_VREG_BTF_TRUSTED_OR_NULL:
		return UBF_VREG_BTF_TRUSTED;
	case UBF_VREG_BTF_RCU_OR_NULL:
		return UBF_VREG_BTF_RCU;
	case UBF_VREG_SOCKET_OR_NULL:
		return UBF_VREG_SOCKET;
	case UBF_VREG_SOCK_COMMON_OR_NULL:
		return UBF_VREG_SOCK_COMMON;
	case UBF_VREG_TCP_SOCK_OR_NULL:
		return UBF_VREG_TCP_SOCK;
	default:
		return type;
	}
}

int ubf_vfy_reg_is_sock(const struct ubf_vreg *r)
{
	return r->type == UBF_VREG_SOCKET || r->type == UBF_VREG_SOCK_COMMON ||
	       r->type == UBF_VREG_TCP_SOCK;
}

int ubf_vfy_reg_is_btf(const struct ubf_vreg *r)
{
	return r->type >= UBF_VREG_BTF_ID && r->type <= UBF_VREG_BTF_RCU_OR_NULL;
}

void ubf_vfy_state_init(struct ubf_vstate *st)
{
	memset(st, 0, offsetof(struct ubf_vstate, caller));
	ubf_vfy_reg_ptr(&st->regs[1], UBF_VREG_CTX, 0);
	ubf_vfy_reg_ptr(&st->regs[10], UBF_VREG_STACK, 0);
}

size_t ubf_vfy_state_size(const struct ubf_vstate *st)
{
	return offsetof(struct ubf_vstate, caller) + st->frame_cnt * sizeof(st->caller[0]);
}

void ubf_vfy_state_copy(struct ubf_vstate *dst, const struct ubf_vstate *src)
{
	if (dst != src)
		memcpy(dst, src, ubf_vfy_state_size(src));
}

struct ubf_vslot *ubf_vfy_stack_of(struct ubf_vstate *st, const struct ubf_vreg *p)
{
	return p->map < st->frame_cnt ? st->caller[p->map].stack : st->stack;
}

/* ------------------------------------------------------------ packing */

/* Slots below the first one ever written hold nothing: a packed state leaves them out. */
static unsigned first_used(const struct ubf_vslot *stack)
{
	unsigned i;
	uint64_t t;

	for (i = 0; i < UBF_VFY_SLOTS; i++) {
		memcpy(&t, stack[i].type, sizeof(t));
		if (t)
			break;
	}
	return i;
}

#define HDR_OFF offsetof(struct ubf_vstate, frame)
#define HDR_SZ (offsetof(struct ubf_vstate, caller) - HDR_OFF)
/*
 * After the state's header fields, a packed state says where each frame
 * starts and its lowest slot stored, so that a view reads no frame.
 */
struct pindex {
	uint32_t off[UBF_VFY_MAX_FRAMES];
	uint8_t lo[UBF_VFY_MAX_FRAMES];
};

#define IDX_OFF ((HDR_SZ + 7) & ~(size_t)7)
#define HDR_PAD ((IDX_OFF + sizeof(struct pindex) + 7) & ~(size_t)7)
/* A field of the header of a packed state. */
#define HDR_FIELD(buf, field) ((unsigned char *)(buf) + offsetof(struct ubf_vstate, field) - HDR_OFF)

/*
 * A packed frame: what it is, its lowest slot stored, its registers, and
 * then its slots from @lo up (a multiple of 8 bytes, as is the header).
 */
struct pframe {
	struct ubf_vframe_info info;
	uint32_t lo;
	struct ubf_vreg regs[UBF_VFY_REGS];
};

static size_t pframe_size(unsigned lo)
{
	return sizeof(struct pframe) + (UBF_VFY_SLOTS - lo) * sizeof(struct ubf_vslot);
}

/* Frame @f (0 main) of a whole state: its registers, stack and what it is. */
#define FRAME_REGS(st, f) ((f) == (st)->frame_cnt ? (st)->regs : (st)->caller[f].regs)
#define FRAME_STACK(st, f) ((f) == (st)->frame_cnt ? (st)->stack : (st)->caller[f].stack)
#define FRAME_INFO(st, f) ((f) == (st)->frame_cnt ? &(st)->frame : &(st)->caller[f].info)

size_t ubf_vfy_state_packed_size(const struct ubf_vstate *st)
{
	size_t n = HDR_PAD;
	unsigned f;

	for (f = 0; f <= st->frame_cnt; f++)
		n += pframe_size(first_used(FRAME_STACK(st, f)));
	return n;
}

void ubf_vfy_state_pack(void *buf, const struct ubf_vstate *st)
{
	unsigned char *p = buf;
	struct pindex *ix = (struct pindex *)(void *)(p + IDX_OFF);
	unsigned f, lo;

	memcpy(p, (const char *)st + HDR_OFF, HDR_SZ);
	memset(ix, 0, sizeof(*ix));
	p += HDR_PAD;
	for (f = 0; f <= st->frame_cnt; f++) {
		struct pframe *pf = (struct pframe *)(void *)p;
		const struct ubf_vslot *stack = FRAME_STACK(st, f);

		lo = first_used(stack);
		ix->off[f] = (uint32_t)(p - (unsigned char *)buf);
		ix->lo[f] = (uint8_t)lo;
		pf->info = *FRAME_INFO(st, f);
		pf->lo = lo;
		memcpy(pf->regs, FRAME_REGS(st, f), sizeof(pf->regs));
		memcpy(pf + 1, &stack[lo], (UBF_VFY_SLOTS - lo) * sizeof(*stack));
		p += pframe_size(lo);
	}
}

void ubf_vfy_state_unpack(struct ubf_vstate *st, const void *buf)
{
	const unsigned char *p = buf;
	unsigned f;

	memcpy((char *)st + HDR_OFF, p, HDR_SZ);
	p += HDR_PAD;
	for (f = 0; f <= st->frame_cnt; f++) {
		const struct pframe *pf = (const struct pframe *)(const void *)p;
		struct ubf_vslot *stack = FRAME_STACK(st, f);

		*FRAME_INFO(st, f) = pf->info;
		memcpy(FRAME_REGS(st, f), pf->regs, sizeof(pf->regs));
		memset(stack, 0, pf->lo * sizeof(*stack));
		memcpy(&stack[pf->lo], pf + 1, (UBF_VFY_SLOTS - pf->lo) * sizeof(*stack));
		p += pframe_size(pf->lo);
	}
}

/* ------------------------------------------------------------ views */

void ubf_vfy_view_state(struct ubf_vview *v, struct ubf_vstate *st)
{
	unsigned f;

	v->frame_cnt = st->frame_cnt;
	v->ref_cnt = st->ref_cnt;
	v->lock_map = st->lock_map;
	v->lock_id = st->lock_id;
	v->cb_iter = st->cb_iter;
	v->refs = st->refs;
	for (f = 0; f <= st->frame_cnt; f++) {
		v->info[f] = FRAME_INFO(st, f);
		v->regs[f] = FRAME_REGS(st, f);
		v->slots[f] = FRAME_STACK(st, f);
		v->lo[f] = 0;
	}
}

void ubf_vfy_view_packed(struct ubf_vview *v, void *buf)
{
	unsigned char *p = buf;
	const struct pindex *ix = (const struct pindex *)(const void *)(p + IDX_OFF);
	unsigned f;

	memcpy(&v->frame_cnt, HDR_FIELD(buf, frame_cnt), sizeof(v->frame_cnt));
	memcpy(&v->ref_cnt, HDR_FIELD(buf, ref_cnt), sizeof(v->ref_cnt));
	memcpy(&v->lock_map, HDR_FIELD(buf, lock_map), sizeof(v->lock_map));
	memcpy(&v->lock_id, HDR_FIELD(buf, lock_id), sizeof(v->lock_id));
	memcpy(&v->cb_iter, HDR_FIELD(buf, cb_iter), sizeof(v->cb_iter));
	v->refs = (const uint32_t *)(const void *)HDR_FIELD(buf, refs);
	for (f = 0; f <= v->frame_cnt && f < UBF_VFY_MAX_FRAMES; f++) {
		struct pframe *pf = (struct pframe *)(void *)(p + ix->off[f]);

		v->info[f] = &pf->info;
		v->regs[f] = pf->regs;
		v->slots[f] = (struct ubf_vslot *)(void *)(pf + 1);
		v->lo[f] = ix->lo[f];
	}
}

/* ------------------------------------------------------------ linked scalars */

void ubf_vfy_state_clear_singular_ids(struct ubf_vstate *st)
{
	struct ubf_vreg *linked[UBF_VFY_MAX_FRAMES * (UBF_VFY_REGS + UBF_VFY_SLOTS)];
	uint8_t single[UBF_VFY_MAX_FRAMES * (UBF_VFY_REGS + UBF_VFY_SLOTS)];
	unsigned f, i, j, n = 0;

	for (f = 0; f <= st->frame_cnt; f++) {
		struct ubf_vreg *regs = FRAME_REGS(st, f);
		struct ubf_vslot *stack = FRAME_STACK(st, f);

		for (i = 0; i < UBF_VFY_REGS; i++)
			if (regs[i].type == UBF_VREG_SCALAR && regs[i].id)
				linked[n++] = &regs[i];
		for (i = 0; i < UBF_VFY_SLOTS; i++)
			if (stack[i].type[0] == UBF_VSLOT_SPILL &&
			    stack[i].spill.type == UBF_VREG_SCALAR && stack[i].spill.id)
				linked[n++] = &stack[i].spill;
	}
	/* a handful in practice: a pairwise count is cheaper than sorting */
	for (i = 0; i < n; i++) {
		uint32_t id = linked[i]->id & ~UBF_VFY_ID_ADD_CONST;

		for (j = 0; j < n; j++)
			if (j != i && (linked[j]->id & ~UBF_VFY_ID_ADD_CONST) == id)
				break;
		single[i] = j == n;
	}
	for (i = 0; i < n; i++) {
		if (!single[i])
			continue;
		linked[i]->id = 0;
		linked[i]->off = 0;
	}
}

/* ------------------------------------------------------------ inclusion */

#define IDMAP_CNT 128

struct idmap {
	uint32_t old[IDMAP_CNT], cur[IDMAP_CNT];
	unsigned cnt;
};

/* Ids must correspond one to one between the two states. */
static int ids_match(struct idmap *m, uint32_t old, uint32_t cur)
{
	unsigned i;

	if (!old || !cur)
		return old == cur;
	for (i = 0; i < m->cnt; i++) {
		if (m->old[i] == old)
			return m->cur[i] == cur;
		if (m->cur[i] == cur)
			return 0;
	}
	if (m->cnt == IDMAP_CNT)
		return 0;
	m->old[m->cnt] = old;
	m->cur[m->cnt++] = cur;
	return 1;
}

/*
 * Linked scalars (Linux's check_scalar_ids()): a scalar with no link counts
 * as linked to nothing else, so the current state's scalar must not stand
 * for two old ones, nor an old link for two current ones; a link plus a
 * constant needs the same constant.
 */
static int scalar_ids_match(struct idmap *m, const struct ubf_vreg *o, const struct ubf_vreg *c)
{
	unsigned i;

	if ((o->id & UBF_VFY_ID_ADD_CONST) != (c->id & UBF_VFY_ID_ADD_CONST) ||
	    ((o->id & UBF_VFY_ID_ADD_CONST) && o->off != c->off))
		return 0;
	if (o->id && c->id)
		return ids_match(m, o->id, c->id);
	if (!o->id && !c->id)
		return 1;
	for (i = 0; i < m->cnt; i++)
		if ((o->id && m->old[i] == o->id) || (c->id && m->cur[i] == c->id))
			return 0;
	if (m->cnt == IDMAP_CNT)
		return 0;
	m->old[m->cnt] = o->id;	/* the other side is 0, which no lookup finds */
	m->cur[m->cnt++] = c->id;
	return 1;
}

static int scalar_includes(const struct ubf_scalar *o, const struct ubf_scalar *c)
{
	return o->umin <= c->umin && c->umax <= o->umax && o->smin <= c->smin &&
	       c->smax <= o->smax && o->u32_min <= c->u32_min && c->u32_max <= o->u32_max &&
	       o->s32_min <= c->s32_min && c->s32_max <= o->s32_max &&
	       ubf_tnum_includes(o->var_off, c->var_off);
}

/*
 * How two states are compared: @approx lets an imprecise scalar of the old
 * state include any scalar; @live (NULL: everything) names what is compared.
 */
struct cmp {
	struct idmap m;
	int approx;
	const struct ubf_vfy_live *live;
};

static int reg_includes(const struct ubf_vreg *o, const struct ubf_vreg *c, struct cmp *k)
{
	if (o->type == UBF_VREG_NOT_INIT)
		return 1;
	if (o->type != c->type)
		return 0;
	if (o->type == UBF_VREG_SCALAR)
		return (k->approx && !o->precise) ||
		       (scalar_includes(&o->s, &c->s) && scalar_ids_match(&k->m, o, c));
	if (o->off != c->off || o->map != c->map || !ids_match(&k->m, o->id, c->id) ||
	    !ids_match(&k->m, o->ref, c->ref))
		return 0;
	if (o->type == UBF_VREG_PACKET || o->type == UBF_VREG_PACKET_META) {
		if (c->range < o->range)
			return 0;
	} else if (o->range != c->range) {
		return 0;
	}
	return scalar_includes(&o->s, &c->s);
}

static int spill_is_scalar(const struct ubf_vslot *s)
{
	return s->type[0] == UBF_VSLOT_SPILL && s->spill.type == UBF_VREG_SCALAR;
}

static int spill_is_zero(const struct ubf_vslot *s)
{
	return spill_is_scalar(s) && ubf_scalar_is_const(&s->spill.s) && s->spill.s.umin == 0;
}

/*
 * Pruning (Linux's stacksafe()): a byte the old state never wrote was never
 * read there, and so includes any; for a loader that may read pointers as
 * scalars (CAP_PERFMON) a MISC byte includes any too.
 */
static int byte_includes(const struct ubf_vslot *o, const struct ubf_vslot *c, unsigned b,
			 const struct cmp *k)
{
	unsigned ot = o->type[b], ct = c->type[b];

	switch (ot) {
	case UBF_VSLOT_INVALID:
	case UBF_VSLOT_MISC:
		if (k->approx && (ot == UBF_VSLOT_INVALID || k->live->any_misc))
			return 1;
		if (ot == UBF_VSLOT_INVALID && ct == UBF_VSLOT_INVALID)
			return 1;
		return ct == UBF_VSLOT_MISC || ct == UBF_VSLOT_ZERO ||
		       (ct == UBF_VSLOT_SPILL && spill_is_scalar(c));
	case UBF_VSLOT_ZERO:
		return ct == UBF_VSLOT_ZERO || (ct == UBF_VSLOT_SPILL && spill_is_zero(c));
	default:
		return 0;
	}
}

static int slot_includes(const struct ubf_vslot *o, const struct ubf_vslot *c, struct cmp *k)
{
	unsigned on = ubf_vfy_spill_len(o), b;

	if (!memcmp(o->type, c->type, 8) && !on)
		return 1;	/* the same bytes, none a spill: nothing more to compare */
	/* the old spill's bytes are the current one's, and its register includes the current */
	if (on && (ubf_vfy_spill_len(c) < on || !reg_includes(&o->spill, &c->spill, k)))
		return 0;
	for (b = on; b < 8; b++)
		if (!byte_includes(o, c, b, k))
			return 0;
	return 1;
}

/* Slot @i of frame @f of a view: below the lowest slot stored, one never written. */
static const struct ubf_vslot *vslot(const struct ubf_vview *v, unsigned f, unsigned i)
{
	static const struct ubf_vslot never_written;

	return i < v->lo[f] ? &never_written : &v->slots[f][i - v->lo[f]];
}

struct ubf_vslot *ubf_vfy_view_slot(const struct ubf_vview *v, unsigned f, unsigned i)
{
	return i < v->lo[f] ? NULL : &v->slots[f][i - v->lo[f]];
}

static int frame_includes(const struct ubf_vview *o, const struct ubf_vview *c, unsigned f,
			  struct cmp *k)
{
	uint64_t slots = k->live ? k->live->slots[f] : ~(uint64_t)0;
	unsigned regs = k->live ? k->live->regs[f] : 0x7ff;
	const struct ubf_vreg *oregs = o->regs[f], *cregs = c->regs[f];
	unsigned i;

	if (memcmp(o->info[f], c->info[f], sizeof(*o->info[f])))
		return 0;
	for (; regs; regs &= regs - 1) {
		i = (unsigned)__builtin_ctz(regs);
		if (!reg_includes(&oregs[i], &cregs[i], k))
			return 0;
	}
	/* slots below the lowest one either stores were never written in both */
	if (o->lo[f] > 0 && c->lo[f] > 0)
		slots &= ~(uint64_t)0 << (o->lo[f] < c->lo[f] ? o->lo[f] : c->lo[f]);
	for (; slots; slots &= slots - 1) {
		i = (unsigned)__builtin_ctzll(slots);
		if (!slot_includes(vslot(o, f, i), vslot(c, f, i), k))
			return 0;
	}
	return 1;
}

static int state_includes(const struct ubf_vview *old, const struct ubf_vview *cur,
			  struct cmp *k)
{
	unsigned i, j;

	if (old->ref_cnt != cur->ref_cnt || old->lock_map != cur->lock_map ||
	    old->frame_cnt != cur->frame_cnt || !ids_match(&k->m, old->lock_id, cur->lock_id))
		return 0;
	/* the current frame first: it is where states differ most */
	for (i = old->frame_cnt + 1; i-- > 0;)
		if (!frame_includes(old, cur, i, k))
			return 0;
	for (i = 0; i < old->ref_cnt; i++) {
		for (j = 0; j < cur->ref_cnt; j++)
			if (ids_match(&k->m, old->refs[i], cur->refs[j]))
				break;
		if (j == cur->ref_cnt)
			return 0;
	}
	return 1;
}

int ubf_vfy_view_includes(const struct ubf_vview *old, const struct ubf_vview *cur,
			  const struct ubf_vfy_live *live)
{
	struct cmp k = { .m = { .cnt = 0 }, .approx = live != NULL, .live = live };

	return state_includes(old, cur, &k);
}

int ubf_vfy_view_equal(const struct ubf_vview *a, const struct ubf_vview *b)
{
	const struct ubf_vreg *ar = a->regs[a->frame_cnt], *br;
	unsigned i;

	if (a->frame_cnt != b->frame_cnt)
		return 0;
	br = b->regs[b->frame_cnt];
	/* a quick necessary condition: equal states have equal registers here */
	for (i = 0; i < UBF_VFY_REGS; i++) {
		const struct ubf_vreg *x = &ar[i], *y = &br[i];

		if (x->type != y->type || (x->type == UBF_VREG_SCALAR &&
					   !scalar_includes(&x->s, &y->s)))
			return 0;
	}
	return ubf_vfy_view_includes(a, b, NULL) && ubf_vfy_view_includes(b, a, NULL);
}

int ubf_vfy_state_includes(const struct ubf_vstate *old, const struct ubf_vstate *cur)
{
	struct ubf_vview o, c;

	ubf_vfy_view_state(&o, (struct ubf_vstate *)(uintptr_t)old);
	ubf_vfy_view_state(&c, (struct ubf_vstate *)(uintptr_t)cur);
	return ubf_vfy_view_includes(&o, &c, NULL);
}

int ubf_vfy_state_covers(const struct ubf_vstate *old, const struct ubf_vstate *cur,
			 const struct ubf_vfy_live *live)
{
	struct ubf_vview o, c;

	ubf_vfy_view_state(&o, (struct ubf_vstate *)(uintptr_t)old);
	ubf_vfy_view_state(&c, (struct ubf_vstate *)(uintptr_t)cur);
	return ubf_vfy_view_includes(&o, &c, live);
}

int ubf_vfy_state_equal(const struct ubf_vstate *a, const struct ubf_vstate *b)
{
	struct ubf_vview x, y;

	ubf_vfy_view_state(&x, (struct ubf_vstate *)(uintptr_t)a);
	ubf_vfy_view_state(&y, (struct ubf_vstate *)(uintptr_t)b);
	return ubf_vfy_view_equal(&x, &y);
}

/* ------------------------------------------------------------ widening */

static void widen_frame(struct ubf_vreg *cregs, struct ubf_vslot *cstack,
			const struct ubf_vview *old, unsigned f)
{
	unsigned i;

	for (i = 0; i < UBF_VFY_REGS; i++)
		if (cregs[i].type == UBF_VREG_SCALAR && old->regs[f][i].type == UBF_VREG_SCALAR &&
		    !scalar_includes(&old->regs[f][i].s, &cregs[i].s))
			ubf_vfy_reg_unknown(&cregs[i]);
	for (i = 0; i < UBF_VFY_SLOTS; i++) {
		struct ubf_vslot *c = &cstack[i];
		const struct ubf_vslot *o = vslot(old, f, i);

		if (spill_is_scalar(c) && spill_is_scalar(o) &&
		    !scalar_includes(&o->spill.s, &c->spill.s))
			ubf_vfy_reg_unknown(&c->spill);
	}
}

void ubf_vfy_view_widen(struct ubf_vstate *cur, const struct ubf_vview *old)
{
	unsigned f;

	if (cur->frame_cnt != old->frame_cnt)
		return;
	for (f = 0; f <= cur->frame_cnt; f++)
		widen_frame(FRAME_REGS(cur, f), FRAME_STACK(cur, f), old, f);
}

void ubf_vfy_state_widen(struct ubf_vstate *cur, const struct ubf_vstate *old)
{
	struct ubf_vview o;

	ubf_vfy_view_state(&o, (struct ubf_vstate *)(uintptr_t)old);
	ubf_vfy_view_widen(cur, &o);
}

/* ------------------------------------------------------------ printing */

static size_t put(char *buf, size_t sz, size_t n, const char *fmt, ...) UBF_PRINTF(4, 5);

size_t ubf_vfy_reg_print(const struct ubf_vreg *r, char *buf, size_t buf_sz)
{
	const struct ubf_scalar *s = &r->s;
	size_t n = 0;

	if (r->type == UBF_VREG_SCALAR && ubf_scalar_is_const(s))
		return put(buf, buf_sz, 0, "%" PRId64, (int64_t)s->var_off.value);
	if (r->type == UBF_VREG_STACK && ubf_scalar_is_const(s))
		return put(buf, buf_sz, 0, "fp%" PRId64, (int64_t)r->off + (int64_t)s->var_off.value);
	n = put(buf, buf_sz, n, "%s(", ubf_vfy_type_name(r->type));
	if (r->type != UBF_VREG_SCALAR && r->type != UBF_VREG_NOT_INIT)
		n = put(buf, buf_sz, n, "off=%d,", (int)r->off);
	if (r->type == UBF_VREG_SCALAR && (r->id & UBF_VFY_ID_ADD_CONST))
		n = put(buf, buf_sz, n, "id=%u%+d,", (unsigned)(r->id & ~UBF_VFY_ID_ADD_CONST),
			(int)r->off);
	else if (r->id)
		n = put(buf, buf_sz, n, "id=%u,", (unsigned)r->id);
	if (r->range)
		n = put(buf, buf_sz, n, "r=%u,", (unsigned)r->range);
	if (r->type == UBF_VREG_SCALAR || !ubf_scalar_is_const(s))
		n = put(buf, buf_sz, n,
			"smin=%" PRId64 ",smax=%" PRId64 ",umax=%" PRIu64 ",var_off=(%#" PRIx64
			"; %#" PRIx64 "),",
			s->smin, s->smax, s->umax, s->var_off.value, s->var_off.mask);
	if (n && n <= buf_sz && buf[n - 1] == ',')
		n--;
	return put(buf, buf_sz, n, ")");
}

size_t ubf_vfy_state_print(const struct ubf_vstate *st, char *buf, size_t buf_sz)
{
	static const char slot_chars[] = { '?', 'm', '0', 'r' };
	char tmp[200];
	size_t n = 0;
	unsigned i, b;

	if (buf_sz)
		buf[0] = '\0';
	for (i = 0; i < UBF_VFY_REGS; i++) {
		if (st->regs[i].type == UBF_VREG_NOT_INIT)
			continue;
		ubf_vfy_reg_print(&st->regs[i], tmp, sizeof(tmp));
		n = put(buf, buf_sz, n, "%sR%u=%s", n ? " " : "", i, tmp);
	}
	for (i = UBF_VFY_SLOTS; i-- > 0;) {
		const struct ubf_vslot *s = &st->stack[i];
		char chars[9];

		if (!memcmp(s->type, "\0\0\0\0\0\0\0\0", 8))
			continue;
		for (b = 0; b < 8; b++)
			chars[7 - b] = slot_chars[s->type[b] & 3];
		chars[8] = '\0';
		if (s->type[0] == UBF_VSLOT_SPILL) {
			/* the bytes above a narrow spill, then the spilled register (Linux's order) */
			chars[8 - ubf_vfy_spill_len(s)] = '\0';
			ubf_vfy_reg_print(&s->spill, tmp, sizeof(tmp));
			n = put(buf, buf_sz, n, " fp%d=%s%s", (int)(8 * i) - UBF_VFY_STACK_SZ, chars,
				tmp);
			continue;
		}
		n = put(buf, buf_sz, n, " fp%d=%s", (int)(8 * i) - UBF_VFY_STACK_SZ, chars);
	}
	return n;
}

/* Append to @buf at @n; returns the new length, clamped to the buffer. */
static size_t put(char *buf, size_t sz, size_t n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n >= sz)
		return n;
	va_start(ap, fmt);
	k = vsnprintf(buf + n, sz - n, fmt, ap);
	va_end(ap);
	if (k < 0)
		return n;
	return n + (size_t)k < sz ? n + (size_t)k : sz - 1;
}
