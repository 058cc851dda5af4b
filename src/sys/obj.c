// SPDX-License-Identifier: BSD-2-Clause
/*
 * obj.c - the process's registry of bpf(2) objects.  An object is known
 * by the (st_dev, st_ino) of its file, so every fd on it (created here,
 * inherited, dup'd, opened from a pin or another process's /proc/PID/fd)
 * finds the same struct ubf_obj; the kind is the magic in the file's last
 * page.  Objects nothing holds and no fd of the process refers to are
 * released by a sweep over /proc/self/fd that runs every SWEEP_EVERY
 * registrations.  It also enumerates every object file reachable for the
 * id commands.  What an object is, beyond its header, is its kind's file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/core.h"

#define SWEEP_EVERY 32
#define PIN_DEPTH_MAX 16

/* Recursive: opening a program opens (gets) the maps it holds. */
static struct {
	pthread_mutex_t lock;
	struct ubf_obj **objs;
	size_t cnt;
	size_t cap;
	unsigned int since_sweep;
} reg = { .lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP };

uint64_t ubf_obj_kind_magic(enum ubf_obj_kind kind)
{
	switch (kind) {
	case UBF_OBJ_MAP:
		return UBF_MAP_MAGIC;
	case UBF_OBJ_PROG:
		return UBF_PROG_MAGIC;
	case UBF_OBJ_BTF:
		return UBF_BTF_MAGIC;
	case UBF_OBJ_LINK:
		return UBF_LINK_MAGIC;
	}
	return 0;
}

static enum ubf_obj_kind kind_of_magic(uint64_t magic)
{
	enum ubf_obj_kind k;

	for (k = UBF_OBJ_MAP; k <= UBF_OBJ_LINK; k++) {
		if (ubf_obj_kind_magic(k) == magic)
			return k;
	}
	return 0;
}

/*
 * Read the header of the object file behind @fd (which must be readable):
 * 0 with the kind, or -EINVAL when the file is not a userbpf object.
 */
static int read_hdr(int fd, struct ubf_obj_hdr *hdr, enum ubf_obj_kind *kindp)
{
	size_t page = ubf_shm_page_size();
	struct stat st;

	if (fstat(fd, &st))
		return -EBADF;
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)page || st.st_size % (off_t)page)
		return -EINVAL;
	if (pread(fd, hdr, sizeof(*hdr), st.st_size - (off_t)page) != (ssize_t)sizeof(*hdr))
		return -EINVAL;
	*kindp = kind_of_magic(hdr->magic);
	return *kindp ? 0 : -EINVAL;
}

/* The caller holds reg.lock. */
static struct ubf_obj *find(dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < reg.cnt; i++) {
		if (reg.objs[i]->dev == dev && reg.objs[i]->ino == ino)
			return reg.objs[i];
	}
	return NULL;
}

static int insert(struct ubf_obj *obj)
{
	struct ubf_obj **objs;
	size_t cap;

	if (reg.cnt == reg.cap) {
		cap = reg.cap ? reg.cap * 2 : 32;
		objs = realloc(reg.objs, cap * sizeof(*objs));
		if (!objs)
			return -ENOMEM;
		reg.objs = objs;
		reg.cap = cap;
	}
	obj->store = ubf_store_root();
	reg.objs[reg.cnt++] = obj;
	return 0;
}

static void release(struct ubf_obj *obj)
{
	struct ubf_sys_map *m;
	int fd = obj->fd;

	switch (obj->kind) {
	case UBF_OBJ_MAP:
		m = ubf_container_of(obj, struct ubf_sys_map, obj);
		if (m->btf)
			ubf_obj_put(m->btf);
		while (m->held_cnt)
			ubf_obj_put(m->held[--m->held_cnt]);
		free(m->held);
		ubf_map_free(obj->map);	/* closes obj->fd, its own */
		pthread_mutex_destroy(&m->held_lock);
		free(m);
		return;
	case UBF_OBJ_PROG:
		close(fd);
		ubf_sys_prog_release(obj);
		return;
	case UBF_OBJ_BTF:
		close(fd);
		ubf_sys_btf_release(obj);
		return;
	case UBF_OBJ_LINK:
		close(fd);
		ubf_sys_link_release(obj);
		return;
	}
}

static int open_map(int fd, struct ubf_obj **objp)
{
	struct ubf_sys_map *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	err = ubf_map_open_fd(&m->obj.map, fd);
	if (err) {
		free(m);
		return err;
	}
	m->obj.hdr = &m->obj.map->hdr->obj;
	pthread_mutex_init(&m->held_lock, NULL);
	*objp = &m->obj;
	return 0;
}

