// SPDX-License-Identifier: BSD-2-Clause
/*
 * scalar.c - the scalar domain: constructors, membership, the bound
 * synchronisation that keeps the tnum and the four ranges consistent, the
 * join of two paths, and the transfer function of every ALU row.  Each
 * operation first computes what it can for one view (the tnum and the
 * ranges of its width) and then lets ubf_scalar_sync() carry the facts to
 * the other views; constants are folded with semantics.h, so they are exact.
 */
#include <errno.h>
#include <string.h>

#include "isa/isa.h"
#include "isa/semantics.h"
#include "verifier/scalar.h"
#include "verifier/scalar_view.h"

#define SIGN64 ((uint64_t)1 << 63)
#define SIGN32 ((uint32_t)1 << 31)
#define LOW32 ((uint64_t)0xffffffff)

static inline uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static inline uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static inline int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

struct ubf_scalar ubf_scalar_unknown(void)
{
	return (struct ubf_scalar){ UBF_TNUM_UNKNOWN, INT64_MIN, INT64_MAX, 0, ~(uint64_t)0,
				    INT32_MIN, INT32_MAX, 0, UINT32_MAX };
}

struct ubf_scalar ubf_scalar_const(uint64_t v)
{
	return (struct ubf_scalar){ ubf_tnum_const(v), (int64_t)v, (int64_t)v, v, v,
				    (int32_t)(uint32_t)v, (int32_t)(uint32_t)v, (uint32_t)v,
				    (uint32_t)v };
}

struct ubf_scalar ubf_scalar_from_tnum(struct ubf_tnum t)
{
	struct ubf_scalar s = ubf_scalar_unknown();

	s.var_off = t;
	ubf_scalar_sync(&s);
	return s;
}

struct ubf_scalar ubf_scalar_from_urange(uint64_t umin, uint64_t umax)
{
	struct ubf_scalar s = ubf_scalar_unknown();

	s.umin = umin;
	s.umax = umax;
	ubf_scalar_sync(&s);
	return s;
}

struct ubf_scalar ubf_scalar_from_srange(int64_t smin, int64_t smax)
{
	struct ubf_scalar s = ubf_scalar_unknown();

	s.smin = smin;
	s.smax = smax;
	ubf_scalar_sync(&s);
	return s;
}

int ubf_scalar_is_const(const struct ubf_scalar *s)
{
	return ubf_tnum_is_const(s->var_off);
}

int ubf_scalar_contains(const struct ubf_scalar *s, uint64_t v)
{
	uint32_t v32 = (uint32_t)v;

	return ubf_tnum_contains(s->var_off, v) && v >= s->umin && v <= s->umax &&
	       (int64_t)v >= s->smin && (int64_t)v <= s->smax && v32 >= s->u32_min &&
	       v32 <= s->u32_max && (int32_t)v32 >= s->s32_min && (int32_t)v32 <= s->s32_max;
}

int ubf_scalar_is_empty(const struct ubf_scalar *s)
{
	struct ubf_tnum t = s->var_off, t32 = ubf_tnum_subreg(t);

	return s->umin > s->umax || s->smin > s->smax || s->u32_min > s->u32_max ||
	       s->s32_min > s->s32_max || (t.value & t.mask) || t.value > s->umax ||
	       (t.value | t.mask) < s->umin || t32.value > s->u32_max ||
	       (t32.value | t32.mask) < s->u32_min;
}

/* Ranges from known bits: unknown bits all clear give the minimum, all set the maximum. */
static void sync_from_tnum(struct ubf_scalar *s)
{
	struct ubf_tnum t = s->var_off, t32 = ubf_tnum_subreg(t);
	uint32_t v32 = (uint32_t)t32.value, m32 = (uint32_t)t32.mask;

	s->umin = umax64(s->umin, t.value);
	s->umax = umin64(s->umax, t.value | t.mask);
	s->smin = smax64(s->smin, (int64_t)(t.value | (t.mask & SIGN64)));
	s->smax = smin64(s->smax, (int64_t)(t.value | (t.mask & ~SIGN64)));
	if (s->u32_min < v32)
		s->u32_min = v32;
	if (s->u32_max > (v32 | m32))
		s->u32_max = v32 | m32;
	if (s->s32_min < (int32_t)(v32 | (m32 & SIGN32)))
		s->s32_min = (int32_t)(v32 | (m32 & SIGN32));
	if (s->s32_max > (int32_t)(v32 | (m32 & ~SIGN32)))
		s->s32_max = (int32_t)(v32 | (m32 & ~SIGN32));
}

