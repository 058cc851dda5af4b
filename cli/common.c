// SPDX-License-Identifier: BSD-2-Clause
/*
 * common.c - what every command shares apart from input loading: the
 * option parser, help printing, and the one error format
 * ("userbpf: <command>: <object>: <where>: <id>: <message>"), and the
 * word-by-word parsing the bpftool-style commands (prog, map, btf) share.
 * It holds no command logic and never exits the process; commands return
 * exit codes.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <userbpf/libbpf.h>

#include "json.h"

void ubf_cli_print_help(const struct ubf_cli_cmd *cmd)
{
	printf("usage: userbpf %s %s\n\n%s.\n\n%s", cmd->name, cmd->usage, cmd->summary, cmd->help);
}

void ubf_cli_err(const char *cmd, const char *obj, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "userbpf: %s: ", cmd);
	if (obj)
		fprintf(stderr, "%s: ", obj);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ubf_cli_diag_init(struct ubf_diag *diag)
{
	memset(diag, 0, sizeof(*diag));
	diag->insn_idx = UBF_DIAG_NO_INSN;
}

/* @s without a leading "@prefix: ", or @s itself. */
static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n && !strncmp(s, prefix, n) && s[n] == ':' && s[n + 1] == ' ')
		return s + n + 2;
	return s;
}

void ubf_cli_diag_format(char *buf, size_t buf_sz, const char *obj, const char *section,
			 const struct ubf_diag *diag, int err)
{
	char where[48] = "", obj_where[320];
	const char *msg;

	if (diag && diag->line)
		snprintf(where, sizeof(where), "%u:%u", diag->line, diag->col);
	else if (diag && diag->insn_idx != UBF_DIAG_NO_INSN)
		snprintf(where, sizeof(where), "insn %u", diag->insn_idx);
	if (!diag || !diag->id) {
		snprintf(buf, buf_sz, "%s%s%s%s%s", section ? section : "", section ? ": " : "",
			 where, *where ? ": " : "", ubf_strerror(err));
		return;
	}
	/* Library messages may start with the location themselves. */
	snprintf(obj_where, sizeof(obj_where), "%s:%s", obj ? obj : "", where);
	msg = skip_prefix(diag->msg, obj_where);
	msg = skip_prefix(msg, where);
	snprintf(buf, buf_sz, "%s%s%s%s%s: %s", section ? section : "", section ? ": " : "", where,
		 *where ? ": " : "", diag->id, msg);
}

void ubf_cli_err_diag(const char *cmd, const char *obj, const char *section,
		      const struct ubf_diag *diag, int err)
{
	char text[512];

	ubf_cli_diag_format(text, sizeof(text), obj, section, diag, err);
	ubf_cli_err(cmd, obj, "%s", text);
	if (diag && diag->id && diag->hint)
		ubf_cli_err(cmd, obj, "hint: %s", diag->hint);
}

static int usage_err(const struct ubf_cli_cmd *cmd, const char *what, const char *arg)
{
	ubf_cli_err(cmd->name, NULL, "%s '%s' (see 'userbpf help %s')", what, arg, cmd->name);
	return UBF_EXIT_USAGE;
}

static const struct ubf_cli_opt *find_opt(const struct ubf_cli_opt *opts, size_t opt_cnt,
					  const char *arg, const char **inline_val)
{
	size_t i, len;
	const char *eq;

	*inline_val = NULL;
	if (arg[1] != '-') {
		for (i = 0; i < opt_cnt; i++) {
			if (opts[i].short_name && arg[1] == opts[i].short_name) {
				if (arg[2])
					*inline_val = arg + 2;
				return &opts[i];
			}
		}
		return NULL;
	}
	arg += 2;
	eq = strchr(arg, '=');
	len = eq ? (size_t)(eq - arg) : strlen(arg);
	for (i = 0; i < opt_cnt; i++) {
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, arg, len)) {
			if (eq)
				*inline_val = eq + 1;
			return &opts[i];
		}
	}
	return NULL;
}

