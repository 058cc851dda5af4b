/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * store.h - the object store: the directory whose files back every map,
 * program, BTF object and link, the header each of those files carries in
 * its last page, the shared id counters and the mapping of Linux pin paths
 * into the store.  It depends on libc only, so the maps module can create
 * its files here without depending on the rest of the bpf(2) layer.
 */
#ifndef UBF_SYS_STORE_H
#define UBF_SYS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ubf_obj_kind {
	UBF_OBJ_MAP = 1,
	UBF_OBJ_PROG,
	UBF_OBJ_BTF,
	UBF_OBJ_LINK,
};

#define UBF_OBJ_KIND_MAX 8

#define UBF_PROG_MAGIC 0x3167727066627575ull /* "uubfprg1" */
#define UBF_BTF_MAGIC 0x3166746266627575ull  /* "uubfbtf1" */
#define UBF_LINK_MAGIC 0x316b6e6c66627575ull /* "uubflnk1" */

/*
 * Every object file ends with one page that starts with struct
 * ubf_obj_hdr: the magic names the kind, so any fd (inherited, received,
 * opened from a pin) can be recognised with one pread.  Maps keep their
 * Linux mmap layout from offset 0 (struct ubf_map_hdr begins with this).
 */
struct ubf_obj_hdr {
	uint64_t magic;		/* UBF_MAP_MAGIC, UBF_PROG_MAGIC, UBF_BTF_MAGIC, UBF_LINK_MAGIC */
	uint32_t version;
	uint32_t hdr_sz;
	uint32_t id;		/* system-wide (per store) id, from ubf_store_next_id() */
	uint32_t uid;		/* creator */
	uint64_t create_ns;	/* CLOCK_REALTIME at creation (load_time in info) */
};

/*
 * ubf_store_root() - where object files live and pins are: $UBF_PIN_ROOT,
 * else $XDG_RUNTIME_DIR/userbpf, else /run/userbpf for root, else
 * /tmp/userbpf-<uid>; created (0700) on first use.  The environment is read
 * on every call; the string returned stays valid for the life of the
 * process.  Never NULL.
 */
const char *ubf_store_root(void);

/*
 * ubf_store_root_name() - the path ubf_store_root() returns, without
 * creating the directory: for a caller that only compares paths with it
 * (the preload library's statfs() of any path must not make a store).
 */
void ubf_store_root_name(char *buf, size_t buf_sz);

/*
 * ubf_store_file() - a new anonymous object file of @size bytes (zeroed,
 * sparse) in the store's file system, so that pinning can link it:
 * O_TMPFILE, O_RDWR, O_CLOEXEC.  When the store cannot hold it (no
 * O_TMPFILE support, not writable) the file is a memfd instead, which works
 * in every respect except pinning (-EOPNOTSUPP).  Return: 0 with *@fdp, or
 * -errno.
 */
int ubf_store_file(size_t size, int *fdp);

/*
 * ubf_store_next_id() - the next id of @kind, shared by every process of
 * the store (from 1, never reused while the store exists).  0 only when
 * the counter file cannot be created.
 */
uint32_t ubf_store_next_id(enum ubf_obj_kind kind);

/*
 * ubf_store_pin_path() - Linux pin path (any absolute path; /sys/fs/bpf/X
 * means <root>/X) to the file in the store.  Return: 0, -ENAMETOOLONG,
 * -EINVAL for a relative or empty path.
 */
int ubf_store_pin_path(const char *path, char *buf, size_t buf_sz);

/*
 * ubf_store_hold() - keep the object file behind @fd alive as long as the
 * store: a hard link <root>/.held/<kind>-<id>, made when another object
 * that may be rebuilt in a later process (a program, a map) refers to it
 * by id.  Best effort: a memfd object cannot be linked, and an existing
 * link is already the hold.
 */
void ubf_store_hold(int fd, const char *kind, uint32_t id);

/* ubf_store_is_memfd() - is @fd a memfd (an object file that cannot be pinned)? */
bool ubf_store_is_memfd(int fd);

/* ubf_store_obj_init() - fill @hdr for a new object of @kind: magic, version, size, id, uid, time. */
void ubf_store_obj_init(struct ubf_obj_hdr *hdr, uint64_t magic, uint32_t hdr_sz,
			enum ubf_obj_kind kind);

#endif /* UBF_SYS_STORE_H */