/*
 * Signed from unsigned and back: a range that stays in one half of the
 * unsigned circle (sign bit constant) is the same interval read either way.
 */
static void sync_sign(struct ubf_scalar *s)
{
	if (!((s->umin ^ s->umax) & SIGN64)) {
		s->smin = smax64(s->smin, (int64_t)s->umin);
		s->smax = smin64(s->smax, (int64_t)s->umax);
	}
	if (!(((uint64_t)s->smin ^ (uint64_t)s->smax) & SIGN64)) {
		s->umin = umax64(s->umin, (uint64_t)s->smin);
		s->umax = umin64(s->umax, (uint64_t)s->smax);
	}
	if (!((s->u32_min ^ s->u32_max) & SIGN32)) {
		if (s->s32_min < (int32_t)s->u32_min)
			s->s32_min = (int32_t)s->u32_min;
		if (s->s32_max > (int32_t)s->u32_max)
			s->s32_max = (int32_t)s->u32_max;
	}
	if (!(((uint32_t)s->s32_min ^ (uint32_t)s->s32_max) & SIGN32)) {
		if (s->u32_min < (uint32_t)s->s32_min)
			s->u32_min = (uint32_t)s->s32_min;
		if (s->u32_max > (uint32_t)s->s32_max)
			s->u32_max = (uint32_t)s->s32_max;
	}
}

/*
 * 32-bit from 64-bit: when both ends of a 64-bit range share their high
 * half, the low halves run monotonically from one end to the other.
 */
static void sync_32_from_64(struct ubf_scalar *s, uint64_t lo, uint64_t hi)
{
	if ((lo >> 32) != (hi >> 32))
		return;
	if (s->u32_min < (uint32_t)lo)
		s->u32_min = (uint32_t)lo;
	if (s->u32_max > (uint32_t)hi)
		s->u32_max = (uint32_t)hi;
	if ((int32_t)(uint32_t)lo <= (int32_t)(uint32_t)hi) {
		if (s->s32_min < (int32_t)(uint32_t)lo)
			s->s32_min = (int32_t)(uint32_t)lo;
		if (s->s32_max > (int32_t)(uint32_t)hi)
			s->s32_max = (int32_t)(uint32_t)hi;
	}
}

/*
 * 64-bit from 32-bit: the least value >= @lo (the greatest <= @hi, for
 * lift_max) whose low half lies in [l32, h32].  Values order as (high
 * half, low half), so only the low half of the bound moves, or the high
 * half steps once.  Return 0 when no such value exists.
 */
static int lift_min(uint64_t *lo, uint32_t l32, uint32_t h32)
{
	uint64_t high = *lo & ~LOW32;
	uint32_t low = (uint32_t)*lo;

	if (low < l32) {
		*lo = high | l32;
	} else if (low > h32) {
		if (high == ~LOW32)
			return 0;
		*lo = (high + LOW32 + 1) | l32;
	}
	return 1;
}

static int lift_max(uint64_t *hi, uint32_t l32, uint32_t h32)
{
	uint64_t high = *hi & ~LOW32;
	uint32_t low = (uint32_t)*hi;

	if (low > h32) {
		*hi = high | h32;
	} else if (low < l32) {
		if (!high)
			return 0;
		*hi = (high - LOW32 - 1) | h32;
	}
	return 1;
}

/*
 * A signed 64-bit range inside the s32 range: each value is its own low
 * half sign-extended, so the two signed ranges bound each other.
 */
static void sync_s32_inside(struct ubf_scalar *s)
{
	if (s->smin < INT32_MIN || s->smax > INT32_MAX)
		return;
	if (s->s32_min < s->smin)
		s->s32_min = (int32_t)s->smin;
	if (s->s32_max > s->smax)
		s->s32_max = (int32_t)s->smax;
	s->smin = smax64(s->smin, s->s32_min);
	s->smax = smin64(s->smax, s->s32_max);
}

