// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_vm_prog_areas.c - the fast paths of checked runs' map access: value
 * areas a program gets at load (ubf_prog_add_area()), which spare lookups
 * the grant and helpers the liveness check but still hide a hash map's keys
 * and links and keep read-only values read-only; the last-hit area cache of
 * ubf_run_check_mem(), which must not outlive its run nor carry one
 * program's area over to another (a tail call); the division-free place in
 * an element, compared with the plain remainder; and hash lookups without
 * the bucket lock, which must still find every key while other threads
 * insert and delete.
 */
#include <pthread.h>
#include <stdlib.h>

#include "test_helpers_maps.h"

#include "maps/map.h"
#include "vm/vm.h"

#define ENG_LOOP(e)                                                                    \
	for (const struct vm_engine *e = vm_engines; e < vm_engines + VM_ENGINE_CNT; e++) \
		if (vm_engine_available(e) && hm_is_checked(e))

/* The map's whole value area, as the bpf(2) layer hands it to a program it loads. */
static struct ubf_run_area map_area(const struct ubf_map *m, bool is_writable)
{
	struct ubf_map_area ma;

	m->ops->value_area(m, &ma);
	return (struct ubf_run_area){ .owner = m, .start = (uintptr_t)ma.start,
				      .end = (uintptr_t)ma.start + ma.size, .stride = ma.stride,
				      .off = ma.off, .len = ma.len, .is_writable = is_writable };
}

/* Keys 0..15 of a u32 -> u64 map of @type hold key + 100. */
static struct ubf_map *filled(uint32_t type)
{
	struct ubf_map *m = hm_map(type, 4, 8, 64);
	uint64_t v;
	uint32_t k;

	for (k = 0; m && k < 16; k++) {
		v = k + 100;
		if (ubf_map_update(m, &k, &v, 0)) {
			ubf_map_free(m);
			return NULL;
		}
	}
	return m;
}

/* Load @t on @e, give it @m's area (writable when @w), run it with @mem. */
static int run_with_area(const struct vm_engine *e, const struct tinsn *t, size_t cnt,
			 struct ubf_map *m, bool w, uint64_t mem[4], struct hm_run *res)
{
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_prog *prog = NULL;
	struct ubf_run_area a;
	int err;

	memset(&res->diag, 0, sizeof(res->diag));
	err = vm_load(&prog, e, t, cnt, NULL, 0, &res->diag);
	if (err)
		return err;
	if (m) {
		a = map_area(m, w);
		err = ubf_prog_add_area(prog, &a);
		if (err) {
			ubf_prog_free(prog);
			return err;
		}
	}
	ropts.diag = &res->diag;
	res->err = vm_run_prog(e, prog, mem, 4 * sizeof(uint64_t), &res->r0, &ropts);
	ubf_prog_free(prog);
	return 0;
}

/* key 3 looked up; then the instructions given run with r0 the value pointer */
#define LOOKUP3(m, ...)                                                                  \
	PROG(ST_K(STW, 10, -4, 3), MAP(1, m), FP(2, -4), CALL(1), JMP_K(JEQ64_IMM, 0, 0, 1), \
	     __VA_ARGS__, EXIT())
/* the same with map_lookup_percpu_elem() for CPU 0: its slot follows the key */
#define LOOKUP3_CPU0(m, ...)                                                             \
	PROG(ST_K(STW, 10, -4, 3), MAP(1, m), FP(2, -4), MOV_K(3, 0), CALL(195),            \
	     JMP_K(JEQ64_IMM, 0, 0, 1), __VA_ARGS__, EXIT())

