// SPDX-License-Identifier: BSD-2-Clause
/*
 * map.c - the one place for the rules every map type shares: the type
 * registry built from maps.def, attribute checks common to all types (name,
 * access flags, map_extra, spin lock), the file layout (data at offset 0,
 * header in the last page), opening a map from its fd, freeze and access
 * permissions, update-flag validation, -EOPNOTSUPP for missing ops, the
 * value spin lock, the batch operations composed from element ops, the
 * process-wide set of live maps checked runs test map arguments against,
 * and the resolver through which map-in-map and prog-array ids become
 * objects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maps/map.h"
#include "util/opts.h"

static const struct {
	uint32_t id;
	const struct ubf_map_ops *ops;
} map_types[] = {
#define UBF_MAP_TYPE(name, id_, ops_) { .id = (id_), .ops = &(ops_) },
#include "maps/maps.def"
#undef UBF_MAP_TYPE
};

static const struct ubf_map_ops *find_ops(uint32_t type)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(map_types); i++) {
		if (map_types[i].id == type)
			return map_types[i].ops;
	}
	return NULL;
}

unsigned int ubf_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (unsigned int)n : 1;
}

uint32_t ubf_map_cpu_slow(void)
{
	int cpu = sched_getcpu();

	return cpu < 0 ? 0 : (uint32_t)cpu;
}



void ubf_map_copy_value(const struct ubf_map *map, void *dst, const void *src)
{
	uint32_t off;

	if (map->lock_off < 0) {
		/* the common small values as single moves, not a call */
		if (map->value_size == 8)
			memcpy(dst, src, 8);
		else if (map->value_size == 4)
			memcpy(dst, src, 4);
		else
			memcpy(dst, src, map->value_size);
		return;
	}
	off = (uint32_t)map->lock_off;
	memcpy(dst, src, off);
	memcpy((uint8_t *)dst + off + 4, (const uint8_t *)src + off + 4,
	       map->value_size - off - 4);
}

void ubf_map_copy_value_locked(const struct ubf_map *map, void *dst, const void *src,
			       bool lock_src)
{
	uint32_t *lock = (uint32_t *)(void *)((uint8_t *)(lock_src ? (void *)(uintptr_t)src : dst) +
					      map->lock_off);

	ubf_spin_lock(lock);
	ubf_map_copy_value(map, dst, src);
	ubf_spin_unlock(lock);
}

/* ---------------------------------------------------------------- live maps */

/*
 * An open-addressing set of the struct ubf_map pointers this process has
 * open (a checked run must not trust a map pointer a program made up).
 * Readers share a read lock; the table doubles when half full.
 */
#define LIVE_TOMB ((uintptr_t)1)

static struct {
	pthread_rwlock_t lock;
	uintptr_t *slots;
	size_t cap;		/* power of 2 */
	size_t used;		/* live + tombstones */
	uint64_t gen;		/* bumped by every removal: ends the threads' caches */
} live = { .lock = PTHREAD_RWLOCK_INITIALIZER };

/*
 * The maps this thread last found live, valid while live.gen has not moved:
 * checked runs ask for the same few maps at every helper call, and the
 * read lock costs more than the rest of a lookup.
 */
#define LIVE_CACHE 4
static __thread struct {
	const void *maps[LIVE_CACHE];
	uint64_t gen;
	unsigned int next;
} live_cache;

static size_t live_hash(uintptr_t p, size_t cap)
{
	uint64_t h = (uint64_t)p * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 32) & (cap - 1);
}

static void live_put_slot(uintptr_t *slots, size_t cap, uintptr_t p)
{
	size_t i = live_hash(p, cap);

	while (slots[i] && slots[i] != LIVE_TOMB)
		i = (i + 1) & (cap - 1);
	slots[i] = p;
}

static int live_grow(void)
{
	size_t cap = live.cap ? live.cap * 2 : 64, i;
	uintptr_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	live.used = 0;
	for (i = 0; i < live.cap; i++) {
		if (live.slots[i] > LIVE_TOMB) {
			live_put_slot(slots, cap, live.slots[i]);
			live.used++;
		}
	}
	free(live.slots);
	live.slots = slots;
	live.cap = cap;
	return 0;
}

