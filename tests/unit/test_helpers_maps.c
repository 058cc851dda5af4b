// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_maps.c - the map helpers called from programs on every
 * engine (interpreter fast and checked, both dispatch styles, JIT trusted
 * and checked): element lookup/update/delete with Linux's return codes,
 * values written through the returned pointer, queues and stacks, per-CPU
 * lookups, spin locks, ring buffers, perf_event_output's answers, tail
 * call chains up to Linux's 33, and the faults a checked run reports for a
 * bogus map pointer, an access past the value or a foreign ring record.
 */
#define _GNU_SOURCE
#include "test_helpers_maps.h"

#include <sys/wait.h>
#include <unistd.h>

#include "helpers/helpers.h"

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e))

/* The rows exist under Linux's IDs with Linux's names. */
TEST(helpers_maps_rows)
{
	static const struct {
		int32_t id;
		const char *name;
	} rows[] = {
		{ 1, "map_lookup_elem" },    { 2, "map_update_elem" },	{ 3, "map_delete_elem" },
		{ 12, "tail_call" },	     { 25, "perf_event_output" }, { 87, "map_push_elem" },
		{ 88, "map_pop_elem" },	     { 89, "map_peek_elem" },	  { 93, "spin_lock" },
		{ 94, "spin_unlock" },	     { 130, "ringbuf_output" },	  { 131, "ringbuf_reserve" },
		{ 132, "ringbuf_submit" },   { 133, "ringbuf_discard" },  { 134, "ringbuf_query" },
		{ 164, "for_each_map_elem" }, { 181, "loop" },		  { 195, "map_lookup_percpu_elem" },
		{ 209, "user_ringbuf_drain" },
	};
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(rows); i++) {
		const struct ubf_helper *h = ubf_env_helper(NULL, rows[i].id);

		ASSERT_TRUE(h != NULL);
		EXPECT_STREQ(h->name, rows[i].name);
		EXPECT_TRUE(ubf_helper_proto_valid(&h->proto));
	}
	EXPECT_TRUE(ubf_env_helper(NULL, 12)->proto.flags & UBF_HF_TAIL_CALL);
	EXPECT_EQ_INT(ubf_env_helper(NULL, 1)->proto.ret, UBF_RET_MAP_VALUE_OR_NULL);
	EXPECT_EQ_INT(ubf_env_helper(NULL, 181)->proto.args[1], UBF_ARG_FUNC);
}

/* update (ANY, then NOEXIST: -EEXIST), lookup, write through the value. */
TEST(helpers_maps_hash_update_lookup)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_HASH, 4, 8, 4);
		uint32_t key = 7;
		uint64_t v = 0;
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), ST_K(STW, 10, -4, 7), ST_K(STDW, 10, -16, 42),
					 MAP(1, m), FP(2, -4), FP(3, -16), MOV_K(4, 0), CALL(2),
					 STX64(9, 0, 0),
					 MAP(1, m), FP(2, -4), FP(3, -16), MOV_K(4, 1), CALL(2),
					 STX64(9, 0, 8),
					 MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 3),
					 LDX64(1, 0, 0), STX64(9, 1, 16), ST_K(STDW, 0, 0, 43),
					 MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 0);
		EXPECT_EQ_U64(r.mem[1], (uint64_t)-EEXIST);
		EXPECT_EQ_U64(r.mem[2], 42);
		EXPECT_OK(ubf_map_lookup_elem(m, &key, &v));
		EXPECT_EQ_U64(v, 43);
		ubf_map_free(m);
	}
}

/* delete: 0, then -ENOENT; a lookup of the deleted key gives NULL; EXIST on a miss: -ENOENT. */
TEST(helpers_maps_hash_delete)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_HASH, 4, 8, 4);
		uint32_t key = 7;
		uint64_t v = 5;
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		ASSERT_OK(ubf_map_update_elem(m, &key, &v, UBF_ANY));
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), ST_K(STW, 10, -4, 7),
					 MAP(1, m), FP(2, -4), CALL(3), STX64(9, 0, 0),
					 MAP(1, m), FP(2, -4), CALL(3), STX64(9, 0, 8),
					 MAP(1, m), FP(2, -4), CALL(1), STX64(9, 0, 16),
					 MAP(1, m), FP(2, -4), FP(3, -16), MOV_K(4, 2), CALL(2),
					 STX64(9, 0, 24), MOV_K(0, 1), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 1);
		EXPECT_EQ_U64(r.mem[0], 0);
		EXPECT_EQ_U64(r.mem[1], (uint64_t)-ENOENT);
		EXPECT_EQ_U64(r.mem[2], 0);
		EXPECT_EQ_U64(r.mem[3], (uint64_t)-ENOENT);
		ubf_map_free(m);
	}
}

