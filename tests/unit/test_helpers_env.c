// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_env.c - environments: adding embedder helpers (argument and
 * prototype checks, -EEXIST, overriding a built-in), lookups that survive
 * growth, and programs on every engine calling embedder helpers with call
 * and callx, receiving r1-r5 and the run's cookie.
 */
#include "test_vm.h"

#include "helpers/helpers.h"

static uint64_t mix_args(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			 struct ubf_run *run)
{
	(void)run;
	return r1 + 10 * r2 + 100 * r3 + 1000 * r4 + 10000 * r5;
}

static uint64_t read_cookie(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct ubf_run *run)
{
	const uint64_t *cookie = ubf_run_cookie(run);

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return cookie ? *cookie : 0xdead;
}

static uint64_t answer(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		       struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return 42;
}

#define HELPER(id_, fn_) { .id = (id_), .name = #fn_, .fn = (fn_) }

TEST(env_new_free)
{
	struct ubf_env *env = NULL;

	EXPECT_ERR(-EINVAL, ubf_env_new(NULL));
	ASSERT_OK(ubf_env_new(&env));
	ASSERT_TRUE(env != NULL);
	/* a fresh environment holds the built-ins only */
	EXPECT_TRUE(ubf_env_helper(env, 5) == ubf_env_helper(NULL, 5));
	EXPECT_TRUE(ubf_env_helper(env, 1000) == NULL);
	ubf_env_free(env);
	ubf_env_free(NULL);
}

TEST(env_add_checks_arguments)
{
	struct ubf_helper h = HELPER(1000, answer);
	struct ubf_env *env = NULL;

	ASSERT_OK(ubf_env_new(&env));
	EXPECT_ERR(-EINVAL, ubf_env_add_helper(NULL, &h));
	EXPECT_ERR(-EINVAL, ubf_env_add_helper(env, NULL));
	h.id = -1;
	EXPECT_ERR(-EINVAL, ubf_env_add_helper(env, &h));
	h.id = 1000;
	h.fn = NULL;
	EXPECT_ERR(-EINVAL, ubf_env_add_helper(env, &h));
	h.fn = answer;
	h.name = NULL;
	EXPECT_ERR(-EINVAL, ubf_env_add_helper(env, &h));
	EXPECT_TRUE(ubf_env_helper(env, 1000) == NULL);
	ubf_env_free(env);
}

/* Prototypes must be well formed before the verifier can rely on them. */
TEST(env_add_checks_prototype)
{
	static const struct ubf_helper_proto bad[] = {
		{ .ret = (enum ubf_ret_type)99 },
		{ .args = { (enum ubf_arg_type)99 } },
		{ .args = { UBF_ARG_MEM } },				/* no size */
		{ .args = { UBF_ARG_SIZE } },				/* size first */
		{ .args = { UBF_ARG_SCALAR, UBF_ARG_SIZE } },		/* size of a scalar */
		{ .args = { UBF_ARG_NONE, UBF_ARG_SCALAR } },		/* gap */
		{ .args = { UBF_ARG_MEM_UNINIT, UBF_ARG_SIZE, UBF_ARG_MEM } },
		{ .ret = UBF_RET_MAP_VALUE_OR_NULL, .args = { UBF_ARG_SCALAR } },
		{ .flags = 1u << 30 },
	};
	static const struct ubf_helper_proto good[] = {
		{ .ret = UBF_RET_VOID },
		{ .args = { UBF_ARG_MEM, UBF_ARG_SIZE_OR_ZERO, UBF_ARG_ANYTHING } },
		{ .args = { UBF_ARG_CTX, UBF_ARG_MEM_OR_NULL, UBF_ARG_SIZE, UBF_ARG_SCALAR,
			    UBF_ARG_PTR_TO_LONG } },
		{ .ret = UBF_RET_MAP_VALUE_OR_NULL,
		  .args = { UBF_ARG_CONST_MAP_PTR, UBF_ARG_MAP_KEY } },
		{ .flags = UBF_HF_ACQUIRE | UBF_HF_MAY_SLEEP },
	};
	struct ubf_env *env = NULL;
	size_t i;

	ASSERT_OK(ubf_env_new(&env));
	for (i = 0; i < UBF_ARRAY_SIZE(bad); i++) {
		struct ubf_helper h = HELPER(2000 + (int32_t)i, answer);

		h.proto = bad[i];
		if (ubf_env_add_helper(env, &h) != -EINVAL)
			ubf_test_fail(__FILE__, __LINE__, "bad prototype %zu accepted", i);
	}
	for (i = 0; i < UBF_ARRAY_SIZE(good); i++) {
		struct ubf_helper h = HELPER(3000 + (int32_t)i, answer);

		h.proto = good[i];
		if (ubf_env_add_helper(env, &h) != 0)
			ubf_test_fail(__FILE__, __LINE__, "good prototype %zu rejected", i);
	}
	ubf_env_free(env);
}

TEST(env_add_duplicate_is_eexist)
{
	struct ubf_helper h = HELPER(1000, answer), other = HELPER(1000, mix_args);
	struct ubf_env *env = NULL;

	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	EXPECT_ERR(-EEXIST, ubf_env_add_helper(env, &other));
	EXPECT_TRUE(ubf_env_helper(env, 1000)->fn == answer);
	ubf_env_free(env);
}

