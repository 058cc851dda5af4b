// SPDX-License-Identifier: BSD-2-Clause
/*
 * ctx.c - lookups over ctx.def: the context access rules of every Linux
 * program type, its return range and its helper set.  A program type and
 * expected_attach_type select a set of classes (UBF_CTX_WHO rows); an access
 * is allowed when some field row lets one of those classes make it.  The
 * functions are pure: no state, no allocation, no logging.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <string.h>

#include "util/compiler.h"
#include "verifier/ctx.h"

#define AT(a) ((a) < 64 ? (uint64_t)1 << (a) : 0)
#define WHO(w) ((uint64_t)1 << UBF_CTX_WHO_##w)
#define HC(c) ((uint64_t)1 << UBF_CTX_HC_##c)
#define OBJ(o) ((uint64_t)1 << UBF_CTX_WHO_OBJ_##o)
#define UBF_CTX_F_0 0
#define UBF_CTX_F_HEAD 1

enum ubf_ctx_who {
#define UBF_CTX_WHO(name, type, attach) UBF_CTX_WHO_##name,
#include "verifier/ctx.def"
#undef UBF_CTX_WHO
	UBF_CTX_WHO_PROG_CNT,
	/* the objects' reader classes follow the programs' */
#define UBF_CTX_OBJ(name) UBF_CTX_WHO_OBJ_##name = UBF_CTX_WHO_PROG_CNT + UBF_CTX_OBJ_##name,
#include "verifier/ctx.def"
#undef UBF_CTX_OBJ
	UBF_CTX_WHO_CNT = UBF_CTX_WHO_PROG_CNT + UBF_CTX_OBJ_CNT
};
_Static_assert(UBF_CTX_WHO_CNT <= 64, "ctx.def: more than 64 classes");

enum ubf_ctx_hc {
#define UBF_CTX_HCLASS(name, type, attach, flags) UBF_CTX_HC_##name,
#include "verifier/ctx.def"
#undef UBF_CTX_HCLASS
	UBF_CTX_HC_CNT
};
_Static_assert(UBF_CTX_HC_CNT <= 64, "ctx.def: more than 64 helper classes");

struct who_row {
	uint32_t prog_type;
	uint64_t attach;	/* AT() bits; 0: any */
};

static const struct who_row whos[] = {
#define UBF_CTX_WHO(name, type, att) { type, att },
#include "verifier/ctx.def"
#undef UBF_CTX_WHO
};

struct field_row {
	const char *layout;
	const char *name;
	uint32_t off;
	uint32_t sz;
	uint8_t rsz;		/* allowed load sizes, as a set of 1|2|4|8 */
	uint8_t wsz;		/* allowed store sizes */
	uint8_t is_head;	/* only at the row's first byte */
	enum ubf_ctx_reg reg;
	uint64_t readers;	/* WHO() bits */
	uint64_t writers;
};

#define sizeof_field(s, f) sizeof(((struct s *)0)->f)

static const struct field_row fields[] = {
#define UBF_CTX_FIELD(layout, st, f, rsz, wsz, fl, reg, rd, wr)				\
	{ #layout, #f, offsetof(struct st, f), sizeof_field(st, f), rsz, wsz,		\
	  UBF_CTX_F_##fl, UBF_CTX_REG_##reg, rd, wr },
#define UBF_CTX_SPAN(layout, name, off, sz, rsz, wsz, fl, reg, rd, wr)			\
	{ #layout, name, off, sz, rsz, wsz, UBF_CTX_F_##fl, UBF_CTX_REG_##reg, rd, wr },
#include "verifier/ctx.def"
#undef UBF_CTX_FIELD
#undef UBF_CTX_SPAN
};

struct type_row {
	const char *layout;	/* NULL: no such program type */
};

static const struct type_row types[] = {
#define UBF_CTX_TYPE(type, layout) [type] = { #layout },
#include "verifier/ctx.def"
#undef UBF_CTX_TYPE
};

struct ret_row {
	uint32_t prog_type;
	uint64_t attach;
	uint64_t lo;
	uint64_t hi;
};

static const struct ret_row rets[] = {
#define UBF_CTX_RET(type, att, lo, hi) { type, att, lo, hi },
#include "verifier/ctx.def"
#undef UBF_CTX_RET
};

#define UBF_CTX_HC_F_0 0
#define UBF_CTX_HC_F_ANY 1

struct hclass_row {
	uint32_t prog_type;
	uint64_t attach;	/* AT() bits; 0: any */
	uint32_t is_any;	/* offered every helper some class is offered */
};

static const struct hclass_row hclasses[] = {
#define UBF_CTX_HCLASS(name, type, att, flags) { type, att, UBF_CTX_HC_F_##flags },
#include "verifier/ctx.def"
#undef UBF_CTX_HCLASS
};

/* HC() bits of the classes that may call each helper, by BPF_FUNC_* ID */
static const uint64_t helper_classes[] = {
#define UBF_CTX_HELPER(id, name, classes) [id] = (classes),
#include "verifier/ctx.def"
#undef UBF_CTX_HELPER
};

static const struct type_row *type_row(uint32_t prog_type)
{
	if (prog_type >= UBF_ARRAY_SIZE(types) || !types[prog_type].layout)
		return NULL;
	return &types[prog_type];
}

static bool attach_matches(uint64_t mask, uint32_t attach)
{
	return !mask || (attach < 64 && (mask & AT(attach)));
}

/* The WHO() bits a program of this type and attach type belongs to. */
static uint64_t classes_of(uint32_t prog_type, uint32_t attach)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(whos); i++)
		if (whos[i].prog_type == prog_type && attach_matches(whos[i].attach, attach))
			set |= (uint64_t)1 << i;
	return set;
}

