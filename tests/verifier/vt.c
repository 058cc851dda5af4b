// SPDX-License-Identifier: BSD-2-Clause
/*
 * vt.c - the reader of the verifier suite's .vt files (tests/verifier/README)
 * for kcheck and run.  Lines of any length are read; each key line goes to
 * its parser in one table, and program and map type names are resolved
 * here (program types through src/sys/prog_types.def), so the tools get
 * numbers.  A line it cannot read is reported as FILE:LINE with the reason
 * and counted; the reader never assembles code nor checks that a case's
 * lddw map indexes or subprogram ordinals exist.
 */
#include "vt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <bpf/btf.h>

#include "util/compiler.h"

static const struct {
	const char *name;
	uint32_t type;
} prog_types[] = {
#define UBF_PROG_TYPE(type_, name_, ...) {name_, type_},
#include "sys/prog_types.def"
#undef UBF_PROG_TYPE
};

static const struct {
	const char *name;
	uint32_t type;
} map_types[] = {
	{"hash", BPF_MAP_TYPE_HASH},
	{"array", BPF_MAP_TYPE_ARRAY},
	{"prog_array", BPF_MAP_TYPE_PROG_ARRAY},
	{"percpu_hash", BPF_MAP_TYPE_PERCPU_HASH},
	{"percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY},
	{"lru_hash", BPF_MAP_TYPE_LRU_HASH},
	{"queue", BPF_MAP_TYPE_QUEUE},
	{"stack", BPF_MAP_TYPE_STACK},
	{"ringbuf", BPF_MAP_TYPE_RINGBUF},
	{"perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY},
	{"stack_trace", BPF_MAP_TYPE_STACK_TRACE},
	{"array_of_maps", BPF_MAP_TYPE_ARRAY_OF_MAPS},
	{"hash_of_maps", BPF_MAP_TYPE_HASH_OF_MAPS},
	{"devmap", BPF_MAP_TYPE_DEVMAP},
	{"devmap_hash", BPF_MAP_TYPE_DEVMAP_HASH},
	{"cpumap", BPF_MAP_TYPE_CPUMAP},
	{"xskmap", BPF_MAP_TYPE_XSKMAP},
	{"sockmap", BPF_MAP_TYPE_SOCKMAP},
	{"sockhash", BPF_MAP_TYPE_SOCKHASH},
	{"cgroup_array", BPF_MAP_TYPE_CGROUP_ARRAY},
	{"cgroup_storage", BPF_MAP_TYPE_CGROUP_STORAGE},
};

static const char *const arg_names[] = {
	[VT_ARG_INT] = "int",
	[VT_ARG_CTX] = "ctx",
	[VT_ARG_MEM4] = "mem4",
	[VT_ARG_MEM8] = "mem8",
};

/* A growing NUL-terminated string. */
struct text {
	char *s;
	size_t len;
	size_t cap;
};

struct reader {
	const char *path;
	unsigned line;
	unsigned *errors;
	struct vt_case c;
	char *name;
	char *linux_msg;
	struct text code;
	struct text notes;
	bool in_case;
	bool in_code;
	bool has_verdict;
};

static int bad(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", r->path, r->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	(*r->errors)++;
	return -EINVAL;
}

static int text_add(struct text *t, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (t->len + n + 1 > t->cap) {
		cap = (t->len + n + 1) * 2;
		p = realloc(t->s, cap);
		if (!p)
			return -ENOMEM;
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && strchr("\r\n \t", s[n - 1]))
		s[--n] = '\0';
}

/* The next blank-separated word of *s (terminated in place), or NULL at the end. */
static char *next_word(char **s)
{
	char *w = skip_ws(*s), *end;

	if (!*w)
		return NULL;
	end = w + strcspn(w, " \t");
	if (*end)
		*end++ = '\0';
	*s = end;
	return w;
}

/* A decimal, 0x hexadecimal or 0 octal number that fits in a u32. */
static int parse_u32(const char *w, uint32_t *out)
{
	uintmax_t v;
	char *end;

	if (!w || *w < '0' || *w > '9')
		return -EINVAL;
	errno = 0;
	v = strtoumax(w, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_type(struct reader *r, char *val)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(prog_types); i++) {
		if (!strcmp(val, prog_types[i].name)) {
			r->c.prog_type = prog_types[i].type;
			return 0;
		}
	}
	return bad(r, "type: unknown program type '%s' (bpftool's names: xdp, sched_cls, ...)",
		   val);
}

static int parse_attach(struct reader *r, char *val)
{
	if (parse_u32(val, &r->c.attach))
		return bad(r, "attach: '%s' is not an expected_attach_type number", val);
	return 0;
}

/* "attach_btf: NAME" (resolved at the case's end, by its attach type) or a raw id "#N". */
static int parse_attach_btf(struct reader *r, char *val)
{
	if (!*val || strlen(val) >= sizeof(r->c.attach_btf))
		return bad(r, "attach_btf: '%s' is no kernel function or tracepoint name", val);
	snprintf(r->c.attach_btf, sizeof(r->c.attach_btf), "%s", val);
	r->c.needs_kernel_btf = true;
	return 0;
}

static int parse_kernel_btf(struct reader *r, char *val)
{
	if (strcmp(val, "needed"))
		return bad(r, "kernel_btf: '%s': the only value is 'needed'", val);
	r->c.needs_kernel_btf = true;
	return 0;
}

static int parse_priv(struct reader *r, char *val)
{
	if (strcmp(val, "root") && strcmp(val, "bpf"))
		return bad(r, "priv: '%s' is neither root nor bpf", val);
	r->c.is_unpriv = !strcmp(val, "bpf");
	return 0;
}

static int parse_license(struct reader *r, char *val)
{
	if (!*val || strlen(val) >= sizeof(r->c.license))
		return bad(r, "license: '%s' is empty or longer than %zu bytes", val,
			   sizeof(r->c.license) - 1);
	snprintf(r->c.license, sizeof(r->c.license), "%s", val);
	return 0;
}

static int parse_flags(struct reader *r, char *val)
{
	if (strcmp(val, "sleepable"))
		return bad(r, "flags: '%s': the only flag is 'sleepable'", val);
	r->c.is_sleepable = true;
	return 0;
}

static int map_field(struct reader *r, struct vt_map *m, const char *word, char *num)
{
	uint32_t val;

	if (parse_u32(num, &val))
		return bad(r, "map: %s: '%s' is not a number", word, num ? num : "");
	if (!strcmp(word, "key"))
		m->key_sz = val;
	else if (!strcmp(word, "value"))
		m->value_sz = val;
	else if (!strcmp(word, "entries"))
		m->max_entries = val;
	else if (!strcmp(word, "flags"))
		m->flags = val;
	else if (!strcmp(word, "lock") && val <= INT32_MAX)
		m->lock_off = (int32_t)val;
	else if (!strcmp(word, "lock"))
		return bad(r, "map: lock: offset %" PRIu32 " is too large", val);
	else if (!strcmp(word, "inner") && val < r->c.map_cnt)
		m->inner = val + 1;
	else if (!strcmp(word, "inner"))
		return bad(r, "map: inner: %" PRIu32 " names no earlier map line", val);
	else
		return bad(r, "map: unknown field '%s' (key, value, entries, flags, lock, inner)",
			   word);
	return 0;
}

/* "hash key 8 value 8 entries 4 [flags F] [lock OFF] [inner I]" */
static int parse_map(struct reader *r, char *val)
{
	struct vt_map m = {.lock_off = -1, .type = UINT32_MAX};
	char *tname, *word;
	size_t i;
	int err;

	if (r->c.map_cnt == VT_MAX_MAPS)
		return bad(r, "map: more than %d maps", VT_MAX_MAPS);
	tname = next_word(&val);
	for (i = 0; tname && i < UBF_ARRAY_SIZE(map_types); i++)
		if (!strcmp(tname, map_types[i].name))
			m.type = map_types[i].type;
	if (m.type == UINT32_MAX)
		return bad(r, "map: unknown map type '%s'", tname ? tname : "");
	while ((word = next_word(&val))) {
		err = map_field(r, &m, word, next_word(&val));
		if (err)
			return err;
	}
	r->c.maps[r->c.map_cnt++] = m;
	return 0;
}

/* "N global|static [int|ctx|mem4|mem8 ...]"; a second line for N adds arguments. */
static int parse_func(struct reader *r, char *val)
{
	char *word, *link;
	struct vt_func f;
	uint32_t ord;
	size_t a;

	word = next_word(&val);
	if (parse_u32(word, &ord) || ord >= VT_MAX_FUNCS)
		return bad(r, "func: '%s' is not a subprogram ordinal below %d", word ? word : "",
			   VT_MAX_FUNCS);
	f = r->c.funcs[ord];
	link = next_word(&val);
	if (!link || (strcmp(link, "global") && strcmp(link, "static")))
		return bad(r, "func: %u: expected global or static, found '%s'", ord,
			   link ? link : "");
	f.is_global = !strcmp(link, "global");
	while ((word = next_word(&val))) {
		for (a = 0; a < UBF_ARRAY_SIZE(arg_names) && strcmp(word, arg_names[a]); a++)
			;
		if (a == UBF_ARRAY_SIZE(arg_names))
			return bad(r, "func: %u: unknown argument kind '%s' (int, ctx, mem4, mem8)",
				   ord, word);
		if (f.arg_cnt == VT_MAX_ARGS)
			return bad(r, "func: %u: more than %d arguments", ord, VT_MAX_ARGS);
		f.args[f.arg_cnt++] = (enum vt_arg)a;
	}
	r->c.funcs[ord] = f;
	return 0;
}

/* The rule id that starts an accept:/reject: value, in *rule. */
static int verdict_rule(struct reader *r, const char *key, char **val, char **rule)
{
	*rule = next_word(val);
	if (r->has_verdict)
		return bad(r, "%s: the case already has a verdict", key);
	if (!*rule || strlen(*rule) >= VT_RULE_SZ)
		return bad(r, "%s: expected a rule id of at most %d characters", key,
			   VT_RULE_SZ - 1);
	return 0;
}

static void set_verdict(struct reader *r, const char *rule, bool expect_accept, int64_t idx)
{
	strcpy(r->c.rule, rule);
	r->c.expect_accept = expect_accept;
	r->c.idx = idx;
	r->has_verdict = true;
}

static int parse_accept(struct reader *r, char *val)
{
	char *rule;
	int err;

	err = verdict_rule(r, "accept", &val, &rule);
	if (err)
		return err;
	if (*skip_ws(val))
		return bad(r, "accept: unexpected '%s' after the rule", skip_ws(val));
	set_verdict(r, rule, true, -1);
	return 0;
}

/* "rule.id @IDX" */
static int parse_reject(struct reader *r, char *val)
{
	char *rule, *at;
	uint32_t idx;
	int err;

	err = verdict_rule(r, "reject", &val, &rule);
	if (err)
		return err;
	at = next_word(&val);
	if (!at || at[0] != '@' || parse_u32(at + 1, &idx))
		return bad(r, "reject: %s: expected @IDX (the failing instruction), found '%s'",
			   rule, at ? at : "");
	if (*skip_ws(val))
		return bad(r, "reject: unexpected '%s' after @IDX", skip_ws(val));
	set_verdict(r, rule, false, idx);
	return 0;
}

static int parse_linux(struct reader *r, char *val)
{
	char *copy;

	copy = strdup(val);
	if (!copy)
		return -ENOMEM;
	free(r->linux_msg);
	r->linux_msg = copy;
	return 0;
}

static int parse_note(struct reader *r, char *val)
{
	if (r->notes.len && text_add(&r->notes, "\n", 1))
		return -ENOMEM;
	return text_add(&r->notes, val, strlen(val));
}

/* Member @name of the struct or union @id, also inside unnamed members: its bit offset and type. */
static int find_member(const struct btf *btf, uint32_t id, const char *name, uint32_t *bits,
		       uint32_t *type)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;
	unsigned i;

	if (!t || !btf_is_composite(t))
		return -ENOENT;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);
		uint32_t inner_bits;

		if (mname && *mname && !strcmp(mname, name)) {
			*bits = btf_member_bit_offset(t, i);
			*type = (uint32_t)btf__resolve_type(btf, m->type);
			return 0;
		}
		if ((!mname || !*mname) &&
		    !find_member(btf, (uint32_t)btf__resolve_type(btf, m->type), name, &inner_bits, type)) {
			*bits = btf_member_bit_offset(t, i) + inner_bits;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * "STRUCT.MEMBER[.MEMBER...]" (the byte holding the member) or
 * "sizeof(STRUCT)", then an optional "+N" or "-N", from the kernel's BTF.
 */
static int btf_ref(const struct btf *btf, const char *expr, long *out)
{
	char buf[160], *p, *sep, *end;
	uint32_t type, bits = 0, at;
	int32_t id;
	long n = 0;

	snprintf(buf, sizeof(buf), "%s", expr);
	p = strpbrk(buf + 1, "+-");
	if (p) {
		n = strtol(p, &end, 0);
		if (*end)
			return -EINVAL;
		*p = '\0';
	}
	if (!strncmp(buf, "sizeof(", 7)) {
		p = strchr(buf, ')');
		if (!p || p[1])
			return -EINVAL;
		*p = '\0';
		id = btf__find_by_name_kind(btf, buf + 7, BTF_KIND_STRUCT);
		if (id <= 0)
			return -ENOENT;
		*out = btf__resolve_size(btf, (uint32_t)id) + n;
		return 0;
	}
	sep = strchr(buf, '.');
	if (!sep)
		return -EINVAL;
	*sep = '\0';
	id = btf__find_by_name_kind(btf, buf, BTF_KIND_STRUCT);
	if (id <= 0)
		return -ENOENT;
	for (type = (uint32_t)id, p = sep + 1; p; p = sep) {
		sep = strchr(p, '.');
		if (sep)
			*sep++ = '\0';
		if (find_member(btf, type, p, &at, &type))
			return -ENOENT;
		bits += at;
	}
	*out = (long)(bits / 8) + n;
	return 0;
}

/*
 * A code line; "{...}" in it is an offset or size in the kernel's BTF
 * (btf_ref()), so that cases hold on any kernel.  Without kernel BTF the
 * case is skipped, so 0 stands in.
 */
static int add_code(struct reader *r, char *val)
{
	const struct btf *btf;
	char *open, *close, num[32];
	long v;

	if (!*val)
		return 0;
	while ((open = strchr(val, '{'))) {
		close = strchr(open, '}');
		if (!close)
			return bad(r, "'%s': '{' without '}'", val);
		*close = '\0';
		r->c.needs_kernel_btf = true;
		btf = vt_kernel_btf();
		v = 0;
		if (btf && btf_ref(btf, open + 1, &v))
			return bad(r, "'{%s}': no such member or struct in the kernel's BTF", open + 1);
		snprintf(num, sizeof(num), "%ld", v);
		if (text_add(&r->code, val, (size_t)(open - val)) || text_add(&r->code, num, strlen(num)))
			return -ENOMEM;
		val = close + 1;
	}
	if (text_add(&r->code, val, strlen(val)) || text_add(&r->code, "\n", 1))
		return -ENOMEM;
	return 0;
}

/* "code:" starts the program; what follows on the line is its first line. */
static int parse_code(struct reader *r, char *val)
{
	r->in_code = true;
	return add_code(r, val);
}

static const struct {
	const char *name;
	int (*parse)(struct reader *r, char *val);
} keys[] = {
	{"type", parse_type},	  {"attach", parse_attach}, {"priv", parse_priv},
	{"license", parse_license}, {"flags", parse_flags},
	{"map", parse_map},	  {"func", parse_func},	    {"code", parse_code},
	{"accept", parse_accept}, {"reject", parse_reject}, {"linux", parse_linux},
	{"note", parse_note},	  {"attach_btf", parse_attach_btf},
	{"kernel_btf", parse_kernel_btf},
};

/* The key a line starts with at column 0 ("reject: ...", "accept"), or -1. */
static int key_of(const char *s)
{
	size_t i, n;

	for (i = 0; i < UBF_ARRAY_SIZE(keys); i++) {
		n = strlen(keys[i].name);
		if (!strncmp(s, keys[i].name, n) && (s[n] == ':' || s[n] == '\0'))
			return (int)i;
	}
	return -1;
}

static void case_begin(struct reader *r, const char *name)
{
	memset(&r->c, 0, sizeof(r->c));
	r->c.file = r->path;
	r->c.line = r->line;
	r->c.idx = -1;
	r->c.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	snprintf(r->c.license, sizeof(r->c.license), "GPL");
	free(r->linux_msg);
	r->linux_msg = NULL;
	r->code.len = 0;
	r->notes.len = 0;
	r->in_case = true;
	r->in_code = false;
	r->has_verdict = false;
	free(r->name);
	r->name = strdup(name);
}

const struct btf *vt_kernel_btf(void)
{
	static struct btf *btf;
	static bool tried;
	const char *path = getenv("UBF_VMLINUX_BTF");

	if (!tried)
		btf = btf__parse(path && *path ? path : "/sys/kernel/btf/vmlinux", NULL);
	tried = true;
	return btf;
}

/*
 * The case's attach_btf id in the kernel's BTF: a tp_btf program's
 * btf_trace_NAME typedef, any other's FUNC NAME; "#N" is N itself.  No
 * kernel BTF leaves it 0 (the case is skipped); a name the BTF lacks is
 * an error of the case.
 */
static int resolve_attach_btf(struct reader *r)
{
	const struct btf *btf = vt_kernel_btf();
	bool is_tp = r->c.attach == BPF_TRACE_RAW_TP;
	char name[sizeof(r->c.attach_btf) + 16];
	int id;

	if (r->c.attach_btf[0] == '#')
		return parse_u32(r->c.attach_btf + 1, &r->c.attach_btf_id) ?
		       bad(r, "attach_btf: '%s' is not #NUMBER", r->c.attach_btf) : 0;
	if (!btf)
		return 0;
	snprintf(name, sizeof(name), "%s%s", is_tp ? "btf_trace_" : "", r->c.attach_btf);
	id = btf__find_by_name_kind(btf, name, is_tp ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC);
	if (id <= 0) {
		fprintf(stderr, "%s:%u: attach_btf: the kernel's BTF has no %s %s\n", r->path,
			r->c.line, is_tp ? "typedef" : "function", name);
		(*r->errors)++;
		return -ENOENT;
	}
	r->c.attach_btf_id = (uint32_t)id;
	return 0;
}

/* Hand the case begun last to fn, unless it lacks code or a verdict. */
static int case_end(struct reader *r, vt_case_fn fn, void *ctx)
{
	int err;

	if (!r->in_case)
		return 0;
	r->in_case = false;
	if (!r->name)
		return -ENOMEM;
	if (!r->code.len || !r->has_verdict) {
		fprintf(stderr, "%s:%u: case '%s' needs code: and accept: or reject:\n", r->path,
			r->c.line, r->name);
		(*r->errors)++;
		return 0;
	}
	r->c.name = r->name;
	r->c.code = r->code.s;
	r->c.code_len = r->code.len;
	r->c.linux_msg = r->linux_msg ? r->linux_msg : "";
	r->c.notes = r->notes.len ? r->notes.s : "";
	if (r->c.attach_btf[0] && resolve_attach_btf(r))
		return 0;
	err = fn(&r->c, ctx);
	return err < 0 ? err : 0;
}

/* One line of a case: code, or a key line. */
static int read_line(struct reader *r, char *buf)
{
	char *colon, *val;
	int k;

	if (!r->in_case) {
		if (buf[0] && buf[0] != '#')
			return bad(r, "text before the first '== NAME' line");
		return 0;
	}
	if (!buf[0] || buf[0] == '#')
		return 0;
	k = key_of(buf);
	if (r->in_code && k < 0)
		return add_code(r, skip_ws(buf));
	r->in_code = false;
	if (k < 0)
		return bad(r,
			   "expected KEY: VALUE (type, attach, priv, map, func, code, accept, "
			   "reject, linux, note), found '%s'",
			   buf);
	colon = buf + strlen(keys[k].name);
	if (*colon != ':')
		return bad(r, "%s: expected ':' after the key", keys[k].name);
	val = skip_ws(colon + 1);
	return keys[k].parse(r, val);
}

int vt_read_file(const char *path, vt_case_fn fn, void *ctx, unsigned *errors)
{
	struct reader r = {.path = path, .errors = errors};
	char *buf = NULL;
	size_t buf_sz = 0;
	int err = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		err = -errno;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		(*errors)++;
		return err;
	}
	while (getline(&buf, &buf_sz, f) >= 0) {
		r.line++;
		rstrip(buf);
		if (!strncmp(buf, "== ", 3)) {
			err = case_end(&r, fn, ctx);
			if (err)
				break;
			case_begin(&r, buf + 3);
			continue;
		}
		err = read_line(&r, buf);
		if (err == -ENOMEM)
			break;
		err = 0;
	}
	if (!err && ferror(f)) {
		err = -EIO;
		fprintf(stderr, "%s:%u: read error\n", path, r.line);
		(*errors)++;
	}
	if (!err)
		err = case_end(&r, fn, ctx);
	if (err == -ENOMEM) {
		fprintf(stderr, "%s:%u: out of memory\n", path, r.line);
		(*errors)++;
	}
	free(buf);
	free(r.name);
	free(r.linux_msg);
	free(r.code.s);
	free(r.notes.s);
	fclose(f);
	return err;
}

/* ------------------------------------------------------------ subprograms and their BTF */

/* The BTF name of each program type's context struct, for ctx arguments. */
static const struct {
	uint32_t type;
	const char *ctx;
} ctx_structs[] = {
	{BPF_PROG_TYPE_SOCKET_FILTER, "__sk_buff"},
	{BPF_PROG_TYPE_SCHED_CLS, "__sk_buff"},
	{BPF_PROG_TYPE_SCHED_ACT, "__sk_buff"},
	{BPF_PROG_TYPE_XDP, "xdp_md"},
	{BPF_PROG_TYPE_CGROUP_SKB, "__sk_buff"},
	{BPF_PROG_TYPE_CGROUP_SOCK, "bpf_sock"},
	{BPF_PROG_TYPE_LWT_IN, "__sk_buff"},
	{BPF_PROG_TYPE_SOCK_OPS, "bpf_sock_ops"},
	{BPF_PROG_TYPE_SK_SKB, "__sk_buff"},
	{BPF_PROG_TYPE_CGROUP_DEVICE, "bpf_cgroup_dev_ctx"},
	{BPF_PROG_TYPE_CGROUP_SYSCTL, "bpf_sysctl"},
	{BPF_PROG_TYPE_CGROUP_SOCKOPT, "bpf_sockopt"},
	{BPF_PROG_TYPE_SK_LOOKUP, "bpf_sk_lookup"},
	{BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "bpf_sock_addr"},
};

static const char *ctx_name(uint32_t prog_type)
{
	unsigned i;

	for (i = 0; i < sizeof(ctx_structs) / sizeof(ctx_structs[0]); i++)
		if (ctx_structs[i].type == prog_type)
			return ctx_structs[i].ctx;
	return NULL;
}

/* The type of one argument kind; added before the FUNC_PROTO that uses it. */
static int btf_arg_type(struct btf *btf, const struct vt_case *c, enum vt_arg kind, int int_id)
{
	switch (kind) {
	case VT_ARG_INT:
		return int_id;
	case VT_ARG_MEM4:
		return btf__add_ptr(btf, int_id);
	case VT_ARG_MEM8:
		return btf__add_ptr(btf, btf__add_int(btf, "long", 8, BTF_INT_SIGNED));
	case VT_ARG_CTX:
		if (!ctx_name(c->prog_type))
			return -EINVAL;
		return btf__add_ptr(btf, btf__add_struct(btf, ctx_name(c->prog_type), 0));
	}
	return -EINVAL;
}

/*
 * libbpf appends the parameters of a FUNC_PROTO to the type added last, so
 * every argument type must exist before the prototype itself is added.
 */
static int btf_func_proto(struct btf *btf, const struct vt_case *c, const struct vt_func *f,
			  int int_id)
{
	int proto, ids[VT_MAX_ARGS];
	unsigned a;
	char pname[16];

	for (a = 0; a < f->arg_cnt; a++) {
		ids[a] = btf_arg_type(btf, c, f->args[a], int_id);
		if (ids[a] < 0)
			return -EINVAL;
	}
	proto = btf__add_func_proto(btf, int_id);
	for (a = 0; proto > 0 && a < f->arg_cnt; a++) {
		snprintf(pname, sizeof(pname), "a%u", a);
		if (btf__add_func_param(btf, pname, ids[a]))
			return -EINVAL;
	}
	return proto;
}

struct btf *vt_func_btf(const struct vt_case *c, const uint32_t *starts, unsigned n,
			struct bpf_func_info *fi)
{
	struct btf *btf = btf__new_empty();
	int int_id, proto, func;
	unsigned i;
	char fname[16];

	int_id = btf ? btf__add_int(btf, "int", 4, BTF_INT_SIGNED) : -ENOMEM;
	for (i = 0; int_id > 0 && i < n; i++) {
		proto = btf_func_proto(btf, c, &c->funcs[i], int_id);
		snprintf(fname, sizeof(fname), i ? "f%u" : "main", i);
		func = proto > 0 ? btf__add_func(btf, fname,
						 c->funcs[i].is_global || !i ? BTF_FUNC_GLOBAL
									     : BTF_FUNC_STATIC,
						 proto)
				 : -EINVAL;
		if (func < 0)
			break;
		fi[i].insn_off = starts[i];
		fi[i].type_id = (uint32_t)func;
	}
	if (int_id <= 0 || i < n) {
		btf__free(btf);
		return NULL;
	}
	return btf;
}

unsigned vt_subprog_starts(const struct ubf_raw_insn *insns, size_t cnt, uint32_t *starts)
{
	unsigned n = 1, i, j;
	long t;

	starts[0] = 0;
	for (i = 0; i < cnt; i++) {
		bool is_call = insns[i].code == 0x85 && (insns[i].regs >> 4) == 1;
		bool is_func = insns[i].code == 0x18 && (insns[i].regs >> 4) == 4;

		if (!is_call && !is_func)
			continue;
		t = (long)i + insns[i].imm + 1;
		if (t < 0 || (size_t)t >= cnt)
			continue;
		for (j = 0; j < n && starts[j] != t; j++)
			;
		if (j == n && n < VT_MAX_FUNCS)
			starts[n++] = (uint32_t)t;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
			uint32_t tmp = starts[j];

			starts[j] = starts[j - 1];
			starts[j - 1] = tmp;
		}
	return n;
}