/* An id for an object whose creator gave it none (a map made with ubf_map_create()). */
static void ensure_id(struct ubf_obj *obj)
{
	uint32_t expected = 0, id;

	if (__atomic_load_n(&obj->hdr->id, __ATOMIC_ACQUIRE))
		return;
	id = ubf_store_next_id(obj->kind);
	__atomic_compare_exchange_n(&obj->hdr->id, &expected, id, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
}

/* Open the file behind @fd as a new object; the caller holds reg.lock. */
static int open_obj(int fd, const struct stat *st, enum ubf_obj_kind want,
		    struct ubf_obj **objp)
{
	struct ubf_obj_hdr hdr;
	enum ubf_obj_kind kind;
	struct ubf_obj *obj = NULL;
	char path[64];
	int own, err;

	/* our own description: the caller's fd may be read- or write-only */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	own = open(path, O_RDWR | O_CLOEXEC);
	if (own < 0)
		return errno == ENOENT ? -EBADF : -EINVAL;
	err = read_hdr(own, &hdr, &kind);
	if (!err && want && kind != want)
		err = -EINVAL;
	if (err)
		goto out_close;
	switch (kind) {
	case UBF_OBJ_MAP:
		err = open_map(own, &obj);
		break;
	case UBF_OBJ_PROG:
		err = ubf_sys_prog_open(own, &obj);
		break;
	case UBF_OBJ_BTF:
		err = ubf_sys_btf_open(own, &obj);
		break;
	case UBF_OBJ_LINK:
		err = ubf_sys_link_open(own, &obj);
		break;
	}
	if (err)
		goto out_close;
	obj->kind = kind;
	obj->dev = st->st_dev;
	obj->ino = st->st_ino;
	if (kind == UBF_OBJ_MAP) {
		close(own);
		obj->fd = obj->map->fd;
	} else {
		obj->fd = own;
	}
	ensure_id(obj);
	obj->id = obj->hdr->id;
	err = insert(obj);
	if (err) {
		release(obj);
		return err;
	}
	*objp = obj;
	return 0;

out_close:
	close(own);
	return err;
}

static void maybe_sweep(void)
{
	if (++reg.since_sweep >= SWEEP_EVERY)
		ubf_obj_sweep();
}

int ubf_obj_get(int fd, enum ubf_obj_kind kind, struct ubf_obj **objp)
{
	struct ubf_obj *obj;
	struct stat st;
	int err = 0;

	if (fd < 0 || fstat(fd, &st))
		return -EBADF;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	pthread_mutex_lock(&reg.lock);
	obj = find(st.st_dev, st.st_ino);
	if (!obj) {
		maybe_sweep();
		err = open_obj(fd, &st, kind, &obj);
	} else if (kind && obj->kind != kind) {
		err = -EINVAL;
	}
	pthread_mutex_unlock(&reg.lock);
	if (!err)
		*objp = obj;
	return err;
}

int ubf_obj_register(struct ubf_obj *obj, int fd)
{
	struct stat st;
	int err;

	if (fstat(fd, &st))
		return -EBADF;
	pthread_mutex_lock(&reg.lock);
	maybe_sweep();
	obj->dev = st.st_dev;
	obj->ino = st.st_ino;
	if (!obj->id && obj->hdr)
		obj->id = obj->hdr->id;
	err = find(st.st_dev, st.st_ino) ? -EEXIST : insert(obj);
	pthread_mutex_unlock(&reg.lock);
	return err;
}

void ubf_obj_hold(struct ubf_obj *obj)
{
	__atomic_add_fetch(&obj->refcnt, 1, __ATOMIC_ACQ_REL);
}

/* A put only drops the count: the sweep releases what no fd refers to. */
void ubf_obj_put(struct ubf_obj *obj)
{
	if (obj)
		__atomic_sub_fetch(&obj->refcnt, 1, __ATOMIC_ACQ_REL);
}

int ubf_obj_new_fd_mode(struct ubf_obj *obj, int mode)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", obj->fd);
	fd = open(path, mode | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ubf_obj_new_fd(struct ubf_obj *obj)
{
	return ubf_obj_new_fd_mode(obj, O_RDWR);
}

/* ---------------------------------------------------------------- sweep */

static bool is_own_fd(int fd)
{
	size_t i;

	for (i = 0; i < reg.cnt; i++) {
		if (reg.objs[i]->fd == fd)
			return true;
	}
	return false;
}

static void mark_seen(bool *seen)
{
	struct dirent *de;
	struct stat st;
	size_t i;
	DIR *d;
	int fd;

	d = opendir("/proc/self/fd");
	if (!d) {
		memset(seen, 1, reg.cnt);	/* cannot tell: keep everything */
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd == dirfd(d) || is_own_fd(fd) || fstat(fd, &st) || !S_ISREG(st.st_mode))
			continue;
		for (i = 0; i < reg.cnt; i++) {
			if (reg.objs[i]->dev == st.st_dev && reg.objs[i]->ino == st.st_ino)
				seen[i] = true;
		}
	}
	closedir(d);
}

int ubf_obj_sweep(void)
{
	struct ubf_obj *obj;
	size_t i, kept = 0;
	int released = 0;
	bool *seen;

	pthread_mutex_lock(&reg.lock);
	reg.since_sweep = 0;
	seen = calloc(reg.cnt + 1, sizeof(*seen));
	if (!seen) {
		pthread_mutex_unlock(&reg.lock);
		return 0;
	}
	mark_seen(seen);
	for (i = 0; i < reg.cnt; i++) {
		obj = reg.objs[i];
		if (seen[i] || obj->is_resolved || __atomic_load_n(&obj->refcnt, __ATOMIC_ACQUIRE)) {
			reg.objs[kept++] = obj;
			continue;
		}
		release(obj);
		released++;
	}
	reg.cnt = kept;
	free(seen);
	pthread_mutex_unlock(&reg.lock);
	return released;
}

/* ---------------------------------------------------------------- finding by id */

/*
 * Every object file reachable from this process, besides its registry:
 * files under the store (pins) and the store files other processes of
 * this user have open.  @fn gets a path to open and the header read; it
 * returns nonzero to stop.
 */
typedef ubf_obj_scan_fn scan_fn;

static int scan_file(const char *path, scan_fn fn, void *ctx)
{
	struct ubf_obj_hdr hdr;
	enum ubf_obj_kind kind;
	int fd, stop = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	if (!read_hdr(fd, &hdr, &kind) && hdr.id)
		stop = fn(ctx, path, &hdr, kind);
	close(fd);
	return stop;
}

static int scan_pins(const char *dir, int depth, bool with_held, scan_fn fn, void *ctx)
{
	char path[PATH_MAX];
	struct dirent *de;
	int stop = 0;
	DIR *d;

	if (depth > PIN_DEPTH_MAX)
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while (!stop && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".ids") || (!with_held && !strcmp(de->d_name, ".held")))
			continue;	/* objects held in .held count, unless roots are asked for */
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (de->d_type == DT_DIR)
			stop = scan_pins(path, depth + 1, with_held, fn, ctx);
		else if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN)
			stop = scan_file(path, fn, ctx);
	}
	closedir(d);
	return stop;
}

