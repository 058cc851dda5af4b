// SPDX-License-Identifier: BSD-2-Clause
/*
 * collect.c - holds, and their release.  An object that another object
 * names by id (a program's maps and BTF, a map's BTF and the objects in
 * its fd slots, a link's program) is held by a hard link
 * <root>/.held/<kind>-<id>, so it outlives the process that made the
 * reference.  Linux frees an object when nothing refers to it any more;
 * ubf_obj_collect() does the same for holds: it marks what the roots
 * reach (pins, the store files this user's processes have open or
 * mapped) through the references each object's file records, and unlinks
 * the holds nothing reached.  Holds and pins are made under a shared lock
 * on the .held directory and a collection takes it exclusively, so an
 * object cannot move from "open in a process" to "pinned" unseen.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sys/core.h"
#include "sys/perf.h"

/* A process collects at its first hold when this many exist, then every COLLECT_EVERY holds. */
#define COLLECT_FIRST 16
#define COLLECT_EVERY 64

/* Perf events are held too (perf_event_array slots); they are no enum ubf_obj_kind. */
#define HELD_PERF ((enum ubf_obj_kind)UBF_PERF_ID_COUNTER)

static const char *const kind_names[UBF_OBJ_KIND_MAX] = {
	[UBF_OBJ_MAP] = "map",
	[UBF_OBJ_PROG] = "prog",
	[UBF_OBJ_BTF] = "btf",
	[UBF_OBJ_LINK] = "link",
	[UBF_PERF_ID_COUNTER] = "perf",
};

struct held {
	enum ubf_obj_kind kind;	/* 0: a name this version does not know, always kept */
	uint32_t id;
	dev_t dev;
	ino_t ino;
	bool reached;
	char name[64];
};

/* The objects marked so far (kind, id), with a file to read each one's references from. */
struct mark {
	enum ubf_obj_kind kind;
	uint32_t id;
	char path[PATH_MAX];
};

struct collection {
	struct held *held;
	size_t held_cnt;
	struct mark *marks;
	size_t mark_cnt, mark_cap, next;	/* marks[next..] are still to be followed */
	const char *root;
};

static int held_dir(char *buf, size_t sz)
{
	return (size_t)snprintf(buf, sz, "%s/.held", ubf_store_root()) >= sz ? -ENAMETOOLONG : 0;
}

/* flock() of the .held directory (made if missing): the fd to unlock with, or -1. */
static int lock_holds(int op)
{
	char dir[PATH_MAX];
	int fd;

	if (held_dir(dir, sizeof(dir)) || (mkdir(dir, 0700) && errno != EEXIST))
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, op)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void unlock_holds(int fd)
{
	if (fd >= 0)
		close(fd);
}

int ubf_obj_pin_locked(int fd, const char *path)
{
	char proc[64];
	int lock = lock_holds(LOCK_SH), err = 0;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW))
		err = -errno;
	unlock_holds(lock);
	return err;
}

/* ---------------------------------------------------------------- marking */

static struct held *find_held(struct collection *c, enum ubf_obj_kind kind, uint32_t id)
{
	size_t i;

	for (i = 0; i < c->held_cnt; i++) {
		if (c->held[i].kind == kind && c->held[i].id == id)
			return &c->held[i];
	}
	return NULL;
}

static bool is_marked(const struct collection *c, enum ubf_obj_kind kind, uint32_t id)
{
	size_t i;

	for (i = 0; i < c->mark_cnt; i++) {
		if (c->marks[i].kind == kind && c->marks[i].id == id)
			return true;
	}
	return false;
}

/* Mark (@kind, @id), whose file is at @path; -ENOMEM stops the collection. */
static int mark(struct collection *c, enum ubf_obj_kind kind, uint32_t id, const char *path)
{
	struct held *h = find_held(c, kind, id);
	struct mark *m;
	size_t cap;

	if (h)
		h->reached = true;
	if (is_marked(c, kind, id))
		return 0;
	if (c->mark_cnt == c->mark_cap) {
		cap = c->mark_cap ? c->mark_cap * 2 : 32;
		m = realloc(c->marks, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		c->marks = m;
		c->mark_cap = cap;
	}
	m = &c->marks[c->mark_cnt++];
	m->kind = kind;
	m->id = id;
	snprintf(m->path, sizeof(m->path), "%s", path);
	return 0;
}

/* A reference from a marked object: only holds are followed further (roots are marked already). */
static int mark_ref(struct collection *c, enum ubf_obj_kind kind, uint32_t id)
{
	struct held *h = find_held(c, kind, id);
	char path[PATH_MAX + 80];

	if (!h || h->reached)
		return 0;
	snprintf(path, sizeof(path), "%s/.held/%s", c->root, h->name);
	return mark(c, kind, id, path);
}

static int root_fn(void *ctx, const char *path, const struct ubf_obj_hdr *hdr,
		   enum ubf_obj_kind kind)
{
	return mark(ctx, kind, hdr->id, path) ? 1 : 0;
}

static void reach_inode(struct collection *c, dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < c->held_cnt; i++) {
		if (c->held[i].ino == ino && c->held[i].dev == dev)
			c->held[i].reached = true;
	}
}

