// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_vm_prog.c - the program object: load errors with their diagnostic
 * ids and instruction indexes, the options-struct size rules for load and
 * run, flags and engine selection, getters, the load log, runs from many
 * threads at once, and the small util/log.c API (ubf_strerror, ubf_version).
 */
#include "test_vm.h"

#include <pthread.h>

#include "jit/jit.h"

static int load_raw(const struct ubf_raw_insn *raw, size_t n, struct ubf_diag *diag)
{
	struct ubf_prog_opts opts = { .sz = sizeof(opts) };
	struct ubf_prog *prog = NULL;
	int err;

	opts.diag = diag;
	opts.engine = UBF_ENGINE_INTERP;
	err = ubf_prog_load(&prog, raw, n, &opts);
	ubf_prog_free(prog);
	return err;
}

static int load_t(const struct tinsn *t, size_t cnt, struct ubf_diag *diag)
{
	struct ubf_prog *prog = NULL;
	int err = vm_load(&prog, &vm_engines[VM_INTERP_CHECKED], t, cnt, NULL, 0, diag);

	ubf_prog_free(prog);
	return err;
}

TEST(prog_rejects_unknown_helper)
{
	static const struct tinsn t[] = { MOV_K(0, 0), CALL(100000), EXIT() };
	struct ubf_diag diag = { .id = NULL };

	EXPECT_ERR(-EINVAL, load_t(t, 3, &diag));
	EXPECT_STREQ(diag.id, "call.unknown_helper");
	EXPECT_EQ_INT(diag.insn_idx, 1);
}

TEST(prog_rejects_negative_helper_id)
{
	static const struct tinsn t[] = { CALL(-1), EXIT() };
	struct ubf_diag diag = { .id = NULL };

	EXPECT_ERR(-EINVAL, load_t(t, 2, &diag));
	EXPECT_STREQ(diag.id, "call.unknown_helper");
	EXPECT_EQ_INT(diag.insn_idx, 0);
}

/* lddw src 1-3, 5, 6 need a resolver (the bpf(2) object model); kfunc calls cannot load. */
TEST(prog_rejects_pseudo_forms)
{
	static const uint16_t ids[] = { UBF_INSN_LDDW_MAP_FD,   UBF_INSN_LDDW_MAP_VALUE,
					UBF_INSN_LDDW_BTF_ID,   UBF_INSN_LDDW_MAP_IDX,
					UBF_INSN_LDDW_MAP_IDX_VALUE };
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(ids); i++) {
		struct tinsn t[] = { MOV_K(0, 0), { ids[i], 1, 0, 0, 0, 0xffffffff }, EXIT() };
		struct ubf_diag diag = { .id = NULL };

		EXPECT_ERR(-EINVAL, load_t(t, 3, &diag));
		EXPECT_STREQ(diag.id, "insn.unsupported_pseudo");
		EXPECT_EQ_INT(diag.insn_idx, 1);
	}
}

TEST(prog_rejects_kfunc_call)
{
	static const struct tinsn t[] = { MOV_K(0, 0), MOV_K(1, 0), I(CALL_KFUNC, 0, 0, 0, 42),
					  EXIT() };
	struct ubf_diag diag = { .id = NULL };

	EXPECT_ERR(-EINVAL, load_t(t, 4, &diag));
	EXPECT_STREQ(diag.id, "insn.unsupported_pseudo");
	EXPECT_EQ_INT(diag.insn_idx, 2);
}

/* Encoding errors come from ubf_isa_check() with its ids. */
TEST(prog_rejects_bad_encodings)
{
	struct ubf_raw_insn bad_op[] = { { .code = 0xff }, UBF_EXIT() };
	struct ubf_raw_insn bad_jump[] = { UBF_JMP_IMM(UBF_JMP_JEQ, 0, 0, 5), UBF_EXIT() };
	struct ubf_raw_insn no_exit[] = { UBF_MOV64_IMM(0, 1) };
	struct ubf_diag diag = { .id = NULL };

	EXPECT_ERR(-EINVAL, load_raw(bad_op, 2, &diag));
	EXPECT_STREQ(diag.id, "insn.unknown_opcode");
	EXPECT_EQ_INT(diag.insn_idx, 0);
	EXPECT_ERR(-EINVAL, load_raw(bad_jump, 2, &diag));
	EXPECT_STREQ(diag.id, "insn.jump_out_of_range");
	EXPECT_ERR(-EINVAL, load_raw(no_exit, 1, &diag));
	EXPECT_STREQ(diag.id, "insn.falls_off_end");
	EXPECT_ERR(-EINVAL, load_raw(NULL, 0, &diag));
	EXPECT_STREQ(diag.id, "insn.empty");
	/* the count is checked before any instruction is read */
	EXPECT_ERR(-E2BIG, load_raw(no_exit, 1000001, &diag));
	EXPECT_STREQ(diag.id, "insn.too_many");
}

