/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h - where the library's messages go (a sink the caller owns) and the
 * diagnostic record filled when input is rejected or a run faults.  The
 * library never writes to stdout or stderr.
 */
#ifndef USERBPF_LOG_H
#define USERBPF_LOG_H

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

enum ubf_log_level {
	UBF_LOG_WARN = 0,
	UBF_LOG_INFO = 1,
	UBF_LOG_DEBUG = 2,
};

/* Called with one complete message, without a trailing newline. */
typedef void (*ubf_log_fn)(void *cookie, enum ubf_log_level level, const char *msg);

/**
 * struct ubf_log - a message sink travelling in an options struct
 * @fn:     NULL: messages are dropped and not even formatted
 * @cookie: passed back to @fn
 * @level:  messages above this level are dropped
 */
struct ubf_log {
	ubf_log_fn fn;
	void *cookie;
	enum ubf_log_level level;
};

#define UBF_DIAG_NO_INSN UINT32_MAX

/**
 * struct ubf_diag - why an input was rejected or a run failed
 * @insn_idx: failing instruction, or UBF_DIAG_NO_INSN
 * @line:     1-based source line for text input (assembler, .data), else 0
 * @col:      1-based column for text input, else 0
 * @id:       stable dotted identifier ("insn.reserved_field", "run.mem_oob");
 *            tests match on it, the wording of @msg may change
 * @hint:     optional one-line suggestion, may be NULL
 * @msg:      what was found and what was expected
 */
struct ubf_diag {
	uint32_t insn_idx;
	uint32_t line;
	uint32_t col;
	uint32_t reserved;
	const char *id;
	const char *hint;
	char msg[256];
};

/**
 * ubf_strerror() - short text for a negative errno returned by the library
 * @err: a value such as -EINVAL
 *
 * Return: a static string; never NULL.
 */
UBF_API const char *ubf_strerror(int err);

UBF_EXTERN_C_END

#endif /* USERBPF_LOG_H */
