// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers.c - the built-in helpers: the registry (sorted, Linux IDs,
 * well-formed prototypes, O(1) lookup) and each helper's result, called
 * from programs on every engine and compared with what the C library
 * reports around the call.
 */
#define _GNU_SOURCE
#include "test_vm.h"

#include <linux/bpf.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "helpers/helpers.h"
#include "vm/vm.h"

TEST(helpers_builtin_table_sorted_and_valid)
{
	const struct ubf_helper *h, *prev = NULL;
	size_t i, found = 0;
	int32_t id;

	for (i = 0; (h = ubf_helper_builtin(i)); i++) {
		EXPECT_TRUE(h->name && h->fn);
		EXPECT_TRUE(ubf_helper_proto_valid(&h->proto));
		if (prev)
			EXPECT_TRUE(prev->id < h->id);
		EXPECT_TRUE(ubf_env_helper(NULL, h->id) == h);
		prev = h;
	}
	EXPECT_TRUE(i > 0);
	/* The lookup finds the rows and nothing else. */
	for (id = -1; id <= __BPF_FUNC_MAX_ID + 1; id++)
		found += ubf_env_helper(NULL, id) != NULL;
	EXPECT_EQ_INT(found, i);
}

/* Linux's numbering and names: BPF_FUNC_* in <linux/bpf.h> (the kernel's header, not ours). */
TEST(helpers_builtin_ids_are_linux)
{
#define LINUX_NAME(x) #x
	static const char *const linux_names[] = { __BPF_FUNC_MAPPER(LINUX_NAME) };
#undef LINUX_NAME
	const struct ubf_helper *h;
	size_t i;

	for (i = 0; (h = ubf_helper_builtin(i)); i++) {
		ASSERT_TRUE(h->id > 0 && (size_t)h->id < UBF_ARRAY_SIZE(linux_names));
		EXPECT_STREQ(h->name, linux_names[h->id]);
	}
	EXPECT_TRUE(ubf_env_helper(NULL, 0) == NULL);
	EXPECT_TRUE(ubf_env_helper(NULL, -5) == NULL);
	EXPECT_TRUE(ubf_env_helper(NULL, __BPF_FUNC_MAX_ID) == NULL);
	EXPECT_TRUE(ubf_env_helper(NULL, INT32_MAX) == NULL);
}

/* get_current_comm's prototype: a buffer the helper fills and its size. */
TEST(helpers_comm_prototype)
{
	const struct ubf_helper *h = ubf_env_helper(NULL, 16);

	ASSERT_TRUE(h != NULL);
	EXPECT_EQ_INT(h->proto.ret, UBF_RET_INTEGER);
	EXPECT_EQ_INT(h->proto.args[0], UBF_ARG_MEM_UNINIT);
	EXPECT_EQ_INT(h->proto.args[1], UBF_ARG_SIZE);
	EXPECT_EQ_INT(h->proto.args[2], UBF_ARG_NONE);
}

/* Run `call id; exit` on @e; the result is r0. */
static int call_helper(const struct vm_engine *e, int32_t id, uint8_t *mem, size_t mem_sz,
		       uint64_t *r0)
{
	struct tinsn t[] = { CALL(id), EXIT() };
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_diag diag = { .id = NULL };
	struct ubf_prog *prog = NULL;
	int err;

	err = vm_load(&prog, e, t, 2, NULL, 0, &diag);
	if (err)
		return err;
	ropts.diag = &diag;
	err = vm_run_prog(e, prog, mem, mem_sz, r0, &ropts);
	ubf_prog_free(prog);
	return err;
}

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The clock helpers read between two readings of the same clock. */
TEST(helpers_clocks)
{
	static const struct {
		int32_t id;
		clockid_t clock;
	} clocks[] = { { 5, CLOCK_MONOTONIC },
		       { 125, CLOCK_BOOTTIME },
		       { 160, CLOCK_MONOTONIC_COARSE } };
	size_t k, i;

	for (k = 0; k < VM_ENGINE_CNT; k++) {
		if (!vm_engine_available(&vm_engines[k]))
			continue;
		for (i = 0; i < UBF_ARRAY_SIZE(clocks); i++) {
			uint64_t before, after, r0 = 0;

			before = now_ns(clocks[i].clock);
			EXPECT_OK(call_helper(&vm_engines[k], clocks[i].id, NULL, 0, &r0));
			after = now_ns(clocks[i].clock);
			EXPECT_TRUE(before <= r0 && r0 <= after);
		}
	}
}

