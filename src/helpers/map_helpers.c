// SPDX-License-Identifier: BSD-2-Clause
/*
 * map_helpers.c - the helpers that work on map elements and on prog
 * arrays: lookup/update/delete, push/pop/peek, the per-CPU lookup, spin
 * locks, tail calls and perf_event_output.  A map argument is the struct
 * ubf_map * an lddw put in the register.  Trusted runs were verified and
 * call the maps module's program-side entry points directly; checked runs
 * first prove every pointer: the map is live and of a type the helper
 * takes, key and value buffers lie in the run's regions, and a value a
 * lookup hands back is granted to the run before the program may touch it.
 */
#define _GNU_SOURCE
#include "helpers/map_helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/rseq.h>
#include <time.h>

#include "maps/map.h"
#include "sys/perf.h"
#include "vm/vm.h"

/* Linux's bpf_perf_event_output() flags: BPF_F_INDEX_MASK, BPF_F_CURRENT_CPU, BPF_F_CTXLEN_MASK. */
#define PERF_INDEX_MASK 0xffffffffull
#define PERF_CURRENT_CPU PERF_INDEX_MASK
#define PERF_CTXLEN_MASK (0xfffffull << 32)

/* A checked run waits this long for a spin lock before it gives up with a fault. */
#define LOCK_TIMEOUT_NS 1000000000ull

/*
 * ubf_helper_check_map() for the element helpers: also hands back the
 * running program's entry for the map in *@pa (NULL when the program does
 * not name it), which both proves the map live and may spare the grant.
 */
static int check_map(struct ubf_run *run, uint64_t p, uint64_t types, const char *helper,
		     const struct ubf_run_area **pa)
{
	const struct ubf_map *map = (const struct ubf_map *)(uintptr_t)p;

	/* A map the running program names is held by it; any other must be open. */
	*pa = ubf_prog_find_area(run->prog, map);
	if (!*pa && !ubf_map_is_live(map))
		return ubf_run_fault(run, run->helper_pc, -EFAULT, "helper.bad_map",
				     "%s: 0x%" PRIx64 " is not a map of this process", helper, p);
	if (map->map_type >= 64 || !(types & UBF_MAP_TYPE_BIT(map->map_type)))
		return ubf_run_fault(run, run->helper_pc, -EINVAL, "helper.map_type",
				     "%s: map '%s' has type %u, which this helper does not take",
				     helper, map->hdr->name, map->map_type);
	return 0;
}

int ubf_helper_check_map(struct ubf_run *run, uint64_t p, uint64_t types, const char *helper)
{
	const struct ubf_run_area *pa;

	return check_map(run, p, types, helper, &pa);
}

int ubf_helper_check_buf(struct ubf_run *run, uint64_t addr, uint64_t size, bool is_write)
{
	return ubf_run_check_mem(run, addr, size, is_write, run->helper_pc);
}

/* Grant @value of @map, unless the program's own area @pa (may be NULL) covers it. */
static int grant_value(struct ubf_run *run, const struct ubf_map *map, const void *value,
		       const struct ubf_run_area *pa)
{
	bool is_writable = !(map->map_flags & UBF_F_RDONLY_PROG);
	struct ubf_map_area ma;

	if (pa && pa->end != pa->start && (pa->is_writable || !is_writable))
		return 0;
	/* Map-in-map lookups return the inner struct ubf_map *: only helpers may use it. */
	if (map->ops->has_inner_map || !run->is_checked || ubf_run_has_area(run, map, is_writable))
		return 0;
	/*
	 * All the map's values at once where the map says where they lie: a
	 * loop over many keys then holds one grant, not one per value.
	 */
	if (map->ops->value_area) {
		map->ops->value_area(map, &ma);
		struct ubf_run_area area = {
			.owner = map, .start = (uintptr_t)ma.start, .end = (uintptr_t)ma.start + ma.size,
			.stride = ma.stride, .off = ma.off, .len = ma.len,
			.is_writable = is_writable,
		};

		if (!ubf_run_grant_area(run, &area))
			return 0;
	}
	return ubf_run_grant(run, value, map->value_size, is_writable);
}

int ubf_helper_grant_value(struct ubf_run *run, const struct ubf_map *map, const void *value)
{
	return grant_value(run, map, value, NULL);
}

/*
 * The map in @p for a checked run, with @key_size bytes of key at @key
 * readable; *@pa as check_map().
 */
static struct ubf_map *checked_map_key(struct ubf_run *run, uint64_t p, uint64_t key,
				       uint64_t types, const char *helper,
				       const struct ubf_run_area **pa)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)p;

	if (check_map(run, p, types, helper, pa) ||
	    ubf_helper_check_buf(run, key, map->key_size, false))
		return NULL;
	return map;
}