/* An embedder helper with a built-in's ID replaces it in that environment only. */
TEST(env_overrides_builtin)
{
	struct ubf_helper h = HELPER(5, answer);
	const struct ubf_helper *builtin = ubf_env_helper(NULL, 5);
	struct ubf_env *env = NULL;
	size_t k;

	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	EXPECT_TRUE(ubf_env_helper(env, 5)->fn == answer);
	EXPECT_TRUE(ubf_env_helper(NULL, 5) == builtin);
	EXPECT_TRUE(builtin->fn != answer);
	for (k = 0; k < VM_ENGINE_CNT; k++) {
		static const struct tinsn t[] = { CALL(5), EXIT() };
		uint64_t r0 = 0;

		if (!vm_engine_available(&vm_engines[k]))
			continue;
		EXPECT_OK(vm_run(&vm_engines[k], t, 2, env, NULL, 0, NULL, &r0, NULL));
		EXPECT_EQ_U64(r0, 42);
	}
	ubf_env_free(env);
}

/* The descriptor is copied; its address stays valid while more helpers are added. */
TEST(env_lookup_survives_growth)
{
	const struct ubf_helper *first;
	struct ubf_env *env = NULL;
	int32_t i;

	ASSERT_OK(ubf_env_new(&env));
	{
		struct ubf_helper h = HELPER(500, answer);

		ASSERT_OK(ubf_env_add_helper(env, &h));
		h.fn = mix_args;	/* the copy in env is unaffected */
	}
	first = ubf_env_helper(env, 500);
	/* IDs in a scrambled order: 7 * i mod 211 visits 0..210 once */
	for (i = 0; i < 211; i++) {
		struct ubf_helper h = HELPER(10000 + (7 * i) % 211, mix_args);

		ASSERT_OK(ubf_env_add_helper(env, &h));
	}
	EXPECT_TRUE(ubf_env_helper(env, 500) == first);
	EXPECT_TRUE(first->fn == answer);
	for (i = 0; i < 211; i++) {
		const struct ubf_helper *h = ubf_env_helper(env, 10000 + i);

		if (!h || h->id != 10000 + i)
			ubf_test_fail(__FILE__, __LINE__, "helper %d not found", 10000 + i);
	}
	EXPECT_TRUE(ubf_env_helper(env, 10211) == NULL);
	EXPECT_TRUE(ubf_env_helper(env, 9999) == NULL);
	ubf_env_free(env);
}

/* r1-r5 reach the helper; call and callx reach the same one. */
TEST(env_helper_receives_arguments)
{
	struct ubf_helper h = HELPER(1000, mix_args);
	static const struct tinsn by_call[] = { MOV_K(1, 1), MOV_K(2, 2), MOV_K(3, 3), MOV_K(4, 4),
						MOV_K(5, 5), CALL(1000), EXIT() };
	static const struct tinsn by_callx[] = { MOV_K(1, 1), MOV_K(2, 2), MOV_K(3, 3),
						 MOV_K(4, 4), MOV_K(5, 5), MOV_K(6, 1000),
						 I(CALLX, 6, 0, 0, 0), EXIT() };
	struct ubf_env *env = NULL;
	size_t k;

	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	for (k = 0; k < VM_ENGINE_CNT; k++) {
		uint64_t r0 = 0;

		if (!vm_engine_available(&vm_engines[k]))
			continue;
		EXPECT_OK(vm_run(&vm_engines[k], by_call, UBF_ARRAY_SIZE(by_call), env, NULL, 0,
				 NULL, &r0, NULL));
		EXPECT_EQ_U64(r0, 54321);
		r0 = 0;
		EXPECT_OK(vm_run(&vm_engines[k], by_callx, UBF_ARRAY_SIZE(by_callx), env, NULL, 0,
				 NULL, &r0, NULL));
		EXPECT_EQ_U64(r0, 54321);
	}
	ubf_env_free(env);
}

/* A program loaded without the environment cannot call its helpers. */
TEST(env_helper_needs_its_env)
{
	static const struct tinsn by_call[] = { CALL(1000), EXIT() };
	static const struct tinsn by_callx[] = { MOV_K(1, 1000), I(CALLX, 1, 0, 0, 0), EXIT() };
	struct ubf_diag diag = { .id = NULL };
	struct ubf_prog *prog = NULL;
	uint64_t r0;

	EXPECT_ERR(-EINVAL, vm_load(&prog, &vm_engines[VM_INTERP_CHECKED], by_call, 2, NULL, 0,
				    &diag));
	EXPECT_STREQ(diag.id, "call.unknown_helper");
	EXPECT_ERR(-EFAULT, vm_run(&vm_engines[VM_INTERP_CHECKED], by_callx, 3, NULL, NULL, 0,
				   NULL, &r0, &diag));
	EXPECT_STREQ(diag.id, "run.bad_callx");
}

TEST(env_helper_gets_run_cookie)
{
	struct ubf_helper h = HELPER(1000, read_cookie);
	static const struct tinsn t[] = { CALL(1000), EXIT() };
	struct ubf_env *env = NULL;
	uint64_t cookie = 0x5eed;
	size_t k;

	ASSERT_OK(ubf_env_new(&env));
	ASSERT_OK(ubf_env_add_helper(env, &h));
	EXPECT_TRUE(ubf_run_cookie(NULL) == NULL);
	for (k = 0; k < VM_ENGINE_CNT; k++) {
		struct ubf_run_opts ropts = { .sz = sizeof(ropts), .cookie = &cookie };
		struct ubf_prog *prog = NULL;
		uint64_t r0 = 0;

		if (!vm_engine_available(&vm_engines[k]))
			continue;
		ASSERT_OK(vm_load(&prog, &vm_engines[k], t, 2, env, 0, NULL));
		EXPECT_OK(vm_run_prog(&vm_engines[k], prog, NULL, 0, &r0, &ropts));
		EXPECT_EQ_U64(r0, 0x5eed);
		EXPECT_OK(vm_run_prog(&vm_engines[k], prog, NULL, 0, &r0, NULL));
		EXPECT_EQ_U64(r0, 0xdead);
		ubf_prog_free(prog);
	}
	ubf_env_free(env);
}
