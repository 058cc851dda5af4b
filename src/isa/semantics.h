/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * semantics.h - RFC 9669 arithmetic that C does not give directly: signed
 * division and modulo with their zero and overflow cases, arithmetic
 * shifts, sign extension and byte swaps.  Registers are uint64_t; nothing
 * here relies on signed overflow.  The interpreter, the verifier's
 * constant folding and the tests' reference checks all use these.
 */
#ifndef UBF_ISA_SEMANTICS_H
#define UBF_ISA_SEMANTICS_H

#include <stdint.h>

/* RFC 9669 4.1: unsigned division by zero gives 0. */
static inline uint64_t ubf_udiv64(uint64_t dst, uint64_t src)
{
	return src ? dst / src : 0;
}

static inline uint32_t ubf_udiv32(uint32_t dst, uint32_t src)
{
	return src ? dst / src : 0;
}

/* RFC 9669 4.1: modulo by zero leaves dst unchanged. */
static inline uint64_t ubf_umod64(uint64_t dst, uint64_t src)
{
	return src ? dst % src : dst;
}

static inline uint32_t ubf_umod32(uint32_t dst, uint32_t src)
{
	return src ? dst % src : dst;
}

/*
 * RFC 9669 4.1: signed division truncates toward zero; dividing by zero
 * gives 0.  INT64_MIN / -1 has no C result (it overflows), so it is handled
 * before the C division; Linux produces INT64_MIN there and so do we.
 */
static inline uint64_t ubf_sdiv64(uint64_t dst, uint64_t src)
{
	int64_t a = (int64_t)dst, b = (int64_t)src;

	if (b == 0)
		return 0;
	if (b == -1)
		return 0 - dst; /* unsigned negation: wraps, no UB */
	return (uint64_t)(a / b);
}

static inline uint32_t ubf_sdiv32(uint32_t dst, uint32_t src)
{
	int32_t a = (int32_t)dst, b = (int32_t)src;

	if (b == 0)
		return 0;
	if (b == -1)
		return 0u - dst;
	return (uint32_t)(a / b);
}

/* Signed modulo: the result has the sign of dst; by zero, dst unchanged; x % -1 == 0. */
static inline uint64_t ubf_smod64(uint64_t dst, uint64_t src)
{
	int64_t a = (int64_t)dst, b = (int64_t)src;

	if (b == 0)
		return dst;
	if (b == -1)
		return 0;
	return (uint64_t)(a % b);
}

static inline uint32_t ubf_smod32(uint32_t dst, uint32_t src)
{
	int32_t a = (int32_t)dst, b = (int32_t)src;

	if (b == 0)
		return dst;
	if (b == -1)
		return 0;
	return (uint32_t)(a % b);
}

/* Arithmetic shift right; the count is already masked by the caller's width. */
static inline uint64_t ubf_arsh64(uint64_t dst, unsigned sh)
{
	return (uint64_t)((int64_t)dst >> (sh & 63));
}

static inline uint32_t ubf_arsh32(uint32_t dst, unsigned sh)
{
	return (uint32_t)((int32_t)dst >> (sh & 31));
}

/* Sign extension from the low 8, 16 or 32 bits. */
static inline uint64_t ubf_sext8(uint64_t v)
{
	return (uint64_t)(int64_t)(int8_t)(uint8_t)v;
}

static inline uint64_t ubf_sext16(uint64_t v)
{
	return (uint64_t)(int64_t)(int16_t)(uint16_t)v;
}

static inline uint64_t ubf_sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

static inline uint16_t ubf_bswap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

static inline uint32_t ubf_bswap32(uint32_t v)
{
	return (v & 0xffu) << 24 | (v & 0xff00u) << 8 | (v >> 8 & 0xff00u) | v >> 24;
}

static inline uint64_t ubf_bswap64(uint64_t v)
{
	return (uint64_t)ubf_bswap32((uint32_t)v) << 32 | ubf_bswap32((uint32_t)(v >> 32));
}

/*
 * Byte order conversions (RFC 9669 4.2): le and be convert from host order
 * and truncate to the width, zero-extending to 64 bits.  On a little-endian
 * host le is a truncation and be a swap.
 */
static inline uint64_t ubf_to_le(uint64_t v, unsigned width)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return width == 16 ? ubf_bswap16((uint16_t)v) : width == 32 ? ubf_bswap32((uint32_t)v) : ubf_bswap64(v);
#else
	return width == 16 ? (uint16_t)v : width == 32 ? (uint32_t)v : v;
#endif
}

static inline uint64_t ubf_to_be(uint64_t v, unsigned width)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return width == 16 ? (uint16_t)v : width == 32 ? (uint32_t)v : v;
#else
	return width == 16 ? ubf_bswap16((uint16_t)v) : width == 32 ? ubf_bswap32((uint32_t)v) : ubf_bswap64(v);
#endif
}

static inline uint64_t ubf_bswap(uint64_t v, unsigned width)
{
	return width == 16 ? ubf_bswap16((uint16_t)v) : width == 32 ? ubf_bswap32((uint32_t)v) : ubf_bswap64(v);
}

#endif /* UBF_ISA_SEMANTICS_H */