static int live_add(const struct ubf_map *map)
{
	int err = 0;

	pthread_rwlock_wrlock(&live.lock);
	if ((live.used + 1) * 2 > live.cap)
		err = live_grow();
	if (!err) {
		live_put_slot(live.slots, live.cap, (uintptr_t)map);
		live.used++;
	}
	pthread_rwlock_unlock(&live.lock);
	return err;
}

/* The slot holding @p, or NULL; the caller holds the lock. */
static uintptr_t *live_find(uintptr_t p)
{
	size_t i, n;

	if (!live.cap || p <= LIVE_TOMB)
		return NULL;
	i = live_hash(p, live.cap);
	for (n = 0; n < live.cap && live.slots[i]; n++) {
		if (live.slots[i] == p)
			return &live.slots[i];
		i = (i + 1) & (live.cap - 1);
	}
	return NULL;
}

static void live_del(const struct ubf_map *map)
{
	uintptr_t *s;

	pthread_rwlock_wrlock(&live.lock);
	s = live_find((uintptr_t)map);
	if (s)
		*s = LIVE_TOMB;
	__atomic_add_fetch(&live.gen, 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&live.lock);
}

bool ubf_map_is_live(const void *p)
{
	uint64_t gen = __atomic_load_n(&live.gen, __ATOMIC_ACQUIRE);
	unsigned int i;
	bool found;

	if (gen == live_cache.gen) {
		for (i = 0; i < LIVE_CACHE; i++)
			if (p && live_cache.maps[i] == p)
				return true;
	} else {
		memset(live_cache.maps, 0, sizeof(live_cache.maps));
		live_cache.gen = gen;
	}
	pthread_rwlock_rdlock(&live.lock);
	found = live_find((uintptr_t)p) != NULL;
	pthread_rwlock_unlock(&live.lock);
	if (found) {
		live_cache.maps[live_cache.next] = p;
		live_cache.next = (live_cache.next + 1) % LIVE_CACHE;
	}
	return found;
}

/* ---------------------------------------------------------------- resolver */

static struct ubf_map_resolver resolver;
static pthread_rwlock_t resolver_lock = PTHREAD_RWLOCK_INITIALIZER;

void ubf_map_set_resolver(const struct ubf_map_resolver *r)
{
	pthread_rwlock_wrlock(&resolver_lock);
	if (r)
		resolver = *r;
	else
		memset(&resolver, 0, sizeof(resolver));
	pthread_rwlock_unlock(&resolver_lock);
}

struct ubf_map *ubf_map_inner_by_id(uint32_t id)
{
	struct ubf_map *(*fn)(uint32_t);

	pthread_rwlock_rdlock(&resolver_lock);
	fn = resolver.map_by_id;
	pthread_rwlock_unlock(&resolver_lock);
	return fn && id ? fn(id) : NULL;
}

const struct ubf_prog *ubf_map_prog_by_id(uint32_t id)
{
	const struct ubf_prog *(*fn)(uint32_t);

	pthread_rwlock_rdlock(&resolver_lock);
	fn = resolver.prog_by_id;
	pthread_rwlock_unlock(&resolver_lock);
	return fn && id ? fn(id) : NULL;
}

/* ---------------------------------------------------------------- creation */

/* Linux bpf_obj_name_cpy(): NUL within 16 bytes; letters, digits, '_' and '.'. */
static int check_name(const char *name)
{
	size_t i;

	for (i = 0; i < UBF_MAP_NAME_LEN; i++) {
		char c = name[i];

		if (!c)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.'))
			return -EINVAL;
	}
	return -EINVAL;
}

static bool can_spin_lock(uint32_t t)
{
	return t == UBF_MAP_HASH || t == UBF_MAP_ARRAY || t == UBF_MAP_CGROUP_STORAGE ||
	       t == UBF_MAP_SK_STORAGE || t == UBF_MAP_INODE_STORAGE ||
	       t == UBF_MAP_TASK_STORAGE || t == UBF_MAP_CGRP_STORAGE;
}