/* Signed values order as unsigned ones once the sign bit is flipped; the low half is untouched. */
static void sync_64_from_32(struct ubf_scalar *s)
{
	uint64_t slo = (uint64_t)s->smin ^ SIGN64, shi = (uint64_t)s->smax ^ SIGN64;

	if (s->u32_min > s->u32_max)
		return;
	if (!lift_min(&s->umin, s->u32_min, s->u32_max) ||
	    !lift_max(&s->umax, s->u32_min, s->u32_max) ||
	    !lift_min(&slo, s->u32_min, s->u32_max) || !lift_max(&shi, s->u32_min, s->u32_max)) {
		s->umin = ~(uint64_t)0; /* no value fits: leave the scalar visibly empty */
		s->umax = 0;
		return;
	}
	s->smin = (int64_t)(slo ^ SIGN64);
	s->smax = (int64_t)(shi ^ SIGN64);
}

/* Known bits from ranges: the bits every member of a range shares. */
static void sync_tnum(struct ubf_scalar *s)
{
	struct ubf_tnum t = ubf_tnum_intersect(s->var_off, ubf_tnum_range(s->umin, s->umax)), t32;

	if (s->smin <= s->smax && !(((uint64_t)s->smin ^ (uint64_t)s->smax) & SIGN64))
		t = ubf_tnum_intersect(t, ubf_tnum_range((uint64_t)s->smin, (uint64_t)s->smax));
	t32 = ubf_tnum_subreg(t);
	if (s->u32_min <= s->u32_max)
		t32 = ubf_tnum_intersect(t32, ubf_tnum_range(s->u32_min, s->u32_max));
	if (s->s32_min <= s->s32_max && !(((uint32_t)s->s32_min ^ (uint32_t)s->s32_max) & SIGN32))
		t32 = ubf_tnum_intersect(t32, ubf_tnum_range((uint32_t)s->s32_min,
							     (uint32_t)s->s32_max));
	s->var_off = ubf_tnum_with_subreg(t, t32);
}

void ubf_scalar_sync(struct ubf_scalar *s)
{
	struct ubf_scalar prev;
	int round;

	for (round = 0; round < 4; round++) {
		prev = *s;
		sync_from_tnum(s);
		sync_sign(s);
		sync_32_from_64(s, s->umin, s->umax);
		sync_32_from_64(s, (uint64_t)s->smin, (uint64_t)s->smax);
		sync_s32_inside(s);
		sync_sign(s);
		sync_64_from_32(s);
		sync_sign(s);
		sync_tnum(s);
		if (ubf_scalar_is_empty(s) || !memcmp(&prev, s, sizeof(prev)))
			break;
	}
}

struct ubf_scalar ubf_scalar_join(const struct ubf_scalar *a, const struct ubf_scalar *b)
{
	struct ubf_scalar r;

	r.var_off = ubf_tnum_union(a->var_off, b->var_off);
	r.smin = smin64(a->smin, b->smin);
	r.smax = smax64(a->smax, b->smax);
	r.umin = umin64(a->umin, b->umin);
	r.umax = umax64(a->umax, b->umax);
	r.s32_min = a->s32_min < b->s32_min ? a->s32_min : b->s32_min;
	r.s32_max = a->s32_max > b->s32_max ? a->s32_max : b->s32_max;
	r.u32_min = a->u32_min < b->u32_min ? a->u32_min : b->u32_min;
	r.u32_max = a->u32_max > b->u32_max ? a->u32_max : b->u32_max;
	ubf_scalar_sync(&r);
	return r;
}

void ubf_sview_put(struct ubf_scalar *s, const struct ubf_sview *v, unsigned w)
{
	if (w == 64) {
		s->var_off = v->t;
		s->umin = v->umin;
		s->umax = v->umax;
		s->smin = v->smin;
		s->smax = v->smax;
	} else {
		s->var_off = ubf_tnum_with_subreg(s->var_off, v->t);
		s->u32_min = (uint32_t)v->umin;
		s->u32_max = (uint32_t)v->umax;
		s->s32_min = (int32_t)v->smin;
		s->s32_max = (int32_t)v->smax;
	}
	ubf_scalar_sync(s);
}