static bool row_allows(const struct field_row *row, uint64_t cls, int64_t off, uint32_t size,
		       bool is_write)
{
	uint64_t who = is_write ? row->writers : row->readers;
	uint8_t sizes = is_write ? row->wsz : row->rsz;

	if (!(who & cls) || !(sizes & size))
		return false;
	if (off < row->off || off + size > (int64_t)row->off + row->sz)
		return false;
	return !row->is_head || off == row->off;
}

/* The first row allowing an access by one of the classes @cls. */
static int find_row(uint64_t cls, int64_t off, uint32_t size, bool is_write,
		    struct ubf_ctx_result *result)
{
	size_t i;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	/* Linux checks off % size before any field rule */
	if (off < 0 || off % size)
		return -EACCES;
	for (i = 0; i < UBF_ARRAY_SIZE(fields); i++) {
		if (!row_allows(&fields[i], cls, off, size, is_write))
			continue;
		result->reg = fields[i].reg;
		result->field = fields[i].name;
		result->field_off = fields[i].off;
		result->field_sz = fields[i].sz;
		return 0;
	}
	return -EACCES;
}

int ubf_ctx_access(uint32_t prog_type, uint32_t attach, int64_t off, uint32_t size,
		   bool is_write, struct ubf_ctx_result *result)
{
	if (!type_row(prog_type))
		return -EINVAL;
	return find_row(classes_of(prog_type, attach), off, size, is_write, result);
}

int ubf_ctx_obj_access(enum ubf_ctx_obj obj, int64_t off, uint32_t size, bool is_write,
		       struct ubf_ctx_result *result)
{
	if ((unsigned)obj >= UBF_CTX_OBJ_CNT)
		return -EINVAL;
	return find_row((uint64_t)1 << (UBF_CTX_WHO_PROG_CNT + (unsigned)obj), off, size,
			is_write, result);
}

const char *ubf_ctx_field_name(uint32_t prog_type, int64_t off)
{
	const struct type_row *t = type_row(prog_type);
	size_t i;

	if (!t || off < 0)
		return NULL;
	for (i = 0; i < UBF_ARRAY_SIZE(fields); i++) {
		const struct field_row *row = &fields[i];

		if (row->layout == t->layout || !strcmp(row->layout, t->layout))
			if (off >= row->off && off < (int64_t)row->off + row->sz)
				return row->name;
	}
	return NULL;
}

int ubf_ctx_ret_range(uint32_t prog_type, uint32_t attach, uint64_t *lo, uint64_t *hi)
{
	size_t i;

	if (!type_row(prog_type))
		return -EINVAL;
	for (i = 0; i < UBF_ARRAY_SIZE(rets); i++) {
		if (rets[i].prog_type != prog_type || !attach_matches(rets[i].attach, attach))
			continue;
		*lo = rets[i].lo;
		*hi = rets[i].hi;
		return 0;
	}
	return -ENOENT;
}

bool ubf_ctx_helper_allowed(uint32_t prog_type, uint32_t attach, uint32_t helper_id)
{
	size_t c;

	if (!type_row(prog_type) || helper_id >= UBF_ARRAY_SIZE(helper_classes))
		return false;
	for (c = 0; c < UBF_ARRAY_SIZE(hclasses); c++) {
		if (hclasses[c].prog_type != prog_type || !attach_matches(hclasses[c].attach, attach))
			continue;
		if (hclasses[c].is_any)
			return helper_classes[helper_id] != 0;
		return helper_classes[helper_id] & ((uint64_t)1 << c);
	}
	return false;
}

bool ubf_ctx_pkt_writable(uint32_t prog_type)
{
	static const uint32_t writers[] = {
#define UBF_CTX_PKT_WRITE(type) type,
#include "verifier/ctx.def"
#undef UBF_CTX_PKT_WRITE
	};
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(writers); i++)
		if (writers[i] == prog_type)
			return true;
	return false;
}