int ubf_cli_parse(const struct ubf_cli_cmd *cmd, int argc, char **argv,
		  const struct ubf_cli_opt *opts, size_t opt_cnt, const char **pos,
		  size_t pos_max, size_t *pos_cnt)
{
	bool options_done = false;
	int i;

	*pos_cnt = 0;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		const struct ubf_cli_opt *opt;

		if (options_done || arg[0] != '-' || !strcmp(arg, "-")) {
			if (*pos_cnt >= pos_max)
				return usage_err(cmd, "unexpected argument", arg);
			pos[(*pos_cnt)++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			options_done = true;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			ubf_cli_print_help(cmd);
			return UBF_EXIT_OK;
		}
		opt = find_opt(opts, opt_cnt, arg, &val);
		if (!opt)
			return usage_err(cmd, "unknown option", arg);
		if (opt->flag) {
			if (val)
				return usage_err(cmd, "option takes no value:", arg);
			*opt->flag = true;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc)
				return usage_err(cmd, "option needs a value:", arg);
			val = argv[++i];
		}
		*opt->value = val;
	}
	return -1;
}

/* ---- bpftool-style commands ---- */

int ubf_cli_bpf_main(const struct ubf_cli_cmd *cmd, const struct ubf_cli_verb *verbs,
		     size_t verb_cnt, int argc, char **argv)
{
	bool is_json = false, is_pretty = false, is_debug = false;
	const struct ubf_cli_verb *verb = &verbs[0];
	struct ubf_cli_bpf b = { 0 };
	struct ubf_json jw;
	size_t i;
	int ret;

	argc = ubf_cli_bpf_opts(argc, argv, &is_json, &is_pretty, &is_debug);
	if (argc > 1 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
			 !strcmp(argv[1], "-h"))) {
		ubf_cli_print_help(cmd);
		return UBF_EXIT_OK;
	}
	snprintf(b.cmd, sizeof(b.cmd), "%s", cmd->name);
	if (is_json) {
		ubf_json_init(&jw, stdout, is_pretty);
		b.json = &jw;
		b.pretty = is_pretty;
	}
	if (argc > 1) {
		for (verb = NULL, i = 0; i < verb_cnt && !verb; i++)
			if (!strcmp(verbs[i].name, argv[1]))
				verb = &verbs[i];
		if (!verb) {
			ubf_cli_bpf_err(&b, "unknown command '%s' (see 'userbpf %s help')", argv[1],
					cmd->name);
			ret = UBF_EXIT_BPF;
			goto out;
		}
		snprintf(b.cmd, sizeof(b.cmd), "%s %s", cmd->name, verb->name);
		b.words = argv + 2;
		b.word_cnt = argc - 2;
	}
	ret = ubf_cli_bpf_route(is_debug);
	if (ret) {
		ubf_cli_bpf_err(&b, "can't route libbpf to userbpf: %s", strerror(-ret));
		ret = UBF_EXIT_BPF;
		goto out;
	}
	ret = verb->fn(&b);
out:
	if (b.json) {
		if (!jw.sep)
			ubf_json_null(&jw);
		ubf_json_finish(&jw);
	}
	fflush(stdout);
	return ret;
}

int ubf_cli_bpf_opts(int argc, char **argv, bool *is_json, bool *is_pretty, bool *is_debug)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (i && (!strcmp(a, "-j") || !strcmp(a, "--json"))) {
			*is_json = true;
		} else if (i && (!strcmp(a, "-p") || !strcmp(a, "--pretty"))) {
			*is_json = true;
			*is_pretty = true;
		} else if (i && (!strcmp(a, "-d") || !strcmp(a, "--debug"))) {
			*is_debug = true;
		} else {
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int ubf_cli_bpf_route(bool is_debug)
{
	if (!is_debug)
		libbpf_set_print(quiet_print);
	return ubf_libbpf_route();
}

void ubf_cli_bpf_err(struct ubf_cli_bpf *b, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!b->json) {
		fprintf(stderr, "userbpf: %s: %s\n", b->cmd, msg);
		return;
	}
	/* Inside an array the error is one more element; the caller closes the array. */
	ubf_json_start_object(b->json);
	ubf_json_string_field(b->json, "error", msg);
	ubf_json_end_object(b->json);
}