/* jiffies64 counts UBF_HZ ticks of the coarse monotonic clock. */
TEST(helpers_jiffies64)
{
	uint64_t j0 = 0, j1 = 0, c0, c1;
	struct timespec pause = { 0, 30 * 1000 * 1000 };
	size_t k;

	for (k = 0; k < VM_ENGINE_CNT; k++) {
		if (!vm_engine_available(&vm_engines[k]))
			continue;
		c0 = now_ns(CLOCK_MONOTONIC_COARSE) / (1000000000u / UBF_HZ);
		EXPECT_OK(call_helper(&vm_engines[k], 118, NULL, 0, &j0));
		nanosleep(&pause, NULL);
		EXPECT_OK(call_helper(&vm_engines[k], 118, NULL, 0, &j1));
		c1 = now_ns(CLOCK_MONOTONIC_COARSE) / (1000000000u / UBF_HZ);
		EXPECT_TRUE(c0 <= j0 && j0 <= j1 && j1 <= c1);
		/* 30 ms at 250 Hz is 7.5 ticks */
		EXPECT_TRUE(j1 - j0 >= 5 && j1 - j0 <= 100);
	}
}

TEST(helpers_task_ids)
{
	uint64_t want_pid_tgid = (uint64_t)getpid() << 32 | (uint32_t)gettid();
	uint64_t want_uid_gid = (uint64_t)getgid() << 32 | getuid();
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	size_t k;

	for (k = 0; k < VM_ENGINE_CNT; k++) {
		uint64_t r0 = 0;

		if (!vm_engine_available(&vm_engines[k]))
			continue;
		EXPECT_OK(call_helper(&vm_engines[k], 14, NULL, 0, &r0));
		EXPECT_EQ_U64(r0, want_pid_tgid);
		EXPECT_OK(call_helper(&vm_engines[k], 15, NULL, 0, &r0));
		EXPECT_EQ_U64(r0, want_uid_gid);
		EXPECT_OK(call_helper(&vm_engines[k], 8, NULL, 0, &r0));
		EXPECT_TRUE(r0 < (uint64_t)(cpus > 0 ? cpus : 1));
	}
}

/* The tid half is the calling thread's, not the process's. */
static void *pid_tgid_in_thread(void *p)
{
	uint64_t *r0 = p;

	if (call_helper(&vm_engines[VM_INTERP_CHECKED], 14, NULL, 0, r0))
		*r0 = 0;
	r0[1] = (uint64_t)getpid() << 32 | (uint32_t)gettid();
	return NULL;
}

TEST(helpers_pid_tgid_per_thread)
{
	uint64_t res[2] = { 0, 0 };
	pthread_t th;

	ASSERT_OK(pthread_create(&th, NULL, pid_tgid_in_thread, res));
	pthread_join(th, NULL);
	EXPECT_EQ_U64(res[0], res[1]);
	EXPECT_TRUE((uint32_t)res[0] != (uint32_t)getpid());
}

/*
 * get_current_comm copies at most size - 1 characters and zero-fills the
 * rest of the buffer (strscpy_pad), in every engine.
 */