/* A fresh register holding exactly the values of a view: 32-bit results are zero-extended. */
static void set_result(struct ubf_scalar *s, const struct ubf_sview *v, unsigned w)
{
	*s = ubf_scalar_unknown();
	if (w == 32) {
		s->var_off = ubf_tnum_subreg(v->t);
		s->umin = v->umin;
		s->umax = v->umax;
		s->smin = (int64_t)v->umin;
		s->smax = (int64_t)v->umax;
	}
	ubf_sview_put(s, v, w);
}

/* Signed arithmetic on view bounds: 1 and the result when it fits the width, 0 on overflow. */
static int s_fits(int64_t v, unsigned w)
{
	return v >= ubf_sview_smin_of(w) && v <= ubf_sview_smax_of(w);
}

static int s_add(int64_t a, int64_t b, unsigned w, int64_t *r)
{
	int64_t x = (int64_t)((uint64_t)a + (uint64_t)b);

	if (((a ^ x) & (b ^ x)) < 0)
		return 0;
	*r = x;
	return s_fits(x, w);
}

static int s_sub(int64_t a, int64_t b, unsigned w, int64_t *r)
{
	int64_t x = (int64_t)((uint64_t)a - (uint64_t)b);

	if (((a ^ b) & (a ^ x)) < 0)
		return 0;
	*r = x;
	return s_fits(x, w);
}

static int s_mul(int64_t a, int64_t b, unsigned w, int64_t *r)
{
	uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
	uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
	int is_neg = (a < 0) != (b < 0);
	uint64_t p;

	if (ubf_mul_overflow(ua, ub, &p) || p > (is_neg ? SIGN64 : SIGN64 - 1))
		return 0;
	*r = is_neg ? (int64_t)(0 - p) : (int64_t)p;
	return s_fits(*r, w);
}

static void sview_join(struct ubf_sview *r, const struct ubf_sview *v)
{
	r->t = ubf_tnum_union(r->t, v->t);
	r->umin = umin64(r->umin, v->umin);
	r->umax = umax64(r->umax, v->umax);
	r->smin = smin64(r->smin, v->smin);
	r->smax = smax64(r->smax, v->smax);
}

static void set_srange(struct ubf_sview *r, int64_t lo, int64_t hi)
{
	r->smin = lo;
	r->smax = hi;
}

static void set_urange(struct ubf_sview *r, uint64_t lo, uint64_t hi)
{
	r->umin = lo;
	r->umax = hi;
}

/* Sums wrap together when both ends overflow once; an end-to-end split loses the range. */
static struct ubf_sview alu_add(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);
	uint64_t m = ubf_sview_umax_of(w), lo = a->umin + b->umin, hi = a->umax + b->umax;
	int lo_wraps = w == 64 ? lo < a->umin : lo > m, hi_wraps = w == 64 ? hi < a->umax : hi > m;
	int64_t slo, shi;

	r.t = ubf_tnum_cast(ubf_tnum_add(a->t, b->t), w / 8);
	if (lo_wraps == hi_wraps)
		set_urange(&r, lo & m, hi & m);
	if (s_add(a->smin, b->smin, w, &slo) && s_add(a->smax, b->smax, w, &shi))
		set_srange(&r, slo, shi);
	return r;
}

static struct ubf_sview alu_sub(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);
	uint64_t m = ubf_sview_umax_of(w);
	int64_t slo, shi;

	r.t = ubf_tnum_cast(ubf_tnum_sub(a->t, b->t), w / 8);
	if (a->umin >= b->umax || a->umax < b->umin)
		set_urange(&r, (a->umin - b->umax) & m, (a->umax - b->umin) & m);
	if (s_sub(a->smin, b->smax, w, &slo) && s_sub(a->smax, b->smin, w, &shi))
		set_srange(&r, slo, shi);
	return r;
}