/* Does the /proc fd link @link point at a store file (anonymous or pinned)? */
static bool is_store_link(const char *link, const char *root)
{
	char target[PATH_MAX];
	size_t len = strlen(root);
	ssize_t n;

	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	if (!strncmp(target, "/memfd:ubf", 10))
		return true;
	return !strncmp(target, root, len) && target[len] == '/';
}

static int scan_proc_pid(const char *pid, const char *root, scan_fn fn, void *ctx)
{
	char dir[300], path[600];
	struct dirent *de;
	int stop = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!stop && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (is_store_link(path, root))
			stop = scan_file(path, fn, ctx);
	}
	closedir(d);
	return stop;
}

static int scan_procs(bool with_self, scan_fn fn, void *ctx)
{
	const char *root = ubf_store_root();
	char self[32], path[300];
	struct dirent *de;
	struct stat st;
	int stop = 0;
	DIR *d;

	snprintf(self, sizeof(self), "%d", (int)getpid());
	d = opendir("/proc");
	if (!d)
		return 0;
	while (!stop && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    (!with_self && !strcmp(de->d_name, self)))
			continue;
		snprintf(path, sizeof(path), "/proc/%s", de->d_name);
		if (stat(path, &st) || st.st_uid != geteuid())
			continue;
		stop = scan_proc_pid(de->d_name, root, fn, ctx);
	}
	closedir(d);
	return stop;
}

static int scan_all(scan_fn fn, void *ctx)
{
	return scan_pins(ubf_store_root(), 0, true, fn, ctx) || scan_procs(false, fn, ctx);
}

/* Pins before fds: an object pinned and then closed while the scan runs is seen as a pin. */
int ubf_obj_scan_roots(ubf_obj_scan_fn fn, void *ctx)
{
	return scan_pins(ubf_store_root(), 0, false, fn, ctx) || scan_procs(true, fn, ctx);
}

struct id_query {
	enum ubf_obj_kind kind;
	uint32_t id;
	char path[PATH_MAX];
	bool found;
};

