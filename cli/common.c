// SPDX-License-Identifier: BSD-2-Clause
/*
 * common.c - what every command shares apart from input loading: the
 * option parser, help printing, and the one error format
 * ("userbpf: <command>: <object>: <where>: <id>: <message>").  It holds no
 * command logic and never exits the process; commands return exit codes.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
