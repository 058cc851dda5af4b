/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys.h - userbpf's bpf(2) inside the library: the object store (files
 * under the pin root that back every program, map, BTF object and link),
 * the process-local object registry keyed by the backing file's identity,
 * the program object and the PROG_TEST_RUN interface the program types
 * implement.  The public entry point is ubf_bpf() in <userbpf/bpf.h>;
 * commands take Linux's union bpf_attr and return Linux's errno.
 */
#ifndef UBF_SYS_SYS_H
#define UBF_SYS_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/bpf.h>

#include <userbpf/bpf.h>

#include "maps/map.h"
#include "sys/store.h"
#include "vm/vm.h"

/* The store (store.c): the directory, object files, ids, pin paths; see store.h. */

/* ---- objects (obj.c) ---- */

struct ubf_sys_prog;
struct ubf_sys_btf;
struct ubf_sys_link;

/*
 * struct ubf_obj - one object as this process knows it: created here,
 * inherited, or opened from a pin or an id.  Found by the (st_dev, st_ino)
 * of any fd that refers to its file.  @refcnt counts other objects that
 * hold it (a program its maps, a link its program); an object nobody
 * holds and no fd of this process refers to is released by the next sweep.
 */
struct ubf_obj {
	enum ubf_obj_kind kind;
	uint32_t id;
	dev_t dev;
	ino_t ino;
	int fd;				/* the registry's own fd on the file, never handed out */
	const char *store;		/* ubf_store_root() when registered: ids are per store */
	int refcnt;
	bool is_resolved;		/* held for program-side lookups (map-in-map, tail calls) */
	struct ubf_obj_hdr *hdr;	/* in the file's last page, mapped shared */
	union {
		struct ubf_map *map;
		struct ubf_sys_prog *prog;
		struct ubf_sys_btf *btf;
		struct ubf_sys_link *link;
	};
};

/*
 * ubf_obj_get() - the object an fd refers to, opening (and registering) it
 * when this process has not seen its file yet.  @kind 0 accepts any kind.
 * Return: 0; -EBADF when @fd is not open; -EINVAL when it is not a userbpf
 * object or not of @kind.  No reference is taken.
 */
int ubf_obj_get(int fd, enum ubf_obj_kind kind, struct ubf_obj **objp);

/* ubf_obj_by_id() - the live object of @kind with @id (-ENOENT when none). */
int ubf_obj_by_id(enum ubf_obj_kind kind, uint32_t id, struct ubf_obj **objp);

/* ubf_obj_new_fd() - a new fd (O_RDWR | O_CLOEXEC) for @obj's file: GET_FD_BY_ID, OBJ_GET. */
int ubf_obj_new_fd(struct ubf_obj *obj);

/* Register an object whose file this process just created (@fd refers to it). */
int ubf_obj_register(struct ubf_obj *obj, int fd);

void ubf_obj_hold(struct ubf_obj *obj);
void ubf_obj_put(struct ubf_obj *obj);

/*
 * ubf_obj_sweep() - release every object nothing holds and no fd of this
 * process refers to (the registry also does this every so often by
 * itself).  Return: the number released.
 */
int ubf_obj_sweep(void);

/*
 * ubf_sys_copy_from_user()/ubf_sys_copy_to_user() - copy between the
 * caller's buffers (pointers from a union bpf_attr) and ours, as Linux's
 * copy_{from,to}_user: -EFAULT for NULL or unmapped memory, never a crash.
 */
int ubf_sys_copy_from_user(void *dst, const void *src, size_t n);
int ubf_sys_copy_to_user(void *dst, const void *src, size_t n);

/*
 * ubf_sys_btf_get() - the BTF object behind @fd, parsed by libbpf.  The
 * struct btf belongs to the object: it stays valid while the object lives
 * (hold the object, ubf_obj_get() + ubf_obj_hold(), to keep it).  Return:
 * 0; -EBADF when @fd is not open; -EINVAL when it is not a BTF object.
 */
struct btf;
int ubf_sys_btf_get(int fd, struct btf **btfp);

/*
 * ubf_sys_vmlinux_btf() - the kernel's BTF, parsed once per process when
 * first asked for: the file the environment variable UBF_VMLINUX_BTF
 * names, else /sys/kernel/btf/vmlinux.  NULL when it cannot be read;
 * ubf_sys_vmlinux_btf_path() then says which file and why (*err, -errno).
 */
const struct btf *ubf_sys_vmlinux_btf(void);
const char *ubf_sys_vmlinux_btf_path(int *err);

/* Linux's license_is_gpl_compatible(): may a program under @lic call GPL-only helpers? */
bool ubf_sys_license_is_gpl(const char *lic);

