/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * common.h - what every public header shares: symbol visibility, the
 * options-struct convention and the C++ guard.  C99 and C++ clean; it
 * includes only <stddef.h>, <stdint.h> and <stdbool.h>.
 */
#ifndef USERBPF_COMMON_H
#define USERBPF_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GNUC__) || defined(__clang__)
#define UBF_API __attribute__((visibility("default")))
#else
#define UBF_API
#endif

#ifdef __cplusplus
#define UBF_EXTERN_C_BEGIN extern "C" {
#define UBF_EXTERN_C_END }
#else
#define UBF_EXTERN_C_BEGIN
#define UBF_EXTERN_C_END
#endif

/*
 * Options structs start with their own size.  Callers declare them with
 * UBF_OPTS(type, name, .field = value, ...); fields are only ever added at
 * the end, so an old caller's smaller struct keeps working and a newer
 * caller's larger one is accepted while the bytes this build does not know
 * are zero.
 */
#define UBF_OPTS(type, name, ...) struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

#endif /* USERBPF_COMMON_H */
