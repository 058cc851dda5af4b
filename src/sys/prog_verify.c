// SPDX-License-Identifier: BSD-2-Clause
/*
 * prog_verify.c - PROG_LOAD's verifier step: the program's instructions
 * (lddws already resolved to the maps it holds) and those maps' shapes go
 * to ubf_verify(); its log goes to the caller's log_buf.  A program the
 * verifier proves safe runs trusted (no run-time checks, direct map
 * lookups in the JIT); one it rejects is refused with Linux's errno.  A
 * map-in-map brings its inner map template along.  A program runs in the
 * checked mode only when its loader asked for that with
 * UBF_BPF_F_UNVERIFIED.  A verify-only load
 * (UBF_BPF_F_VERIFY_ONLY) gets the verdict alone: its program never runs.
 */
#include "sys/sys.h"
#include "sys/core.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <userbpf/bpf.h>

#include "maps/map.h"
#include "util/log.h"
#include "verifier/verifier.h"

/* A map's shape as the verifier sees it. */
static struct ubf_verify_map verify_map(const struct ubf_map *m)
{
	return (struct ubf_verify_map){
		.type = m->map_type,
		.key_sz = m->key_size,
		.value_sz = m->value_size,
		.max_entries = m->max_entries,
		.flags = m->map_flags,
		.lock_off = m->lock_off,
	};
}

/*
 * The verifier's view of the program's maps, by their place in
 * prog->maps, then one inner map template per map-in-map (Linux's
 * inner_map_meta), from what its header kept of the inner map MAP_CREATE
 * was given: every inner map an update stores has that shape, its spin
 * lock included.
 */
static struct ubf_verify_map *verify_maps(const struct ubf_sys_prog *prog, size_t *inner_cnt)
{
	struct ubf_verify_map *vm;
	uint32_t i, outer = 0, n = prog->map_cnt;

	for (i = 0; i < prog->map_cnt; i++)
		outer += prog->maps[i]->map->ops->has_inner_map;
	vm = calloc(n + outer ? n + outer : 1, sizeof(*vm));
	if (!vm)
		return NULL;
	for (i = 0; i < prog->map_cnt; i++) {
		const struct ubf_map *m = prog->maps[i]->map;
		const struct ubf_map_hdr *h = m->hdr;

		vm[i] = verify_map(m);
		if (!m->ops->has_inner_map)
			continue;
		vm[i].inner = n + 1;
		vm[n++] = (struct ubf_verify_map){
			.type = h->inner_map_type,
			.key_sz = h->inner_key_size,
			.value_sz = h->inner_value_size,
			.max_entries = h->inner_max_entries,
			.flags = h->inner_map_flags,
			.lock_off = h->inner_spin_lock_off,
		};
	}
	*inner_cnt = outer;
	return vm;
}

