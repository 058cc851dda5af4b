// SPDX-License-Identifier: BSD-2-Clause
/*
 * datafile.c - the reader of the conformance suite's .data files: sections
 * "-- asm", "-- raw" (64-bit words, or eight hex bytes per line), "-- mem"
 * (hex bytes), "-- result" (hex or decimal), "-- error" (text), with "-- c"
 * and "-- no register offset" ignored as the upstream runner ignores them.
 * When both asm and raw are present, raw is the program.  It does not run
 * or validate the program; see ubf_isa_check() and the engines.
 */
#include "isa/text.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

#include "util/opts.h"

enum section { SEC_NONE, SEC_ASM, SEC_RAW, SEC_MEM, SEC_RESULT, SEC_ERROR, SEC_IGNORED };

static const struct {
	const char *name;
	enum section sec;
} sections[] = {
	{"asm", SEC_ASM},
	{"raw", SEC_RAW},
	{"mem", SEC_MEM},
	{"result", SEC_RESULT},
	{"error", SEC_ERROR},
	{"c", SEC_IGNORED},
	{"no register offset", SEC_IGNORED},
};

/* A growable byte buffer. */
struct bytes {
	uint8_t *p;
	size_t len;
	size_t cap;
};

struct reader {
	const struct ubf_text_ctx *ctx;
	uint32_t lineno;
	enum section sec;
	bool seen[SEC_IGNORED];
	const char *asm_text; /* the asm section, assembled at the end */
	size_t asm_len;
	uint32_t asm_line;
	struct bytes raw;
	struct bytes mem;
	struct bytes error;
	const char *result; /* last line of the result section */
	size_t result_len;
	uint32_t result_line;
	uint32_t result_col;
};