TEST(prog_load_checks_arguments)
{
	struct ubf_raw_insn ok[] = { UBF_MOV64_IMM(0, 1), UBF_EXIT() };
	struct ubf_prog_opts opts = { .sz = sizeof(opts) };
	struct ubf_prog *prog = NULL;

	EXPECT_ERR(-EINVAL, ubf_prog_load(NULL, ok, 2, NULL));
	opts.flags = UBF_PROG_F_CHECKED | UBF_PROG_F_TRUSTED;
	EXPECT_ERR(-EINVAL, ubf_prog_load(&prog, ok, 2, &opts));
	opts.flags = 1u << 20;
	EXPECT_ERR(-EINVAL, ubf_prog_load(&prog, ok, 2, &opts));
	opts.flags = 0;
	opts.engine = 3;
	EXPECT_ERR(-EINVAL, ubf_prog_load(&prog, ok, 2, &opts));
	EXPECT_TRUE(prog == NULL);
}

/* Options of a newer caller: zero tail accepted, anything else -EINVAL. */
TEST(prog_opts_size_rules)
{
	struct ubf_raw_insn ok[] = { UBF_MOV64_IMM(0, 7), UBF_EXIT() };
	struct {
		struct ubf_prog_opts opts;
		uint64_t future[2];
	} big;
	struct ubf_prog *prog = NULL;
	uint64_t r0 = 0;

	memset(&big, 0, sizeof(big));
	big.opts.sz = sizeof(big);
	EXPECT_OK(ubf_prog_load(&prog, ok, 2, &big.opts));
	ubf_prog_free(prog);
	prog = NULL;
	big.future[1] = 1;
	EXPECT_ERR(-EINVAL, ubf_prog_load(&prog, ok, 2, &big.opts));
	big.opts.sz = 0;
	big.future[1] = 0;
	EXPECT_ERR(-EINVAL, ubf_prog_load(&prog, ok, 2, &big.opts));
	EXPECT_TRUE(prog == NULL);

	/* NULL options: defaults (checked) */
	ASSERT_OK(ubf_prog_load(&prog, ok, 2, NULL));
	EXPECT_TRUE(ubf_prog_is_checked(prog));
	EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, NULL));
	EXPECT_EQ_U64(r0, 7);
	ubf_prog_free(prog);
}

/* An older caller's struct ends early: the fields past its size are not read. */
TEST(prog_opts_older_caller)
{
	struct ubf_raw_insn ok[] = { UBF_MOV64_IMM(0, 7), UBF_EXIT() };
	struct ubf_prog_opts opts;
	struct ubf_prog *prog = NULL;

	memset(&opts, 0xff, sizeof(opts));
	opts.sz = offsetof(struct ubf_prog_opts, env);
	opts.log = NULL;
	opts.diag = NULL;
	ASSERT_OK(ubf_prog_load(&prog, ok, 2, &opts));
	EXPECT_TRUE(ubf_prog_is_checked(prog));
	ubf_prog_free(prog);
}

TEST(prog_trusted_flag_selects_fast_path)
{
	struct ubf_raw_insn ok[] = { UBF_MOV64_IMM(0, 1), UBF_EXIT() };
	struct ubf_prog_opts opts = { .sz = sizeof(opts), .flags = UBF_PROG_F_TRUSTED };
	struct ubf_prog *prog = NULL;

	opts.engine = UBF_ENGINE_INTERP;
	ASSERT_OK(ubf_prog_load(&prog, ok, 2, &opts));
	EXPECT_TRUE(!ubf_prog_is_checked(prog));
	EXPECT_EQ_INT(ubf_prog_engine(prog), UBF_ENGINE_INTERP);
	ubf_prog_free(prog);
}

/* Default engine: the JIT where the host has one, else the interpreter. */
TEST(prog_engine_selection)
{
	struct ubf_raw_insn ok[] = { UBF_MOV64_IMM(0, 1), UBF_EXIT() };
	struct ubf_prog_opts opts = { .sz = sizeof(opts) };
	struct ubf_diag diag = { .id = NULL };
	struct ubf_prog *prog = NULL;
	int err;

	ASSERT_OK(ubf_prog_load(&prog, ok, 2, &opts));
	EXPECT_EQ_INT(ubf_prog_engine(prog),
		      ubf_jit_available() ? UBF_ENGINE_JIT : UBF_ENGINE_INTERP);
	ubf_prog_free(prog);
	prog = NULL;

	opts.engine = UBF_ENGINE_JIT;
	opts.diag = &diag;
	err = ubf_prog_load(&prog, ok, 2, &opts);
	if (ubf_jit_available()) {
		EXPECT_OK(err);
		EXPECT_EQ_INT(ubf_prog_engine(prog), UBF_ENGINE_JIT);
	} else {
		EXPECT_ERR(-EOPNOTSUPP, err);
		EXPECT_STREQ(diag.id, "prog.no_jit");
		EXPECT_TRUE(prog == NULL);
	}
	ubf_prog_free(prog);
}