/* Programs may not write a map created with BPF_F_RDONLY_PROG (the verifier's rule). */
static bool prog_may_write(const struct ubf_map *map)
{
	return !(map->map_flags & UBF_F_RDONLY_PROG);
}

uint64_t ubf_helper_map_lookup_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;
	const struct ubf_run_area *pa = NULL;
	void *value;

	(void)r3, (void)r4, (void)r5;
	if (run->is_checked &&
	    !checked_map_key(run, r1, r2, UBF_MAP_TYPES_ALL, "map_lookup_elem", &pa))
		return 0;
	value = ubf_map_lookup(map, (const void *)(uintptr_t)r2);
	if (value && run->is_checked && grant_value(run, map, value, pa))
		return 0;
	return (uint64_t)(uintptr_t)value;
}

uint64_t ubf_helper_map_update_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;
	const struct ubf_run_area *pa;

	(void)r5;
	if (run->is_checked) {
		if (!checked_map_key(run, r1, r2, UBF_MAP_TYPES_ALL, "map_update_elem", &pa) ||
		    ubf_helper_check_buf(run, r3, map->value_size, false))
			return (uint64_t)-EFAULT;
		if (!prog_may_write(map))
			return (uint64_t)-EPERM;
	}
	return (uint64_t)(int64_t)ubf_map_update(map, (const void *)(uintptr_t)r2,
						 (const void *)(uintptr_t)r3, r4);
}

uint64_t ubf_helper_map_delete_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;
	const struct ubf_run_area *pa;

	(void)r3, (void)r4, (void)r5;
	if (run->is_checked) {
		if (!checked_map_key(run, r1, r2, UBF_MAP_TYPES_ALL, "map_delete_elem", &pa))
			return (uint64_t)-EFAULT;
		if (!prog_may_write(map))
			return (uint64_t)-EPERM;
	}
	return (uint64_t)(int64_t)ubf_map_delete(map, (const void *)(uintptr_t)r2);
}

uint64_t ubf_helper_map_push_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;

	(void)r4, (void)r5;
	if (run->is_checked) {
		if (ubf_helper_check_map(run, r1, UBF_MAP_TYPES_PUSH, "map_push_elem") ||
		    ubf_helper_check_buf(run, r2, map->value_size, false))
			return (uint64_t)-EFAULT;
		if (!prog_may_write(map))
			return (uint64_t)-EPERM;
	}
	return (uint64_t)(int64_t)ubf_map_push(map, (const void *)(uintptr_t)r2, r3);
}

/* pop and peek: value_size bytes at @r2 written (a bloom filter's peek reads them). */
static struct ubf_map *checked_pop(struct ubf_run *run, uint64_t r1, uint64_t r2,
				   const char *helper)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;

	if (ubf_helper_check_map(run, r1, UBF_MAP_TYPES_PUSH, helper) ||
	    ubf_helper_check_buf(run, r2, map->value_size, true))
		return NULL;
	return map;
}

uint64_t ubf_helper_map_pop_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;

	(void)r3, (void)r4, (void)r5;
	if (run->is_checked && !checked_pop(run, r1, r2, "map_pop_elem"))
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)ubf_map_pop(map, (void *)(uintptr_t)r2);
}

uint64_t ubf_helper_map_peek_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;

	(void)r3, (void)r4, (void)r5;
	if (run->is_checked && !checked_pop(run, r1, r2, "map_peek_elem"))
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)ubf_map_peek(map, (void *)(uintptr_t)r2);
}

uint64_t ubf_helper_map_lookup_percpu_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					   uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;
	const struct ubf_run_area *pa = NULL;
	void *value;

	(void)r4, (void)r5;
	if (run->is_checked && !checked_map_key(run, r1, r2, UBF_MAP_TYPES_PERCPU,
						"map_lookup_percpu_elem", &pa))
		return 0;
	/* Linux takes the CPU as a u32; one past the last possible CPU finds nothing. */
	value = ubf_map_lookup_percpu(map, (const void *)(uintptr_t)r2, (uint32_t)r3);
	if (value && run->is_checked && grant_value(run, map, value, pa))
		return 0;
	return (uint64_t)(uintptr_t)value;
}

/* ---------------------------------------------------------------- spin locks */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A checked run's lock: one at a time (Linux's verifier rejects nesting),
 * in writable memory of the run, aligned; and a wait that ends in a fault
 * rather than hanging the process when an unverified program left a lock
 * held or locks a word that is no lock.  The protocol is ubf_spin_lock()'s:
 * 0 free, 1 held.
 */
