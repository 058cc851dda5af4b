/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * helpers.h - internal interface of the helper module: the implementations
 * named by helpers.def, the built-in registry's lookups, and the embedder
 * half of an environment.  The public side is <userbpf/helper.h>; the
 * engines reach helpers through ubf_helper_find() (vm/vm.h).
 */
#ifndef UBF_HELPERS_HELPERS_H
#define UBF_HELPERS_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include <userbpf/helper.h>

/*
 * Linux's jiffies advance CONFIG_HZ times a second; user space cannot read
 * the running kernel's value, so jiffies64 uses Debian's default, 250.
 */
#define UBF_HZ 250

/* One implementation per row of helpers.def. */
#define X(id_, name_, ...)                                                              \
	uint64_t ubf_helper_##name_(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, \
				    uint64_t r5, struct ubf_run *run);
#include "helpers/helpers.def"
#undef X

/* The built-in helper with Linux ID @id, or NULL. */
const struct ubf_helper *ubf_helper_builtin_find(int32_t id);

/* The helper an embedder added to @env under @id, or NULL (also for a NULL @env). */
const struct ubf_helper *ubf_env_find(const struct ubf_env *env, int32_t id);

/*
 * ubf_helper_proto_valid() - is @proto well formed?  Enum values in range,
 * no used argument after an unused one, every memory argument followed by
 * its size and every size preceded by its memory, known flags only, and a
 * map-value return only with a map as the first argument.
 */
bool ubf_helper_proto_valid(const struct ubf_helper_proto *proto);

#endif /* UBF_HELPERS_HELPERS_H */