TEST(prog_getters)
{
	struct ubf_raw_insn raw[] = { UBF_LDDW(0, 0x1122334455667788), UBF_EXIT() };
	struct ubf_prog *prog = NULL;
	const struct ubf_raw_insn *copy;

	ASSERT_OK(ubf_prog_load(&prog, raw, 3, NULL));
	EXPECT_EQ_INT(ubf_prog_insn_cnt(prog), 3);
	copy = ubf_prog_insns(prog);
	ASSERT_TRUE(copy != NULL && copy != raw);
	EXPECT_TRUE(memcmp(copy, raw, sizeof(raw)) == 0);
	ubf_prog_free(prog);
	EXPECT_EQ_INT(ubf_prog_insn_cnt(NULL), 0);
	EXPECT_TRUE(ubf_prog_insns(NULL) == NULL);
	EXPECT_TRUE(!ubf_prog_is_checked(NULL));
	ubf_prog_free(NULL);
}

/* The program keeps its own copy: changing the caller's array after load changes nothing. */
TEST(prog_copies_instructions)
{
	struct ubf_raw_insn raw[] = { UBF_MOV64_IMM(0, 5), UBF_EXIT() };
	struct ubf_prog *prog = NULL;
	uint64_t r0 = 0;

	ASSERT_OK(ubf_prog_load(&prog, raw, 2, NULL));
	raw[0].imm = 6;
	EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, NULL));
	EXPECT_EQ_U64(r0, 5);
	ubf_prog_free(prog);
}

struct log_capture {
	int calls;
	enum ubf_log_level level;
	char msg[512];
};

static void capture(void *cookie, enum ubf_log_level level, const char *msg)
{
	struct log_capture *c = cookie;

	c->calls++;
	c->level = level;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

/* A rejected load logs one warning naming the program and the diagnostic id. */
TEST(prog_load_failure_is_logged)
{
	struct ubf_raw_insn raw[] = { UBF_CALL_HELPER(100000), UBF_EXIT() };
	struct log_capture cap = { 0, UBF_LOG_DEBUG, "" };
	struct ubf_log log = { capture, &cap, UBF_LOG_WARN };
	struct ubf_prog_opts opts = { .sz = sizeof(opts), .log = &log, .name = "xdp_main" };
	struct ubf_prog *prog = NULL;

	EXPECT_ERR(-EINVAL, ubf_prog_load(&prog, raw, 2, &opts));
	EXPECT_EQ_INT(cap.calls, 1);
	EXPECT_EQ_INT(cap.level, UBF_LOG_WARN);
	EXPECT_TRUE(strstr(cap.msg, "xdp_main") != NULL);
	EXPECT_TRUE(strstr(cap.msg, "call.unknown_helper") != NULL);

	/* at level WARN a successful load says nothing; at DEBUG it reports */
	raw[0] = (struct ubf_raw_insn)UBF_MOV64_IMM(0, 0);
	cap.calls = 0;
	ASSERT_OK(ubf_prog_load(&prog, raw, 2, &opts));
	EXPECT_EQ_INT(cap.calls, 0);
	ubf_prog_free(prog);
	log.level = UBF_LOG_DEBUG;
	ASSERT_OK(ubf_prog_load(&prog, raw, 2, &opts));
	EXPECT_EQ_INT(cap.calls, 1);
	EXPECT_EQ_INT(cap.level, UBF_LOG_DEBUG);
	EXPECT_TRUE(strstr(cap.msg, "xdp_main") != NULL);
	ubf_prog_free(prog);
}

TEST(prog_run_checks_arguments)
{
	struct ubf_raw_insn raw[] = { UBF_MOV64_IMM(0, 1), UBF_EXIT() };
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_region regions[17];
	struct ubf_prog *prog = NULL;
	uint8_t mem[4];
	uint64_t r0 = 0;

	memset(regions, 0, sizeof(regions));
	ASSERT_OK(ubf_prog_load(&prog, raw, 2, NULL));
	EXPECT_ERR(-EINVAL, ubf_prog_run(NULL, NULL, 0, &r0, NULL));
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, NULL, 0, NULL, NULL));
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, NULL, 4, &r0, NULL));
	ropts.regions = regions;
	ropts.region_cnt = 17;
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, mem, 4, &r0, &ropts));
	ropts.region_cnt = 16;
	EXPECT_OK(ubf_prog_run(prog, mem, 4, &r0, &ropts));
	regions[3].size = 8;
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, mem, 4, &r0, &ropts));
	regions[3].size = 0;
	ropts.regions = NULL;
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, mem, 4, &r0, &ropts));
	ropts.region_cnt = 0;
	ropts.sz = 0;
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, mem, 4, &r0, &ropts));
	ubf_prog_free(prog);
}

