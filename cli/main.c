// SPDX-License-Identifier: BSD-2-Clause
/*
 * main.c - the userbpf command line: the command table, `userbpf help`, and
 * dispatch.  Each command lives in its own cmd_*.c file and uses only the
 * public API; this file knows their names and nothing of what they do.
 */
#include "cli.h"

#include <string.h>

static const struct ubf_cli_cmd help_cmd;

static const struct ubf_cli_cmd *const commands[] = {
	&ubf_cli_cmd_run, &ubf_cli_cmd_disasm, &ubf_cli_cmd_asm, &ubf_cli_cmd_jit,
	&ubf_cli_cmd_isa, &ubf_cli_cmd_prog, &ubf_cli_cmd_map, &ubf_cli_cmd_btf,
	&ubf_cli_cmd_verify, &ubf_cli_cmd_plugin, &ubf_cli_cmd_exec, &ubf_cli_cmd_version, &help_cmd,
};

#ifndef UBF_HAVE_CAPSTONE
/* The Makefile found no capstone, so cmd_jit.c is not built: `jit` says what is missing. */
static int cmd_jit_missing(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "userbpf: jit: built without capstone (install libcapstone-dev)\n");
	return UBF_EXIT_USAGE;
}

const struct ubf_cli_cmd ubf_cli_cmd_jit = {
	.name = "jit",
	.fn = cmd_jit_missing,
	.usage = "FILE [--section NAME] [--unchecked] [--syntax=llvm|conformance]",
	.summary = "show the native code the JIT generates (needs capstone)",
	.help = "This userbpf was built without capstone, which 'jit' uses to disassemble\n"
		"native code.  Install libcapstone-dev and rebuild.\n",
};
#endif

static const struct ubf_cli_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static void print_overview(FILE *f)
{
	size_t i;

	fprintf(f, "usage: userbpf COMMAND [ARGS]\n\n"
		   "eBPF in user space: assemble, disassemble and run eBPF programs.\n\n"
		   "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\n'userbpf help COMMAND' or 'userbpf COMMAND --help' describes a command.\n"
		   "Errors go to stderr as \"userbpf: COMMAND: FILE: WHERE: ID: message\",\n"
		   "where WHERE is LINE:COL in text or \"insn N\" in a program.  Exit status:\n"
		   "0 success, 1 the program or input was rejected or the program failed,\n"
		   "2 usage error or an input file that cannot be read.  prog, map and btf\n"
		   "follow bpftool instead: 255 for a bad command line, 256 - errno when a\n"
		   "bpf() call failed.\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct ubf_cli_cmd *cmd;
	const char *pos[1];
	size_t pos_cnt;
	int ret;

	ret = ubf_cli_parse(&help_cmd, argc, argv, NULL, 0, pos, 1, &pos_cnt);
	if (ret >= 0)
		return ret;
	if (!pos_cnt) {
		print_overview(stdout);
		return UBF_EXIT_OK;
	}
	cmd = find_cmd(pos[0]);
	if (!cmd) {
		ubf_cli_err("help", NULL, "unknown command '%s' (see 'userbpf help')", pos[0]);
		return UBF_EXIT_USAGE;
	}
	ubf_cli_print_help(cmd);
	return UBF_EXIT_OK;
}

static const struct ubf_cli_cmd help_cmd = {
	.name = "help",
	.fn = cmd_help,
	.usage = "[COMMAND]",
	.summary = "list the commands, or describe one",
	.help = "Without COMMAND, lists the commands; with it, prints that command's help.\n",
};

/* bpftool's global options before the command: `userbpf -j map show`. */
static bool is_global_opt(const char *a)
{
	static const char *const opts[] = { "-j", "--json", "-p", "--pretty", "-d", "--debug" };
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(a, opts[i]))
			return true;
	return false;
}

/* Move the command name in front of the global options; the command parses them. */
static void hoist_command(int argc, char **argv)
{
	char *name;
	int k = 1;

	while (k < argc && is_global_opt(argv[k]))
		k++;
	if (k == 1 || k == argc)
		return;
	name = argv[k];
	memmove(&argv[2], &argv[1], (size_t)(k - 1) * sizeof(*argv));
	argv[1] = name;
}

int main(int argc, char **argv)
{
	const struct ubf_cli_cmd *cmd;

	hoist_command(argc, argv);

	if (argc < 2) {
		print_overview(stderr);
		return UBF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_overview(stdout);
		return UBF_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return ubf_cli_cmd_version.fn(1, argv + 1);
	cmd = find_cmd(argv[1]);
	if (!cmd) {
		fprintf(stderr, "userbpf: unknown command '%s' (see 'userbpf help')\n", argv[1]);
		return UBF_EXIT_USAGE;
	}
	return cmd->fn(argc - 1, argv + 1);
}