/* ---- command handlers: one per row of cmds.def (bpf.c dispatches) ---- */

/*
 * Every handler gets the attr copied into a zeroed full union bpf_attr
 * (bpf.c has checked the size and the zero tail) and returns >= 0 or a
 * negative Linux errno.  Fields Linux writes back to the caller's attr
 * (next_id, info.info_len, batch.count, test.retval, ...) are written into
 * *attr: bpf.c copies the bytes that changed back to the caller, whatever
 * the handler returned.  Handlers change no other field.  The program commands live in prog.c, the rest in
 * the files named in cmds.def.
 */
#define UBF_SYS_CMD(cmd, handler, last_field) int handler(union bpf_attr *attr);
#include "sys/cmds.def"
#undef UBF_SYS_CMD

/* ---- per-kind hooks the registry and OBJ_GET_INFO_BY_FD call ---- */

/*
 * Rebuild a program from its file (OBJ_GET, GET_FD_BY_ID, an inherited
 * fd).  @fd is borrowed (the registry keeps its own); set obj->hdr (the
 * mapped last page) and the program's fields; the registry fills kind,
 * id, dev, ino and fd.  Release frees the container after the registry
 * closed obj->fd.
 */
int ubf_sys_prog_open(int fd, struct ubf_obj **objp);
void ubf_sys_prog_release(struct ubf_obj *obj);
/* @info holds what the caller passed (array pointers and lengths); fill the rest. */
int ubf_sys_prog_info(struct ubf_obj *obj, struct bpf_prog_info *info);

/* ---- programs (prog.c) ---- */

/*
 * struct ubf_sys_prog - a program loaded through PROG_LOAD: the engine's
 * program plus what bpf(2) reports and what the program holds.
 */
struct ubf_sys_prog {
	struct ubf_obj obj;
	struct ubf_prog *vm;
	uint32_t prog_type;		/* enum bpf_prog_type */
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	char name[BPF_OBJ_NAME_LEN];
	uint8_t tag[BPF_TAG_SIZE];
	struct ubf_obj **maps;		/* held: every map the program's lddw names */
	uint32_t map_cnt;
	struct ubf_obj *btf;		/* prog_btf_fd, held, or NULL */
	bool gpl_compatible;
	bool is_verified;		/* runs trusted (prog_verify.c) */
	uint32_t ctx_max;		/* context bytes it may touch, when verified */
	void *file;			/* the whole file, mapped shared; the header ends it */
	size_t file_sz;
};

/*
 * struct ubf_test_run - one PROG_TEST_RUN, prepared by prog.c from the
 * attr and handed to the program type's runner.  Buffers are the caller's
 * copies; the runner writes results into the *_out fields.
 */
struct ubf_test_run {
	struct ubf_sys_prog *prog;
	void *data;			/* data_in, with room for data_cap bytes */
	uint32_t data_sz;		/* data_size_in */
	uint32_t data_cap;
	void *ctx;			/* ctx_in (or zeroes), room for ctx_cap bytes */
	uint32_t ctx_sz;		/* ctx_size_in */
	uint32_t ctx_cap;
	uint32_t repeat;		/* at least 1 */
	uint32_t flags;			/* BPF_F_TEST_* */
	uint32_t cpu;
	/* results */
	uint32_t retval;
	uint32_t duration_ns;		/* average per run */
	bool no_duration;		/* the type reports none (raw_tp, syscall: Linux's rule) */
	uint32_t data_size_out;
	uint32_t ctx_size_out;
	void *data_out;			/* where the output packet starts (may move: adjust_head) */
	const union bpf_attr *attr;	/* the command's attr, for the type's own rules */
};

/* A program type's PROG_TEST_RUN: 0 or a Linux errno (negative). */
typedef int (*ubf_test_run_fn)(struct ubf_test_run *t);

/*
 * struct ubf_prog_file_hdr - the last page of a program's file.  The data
 * before it: the instructions in Linux's xlated form (map lddws carry map
 * ids), the map ids, func_info and line_info records, at the offsets
 * below.  The run statistics are updated atomically by every process.
 */