/* The xlated lddws carry map ids; the verifier wants the index into @prog->maps. */
static struct ubf_raw_insn *verify_insns(const struct ubf_sys_prog *prog,
					 const struct ubf_raw_insn *xlated, uint32_t cnt)
{
	struct ubf_raw_insn *in = malloc((size_t)cnt * sizeof(*in));
	uint32_t i, j;

	if (!in)
		return NULL;
	memcpy(in, xlated, (size_t)cnt * sizeof(*in));
	for (i = 0; i + 1 < cnt; i++) {
		unsigned src = ubf_raw_src(&in[i]);

		if (in[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (src == BPF_PSEUDO_MAP_FD || src == BPF_PSEUDO_MAP_VALUE) {
			for (j = 0; j < prog->map_cnt; j++) {
				if (prog->maps[j]->id == (uint32_t)in[i].imm) {
					in[i].imm = (int32_t)j;
					break;
				}
			}
		}
		i++;
	}
	return in;
}

/* The verifier's text into the caller's log, without a trailing newline of its own. */
static void copy_log(const struct ubf_log *log, char *text, size_t len)
{
	if (!log || !log->fn || !text || !len)
		return;
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	if (len)
		log->fn(log->cookie, UBF_LOG_INFO, text);
}

/*
 * After the verifier's text, what Linux's print_verification_stats()
 * writes: with BPF_LOG_STATS the time and each subprogram's stack depth,
 * then, at any level, the counts.
 */
static void log_stats(const struct ubf_log *log, uint32_t level,
		      const struct ubf_verify_result *out, struct timespec t0, struct timespec t1)
{
	int64_t us = ((int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec)) /
		     1000;
	char depth[256];
	size_t i, n = 0;

	if (level & 4u) {	/* BPF_LOG_STATS */
		ubf_log_printf(log, UBF_LOG_INFO, "verification time %" PRId64 " usec", us);
		depth[0] = '\0';
		for (i = 0; i < out->subprog_cnt && n < sizeof(depth); i++)
			n += (size_t)snprintf(depth + n, sizeof(depth) - n, "%s%u", i ? "+" : "",
					      out->subprog_stack_depth[i]);
		ubf_log_printf(log, UBF_LOG_INFO, "stack depth %s",
			       out->subprog_cnt ? depth : "0");
	}
	ubf_log_printf(log, UBF_LOG_INFO,
		       "processed %" PRIu64 " insns (limit %u) max_states_per_insn %u "
		       "total_states %" PRIu64 " peak_states %" PRIu64 " mark_read 0",
		       out->insn_processed, UBF_VFY_INSN_LIMIT, out->max_states_per_insn,
		       out->states, out->peak_states);
}

/* Why the kernel's BTF a program needs is missing: which file, what went wrong. */
static void log_no_kernel_btf(const struct ubf_log *log)
{
	int err;
	const char *path = ubf_sys_vmlinux_btf_path(&err);

	ubf_log_printf(log, UBF_LOG_WARN, "kernel BTF %s: %s (UBF_VMLINUX_BTF names another file)",
		       path, strerror(-err));
}

int ubf_sys_prog_verify(struct ubf_sys_prog *prog, struct ubf_verify_input *in,
			const struct ubf_log *log)
{
	struct ubf_verify_result out = { 0 };
	const struct ubf_raw_insn *xlated = in->insns;
	struct timespec t0, t1;
	uint32_t log_level;
	struct ubf_verify_map *maps;
	struct ubf_raw_insn *insns;
	int err;

	prog->is_verified = false;
	prog->ctx_max = 0;
	if (prog->prog_flags & UBF_BPF_F_UNVERIFIED)
		return 0;
	maps = verify_maps(prog, &in->inner_cnt);
	insns = verify_insns(prog, xlated, (uint32_t)in->insn_cnt);
	if (!maps || !insns) {
		free(maps);
		free(insns);
		return -ENOMEM;
	}
	in->insns = insns;
	in->maps = maps;
	in->map_cnt = prog->map_cnt;
	in->prog_type = prog->prog_type;
	in->attach = prog->expected_attach_type;
	log_level = in->log_level;
	in->log_level &= 3u;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	in->kernel_btf = ubf_sys_vmlinux_btf;
	err = ubf_verify(in, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	in->insns = xlated;
	copy_log(log, out.log, out.log_len);
	if (!ubf_sys_vmlinux_btf() && out.diag.id &&
	    (!strcmp(out.diag.id, "btf.attach") || !strcmp(out.diag.id, "reg.map_ptr_deref")))
		log_no_kernel_btf(log);
	if (!err && out.kmem_load && !(prog->prog_flags & UBF_BPF_F_VERIFY_ONLY)) {
		/* Linux makes these probe loads, which userbpf's engines do not have */
		ubf_log_printf(log, UBF_LOG_WARN, "insn %u reads kernel memory through BTF: "
			       "userbpf can verify such a program (a verify-only load) but not run it",
			       out.kmem_load - 1);
		err = -UBF_ENOTSUPP;
	}
	if (!err && out.sock_load && !(prog->prog_flags & UBF_BPF_F_VERIFY_ONLY)) {
		/* the run-time contexts have no socket, flow keys or tracepoint buffer behind them */
		ubf_log_printf(log, UBF_LOG_WARN, "insn %u accesses a socket, flow keys or "
			       "tracepoint buffer: Linux rewrites that into its own objects, which "
			       "userbpf does not have; it can verify such a program (a verify-only "
			       "load) but not run it", out.sock_load - 1);
		err = -UBF_ENOTSUPP;
	}
	if (log_level)
		log_stats(log, log_level, &out, t0, t1);
	prog->is_verified = !err;
	prog->ctx_max = out.ctx_max;
	ubf_verify_result_free(&out);
	free(maps);
	free(insns);
	return err;
}