static int match_id(void *ctx, const char *path, const struct ubf_obj_hdr *hdr,
		    enum ubf_obj_kind kind)
{
	struct id_query *q = ctx;

	if (kind != q->kind || hdr->id != q->id)
		return 0;
	snprintf(q->path, sizeof(q->path), "%s", path);
	q->found = true;
	return 1;
}

static struct ubf_obj *find_id(enum ubf_obj_kind kind, uint32_t id)
{
	const char *store = ubf_store_root();
	struct ubf_obj *obj;
	size_t i;

	for (i = 0; i < reg.cnt; i++) {
		obj = reg.objs[i];
		if (obj->kind == kind && obj->id == id && obj->store == store)
			return obj;
	}
	return NULL;
}

/* The object with @id, opened and registered if need be; the caller holds reg.lock. */
static int locate(enum ubf_obj_kind kind, uint32_t id, struct ubf_obj **objp)
{
	struct id_query q = { .kind = kind, .id = id };
	int fd, err;

	*objp = find_id(kind, id);
	if (*objp)
		return 0;
	if (!id)
		return -ENOENT;
	scan_all(match_id, &q);
	if (!q.found)
		return -ENOENT;
	fd = open(q.path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -ENOENT;	/* gone, or not ours to open */
	err = ubf_obj_get(fd, kind, objp);
	close(fd);
	return err == -EINVAL ? -ENOENT : err;
}

int ubf_obj_by_id(enum ubf_obj_kind kind, uint32_t id, struct ubf_obj **objp)
{
	int err;

	pthread_mutex_lock(&reg.lock);
	err = locate(kind, id, objp);
	pthread_mutex_unlock(&reg.lock);
	return err;
}

int ubf_obj_fd_by_id(enum ubf_obj_kind kind, uint32_t id, int mode)
{
	struct ubf_obj *obj;
	int err;

	pthread_mutex_lock(&reg.lock);
	err = locate(kind, id, &obj);
	if (!err)
		err = ubf_obj_new_fd_mode(obj, mode);
	pthread_mutex_unlock(&reg.lock);
	return err;
}

struct next_query {
	enum ubf_obj_kind kind;
	uint32_t start;
	uint32_t best;		/* 0: none yet */
};

static void consider(struct next_query *q, enum ubf_obj_kind kind, uint32_t id)
{
	if (kind == q->kind && id > q->start && (!q->best || id < q->best))
		q->best = id;
}

static int next_fn(void *ctx, const char *path, const struct ubf_obj_hdr *hdr,
		   enum ubf_obj_kind kind)
{
	(void)path;
	consider(ctx, kind, hdr->id);
	return 0;
}

int ubf_obj_next_id(enum ubf_obj_kind kind, uint32_t start, uint32_t *nextp)
{
	struct next_query q = { .kind = kind, .start = start };
	const char *store = ubf_store_root();
	size_t i;

	pthread_mutex_lock(&reg.lock);
	for (i = 0; i < reg.cnt; i++) {
		if (reg.objs[i]->store == store)
			consider(&q, reg.objs[i]->kind, reg.objs[i]->id);
	}
	pthread_mutex_unlock(&reg.lock);
	scan_all(next_fn, &q);
	if (!q.best)
		return -ENOENT;
	*nextp = q.best;
	return 0;
}

/* ---------------------------------------------------------------- resolver */

/*
 * Programs find inner maps and tail-call targets by id.  What a program
 * got stays valid for the rest of the process: the object is marked
 * resolved, which the sweep respects.
 */
static struct ubf_obj *resolve(enum ubf_obj_kind kind, uint32_t id)
{
	struct ubf_obj *obj;

	pthread_mutex_lock(&reg.lock);
	if (locate(kind, id, &obj))
		obj = NULL;
	else
		obj->is_resolved = true;
	pthread_mutex_unlock(&reg.lock);
	return obj;
}

static struct ubf_map *map_by_id(uint32_t id)
{
	struct ubf_obj *obj = resolve(UBF_OBJ_MAP, id);

	return obj ? obj->map : NULL;
}

static const struct ubf_prog *prog_by_id(uint32_t id)
{
	struct ubf_obj *obj = resolve(UBF_OBJ_PROG, id);

	return obj ? ubf_container_of(obj, struct ubf_sys_prog, obj)->vm : NULL;
}

static void resolver_register(void)
{
	static const struct ubf_map_resolver r = {
		.map_by_id = map_by_id,
		.prog_by_id = prog_by_id,
	};

	ubf_map_set_resolver(&r);
}

void ubf_sys_resolver_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, resolver_register);
}
