// SPDX-License-Identifier: BSD-2-Clause
/*
 * helper.c - the registry of built-in helpers, built from helpers.def: a
 * table in ID order for listing, an array indexed by ID for O(1) lookup,
 * and ubf_helper_find(), which the loader uses to resolve `call N` (an
 * environment's embedder helpers first, then the built-ins).  Beside it,
 * every prototype of helpers.def by ID, the ones userbpf does not run
 * included, for the verifier and verify-only loads.  The helpers
 * themselves live in *_helpers.c, one file per theme.
 */
#include "helpers/helpers.h"

#include <stddef.h>

#include "util/compiler.h"
#include "vm/vm.h"

/* Row index of each helper in builtin_helpers[], by name. */
enum {
#define X(id_, name_, ...) BUILTIN_IDX_##name_,
#include "helpers/helpers.def"
#undef X
};

static const struct ubf_helper builtin_helpers[] = {
#define X(id_, name_, ret_, a1_, a2_, a3_, a4_, a5_, flags_)                                   \
	{ .id = id_,                                                                         \
	  .name = #name_,                                                                    \
	  .fn = ubf_helper_##name_,                                                          \
	  .proto = { .ret = UBF_RET_##ret_,                                                  \
		     .args = { UBF_ARG_##a1_, UBF_ARG_##a2_, UBF_ARG_##a3_, UBF_ARG_##a4_,    \
			       UBF_ARG_##a5_ },                                              \
		     .flags = flags_ } },
#include "helpers/helpers.def"
#undef X
};

/*
 * Every row's prototype, runnable or not, indexed by ID: X rows point at
 * the registry's descriptor, P rows are descriptors without a function.
 */
/* P rows may use helpers.h's kinds beyond the public enums. */
#define PROTO_ARG(a_) ((enum ubf_arg_type)UBF_ARG_##a_)

static const struct ubf_helper proto_rows[] = {
#define X(id_, ...)
#define P(id_, name_, ret_, a1_, a2_, a3_, a4_, a5_, flags_)                                   \
	{ .id = id_,                                                                         \
	  .name = #name_,                                                                    \
	  .fn = NULL,                                                                        \
	  .proto = { .ret = (enum ubf_ret_type)UBF_RET_##ret_,                               \
		     .args = { PROTO_ARG(a1_), PROTO_ARG(a2_), PROTO_ARG(a3_), PROTO_ARG(a4_), \
			       PROTO_ARG(a5_) },                                             \
		     .flags = flags_ } },
#include "helpers/helpers.def"
#undef P
#undef X
};
#undef PROTO_ARG

enum {
#define X(id_, ...)
#define P(id_, name_, ...) PROTO_IDX_##name_,
#include "helpers/helpers.def"
#undef P
#undef X
};

static const struct ubf_helper *const proto_by_id[] = {
#define X(id_, name_, ...) [id_] = &builtin_helpers[BUILTIN_IDX_##name_],
#define P(id_, name_, ...) [id_] = &proto_rows[PROTO_IDX_##name_],
#include "helpers/helpers.def"
#undef P
#undef X
};

/* Sized by the largest ID; IDs without a built-in helper are NULL. */
static const struct ubf_helper *const builtin_by_id[] = {
#define X(id_, name_, ...) [id_] = &builtin_helpers[BUILTIN_IDX_##name_],
#include "helpers/helpers.def"
#undef X
};

const struct ubf_helper *ubf_helper_builtin(size_t idx)
{
	return idx < UBF_ARRAY_SIZE(builtin_helpers) ? &builtin_helpers[idx] : NULL;
}

const struct ubf_helper *ubf_helper_builtin_find(int32_t id)
{
	if (id < 0 || (size_t)id >= UBF_ARRAY_SIZE(builtin_by_id))
		return NULL;
	return builtin_by_id[id];
}

const struct ubf_helper *ubf_helper_proto_find(int32_t id)
{
	if (id < 0 || (size_t)id >= UBF_ARRAY_SIZE(proto_by_id))
		return NULL;
	return proto_by_id[id];
}

const struct ubf_helper *ubf_helper_find(const struct ubf_env *env, int32_t id)
{
	const struct ubf_helper *h = ubf_env_find(env, id);

	return h ? h : ubf_helper_builtin_find(id);
}

static bool is_mem_arg(enum ubf_arg_type t)
{
	return t == UBF_ARG_MEM || t == UBF_ARG_MEM_OR_NULL || t == UBF_ARG_MEM_UNINIT;
}

static bool is_size_arg(enum ubf_arg_type t)
{
	return t == UBF_ARG_SIZE || t == UBF_ARG_SIZE_OR_ZERO;
}

#define UBF_HF_ALL                                                                         \
	(UBF_HF_ACQUIRE | UBF_HF_RELEASE | UBF_HF_PKT_CHANGE | UBF_HF_MAY_SLEEP | UBF_HF_TAIL_CALL |  \
	 UBF_HF_GPL_ONLY)

bool ubf_helper_proto_valid(const struct ubf_helper_proto *proto)
{
	bool seen_none = false;
	size_t i;

	if ((unsigned)proto->ret > UBF_RET_DYNPTR_MEM_OR_NULL || proto->flags & ~(uint32_t)UBF_HF_ALL)
		return false;
	for (i = 0; i < 5; i++) {
		enum ubf_arg_type t = proto->args[i];
		enum ubf_arg_type next = i < 4 ? proto->args[i + 1] : UBF_ARG_NONE;

		if ((unsigned)t > UBF_ARG_DYNPTR_UNINIT)
			return false;
		if (t == UBF_ARG_NONE) {
			seen_none = true;
			continue;
		}
		if (seen_none)
			return false;
		if (is_mem_arg(t) && !is_size_arg(next))
			return false;
		if (is_size_arg(t) && (i == 0 || !is_mem_arg(proto->args[i - 1])))
			return false;
	}
	if (proto->ret == UBF_RET_MAP_VALUE_OR_NULL && proto->args[0] != UBF_ARG_CONST_MAP_PTR)
		return false;
	return true;
}
