/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * map.h - the maps module inside the library: struct ubf_map, the ops
 * vtable every map type implements, the shared-memory layout (data from
 * file offset 0, a header in the file's last page), process-shared spin
 * locks, and the program-side entry points the helpers call.  Everything
 * inside the file is addressed by offsets, never pointers, so any process
 * that maps the fd sees a working map.
 */
#ifndef UBF_MAPS_MAP_H
#define UBF_MAPS_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/rseq.h>

#include <userbpf/map.h>

#include "sys/store.h"
#include "util/compiler.h"

#define UBF_MAP_MAGIC 0x3170616d66627575ull /* "uubfmap1" */
#define UBF_MAP_VERSION 1u
#define UBF_MAP_NO_LOCK (-1)

/*
 * struct ubf_map_hdr - the header in the last page of every map's file
 * (an object file of the store, see sys/store.h).
 * Immutable after creation except @frozen and @state, which the type uses
 * for shared words (locks, counters, cursors) it cannot place in the data.
 */
struct ubf_map_hdr {
	union {
		struct ubf_obj_hdr obj;	/* kind, id, creator: the store's view */
		struct {
			uint64_t magic;
			uint32_t version;
			uint32_t hdr_sz;
		};
	};
	uint32_t map_type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t numa_node;
	uint64_t map_extra;
	int32_t spin_lock_off;
	uint32_t ncpu;
	uint64_t data_sz;
	uint64_t file_sz;
	uint32_t frozen;
	uint32_t inner_map_type;
	uint32_t inner_key_size;
	uint32_t inner_value_size;
	uint32_t inner_max_entries;
	uint32_t inner_map_flags;
	int32_t inner_spin_lock_off;	/* UBF_MAP_NO_LOCK or the inner values' spin lock */
	uint32_t pad;
	char name[UBF_MAP_NAME_LEN];
	/* set by the bpf(2) layer: the BTF object and types MAP_CREATE named */
	uint32_t btf_id;
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	uint32_t btf_vmlinux_value_type_id;
	uint64_t state[8];
};

struct ubf_map_ops;

/*
 * struct ubf_map_area - where every value of a map lies: @stride-byte
 * elements from @start, @size bytes in all, with the values (all CPUs' slots
 * of a per-CPU map) at [@off, @off + @len) of each element.  Checked runs
 * grant a map's whole area at its first lookup (ubf_run_grant_area()).
 */
struct ubf_map_area {
	uint8_t *start;
	uint64_t size;
	uint64_t stride;
	uint64_t off;
	uint64_t len;
};

/*
 * struct ubf_map - a map as one process sees it.  The fields are copies of
 * the header checked at create/open time, so the fast paths trust them.
 * Types embed it first and get back with ubf_container_of().
 */
struct ubf_map {
	const struct ubf_map_ops *ops;
	struct ubf_map_hdr *hdr;
	uint8_t *data;			/* file offset 0 */
	size_t file_sz;
	int fd;
	uint32_t map_type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	int32_t lock_off;		/* UBF_MAP_NO_LOCK or offset of the spin lock in a value */
	uint32_t ncpu;			/* per-CPU slots (1 for shared maps) */
	uint32_t pcpu_value_sz;		/* round_up(value_size, 8): stride of per-CPU slots */
	bool is_percpu;			/* set by ops->alloc: the user view has ncpu slots */
	uint64_t data_sz;		/* bytes before the header page; set by ops->alloc */
};

/*
 * struct ubf_map_index - a map whose lookup of u32 key k < max_entries is
 * base + k * stride + cpu * cpu_stride (cpu_stride 0: shared values), so
 * trusted code may compute it without a call.  The memory never moves.
 */
struct ubf_map_index {
	uint8_t *base;
	uint64_t stride;
	uint64_t cpu_stride;
};

/*
 * struct ubf_map_ops - one map type.  Required: check_attr, alloc, free.
 * Others may be NULL: map.c answers -EOPNOTSUPP (or the type's Linux errno,
 * e.g. -EINVAL for delete on arrays, through the op itself).
 *
 * lookup/update are the program path: a per-CPU map's lookup returns the
 * calling CPU's slot and update writes that slot only.  copy_out/copy_in are
 * the user view of per-CPU maps (all slots, 8-byte stride); map.c uses them
 * instead of lookup/update when present.
 */
struct ubf_map_ops {
	/* map-in-map: creation needs attr->inner_map, kept as a template in the header */
	bool has_inner_map;
	/*
	 * -EOPNOTSUPP from this type's ops is Linux's EOPNOTSUPP (a socket of
	 * the wrong kind), not the ENOTSUPP of an operation the type lacks
	 */
	bool is_eopnotsupp_real;
	/* flags Linux adds at creation (a devmap's BPF_F_RDONLY_PROG) */
	uint32_t add_flags;
	/* before any allocation: Linux's *_map_alloc_check() */
	int (*check_attr)(const struct ubf_map_attr *attr);
	/* process-local object; sets map->data_sz (the shared layout's size) */
	int (*alloc)(const struct ubf_map_attr *attr, struct ubf_map **mapp);
	/* after the memfd is mapped: @is_new for fresh (zeroed) memory */
	int (*attach)(struct ubf_map *map, bool is_new);
	void (*free)(struct ubf_map *map);
	void *(*lookup)(struct ubf_map *map, const void *key);
	int (*update)(struct ubf_map *map, const void *key, const void *value, uint64_t flags);
	int (*delete)(struct ubf_map *map, const void *key);
	int (*next_key)(const struct ubf_map *map, const void *key, void *next_key);
	int (*copy_out)(const struct ubf_map *map, const void *key, void *value, uint64_t flags);
	int (*copy_in)(struct ubf_map *map, const void *key, const void *value, uint64_t flags);
	int (*lookup_and_delete)(struct ubf_map *map, const void *key, void *value);
	int (*push)(struct ubf_map *map, const void *value, uint64_t flags);
	int (*pop)(struct ubf_map *map, void *value);
	int (*peek)(struct ubf_map *map, void *value);
	void *(*lookup_percpu)(struct ubf_map *map, const void *key, uint32_t cpu);
	/* optional: the area holding every value the lookups can return */
	void (*value_area)(const struct ubf_map *map, struct ubf_map_area *area);
	/* optional: lookup of u32 key k < max_entries is a fixed address (struct ubf_map_index) */
	void (*index_layout)(const struct ubf_map *map, struct ubf_map_index *ix);
};

/* maps.def: the registry's ops tables */
#define UBF_MAP_TYPE(name, id, ops) extern const struct ubf_map_ops ops;
#include "maps/maps.def"
#undef UBF_MAP_TYPE

/* ---- shared memory (shm.c) ---- */
size_t ubf_shm_page_size(void);
int ubf_shm_create(size_t size, int *fdp);
int ubf_shm_map(int fd, size_t size, void **addrp);
void ubf_shm_unmap(void *addr, size_t size);

static inline uint64_t ubf_round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

/* ---- process-shared locks: one 32-bit word in shared memory ---- */
void ubf_spin_lock(uint32_t *lock);
void ubf_spin_unlock(uint32_t *lock);

/* ---- helpers for types (map.c) ---- */
/* The calling thread's CPU from sched_getcpu() (0 when it fails). */
uint32_t ubf_map_cpu_slow(void);

/*
 * The calling thread's per-CPU slot, in [0, map->ncpu): its CPU from
 * glibc's rseq area when one is registered (else sched_getcpu()), modulo
 * the count; inline, as it is on every per-CPU access.
 */
static inline uint32_t ubf_map_this_cpu(const struct ubf_map *map)
{
	uint32_t cpu = UINT32_MAX;

#if defined(__x86_64__)
	if (__rseq_size) {
		uintptr_t tp;

		__asm__("mov %%fs:0, %0" : "=r"(tp));
		cpu = *(const volatile uint32_t *)(tp + (uintptr_t)__rseq_offset +
						   offsetof(struct rseq, cpu_id));
	}
#endif
	if (cpu == UINT32_MAX)	/* no rseq area, or not registered yet */
		cpu = ubf_map_cpu_slow();
	/* No division in the common case, a CPU below the count at creation. */
	return cpu < map->ncpu ? cpu : cpu % map->ncpu;
}

/* Copy a value, skipping the spin lock word (Linux copy_map_value). */
void ubf_map_copy_value(const struct ubf_map *map, void *dst, const void *src);
/* Copy a value under @dst's or @src's spin lock (Linux copy_map_value_locked). */
void ubf_map_copy_value_locked(const struct ubf_map *map, void *dst, const void *src,
			       bool lock_src);
/* Hash of @sz bytes with @seed (also used by bloom filter and stack trace). */
static inline uint32_t ubf_map_hash(const void *data, size_t sz, uint32_t seed)
{
	const uint8_t *p = data;
	uint32_t h = seed ^ (uint32_t)sz, k;
	size_t i;

	for (i = 0; i + 4 <= sz; i += 4) {
		memcpy(&k, p + i, 4);
		k *= 0xcc9e2d51u;
		k = (k << 15) | (k >> 17);
		h ^= k * 0x1b873593u;
		h = ((h << 13) | (h >> 19)) * 5 + 0xe6546b64u;
	}
	for (k = 0; i < sz; i++)
		k = (k << 8) | p[i];
	h ^= k * 0xcc9e2d51u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

/* Linux limits: KMALLOC_MAX_SIZE (x86-64) and PCPU_MIN_UNIT_SIZE. */
#define UBF_MAP_VALUE_MAX (4u << 20)
#define UBF_MAP_PCPU_VALUE_MAX (32u << 10)
/* Largest shared layout we map (Linux would fail the allocation: -ENOMEM). */
#define UBF_MAP_DATA_MAX (1ull << 40)
#define UBF_F_ACCESS_MASK (UBF_F_RDONLY | UBF_F_RDONLY_PROG | UBF_F_WRONLY | UBF_F_WRONLY_PROG)

/* Linux bpf_map_flags_access_ok(): not both read-only and write-only for programs. */
static inline bool ubf_map_flags_access_ok(uint32_t flags)
{
	return (flags & (UBF_F_RDONLY_PROG | UBF_F_WRONLY_PROG)) !=
	       (UBF_F_RDONLY_PROG | UBF_F_WRONLY_PROG);
}

/*
 * Run MAP_CREATE's checks on @attr without creating anything (the bpf(2)
 * layer checks the flags as given, before it drops the fd-only ones).
 */
int ubf_map_attr_check(const struct ubf_map_attr *attr);

/* array.c, shared with the fd arrays: Linux array_map_alloc_check() and index iteration */
int ubf_array_check_attr(const struct ubf_map_attr *attr);
int ubf_array_next_key(const struct ubf_map *map, const void *key, void *next_key);

/*
 * ubf_map_is_live() - is @p a struct ubf_map this process has open?  Checked
 * runs test map arguments with it before a helper touches them.
 */
bool ubf_map_is_live(const void *p);

/*
 * The ids stored in map-in-map slots and prog arrays are resolved by the
 * bpf(2) layer, which registers these at start-up; without them (an
 * embedder using the maps alone) lookups of such slots find nothing.
 */
struct ubf_prog;

struct ubf_map_resolver {
	struct ubf_map *(*map_by_id)(uint32_t id);
	const struct ubf_prog *(*prog_by_id)(uint32_t id);
};
void ubf_map_set_resolver(const struct ubf_map_resolver *resolver);
struct ubf_map *ubf_map_inner_by_id(uint32_t id);
const struct ubf_prog *ubf_map_prog_by_id(uint32_t id);
/* The id slot @idx of an fd array holds (program side), 0 when empty or out of range. */
uint32_t ubf_fd_array_slot(const struct ubf_map *map, uint32_t idx);

/* ---- program-side entry points (the helpers call these) ---- */
void *ubf_map_lookup(struct ubf_map *map, const void *key);
void *ubf_map_lookup_percpu(struct ubf_map *map, const void *key, uint32_t cpu);
int ubf_map_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags);
int ubf_map_delete(struct ubf_map *map, const void *key);
int ubf_map_push(struct ubf_map *map, const void *value, uint64_t flags);
int ubf_map_pop(struct ubf_map *map, void *value);
int ubf_map_peek(struct ubf_map *map, void *value);

/* ring buffers (ringbuf.c) */
void *ubf_ringbuf_reserve(struct ubf_map *map, uint64_t size, uint64_t flags);
/* submit/discard need only the sample: its header sits 8 bytes before it */
void ubf_ringbuf_submit(void *sample, uint64_t flags);
void ubf_ringbuf_discard(void *sample, uint64_t flags);
int ubf_ringbuf_output(struct ubf_map *map, const void *data, uint64_t size, uint64_t flags);
uint64_t ubf_ringbuf_query(struct ubf_map *map, uint64_t flags);

/* user ring buffers (user_ringbuf.c): the program side, bpf_user_ringbuf_drain() */
/* One sample; return nonzero to stop after it (the sample is consumed either way). */
typedef long (*ubf_user_ringbuf_fn)(void *ctx, void *sample, uint32_t size);
/*
 * Hand the submitted samples of a UBF_MAP_USER_RINGBUF map to @fn in order,
 * skipping discarded ones, up to 128 Ki samples; stops at a sample still
 * being written.  @flags: 0, UBF_RB_NO_WAKEUP or UBF_RB_FORCE_WAKEUP
 * (accepted; producers poll).  One drain at a time per map, across processes.
 * Returns the number of samples handed to @fn, -EBUSY while another drain
 * runs, -EINVAL on bad arguments or a producer position that is not 8-byte
 * aligned or a sample longer than what was produced, -E2BIG for a sample
 * larger than the ring or 16 MiB.
 */
int ubf_user_ringbuf_drain(struct ubf_map *map, ubf_user_ringbuf_fn fn, void *ctx,
			   uint64_t flags);

/* stack traces (stack_trace.c): bpf_get_stackid() flags, Linux's BPF_F_* bits */
#define UBF_STACKID_SKIP_MASK 0xffull		/* frames the helper skips; ignored here */
#define UBF_STACKID_USER_STACK (1ull << 8)	/* the helper's choice of stack; ignored here */
#define UBF_STACKID_FAST_CMP (1ull << 9)	/* equal hashes mean equal traces */
#define UBF_STACKID_REUSE (1ull << 10)		/* replace another trace in the bucket */
/*
 * Store a trace in a UBF_MAP_STACK_TRACE map, as bpf_get_stackid() does:
 * @entries holds @nr u64 ips (innermost first) or, for a UBF_F_STACK_BUILD_ID
 * map, @nr 32-byte struct bpf_stack_build_id records; beyond value_size they
 * are cut off.  Returns the stack id (>= 0), -EEXIST when another trace owns
 * the bucket and UBF_STACKID_REUSE is not set, -ENOMEM when all max_entries
 * traces are in use, -EFAULT for an empty trace, -EINVAL on bad flags or map.
 */
int ubf_stack_trace_store(struct ubf_map *map, const void *entries, uint32_t nr, uint64_t flags);

/*
 * struct ubf_slot_table - open addressing in a map's shared memory (slot.c):
 * @cap entries (a power of 2) of @entry_sz bytes from @base, each a u64
 * state word, the key (rounded up to 8 bytes), then the value.  Deletes
 * leave tombstones that inserts reuse.  The caller serialises writers
 * (a spin lock in the header's state) and counts the entries.
 */
struct ubf_slot_table {
	uint8_t *base;
	uint64_t cap;
	uint64_t entry_sz;
	uint32_t key_sz;
	uint32_t value_sz;
};

/* Bytes of a table of @cap entries. */
uint64_t ubf_slot_table_size(uint64_t cap, uint32_t key_sz, uint32_t value_sz);
/* The smallest power of 2 at least twice @max_entries (half full at most). */
uint64_t ubf_slot_table_cap(uint32_t max_entries);
void ubf_slot_table_init(struct ubf_slot_table *t, uint8_t *base, uint64_t cap,
			 uint32_t key_sz, uint32_t value_sz);
/* The value stored under @key, or NULL. */
void *ubf_slot_find(const struct ubf_slot_table *t, const void *key);
/* A new entry for @key (not present): its value, zeroed; NULL when full. */
void *ubf_slot_insert(struct ubf_slot_table *t, const void *key);
/* 0, or -ENOENT when @key is not present. */
int ubf_slot_remove(struct ubf_slot_table *t, const void *key);
/* Linux htab order: the key after @key, the first for NULL or a missing key; -ENOENT at the end. */
int ubf_slot_next_key(const struct ubf_slot_table *t, const void *key, void *next_key);

/* ---- host objects user space names by fd (host.c) ---- */
/* The socket behind @fd: -EBADF, -ENOTSOCK; its cookie (SO_COOKIE) in @cookie. */
int ubf_host_socket(int fd, uint64_t *cookie);
/*
 * Whether Linux's sockmap takes the socket behind @fd: TCP established or
 * listening, bound UDP, connected stream or any datagram unix socket;
 * -EOPNOTSUPP for others.
 */
int ubf_host_socket_sockmap_ok(int fd);
/* Whether the socket is a bound TCP/UDP inet socket with SO_REUSEPORT: -EINVAL, -EOPNOTSUPP. */
int ubf_host_socket_reuseport_ok(int fd);
/* The cgroup (v2 directory) behind @fd: its id (inode number) or -EBADF. */
int ubf_host_cgroup(int fd, uint64_t *id);
/* The process a pidfd names: its pid or -EBADF. */
int ubf_host_pidfd(int fd, uint64_t *pid);
/* Whether @ifindex names a network device of this host. */
bool ubf_host_ifindex_ok(uint32_t ifindex);

#endif /* UBF_MAPS_MAP_H */