int ubf_cli_bpf_status(int err)
{
	if (err >= 0 || err < -255)
		return UBF_EXIT_BPF;
	return 256 + err;
}

const char *ubf_cli_bpf_next(struct ubf_cli_bpf *b, const char *what)
{
	if (b->word_cnt <= 0) {
		ubf_cli_bpf_err(b, "%s expected", what);
		return NULL;
	}
	b->word_cnt--;
	return *b->words++;
}

bool ubf_cli_bpf_accept(struct ubf_cli_bpf *b, const char *kw)
{
	if (b->word_cnt <= 0 || strcmp(b->words[0], kw))
		return false;
	b->word_cnt--;
	b->words++;
	return true;
}

bool ubf_cli_bpf_extra(struct ubf_cli_bpf *b)
{
	if (b->word_cnt <= 0)
		return false;
	ubf_cli_bpf_err(b, "unexpected argument '%s'", b->words[0]);
	return true;
}

static bool parse_ull(const char *s, int base, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	*v = strtoull(s, &end, base);
	return !errno && !*end && *v <= max;
}

int ubf_cli_bpf_u32(struct ubf_cli_bpf *b, const char *what, uint32_t *v)
{
	unsigned long long n;
	const char *w;

	w = ubf_cli_bpf_next(b, what);
	if (!w)
		return -EINVAL;
	if (!parse_ull(w, 0, UINT32_MAX, &n)) {
		ubf_cli_bpf_err(b, "can't parse %s '%s': not an unsigned 32-bit number", what, w);
		return -EINVAL;
	}
	*v = (uint32_t)n;
	return 0;
}

int ubf_cli_bpf_bytes(struct ubf_cli_bpf *b, const char *what, uint8_t *buf, size_t n)
{
	unsigned long long v;
	int base = 0;
	size_t i;

	if (ubf_cli_bpf_accept(b, "hex"))
		base = 16;
	for (i = 0; i < n; i++) {
		if (b->word_cnt <= 0) {
			ubf_cli_bpf_err(b, "%s expected %zu bytes, got %zu", what, n, i);
			return -EINVAL;
		}
		if (!parse_ull(b->words[0], base, 0xff, &v)) {
			ubf_cli_bpf_err(b, "%s: error parsing byte %zu: '%s'", what, i, b->words[0]);
			return -EINVAL;
		}
		buf[i] = (uint8_t)v;
		b->words++;
		b->word_cnt--;
	}
	return 0;
}

void ubf_cli_fprint_hex(FILE *f, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && !(i % 16))
			fputc('\n', f);
		else if (i && !(i % 8))
			fputs("  ", f);
		else if (i)
			fputc(' ', f);
		fprintf(f, "%02x", p[i]);
	}
}

bool ubf_cli_fdinfo(int fd, const char *name, char *buf, size_t buf_sz)
{
	char path[64], line[256];
	size_t n = strlen(name);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) || line[n] != ':')
			continue;
		snprintf(buf, buf_sz, "%s", line + n + 1 + strspn(line + n + 1, " \t"));
		buf[strcspn(buf, "\n")] = '\0';
		found = true;
	}
	fclose(f);
	return found;
}

/* ---- bpftool's object handles: MAP and PROG ---- */

/*
 * Does @fd refer to an object of @k's kind?  A kernel object says so in its
 * /proc link; a userbpf object is a file, which is of the kind exactly when
 * the object of its id is the same file.
 */
static bool fd_is_kind(const struct ubf_cli_handle_kind *k, int fd)
{
	char path[64], link[64];
	struct stat a, b;
	uint32_t id;
	ssize_t n;
	int fd2;
	bool same;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if (!strncmp(link, "anon_inode:", 11))
			return !strcmp(link, k->anon_inode);
	}
	if (k->ident(fd, &id, NULL, NULL))
		return false;
	fd2 = k->fd_by_id(id);
	if (fd2 < 0)
		return false;
	same = !fstat(fd, &a) && !fstat(fd2, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	close(fd2);
	return same;
}