static int checked_lock(struct ubf_run *run, uint64_t p)
{
	uint32_t *lock = (uint32_t *)(uintptr_t)p;
	uint64_t deadline = 0;

	if (run->held_lock)
		return ubf_run_fault(run, run->helper_pc, -EDEADLK, "helper.lock_nested",
				     "spin_lock: this run already holds the lock at %p",
				     run->held_lock);
	if (p & 3)
		return ubf_run_fault(run, run->helper_pc, -EFAULT, "helper.bad_lock",
				     "spin_lock: 0x%" PRIx64 " is not 4-byte aligned", p);
	if (ubf_helper_check_buf(run, p, 4, true))
		return -EFAULT;
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE)) {
		if (!deadline)
			deadline = now_ns() + LOCK_TIMEOUT_NS;
		else if (now_ns() > deadline)
			return ubf_run_fault(run, run->helper_pc, -EDEADLK, "helper.lock_timeout",
					     "spin_lock: the lock at 0x%" PRIx64
					     " stayed held for a second", p);
		sched_yield();
	}
	run->held_lock = lock;
	return 0;
}

uint64_t ubf_helper_spin_lock(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct ubf_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (run->is_checked)
		return (uint64_t)(int64_t)checked_lock(run, r1);
	ubf_spin_lock((uint32_t *)(uintptr_t)r1);
	return 0;
}

uint64_t ubf_helper_spin_unlock(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct ubf_run *run)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (run->is_checked) {
		if (run->held_lock != (void *)(uintptr_t)r1)
			return (uint64_t)(int64_t)ubf_run_fault(
				run, run->helper_pc, -EINVAL, "helper.bad_unlock",
				"spin_unlock: 0x%" PRIx64 " is not the lock this run holds", r1);
		run->held_lock = NULL;
	}
	ubf_spin_unlock((uint32_t *)(uintptr_t)r1);
	return 0;
}

void ubf_helper_run_end(struct ubf_run *run)
{
	uint32_t i;

	if (run->held_lock) {
		ubf_spin_unlock(run->held_lock);
		run->held_lock = NULL;
	}
	for (i = 0; i < run->rb_cnt; i++)
		ubf_ringbuf_discard(run->rb_records[i], 0);
	run->rb_cnt = 0;
}

/* ---------------------------------------------------------------- prog arrays */

/*
 * tail_call(ctx, prog_array, index): as Linux's interpreter, an index past
 * the array, a run that took UBF_MAX_TAIL_CALLS tail calls (the attempt
 * counts even when the slot is empty) or an empty slot fall through to
 * the next instruction; here r0 then says why (-E2BIG for an index or the
 * count, -ENOENT for an empty slot).  A program of another engine or mode
 * cannot take over this one (-EINVAL), nor can a tail call replace a
 * callback, which must return to its helper (-EINVAL).
 */
uint64_t ubf_helper_tail_call(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r2;
	const struct ubf_prog *next;
	uint32_t idx = (uint32_t)r3, id;

	(void)r1, (void)r4, (void)r5;
	if (run->is_checked && ubf_helper_check_map(run, r2, UBF_MAP_TYPE_BIT(UBF_MAP_PROG_ARRAY),
						    "tail_call"))
		return (uint64_t)-EFAULT;
	if (run->cb_depth)
		return (uint64_t)-EINVAL;
	if (idx >= map->max_entries || run->tail_call_cnt >= UBF_MAX_TAIL_CALLS)
		return (uint64_t)-E2BIG;
	run->tail_call_cnt++;
	if (ubf_map_lookup_elem(map, &idx, &id))
		return (uint64_t)-ENOENT;
	next = ubf_map_prog_by_id(id);
	if (!next)
		return (uint64_t)-ENOENT;
	if (next->engine != run->prog->engine ||
	    ((next->flags ^ run->prog->flags) & UBF_PROG_F_CHECKED))
		return (uint64_t)-EINVAL;
	run->tail_call = next;
	return 0;
}

/*
 * perf_event_output(ctx, perf_event_array, flags, data, size): Linux's
 * __bpf_perf_event_output().  The slot is flags' index, or the calling
 * CPU for BPF_F_CURRENT_CPU (sched_getcpu(), the CPU docs/bpf.md means);
 * -E2BIG past the array, -ENOENT for an empty slot, then what
 * ubf_perf_output() says: -EOPNOTSUPP when the event is disabled or
 * another CPU's, -ENOSPC when its ring is full (the sample counts as
 * lost).  -EINVAL for unknown flag bits; the BPF_F_CTXLEN_MASK bits of the
 * packet program types are accepted.
 */