static int check_common(const struct ubf_map_attr *a, const struct ubf_map_ops *ops)
{
	int err;

	if (a->map_type != UBF_MAP_BLOOM_FILTER && a->map_extra)
		return -EINVAL;
	if ((a->map_flags & UBF_F_RDONLY) && (a->map_flags & UBF_F_WRONLY))
		return -EINVAL;
	err = check_name(a->map_name);
	if (err)
		return err;
	err = ops->check_attr(a);
	if (err)
		return err;
	if (a->has_spin_lock) {
		/* Linux map_check_btf(): only these types may hold a bpf_spin_lock */
		if (!can_spin_lock(a->map_type))
			return -EOPNOTSUPP;
		if (a->spin_lock_off < 0 || a->spin_lock_off % 4 ||
		    (uint64_t)a->spin_lock_off + 4 > a->value_size)
			return -EINVAL;
	}
	return 0;
}

/* Copy the fields this build knows of a caller's attr; missing ones read as zero. */
static int read_attr(const struct ubf_map_attr *in, struct ubf_map_attr *a)
{
	size_t sz;

	if (!in || !UBF_OPTS_VALID(in, ubf_map_attr))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	sz = in->sz < sizeof(*a) ? in->sz : sizeof(*a);
	memcpy(a, in, sz);
	a->sz = sizeof(*a);
	return 0;
}

static void fill_common(struct ubf_map *map, const struct ubf_map_ops *ops,
			const struct ubf_map_attr *a)
{
	map->ops = ops;
	map->fd = -1;
	map->map_type = a->map_type;
	map->key_size = a->key_size;
	map->value_size = a->value_size;
	map->max_entries = a->max_entries;
	map->map_flags = a->map_flags;
	map->lock_off = a->has_spin_lock ? a->spin_lock_off : UBF_MAP_NO_LOCK;
	map->pcpu_value_sz = (uint32_t)ubf_round_up(a->value_size, 8);
	if (!map->ncpu)
		map->ncpu = 1;
}

static void fill_hdr(struct ubf_map *map, const struct ubf_map_attr *a)
{
	struct ubf_map_hdr *h = map->hdr;
	const struct ubf_map *inner = a->inner_map;

	h->map_type = a->map_type;
	h->key_size = a->key_size;
	h->value_size = a->value_size;
	h->max_entries = a->max_entries;
	h->map_flags = a->map_flags;
	h->numa_node = a->numa_node;
	h->map_extra = a->map_extra;
	h->spin_lock_off = map->lock_off;
	h->ncpu = map->ncpu;
	h->data_sz = map->data_sz;
	h->file_sz = map->file_sz;
	memcpy(h->name, a->map_name, UBF_MAP_NAME_LEN);
	if (inner) {
		h->inner_map_type = inner->map_type;
		h->inner_key_size = inner->key_size;
		h->inner_value_size = inner->value_size;
		h->inner_max_entries = inner->max_entries;
		h->inner_map_flags = inner->map_flags;
		h->inner_spin_lock_off = inner->lock_off;
	}
	ubf_store_obj_init(&h->obj, UBF_MAP_MAGIC, sizeof(*h), UBF_OBJ_MAP);
}

static int layout(struct ubf_map *map)
{
	size_t page = ubf_shm_page_size();
	uint64_t sz;

	if (map->data_sz > SIZE_MAX / 2)
		return -E2BIG;
	sz = ubf_round_up(map->data_sz, page) + page;
	map->file_sz = (size_t)sz;
	return 0;
}

static int map_mmap(struct ubf_map *map, bool is_new)
{
	void *addr;
	int err;

	err = ubf_shm_map(map->fd, map->file_sz, &addr);
	if (err)
		return err;
	map->data = addr;
	map->hdr = (struct ubf_map_hdr *)(void *)(map->data + map->file_sz -
						  ubf_shm_page_size());
	if (!map->ops->attach)
		return 0;
	return map->ops->attach(map, is_new);
}

int ubf_map_create(struct ubf_map **mapp, const struct ubf_map_attr *attr)
{
	const struct ubf_map_ops *ops;
	struct ubf_map_attr a;
	struct ubf_map *map = NULL;
	int err;

	if (!mapp)
		return -EINVAL;
	err = read_attr(attr, &a);
	if (err)
		return err;
	ops = find_ops(a.map_type);
	if (!ops)
		return -EINVAL;
	if (ops->has_inner_map) {
		if (!a.inner_map)
			return -EBADF;	/* Linux: inner_map_fd is not a map */
		if (a.inner_map->ops->has_inner_map)
			return -EINVAL;
	}
	err = check_common(&a, ops);
	if (err)
		return err;
	a.map_flags |= ops->add_flags;
	err = ops->alloc(&a, &map);
	if (err)
		return err;
	fill_common(map, ops, &a);
	err = layout(map);
	if (err)
		goto err_free;
	err = ubf_shm_create(map->file_sz, &map->fd);
	if (err)
		goto err_free;
	err = map_mmap(map, true);
	if (err)
		goto err_free;
	fill_hdr(map, &a);
	err = live_add(map);
	if (err)
		goto err_free;
	*mapp = map;
	return 0;

err_free:
	ubf_map_free(map);
	return err;
}

