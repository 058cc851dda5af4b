/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * compiler.h - the only place GNU extensions appear: attributes, computed
 * goto, overflow-checked arithmetic, ARRAY_SIZE and container_of.  Each
 * macro has a portable fallback so the tree still builds with a plain C11
 * compiler (slower, but correct).
 */
#ifndef UBF_UTIL_COMPILER_H
#define UBF_UTIL_COMPILER_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define UBF_HAVE_COMPUTED_GOTO 1
#define UBF_LIKELY(x) __builtin_expect(!!(x), 1)
#define UBF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define UBF_UNUSED __attribute__((unused))
#define UBF_NOINLINE __attribute__((noinline))
#define UBF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define UBF_FALLTHROUGH __attribute__((fallthrough))
#else
#define UBF_HAVE_COMPUTED_GOTO 0
#define UBF_LIKELY(x) (x)
#define UBF_UNLIKELY(x) (x)
#define UBF_UNUSED
#define UBF_NOINLINE
#define UBF_PRINTF(a, b)
#define UBF_FALLTHROUGH
#endif

/* Make freshly written machine code visible to instruction fetch (a no-op on x86-64). */
#if defined(__GNUC__) || defined(__clang__)
#define ubf_clear_icache(begin, end) __builtin___clear_cache((char *)(begin), (char *)(end))
#else
#define ubf_clear_icache(begin, end) ((void)(begin), (void)(end)) /* coherent hosts only */
#endif

#define UBF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ubf_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* Overflow-checked arithmetic: return nonzero when the true result does not fit. */
#if defined(__GNUC__) || defined(__clang__)
#define ubf_add_overflow(a, b, res) __builtin_add_overflow(a, b, res)
#define ubf_mul_overflow(a, b, res) __builtin_mul_overflow(a, b, res)
#else
static inline int ubf_add_overflow_u64(uint64_t a, uint64_t b, uint64_t *res)
{
	*res = a + b;
	return *res < a;
}
static inline int ubf_mul_overflow_u64(uint64_t a, uint64_t b, uint64_t *res)
{
	*res = a * b;
	return a && *res / a != b;
}
#define ubf_add_overflow(a, b, res) ubf_add_overflow_u64(a, b, res)
#define ubf_mul_overflow(a, b, res) ubf_mul_overflow_u64(a, b, res)
#endif

#endif /* UBF_UTIL_COMPILER_H */
