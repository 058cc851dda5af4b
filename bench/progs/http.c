/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * http.c - a switch-heavy state machine: an HTTP/1.x request parser fed
 * one byte at a time.  It recognises the method, walks the target
 * (percent escapes, query parameters), checks the version, splits header
 * lines, reads Host and Content-Length, skips bodies and resynchronises
 * after a malformed request at the next blank line.
 */
#include "bench.h"

/*
 * Layout of mem:
 *   [0, 4)          text length in bytes
 *   [TEXT_OFF, ...) pipelined requests
 */
#define TEXT_OFF 8
#define MAX_TEXT (64 * 1024)

enum state {
	S_METHOD, S_TARGET, S_PCT1, S_PCT2, S_VERSION, S_LF1, S_HNAME_START, S_HNAME, S_HOWS,
	S_HVALUE, S_HLF, S_END_LF, S_BODY, S_ERROR, S_ERR_NL, S_ERR_NLCR,
};

enum method { M_UNKNOWN, M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS };

enum header { H_OTHER, H_HOST, H_CONTENT_LENGTH, H_CONNECTION, H_COOKIE };

struct req {
	uint32_t method, first, mlen, target_len, params, pct_sum, pct_val, vpos, minor;
	uint32_t headers, hdr, hname_len, hname_first, hname_last, host_hash;
	uint64_t content_len;
};

struct totals {
	uint64_t requests, errors, bodies, sum;
};

BENCH_INLINE uint32_t classify_method(uint32_t first, uint32_t mlen)
{
	switch (first) {
	case 'G':
		return mlen == 3 ? M_GET : M_UNKNOWN;
	case 'H':
		return mlen == 4 ? M_HEAD : M_UNKNOWN;
	case 'P':
		switch (mlen) {
		case 3:
			return M_PUT;
		case 4:
			return M_POST;
		case 5:
			return M_PATCH;
		default:
			return M_UNKNOWN;
		}
	case 'D':
		return mlen == 6 ? M_DELETE : M_UNKNOWN;
	case 'O':
		return mlen == 7 ? M_OPTIONS : M_UNKNOWN;
	default:
		return M_UNKNOWN;
	}
}

/* Known header names by length, first and last letter (lower case). */
BENCH_INLINE uint32_t classify_header(uint32_t nlen, uint32_t first, uint32_t last)
{
	switch (nlen) {
	case 4:
		return first == 'h' && last == 't' ? H_HOST : H_OTHER;
	case 6:
		return first == 'c' && last == 'e' ? H_COOKIE : H_OTHER;
	case 10:
		return first == 'c' && last == 'n' ? H_CONNECTION : H_OTHER;
	case 14:
		return first == 'c' && last == 'h' ? H_CONTENT_LENGTH : H_OTHER;
	default:
		return H_OTHER;
	}
}

BENCH_INLINE int is_token(uint32_t ch)
{
	switch (ch) {
	case 'a' ... 'z':
	case 'A' ... 'Z':
	case '0' ... '9':
	case '-': case '_': case '.': case '!': case '#': case '$': case '&': case '\'':
	case '*': case '+': case '^': case '`': case '|': case '~':
		return 1;
	default:
		return 0;
	}
}

/* Value of a hex digit, or 16. */
BENCH_INLINE uint32_t hex_val(uint32_t ch)
{
	switch (ch) {
	case '0' ... '9':
		return ch - '0';
	case 'a' ... 'f':
		return ch - 'a' + 10;
	case 'A' ... 'F':
		return ch - 'A' + 10;
	default:
		return 16;
	}
}

BENCH_INLINE uint32_t on_target(struct req *r, uint32_t ch)
{
	switch (ch) {
	case ' ':
		return r->target_len ? S_VERSION : S_ERROR;
	case '%':
		return S_PCT1;
	case '?':
	case '&':
		r->params++;
		break;
	case 0 ... 0x1f:
	case 0x7f:
		return S_ERROR;
	default:
		break;
	}
	r->target_len++;
	return S_TARGET;
}