/* A program's own area: the value reads and writes, the key next to it faults. */
TEST(vm_prog_areas_hash_value_not_key)
{
	static const uint32_t types[] = { UBF_MAP_HASH, UBF_MAP_LRU_HASH, UBF_MAP_PERCPU_HASH };
	uint64_t mem[4] = { 0 };
	struct hm_run r;
	size_t i;

	ENG_LOOP(e)
	{
		for (i = 0; i < UBF_ARRAY_SIZE(types); i++) {
			struct ubf_map *m = filled(types[i]);

			ASSERT_TRUE(m != NULL);
			ASSERT_OK(run_with_area(e, LOOKUP3(m, ST_K(STDW, 0, 0, 7), LDX64(0, 0, 0)),
						m, true, mem, &r));
			EXPECT_OK(r.err);
			EXPECT_EQ_U64(r.r0, 7);
			if (types[i] == UBF_MAP_PERCPU_HASH)
				ASSERT_OK(run_with_area(e, LOOKUP3_CPU0(m, LDX64(0, 0, -8)), m, true,
							mem, &r));
			else
				ASSERT_OK(run_with_area(e, LOOKUP3(m, LDX64(0, 0, -8)), m, true, mem,
							&r));
			EXPECT_ERR(-EFAULT, r.err);
			EXPECT_STREQ(r.diag.id, "run.mem_oob");
			EXPECT_EQ_INT(r.diag.insn_idx, types[i] == UBF_MAP_PERCPU_HASH ? 8 : 7);
			ubf_map_free(m);
		}
	}
}