uint64_t ubf_helper_perf_event_output(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r2;
	uint64_t index = r3 & PERF_INDEX_MASK;
	int cpu = sched_getcpu();
	uint32_t id;

	(void)r1;
	if (run->is_checked &&
	    (ubf_helper_check_map(run, r2, UBF_MAP_TYPE_BIT(UBF_MAP_PERF_EVENT_ARRAY),
				  "perf_event_output") ||
	     ubf_helper_check_buf(run, r4, r5, false)))
		return (uint64_t)-EFAULT;
	if (r3 & ~(PERF_INDEX_MASK | PERF_CTXLEN_MASK))
		return (uint64_t)-EINVAL;
	if (cpu < 0)
		cpu = 0;
	if (index == PERF_CURRENT_CPU)
		index = (uint64_t)cpu;
	if (index >= map->max_entries)
		return (uint64_t)-E2BIG;
	id = ubf_fd_array_slot(map, (uint32_t)index);
	if (!id)
		return (uint64_t)-ENOENT;
	return (uint64_t)(int64_t)ubf_perf_output(id, (uint32_t)cpu, (const void *)(uintptr_t)r4,
						  r5);
}

/* The calling thread's CPU as trusted code reads it: glibc's rseq area, if registered. */
static bool rseq_cpu_offset(intptr_t *off)
{
	if (!__rseq_size)
		return false;
	*off = (intptr_t)__rseq_offset + (intptr_t)offsetof(struct rseq, cpu_id);
	return true;
}

bool ubf_helper_direct(const struct ubf_helper *h, uintptr_t map_addr, struct ubf_helper_direct *out)
{
	const struct ubf_map *map = (const struct ubf_map *)map_addr;
	struct ubf_map_index ix;

	memset(out, 0, sizeof(*out));
	if (h->fn == ubf_helper_map_update_elem || h->fn == ubf_helper_map_delete_elem) {
		out->kind = UBF_HD_CALL;
		out->ret_int = true;
		out->fn = h->fn == ubf_helper_map_update_elem ? (const void *)ubf_map_update
							      : (const void *)ubf_map_delete;
		return true;
	}
	if (h->fn != ubf_helper_map_lookup_elem || map->ops->has_inner_map || !map->ops->lookup)
		return false;
	out->kind = UBF_HD_CALL;
	out->fn = (const void *)map->ops->lookup;
	if (!map->ops->index_layout || map->key_size != sizeof(uint32_t))
		return true;
	map->ops->index_layout(map, &ix);
	if (ix.stride > INT32_MAX || ix.cpu_stride > INT32_MAX ||
	    (ix.cpu_stride && !rseq_cpu_offset(&out->rseq_cpu)))
		return true;
	out->kind = UBF_HD_ARRAY;
	out->base = (uintptr_t)ix.base;
	out->max_entries = map->max_entries;
	out->stride = (uint32_t)ix.stride;
	out->cpu_stride = (uint32_t)ix.cpu_stride;
	out->ncpu = map->ncpu;
	return true;
}

/* Linux BPF_F_BROADCAST, BPF_F_EXCLUDE_INGRESS (devmaps only) and the XDP verdicts. */
#define REDIRECT_BROADCAST (1ull << 3)
#define REDIRECT_EXCLUDE_INGRESS (1ull << 4)
#define XDP_ACTION_MASK 3ull	/* XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX */
#define XDP_VERDICT_ABORTED 0ull
#define XDP_VERDICT_REDIRECT 4ull
#define REDIRECT_MAP_TYPES                                                                     \
	(UBF_MAP_TYPE_BIT(UBF_MAP_DEVMAP) | UBF_MAP_TYPE_BIT(UBF_MAP_DEVMAP_HASH) |            \
	 UBF_MAP_TYPE_BIT(UBF_MAP_CPUMAP) | UBF_MAP_TYPE_BIT(UBF_MAP_XSKMAP))

/*
 * redirect_map(map, index, flags), Linux's __bpf_xdp_redirect_map():
 * XDP_REDIRECT when slot @index (as a u32) is set, or for a devmap
 * broadcast; otherwise the action in the flags' low two bits; XDP_ABORTED
 * for flags the map type does not know.  As in Linux's test runs, the
 * verdict is all: no frame leaves.
 */
uint64_t ubf_helper_redirect_map(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;
	uint64_t allowed = XDP_ACTION_MASK;
	uint32_t key = (uint32_t)r2;

	(void)r4, (void)r5;
	if (run->is_checked && ubf_helper_check_map(run, r1, REDIRECT_MAP_TYPES, "redirect_map"))
		return XDP_VERDICT_ABORTED;
	if (map->map_type == UBF_MAP_DEVMAP || map->map_type == UBF_MAP_DEVMAP_HASH)
		allowed |= REDIRECT_BROADCAST | REDIRECT_EXCLUDE_INGRESS;
	if (r3 & ~allowed)
		return XDP_VERDICT_ABORTED;
	if (!ubf_map_lookup(map, &key) && !(r3 & REDIRECT_BROADCAST))
		return r3 & XDP_ACTION_MASK;
	return XDP_VERDICT_REDIRECT;
}