/* "HTTP/1.<digit>\r", checked one position at a time. */
BENCH_INLINE uint32_t on_version(struct req *r, uint32_t ch)
{
	uint32_t want;

	switch (r->vpos++) {
	case 0:
		want = 'H';
		break;
	case 1:
	case 2:
		want = 'T';
		break;
	case 3:
		want = 'P';
		break;
	case 4:
		want = '/';
		break;
	case 5:
		want = '1';
		break;
	case 6:
		want = '.';
		break;
	case 7:
		if (ch != '0' && ch != '1')
			return S_ERROR;
		r->minor = ch - '0';
		return S_VERSION;
	case 8:
		return ch == '\r' ? S_LF1 : S_ERROR;
	default:
		return S_ERROR;
	}
	return ch == want ? S_VERSION : S_ERROR;
}

BENCH_INLINE uint32_t on_hvalue(struct req *r, uint32_t ch)
{
	if (ch == '\r')
		return S_HLF;
	if (ch < 0x20 && ch != '\t')
		return S_ERROR;
	switch (r->hdr) {
	case H_HOST:
		r->host_hash = (r->host_hash ^ ch) * 0x01000193u;
		break;
	case H_CONTENT_LENGTH:
		if (ch < '0' || ch > '9' || r->content_len > 100000000)
			return S_ERROR;
		r->content_len = r->content_len * 10 + (ch - '0');
		break;
	case H_CONNECTION:
	case H_COOKIE:
	case H_OTHER:
	default:
		break;
	}
	return S_HVALUE;
}

/* A complete request: fold it in and start the next one. */
BENCH_INLINE void finish(struct req *r, struct totals *t)
{
	uint64_t v = (uint64_t)r->method << 56 ^ (uint64_t)r->target_len << 40 ^
		     (uint64_t)r->params << 32 ^ (uint64_t)r->pct_sum << 16 ^ r->minor << 8 ^
		     r->headers;

	t->requests++;
	t->sum = bench_mix(bench_mix(t->sum, v), (uint64_t)r->host_hash << 32 | r->content_len);
}

BENCH_INLINE void reset(struct req *r)
{
	*r = (struct req){ 0 };
}

/* One byte; returns the next state. */
BENCH_INLINE uint32_t step(uint32_t st, uint32_t ch, struct req *r, struct totals *t)
{
	switch (st) {
	case S_METHOD:
		if (ch >= 'A' && ch <= 'Z') {
			r->first = r->mlen++ ? r->first : ch;
			return S_METHOD;
		}
		r->method = classify_method(r->first, r->mlen);
		return ch == ' ' && r->method != M_UNKNOWN ? S_TARGET : S_ERROR;
	case S_TARGET:
		return on_target(r, ch);
	case S_PCT1:
	case S_PCT2:
		if (hex_val(ch) > 15)
			return S_ERROR;
		r->pct_val = r->pct_val << 4 | hex_val(ch);
		if (st == S_PCT1)
			return S_PCT2;
		r->pct_sum += r->pct_val & 0xff;
		r->target_len++;
		return S_TARGET;
	case S_VERSION:
		return on_version(r, ch);
	case S_LF1:
	case S_HLF:
		return ch == '\n' ? S_HNAME_START : S_ERROR;
	case S_HNAME_START:
		if (ch == '\r')
			return S_END_LF;
		r->hname_len = 0;
		r->hname_first = ch | 0x20;
		/* fall through */
	case S_HNAME:
		if (ch == ':') {
			r->headers++;
			r->hdr = classify_header(r->hname_len, r->hname_first, r->hname_last);
			return r->hname_len ? S_HOWS : S_ERROR;
		}
		if (!is_token(ch))
			return S_ERROR;
		r->hname_len++;
		r->hname_last = ch | 0x20;
		return S_HNAME;
	case S_HOWS:
		if (ch == ' ' || ch == '\t')
			return S_HOWS;
		return on_hvalue(r, ch);
	case S_HVALUE:
		return on_hvalue(r, ch);
	case S_END_LF:
		if (ch != '\n')
			return S_ERROR;
		if (r->content_len)
			return S_BODY;
		finish(r, t);
		reset(r);
		return S_METHOD;
	case S_BODY:
		t->bodies++;
		if (--r->content_len)
			return S_BODY;
		finish(r, t);
		reset(r);
		return S_METHOD;
	case S_ERROR:
		return ch == '\n' ? S_ERR_NL : S_ERROR;
	case S_ERR_NL:
		return ch == '\r' ? S_ERR_NLCR : ch == '\n' ? S_METHOD : S_ERROR;
	case S_ERR_NLCR:
		return ch == '\n' ? S_METHOD : S_ERROR;
	default:
		return S_ERROR;
	}
}

