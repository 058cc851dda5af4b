// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_exec.c - `userbpf exec -- COMMAND [ARGS]`: run an unmodified program
 * (dynamically or statically linked, Go included) with its bpf(2) calls
 * served by userbpf through ubf_exec_run().  The exit code is the
 * program's, or 128 + the signal that ended it, as a shell reports it.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <userbpf/exec.h>

/* The supervisor's warnings, in the CLI's error format. */
static void exec_log(void *cookie, enum ubf_log_level level, const char *msg)
{
	(void)cookie;
	(void)level;
	fprintf(stderr, "userbpf: %s\n", msg);
}

static int cmd_exec(int argc, char **argv)
{
	struct ubf_log log = { .fn = exec_log, .level = UBF_LOG_WARN };
	int i = 1, status, err;

	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		ubf_cli_err("exec", NULL,
			    "missing COMMAND (usage: userbpf exec -- COMMAND [ARGS])");
		return UBF_EXIT_USAGE;
	}
	err = ubf_exec_run(argv + i, &log, &status);
	if (err) {
		ubf_cli_err("exec", argv[i], "%s", strerror(-err));
		return err == -ENOENT || err == -EACCES ? 127 : UBF_EXIT_FAIL;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

const struct ubf_cli_cmd ubf_cli_cmd_exec = {
	.name = "exec",
	.fn = cmd_exec,
	.usage = "-- COMMAND [ARGS]",
	.summary = "run a program with its bpf(2) calls served by userbpf",
	.help = "userbpf exec -- COMMAND [ARGS]\n"
		"\n"
		"Runs COMMAND (looked up in $PATH) with a seccomp filter that stops its\n"
		"bpf(2) calls, and the statfs/mkdir/unlink calls on /sys/fs/bpf and\n"
		"epoll_ctl calls on ring buffers eBPF libraries make, and serves them\n"
		"here with userbpf: no root, no ptrace, nothing loaded into COMMAND, so\n"
		"static and Go binaries work.  Pins and ids are the store's, shared with\n"
		"`userbpf prog` and `userbpf map`.  Exit code: COMMAND's, 128 + signal\n"
		"when a signal ended it, 127 when it could not be executed.\n",
};