/* A read-only area (BPF_F_RDONLY_PROG) reads, and a write faults as read-only. */
TEST(vm_prog_areas_readonly)
{
	uint64_t mem[4] = { 0 };
	struct hm_run r;

	ENG_LOOP(e)
	{
		UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4, .value_size = 8,
			 .max_entries = 8, .map_flags = UBF_F_RDONLY_PROG);
		struct ubf_map *m = NULL;
		uint64_t v = 103;
		uint32_t k = 3;

		ASSERT_OK(ubf_map_create(&m, &a));
		ASSERT_OK(ubf_map_update(m, &k, &v, 0));
		ASSERT_OK(run_with_area(e, LOOKUP3(m, LDX64(0, 0, 0)), m, false, mem, &r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 103);
		ASSERT_OK(run_with_area(e, LOOKUP3(m, ST_K(STDW, 0, 0, 1)), m, false, mem, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_readonly");
		ubf_map_free(m);
	}
}

/*
 * A value's address handed to a program that names no map (in its context
 * memory): the other program's area is not its own, so the read faults.
 */
TEST(vm_prog_areas_belong_to_their_program)
{
	uint64_t mem[4] = { 0 };
	struct hm_run r;
	uint32_t k = 5;

	ENG_LOOP(e)
	{
		struct ubf_map *m = filled(UBF_MAP_HASH);

		ASSERT_TRUE(m != NULL);
		mem[0] = (uint64_t)(uintptr_t)ubf_map_lookup(m, &k);
		ASSERT_TRUE(mem[0] != 0);
		/* with the area the same read works, without it faults */
		ASSERT_OK(run_with_area(e, PROG(LDX64(1, 1, 0), LDX64(0, 1, 0), EXIT()), m, true, mem,
					&r));
		EXPECT_OK(r.err);
		EXPECT_EQ_U64(r.r0, 105);
		ASSERT_OK(run_with_area(e, PROG(LDX64(1, 1, 0), LDX64(0, 1, 0), EXIT()), NULL, true,
					mem, &r));
		EXPECT_ERR(-EFAULT, r.err);
		EXPECT_STREQ(r.diag.id, "run.mem_oob");
		ubf_map_free(m);
	}
}

/* A checked run of a trivial program, and a second program for tail-call swaps. */
struct two_progs {
	struct ubf_prog *a, *b;
	struct ubf_run *run;
	struct ubf_diag diag;
};

static int two_progs_init(struct two_progs *t)
{
	const struct vm_engine *e = &vm_engines[VM_INTERP_CHECKED];
	int err;

	memset(t, 0, sizeof(*t));
	t->run = malloc(sizeof(*t->run));
	if (!t->run)
		return -ENOMEM;
	err = vm_load(&t->a, e, PROG(MOV_K(0, 0), EXIT()), NULL, 0, NULL);
	if (!err)
		err = vm_load(&t->b, e, PROG(MOV_K(0, 0), EXIT()), NULL, 0, NULL);
	return err;
}

static void two_progs_fini(struct two_progs *t)
{
	ubf_prog_free(t->a);
	ubf_prog_free(t->b);
	free(t->run);
}

static int check(struct two_progs *t, uint64_t addr, uint64_t size, bool is_write)
{
	memset(&t->diag, 0, sizeof(t->diag));
	t->run->diag = &t->diag;
	t->run->err = 0;
	return ubf_run_check_mem(t->run, addr, size, is_write, 0);
}

/*
 * The last-hit cache: an area of program A stops counting once the run
 * runs B (a tail call), and a new run starts without it; an area granted
 * to the run itself stays for the whole run, whichever program runs.
 */
TEST(vm_prog_areas_cache_scope)
{
	struct ubf_run_area pa = { .owner = (void *)0x1000, .start = 0x100000, .end = 0x100000 + 240,
				   .stride = 24, .off = 16, .len = 8, .is_writable = true };
	struct ubf_run_area ga = pa;
	struct two_progs t;

	ASSERT_OK(two_progs_init(&t));
	ASSERT_OK(ubf_prog_add_area(t.a, &pa));
	ubf_run_init(t.run, t.a, NULL, 0, NULL);
	EXPECT_OK(check(&t, 0x100000 + 24 * 3 + 16, 8, true));
	EXPECT_OK(check(&t, 0x100000 + 24 * 3 + 16, 8, false));
	EXPECT_ERR(-EFAULT, check(&t, 0x100000 + 24 * 3 + 8, 8, false));	/* a key */
	EXPECT_ERR(-EFAULT, check(&t, 0x100000 + 24 * 3 + 20, 8, false));	/* straddles */
	EXPECT_ERR(-EFAULT, check(&t, 0x100000 + 240, 8, false));		/* past the end */
	EXPECT_OK(check(&t, 0x100000 + 16, 8, false));
	/* a tail call to B: A's area (cached now) no longer counts */
	t.run->prog = t.b;
	EXPECT_ERR(-EFAULT, check(&t, 0x100000 + 16, 8, false));
	EXPECT_STREQ(t.diag.id, "run.mem_oob");
	/* back on A the area counts again */
	t.run->prog = t.a;
	EXPECT_OK(check(&t, 0x100000 + 16, 8, false));
	/* a fresh run of B has no cache left from A */
	ubf_run_init(t.run, t.b, NULL, 0, NULL);
	EXPECT_ERR(-EFAULT, check(&t, 0x100000 + 16, 8, false));
	/* a grant to the run holds across the swap (cached with no program) */
	ga.owner = (void *)0x2000;
	ga.start = 0x200000;
	ga.end = 0x200000 + 240;
	ASSERT_OK(ubf_run_grant_area(t.run, &ga));
	EXPECT_OK(check(&t, 0x200000 + 40, 8, false));
	t.run->prog = t.a;
	EXPECT_OK(check(&t, 0x200000 + 40, 8, false));
	EXPECT_OK(check(&t, 0x200000 + 64, 8, false));
	two_progs_fini(&t);
}

/* The cache keeps its access: a read-only area's write still faults after a read hit it. */
TEST(vm_prog_areas_cache_readonly)
{
	struct ubf_run_area pa = { .owner = (void *)0x1000, .start = 0x100000, .end = 0x100000 + 64,
				   .stride = 8, .off = 0, .len = 8, .is_writable = false };
	struct two_progs t;

	ASSERT_OK(two_progs_init(&t));
	ASSERT_OK(ubf_prog_add_area(t.a, &pa));
	ubf_run_init(t.run, t.a, NULL, 0, NULL);
	EXPECT_OK(check(&t, 0x100000 + 8, 8, false));
	EXPECT_ERR(-EFAULT, check(&t, 0x100000 + 8, 8, true));
	EXPECT_STREQ(t.diag.id, "run.mem_readonly");
	two_progs_fini(&t);
}

/* ubf_prog_add_area(): found by owner among many, layouts checked, access narrowed. */
TEST(vm_prog_areas_add)
{
	struct ubf_run_area a = { .start = 0x100000, .end = 0x100000 + 64, .stride = 16, .off = 8,
				  .len = 8, .is_writable = true };
	const struct ubf_run_area *f;
	struct two_progs t;
	uintptr_t i;

	ASSERT_OK(two_progs_init(&t));
	/* owners in a scrambled order */
	for (i = 0; i < 40; i++) {
		a.owner = (void *)(0x1000 + ((i * 17) % 40) * 8);
		ASSERT_OK(ubf_prog_add_area(t.a, &a));
	}
	EXPECT_EQ_INT(t.a->obj_area_cnt, 40);
	for (i = 0; i < 40; i++) {
		f = ubf_prog_find_area(t.a, (void *)(0x1000 + i * 8));
		EXPECT_TRUE(f != NULL && f->owner == (void *)(0x1000 + i * 8));
	}
	EXPECT_TRUE(ubf_prog_find_area(t.a, (void *)0xfff) == NULL);
	EXPECT_TRUE(ubf_prog_find_area(t.a, (void *)(0x1000 + 40 * 8)) == NULL);
	EXPECT_TRUE(ubf_prog_find_area(t.b, (void *)0x1000) == NULL);
	/* the same owner again: read-only wins; another layout is refused */
	a.owner = (void *)0x1000;
	a.is_writable = false;
	EXPECT_OK(ubf_prog_add_area(t.a, &a));
	EXPECT_EQ_INT(t.a->obj_area_cnt, 40);
	EXPECT_TRUE(!ubf_prog_find_area(t.a, (void *)0x1000)->is_writable);
	a.len = 4;
	EXPECT_ERR(-EINVAL, ubf_prog_add_area(t.a, &a));
	/* values outside the stride, or an area that wraps around */
	a.owner = (void *)0x9000;
	a.len = 9;
	EXPECT_ERR(-EINVAL, ubf_prog_add_area(t.a, &a));
	a.len = 8;
	a.end = a.start - 1;
	EXPECT_ERR(-EINVAL, ubf_prog_add_area(t.a, &a));
	/* a map with no value area: known, but no memory */
	a.end = a.start;
	EXPECT_OK(ubf_prog_add_area(t.a, &a));
	ubf_run_init(t.run, t.a, NULL, 0, NULL);
	EXPECT_TRUE(!ubf_run_has_area(t.run, (void *)0x9000, false));
	EXPECT_TRUE(ubf_run_has_area(t.run, (void *)0x1008, true));
	EXPECT_TRUE(!ubf_run_has_area(t.run, (void *)0x1000, true));
	EXPECT_TRUE(ubf_run_has_area(t.run, (void *)0x1000, false));
	two_progs_fini(&t);
}

/* Reference: may an access at @addr of @size bytes go into @a? */
static bool ref_allows(const struct ubf_run_area *a, uint64_t addr, uint64_t size)
{
	uint64_t rel;

	if (addr < a->start || addr + size > a->end)
		return false;
	rel = (addr - a->start) % a->stride;
	return rel >= a->off && rel + size <= a->off + a->len;
}

/* The place in an element by multiplication equals the remainder, stride by stride. */
TEST(vm_prog_areas_place_matches_remainder)
{
	static const uint64_t strides[] = { 1, 3, 7, 24, 40, 56, 72, 100, 136, 4095, 4104, 65544,
					    1000003 };
	struct two_progs t;
	uint64_t x = 88172645463325252ull;
	size_t i, j;

	ASSERT_OK(two_progs_init(&t));
	for (i = 0; i < UBF_ARRAY_SIZE(strides); i++) {
		uint64_t s = strides[i], n = s < 100 ? 5000 : 3000000000ull / s;
		struct ubf_run_area a = { .owner = (void *)(uintptr_t)(i + 1), .start = 0x10000000,
					  .stride = s, .is_writable = true };

		a.end = a.start + s * n;
		a.off = s > 8 ? s / 3 : 0;
		a.len = s - a.off > 16 ? 16 : s - a.off;
		ubf_run_init(t.run, t.a, NULL, 0, NULL);
		ASSERT_OK(ubf_run_grant_area(t.run, &a));
		EXPECT_TRUE(s == 1 || t.run->areas[0].mod_magic != 0);
		for (j = 0; j < 20000; j++) {
			uint64_t addr, size = 1u << (j % 4);

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			addr = a.start - 8 + x % (a.end - a.start + 16);
			if (!(j % 3))	/* near the values' edges */
				addr = a.start + (x % n) * s + a.off + a.len - (x >> 40) % 9;
			if (ref_allows(&a, addr, size) != !check(&t, addr, size, false)) {
				EXPECT_TRUE(!"area check differs from the remainder");
				break;
			}
		}
	}
	two_progs_fini(&t);
}

/* ---------------------------------------------------------------- lockless hash lookups */

struct churn {
	struct ubf_map *map;
	uint32_t keys[40];
	volatile int *stop;
	int errors;
};

/*
 * @n keys from @from on that share a bucket with one of keys 0..15 in a
 * zero-seed map of 128 buckets (hash.c: the hash's low bits pick the bucket;
 * bit 31 is the bucket lock), so the churn runs through the chains the
 * lookups walk.
 */
static uint32_t colliding_keys(uint32_t from, uint32_t *out, uint32_t n)
{
	uint32_t k, s, got = 0;

	for (k = from; got < n; k++) {
		uint32_t b = ubf_map_hash(&k, 4, 0) & 127;

		for (s = 0; s < 16; s++) {
			if ((ubf_map_hash(&s, 4, 0) & 127) == b) {
				out[got++] = k;
				break;
			}
		}
	}
	return k;
}

/* Insert and delete keys of our own, so that elements move between buckets. */
static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	uint64_t v = 1;
	uint32_t i, k;

	while (!*c->stop) {
		for (i = 0; i < 40; i++) {
			k = c->keys[i];
			if (ubf_map_update(c->map, &k, &v, 0))
				c->errors++;
		}
		for (i = 0; i < 40; i++) {
			k = c->keys[i];
			if (ubf_map_delete(c->map, &k))
				c->errors++;
		}
	}
	return NULL;
}

/*
 * Program-side lookups of keys nobody removes find them, with their values,
 * however the other threads move elements around: a lockless walk that
 * loses its chain falls back to the locked one.
 */
TEST(vm_prog_areas_lockless_lookup_under_churn)
{
	static const uint32_t types[] = { UBF_MAP_HASH, UBF_MAP_LRU_HASH };
	struct churn c[2];
	pthread_t th[2];
	volatile int stop;
	uint64_t *v, bad;
	uint32_t k, n;
	size_t i;
	int j;

	for (i = 0; i < UBF_ARRAY_SIZE(types); i++) {
		UBF_OPTS(ubf_map_attr, a, .map_type = types[i], .key_size = 4, .value_size = 8,
			 .max_entries = 128, .map_flags = UBF_F_ZERO_SEED);
		struct ubf_map *m = NULL;

		ASSERT_OK(ubf_map_create(&m, &a));
		for (k = 0; k < 16; k++) {
			uint64_t val = k + 100;

			ASSERT_OK(ubf_map_update(m, &k, &val, 0));
		}
		stop = 0;
		k = 1000;
		for (j = 0; j < 2; j++) {
			c[j] = (struct churn){ .map = m, .stop = &stop };
			k = colliding_keys(k, c[j].keys, 40);
			ASSERT_TRUE(!pthread_create(&th[j], NULL, churn_fn, &c[j]));
		}
		bad = 0;
		for (n = 0; n < 300000; n++) {
			k = n % 16;
			v = ubf_map_lookup(m, &k);
			if (!v || *v != k + 100)
				bad++;
		}
		stop = 1;
		for (j = 0; j < 2; j++) {
			pthread_join(th[j], NULL);
			EXPECT_EQ_INT(c[j].errors, 0);
		}
		EXPECT_EQ_U64(bad, 0);
		ubf_map_free(m);
	}
}