/* Products: the unsigned range when the largest product fits; the signed one from the corners. */
static struct ubf_sview alu_mul(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);
	int64_t c[4];
	uint64_t hi;
	int i;

	r.t = ubf_tnum_cast(ubf_tnum_mul(a->t, b->t), w / 8);
	if (!ubf_mul_overflow(a->umax, b->umax, &hi) && hi <= ubf_sview_umax_of(w))
		set_urange(&r, a->umin * b->umin, hi);
	if (s_mul(a->smin, b->smin, w, &c[0]) && s_mul(a->smin, b->smax, w, &c[1]) &&
	    s_mul(a->smax, b->smin, w, &c[2]) && s_mul(a->smax, b->smax, w, &c[3])) {
		set_srange(&r, c[0], c[0]);
		for (i = 1; i < 4; i++)
			set_srange(&r, smin64(r.smin, c[i]), smax64(r.smax, c[i]));
	}
	return r;
}

/*
 * Bitwise operations: the tnum carries the bits; the ranges add what the
 * signs say.  x & y is no larger than either operand (unsigned), and when
 * both are negative it stays in their half where signed order is unsigned
 * order; x | y is no smaller than either operand and negative when either is.
 */
static struct ubf_sview alu_and(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);

	r.t = ubf_tnum_and(a->t, b->t);
	r.umax = umin64(a->umax, b->umax);
	if (a->smin >= 0 && b->smin >= 0)
		set_srange(&r, 0, smin64(a->smax, b->smax));
	else if (a->smin >= 0)
		set_srange(&r, 0, a->smax);
	else if (b->smin >= 0)
		set_srange(&r, 0, b->smax);
	else if (a->smax < 0 && b->smax < 0)
		r.smax = smin64(a->smax, b->smax);
	return r;
}

static struct ubf_sview alu_or(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);

	r.t = ubf_tnum_or(a->t, b->t);
	r.umin = umax64(a->umin, b->umin);
	if (a->smin >= 0 && b->smin >= 0)
		r.smin = smax64(a->smin, b->smin);
	else if (a->smax < 0 && b->smax < 0)
		set_srange(&r, smax64(a->smin, b->smin), -1);
	else if (a->smax < 0)
		set_srange(&r, a->smin, -1);
	else if (b->smax < 0)
		set_srange(&r, b->smin, -1);
	return r;
}

static struct ubf_sview alu_xor(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);

	r.t = ubf_tnum_xor(a->t, b->t);
	if ((a->smin >= 0 && b->smin >= 0) || (a->smax < 0 && b->smax < 0))
		r.smin = 0;
	else if ((a->smin >= 0 && b->smax < 0) || (a->smax < 0 && b->smin >= 0))
		r.smax = -1;
	return r;
}

/* Shifts by one known count @k < @w. */
static struct ubf_sview shift_by(const struct ubf_sview *a, unsigned op, unsigned k, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);

	if (!k)
		return *a;
	switch (op) {
	case UBF_OP_LSH:
		r.t = ubf_tnum_cast(ubf_tnum_lshift(a->t, k), w / 8);
		if (!(a->umax >> (w - k)))
			set_urange(&r, a->umin << k, a->umax << k);
		if (a->smin >= (ubf_sview_smin_of(w) >> k) && a->smax <= (ubf_sview_smax_of(w) >> k))
			set_srange(&r, (int64_t)((uint64_t)a->smin << k),
				   (int64_t)((uint64_t)a->smax << k));
		break;
	case UBF_OP_RSH:
		r.t = ubf_tnum_rshift(a->t, k);
		set_urange(&r, a->umin >> k, a->umax >> k);
		break;
	default: /* UBF_OP_ARSH */
		r.t = ubf_tnum_arshift(a->t, k, w);
		set_srange(&r, (int64_t)ubf_arsh64((uint64_t)a->smin, k),
			   (int64_t)ubf_arsh64((uint64_t)a->smax, k));
		break;
	}
	return r;
}

/*
 * A shift by a register uses its low 5 or 6 bits: join the results of
 * every count those bits (and the register's range) allow.
 */