int ubf_map_attr_check(const struct ubf_map_attr *attr)
{
	const struct ubf_map_ops *ops;
	struct ubf_map_attr a;
	int err;

	err = read_attr(attr, &a);
	if (err)
		return err;
	ops = find_ops(a.map_type);
	if (!ops)
		return -EINVAL;
	if (ops->has_inner_map && !a.inner_map)
		return -EBADF;
	return check_common(&a, ops);
}

/* Rebuild the attr a header describes, so open_fd runs the same checks as create. */
static int hdr_attr(const struct ubf_map_hdr *h, size_t file_sz, struct ubf_map_attr *a)
{
	if (h->magic != UBF_MAP_MAGIC || h->version != UBF_MAP_VERSION || h->hdr_sz != sizeof(*h) ||
	    h->file_sz != file_sz)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	a->sz = sizeof(*a);
	a->map_type = h->map_type;
	a->key_size = h->key_size;
	a->value_size = h->value_size;
	a->max_entries = h->max_entries;
	a->map_flags = h->map_flags;
	a->numa_node = h->numa_node;
	a->map_extra = h->map_extra;
	memcpy(a->map_name, h->name, UBF_MAP_NAME_LEN);
	a->has_spin_lock = h->spin_lock_off != UBF_MAP_NO_LOCK;
	a->spin_lock_off = h->spin_lock_off;
	return 0;
}

static int open_checked(struct ubf_map **mapp, int fd, size_t file_sz)
{
	const struct ubf_map_hdr *h;
	const struct ubf_map_ops *ops;
	struct ubf_map_attr a;
	size_t page = ubf_shm_page_size();
	struct ubf_map *map = NULL;
	void *addr;
	int err;

	err = ubf_shm_map(fd, file_sz, &addr);
	if (err)
		return err;
	h = (const struct ubf_map_hdr *)(const void *)((uint8_t *)addr + file_sz - page);
	err = hdr_attr(h, file_sz, &a);
	ops = err ? NULL : find_ops(a.map_type);
	if (ops)
		a.map_flags &= ~ops->add_flags;
	if (!err && (!ops || check_common(&a, ops)))
		err = -EINVAL;
	if (!err) {
		a.map_flags |= ops->add_flags;
		err = ops->alloc(&a, &map);
	}
	if (err)
		goto out_unmap;
	fill_common(map, ops, &a);
	if (layout(map) || map->file_sz != file_sz || map->data_sz != h->data_sz ||
	    map->ncpu != h->ncpu) {
		err = -EINVAL;
		goto out_unmap;
	}
	map->fd = fd;
	err = map_mmap(map, false);
	if (err) {
		map->fd = -1;
		goto out_unmap;
	}
	err = live_add(map);
	if (err) {
		map->fd = -1;	/* the caller closes it */
		goto out_unmap;
	}
	*mapp = map;
	map = NULL;
out_unmap:
	ubf_shm_unmap(addr, file_sz);
	ubf_map_free(map);
	return err;
}

int ubf_map_open_fd(struct ubf_map **mapp, int fd)
{
	size_t page = ubf_shm_page_size();
	struct stat st;
	int dfd, err;

	if (!mapp)
		return -EINVAL;
	if (fd < 0 || fstat(fd, &st))
		return -EBADF;
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)page || st.st_size % (off_t)page)
		return -EINVAL;
	dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0)
		return -errno;
	err = open_checked(mapp, dfd, (size_t)st.st_size);
	if (err)
		close(dfd);
	return err;
}

void ubf_map_free(struct ubf_map *map)
{
	uint8_t *data;
	size_t file_sz;
	int fd;

	if (!map)
		return;
	live_del(map);
	data = map->data;
	file_sz = map->file_sz;
	fd = map->fd;
	map->ops->free(map);
	ubf_shm_unmap(data, file_sz);
	if (fd >= 0)
		close(fd);
}

