/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * map.h - create eBPF maps, operate on their elements, iterate them, and
 * consume ring buffers.  Types, flags and errno values are Linux's, so a
 * map described for the kernel behaves the same here.  Every map lives in
 * one memfd: its fd can be passed to another process (fork, SCM_RIGHTS),
 * which rebuilds the map with ubf_map_open_fd() and shares its elements.
 *
 * Per-CPU maps: a "CPU" is a slot in [0, ubf_cpu_count()), where
 * ubf_cpu_count() is the number of possible CPUs (sysconf
 * _SC_NPROCESSORS_CONF, as libbpf_num_possible_cpus()).  A program uses the
 * slot of the CPU its thread runs on (sched_getcpu()); user space sees all
 * slots at once, each value rounded up to 8 bytes as in Linux.
 */
#ifndef USERBPF_MAP_H
#define USERBPF_MAP_H

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

/*
 * Map types: values are Linux's enum bpf_map_type.  LPM_TRIE keys are
 * Linux's struct bpf_lpm_trie_key: a host-order u32 prefix length, then
 * key_size - 4 big-endian data bytes.  STACK_TRACE keys are u32 stack ids
 * and values value_size / 8 u64 ips; only programs store traces.
 * USER_RINGBUF: user space produces with ubf_user_ringbuf_reserve().
 * The network and object-bound types (DEVMAP to CGRP_STORAGE) check what
 * user space stores against the host (an ifindex, a socket, cgroup, task or
 * file fd) and keep what Linux gives back: an ifindex, a socket cookie.
 */
enum ubf_map_type {
	UBF_MAP_HASH = 1,
	UBF_MAP_ARRAY = 2,
	UBF_MAP_PROG_ARRAY = 3,
	UBF_MAP_PERF_EVENT_ARRAY = 4,
	UBF_MAP_PERCPU_HASH = 5,
	UBF_MAP_PERCPU_ARRAY = 6,
	UBF_MAP_STACK_TRACE = 7,
	UBF_MAP_CGROUP_ARRAY = 8,
	UBF_MAP_LRU_HASH = 9,
	UBF_MAP_LRU_PERCPU_HASH = 10,
	UBF_MAP_LPM_TRIE = 11,
	UBF_MAP_ARRAY_OF_MAPS = 12,
	UBF_MAP_HASH_OF_MAPS = 13,
	UBF_MAP_DEVMAP = 14,
	UBF_MAP_SOCKMAP = 15,
	UBF_MAP_CPUMAP = 16,
	UBF_MAP_XSKMAP = 17,
	UBF_MAP_SOCKHASH = 18,
	UBF_MAP_CGROUP_STORAGE = 19,
	UBF_MAP_REUSEPORT_SOCKARRAY = 20,
	UBF_MAP_PERCPU_CGROUP_STORAGE = 21,
	UBF_MAP_QUEUE = 22,
	UBF_MAP_STACK = 23,
	UBF_MAP_SK_STORAGE = 24,
	UBF_MAP_DEVMAP_HASH = 25,
	UBF_MAP_RINGBUF = 27,
	UBF_MAP_INODE_STORAGE = 28,
	UBF_MAP_TASK_STORAGE = 29,
	UBF_MAP_BLOOM_FILTER = 30,
	UBF_MAP_USER_RINGBUF = 31,
	UBF_MAP_CGRP_STORAGE = 32,
};

/* Element update flags (Linux BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK). */
#define UBF_ANY 0ull
#define UBF_NOEXIST 1ull
#define UBF_EXIST 2ull
#define UBF_F_LOCK 4ull

/* Map creation flags (Linux BPF_F_*; same bits). */
#define UBF_F_NO_PREALLOC (1u << 0)
#define UBF_F_NO_COMMON_LRU (1u << 1)
#define UBF_F_NUMA_NODE (1u << 2)
#define UBF_F_RDONLY (1u << 3)
#define UBF_F_WRONLY (1u << 4)
#define UBF_F_STACK_BUILD_ID (1u << 5)
#define UBF_F_ZERO_SEED (1u << 6)
#define UBF_F_RDONLY_PROG (1u << 7)
#define UBF_F_WRONLY_PROG (1u << 8)
#define UBF_F_CLONE (1u << 9)
#define UBF_F_MMAPABLE (1u << 10)
#define UBF_F_PRESERVE_ELEMS (1u << 11)
#define UBF_F_INNER_MAP (1u << 12)

