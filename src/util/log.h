/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h - the library's one way of producing messages: format into the
 * caller's struct ubf_log.  A NULL log, a log without a function or a
 * message above the log's level costs one comparison and is not formatted.
 */
#ifndef UBF_UTIL_LOG_H
#define UBF_UTIL_LOG_H

#include <userbpf/log.h>

#include "util/compiler.h"

/* Longest message delivered; longer ones are truncated. */
#define UBF_LOG_MSG_MAX 512

void ubf_log_printf(const struct ubf_log *log, enum ubf_log_level level, const char *fmt, ...)
	UBF_PRINTF(3, 4);

static inline bool ubf_log_enabled(const struct ubf_log *log, enum ubf_log_level level)
{
	return log && log->fn && level <= log->level;
}

#endif /* UBF_UTIL_LOG_H */
