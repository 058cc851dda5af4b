// SPDX-License-Identifier: BSD-2-Clause
/*
 * stack_trace.c - BPF_MAP_TYPE_STACK_TRACE: stack ids (u32 keys) to stack
 * traces (value_size / 8 u64 instruction pointers, or 32-byte struct
 * bpf_stack_build_id records with BPF_F_STACK_BUILD_ID).  Only programs add
 * traces, through ubf_stack_trace_store() (bpf_get_stackid()): the id is
 * the trace's hash masked to a power-of-2 bucket count, as in Linux; user
 * space looks up, deletes and iterates ids, and its updates are -EINVAL.
 *
 * Shared layout: a control block (free list, bump allocator), the bucket
 * words (bit 31: the bucket's spin lock, bits 0-30: trace index + 1), then
 * max_entries trace slots {hash, nr, entries}.  As in Linux only
 * max_entries traces exist at once, so a store into an empty bucket can fail
 * with -ENOMEM while other buckets are free; a REUSE replacement rewrites
 * the bucket's slot in place and always succeeds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define STACK_FLAGS (UBF_F_NUMA_NODE | UBF_F_RDONLY | UBF_F_WRONLY | UBF_F_STACK_BUILD_ID)
#define STACK_MAX_DEPTH 127u		/* Linux sysctl_perf_event_max_stack default */
#define BUILD_ID_ENTRY_SZ 32u		/* struct bpf_stack_build_id */
#define BUCKET_LOCK (1u << 31)
#define STACKID_FLAGS (UBF_STACKID_SKIP_MASK | UBF_STACKID_USER_STACK | \
		       UBF_STACKID_FAST_CMP | UBF_STACKID_REUSE)

struct stack_ctl {
	uint32_t free_lock;
	uint32_t free_head;	/* trace index + 1, linked through hash; 0: empty */
	uint32_t next_unused;	/* traces [next_unused, max_entries) were never used */
	uint32_t reserved;
};

struct stack_trace {
	uint32_t hash;
	uint32_t nr;		/* entries stored */
	uint8_t entries[];	/* value_size bytes */
};

struct stack_map {
	struct ubf_map map;
	uint32_t n_buckets;
	uint32_t entry_sz;	/* 8, or 32 with UBF_F_STACK_BUILD_ID */
	uint64_t trace_sz;
	uint64_t traces_off;
};

static struct stack_map *to_stack(const struct ubf_map *map)
{
	return ubf_container_of(map, struct stack_map, map);
}

static struct stack_ctl *ctl(const struct stack_map *sm)
{
	return (struct stack_ctl *)(void *)sm->map.data;
}

static uint32_t *bucket(const struct stack_map *sm, uint32_t id)
{
	return (uint32_t *)(void *)(sm->map.data + sizeof(struct stack_ctl)) + id;
}

static struct stack_trace *trace(const struct stack_map *sm, uint32_t ref)
{
	return (struct stack_trace *)(void *)(sm->map.data + sm->traces_off +
					      (uint64_t)(ref - 1) * sm->trace_sz);
}

/* Lock bucket @b; returns its trace reference (index + 1, 0: empty). */
static uint32_t bucket_lock(uint32_t *b)
{
	uint32_t old;

	for (;;) {
		old = __atomic_fetch_or(b, BUCKET_LOCK, __ATOMIC_ACQUIRE);
		if (!(old & BUCKET_LOCK))
			return old;
		while (__atomic_load_n(b, __ATOMIC_RELAXED) & BUCKET_LOCK)
			sched_yield();
	}
}

static void bucket_unlock(uint32_t *b, uint32_t ref)
{
	__atomic_store_n(b, ref, __ATOMIC_RELEASE);
}

static uint32_t trace_alloc(const struct stack_map *sm)
{
	struct stack_ctl *c = ctl(sm);
	uint32_t ref = 0;

	ubf_spin_lock(&c->free_lock);
	if (c->free_head) {
		ref = c->free_head;
		c->free_head = trace(sm, ref)->hash;
	} else if (c->next_unused < sm->map.max_entries) {
		ref = ++c->next_unused;
	}
	ubf_spin_unlock(&c->free_lock);
	return ref;
}

static void trace_release(const struct stack_map *sm, uint32_t ref)
{
	struct stack_ctl *c = ctl(sm);

	ubf_spin_lock(&c->free_lock);
	trace(sm, ref)->hash = c->free_head;
	c->free_head = ref;
	ubf_spin_unlock(&c->free_lock);
}

/* ---------------------------------------------------------------- program side */

/*
 * Linux __bpf_get_stackid(): the bucket of the trace's hash holds either
 * nothing (store), this trace (its id), or another one: -EEXIST unless
 * UBF_STACKID_REUSE replaces it.  UBF_STACKID_FAST_CMP trusts equal hashes.
 */
