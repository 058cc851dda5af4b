// SPDX-License-Identifier: BSD-2-Clause
/*
 * probes.c - libbpf's feature probes answered by userbpf must be true:
 * libbpf_probe_bpf_map_type() says yes exactly for the map types in
 * src/maps/maps.def; libbpf_probe_bpf_prog_type() says yes for every
 * program type userbpf can test-run (a runner in src/sys/prog_types.def)
 * and no for the types that attach to kernel functions (tracing, lsm, ext,
 * struct_ops); libbpf_probe_bpf_helper(), asked for a program type Linux
 * offers the helper to, says yes exactly for the built-in helpers
 * (ubf_helper_builtin()).  The object argument is not loaded.
 */
#include "driver.h"

#include <stdio.h>
#include <string.h>

#include <userbpf/helper.h>

static const unsigned int map_types[] = {
#define UBF_MAP_TYPE(name, id, ops) id,
#include "maps/maps.def"
#undef UBF_MAP_TYPE
};

static const struct {
	unsigned int type;
	const char *runner;
} prog_types[] = {
#define UBF_PROG_TYPE(type, name, ctx_size, runner, attach) { type, #runner },
#include "sys/prog_types.def"
#undef UBF_PROG_TYPE
};

static bool has_map_type(unsigned int t)
{
	size_t i;

	for (i = 0; i < sizeof(map_types) / sizeof(map_types[0]); i++) {
		if (map_types[i] == t)
			return true;
	}
	return false;
}

static bool has_helper(int id)
{
	const struct ubf_helper *h;
	size_t i;

	for (i = 0; (h = ubf_helper_builtin(i)); i++) {
		if (h->id == id)
			return true;
	}
	return false;
}

/* Append @what to @buf (a list of mismatches). */
static void note(char *buf, size_t sz, const char *what, int got)
{
	size_t len = strlen(buf);

	snprintf(buf + len, sz - len, " %s=%d", what, got);
}

static void check_map_types(void)
{
	char bad[2048] = "";
	unsigned int t;
	int got;

	/* every type libbpf has a name for */
	for (t = 1; libbpf_bpf_map_type_str(t); t++) {
		got = libbpf_probe_bpf_map_type(t, NULL);
		if ((got == 1) != has_map_type(t))
			note(bad, sizeof(bad), libbpf_bpf_map_type_str(t), got);
	}
	drv_check(!bad[0], "map_types_truthful", "wrong answers:%s", bad);
}

static void check_prog_types(void)
{
	/*
	 * TRACING and LSM are not among them: libbpf probes them by the
	 * verifier's "attach_btf_id 1 is not a function", which userbpf's
	 * verifier now gives as Linux does (it verifies such programs).
	 */
	static const unsigned int kernel_only[] = {
		BPF_PROG_TYPE_EXT, BPF_PROG_TYPE_STRUCT_OPS,
	};
	char bad[2048] = "", info[2048] = "";
	size_t i;
	int got;

	for (i = 0; i < sizeof(prog_types) / sizeof(prog_types[0]); i++) {
		unsigned int t = prog_types[i].type;

		if (t == BPF_PROG_TYPE_UNSPEC)
			continue;
		got = libbpf_probe_bpf_prog_type(t, NULL);
		note(info, sizeof(info), libbpf_bpf_prog_type_str(t), got);
		if (strcmp(prog_types[i].runner, "NULL") && got != 1)
			note(bad, sizeof(bad), libbpf_bpf_prog_type_str(t), got);
	}
	for (i = 0; i < sizeof(kernel_only) / sizeof(kernel_only[0]); i++) {
		got = libbpf_probe_bpf_prog_type(kernel_only[i], NULL);
		if (got != 0)
			note(bad, sizeof(bad), libbpf_bpf_prog_type_str(kernel_only[i]), got);
	}
	printf("# prog type probes:%s\n", info);
	drv_check(!bad[0], "prog_types_truthful", "wrong answers:%s", bad);
}

/* A program type Linux offers helper @id to: the packet and tracing ones need theirs. */
static enum bpf_prog_type probe_type(int id)
{
	switch (id) {
	case BPF_FUNC_skb_store_bytes:
	case BPF_FUNC_l3_csum_replace:
	case BPF_FUNC_l4_csum_replace:
	case BPF_FUNC_csum_diff:
	case BPF_FUNC_skb_load_bytes:
	case BPF_FUNC_ktime_get_coarse_ns:
		return BPF_PROG_TYPE_SCHED_CLS;
	case BPF_FUNC_redirect:
	case BPF_FUNC_redirect_map:
	case BPF_FUNC_xdp_adjust_head:
	case BPF_FUNC_xdp_adjust_meta:
	case BPF_FUNC_xdp_adjust_tail:
	case BPF_FUNC_xdp_load_bytes:
	case BPF_FUNC_xdp_store_bytes:
		return BPF_PROG_TYPE_XDP;
	case BPF_FUNC_get_func_ip:
	case BPF_FUNC_get_attach_cookie:
		return BPF_PROG_TYPE_KPROBE;
	default:
		return BPF_PROG_TYPE_SYSCALL;
	}
}

static void check_helpers(void)
{
	char bad[4096] = "", name[16];
	int id, got;

	for (id = 1; id < __BPF_FUNC_MAX_ID; id++) {
		got = libbpf_probe_bpf_helper(probe_type(id), id, NULL);
		if ((got == 1) != has_helper(id)) {
			snprintf(name, sizeof(name), "#%d", id);
			note(bad, sizeof(bad), name, got);
		}
	}
	drv_check(!bad[0], "helpers_truthful", "wrong answers (helper=probe):%s", bad);
}

int main(int argc, char **argv)
{
	struct drv d;

	drv_init(&d, argc, argv);
	check_map_types();
	check_prog_types();
	check_helpers();
	return drv_done();
}