static struct ubf_sview alu_shift(const struct ubf_sview *a, const struct ubf_sview *b,
				  unsigned op, unsigned w)
{
	struct ubf_tnum cnt = ubf_tnum_and(b->t, ubf_tnum_const(w - 1));
	uint64_t lo = 0, hi = w - 1, k;
	struct ubf_sview r, v;
	int have = 0;

	if (b->umax < w) {
		lo = b->umin;
		hi = b->umax;
	}
	for (k = lo; k <= hi; k++) {
		if (!ubf_tnum_contains(cnt, k))
			continue;
		v = shift_by(a, op, (unsigned)k, w);
		if (have)
			sview_join(&r, &v);
		else
			r = v;
		have = 1;
	}
	return have ? r : ubf_sview_full(w);
}

/* Unsigned division and modulo; by zero: 0 and dst unchanged (semantics.h). */
static struct ubf_sview alu_div(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);

	if (!b->umax)
		return ubf_sview_const(0, w);
	if (b->umin)
		set_urange(&r, a->umin / b->umax, a->umax / b->umin);
	else
		r.umax = a->umax;
	return r;
}

static struct ubf_sview alu_mod(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);

	if (!b->umax || a->umax < b->umin)
		return *a;
	r.umax = b->umin ? umin64(a->umax, b->umax - 1) : a->umax;
	return r;
}

/*
 * Signed division: with the divisor's sign fixed and -1 excluded, the
 * quotient is monotonic in each operand, so the corners bound it.
 */
static struct ubf_sview alu_sdiv(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w), zero = ubf_sview_const(0, w);
	int64_t c[4];
	int i;

	if (ubf_sview_is_const(b) && !b->smin)
		return zero;
	if (ubf_sview_is_const(b) && b->smin == -1)
		return alu_sub(&zero, a, w);
	if (b->smin <= 0 && b->smax >= -1)
		return r;
	c[0] = a->smin / b->smin;
	c[1] = a->smin / b->smax;
	c[2] = a->smax / b->smin;
	c[3] = a->smax / b->smax;
	set_srange(&r, c[0], c[0]);
	for (i = 1; i < 4; i++)
		set_srange(&r, smin64(r.smin, c[i]), smax64(r.smax, c[i]));
	return r;
}

