// SPDX-License-Identifier: BSD-2-Clause
/*
 * conformance_plugin.c - the main of userbpf-conformance-plugin, the
 * program the upstream bpf_conformance runner starts by path.  It is
 * `userbpf plugin` under its own name; the protocol is in cmd_plugin.c.
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return ubf_cli_plugin_main(argc, argv);
}