/*
 * Holds whose file a process of this user has mapped (/proc/PID/maps):
 * a mapping outlives the fd it came from.  Open fds need no pass of their
 * own: ubf_obj_scan_roots() reports every store file a process has open.
 */
static void reach_mapped_by(struct collection *c, const char *pid)
{
	char path[300], line[PATH_MAX + 128];
	unsigned int maj, min;
	unsigned long ino;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %x:%x %lu", &maj, &min, &ino) == 3 && ino)
			reach_inode(c, makedev(maj, min), (ino_t)ino);
	}
	fclose(f);
}

static void reach_mapped(struct collection *c)
{
	struct dirent *de;
	struct stat st;
	char path[300];
	DIR *d = opendir("/proc");

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", de->d_name);
		if (!stat(path, &st) && st.st_uid == geteuid())
			reach_mapped_by(c, de->d_name);
	}
	closedir(d);
}

/* ---------------------------------------------------------------- references */

static int read_last_page(int fd, void *buf, size_t sz)
{
	size_t page = ubf_shm_page_size();
	struct stat st;

	if (fstat(fd, &st) || st.st_size < (off_t)page)
		return -EINVAL;
	return pread(fd, buf, sz, st.st_size - (off_t)page) == (ssize_t)sz ? 0 : -EINVAL;
}

static int prog_refs(struct collection *c, int fd)
{
	struct ubf_prog_file_hdr h;
	uint32_t i, id;
	int err;

	if (read_last_page(fd, &h, sizeof(h)))
		return 0;
	err = h.btf_id ? mark_ref(c, UBF_OBJ_BTF, h.btf_id) : 0;
	for (i = 0; !err && i < h.map_cnt; i++) {
		if (pread(fd, &id, sizeof(id), (off_t)(h.map_ids_off + i * sizeof(id))) !=
		    (ssize_t)sizeof(id))
			break;
		err = mark_ref(c, UBF_OBJ_MAP, id);
	}
	return err;
}

static int link_refs(struct collection *c, int fd)
{
	struct ubf_link_file_hdr h;

	if (read_last_page(fd, &h, sizeof(h)))
		return 0;
	return mark_ref(c, UBF_OBJ_PROG, h.prog_id);
}

/* A map's BTF, and the objects its slots name (prog arrays, maps of maps). */
static int map_refs(struct collection *c, int fd)
{
	enum ubf_obj_kind slot;
	struct ubf_obj *obj;
	struct ubf_map *map;
	uint8_t *keys, *prev = NULL, *key;
	uint32_t id, idx;
	int err;

	if (ubf_obj_get(fd, UBF_OBJ_MAP, &obj))
		return 0;
	map = obj->map;
	err = map->hdr->btf_id ? mark_ref(c, UBF_OBJ_BTF, map->hdr->btf_id) : 0;
	if (!err && map->map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		for (idx = 0; !err && idx < map->max_entries; idx++) {
			id = ubf_fd_array_slot(map, idx);
			err = id ? mark_ref(c, HELD_PERF, id) : 0;
		}
	}
	slot = ubf_sys_map_slot_kind(map->map_type);
	if (err || !slot)
		return err;
	keys = malloc(2 * (size_t)map->key_size);
	if (!keys)
		return -ENOMEM;
	key = keys;
	while (!err && !ubf_map_next_key(map, prev, key)) {
		if (!ubf_map_lookup_elem(map, key, &id))
			err = mark_ref(c, slot, id);
		prev = key;
		key = key == keys ? keys + map->key_size : keys;
	}
	free(keys);
	return err;
}

static int follow(struct collection *c, const struct mark *m)
{
	int fd = open(m->path, O_RDWR | O_CLOEXEC | O_NONBLOCK), err = 0;

	if (fd < 0)
		return 0;
	switch (m->kind) {
	case UBF_OBJ_PROG:
		err = prog_refs(c, fd);
		break;
	case UBF_OBJ_LINK:
		err = link_refs(c, fd);
		break;
	case UBF_OBJ_MAP:
		err = map_refs(c, fd);
		break;
	case UBF_OBJ_BTF:
	default:	/* perf events name nothing */
		break;
	}
	close(fd);
	return err;
}