/* Ring buffer record header bits and size (Linux BPF_RINGBUF_*). */
#define UBF_RINGBUF_BUSY_BIT (1u << 31)
#define UBF_RINGBUF_DISCARD_BIT (1u << 30)
#define UBF_RINGBUF_HDR_SZ 8u
/* Ring buffer submit/output flags (Linux BPF_RB_NO_WAKEUP, BPF_RB_FORCE_WAKEUP). */
#define UBF_RB_NO_WAKEUP (1ull << 0)
#define UBF_RB_FORCE_WAKEUP (1ull << 1)
/* ubf_ringbuf_query() selectors (Linux BPF_RB_AVAIL_DATA ... BPF_RB_PROD_POS). */
#define UBF_RB_AVAIL_DATA 0ull
#define UBF_RB_RING_SIZE 1ull
#define UBF_RB_CONS_POS 2ull
#define UBF_RB_PROD_POS 3ull

#define UBF_MAP_NAME_LEN 16

struct ubf_map;

/**
 * struct ubf_map_attr - how to create a map: the MAP_CREATE fields of Linux's union bpf_attr
 * @sz:            sizeof(struct ubf_map_attr), set by UBF_OPTS()
 * @map_type:      enum ubf_map_type
 * @key_size:      bytes per key
 * @value_size:    bytes per value (per CPU for per-CPU maps)
 * @max_entries:   element count; ring buffers: data size in bytes (a power-of-2 page multiple)
 * @map_flags:     UBF_F_*; validated per type as Linux does
 * @numa_node:     with UBF_F_NUMA_NODE; accepted and ignored
 * @map_extra:     bloom filter: number of hash functions (0: 5) in the low 4 bits; else 0
 * @map_name:      NUL-terminated; letters, digits, '_' and '.' only, as in Linux
 * @inner_map:     map-in-map types: template the inner maps must match (Linux inner_map_fd)
 * @has_spin_lock: nonzero when the value holds a struct bpf_spin_lock at @spin_lock_off
 *                 (the bpf(2) layer derives both from BTF); a zeroed attr means "no lock"
 * @spin_lock_off: byte offset of the 4-byte lock in the value, 4-byte aligned
 */
struct ubf_map_attr {
	size_t sz;
	uint32_t map_type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t numa_node;
	uint64_t map_extra;
	char map_name[UBF_MAP_NAME_LEN];
	const struct ubf_map *inner_map;
	uint32_t has_spin_lock;
	int32_t spin_lock_off;
};

/**
 * struct ubf_map_batch_opts - options of the batch operations (Linux's batch.elem_flags, flags)
 * @sz:         sizeof(struct ubf_map_batch_opts)
 * @elem_flags: per element: UBF_F_LOCK for lookups; UBF_ANY/NOEXIST/EXIST(|F_LOCK) for updates
 * @flags:      must be 0
 */
struct ubf_map_batch_opts {
	size_t sz;
	uint64_t elem_flags;
	uint64_t flags;
};

/**
 * ubf_cpu_count() - number of per-CPU slots: the host's possible CPUs
 *
 * Return: at least 1.
 */
UBF_API unsigned int ubf_cpu_count(void);

/**
 * ubf_map_create() - create a map in a fresh memfd
 * @mapp: receives the map
 * @attr: what to create; checked as Linux's map_create checks it
 *
 * On success *@mapp is owned by the caller; free it with ubf_map_free().
 * A map is safe to use from any number of threads and processes at once.
 *
 * Return: 0, -EINVAL on a bad attribute, -E2BIG when a size is too big,
 * -EOPNOTSUPP for a combination Linux refuses with ENOTSUPP, -ENOMEM.
 */
UBF_API int ubf_map_create(struct ubf_map **mapp, const struct ubf_map_attr *attr);

/**
 * ubf_map_open_fd() - rebuild a map from its fd (inherited, received or duplicated)
 * @mapp: receives the map
 * @fd:   the memfd of a map created by ubf_map_create(), in this or another process
 *
 * The map keeps its own duplicate of @fd; the caller still owns @fd.  On
 * success *@mapp is owned by the caller; free it with ubf_map_free().
 *
 * Return: 0, -EBADF for a bad fd, -EINVAL when @fd does not hold a valid map, -ENOMEM.
 */
UBF_API int ubf_map_open_fd(struct ubf_map **mapp, int fd);

/**
 * ubf_map_free() - unmap @map and close its fd; accepts NULL
 * @map: map to free; other holders of the memfd keep the elements
 */
UBF_API void ubf_map_free(struct ubf_map *map);