/* Arrays: every index exists, past the end is NULL / -E2BIG, delete is -EINVAL. */
TEST(helpers_maps_array)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_ARRAY, 4, 8, 2);
		uint32_t key = 1;
		uint64_t v = 0;
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), ST_K(STW, 10, -4, 1),
					 MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 1), ST_K(STDW, 0, 0, 99),
					 ST_K(STW, 10, -4, 2),
					 MAP(1, m), FP(2, -4), CALL(1), STX64(9, 0, 0),
					 MAP(1, m), FP(2, -4), FP(3, -16), MOV_K(4, 0), CALL(2),
					 STX64(9, 0, 8),
					 MAP(1, m), FP(2, -4), CALL(3), STX64(9, 0, 16),
					 MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 0);
		EXPECT_EQ_U64(r.mem[1], (uint64_t)-E2BIG);
		EXPECT_EQ_U64(r.mem[2], (uint64_t)-EINVAL);
		EXPECT_OK(ubf_map_lookup_elem(m, &key, &v));
		EXPECT_EQ_U64(v, 99);
		ubf_map_free(m);
	}
}

/* Checked runs: reading past value_size faults; a bogus map pointer faults. */
TEST(helpers_maps_checked_faults)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_ARRAY, 4, 8, 2);
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		if (!hm_is_checked(e)) {
			ubf_map_free(m);
			continue;
		}
		/* inside the value: fine; 8 bytes at +4: past it */
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 0), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), MEM(LDXW, 1, 0, 4),
					 LDX64(1, 0, 4), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		EXPECT_EQ_INT(r.diag.insn_idx, 8);

		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 0), LDDW(1, 0x1234), FP(2, -4), CALL(1),
					 MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "helper.bad_map");
		EXPECT_EQ_INT(r.diag.insn_idx, 5);

		/* a key outside every region */
		ASSERT_OK(hm_run(e, PROG(MAP(1, m), LDDW(2, 0x1000), CALL(1), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");

		/* an array is no map for tail_call */
		ASSERT_OK(hm_run(e, PROG(MAP(2, m), MOV_K(3, 0), CALL(12), MOV_K(0, 0), EXIT()), 0,
				 &r));
		EXPECT_ERR(-EINVAL, r.err);
		EXPECT_STREQ(r.diag.id, "helper.map_type");
		ubf_map_free(m);
	}
}

/* A BPF_F_RDONLY_PROG value is granted read-only: a checked write faults. */
TEST(helpers_maps_rdonly_prog)
{
	ENG_LOOP(e)
	{
		UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4,
			 .value_size = 8, .max_entries = 1, .map_flags = UBF_F_RDONLY_PROG);
		struct ubf_map *m = NULL;
		struct hm_run r;

		if (!hm_is_checked(e))
			continue;
		ASSERT_OK(ubf_map_create(&m, &a));
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 0), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), LDX64(1, 0, 0), ST_K(STDW, 0, 0, 1),
					 MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_readonly");
		ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 0), MAP(1, m), FP(2, -4), FP(3, -16),
					 MOV_K(4, 0), CALL(2), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, (uint64_t)-EPERM);
		ubf_map_free(m);
	}
}

