// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_direct.c - programs the verifier proved run trusted, and the
 * JIT replaces their map helper calls by direct forms: array and per-CPU
 * array lookups computed inline (hits, misses at max_entries and far
 * beyond, the slot of the CPU the thread runs on), hash lookups and
 * updates/deletes called without the helper's checks.  Each result is
 * compared with what the map holds, through the bpf(2) commands.
 */
#include "test_sys.h"

#include <sched.h>

#include <userbpf/insn.h>

#include "maps/map.h"
#include "sys/sys.h"
#include "test.h"

/*
 * r0 = *lookup(map, &(u32)args[0]), or -1 on a miss; a raw tracepoint
 * program so PROG_TEST_RUN hands it args[0] through ctx_in.
 */
static int load_lookup(int map)
{
	struct ubf_raw_insn p[] = {
		UBF_LDX(0x18, 2, 1, 0),					/* r2 = args[0] */
		UBF_STX(0x00, 10, 2, -4),				/* *(u32 *)(fp - 4) = r2 */
		UBF_MOV64_REG(2, 10), UBF_ALU64_IMM(0x00, 2, -4),	/* r2 = fp - 4 */
		UBF_INSN(0x18, 1, 1, 0, map), UBF_INSN(0, 0, 0, 0, 0),	/* r1 = map */
		UBF_CALL_HELPER(BPF_FUNC_map_lookup_elem),
		UBF_JMP_IMM(0x10, 0, 0, 2),				/* if r0 == 0 goto miss */
		UBF_LDX(0x18, 0, 0, 0),					/* r0 = *(u64 *)r0 */
		UBF_EXIT(),
		UBF_MOV64_IMM(0, -1), UBF_EXIT(),			/* miss */
	};

	return sys_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, UBF_ARRAY_SIZE(p));
}

/* r0 = update(map, &(u32)args[0], &args[1], BPF_ANY) or delete when args[2] is 1. */
static int load_update(int map)
{
	struct ubf_raw_insn p[] = {
		UBF_LDX(0x18, 2, 1, 0),
		UBF_STX(0x00, 10, 2, -4),				/* key at fp - 4 */
		UBF_LDX(0x18, 3, 1, 8),
		UBF_STX(0x18, 10, 3, -16),				/* value at fp - 16 */
		UBF_LDX(0x18, 6, 1, 16),
		UBF_MOV64_REG(2, 10), UBF_ALU64_IMM(0x00, 2, -4),
		UBF_JMP_IMM(0x10, 6, 1, 7),				/* if r6 == 1 goto delete */
		UBF_MOV64_REG(3, 10), UBF_ALU64_IMM(0x00, 3, -16),
		UBF_MOV64_IMM(4, 0),
		UBF_INSN(0x18, 1, 1, 0, map), UBF_INSN(0, 0, 0, 0, 0),
		UBF_CALL_HELPER(BPF_FUNC_map_update_elem),
		UBF_EXIT(),
		UBF_INSN(0x18, 1, 1, 0, map), UBF_INSN(0, 0, 0, 0, 0),	/* delete: */
		UBF_CALL_HELPER(BPF_FUNC_map_delete_elem),
		UBF_EXIT(),
	};

	return sys_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, UBF_ARRAY_SIZE(p));
}

static int64_t run3(int prog, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[3] = { a0, a1, a2 };
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog;
	a.test.ctx_in = (uint64_t)(uintptr_t)args;
	a.test.ctx_size_in = sizeof(args);
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		return INT64_MIN;
	return (int64_t)(int32_t)a.test.retval;
}

static bool is_trusted(int prog)
{
	struct ubf_obj *obj;

	return !ubf_obj_get(prog, UBF_OBJ_PROG, &obj) && obj->prog->is_verified &&
	       !ubf_prog_is_checked(obj->prog->vm);
}

TEST(sys_direct_array_lookup)
{
	char dir[64];
	uint32_t k;
	uint64_t v;
	int map, prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 5, 0);
	ASSERT_TRUE(map >= 0);
	for (k = 0; k < 5; k++) {
		v = 1000 + k;
		ASSERT_OK(sys_update(map, &k, &v, BPF_ANY));
	}
	prog = load_lookup(map);
	ASSERT_TRUE(prog >= 0);
	EXPECT_TRUE(is_trusted(prog));
	for (k = 0; k < 5; k++)
		EXPECT_EQ_INT(run3(prog, k, 0, 0), 1000 + (int)k);
	EXPECT_EQ_INT(run3(prog, 5, 0, 0), -1);
	EXPECT_EQ_INT(run3(prog, 0x80000000u, 0, 0), -1);
	EXPECT_EQ_INT(run3(prog, 0xffffffffu, 0, 0), -1);
	/* only the low 32 bits are the key */
	EXPECT_EQ_INT(run3(prog, 0x100000003ull, 0, 0), 1003);
	close(prog);
	close(map);
	sys_store_end(dir);
}

/* Pinned to each CPU in turn, the program sees that CPU's slot. */
TEST(sys_direct_percpu_array_lookup)
{
	uint32_t ncpu = ubf_cpu_count(), cpu, k = 2;
	cpu_set_t old, one;
	char dir[64];
	uint64_t *vals = calloc(ncpu, 8);
	int map, prog;

	ASSERT_TRUE(vals);
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 3, 0);
	ASSERT_TRUE(map >= 0);
	for (cpu = 0; cpu < ncpu; cpu++)
		vals[cpu] = 7000 + cpu;
	ASSERT_OK(sys_update(map, &k, vals, BPF_ANY));
	prog = load_lookup(map);
	ASSERT_TRUE(prog >= 0);
	EXPECT_TRUE(is_trusted(prog));
	ASSERT_OK(sched_getaffinity(0, sizeof(old), &old));
	for (cpu = 0; cpu < ncpu && cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &old))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
		EXPECT_EQ_INT(run3(prog, k, 0, 0), 7000 + (int)cpu);
		EXPECT_EQ_INT(run3(prog, 0, 0, 0), 0);
		EXPECT_EQ_INT(run3(prog, 3, 0, 0), -1);
	}
	ASSERT_OK(sched_setaffinity(0, sizeof(old), &old));
	free(vals);
	close(prog);
	close(map);
	sys_store_end(dir);
}

TEST(sys_direct_hash_calls)
{
	char dir[64];
	uint32_t k = 42;
	uint64_t v;
	int map, lookup, update;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 2, 0);
	ASSERT_TRUE(map >= 0);
	lookup = load_lookup(map);
	update = load_update(map);
	ASSERT_TRUE(lookup >= 0 && update >= 0);
	EXPECT_TRUE(is_trusted(lookup) && is_trusted(update));
	EXPECT_EQ_INT(run3(lookup, k, 0, 0), -1);
	EXPECT_EQ_INT(run3(update, k, 555, 0), 0);
	ASSERT_OK(sys_lookup(map, &k, &v));
	EXPECT_EQ_INT((int)v, 555);
	EXPECT_EQ_INT(run3(lookup, k, 0, 0), 555);
	EXPECT_EQ_INT(run3(update, 1, 1, 0), 0);
	/* full: a third key gets Linux's -E2BIG, sign-extended like the helper's */
	EXPECT_EQ_INT(run3(update, 2, 2, 0), -E2BIG);
	EXPECT_EQ_INT(run3(update, k, 0, 1), 0);
	EXPECT_EQ_INT(run3(update, k, 0, 1), -ENOENT);
	EXPECT_EQ_INT(run3(lookup, k, 0, 0), -1);
	close(lookup);
	close(update);
	close(map);
	sys_store_end(dir);
}