int ubf_map_fd(const struct ubf_map *map)
{
	return map->fd;
}

uint32_t ubf_map_type(const struct ubf_map *map)
{
	return map->map_type;
}

uint32_t ubf_map_key_size(const struct ubf_map *map)
{
	return map->key_size;
}

uint32_t ubf_map_value_size(const struct ubf_map *map)
{
	return map->value_size;
}

uint32_t ubf_map_max_entries(const struct ubf_map *map)
{
	return map->max_entries;
}

uint32_t ubf_map_flags(const struct ubf_map *map)
{
	return map->map_flags;
}

const char *ubf_map_name(const struct ubf_map *map)
{
	return map->hdr->name;
}

size_t ubf_map_user_value_size(const struct ubf_map *map)
{
	return map->is_percpu ? (size_t)map->pcpu_value_sz * map->ncpu : map->value_size;
}

/* ---------------------------------------------------------------- user side */

static bool is_frozen(const struct ubf_map *map)
{
	return __atomic_load_n(&map->hdr->frozen, __ATOMIC_ACQUIRE) != 0;
}

static bool can_read(const struct ubf_map *map)
{
	return !(map->map_flags & UBF_F_WRONLY);
}

static bool can_write(const struct ubf_map *map)
{
	return !(map->map_flags & UBF_F_RDONLY) && !is_frozen(map);
}

static bool key_ok(const struct ubf_map *map, const void *key)
{
	return key || !map->key_size;
}

/* Update flags as Linux checks them for every type that takes keys. */
static int check_update_flags(const struct ubf_map *map, uint64_t flags)
{
	if ((flags & ~UBF_F_LOCK) > UBF_EXIST)
		return -EINVAL;
	if ((flags & UBF_F_LOCK) && map->lock_off < 0)
		return -EINVAL;
	return 0;
}

static void zero_lock(const struct ubf_map *map, void *value)
{
	if (map->lock_off >= 0)
		memset((uint8_t *)value + map->lock_off, 0, 4);
}

static int copy_value_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	void *p;

	if (map->ops->peek && !map->key_size)
		return map->ops->peek((struct ubf_map *)(uintptr_t)map, value);
	if (map->ops->copy_out)
		return map->ops->copy_out(map, key, value, flags);
	if (!map->ops->lookup)
		return -EOPNOTSUPP;
	p = map->ops->lookup((struct ubf_map *)(uintptr_t)map, key);
	if (!p)
		return -ENOENT;
	if (flags & UBF_F_LOCK)
		ubf_map_copy_value_locked(map, value, p, true);
	else
		memcpy(value, p, map->value_size);
	zero_lock(map, value);
	return 0;
}

int ubf_map_lookup_elem_flags(const struct ubf_map *map, const void *key, void *value,
			      uint64_t flags)
{
	if (!map || !value || !key_ok(map, key))
		return -EINVAL;
	if ((flags & ~UBF_F_LOCK) || ((flags & UBF_F_LOCK) && map->lock_off < 0))
		return -EINVAL;
	if (!can_read(map))
		return -EPERM;
	return copy_value_out(map, key, value, flags);
}

int ubf_map_lookup_elem(const struct ubf_map *map, const void *key, void *value)
{
	return ubf_map_lookup_elem_flags(map, key, value, 0);
}

static int copy_value_in(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	if (map->ops->push && !map->key_size)
		return map->ops->push(map, value, flags);
	if (map->ops->copy_in)
		return map->ops->copy_in(map, key, value, flags);
	if (!map->ops->update)
		return -EOPNOTSUPP;
	return map->ops->update(map, key, value, flags);
}

int ubf_map_update_elem(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	int err;

	if (!map || !value || !key_ok(map, key))
		return -EINVAL;
	if (!can_write(map))
		return -EPERM;
	if (!(map->ops->push && !map->key_size)) {
		err = check_update_flags(map, flags);
		if (err)
			return err;
	}
	return copy_value_in(map, key, value, flags);
}

int ubf_map_delete_elem(struct ubf_map *map, const void *key)
{
	if (!map || !key_ok(map, key))
		return -EINVAL;
	if (!can_write(map))
		return -EPERM;
	if (!map->ops->delete)
		return -EOPNOTSUPP;
	return map->ops->delete(map, key);
}