/* Queue: push until -E2BIG, peek, pop in FIFO order, then -ENOENT; a stack is LIFO. */
TEST(helpers_maps_queue_stack)
{
	ENG_LOOP(e)
	{
		struct ubf_map *q = hm_map(UBF_MAP_QUEUE, 0, 8, 2);
		struct ubf_map *s = hm_map(UBF_MAP_STACK, 0, 8, 2);
		struct hm_run r;

		ASSERT_TRUE(q && s);
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), ST_K(STDW, 10, -8, 1),
					 MAP(1, q), FP(2, -8), MOV_K(3, 0), CALL(87),
					 ST_K(STDW, 10, -8, 2),
					 MAP(1, q), FP(2, -8), MOV_K(3, 0), CALL(87),
					 MAP(1, q), FP(2, -8), MOV_K(3, 0), CALL(87), STX64(9, 0, 0),
					 MAP(1, q), FP(2, -16), CALL(89), LDX64(1, 10, -16),
					 STX64(9, 1, 8),
					 MAP(1, q), FP(2, -16), CALL(88),
					 MAP(1, q), FP(2, -16), CALL(88), LDX64(1, 10, -16),
					 STX64(9, 1, 16),
					 MAP(1, q), FP(2, -16), CALL(88), STX64(9, 0, 24),
					 MAP(1, s), FP(2, -8), MOV_K(3, 0), CALL(87),
					 ST_K(STDW, 10, -8, 7),
					 MAP(1, s), FP(2, -8), MOV_K(3, 0), CALL(87),
					 MAP(1, s), FP(2, -16), CALL(88), LDX64(0, 10, -16), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], (uint64_t)-E2BIG);
		EXPECT_EQ_U64(r.mem[1], 1);
		EXPECT_EQ_U64(r.mem[2], 2);
		EXPECT_EQ_U64(r.mem[3], (uint64_t)-ENOENT);
		EXPECT_EQ_U64(r.r0, 7);
		ubf_map_free(q);
		ubf_map_free(s);
	}
}

/* Per-CPU array: each CPU's slot by number; a CPU past the last gives NULL. */
TEST(helpers_maps_percpu_lookup)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_PERCPU_ARRAY, 4, 8, 1);
		unsigned ncpu = ubf_cpu_count(), c;
		uint64_t *vals = calloc(ncpu, 8);
		uint32_t key = 0;
		struct hm_run r;

		ASSERT_TRUE(m && vals);
		for (c = 0; c < ncpu; c++)
			vals[c] = 100 + c;
		ASSERT_OK(ubf_map_update_elem(m, &key, vals, UBF_ANY));
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), ST_K(STW, 10, -4, 0),
					 MAP(1, m), FP(2, -4), MOV_K(3, (int32_t)ncpu - 1), CALL(195),
					 JMP_K(JEQ64_IMM, 0, 0, 2), LDX64(1, 0, 0), STX64(9, 1, 0),
					 MAP(1, m), FP(2, -4), MOV_K(3, (int32_t)ncpu), CALL(195),
					 STX64(9, 0, 8), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 100 + ncpu - 1);
		EXPECT_EQ_U64(r.mem[1], 0);
		free(vals);
		ubf_map_free(m);
	}
}

/* spin_lock/unlock around an update of the value; checked runs refuse nesting. */
TEST(helpers_maps_spin_lock)
{
	ENG_LOOP(e)
	{
		UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4,
			 .value_size = 8, .max_entries = 1, .has_spin_lock = 1, .spin_lock_off = 0);
		uint32_t key = 0, v[2];
		struct ubf_map *m = NULL;
		struct hm_run r;
		int i;

		ASSERT_OK(ubf_map_create(&m, &a));
		for (i = 0; i < 3; i++) {
			ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 0), MAP(1, m), FP(2, -4), CALL(1),
						 JMP_K(JEQ64_IMM, 0, 0, 8), MOV_X(6, 0), MOV_X(1, 6),
						 CALL(93), MEM(LDXW, 1, 6, 4), ALU_K(ADD64_IMM, 1, 5),
						 MEM(STXW, 6, 1, 4), MOV_X(1, 6), CALL(94), MOV_K(0, 0),
						 EXIT()),
					 0, &r));
			EXPECT_OK(r.err);
		}
		ASSERT_OK(ubf_map_lookup_elem(m, &key, v));
		EXPECT_EQ_INT(v[1], 15);
		EXPECT_EQ_INT(__atomic_load_n((uint32_t *)ubf_map_lookup(m, &key), __ATOMIC_RELAXED),
			      0);
		if (hm_is_checked(e)) {
			ASSERT_OK(hm_run(e, PROG(ST_K(STW, 10, -4, 0), MAP(1, m), FP(2, -4), CALL(1),
						 JMP_K(JEQ64_IMM, 0, 0, 5), MOV_X(6, 0), MOV_X(1, 6),
						 CALL(93), MOV_X(1, 6), CALL(93), MOV_K(0, 0), EXIT()),
					 0, &r));
			EXPECT_ERR(-EDEADLK, r.err);
			EXPECT_STREQ(r.diag.id, "helper.lock_nested");
			/* the lock it left held */
			*(uint32_t *)ubf_map_lookup(m, &key) = 0;
			ASSERT_OK(hm_run(e, PROG(MOV_X(1, 10), ALU_K(ADD64_IMM, 1, -8), CALL(94),
						 MOV_K(0, 0), EXIT()),
					 0, &r));
			EXPECT_ERR(-EINVAL, r.err);
			EXPECT_STREQ(r.diag.id, "helper.bad_unlock");
		}
		ubf_map_free(m);
	}
}

