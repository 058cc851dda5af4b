// SPDX-License-Identifier: BSD-2-Clause
/*
 * json.c - a streaming JSON writer with bpftool's layout.  Members start on
 * a new, indented line when pretty; values inside arrays follow each other
 * on one line and the closing bracket goes on its own line, which is how
 * bpftool prints hex byte arrays.  Strings are escaped per RFC 8259.
 */
#include "json.h"

#include <stdarg.h>

void ubf_json_init(struct ubf_json *jw, FILE *out, bool pretty)
{
	jw->out = out;
	jw->pretty = pretty;
	jw->depth = 0;
	jw->sep = 0;
}

void ubf_json_finish(struct ubf_json *jw)
{
	fputc('\n', jw->out);
	jw->sep = 0;
}

/* End of the previous value: its separator. */
static void eor(struct ubf_json *jw)
{
	if (jw->sep)
		fputc(jw->sep, jw->out);
	jw->sep = ',';
}

/* New line and indentation, when pretty. */
static void eol(struct ubf_json *jw)
{
	unsigned int i;

	if (!jw->pretty)
		return;
	fputc('\n', jw->out);
	for (i = 0; i < jw->depth; i++)
		fputs("    ", jw->out);
}

static void start(struct ubf_json *jw, char c)
{
	eor(jw);
	jw->depth++;
	fputc(c, jw->out);
	jw->sep = 0;
}

static void end(struct ubf_json *jw, char c)
{
	jw->depth--;
	if (jw->sep)
		eol(jw);
	fputc(c, jw->out);
	jw->sep = ',';
}

void ubf_json_start_object(struct ubf_json *jw)
{
	start(jw, '{');
}

void ubf_json_end_object(struct ubf_json *jw)
{
	end(jw, '}');
}

void ubf_json_start_array(struct ubf_json *jw)
{
	start(jw, '[');
}

void ubf_json_end_array(struct ubf_json *jw)
{
	end(jw, ']');
}

static void put_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void ubf_json_name(struct ubf_json *jw, const char *name)
{
	eor(jw);
	eol(jw);
	jw->sep = 0;
	put_string(jw->out, name);
	fputc(':', jw->out);
	if (jw->pretty)
		fputc(' ', jw->out);
}

void ubf_json_printf(struct ubf_json *jw, const char *fmt, ...)
{
	va_list ap;

	eor(jw);
	va_start(ap, fmt);
	vfprintf(jw->out, fmt, ap);
	va_end(ap);
}

void ubf_json_string(struct ubf_json *jw, const char *s)
{
	eor(jw);
	put_string(jw->out, s);
}

void ubf_json_uint(struct ubf_json *jw, uint64_t v)
{
	ubf_json_printf(jw, "%llu", (unsigned long long)v);
}

void ubf_json_int(struct ubf_json *jw, int64_t v)
{
	ubf_json_printf(jw, "%lld", (long long)v);
}

void ubf_json_bool(struct ubf_json *jw, bool v)
{
	ubf_json_printf(jw, "%s", v ? "true" : "false");
}

void ubf_json_null(struct ubf_json *jw)
{
	ubf_json_printf(jw, "null");
}

void ubf_json_string_field(struct ubf_json *jw, const char *name, const char *s)
{
	ubf_json_name(jw, name);
	ubf_json_string(jw, s);
}

void ubf_json_uint_field(struct ubf_json *jw, const char *name, uint64_t v)
{
	ubf_json_name(jw, name);
	ubf_json_uint(jw, v);
}

void ubf_json_int_field(struct ubf_json *jw, const char *name, int64_t v)
{
	ubf_json_name(jw, name);
	ubf_json_int(jw, v);
}

void ubf_json_bool_field(struct ubf_json *jw, const char *name, bool v)
{
	ubf_json_name(jw, name);
	ubf_json_bool(jw, v);
}

void ubf_json_hex_array(struct ubf_json *jw, const void *data, size_t sz)
{
	const unsigned char *p = data;
	size_t i;

	ubf_json_start_array(jw);
	for (i = 0; i < sz; i++)
		ubf_json_printf(jw, "\"0x%02x\"", p[i]);
	ubf_json_end_array(jw);
}
