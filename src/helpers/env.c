// SPDX-License-Identifier: BSD-2-Clause
/*
 * env.c - struct ubf_env: the embedder's helpers, kept sorted by ID, each
 * in its own allocation so that the descriptor pointers the loader stores
 * in predecoded programs stay valid when later helpers are added.  Lookups
 * that fall back to the built-ins are helper.c's; this file knows only the
 * embedder half.
 */
#include "helpers/helpers.h"

#include <errno.h>
#include <stdlib.h>

#include "vm/vm.h"

struct ubf_env {
	struct ubf_helper **helpers;	/* sorted by id */
	size_t cnt;
	size_t cap;
};

int ubf_env_new(struct ubf_env **envp)
{
	struct ubf_env *env;

	if (!envp)
		return -EINVAL;
	env = calloc(1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	*envp = env;
	return 0;
}

void ubf_env_free(struct ubf_env *env)
{
	size_t i;

	if (!env)
		return;
	for (i = 0; i < env->cnt; i++)
		free(env->helpers[i]);
	free(env->helpers);
	free(env);
}

/* Index of the first helper whose id is >= @id. */
static size_t lower_bound(const struct ubf_env *env, int32_t id)
{
	size_t lo = 0, hi = env->cnt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (env->helpers[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ubf_helper *ubf_env_find(const struct ubf_env *env, int32_t id)
{
	size_t idx;

	if (!env)
		return NULL;
	idx = lower_bound(env, id);
	return idx < env->cnt && env->helpers[idx]->id == id ? env->helpers[idx] : NULL;
}

static int reserve_one(struct ubf_env *env)
{
	struct ubf_helper **grown;
	size_t cap;

	if (env->cnt < env->cap)
		return 0;
	cap = env->cap ? env->cap * 2 : 8;
	grown = realloc(env->helpers, cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	env->helpers = grown;
	env->cap = cap;
	return 0;
}

int ubf_env_add_helper(struct ubf_env *env, const struct ubf_helper *helper)
{
	struct ubf_helper *copy;
	size_t idx, i;
	int err;

	if (!env || !helper || helper->id < 0 || !helper->fn || !helper->name ||
	    !ubf_helper_proto_valid(&helper->proto))
		return -EINVAL;
	idx = lower_bound(env, helper->id);
	if (idx < env->cnt && env->helpers[idx]->id == helper->id)
		return -EEXIST;
	err = reserve_one(env);
	if (err)
		return err;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	*copy = *helper;
	for (i = env->cnt; i > idx; i--)
		env->helpers[i] = env->helpers[i - 1];
	env->helpers[idx] = copy;
	env->cnt++;
	return 0;
}

const struct ubf_helper *ubf_env_helper(const struct ubf_env *env, int32_t id)
{
	return ubf_helper_find(env, id);
}