/** ubf_map_fd() - the map's memfd, owned by @map (valid until ubf_map_free()) */
UBF_API int ubf_map_fd(const struct ubf_map *map);
/** ubf_map_type() - enum ubf_map_type of @map */
UBF_API uint32_t ubf_map_type(const struct ubf_map *map);
/** ubf_map_key_size() - bytes per key */
UBF_API uint32_t ubf_map_key_size(const struct ubf_map *map);
/** ubf_map_value_size() - bytes per value, for one CPU */
UBF_API uint32_t ubf_map_value_size(const struct ubf_map *map);
/** ubf_map_max_entries() - capacity as created (ring buffers: data bytes) */
UBF_API uint32_t ubf_map_max_entries(const struct ubf_map *map);
/** ubf_map_flags() - UBF_F_* flags as created */
UBF_API uint32_t ubf_map_flags(const struct ubf_map *map);
/** ubf_map_name() - the name given at creation; owned by @map; never NULL */
UBF_API const char *ubf_map_name(const struct ubf_map *map);
/**
 * ubf_map_user_value_size() - bytes of a value buffer for the user-side calls:
 * ubf_map_value_size(), or for per-CPU maps round_up(value_size, 8) * ubf_cpu_count()
 */
UBF_API size_t ubf_map_user_value_size(const struct ubf_map *map);

/**
 * ubf_map_lookup_elem() - copy the value stored under @key into @value
 * @map:   map to search
 * @key:   ubf_map_key_size(map) bytes (queue, stack, bloom filter: NULL; peeks / tests @value)
 * @value: ubf_map_user_value_size(map) bytes
 *
 * Safe to call while programs and other processes use @map.  A spin lock
 * in the value reads as zero.
 *
 * Return: 0, -ENOENT if @key is absent, -EPERM for a UBF_F_WRONLY map,
 * -EINVAL on a bad argument, -EOPNOTSUPP where the type has no lookup.
 */
UBF_API int ubf_map_lookup_elem(const struct ubf_map *map, const void *key, void *value);

/**
 * ubf_map_lookup_elem_flags() - ubf_map_lookup_elem() with flags
 * @flags: 0 or UBF_F_LOCK (copy under the value's spin lock)
 *
 * Return: as ubf_map_lookup_elem(); -EINVAL for UBF_F_LOCK on a map without a spin lock.
 */
UBF_API int ubf_map_lookup_elem_flags(const struct ubf_map *map, const void *key, void *value,
				      uint64_t flags);

/**
 * ubf_map_update_elem() - store @value under @key
 * @map:   map to update
 * @key:   ubf_map_key_size(map) bytes; NULL for queue, stack and bloom filter (push)
 * @value: ubf_map_user_value_size(map) bytes
 * @flags: UBF_ANY, UBF_NOEXIST or UBF_EXIST, optionally | UBF_F_LOCK
 *
 * Thread- and process-safe.
 *
 * Return: 0, -EEXIST / -ENOENT when the flags forbid the update, -E2BIG
 * when the map is full, -EPERM when frozen or UBF_F_RDONLY, -EINVAL on a bad argument.
 */
UBF_API int ubf_map_update_elem(struct ubf_map *map, const void *key, const void *value,
				uint64_t flags);

/**
 * ubf_map_delete_elem() - remove @key
 *
 * Return: 0, -ENOENT if absent, -EINVAL for arrays (as Linux), -EPERM when frozen.
 */
UBF_API int ubf_map_delete_elem(struct ubf_map *map, const void *key);

/**
 * ubf_map_next_key() - the key after @key in iteration order
 * @key:      NULL, or a key; a key that is not in the map restarts at the first key
 * @next_key: receives ubf_map_key_size(map) bytes
 *
 * Return: 0, -ENOENT after the last key.
 */
UBF_API int ubf_map_next_key(const struct ubf_map *map, const void *key, void *next_key);

/**
 * ubf_map_lookup_and_delete_elem() - copy the value under @key out and remove it
 * @key: NULL for queue and stack (pop)
 *
 * Return: 0, -ENOENT when absent or empty, -EOPNOTSUPP for types Linux refuses.
 */
UBF_API int ubf_map_lookup_and_delete_elem(struct ubf_map *map, const void *key, void *value);

/**
 * ubf_map_freeze() - make @map read-only for user space (programs may still write)
 *
 * Return: 0, -EBUSY if already frozen.
 */
UBF_API int ubf_map_freeze(struct ubf_map *map);

