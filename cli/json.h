/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * json.h - the small JSON writer behind -j/--json and -p/--pretty of the
 * bpftool-style commands (prog, map, btf).  It reproduces bpftool's layout
 * byte for byte: members on their own lines when pretty, array elements
 * written as plain values kept on one line, four spaces per level.
 * Names are emitted with ubf_json_name() before each member value.
 */
#ifndef UBF_CLI_JSON_H
#define UBF_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

/**
 * struct ubf_json - one JSON document being written
 * @out:    where it goes
 * @pretty: bpftool's --pretty layout
 * @depth:  current nesting
 * @sep:    what to write before the next value (',' or 0)
 */
struct ubf_json {
	FILE *out;
	bool pretty;
	unsigned int depth;
	char sep;
};

void ubf_json_init(struct ubf_json *jw, FILE *out, bool pretty);
/* End the document: the final newline, as bpftool writes it. */
void ubf_json_finish(struct ubf_json *jw);

void ubf_json_start_object(struct ubf_json *jw);
void ubf_json_end_object(struct ubf_json *jw);
void ubf_json_start_array(struct ubf_json *jw);
void ubf_json_end_array(struct ubf_json *jw);
/* A member name; the next value (or start) is its value. */
void ubf_json_name(struct ubf_json *jw, const char *name);

void ubf_json_string(struct ubf_json *jw, const char *s);
void ubf_json_uint(struct ubf_json *jw, uint64_t v);
void ubf_json_int(struct ubf_json *jw, int64_t v);
void ubf_json_bool(struct ubf_json *jw, bool v);
void ubf_json_null(struct ubf_json *jw);
/* A value written verbatim (already valid JSON), printf style. */
void ubf_json_printf(struct ubf_json *jw, const char *fmt, ...) UBF_CLI_PRINTF(2, 3);

/* name + value in one call. */
void ubf_json_string_field(struct ubf_json *jw, const char *name, const char *s);
void ubf_json_uint_field(struct ubf_json *jw, const char *name, uint64_t v);
void ubf_json_int_field(struct ubf_json *jw, const char *name, int64_t v);
void ubf_json_bool_field(struct ubf_json *jw, const char *name, bool v);

/* An array of "0xNN" strings, bpftool's form for raw key and value bytes. */
void ubf_json_hex_array(struct ubf_json *jw, const void *data, size_t sz);

#endif /* UBF_CLI_JSON_H */
