/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scalar_view.h - one width of a struct ubf_scalar (the whole register or
 * its low 32 bits) as a single shape, so that transfer functions and
 * branch refinement are written once for both widths.  A 32-bit view
 * holds its ranges in the same 64-bit fields, within [0, 2^32) unsigned
 * and [INT32_MIN, INT32_MAX] signed.  Private to src/verifier/.
 */
#ifndef UBF_VERIFIER_SCALAR_VIEW_H
#define UBF_VERIFIER_SCALAR_VIEW_H

#include <stdint.h>

#include "verifier/scalar.h"

struct ubf_sview {
	struct ubf_tnum t;
	uint64_t umin, umax;
	int64_t smin, smax;
};

static inline uint64_t ubf_sview_umax_of(unsigned w)
{
	return w == 64 ? ~(uint64_t)0 : 0xffffffffu;
}

static inline int64_t ubf_sview_smin_of(unsigned w)
{
	return w == 64 ? INT64_MIN : INT32_MIN;
}

static inline int64_t ubf_sview_smax_of(unsigned w)
{
	return w == 64 ? INT64_MAX : INT32_MAX;
}

/* The signed value of the low @w bits of @v. */
static inline int64_t ubf_sview_sx(uint64_t v, unsigned w)
{
	return w == 64 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
}

static inline struct ubf_sview ubf_sview_full(unsigned w)
{
	return (struct ubf_sview){ { 0, ubf_sview_umax_of(w) }, 0, ubf_sview_umax_of(w),
				   ubf_sview_smin_of(w), ubf_sview_smax_of(w) };
}

static inline struct ubf_sview ubf_sview_const(uint64_t v, unsigned w)
{
	v &= ubf_sview_umax_of(w);
	return (struct ubf_sview){ ubf_tnum_const(v), v, v, ubf_sview_sx(v, w), ubf_sview_sx(v, w) };
}

static inline struct ubf_sview ubf_sview_get(const struct ubf_scalar *s, unsigned w)
{
	if (w == 64)
		return (struct ubf_sview){ s->var_off, s->umin, s->umax, s->smin, s->smax };
	return (struct ubf_sview){ ubf_tnum_subreg(s->var_off), s->u32_min, s->u32_max, s->s32_min,
				   s->s32_max };
}

static inline int ubf_sview_is_const(const struct ubf_sview *v)
{
	return ubf_tnum_is_const(v->t) || v->umin == v->umax;
}

/* The value of a constant view (only meaningful when ubf_sview_is_const()). */
static inline uint64_t ubf_sview_value(const struct ubf_sview *v)
{
	return ubf_tnum_is_const(v->t) ? v->t.value : v->umin;
}

/* Write a refined view back: the 64-bit fields, or the sub-register fields. */
void ubf_sview_put(struct ubf_scalar *s, const struct ubf_sview *v, unsigned w);

#endif /* UBF_VERIFIER_SCALAR_VIEW_H */