static int push(struct bytes *b, const void *src, size_t n)
{
	size_t cap = b->cap ? b->cap : 64;
	uint8_t *p;

	if (n <= b->cap - b->len) {
		memcpy(b->p + b->len, src, n);
		b->len += n;
		return 0;
	}
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return push(b, src, n);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static uint32_t col_of(const char *line, const char *p)
{
	size_t col = (size_t)(p - line) + 1;

	return col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

/* Trim a line: leading and trailing blanks, and a '#' comment. */
static void trim(const char **p, size_t *len, bool strip_comment)
{
	const char *hash = strip_comment ? memchr(*p, '#', *len) : NULL;

	if (hash)
		*len = (size_t)(hash - *p);
	while (*len && is_space(**p)) {
		(*p)++;
		(*len)--;
	}
	while (*len && is_space((*p)[*len - 1]))
		(*len)--;
}

/* The next blank-separated word of [*p, end), or 0 at the end. */
static size_t next_word(const char **p, const char *end)
{
	size_t n = 0;

	while (*p < end && is_space(**p))
		(*p)++;
	while (*p + n < end && !is_space((*p)[n]))
		n++;
	return n;
}

/* "0x1f" (hex, up to 64 bits) or "31" (decimal), the whole word. */
static bool parse_u64(const char *p, size_t n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;
	int d;

	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		d = hex_digit(p[i]);
		if (d < 0 || (unsigned)d >= base || v > (UINT64_MAX - (unsigned)d) / base)
			return false;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return true;
}

static int bad(struct reader *r, const char *line, const char *at, const char *id, const char *what)
{
	return ubf_text_error(r->ctx, r->lineno, col_of(line, at), UBF_DIAG_NO_INSN, id, "%s",
			      what);
}

/* "-- name": which section starts, or an error naming the line. */
static int section_header(struct reader *r, const char *line, const char *p, size_t len)
{
	const char *name = p + 2;
	size_t n = len - 2, i;

	trim(&name, &n, false);
	for (i = 0; i < UBF_ARRAY_SIZE(sections); i++) {
		if (strlen(sections[i].name) == n && !memcmp(sections[i].name, name, n))
			break;
	}
	if (i == UBF_ARRAY_SIZE(sections))
		return ubf_text_error(r->ctx, r->lineno, col_of(line, name), UBF_DIAG_NO_INSN,
				      "data.unknown_section",
				      "unknown section '-- %.*s' (expected asm, raw, mem, result, "
				      "error or c)",
				      n > 40 ? 40 : (int)n, name);
	r->sec = sections[i].sec;
	if (r->sec == SEC_RESULT) {
		/* An empty result section is reported at its header. */
		r->result_line = r->lineno;
		r->result_col = col_of(line, p);
	}
	if (r->sec == SEC_IGNORED)
		return 0;
	if (r->seen[r->sec])
		return bad(r, line, name, "data.duplicate_section", "section appears twice");
	r->seen[r->sec] = true;
	return 0;
}

/* One raw line: eight hex bytes "07 00 01 00 01 00 00 00", or 64-bit words "0x...". */
static int raw_line(struct reader *r, const char *line, const char *p, size_t len)
{
	const char *end = p + len, *w[8], *q = p;
	size_t n, words = 0, pairs = 0, i;
	uint8_t b[8];
	uint64_t v;
	int err = 0;

	for (; (n = next_word(&q, end)) != 0; q += n) {
		if (words < 8)
			w[words] = q;
		words++;
		pairs += n == 2 && hex_digit(q[0]) >= 0 && hex_digit(q[1]) >= 0;
	}
	if (words == 8 && pairs == 8) {
		/* The instruction's bytes in memory order. */
		for (i = 0; i < 8; i++)
			b[i] = (uint8_t)(hex_digit(w[i][0]) << 4 | hex_digit(w[i][1]));
		return push(&r->raw, b, sizeof(b));
	}
	for (q = p; !err && (n = next_word(&q, end)) != 0; q += n) {
		if (!parse_u64(q, n, &v))
			return bad(r, line, q, "data.bad_raw",
				   "expected a 64-bit word (0x... or decimal) or eight hex bytes");
		/* A word holds the instruction as a little-endian load would: code in bits 0-7. */
		for (i = 0; i < 8; i++)
			b[i] = (uint8_t)(v >> (8 * i));
		err = push(&r->raw, b, sizeof(b));
	}
	return err;
}

static int mem_line(struct reader *r, const char *line, const char *p, size_t len)
{
	const char *end = p + len;
	size_t n;
	uint8_t b;
	int err = 0;

	for (; (n = next_word(&p, end)) != 0 && !err; p += n) {
		if (n > 2 || hex_digit(p[0]) < 0 || (n == 2 && hex_digit(p[1]) < 0))
			return bad(r, line, p, "data.bad_hex", "expected a hex byte (two digits)");
		b = (uint8_t)hex_digit(p[0]);
		if (n == 2)
			b = (uint8_t)(b << 4 | hex_digit(p[1]));
		err = push(&r->mem, &b, 1);
	}
	return err;
}

/* One line of the current section; @line is the whole line, [p, p + len) its content. */
static int section_line(struct reader *r, const char *line, const char *p, size_t len)
{
	switch (r->sec) {
	case SEC_NONE:
		return bad(r, line, p, "data.text_outside_section",
			   "text before the first section (sections start with '-- asm', ...)");
	case SEC_RAW:
		return raw_line(r, line, p, len);
	case SEC_MEM:
		return mem_line(r, line, p, len);
	case SEC_RESULT:
		r->result = p;
		r->result_len = len;
		r->result_line = r->lineno;
		r->result_col = col_of(line, p);
		return 0;
	case SEC_ERROR:
		if (r->error.len && push(&r->error, "\n", 1))
			return -ENOMEM;
		return push(&r->error, p, len);
	case SEC_ASM:
	case SEC_IGNORED:
		return 0;
	}
	return 0;
}

/* A section header at [p, p + len) of @line, which starts at offset @start of @text. */
static int header(struct reader *r, const char *text, size_t start, size_t next, const char *line,
		  const char *p, size_t len)
{
	int err;

	if (r->sec == SEC_ASM)
		r->asm_len = start - (size_t)(r->asm_text - text);
	err = section_header(r, line, p, len);
	if (!err && r->sec == SEC_ASM) {
		r->asm_text = text + next;
		r->asm_line = r->lineno < UINT32_MAX ? r->lineno + 1 : UINT32_MAX;
	}
	return err;
}

static int read_lines(struct reader *r, const char *text, size_t text_len)
{
	size_t pos = 0, len, start = 0;
	const char *line, *p;
	int err = 0;

	for (r->lineno = 1; !err && ubf_text_next_line(text, text_len, &pos, &line, &len);
	     start = pos, r->lineno += r->lineno < UINT32_MAX) {
		p = line;
		trim(&p, &len, false);
		if (len >= 2 && p[0] == '-' && p[1] == '-') {
			err = header(r, text, start, pos, line, p, len);
			continue;
		}
		/* Error text keeps a '#' unless the whole line is a comment. */
		trim(&p, &len, r->sec != SEC_ERROR || (len && p[0] == '#'));
		if (len)
			err = section_line(r, line, p, len);
	}
	if (!err && r->sec == SEC_ASM)
		r->asm_len = text_len - (size_t)(r->asm_text - text);
	return err;
}

static int parse_result(struct reader *r, struct ubf_data_file *df)
{
	const char *p = r->result;
	size_t n = r->result_len;
	bool neg = n > 1 && p[0] == '-';
	uint64_t v;

	if (!r->seen[SEC_RESULT])
		return 0;
	if (!p || !parse_u64(p + neg, n - neg, &v))
		return ubf_text_error(r->ctx, r->result_line, r->result_col, UBF_DIAG_NO_INSN,
				      "data.bad_result",
				      "the result must be one number, 0x hex or decimal");
	df->has_result = true;
	df->result = neg ? 0 - v : v;
	return 0;
}

/* The program: raw when present, else the assembled asm section. */
static int program(struct reader *r, struct ubf_data_file *df)
{
	size_t cnt;
	int err;

	if (r->seen[SEC_RAW]) {
		cnt = r->raw.len / sizeof(struct ubf_raw_insn);
		df->insns = malloc(cnt ? r->raw.len : sizeof(struct ubf_raw_insn));
		if (!df->insns)
			return -ENOMEM;
		if (cnt)
			memcpy(df->insns, r->raw.p, r->raw.len);
		df->insn_cnt = cnt;
		return 0;
	}
	if (!r->seen[SEC_ASM])
		return 0;
	err = ubf_text_asm(r->asm_text, r->asm_len, r->asm_line, r->ctx, &df->insns, &cnt);
	if (!err)
		df->insn_cnt = cnt;
	return err;
}

static int finish(struct reader *r, struct ubf_data_file *df)
{
	int err = parse_result(r, df);

	if (!err)
		err = program(r, df);
	if (!err && r->seen[SEC_MEM] && r->mem.len) {
		df->mem = r->mem.p;
		df->mem_sz = r->mem.len;
		r->mem.p = NULL;
	}
	if (!err && r->seen[SEC_ERROR]) {
		err = push(&r->error, "", 1);
		if (!err) {
			df->error = (char *)r->error.p;
			r->error.p = NULL;
		}
	}
	return err;
}

int ubf_data_parse(const char *text, size_t text_len, struct ubf_data_file *df,
		   const struct ubf_asm_opts *opts)
{
	struct ubf_text_ctx ctx = {"<input>", NULL};
	struct ubf_data_file out = {0};
	struct reader r = {0};
	int err;

	if (!UBF_OPTS_VALID(opts, ubf_asm_opts))
		return -EINVAL;
	if (UBF_OPTS_GET(opts, file_name, NULL))
		ctx.file_name = opts->file_name;
	ctx.diag = UBF_OPTS_GET(opts, diag, NULL);
	if (!df || (!text && text_len))
		return ubf_text_error(&ctx, 0, 0, UBF_DIAG_NO_INSN, "data.bad_argument",
				      "no text or no place for the result");
	r.ctx = &ctx;
	err = read_lines(&r, text, text_len);
	if (!err)
		err = finish(&r, &out);
	free(r.raw.p);
	free(r.mem.p);
	free(r.error.p);
	if (err) {
		ubf_data_free(&out);
		return err;
	}
	*df = out;
	return 0;
}

void ubf_data_free(struct ubf_data_file *df)
{
	if (!df)
		return;
	free(df->insns);
	free(df->mem);
	free(df->error);
	memset(df, 0, sizeof(*df));
}