BENCH_ENTRY uint64_t bench_http(void *mem, uint64_t len)
{
	const uint8_t *text = (const uint8_t *)mem + TEXT_OFF;
	struct totals t = { 0 };
	struct req r = { 0 };
	uint32_t n, st = S_METHOD;

	if (len < TEXT_OFF)
		return 0;
	n = *(const uint32_t *)mem;
	if (n > len - TEXT_OFF)
		return 1;
	for (uint32_t i = 0; i < MAX_TEXT && i < n; i++) {
		uint32_t next = step(st, text[i], &r, &t);

		if (next == S_ERROR && st < S_ERROR) {
			t.errors++;
			reset(&r);
		}
		st = next;
	}
	return bench_mix(bench_mix(t.sum, t.requests << 32 | t.errors), t.bodies << 8 | st);
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
#include <stdio.h>
#include <string.h>

static size_t put(char *p, size_t room, const char *s)
{
	size_t n = strlen(s);

	if (n > room)
		n = room;
	memcpy(p, s, n);
	return n;
}

/* One request into @p (at most @room bytes); returns its length. */
static size_t build_request(char *p, size_t room, uint64_t *rs)
{
	static const char *const methods[] = { "GET", "GET", "GET", "POST", "PUT", "HEAD",
					       "DELETE", "OPTIONS", "PATCH", "get" };
	static const char *const hosts[] = { "example.com", "api.example.org:8080", "localhost" };
	static const char *const agents[] = { "curl/7.88.1", "Mozilla/5.0 (X11; Linux x86_64)",
					      "userbpf-bench/1" };
	const char *method = methods[bench_below(rs, 10)];
	uint32_t body = (method[0] == 'P' && method[1] != 'A') ? 1 + bench_below(rs, 64) : 0;
	uint32_t broken = bench_below(rs, 40);
	char line[512];
	size_t n = 0;

	snprintf(line, sizeof(line), "%s /v%u/items/%u%s%s HTTP/1.%c\r\n", method,
		 bench_below(rs, 3), bench_below(rs, 100000),
		 bench_below(rs, 2) ? "?q=caf%C3%A9&page=" : "",
		 bench_below(rs, 2) ? "2&sort=asc" : "", broken == 0 ? 'x' : '1');
	n += put(p + n, room - n, line);
	snprintf(line, sizeof(line), "Host: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n",
		 hosts[bench_below(rs, 3)], agents[bench_below(rs, 3)]);
	n += put(p + n, room - n, line);
	if (bench_below(rs, 3) == 0)
		n += put(p + n, room - n, "Cookie: session=0123456789abcdef; theme=dark\r\n");
	if (broken == 1)
		n += put(p + n, room - n, "Bad Header Line\r\n");
	if (body) {
		snprintf(line, sizeof(line), "Content-Length: %u\r\n", body);
		n += put(p + n, room - n, line);
	}
	n += put(p + n, room - n, "Connection: keep-alive\r\n\r\n");
	for (uint32_t i = 0; i < body && n < room; i++)
		p[n++] = (char)('a' + i % 26);
	return n;
}

void bench_http_input(void *mem, uint64_t len)
{
	uint8_t *m = mem;
	char *text = (char *)m + TEXT_OFF;
	size_t room = BENCH_MIN(len - TEXT_OFF, (uint64_t)MAX_TEXT) - 1024, n = 0;
	uint64_t rs = 0x68747470ull;
	uint32_t n32;

	memset(m, 0, len);
	while (n < room)
		n += build_request(text + n, room - n, &rs);
	n32 = (uint32_t)n;
	memcpy(m, &n32, 4);
}
#endif
