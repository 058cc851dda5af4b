// SPDX-License-Identifier: BSD-2-Clause
/*
 * state.c - the verifier's per-path state: registers and stack bytes, the
 * entry state, the inclusion test that pruning relies on (a path reaching
 * an instruction in a state some finished path already covered there is
 * safe), exact equality for infinite-loop detection, and printing in the
 * style of Linux's verifier log.  Pure functions on struct ubf_vstate.
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
	return r->type == UBF_VREG_MAP_VALUE_OR_NULL || r->type == UBF_VREG_MEM_OR_NULL;
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

struct ubf_vreg *ubf_vfy_state_reg(struct ubf_vstate *st, unsigned i)
{
	unsigned per = UBF_VFY_REGS + UBF_VFY_SLOTS, f = i / per, k = i % per;
	struct ubf_vreg *regs = f < st->frame_cnt ? st->caller[f].regs : st->regs;
	struct ubf_vslot *stack = f < st->frame_cnt ? st->caller[f].stack : st->stack;

	if (f > st->frame_cnt)
		return NULL;
	if (k < UBF_VFY_REGS)
		return &regs[k];
	if (stack[k - UBF_VFY_REGS].type[0] != UBF_VSLOT_SPILL)
		return NULL;
	return &stack[k - UBF_VFY_REGS].spill;
}

unsigned ubf_vfy_state_reg_cnt(const struct ubf_vstate *st)
{
	return (st->frame_cnt + 1) * (UBF_VFY_REGS + UBF_VFY_SLOTS);
}

/* ------------------------------------------------------------ packing */

/* Slots below the first one ever written hold nothing: a packed state leaves them out. */
static unsigned first_used(const struct ubf_vslot *stack)
{
	static const uint8_t unused[8];
	unsigned i;

	for (i = 0; i < UBF_VFY_SLOTS; i++)
		if (memcmp(stack[i].type, unused, 8))
			break;
	return i;
}

#define HDR_OFF offsetof(struct ubf_vstate, frame)
#define HDR_SZ (offsetof(struct ubf_vstate, caller) - HDR_OFF)

static size_t frame_packed(const struct ubf_vslot *stack)
{
	return 1 + sizeof(struct ubf_vreg) * UBF_VFY_REGS +
	       (UBF_VFY_SLOTS - first_used(stack)) * sizeof(struct ubf_vslot);
}

size_t ubf_vfy_state_packed_size(const struct ubf_vstate *st)
{
	size_t n = HDR_SZ + frame_packed(st->stack);
	unsigned f;

	for (f = 0; f < st->frame_cnt; f++)
		n += sizeof(struct ubf_vframe_info) + frame_packed(st->caller[f].stack);
	return n;
}

static unsigned char *pack_frame(unsigned char *p, const struct ubf_vreg *regs,
				 const struct ubf_vslot *stack)
{
	unsigned lo = first_used(stack);

	*p++ = (unsigned char)lo;
	memcpy(p, regs, sizeof(*regs) * UBF_VFY_REGS);
	p += sizeof(*regs) * UBF_VFY_REGS;
	memcpy(p, &stack[lo], (UBF_VFY_SLOTS - lo) * sizeof(*stack));
	return p + (UBF_VFY_SLOTS - lo) * sizeof(*stack);
}

static const unsigned char *unpack_frame(const unsigned char *p, struct ubf_vreg *regs,
					 struct ubf_vslot *stack)
{
	unsigned lo = *p++;

	memcpy(regs, p, sizeof(*regs) * UBF_VFY_REGS);
	p += sizeof(*regs) * UBF_VFY_REGS;
	memset(stack, 0, lo * sizeof(*stack));
	memcpy(&stack[lo], p, (UBF_VFY_SLOTS - lo) * sizeof(*stack));
	return p + (UBF_VFY_SLOTS - lo) * sizeof(*stack);
}

void ubf_vfy_state_pack(void *buf, const struct ubf_vstate *st)
{
	unsigned char *p = buf;
	unsigned f;

	memcpy(p, (const char *)st + HDR_OFF, HDR_SZ);
	p = pack_frame(p + HDR_SZ, st->regs, st->stack);
	for (f = 0; f < st->frame_cnt; f++) {
		memcpy(p, &st->caller[f].info, sizeof(st->caller[f].info));
		p = pack_frame(p + sizeof(st->caller[f].info), st->caller[f].regs,
			       st->caller[f].stack);
	}
}

void ubf_vfy_state_unpack(struct ubf_vstate *st, const void *buf)
{
	const unsigned char *p = buf;
	unsigned f;

	memcpy((char *)st + HDR_OFF, p, HDR_SZ);
	p = unpack_frame(p + HDR_SZ, st->regs, st->stack);
	for (f = 0; f < st->frame_cnt; f++) {
		memcpy(&st->caller[f].info, p, sizeof(st->caller[f].info));
		p = unpack_frame(p + sizeof(st->caller[f].info), st->caller[f].regs,
				 st->caller[f].stack);
	}
}

/* ------------------------------------------------------------ inclusion */

#define IDMAP_CNT 64

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
		return (k->approx && !o->precise) || scalar_includes(&o->s, &c->s);
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