int ubf_map_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	if (!map || !next_key)
		return -EINVAL;
	if (!can_read(map))
		return -EPERM;
	if (!map->ops->next_key)
		return -EOPNOTSUPP;
	return map->ops->next_key(map, key, next_key);
}

int ubf_map_lookup_and_delete_elem(struct ubf_map *map, const void *key, void *value)
{
	if (!map || !value || !key_ok(map, key))
		return -EINVAL;
	if (!can_read(map) || !can_write(map))
		return -EPERM;
	if (map->ops->pop && !map->key_size)
		return map->ops->pop(map, value);
	if (!map->ops->lookup_and_delete)
		return -EOPNOTSUPP;
	return map->ops->lookup_and_delete(map, key, value);
}

int ubf_map_freeze(struct ubf_map *map)
{
	uint32_t expected = 0;

	if (!map)
		return -EINVAL;
	if (!__atomic_compare_exchange_n(&map->hdr->frozen, &expected, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return -EBUSY;
	return 0;
}

/* ---------------------------------------------------------------- batches */

static int batch_args(const struct ubf_map *map, const uint32_t *count,
		      const struct ubf_map_batch_opts *opts, uint64_t *elem_flags)
{
	if (!map || !count || !UBF_OPTS_VALID(opts, ubf_map_batch_opts))
		return -EINVAL;
	if (UBF_OPTS_GET(opts, flags, 0))
		return -EINVAL;
	*elem_flags = UBF_OPTS_GET(opts, elem_flags, 0);
	return 0;
}

/*
 * Linux's generic_map_lookup_batch(): walk with next_key from the cursor,
 * copy each element; a key that vanished between next_key and the copy is
 * retried, then the call fails with -EINTR.  At the end: -ENOENT.
 */
static int lookup_batch(const struct ubf_map *map, const void *in_batch, void *out_batch,
			uint8_t *keys, uint8_t *values, uint32_t *count, uint64_t elem_flags)
{
	size_t vsz = ubf_map_user_value_size(map);
	const void *prev = in_batch;
	uint32_t cp = 0, max = *count;
	int err = 0, retry = 3;

	while (cp < max) {
		uint8_t *key = keys + (size_t)cp * map->key_size;

		err = map->ops->next_key(map, prev, key);
		if (err)
			break;
		err = copy_value_out(map, key, values + (size_t)cp * vsz, elem_flags);
		if (err == -ENOENT) {
			if (retry--)
				continue;
			err = -EINTR;
			break;
		}
		if (err)
			break;
		prev = key;
		retry = 3;
		cp++;
	}
	*count = cp;
	if (cp && out_batch)
		memcpy(out_batch, keys + (size_t)(cp - 1) * map->key_size, map->key_size);
	return err;
}

int ubf_map_lookup_batch(const struct ubf_map *map, const void *in_batch, void *out_batch,
			 void *keys, void *values, uint32_t *count,
			 const struct ubf_map_batch_opts *opts)
{
	uint64_t ef;
	int err;

	err = batch_args(map, count, opts, &ef);
	if (err)
		return err;
	if ((ef & ~UBF_F_LOCK) || ((ef & UBF_F_LOCK) && map->lock_off < 0))
		return -EINVAL;
	if (!can_read(map))
		return -EPERM;
	if (!map->ops->next_key || !map->key_size)
		return -EOPNOTSUPP;
	if (!*count)
		return 0;
	if (!keys || !values || !out_batch)
		return -EINVAL;
	return lookup_batch(map, in_batch, out_batch, keys, values, count, ef);
}

/*
 * Every element copied is deleted, so the walk always restarts at the first
 * remaining key: nothing is copied twice however the map changes meanwhile.
 */
int ubf_map_lookup_and_delete_batch(struct ubf_map *map, const void *in_batch, void *out_batch,
				    void *keys, void *values, uint32_t *count,
				    const struct ubf_map_batch_opts *opts)
{
	size_t vsz;
	uint32_t cp = 0, max;
	uint64_t ef;
	int err;

	(void)in_batch;
	err = batch_args(map, count, opts, &ef);
	if (err)
		return err;
	if (ef)
		return -EINVAL;
	if (!can_read(map) || !can_write(map))
		return -EPERM;
	if (!map->ops->lookup_and_delete || !map->ops->next_key)
		return -EOPNOTSUPP;
	max = *count;
	if (max && (!keys || !values || !out_batch))
		return -EINVAL;
	vsz = ubf_map_user_value_size(map);
	while (cp < max) {
		uint8_t *key = (uint8_t *)keys + (size_t)cp * map->key_size;

		err = map->ops->next_key(map, NULL, key);
		if (err)
			break;
		err = map->ops->lookup_and_delete(map, key, (uint8_t *)values + (size_t)cp * vsz);
		if (err == -ENOENT)
			continue;	/* raced with another deleter: take the next first key */
		if (err)
			break;
		cp++;
	}
	*count = cp;
	if (cp)
		memcpy(out_batch, (uint8_t *)keys + (size_t)(cp - 1) * map->key_size,
		       map->key_size);
	return err;
}

int ubf_map_update_batch(struct ubf_map *map, const void *keys, const void *values,
			 uint32_t *count, const struct ubf_map_batch_opts *opts)
{
	size_t vsz;
	uint32_t cp, max;
	uint64_t ef;
	int err;

	err = batch_args(map, count, opts, &ef);
	if (err)
		return err;
	max = *count;
	*count = 0;
	if (!can_write(map))
		return -EPERM;
	if (max && (!keys || !values))
		return -EINVAL;
	vsz = ubf_map_user_value_size(map);
	for (cp = 0; cp < max; cp++) {
		err = ubf_map_update_elem(map, (const uint8_t *)keys + (size_t)cp * map->key_size,
					  (const uint8_t *)values + (size_t)cp * vsz, ef);
		if (err)
			break;
	}
	*count = cp;
	return err;
}

int ubf_map_delete_batch(struct ubf_map *map, const void *keys, uint32_t *count,
			 const struct ubf_map_batch_opts *opts)
{
	uint32_t cp, max;
	uint64_t ef;
	int err;

	err = batch_args(map, count, opts, &ef);
	if (err)
		return err;
	if (ef)
		return -EINVAL;
	max = *count;
	*count = 0;
	if (!can_write(map))
		return -EPERM;
	if (max && !keys)
		return -EINVAL;
	for (cp = 0; cp < max; cp++) {
		err = ubf_map_delete_elem(map, (const uint8_t *)keys + (size_t)cp * map->key_size);
		if (err)
			break;
	}
	*count = cp;
	return err;
}

/* ---------------------------------------------------------------- program side */

/*
 * A map-in-map's slot holds the inner map's id (what user space reads); a
 * program gets the map itself, as in Linux, through the resolver.
 */
void *ubf_map_lookup(struct ubf_map *map, const void *key)
{
	uint32_t id;
	void *p;

	if (!map->ops->lookup)
		return NULL;
	p = map->ops->lookup(map, key);
	if (!p || !map->ops->has_inner_map)
		return p;
	memcpy(&id, p, sizeof(id));
	return ubf_map_inner_by_id(id);
}

void *ubf_map_lookup_percpu(struct ubf_map *map, const void *key, uint32_t cpu)
{
	if (!map->ops->lookup_percpu || cpu >= map->ncpu)
		return NULL;
	return map->ops->lookup_percpu(map, key, cpu);
}

int ubf_map_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	int err;

	if (map->ops->push && !map->key_size)
		return map->ops->push(map, value, flags);
	err = check_update_flags(map, flags);
	if (err)
		return err;
	return map->ops->update ? map->ops->update(map, key, value, flags) : -EOPNOTSUPP;
}

int ubf_map_delete(struct ubf_map *map, const void *key)
{
	return map->ops->delete ? map->ops->delete(map, key) : -EOPNOTSUPP;
}

int ubf_map_push(struct ubf_map *map, const void *value, uint64_t flags)
{
	return map->ops->push ? map->ops->push(map, value, flags) : -EOPNOTSUPP;
}

int ubf_map_pop(struct ubf_map *map, void *value)
{
	return map->ops->pop ? map->ops->pop(map, value) : -EOPNOTSUPP;
}

int ubf_map_peek(struct ubf_map *map, void *value)
{
	return map->ops->peek ? map->ops->peek(map, value) : -EOPNOTSUPP;
}