int ubf_stack_trace_store(struct ubf_map *map, const void *entries, uint32_t nr, uint64_t flags)
{
	struct stack_map *sm = to_stack(map);
	uint32_t max = map->value_size / sm->entry_sz, hash, id, *b, cur, ref;
	struct stack_trace *t;
	size_t len;

	if (map->ops != &ubf_stack_trace_map_ops || (flags & ~(uint64_t)STACKID_FLAGS))
		return -EINVAL;
	if (!nr || !entries)
		return -EFAULT;
	if (nr > max)
		nr = max;
	len = (size_t)nr * sm->entry_sz;
	hash = ubf_map_hash(entries, len, 0);
	id = hash & (sm->n_buckets - 1);
	b = bucket(sm, id);
	cur = bucket_lock(b);
	if (cur) {
		t = trace(sm, cur);
		if (t->hash == hash && ((flags & UBF_STACKID_FAST_CMP) ||
					(t->nr == nr && !memcmp(t->entries, entries, len)))) {
			bucket_unlock(b, cur);
			return (int)id;
		}
		if (!(flags & UBF_STACKID_REUSE)) {
			bucket_unlock(b, cur);
			return -EEXIST;
		}
	}
	/* readers copy under the bucket lock, so a replaced trace is rewritten in place */
	ref = cur ? cur : trace_alloc(sm);
	if (!ref) {
		bucket_unlock(b, cur);
		return -ENOMEM;
	}
	t = trace(sm, ref);
	t->hash = hash;
	t->nr = nr;
	memcpy(t->entries, entries, len);
	bucket_unlock(b, ref);
	return (int)id;
}

/* ---------------------------------------------------------------- user side */

static int read_id(const struct stack_map *sm, const void *key, uint32_t *idp)
{
	memcpy(idp, key, sizeof(*idp));
	return *idp < sm->n_buckets ? 0 : -ENOENT;
}

/* Linux bpf_stackmap_copy(): the stored entries, the rest of the value zeroed. */
static int stack_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	struct stack_map *sm = to_stack(map);
	uint32_t id, *b, cur;
	size_t len;

	(void)flags;	/* UBF_F_LOCK needs a spin lock, which stack traces cannot hold */
	if (read_id(sm, key, &id))
		return -ENOENT;
	b = bucket(sm, id);
	cur = bucket_lock(b);
	if (cur) {
		len = (size_t)trace(sm, cur)->nr * sm->entry_sz;
		memcpy(value, trace(sm, cur)->entries, len);
		memset((uint8_t *)value + len, 0, map->value_size - len);
	}
	bucket_unlock(b, cur);
	return cur ? 0 : -ENOENT;
}

static int stack_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	(void)map, (void)key, (void)value, (void)flags;
	return -EINVAL;
}

static int stack_delete(struct ubf_map *map, const void *key)
{
	struct stack_map *sm = to_stack(map);
	uint32_t id, *b, cur;

	if (read_id(sm, key, &id))
		return -ENOENT;
	b = bucket(sm, id);
	cur = bucket_lock(b);
	bucket_unlock(b, 0);
	if (!cur)
		return -ENOENT;
	trace_release(sm, cur);
	return 0;
}

/* Linux stack_map_get_next_key(): ids ascending; NULL or an empty/bad id starts over. */
static int stack_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	const struct stack_map *sm = to_stack(map);
	uint32_t id = 0;

	if (key) {
		memcpy(&id, key, sizeof(id));
		if (id >= sm->n_buckets || !(__atomic_load_n(bucket(sm, id), __ATOMIC_ACQUIRE) &
					     ~BUCKET_LOCK))
			id = 0;
		else
			id++;
	}
	while (id < sm->n_buckets &&
	       !(__atomic_load_n(bucket(sm, id), __ATOMIC_ACQUIRE) & ~BUCKET_LOCK))
		id++;
	if (id >= sm->n_buckets)
		return -ENOENT;
	memcpy(next_key, &id, sizeof(id));
	return 0;
}

/* ---------------------------------------------------------------- creation */

/* Linux stack_map_alloc()'s checks. */
static int stack_check_attr(const struct ubf_map_attr *a)
{
	uint32_t entry_sz = (a->map_flags & UBF_F_STACK_BUILD_ID) ? BUILD_ID_ENTRY_SZ : 8;

	if (a->map_flags & ~STACK_FLAGS)
		return -EINVAL;
	if (!a->max_entries || a->key_size != 4 || a->value_size < 8 || a->value_size % 8)
		return -EINVAL;
	if (a->value_size % entry_sz || a->value_size / entry_sz > STACK_MAX_DEPTH)
		return -EINVAL;
	if (a->max_entries > (1u << 30))
		return -E2BIG;	/* Linux allows 2^31; our bucket words hold 31 bits */
	return 0;
}

static int stack_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct stack_map *sm = calloc(1, sizeof(*sm));

	if (!sm)
		return -ENOMEM;
	sm->entry_sz = (a->map_flags & UBF_F_STACK_BUILD_ID) ? BUILD_ID_ENTRY_SZ : 8;
	sm->n_buckets = 1;
	while (sm->n_buckets < a->max_entries)
		sm->n_buckets <<= 1;
	sm->trace_sz = sizeof(struct stack_trace) + a->value_size;
	sm->traces_off = ubf_round_up(sizeof(struct stack_ctl) + 4ull * sm->n_buckets, 8);
	sm->map.data_sz = sm->traces_off + sm->trace_sz * a->max_entries;
	if (sm->map.data_sz > UBF_MAP_DATA_MAX) {
		free(sm);
		return -ENOMEM;
	}
	*mapp = &sm->map;
	return 0;
}

static void stack_free(struct ubf_map *map)
{
	free(to_stack(map));
}

const struct ubf_map_ops ubf_stack_trace_map_ops = {
	.check_attr = stack_check_attr,
	.alloc = stack_alloc,
	.free = stack_free,
	.update = stack_update,
	.delete = stack_delete,
	.next_key = stack_next_key,
	.copy_out = stack_copy_out,
};