static uint64_t mag(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/*
 * Signed modulo: the remainder has the sign of dst, is no larger than dst
 * in magnitude and smaller than the divisor; by zero it is dst itself.
 */
static struct ubf_sview alu_smod(const struct ubf_sview *a, const struct ubf_sview *b, unsigned w)
{
	struct ubf_sview r = ubf_sview_full(w);
	int has_zero = b->smin <= 0 && b->smax >= 0 && ubf_tnum_contains(b->t, 0);
	uint64_t amin = b->smin > 0 || b->smax < 0 ? umin64(mag(b->smin), mag(b->smax)) : 0;
	uint64_t big = umax64(mag(b->smin), mag(b->smax));

	if (ubf_sview_is_const(b) && !b->smin)
		return *a;
	if (ubf_sview_is_const(b) && b->smin == -1)
		return ubf_sview_const(0, w);
	if (amin && mag(a->smin) < amin && mag(a->smax) < amin)
		return *a;
	if (!big)
		return *a;
	set_srange(&r, smax64(-(int64_t)(big - 1), smin64(a->smin, 0)),
		   smin64((int64_t)(big - 1), smax64(a->smax, 0)));
	if (has_zero)
		sview_join(&r, a);
	return r;
}

/* The low @n bits of a register as an unsigned n-bit view (n = 8, 16, 32 or 64). */
static struct ubf_sview low_bits(const struct ubf_scalar *s, unsigned n)
{
	uint64_t m = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
	struct ubf_tnum t = ubf_tnum_cast(s->var_off, n / 8);
	struct ubf_sview v = { t, t.value, t.value | t.mask, 0, 0 };

	if (s->umax <= m)
		set_urange(&v, s->umin, s->umax);
	else if (s->u32_max <= m)
		set_urange(&v, s->u32_min, s->u32_max);
	return v;
}

/* movsx: sign-extend the low @n bits of @src, truncated to the row's width @w. */
static struct ubf_sview alu_movsx(const struct ubf_scalar *src, unsigned n, unsigned w)
{
	struct ubf_sview v = low_bits(src, n), r = ubf_sview_full(w);
	uint64_t half = (uint64_t)1 << (n - 1);

	r.t = ubf_tnum_cast(ubf_tnum_sext(v.t, n), w / 8);
	if (n == 32)
		set_srange(&r, src->s32_min, src->s32_max);
	else if (v.umax < half)
		set_srange(&r, (int64_t)v.umin, (int64_t)v.umax);
	else if (v.umin >= half)
		set_srange(&r, (int64_t)v.umin - (int64_t)(half * 2), (int64_t)v.umax - (int64_t)(half * 2));
	else
		set_srange(&r, -(int64_t)half, (int64_t)half - 1);
	return r;
}

/* le, be, bswap: a truncation to @n bits or a byte swap, zero-extended to 64 bits. */
static struct ubf_sview alu_swap(const struct ubf_scalar *src, unsigned op, unsigned n)
{
	struct ubf_sview r = ubf_sview_full(64), v;
	int is_swap = op == UBF_OP_BSWAP || (op == UBF_OP_LE && ubf_to_le(1, 16) != 1) ||
		      (op == UBF_OP_BE && ubf_to_be(1, 16) != 1);

	if (is_swap) {
		r.t = ubf_tnum_bswap(src->var_off, n);
		return r;
	}
	v = low_bits(src, n);
	r.t = v.t;
	set_urange(&r, v.umin, v.umax);
	return r;
}

/* The concrete result, for constant folding (@w is the width, or the swap size). */
static uint64_t alu_eval(unsigned op, unsigned w, uint64_t d, uint64_t s)
{
	uint64_t m = ubf_sview_umax_of(w == 64 ? 64 : 32), r;

	switch (op) {
	case UBF_OP_ADD: r = d + s; break;
	case UBF_OP_SUB: r = d - s; break;
	case UBF_OP_MUL: r = d * s; break;
	case UBF_OP_DIV: r = w == 64 ? ubf_udiv64(d, s) : ubf_udiv32((uint32_t)d, (uint32_t)s); break;
	case UBF_OP_MOD: r = w == 64 ? ubf_umod64(d, s) : ubf_umod32((uint32_t)d, (uint32_t)s); break;
	case UBF_OP_SDIV: r = w == 64 ? ubf_sdiv64(d, s) : ubf_sdiv32((uint32_t)d, (uint32_t)s); break;
	case UBF_OP_SMOD: r = w == 64 ? ubf_smod64(d, s) : ubf_smod32((uint32_t)d, (uint32_t)s); break;
	case UBF_OP_OR: r = d | s; break;
	case UBF_OP_AND: r = d & s; break;
	case UBF_OP_XOR: r = d ^ s; break;
	case UBF_OP_LSH: r = d << (s & (w - 1)); break;
	case UBF_OP_RSH: r = (d & m) >> (s & (w - 1)); break;
	case UBF_OP_ARSH: r = w == 64 ? ubf_arsh64(d, (unsigned)s) : ubf_arsh32((uint32_t)d, (unsigned)s); break;
	case UBF_OP_NEG: r = 0 - d; break;
	case UBF_OP_MOV: r = s; break;
	case UBF_OP_MOVSX8: r = ubf_sext8(s); break;
	case UBF_OP_MOVSX16: r = ubf_sext16(s); break;
	case UBF_OP_MOVSX32: r = ubf_sext32(s); break;
	case UBF_OP_LE: return ubf_to_le(d, w);
	case UBF_OP_BE: return ubf_to_be(d, w);
	case UBF_OP_BSWAP: return ubf_bswap(d, w);
	default: r = d; break;
	}
	return r & m;
}

void ubf_scalar_coerce(struct ubf_scalar *s, unsigned bytes, int is_signed)
{
	unsigned n = 8 * bytes;
	struct ubf_sview r, v;

	if (bytes >= 8)
		return;
	if (ubf_scalar_is_const(s)) {
		uint64_t m = ((uint64_t)1 << n) - 1, x = s->var_off.value & m;

		if (is_signed && (x >> (n - 1)))
			x |= ~m;
		*s = ubf_scalar_const(x);
		return;
	}
	if (is_signed) {
		r = alu_movsx(s, n, 64);
	} else {
		v = low_bits(s, n);
		r = ubf_sview_full(64);
		r.t = v.t;
		set_urange(&r, v.umin, v.umax);
	}
	set_result(s, &r, 64);
}

static int is_alu_row(unsigned op, unsigned w)
{
	switch (op) {
	case UBF_OP_LE:
	case UBF_OP_BE:
	case UBF_OP_BSWAP:
		return w == 16 || w == 32 || w == 64;
	case UBF_OP_MOVSX32:
		return w == 64;
	case UBF_OP_ADD: case UBF_OP_SUB: case UBF_OP_MUL: case UBF_OP_DIV: case UBF_OP_SDIV:
	case UBF_OP_OR: case UBF_OP_AND: case UBF_OP_LSH: case UBF_OP_RSH: case UBF_OP_NEG:
	case UBF_OP_MOD: case UBF_OP_SMOD: case UBF_OP_XOR: case UBF_OP_MOV: case UBF_OP_MOVSX8:
	case UBF_OP_MOVSX16: case UBF_OP_ARSH:
		return w == 32 || w == 64;
	default:
		return 0;
	}
}

static int is_unary(unsigned op)
{
	return op == UBF_OP_NEG || op == UBF_OP_LE || op == UBF_OP_BE || op == UBF_OP_BSWAP;
}

/* The view-level transfer function of a binary or unary row at width @w. */
static struct ubf_sview alu_view(const struct ubf_scalar *dst, const struct ubf_scalar *src,
				 unsigned op, unsigned w)
{
	struct ubf_sview a = ubf_sview_get(dst, w), b, zero = ubf_sview_const(0, w);

	if (op == UBF_OP_NEG)
		return alu_sub(&zero, &a, w);
	b = ubf_sview_get(src, w);
	switch (op) {
	case UBF_OP_ADD: return alu_add(&a, &b, w);
	case UBF_OP_SUB: return alu_sub(&a, &b, w);
	case UBF_OP_MUL: return alu_mul(&a, &b, w);
	case UBF_OP_DIV: return alu_div(&a, &b, w);
	case UBF_OP_SDIV: return alu_sdiv(&a, &b, w);
	case UBF_OP_MOD: return alu_mod(&a, &b, w);
	case UBF_OP_SMOD: return alu_smod(&a, &b, w);
	case UBF_OP_OR: return alu_or(&a, &b, w);
	case UBF_OP_AND: return alu_and(&a, &b, w);
	case UBF_OP_XOR: return alu_xor(&a, &b, w);
	case UBF_OP_LSH: case UBF_OP_RSH: case UBF_OP_ARSH: return alu_shift(&a, &b, op, w);
	case UBF_OP_MOVSX8: return alu_movsx(src, 8, w);
	case UBF_OP_MOVSX16: return alu_movsx(src, 16, w);
	case UBF_OP_MOVSX32: return alu_movsx(src, 32, w);
	default: return b; /* UBF_OP_MOV */
	}
}

int ubf_scalar_alu(struct ubf_scalar *dst, unsigned op, unsigned width,
		   const struct ubf_scalar *src)
{
	int is_swap_op = op == UBF_OP_LE || op == UBF_OP_BE || op == UBF_OP_BSWAP;
	struct ubf_sview r;

	if (!is_alu_row(op, width) || (!src && !is_unary(op)))
		return -EINVAL;
	if (ubf_scalar_is_const(dst) && (is_unary(op) || ubf_scalar_is_const(src))) {
		*dst = ubf_scalar_const(alu_eval(op, width, dst->var_off.value,
						 is_unary(op) ? 0 : src->var_off.value));
		return 0;
	}
	if (op == UBF_OP_MOV && width == 64) {
		*dst = *src;
		return 0;
	}
	if (op == UBF_OP_MOV && ubf_scalar_is_const(src)) {
		*dst = ubf_scalar_const(alu_eval(op, width, 0, src->var_off.value));
		return 0;
	}
	if (is_swap_op) {
		r = alu_swap(dst, op, width);
		set_result(dst, &r, 64);
		return 0;
	}
	r = alu_view(dst, src, op, width);
	set_result(dst, &r, width);
	return 0;
}
