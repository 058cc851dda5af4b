// SPDX-License-Identifier: BSD-2-Clause
/*
 * str_helpers.c - strtol, strtoul and strncmp with Linux's semantics
 * (kernel/bpf/helpers.c): the same leading-space and sign rules, base
 * detection (0, 8, 10, 16 only), overflow as -ERANGE, and a return value
 * that counts the characters consumed.  Strings are the program's memory;
 * a checked run must own every byte a helper reads or writes.
 */
#include "helpers/helpers.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "vm/vm.h"

/* Linux's BPF_STRTOX_BASE_MASK: the low 5 bits of flags are the base. */
#define STRTOX_BASE_MASK 0x1fu
/* Linux parses at most this many characters after the sign (a 64-byte buffer). */
#define STRTOX_MAX_CHARS 63u

/*
 * The kernel's isspace(): its ctype table marks 9-13, space and 0xa0
 * (Latin-1 no-break space) as white space.
 */
static bool kernel_isspace(uint8_t c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0xa0;
}

static bool is_xdigit(uint8_t c)
{
	uint8_t lc = c | 0x20;

	return (c >= '0' && c <= '9') || (lc >= 'a' && lc <= 'f');
}

/* As Linux's _parse_integer(): digits consumed, with *@overflow on wrap-around. */
static size_t parse_digits(const char *s, unsigned base, uint64_t *res, bool *overflow)
{
	uint64_t v = 0;
	size_t n = 0;

	*overflow = false;
	for (;; n++) {
		uint8_t c = (uint8_t)s[n], lc = c | 0x20;
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (lc >= 'a' && lc <= 'f')
			d = lc - 'a' + 10u;
		else
			break;
		if (d >= base)
			break;
		if ((v & (~0ull << 60)) && v > (UINT64_MAX - d) / base)
			*overflow = true;
		v = v * base + d;
	}
	*res = v;
	return n;
}

/*
 * Linux's __bpf_strtoull(): skip white space, take one '-', detect the
 * base ("0x" only when a hex digit follows, a leading 0 is octal), parse.
 * Return the characters consumed (> 0) or -EINVAL / -ERANGE.
 */
static int strtoull_linux(const char *buf, size_t buf_len, uint64_t flags, uint64_t *res,
			  bool *is_negative)
{
	unsigned base = (unsigned)(flags & STRTOX_BASE_MASK);
	char str[STRTOX_MAX_CHARS + 1];
	size_t consumed = 0, len, val_len;
	const char *s = str;
	bool overflow;

	if (!buf_len || (base != 0 && base != 8 && base != 10 && base != 16) ||
	    (flags & ~(uint64_t)STRTOX_BASE_MASK))
		return -EINVAL;
	while (consumed < buf_len && kernel_isspace((uint8_t)buf[consumed]))
		consumed++;
	*is_negative = consumed < buf_len && buf[consumed] == '-';
	if (*is_negative)
		consumed++;
	len = buf_len - consumed;
	if (!len)
		return -EINVAL;
	if (len > STRTOX_MAX_CHARS)
		len = STRTOX_MAX_CHARS;
	memcpy(str, buf + consumed, len);
	str[len] = '\0';
	if (base == 0) {
		if (s[0] == '0')
			base = ((s[1] | 0x20) == 'x' && is_xdigit((uint8_t)s[2])) ? 16 : 8;
		else
			base = 10;
	}
	if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	val_len = parse_digits(s, base, res, &overflow);
	if (overflow)
		return -ERANGE;
	if (!val_len)
		return -EINVAL;
	return (int)(consumed + (size_t)(s - str) + val_len);
}

/* Check the string argument of a checked run; the result is the helper's return on failure. */
static int check_buf(struct ubf_run *run, uint64_t buf, uint64_t len, uint64_t res)
{
	if (!run->is_checked)
		return 0;
	if (ubf_run_check_mem(run, buf, len, false, run->helper_pc) ||
	    ubf_run_check_mem(run, res, sizeof(int64_t), true, run->helper_pc))
		return -EFAULT;
	return 0;
}

uint64_t ubf_helper_strtol(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct ubf_run *run)
{
	bool is_negative;
	uint64_t v;
	int64_t out;
	int n;

	(void)r5;
	if (check_buf(run, r1, r2, r4))
		return (uint64_t)-EFAULT;
	n = strtoull_linux((const char *)(uintptr_t)r1, r2, r3, &v, &is_negative);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	if (is_negative) {
		/* -v must be negative (or zero): 2^63 gives INT64_MIN. */
		if ((int64_t)(0 - v) > 0)
			return (uint64_t)-ERANGE;
		out = (int64_t)(0 - v);
	} else {
		if ((int64_t)v < 0)
			return (uint64_t)-ERANGE;
		out = (int64_t)v;
	}
	memcpy((void *)(uintptr_t)r4, &out, sizeof(out));
	return (uint64_t)n;
}

uint64_t ubf_helper_strtoul(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct ubf_run *run)
{
	bool is_negative;
	uint64_t v;
	int n;

	(void)r5;
	if (check_buf(run, r1, r2, r4))
		return (uint64_t)-EFAULT;
	n = strtoull_linux((const char *)(uintptr_t)r1, r2, r3, &v, &is_negative);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	if (is_negative)
		return (uint64_t)-EINVAL;
	memcpy((void *)(uintptr_t)r4, &v, sizeof(v));
	return (uint64_t)n;
}

/*
 * Linux's bpf_strncmp(s1, s1_sz, s2): the kernel's strncmp(), which
 * answers -1, 0 or 1 (not the byte difference), comparing at most s1_sz
 * bytes; s2 is a NUL-terminated constant string.
 */
uint64_t ubf_helper_strncmp(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct ubf_run *run)
{
	const uint8_t *s1 = (const uint8_t *)(uintptr_t)r1, *s2 = (const uint8_t *)(uintptr_t)r3;
	uint32_t n = (uint32_t)r2;
	size_t len, i;

	(void)r4, (void)r5;
	if (run->is_checked) {
		if (ubf_run_check_mem(run, r1, n, false, run->helper_pc))
			return (uint64_t)-EFAULT;
		/* s2 is read up to its NUL or n bytes, whichever comes first. */
		if (ubf_helper_check_str(run, r3, (size_t)n + 1, &len) == -EFAULT)
			return (uint64_t)-EFAULT;
	}
	for (i = 0; i < n; i++) {
		if (s1[i] != s2[i])
			return s1[i] < s2[i] ? (uint64_t)-1 : 1;
		if (!s1[i])
			break;
	}
	return 0;
}