TEST(helpers_current_comm)
{
	char saved[17] = { 0 };
	size_t k;

	prctl(PR_GET_NAME, saved, 0, 0, 0);
	ASSERT_OK(prctl(PR_SET_NAME, "ubf-comm-test", 0, 0, 0));
	for (k = 0; k < VM_ENGINE_CNT; k++) {
		uint8_t buf[20], want[20];
		uint64_t r0 = 1;

		if (!vm_engine_available(&vm_engines[k]))
			continue;
		memset(buf, 0xaa, sizeof(buf));
		memset(want, 0, sizeof(want));
		memcpy(want, "ubf-comm-test", 13);
		EXPECT_OK(call_helper(&vm_engines[k], 16, buf, sizeof(buf), &r0));
		EXPECT_EQ_U64(r0, 0);
		EXPECT_TRUE(memcmp(buf, want, sizeof(buf)) == 0);

		memset(buf, 0xaa, sizeof(buf));
		EXPECT_OK(call_helper(&vm_engines[k], 16, buf, 4, &r0));
		EXPECT_EQ_U64(r0, 0);
		EXPECT_TRUE(memcmp(buf, "ubf\0\xaa", 5) == 0);
	}
	prctl(PR_SET_NAME, saved, 0, 0, 0);
}

/*
 * get_prandom_u32: 32-bit values that vary within a run and between runs.
 * The program stores 64 draws into the memory (with 64 draws a bit that
 * never changes has probability 2^-63: the test does not flake).
 */
static int draw64(const struct vm_engine *e, uint32_t out[64])
{
	static const struct tinsn t[] = {
		MOV_X(6, 1), MOV_K(7, 0), MOV_K(8, 0), CALL(7), MEM(STXW, 6, 0, 0),
		ALU_K(RSH64_IMM, 0, 32), ALU_X(OR64_REG, 8, 0), ALU_K(ADD64_IMM, 6, 4),
		ALU_K(ADD64_IMM, 7, 1), JMP_K(JLT64_IMM, 7, 64, -7), MOV_X(0, 8), EXIT(),
	};
	uint64_t r0 = 1;
	int err;

	err = vm_run(e, t, UBF_ARRAY_SIZE(t), NULL, (const uint8_t *)out, 256, (uint8_t *)out, &r0,
		     NULL);
	/* r0 collects the high halves of the draws: all zero */
	return err ? err : (int)r0;
}

TEST(helpers_prandom)
{
	size_t k;

	for (k = 0; k < VM_ENGINE_CNT; k++) {
		uint32_t a[64] = { 0 }, b[64] = { 0 }, ones = 0, zeros = 0;
		size_t i, same = 0, distinct = 0;

		if (!vm_engine_available(&vm_engines[k]))
			continue;
		EXPECT_OK(draw64(&vm_engines[k], a));
		EXPECT_OK(draw64(&vm_engines[k], b));
		for (i = 0; i < 64; i++) {
			ones |= a[i];
			zeros |= ~a[i];
			same += a[i] == b[i];
			distinct += i > 0 && a[i] != a[i - 1];
		}
		/* every bit takes both values, draws differ, runs differ */
		EXPECT_EQ_U64(ones, 0xffffffff);
		EXPECT_EQ_U64(zeros, 0xffffffff);
		EXPECT_TRUE(distinct >= 60);
		EXPECT_TRUE(same <= 1);
	}
}

/* The generator is the run's: seeding happens on first use and never touches another run. */
TEST(helpers_prandom_state_is_per_run)
{
	struct ubf_run a, b;
	uint64_t x, y;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	x = ubf_helper_get_prandom_u32(0, 0, 0, 0, 0, &a);
	EXPECT_TRUE(a.prng_state != 0);
	EXPECT_TRUE(b.prng_state == 0);
	EXPECT_TRUE(x <= UINT32_MAX);
	b.prng_state = a.prng_state;
	x = ubf_helper_get_prandom_u32(0, 0, 0, 0, 0, &a);
	y = ubf_helper_get_prandom_u32(0, 0, 0, 0, 0, &b);
	EXPECT_EQ_U64(x, y);
}
