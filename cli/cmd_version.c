// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_version.c - `userbpf version`: the version of the CLI and, when it
 * differs (a shared library from another build), of the library it runs on.
 */
#include "cli.h"

#include <string.h>

static int cmd_version(int argc, char **argv)
{
	size_t pos_cnt;
	int ret;

	ret = ubf_cli_parse(&ubf_cli_cmd_version, argc, argv, NULL, 0, NULL, 0, &pos_cnt);
	if (ret >= 0)
		return ret;
	if (strcmp(ubf_version(), UBF_VERSION_STRING))
		printf("userbpf %s (library %s)\n", UBF_VERSION_STRING, ubf_version());
	else
		printf("userbpf %s\n", UBF_VERSION_STRING);
	return UBF_EXIT_OK;
}

const struct ubf_cli_cmd ubf_cli_cmd_version = {
	.name = "version",
	.fn = cmd_version,
	.usage = "",
	.summary = "print the version",
	.help = "Prints \"userbpf X.Y.Z\"; when the library in use reports another version,\n"
		"it follows as \"(library X.Y.Z)\".\n",
};