TEST(prog_run_opts_size_rules)
{
	struct ubf_raw_insn raw[] = { UBF_MOV64_IMM(0, 1), UBF_EXIT() };
	struct {
		struct ubf_run_opts opts;
		uint32_t future;
		uint32_t pad;
	} big;
	struct ubf_run_opts old;
	struct ubf_prog *prog = NULL;
	uint64_t r0 = 0;

	ASSERT_OK(ubf_prog_load(&prog, raw, 2, NULL));
	memset(&big, 0, sizeof(big));
	big.opts.sz = sizeof(big);
	EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, &big.opts));
	big.future = 2;
	EXPECT_ERR(-EINVAL, ubf_prog_run(prog, NULL, 0, &r0, &big.opts));
	/* an older caller's struct stops before regions: the garbage after it is not read */
	memset(&old, 0xff, sizeof(old));
	old.sz = offsetof(struct ubf_run_opts, regions);
	old.diag = NULL;
	EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, &old));
	EXPECT_EQ_U64(r0, 1);
	ubf_prog_free(prog);
}

/* r1 holds the memory's address, r2 its size. */
TEST(prog_run_entry_registers)
{
	struct ubf_raw_insn raw[] = { UBF_MOV64_REG(0, 1), UBF_EXIT() };
	struct ubf_prog *prog = NULL;
	uint8_t mem[3];
	uint64_t r0 = 0;

	ASSERT_OK(ubf_prog_load(&prog, raw, 2, NULL));
	EXPECT_OK(ubf_prog_run(prog, mem, sizeof(mem), &r0, NULL));
	EXPECT_EQ_U64(r0, (uintptr_t)mem);
	EXPECT_OK(ubf_prog_run(prog, NULL, 0, &r0, NULL));
	EXPECT_EQ_U64(r0, 0);
	ubf_prog_free(prog);
}

/* A loaded program runs on many threads at once, each with its own stack. */
struct thread_arg {
	const struct vm_engine *e;
	const struct ubf_prog *prog;
	uint64_t seed;
	int bad;
};

static void *run_many(void *p)
{
	struct thread_arg *a = p;
	uint64_t i, r0;

	for (i = 0; i < 2000; i++) {
		uint64_t mem = a->seed + i;

		if (vm_run_prog(a->e, a->prog, &mem, sizeof(mem), &r0, NULL) ||
		    r0 != 2 * (a->seed + i))
			a->bad++;
	}
	return NULL;
}

TEST(prog_runs_concurrently)
{
	/* r0 = *(u64 *)mem, spilled to the stack and doubled */
	static const struct tinsn t[] = { MEM(LDXDW, 2, 1, 0), MEM(STXDW, 10, 2, -8),
					  MEM(LDXDW, 0, 10, -8), ALU_X(ADD64_REG, 0, 2), EXIT() };
	size_t k;

	for (k = 0; k < VM_ENGINE_CNT; k++) {
		const struct vm_engine *e = &vm_engines[k];
		struct thread_arg args[4];
		pthread_t th[4];
		struct ubf_prog *prog = NULL;
		int i;

		if (!vm_engine_available(e))
			continue;
		ASSERT_OK(vm_load(&prog, e, t, UBF_ARRAY_SIZE(t), NULL, 0, NULL));
		for (i = 0; i < 4; i++) {
			args[i] = (struct thread_arg){ e, prog, (uint64_t)i << 40, 0 };
			ASSERT_OK(pthread_create(&th[i], NULL, run_many, &args[i]));
		}
		for (i = 0; i < 4; i++) {
			pthread_join(th[i], NULL);
			EXPECT_EQ_INT(args[i].bad, 0);
		}
		ubf_prog_free(prog);
	}
}

TEST(util_strerror_and_version)
{
	EXPECT_STREQ(ubf_strerror(0), "success");
	EXPECT_STREQ(ubf_strerror(-EINVAL), "invalid argument or malformed input");
	EXPECT_STREQ(ubf_strerror(-EFAULT), "fault in checked execution or internal error");
	EXPECT_STREQ(ubf_strerror(-E2BIG), "size or complexity limit exceeded");
	EXPECT_STREQ(ubf_strerror(-12345), "unknown error");
	EXPECT_STREQ(ubf_version(), UBF_VERSION_STRING);
}