static int count_rec(void *ctx, const void *data, size_t size)
{
	uint64_t *sum = ctx, v = 0;

	memcpy(&v, data, size < 8 ? size : 8);
	*sum += v * 1000 + size;
	return 0;
}

/* reserve + submit, reserve + discard, output, query; consumed from C. */
TEST(helpers_maps_ringbuf)
{
	ENG_LOOP(e)
	{
		struct ubf_map *rb = hm_map(UBF_MAP_RINGBUF, 0, 0, 4096);
		uint64_t sum = 0;
		struct hm_run r;

		ASSERT_TRUE(rb != NULL);
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1),
					 MAP(1, rb), MOV_K(2, 16), MOV_K(3, 0), CALL(131),
					 JMP_K(JEQ64_IMM, 0, 0, 5), ST_K(STDW, 0, 0, 5), ST_K(STDW, 0, 8, 6),
					 MOV_X(1, 0), MOV_K(2, 0), CALL(132),
					 MAP(1, rb), MOV_K(2, 8), MOV_K(3, 0), CALL(131),
					 JMP_K(JEQ64_IMM, 0, 0, 4), ST_K(STDW, 0, 0, 9), MOV_X(1, 0),
					 MOV_K(2, 0), CALL(133),
					 ST_K(STDW, 10, -8, 7),
					 MAP(1, rb), FP(2, -8), MOV_K(3, 4), MOV_K(4, 0), CALL(130),
					 STX64(9, 0, 0),
					 MAP(1, rb), FP(2, -8), MOV_K(3, 4), MOV_K(4, 4), CALL(130),
					 STX64(9, 0, 8),
					 MAP(1, rb), MOV_K(2, 0), CALL(134), STX64(9, 0, 16),
					 MAP(1, rb), MOV_K(2, 1), CALL(134), STX64(9, 0, 24),
					 MAP(1, rb), MOV_K(2, 8192), MOV_K(3, 0), CALL(131), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], 0);
		EXPECT_EQ_U64(r.mem[1], (uint64_t)-EINVAL);
		EXPECT_EQ_U64(r.mem[2], 24 + 16 + 16);	/* three records with 8-byte headers */
		EXPECT_EQ_U64(r.mem[3], 4096);
		EXPECT_EQ_U64(r.r0, 0);			/* larger than the ring */
		EXPECT_EQ_INT(ubf_ringbuf_consume(rb, count_rec, &sum), 2);
		EXPECT_EQ_U64(sum, 5 * 1000 + 16 + 7 * 1000 + 4);
		if (hm_is_checked(e)) {
			/* a record this run did not reserve, then writes past a reservation */
			ASSERT_OK(hm_run(e, PROG(MOV_X(1, 10), ALU_K(ADD64_IMM, 1, -16), MOV_K(2, 0),
						 CALL(132), MOV_K(0, 0), EXIT()),
					 0, &r));
			EXPECT_ERR(-EINVAL, r.err);
			EXPECT_STREQ(r.diag.id, "helper.bad_record");
			ASSERT_OK(hm_run(e, PROG(MAP(1, rb), MOV_K(2, 8), MOV_K(3, 0), CALL(131),
						 JMP_K(JEQ64_IMM, 0, 0, 1), ST_K(STDW, 0, 8, 1),
						 MOV_K(0, 0), EXIT()),
					 0, &r));
			EXPECT_ERR(-EFAULT, r.err);
			EXPECT_STREQ(r.diag.id, "run.mem_oob");
		}
		ubf_map_free(rb);
	}
}

