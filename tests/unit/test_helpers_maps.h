/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_helpers_maps.h - what the map helper tests share: map creation, a
 * few instruction shorthands (a map pointer loaded with a plain lddw, a
 * callback with lddw src=4, a pointer to the stack), and one runner that
 * runs a program on an engine with 32 bytes of context memory and keeps
 * the result, the context and the diagnostic.
 */
#ifndef UBF_TEST_HELPERS_MAPS_H
#define UBF_TEST_HELPERS_MAPS_H

#include <userbpf/map.h>

#include "maps/map.h"
#include "test_vm.h"

/* r<d> = map, as the tests pass maps: a plain lddw of the pointer. */
#define MAP(d, m) LDDW(d, (uintptr_t)(m))
/* r<d> = the callback @rel slots after this lddw's second slot (lddw src=4). */
#define FUNC(d, rel) { UBF_INSN_LDDW_FUNC, (d), 0, 0, 0, (uint64_t)(uint32_t)(rel) }
/* r<d> = r10 + off */
#define FP(d, off) MOV_X(d, 10), ALU_K(ADD64_IMM, d, off)
#define STX64(d, s, o) MEM(STXDW, d, s, o)
#define LDX64(d, s, o) MEM(LDXDW, d, s, o)

/* One run: what came back. */
struct hm_run {
	int err;
	uint64_t r0;
	uint64_t mem[4];	/* the program's r1: 32 bytes, zeroed before the run */
	struct ubf_diag diag;
};

/* Run @t on @e; 0, or -EOPNOTSUPP when the engine is missing on this host. */
static inline int hm_run(const struct vm_engine *e, const struct tinsn *t, size_t cnt,
			 uint64_t insn_limit, struct hm_run *res)
{
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_prog *prog = NULL;
	int err;

	memset(res, 0, sizeof(*res));
	err = vm_load(&prog, e, t, cnt, NULL, insn_limit, &res->diag);
	if (err)
		return err;
	ropts.diag = &res->diag;
	res->err = vm_run_prog(e, prog, res->mem, sizeof(res->mem), &res->r0, &ropts);
	ubf_prog_free(prog);
	return 0;
}

static inline struct ubf_map *hm_map(uint32_t type, uint32_t key_size, uint32_t value_size,
				     uint32_t max_entries)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = type, .key_size = key_size,
		 .value_size = value_size, .max_entries = max_entries);
	struct ubf_map *map = NULL;

	return ubf_map_create(&map, &a) ? NULL : map;
}

static inline bool hm_is_checked(const struct vm_engine *e)
{
	return (e->flags & UBF_PROG_F_CHECKED) != 0;
}

#endif /* UBF_TEST_HELPERS_MAPS_H */
