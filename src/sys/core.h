/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core.h - what the files of the sys core share and nobody else needs:
 * the BTF object, the map object's extra state, enumerating every object
 * file this process can reach (its own, pins, other processes' fds) for
 * the id commands, and the Linux attr helpers (pointers in u64 fields,
 * the info_len rule).  Public pieces are in sys.h.
 */
#ifndef UBF_SYS_CORE_H
#define UBF_SYS_CORE_H

#include <pthread.h>

#include "sys/sys.h"

/* Linux's kernel-internal ENOTSUPP, which bpf(2) returns as is. */
#define UBF_ENOTSUPP 524

/* Linux's BPF_OBJ_FLAG_MASK: the file access flags of OBJ_GET and GET_FD_BY_ID. */
#define UBF_OBJ_FLAG_MASK (BPF_F_RDONLY | BPF_F_WRONLY)

/* struct ubf_sys_btf - a BTF object: the raw blob in its file, parsed by libbpf. */
struct ubf_sys_btf {
	struct ubf_obj obj;
	struct btf *btf;
	void *data;
	uint32_t data_sz;
};

/* The last page of a BTF object file; the blob starts at offset 0. */
struct ubf_btf_file_hdr {
	struct ubf_obj_hdr obj;
	uint32_t btf_size;
};

/* struct ubf_sys_map - a map object: the map plus the BTF object MAP_CREATE held. */
struct ubf_sys_map {
	struct ubf_obj obj;
	struct ubf_obj *btf;
	pthread_mutex_t held_lock;
	struct ubf_obj **held;	/* objects this process's slot updates hold */
	size_t held_cnt;
	size_t held_cap;
};

static inline void *ubf_u64_to_ptr(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* Linux's bpf_get_file_flag(): open(2) access mode of an fd for BPF_F_RDONLY/WRONLY. */
int ubf_sys_file_flag(uint32_t flags);

/* The open(2) access mode of @fd (O_RDONLY, O_WRONLY, O_RDWR), or -EBADF. */
int ubf_sys_fd_mode(int fd);

/* A new fd on @obj's file with open(2) access mode @mode (| O_CLOEXEC). */
int ubf_obj_new_fd_mode(struct ubf_obj *obj, int mode);

/*
 * ubf_obj_fd_by_id() - GET_FD_BY_ID: a new fd (access mode @mode) on the
 * object of @kind with @id, wherever it lives.  -ENOENT when none.
 */
int ubf_obj_fd_by_id(enum ubf_obj_kind kind, uint32_t id, int mode);

/* ubf_obj_next_id() - the smallest id of @kind above @start, or -ENOENT. */
int ubf_obj_next_id(enum ubf_obj_kind kind, uint32_t start, uint32_t *nextp);

/* ubf_obj_kind_magic() - the header magic of @kind. */
uint64_t ubf_obj_kind_magic(enum ubf_obj_kind kind);

/* Per-kind opening and release in btf.c. */
int ubf_sys_btf_open(int fd, struct ubf_obj **objp);
void ubf_sys_btf_release(struct ubf_obj *obj);
int ubf_sys_btf_info(struct ubf_obj *obj, union bpf_attr *attr);

/* Map info in map_cmd.c. */
int ubf_sys_map_info(struct ubf_obj *obj, union bpf_attr *attr);

/*
 * ubf_sys_info_prepare() - Linux's bpf_check_uarg_tail_zero() for an info
 * struct of @our_sz bytes: E2BIG when the caller's bytes beyond it are not
 * zero, EFAULT when unreadable; then *@copy_szp = min(info_len, our_sz).
 */
int ubf_sys_info_prepare(const union bpf_attr *attr, size_t our_sz, uint32_t *copy_szp);

/* Copy @copy_sz bytes of @info to the caller and write info_len back. */
int ubf_sys_info_finish(union bpf_attr *attr, const void *info, uint32_t copy_sz);

/*
 * Holds (collect.c).  ubf_obj_store_hold() - keep @obj alive for an object
 * that names it by id, in this and later processes (a link in
 * <root>/.held).  ubf_obj_collect() - unlink the holds that no pin, no
 * process's fd or mapping, and no reachable object's reference reaches
 * any more; returns how many, or -errno.  ubf_obj_collect_if_due() runs it
 * when this process has made enough holds since the last time (the bpf(2)
 * entry calls it after each command).  ubf_obj_pin_locked() - link the
 * file of @fd at @path under the lock a collection excludes.
 */
void ubf_obj_store_hold(struct ubf_obj *obj);
/* The same for the file behind @fd, of @kind (or UBF_PERF_ID_COUNTER: a perf event). */
void ubf_obj_hold_file(int fd, enum ubf_obj_kind kind, uint32_t id);
int ubf_obj_collect(void);
void ubf_obj_collect_if_due(void);
int ubf_obj_pin_locked(int fd, const char *path);

/*
 * ubf_obj_scan_roots() - every object file that is a root of the
 * collection: the pins under the store (not .held) and the store files
 * any process of this user, this one included, has open.  @fn returns
 * nonzero to stop; so does ubf_obj_scan_roots().
 */
typedef int (*ubf_obj_scan_fn)(void *ctx, const char *path, const struct ubf_obj_hdr *hdr,
			       enum ubf_obj_kind kind);
int ubf_obj_scan_roots(ubf_obj_scan_fn fn, void *ctx);

/* The kind of object a map type's values name by id (prog arrays, maps of maps), or 0. */
enum ubf_obj_kind ubf_sys_map_slot_kind(uint32_t map_type);

/* Register the map/prog resolvers with the maps module (once). */
void ubf_sys_resolver_init(void);

struct ubf_verify_input;

/*
 * ubf_sys_prog_verify() - the verifier step of PROG_LOAD (prog_verify.c).
 * @in holds the program's instructions in their xlated form (map lddws
 * carry map ids), its BTF, func_info, line_info and log level; the maps,
 * type and attach type come from @prog.  Sets @prog->is_verified (run it
 * trusted) and @prog->ctx_max; a program left unverified runs checked
 * (UBF_BPF_F_UNVERIFIED).
 * Return: 0; -EACCES rejected; -E2BIG the complexity limit; -EINVAL
 * malformed; -ENOMEM.
 */
int ubf_sys_prog_verify(struct ubf_sys_prog *prog, struct ubf_verify_input *in,
			const struct ubf_log *log);

#endif /* UBF_SYS_CORE_H */