/**
 * ubf_map_lookup_batch() - copy up to *@count elements, resuming after a cursor
 * @in_batch:  NULL to start, else the @out_batch of the previous call
 * @out_batch: receives the cursor, ubf_map_key_size(map) bytes (the last key copied)
 * @keys:      *@count keys
 * @values:    *@count user values
 * @count:     in: capacity; out: elements copied
 *
 * Return: 0 when more elements may follow, -ENOENT when the end was
 * reached (*@count may still be nonzero), other -errno on error.
 */
UBF_API int ubf_map_lookup_batch(const struct ubf_map *map, const void *in_batch, void *out_batch,
				 void *keys, void *values, uint32_t *count,
				 const struct ubf_map_batch_opts *opts);

/** ubf_map_lookup_and_delete_batch() - ubf_map_lookup_batch(), deleting what it copies (hash types) */
UBF_API int ubf_map_lookup_and_delete_batch(struct ubf_map *map, const void *in_batch,
					    void *out_batch, void *keys, void *values,
					    uint32_t *count, const struct ubf_map_batch_opts *opts);

/**
 * ubf_map_update_batch() - update *@count elements in order
 *
 * Return: 0, or the first error; *@count is the number of elements updated.
 */
UBF_API int ubf_map_update_batch(struct ubf_map *map, const void *keys, const void *values,
				 uint32_t *count, const struct ubf_map_batch_opts *opts);

/**
 * ubf_map_delete_batch() - delete *@count keys in order
 *
 * Return: 0, or the first error; *@count is the number of elements deleted.
 */
UBF_API int ubf_map_delete_batch(struct ubf_map *map, const void *keys, uint32_t *count,
				 const struct ubf_map_batch_opts *opts);

/* A record handed to a ring buffer consumer; return nonzero to stop consuming. */
typedef int (*ubf_ringbuf_fn)(void *ctx, const void *data, size_t size);

/**
 * ubf_ringbuf_consume() - hand every committed record of a ring buffer map to @fn, in order
 * @map: a UBF_MAP_RINGBUF map
 * @fn:  called per record; a nonzero return stops after that record
 *
 * One consumer at a time per ring (as in Linux); producers may run concurrently.
 *
 * Return: the number of records consumed, or -errno (-EINVAL for another map type).
 */
UBF_API int ubf_ringbuf_consume(struct ubf_map *map, ubf_ringbuf_fn fn, void *ctx);

/**
 * ubf_ringbuf_poll() - wait up to @timeout_ms (-1: forever) for data, then consume it
 *
 * Waiting polls the producer position with short sleeps.
 *
 * Return: as ubf_ringbuf_consume(); 0 on timeout.
 */
UBF_API int ubf_ringbuf_poll(struct ubf_map *map, ubf_ringbuf_fn fn, void *ctx, int timeout_ms);

/**
 * ubf_user_ringbuf_reserve() - reserve a sample in a user ring buffer (libbpf's
 * user_ring_buffer__reserve())
 * @map:     a UBF_MAP_USER_RINGBUF map; user space produces, programs drain
 * @size:    sample bytes; the record takes round_up(@size + 8, 8) ring bytes
 * @samplep: receives the sample: @size contiguous writable bytes, owned by
 *           the caller until ubf_user_ringbuf_submit() or _discard()
 *
 * Every reserved sample must be submitted or discarded: a drain stops at the
 * oldest sample still reserved.  Safe from many threads and processes using
 * userbpf (producers serialise on a lock in the map); a libbpf producer on
 * the same map must not run at the same time.
 *
 * Return: 0, -E2BIG if @size can never fit, -ENOSPC while the ring is too
 * full, -EINVAL for another map type or a NULL argument.
 */
UBF_API int ubf_user_ringbuf_reserve(struct ubf_map *map, uint32_t size, void **samplep);

/**
 * ubf_user_ringbuf_submit() - publish a sample from ubf_user_ringbuf_reserve() on @map
 *
 * A pointer that is not a sample of @map is ignored.  Thread-safe.
 */
UBF_API void ubf_user_ringbuf_submit(struct ubf_map *map, void *sample);

/**
 * ubf_user_ringbuf_discard() - drop a sample from ubf_user_ringbuf_reserve() on @map
 *
 * The drain skips it.  A pointer that is not a sample of @map is ignored.  Thread-safe.
 */
UBF_API void ubf_user_ringbuf_discard(struct ubf_map *map, void *sample);

UBF_EXTERN_C_END

#endif /* USERBPF_MAP_H */