/*
 * A checked program that ends holding a spin lock or a reserved record
 * (the verifier would reject it) leaves neither behind: the lock is free
 * and the record discarded, so consumers go past it.  Only through
 * ubf_prog_run(), which ends the run.
 */
TEST(helpers_maps_checked_run_end)
{
	ENG_LOOP(e)
	{
		UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4,
			 .value_size = 8, .max_entries = 1, .has_spin_lock = 1, .spin_lock_off = 0);
		struct ubf_map *rb = hm_map(UBF_MAP_RINGBUF, 0, 0, 4096), *m = NULL;
		uint32_t key = 0;
		uint64_t sum = 0;
		struct hm_run r;

		ASSERT_TRUE(rb != NULL);
		ASSERT_OK(ubf_map_create(&m, &a));
		if (!hm_is_checked(e) || e->run) {
			ubf_map_free(m);
			ubf_map_free(rb);
			continue;
		}
		ASSERT_OK(hm_run(e, PROG(MAP(1, rb), MOV_K(2, 8), MOV_K(3, 0), CALL(131),
					 ST_K(STW, 10, -4, 0), MAP(1, m), FP(2, -4), CALL(1),
					 JMP_K(JEQ64_IMM, 0, 0, 2), MOV_X(1, 0), CALL(93), MOV_K(0, 0),
					 EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_INT(*(uint32_t *)ubf_map_lookup(m, &key), 0);
		EXPECT_EQ_U64(ubf_ringbuf_query(rb, UBF_RB_AVAIL_DATA), 16);
		EXPECT_EQ_INT(ubf_ringbuf_consume(rb, count_rec, &sum), 0);
		EXPECT_EQ_U64(ubf_ringbuf_query(rb, UBF_RB_AVAIL_DATA), 0);
		ubf_map_free(m);
		ubf_map_free(rb);
	}
}

/* No perf events exist: -ENOENT for a slot in range, -E2BIG past it, -EINVAL for bad flags. */
TEST(helpers_maps_perf_event_output)
{
	ENG_LOOP(e)
	{
		struct ubf_map *m = hm_map(UBF_MAP_PERF_EVENT_ARRAY, 4, 4, 1024);
		struct hm_run r;

		ASSERT_TRUE(m != NULL);
		ASSERT_OK(hm_run(e, PROG(MOV_X(9, 1), ST_K(STDW, 10, -8, 1),
					 MOV_X(1, 9), MAP(2, m), MOV_K(3, 3), FP(4, -8), MOV_K(5, 8),
					 CALL(25), STX64(9, 0, 0),
					 MOV_X(1, 9), MAP(2, m), MOV_K(3, 1024), FP(4, -8), MOV_K(5, 8),
					 CALL(25), STX64(9, 0, 8),
					 MOV_X(1, 9), MAP(2, m), LDDW(3, 0xffffffffull), FP(4, -8),
					 MOV_K(5, 8), CALL(25), STX64(9, 0, 16),
					 MOV_X(1, 9), MAP(2, m), LDDW(3, 1ull << 60), FP(4, -8), MOV_K(5, 8),
					 CALL(25), STX64(9, 0, 24), MOV_K(0, 0), EXIT()),
				 0, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.mem[0], (uint64_t)-ENOENT);
		EXPECT_EQ_U64(r.mem[1], (uint64_t)-E2BIG);
		EXPECT_EQ_U64(r.mem[2], (uint64_t)-ENOENT);
		EXPECT_EQ_U64(r.mem[3], (uint64_t)-EINVAL);
		ubf_map_free(m);
	}
}

/* ---------------------------------------------------------------- tail calls */

/* The resolver the bpf(2) layer would register: ids 1..3 are these programs. */
static const struct ubf_prog *tc_progs[4];

static const struct ubf_prog *tc_prog_by_id(uint32_t id)
{
	return id < UBF_ARRAY_SIZE(tc_progs) ? tc_progs[id] : NULL;
}

static struct ubf_map *tc_map_by_id(uint32_t id)
{
	(void)id;
	return NULL;
}

/*
 * A program that counts its runs in mem[0] and tail calls slot 0 (itself):
 * 1 + 33 runs, and the 34th attempt falls through with -E2BIG in mem[1].
 * Then empty slots (-ENOENT) and an index past the array (-E2BIG).
 */
static void tail_call_chain(const struct vm_engine *e)
{
	struct ubf_map *pa = hm_map(UBF_MAP_PROG_ARRAY, 4, 4, 4);
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_diag diag = { .id = NULL };
	struct ubf_prog *prog = NULL;
	uint64_t mem[4] = { 0 }, r0 = 0;
	uint32_t key = 0, id = 1;

	ASSERT_TRUE(pa != NULL);
	ASSERT_OK(vm_load(&prog, e,
			  PROG(MOV_X(6, 1), LDX64(2, 6, 0), ALU_K(ADD64_IMM, 2, 1), STX64(6, 2, 0),
			       MOV_X(1, 6), MAP(2, pa), MOV_K(3, 0), CALL(12), STX64(6, 0, 8),
			       MOV_X(1, 6), MAP(2, pa), MOV_K(3, 1), CALL(12), STX64(6, 0, 16),
			       MOV_X(1, 6), MAP(2, pa), MOV_K(3, 4), CALL(12), STX64(6, 0, 24),
			       MOV_K(0, 3), EXIT()),
			  NULL, 0, &diag));
	tc_progs[1] = prog;
	ASSERT_OK(ubf_map_update_elem(pa, &key, &id, UBF_ANY));
	ropts.diag = &diag;
	EXPECT_OK(vm_run_prog(e, prog, mem, sizeof(mem), &r0, &ropts));
	EXPECT_EQ_U64(r0, 3);
	EXPECT_EQ_U64(mem[0], 34);
	EXPECT_EQ_U64(mem[1], (uint64_t)-E2BIG);
	EXPECT_EQ_U64(mem[2], (uint64_t)-E2BIG);	/* the count is spent for every slot */
	EXPECT_EQ_U64(mem[3], (uint64_t)-E2BIG);
	/* a fresh run with slot 0 empty: -ENOENT, and the attempt counted */
	ASSERT_OK(ubf_map_delete_elem(pa, &key));
	memset(mem, 0, sizeof(mem));
	EXPECT_OK(vm_run_prog(e, prog, mem, sizeof(mem), &r0, &ropts));
	EXPECT_EQ_U64(mem[0], 1);
	EXPECT_EQ_U64(mem[1], (uint64_t)-ENOENT);
	EXPECT_EQ_U64(mem[2], (uint64_t)-ENOENT);
	EXPECT_EQ_U64(mem[3], (uint64_t)-E2BIG);
	tc_progs[1] = NULL;
	ubf_prog_free(prog);
	ubf_map_free(pa);
}

/* A chain through two programs: the second sees the first's context and returns for both. */
static void tail_call_other(const struct vm_engine *e)
{
	struct ubf_map *pa = hm_map(UBF_MAP_PROG_ARRAY, 4, 4, 2);
	struct ubf_prog *a = NULL, *b = NULL;
	uint64_t mem[4] = { 0 }, r0 = 0;
	uint32_t key = 1, id = 2;

	ASSERT_TRUE(pa != NULL);
	ASSERT_OK(vm_load(&b, e, PROG(LDX64(0, 1, 0), ALU_K(MUL64_IMM, 0, 10), EXIT()), NULL, 0,
			  NULL));
	ASSERT_OK(vm_load(&a, e,
			  PROG(ST_K(STDW, 1, 0, 4), MAP(2, pa), MOV_K(3, 1), CALL(12), MOV_K(0, 1),
			       EXIT()),
			  NULL, 0, NULL));
	tc_progs[2] = b;
	ASSERT_OK(ubf_map_update_elem(pa, &key, &id, UBF_ANY));
	EXPECT_OK(vm_run_prog(e, a, mem, sizeof(mem), &r0, NULL));
	EXPECT_EQ_U64(r0, 40);
	tc_progs[2] = NULL;
	ubf_prog_free(a);
	ubf_prog_free(b);
	ubf_map_free(pa);
}

/*
 * The resolver is process-wide and the bpf(2) layer registers its own
 * once; the tail call tests install theirs in a child process.
 */
TEST(helpers_maps_tail_call)
{
	static const struct ubf_map_resolver res = { tc_map_by_id, tc_prog_by_id };
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		ubf_map_set_resolver(&res);
		ENG_LOOP(e)
		{
			tail_call_chain(e);
			tail_call_other(e);
		}
		fflush(stdout);
		_exit(ubf_test_failed() ? 1 : 0);
	}
	ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