static int byte_includes(const struct ubf_vslot *o, const struct ubf_vslot *c, unsigned b)
{
	unsigned ot = o->type[b], ct = c->type[b];

	switch (ot) {
	case UBF_VSLOT_INVALID:
	case UBF_VSLOT_MISC:
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
	unsigned b;

	if (o->type[0] == UBF_VSLOT_SPILL)
		return c->type[0] == UBF_VSLOT_SPILL && reg_includes(&o->spill, &c->spill, k);
	/* bytes are SPILL only all together (a partial write breaks a spill) */
	if (!memcmp(o->type, c->type, 8))
		return 1;	/* the same bytes, none a spill: nothing more to compare */
	for (b = 0; b < 8; b++)
		if (!byte_includes(o, c, b))
			return 0;
	return 1;
}

static int frame_includes(const struct ubf_vreg *oregs, const struct ubf_vslot *ostack,
			  const struct ubf_vreg *cregs, const struct ubf_vslot *cstack,
			  struct cmp *k, unsigned frame)
{
	uint64_t slots = k->live ? k->live->slots[frame] : ~(uint64_t)0;
	unsigned regs = k->live ? k->live->regs[frame] : 0x7ff;
	unsigned i;

	for (; regs; regs &= regs - 1) {
		i = (unsigned)__builtin_ctz(regs);
		if (!reg_includes(&oregs[i], &cregs[i], k))
			return 0;
	}
	for (; slots; slots &= slots - 1) {
		i = (unsigned)__builtin_ctzll(slots);
		if (!slot_includes(&ostack[i], &cstack[i], k))
			return 0;
	}
	return 1;
}

static int state_includes(const struct ubf_vstate *old, const struct ubf_vstate *cur,
			  struct cmp *k)
{
	unsigned i, j;

	if (old->ref_cnt != cur->ref_cnt || old->lock_map != cur->lock_map ||
	    old->frame_cnt != cur->frame_cnt || memcmp(&old->frame, &cur->frame, sizeof(old->frame)) ||
	    !ids_match(&k->m, old->lock_id, cur->lock_id))
		return 0;
	/* the current frame first: it is where states differ most */
	if (!frame_includes(old->regs, old->stack, cur->regs, cur->stack, k, old->frame_cnt))
		return 0;
	for (i = old->frame_cnt; i-- > 0;) {
		const struct ubf_vframe *of = &old->caller[i], *cf = &cur->caller[i];

		if (memcmp(&of->info, &cf->info, sizeof(of->info)) ||
		    !frame_includes(of->regs, of->stack, cf->regs, cf->stack, k, i))
			return 0;
	}
	for (i = 0; i < old->ref_cnt; i++) {
		for (j = 0; j < cur->ref_cnt; j++)
			if (ids_match(&k->m, old->refs[i], cur->refs[j]))
				break;
		if (j == cur->ref_cnt)
			return 0;
	}
	return 1;
}

int ubf_vfy_state_includes(const struct ubf_vstate *old, const struct ubf_vstate *cur)
{
	struct cmp k = { .m = { .cnt = 0 }, .approx = 0, .live = NULL };

	return state_includes(old, cur, &k);
}

int ubf_vfy_state_covers(const struct ubf_vstate *old, const struct ubf_vstate *cur,
			 const struct ubf_vfy_live *live)
{
	struct cmp k = { .m = { .cnt = 0 }, .approx = 1, .live = live };

	return state_includes(old, cur, &k);
}

int ubf_vfy_state_equal(const struct ubf_vstate *a, const struct ubf_vstate *b)
{
	unsigned i;

	/* a quick necessary condition: equal states have equal registers here */
	for (i = 0; i < UBF_VFY_REGS; i++) {
		const struct ubf_vreg *x = &a->regs[i], *y = &b->regs[i];

		if (x->type != y->type || (x->type == UBF_VREG_SCALAR &&
					   !scalar_includes(&x->s, &y->s)))
			return 0;
	}
	return ubf_vfy_state_includes(a, b) && ubf_vfy_state_includes(b, a);
}

/* ------------------------------------------------------------ widening */

static void widen_frame(struct ubf_vreg *cregs, struct ubf_vslot *cstack,
			const struct ubf_vreg *oregs, const struct ubf_vslot *ostack)
{
	unsigned i;

	for (i = 0; i < UBF_VFY_REGS; i++)
		if (cregs[i].type == UBF_VREG_SCALAR && oregs[i].type == UBF_VREG_SCALAR &&
		    !scalar_includes(&oregs[i].s, &cregs[i].s))
			ubf_vfy_reg_unknown(&cregs[i]);
	for (i = 0; i < UBF_VFY_SLOTS; i++) {
		struct ubf_vslot *c = &cstack[i];
		const struct ubf_vslot *o = &ostack[i];

		if (spill_is_scalar(c) && spill_is_scalar(o) &&
		    !scalar_includes(&o->spill.s, &c->spill.s))
			ubf_vfy_reg_unknown(&c->spill);
	}
}

void ubf_vfy_state_widen(struct ubf_vstate *cur, const struct ubf_vstate *old)
{
	unsigned i;

	if (cur->frame_cnt != old->frame_cnt)
		return;
	for (i = 0; i < cur->frame_cnt; i++)
		widen_frame(cur->caller[i].regs, cur->caller[i].stack, old->caller[i].regs,
			    old->caller[i].stack);
	widen_frame(cur->regs, cur->stack, old->regs, old->stack);
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
	if (r->id)
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
		if (s->type[0] == UBF_VSLOT_SPILL) {
			ubf_vfy_reg_print(&s->spill, tmp, sizeof(tmp));
			n = put(buf, buf_sz, n, " fp%d=%s", (int)(8 * i) - UBF_VFY_STACK_SZ, tmp);
			continue;
		}
		for (b = 0; b < 8; b++)
			chars[7 - b] = slot_chars[s->type[b] & 3];
		chars[8] = '\0';
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