/* ---------------------------------------------------------------- the collection */

static enum ubf_obj_kind kind_of_name(const char *name, uint32_t *idp)
{
	enum ubf_obj_kind k;
	size_t len;
	char *end;

	for (k = UBF_OBJ_MAP; k < UBF_OBJ_KIND_MAX; k++) {
		if (!kind_names[k])
			continue;
		len = strlen(kind_names[k]);
		if (strncmp(name, kind_names[k], len) || name[len] != '-')
			continue;
		errno = 0;
		*idp = (uint32_t)strtoul(name + len + 1, &end, 10);
		return !errno && !*end && *idp ? k : 0;
	}
	return 0;
}

/* The holds as the directory lists them now; -ENOMEM, or 0 with c->held (maybe empty). */
static int list_holds(struct collection *c, const char *dir)
{
	struct dirent *de;
	struct held *h;
	struct stat st;
	size_t cap = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(h->name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (c->held_cnt == cap) {
			cap = cap ? cap * 2 : 32;
			h = realloc(c->held, cap * sizeof(*h));
			if (!h) {
				closedir(d);
				return -ENOMEM;
			}
			c->held = h;
		}
		h = &c->held[c->held_cnt++];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s", de->d_name);
		h->kind = kind_of_name(de->d_name, &h->id);
		h->reached = !h->kind;
		h->dev = st.st_dev;
		h->ino = st.st_ino;
	}
	closedir(d);
	return 0;
}

static int mark_and_sweep(struct collection *c, const char *dir)
{
	int err, dfd, released = 0;
	size_t i;

	err = list_holds(c, dir);
	if (err || !c->held_cnt)
		return err;
	/* what this process no longer uses leaves its registry (and its fds) first */
	ubf_obj_sweep();
	if (ubf_obj_scan_roots(root_fn, c))
		return -ENOMEM;
	reach_mapped(c);
	for (i = 0; i < c->held_cnt; i++) {
		if (c->held[i].reached && c->held[i].kind &&
		    mark_ref(c, c->held[i].kind, c->held[i].id))
			return -ENOMEM;
	}
	while (c->next < c->mark_cnt) {
		struct mark m = c->marks[c->next++];

		err = follow(c, &m);
		if (err)
			return err;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	for (i = 0; i < c->held_cnt; i++) {
		if (!c->held[i].reached && !unlinkat(dfd, c->held[i].name, 0))
			released++;
	}
	close(dfd);
	return released;
}

int ubf_obj_collect(void)
{
	struct collection c = { .root = ubf_store_root() };
	char dir[PATH_MAX];
	int lock, ret;

	if (held_dir(dir, sizeof(dir)))
		return -ENAMETOOLONG;
	lock = lock_holds(LOCK_EX);
	if (lock < 0)
		return 0;	/* no store directory to hold in: nothing is held */
	ret = mark_and_sweep(&c, dir);
	unlock_holds(lock);
	free(c.held);
	free(c.marks);
	return ret;
}

/* How many holds the store has now (the collection's trigger). */
static size_t count_holds(void)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (held_dir(dir, sizeof(dir)) || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static struct {
	unsigned int since;	/* holds this process made since it last collected */
	bool done_once;
	bool due;
} trigger;

void ubf_obj_store_hold(struct ubf_obj *obj)
{
	if (obj->kind > 0 && obj->kind < UBF_OBJ_KIND_MAX && kind_names[obj->kind])
		ubf_obj_hold_file(obj->fd, obj->kind, obj->id);
}

void ubf_obj_hold_file(int fd, enum ubf_obj_kind kind, uint32_t id)
{
	unsigned int n;
	int lock;

	lock = lock_holds(LOCK_SH);
	ubf_store_hold(fd, kind_names[kind], id);
	unlock_holds(lock);
	n = __atomic_add_fetch(&trigger.since, 1, __ATOMIC_RELAXED);
	if (n >= COLLECT_EVERY ||
	    (!__atomic_load_n(&trigger.done_once, __ATOMIC_RELAXED) && count_holds() >= COLLECT_FIRST))
		__atomic_store_n(&trigger.due, true, __ATOMIC_RELAXED);
}

void ubf_obj_collect_if_due(void)
{
	if (!__atomic_exchange_n(&trigger.due, false, __ATOMIC_ACQ_REL))
		return;
	__atomic_store_n(&trigger.done_once, true, __ATOMIC_RELAXED);
	__atomic_store_n(&trigger.since, 0, __ATOMIC_RELAXED);
	ubf_obj_collect();
}
