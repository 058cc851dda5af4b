/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * opts.h - the options-struct convention of include/userbpf/common.h,
 * checked: a caller's struct may be smaller than this build's (an older
 * caller: missing fields read as their defaults) or larger (a newer
 * caller: the bytes this build does not know must be zero, or the call
 * fails with -EINVAL rather than silently ignoring a request).
 */
#ifndef UBF_UTIL_OPTS_H
#define UBF_UTIL_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * ubf_opts_valid() - may the library accept @opts (NULL is fine)?  @known_sz
 * is sizeof the struct this build was compiled with; opts structs have no
 * implicit padding, so every byte past it belongs to a field we do not know.
 */
static inline bool ubf_opts_valid(const void *opts, size_t known_sz)
{
	const uint8_t *p = opts;
	size_t sz, i;

	if (!opts)
		return true;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(size_t))
		return false;
	for (i = known_sz; i < sz; i++) {
		if (p[i])
			return false;
	}
	return true;
}

#define UBF_OPTS_VALID(opts, type) ubf_opts_valid((opts), sizeof(struct type))

/* Does the caller's struct reach past @field?  The offset is computed without typeof. */
#define UBF_OPTS_HAS(opts, field)                                                           \
	((opts) && (opts)->sz >= (size_t)((const char *)&(opts)->field - (const char *)(opts)) + \
				 sizeof((opts)->field))

/* @field of @opts, or @def when @opts is NULL or too old to have it. */
#define UBF_OPTS_GET(opts, field, def) (UBF_OPTS_HAS(opts, field) ? (opts)->field : (def))

#endif /* UBF_UTIL_OPTS_H */