/* Every object of @k's kind whose name (or tag) is @want. */
static int fds_matching(struct ubf_cli_bpf *b, const struct ubf_cli_handle_kind *k, bool by_tag,
			const char *want, int *fds, int max, int *cnt)
{
	char name[BPF_OBJ_NAME_LEN], tag[2 * BPF_TAG_SIZE + 1];
	uint32_t id = 0, fid;
	int fd;

	*cnt = 0;
	while (!k->next_id(id, &id)) {
		fd = k->fd_by_id(id);
		if (fd < 0)
			continue;
		if (k->ident(fd, &fid, name, tag) ||
		    (by_tag ? strcmp(tag, want) : strncmp(name, want, BPF_OBJ_NAME_LEN - 1))) {
			close(fd);
			continue;
		}
		if (*cnt == max) {
			close(fd);
			while (*cnt)
				close(fds[--*cnt]);
			ubf_cli_bpf_err(b, "more than %d objects match '%s'", max, want);
			return UBF_EXIT_BPF;
		}
		fds[(*cnt)++] = fd;
	}
	if (!*cnt) {
		ubf_cli_bpf_err(b, "%s '%s'", by_tag ? k->no_tag : k->no_name, want);
		return UBF_EXIT_BPF;
	}
	return 0;
}

int ubf_cli_handle_fds(struct ubf_cli_bpf *b, const struct ubf_cli_handle_kind *k, int *fds, int max,
		       int *cnt)
{
	const char *how, *arg;
	uint32_t id;
	int fd;

	how = ubf_cli_bpf_next(b, k->usage);
	if (!how)
		return UBF_EXIT_BPF;
	if (!strcmp(how, "name") || (k->no_tag && !strcmp(how, "tag"))) {
		arg = ubf_cli_bpf_next(b, how);
		return arg ? fds_matching(b, k, !strcmp(how, "tag"), arg, fds, max, cnt)
			   : UBF_EXIT_BPF;
	}
	if (!strcmp(how, "id")) {
		if (ubf_cli_bpf_u32(b, k->id_what, &id))
			return UBF_EXIT_BPF;
		fd = k->fd_by_id(id);
		if (fd < 0) {
			ubf_cli_bpf_err(b, "%s (%u): %s", k->id_err, id, strerror(errno));
			return UBF_EXIT_BPF;
		}
	} else if (!strcmp(how, "pinned")) {
		arg = ubf_cli_bpf_next(b, "pinned file");
		if (!arg)
			return UBF_EXIT_BPF;
		fd = bpf_obj_get(arg);
		if (fd < 0) {
			ubf_cli_bpf_err(b, "bpf obj get (%s): %s", arg, strerror(errno));
			return UBF_EXIT_BPF;
		}
		if (!fd_is_kind(k, fd)) {
			close(fd);
			ubf_cli_bpf_err(b, "%s: incorrect object type: %s", arg, k->not_kind);
			return UBF_EXIT_BPF;
		}
	} else {
		ubf_cli_bpf_err(b, "expected %s, got: '%s'", k->words, how);
		return UBF_EXIT_BPF;
	}
	fds[0] = fd;
	*cnt = 1;
	return 0;
}

int ubf_cli_handle_fd(struct ubf_cli_bpf *b, const struct ubf_cli_handle_kind *k, int *fd)
{
	int fds[UBF_CLI_MAX_MATCH], cnt, ret;

	ret = ubf_cli_handle_fds(b, k, fds, UBF_CLI_MAX_MATCH, &cnt);
	if (ret)
		return ret;
	if (cnt > 1) {
		while (cnt)
			close(fds[--cnt]);
		ubf_cli_bpf_err(b, "%s", k->several);
		return UBF_EXIT_BPF;
	}
	*fd = fds[0];
	return 0;
}
