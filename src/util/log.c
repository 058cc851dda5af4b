// SPDX-License-Identifier: BSD-2-Clause
/*
 * log.c - message delivery to the caller's log sink, the short texts of the
 * errno values the library returns, and the version string.  The library
 * has no global log hook and never writes to stdout or stderr; diagnostic
 * records (struct ubf_diag) are filled elsewhere, by the code that rejects.
 */
#include "util/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <userbpf/userbpf.h>

void ubf_log_printf(const struct ubf_log *log, enum ubf_log_level level, const char *fmt, ...)
{
	char msg[UBF_LOG_MSG_MAX];
	va_list ap;
	size_t len;

	if (!ubf_log_enabled(log, level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The sink gets one message without a trailing newline (log.h). */
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	log->fn(log->cookie, level, msg);
}

struct errno_text {
	int err;
	const char *text;
};

/* The errno values STYLE.md 3.3 gives a meaning, in the library's words. */
static const struct errno_text errno_texts[] = {
	{ EINVAL, "invalid argument or malformed input" },
	{ EACCES, "rejected by the verifier" },
	{ E2BIG, "size or complexity limit exceeded" },
	{ ENOENT, "no such element" },
	{ EEXIST, "element already exists" },
	{ ENOMEM, "out of memory" },
	{ EOPNOTSUPP, "operation not supported" },
	{ EBUSY, "object in the wrong state" },
	{ EFAULT, "fault in checked execution or internal error" },
};

const char *ubf_strerror(int err)
{
	size_t i;

	if (err == 0)
		return "success";
	for (i = 0; i < UBF_ARRAY_SIZE(errno_texts); i++) {
		if (errno_texts[i].err == -err)
			return errno_texts[i].text;
	}
	return "unknown error";
}

const char *ubf_version(void)
{
	return UBF_VERSION_STRING;
}