struct ubf_prog_file_hdr {
	struct ubf_obj_hdr obj;
	uint32_t prog_type;
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	uint32_t insn_cnt;
	uint32_t map_cnt;
	uint32_t btf_id;		/* of prog_btf_fd, or 0 */
	uint32_t func_info_cnt;		/* struct bpf_func_info records */
	uint32_t line_info_cnt;		/* struct bpf_line_info records */
	uint32_t attach_btf_id;
	uint32_t gpl_compatible;
	uint32_t is_verified;		/* the verifier proved it: runs trusted */
	uint32_t ctx_max;		/* context bytes it may touch (Linux's max_ctx_offset) */
	uint64_t load_time;		/* CLOCK_BOOTTIME ns, as Linux's info->load_time */
	uint64_t insns_off;
	uint64_t map_ids_off;
	uint64_t func_info_off;
	uint64_t line_info_off;
	char name[BPF_OBJ_NAME_LEN];
	uint8_t tag[BPF_TAG_SIZE];
	uint64_t run_cnt;		/* atomic */
	uint64_t run_time_ns;		/* atomic */
	uint64_t recursion_misses;	/* atomic */
};

/* The program types of prog_types.def. */
struct ubf_prog_type {
	const char *name;		/* bpftool's */
	uint32_t ctx_size;
	ubf_test_run_fn test_run;	/* NULL: PROG_TEST_RUN answers ENOTSUPP */
};

/* ubf_prog_type() - the row of @type, or NULL when Linux has no such type. */
const struct ubf_prog_type *ubf_prog_type(uint32_t type);

/* The file header of a loaded program (mapped shared). */
static inline struct ubf_prog_file_hdr *ubf_sys_prog_hdr(const struct ubf_sys_prog *prog)
{
	return (struct ubf_prog_file_hdr *)(void *)prog->obj.hdr;
}

/* Runners in test_run.c (generic, context-only types) and test_run_pkt.c (packets). */
int ubf_test_run_raw_tp(struct ubf_test_run *t);
int ubf_test_run_syscall(struct ubf_test_run *t);
int ubf_test_run_xdp(struct ubf_test_run *t);
int ubf_test_run_skb(struct ubf_test_run *t);

/*
 * ubf_sys_stats_enabled() - is run-time accounting on (an fd from
 * ENABLE_STATS(BPF_STATS_RUN_TIME) open in any process of the store)?
 */
bool ubf_sys_stats_enabled(void);

/*
 * ubf_test_run_loop() - run @t->prog @t->repeat times with @r1 (and, for a
 * checked program, the extra @regions), timing the loop, adding to the
 * program's run statistics when enabled; fills retval and duration_ns.
 */
int ubf_test_run_loop(struct ubf_test_run *t, void *r1, size_t r1_sz,
		      const struct ubf_region *regions, size_t region_cnt);

/* ---- links (link.c) and application hook points (hook.c) ---- */

struct ubf_tp;
struct ubf_link_ops;

/* The last page of a link's file: what another process needs for info. */
struct ubf_link_file_hdr {
	struct ubf_obj_hdr obj;
	uint32_t type;			/* enum bpf_link_type */
	uint32_t prog_id;
	uint32_t attach_type;		/* enum bpf_attach_type */
	uint32_t owner_pid;		/* the process whose hook point runs the program */
	char tp_name[128];		/* raw tracepoints: the hook point's name */
};

/*
 * struct ubf_sys_link - a link.  In the process that attached it, @prog is
 * held and @tp set while the attachment lives; a link reopened elsewhere
 * (pin, id) only reports what its file says.
 */
struct ubf_sys_link {
	struct ubf_obj obj;
	const struct ubf_link_ops *ops;
	struct ubf_obj *prog;		/* held while attached here, else NULL */
	struct ubf_tp *tp;		/* raw tracepoints attached here */
	int wd;				/* inotify watch on the file while attached, or -1 */
};

static inline struct ubf_link_file_hdr *ubf_sys_link_hdr(const struct ubf_sys_link *link)
{
	return (struct ubf_link_file_hdr *)(void *)link->obj.hdr;
}

/* Rebuild a link from its file (a pin, an id, an inherited fd); release frees it. */
int ubf_sys_link_open(int fd, struct ubf_obj **objp);
void ubf_sys_link_release(struct ubf_obj *obj);
int ubf_sys_link_info(struct ubf_obj *obj, union bpf_attr *attr);

/* ubf_hook_tp_find() - the hook point named @name: 0, or -ENOENT when nobody defined it. */
int ubf_hook_tp_find(const char *name, struct ubf_tp **tpp);

/* ubf_hook_tp_attach() - run @prog last on every firing of @tp (-ENOMEM). */
int ubf_hook_tp_attach(struct ubf_tp *tp, struct ubf_sys_prog *prog);

/*
 * ubf_hook_tp_detach() - stop running @prog (its first attachment) from
 * @tp; when this returns no thread runs it through @tp any more.
 */
void ubf_hook_tp_detach(struct ubf_tp *tp, struct ubf_sys_prog *prog);

#endif /* UBF_SYS_SYS_H */
