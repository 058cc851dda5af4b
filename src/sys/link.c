// SPDX-License-Identifier: BSD-2-Clause
/*
 * link.c - bpf(2) links: BPF_RAW_TRACEPOINT_OPEN, LINK_CREATE, LINK_UPDATE,
 * LINK_DETACH and link info (the id commands are in id.c).  A link
 * is a one-page file in the store (struct ubf_link_file_hdr) like every
 * object, so it can be pinned and found by id; what it does is its type's
 * row of link_types[] (Linux's bpf_link_ops: a type without update or
 * detach answers as Linux's does).  An attachment lives while the link's
 * file is in use: an inotify watch on the file reports every close of an
 * open file description and every unlink, and a watcher thread then
 * checks for a pin or another fd of this process on the file; when there
 * is none it detaches.  Closing the last fd detaches within microseconds,
 * and firing pays nothing for it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <userbpf/hook.h>

#include "sys/core.h"

#define LINK_FILE_VERSION 1

/*
 * struct ubf_link_ops - one link type, as Linux's bpf_link_ops: update and
 * detach are optional (LINK_UPDATE without update is EINVAL, LINK_DETACH
 * without detach EOPNOTSUPP); fill_info writes the type's union member.
 */
struct ubf_link_ops {
	uint32_t type;
	int (*update)(struct ubf_sys_link *link, struct ubf_obj *new_prog,
		      struct ubf_obj *old_prog);
	int (*detach)(struct ubf_sys_link *link);
	int (*fill_info)(const struct ubf_sys_link *link, struct bpf_link_info *info);
	/* undo the attachment in this process; called once, with the links lock held */
	void (*release)(struct ubf_sys_link *link);
};

static int raw_tp_fill_info(const struct ubf_sys_link *link, struct bpf_link_info *info);
static void raw_tp_release(struct ubf_sys_link *link);

static const struct ubf_link_ops link_types[] = {
	{
		.type = BPF_LINK_TYPE_RAW_TRACEPOINT,
		.fill_info = raw_tp_fill_info,
		.release = raw_tp_release,
	},
};

static const struct ubf_link_ops *ops_of(uint32_t type)
{
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(link_types); i++) {
		if (link_types[i].type == type)
			return &link_types[i];
	}
	return NULL;
}

/* ---------------------------------------------------------------- attachments */

/* Links attached in this process, by inotify watch; the watcher thread reads ifd. */
static struct {
	pthread_mutex_t lock;
	int ifd;
	bool started;
	struct ubf_sys_link **attached;
	size_t cnt;
	size_t cap;
} links = { .lock = PTHREAD_MUTEX_INITIALIZER, .ifd = -1 };

/* Undo @link's attachment (the caller holds links.lock): its type's release, the watch, the hold. */
static void detach_locked(struct ubf_sys_link *link)
{
	size_t i;

	if (!link->prog)
		return;
	link->ops->release(link);
	if (link->wd >= 0)
		inotify_rm_watch(links.ifd, link->wd);
	link->wd = -1;
	for (i = 0; i < links.cnt; i++) {
		if (links.attached[i] == link) {
			links.attached[i] = links.attached[--links.cnt];
			break;
		}
	}
	ubf_obj_put(link->prog);
	link->prog = NULL;
	ubf_obj_put(&link->obj);
}

/* Is @link's file pinned, or does an fd of this process other than the registry's name it? */
static bool in_use(const struct ubf_sys_link *link)
{
	struct dirent *de;
	struct stat st;
	bool used = false;
	DIR *d;
	int fd;

	if (fstat(link->obj.fd, &st) || st.st_nlink > 0)
		return true;
	d = opendir("/proc/self/fd");
	if (!d)
		return true;	/* cannot tell: keep it */
	while (!used && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd == dirfd(d) || fd == link->obj.fd || fstat(fd, &st))
			continue;
		used = st.st_dev == link->obj.dev && st.st_ino == link->obj.ino;
	}
	closedir(d);
	return used;
}

static void check_watch(int wd)
{
	struct ubf_sys_link *link;
	size_t i;

	pthread_mutex_lock(&links.lock);
	for (i = 0; i < links.cnt; i++) {
		link = links.attached[i];
		if (link->wd == wd && !in_use(link)) {
			detach_locked(link);
			break;
		}
	}
	pthread_mutex_unlock(&links.lock);
}

static void *watcher(void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n, off;

	(void)arg;
	for (;;) {
		n = read(links.ifd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		for (off = 0; off < n; off += (ssize_t)sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)(buf + off);
			if (ev->mask & (IN_CLOSE | IN_ATTRIB))
				check_watch(ev->wd);
		}
	}
}

static void fork_prepare(void)
{
	pthread_mutex_lock(&links.lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&links.lock);
}

/*
 * A forked child has no watcher thread and shares the parent's inotify
 * instance: it gets its own with its first attachment.  What it inherited
 * stays attached in the child until it execs or exits.
 */
static void fork_child(void)
{
	size_t i;

	if (links.ifd >= 0)
		close(links.ifd);
	links.ifd = -1;
	links.started = false;
	for (i = 0; i < links.cnt; i++)
		links.attached[i]->wd = -1;
	links.cnt = 0;
	pthread_mutex_unlock(&links.lock);
}

static void atfork_register(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* The inotify fd and its thread, started with the first attachment; links.lock held. */
static int watcher_start(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_t th;
	int err;

	if (links.started)
		return 0;
	pthread_once(&once, atfork_register);
	links.ifd = inotify_init1(IN_CLOEXEC);
	if (links.ifd < 0)
		return -errno;
	err = -pthread_create(&th, NULL, watcher, NULL);
	if (err) {
		close(links.ifd);
		links.ifd = -1;
		return err;
	}
	pthread_detach(th);
	links.started = true;
	return 0;
}

/* Record @link (its prog held, its type attached) and watch its file; links.lock held. */
static int watch_locked(struct ubf_sys_link *link)
{
	struct ubf_sys_link **arr;
	char path[64];
	size_t cap;
	int err;

	err = watcher_start();
	if (err)
		return err;
	if (links.cnt == links.cap) {
		cap = links.cap ? links.cap * 2 : 8;
		arr = realloc(links.attached, cap * sizeof(*arr));
		if (!arr)
			return -ENOMEM;
		links.attached = arr;
		links.cap = cap;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", link->obj.fd);
	link->wd = inotify_add_watch(links.ifd, path, IN_CLOSE | IN_ATTRIB);
	if (link->wd < 0)
		return -errno;
	links.attached[links.cnt++] = link;
	ubf_obj_hold(&link->obj);	/* the sweep keeps an attached link */
	return 0;
}

/* ---------------------------------------------------------------- the link object */

static int map_hdr(int fd, struct ubf_sys_link *link)
{
	size_t page = ubf_shm_page_size();
	struct stat st;
	void *p;

	if (fstat(fd, &st))
		return -errno;
	if ((size_t)st.st_size != page)
		return -EINVAL;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	link->obj.hdr = p;
	return 0;
}

static void link_free(struct ubf_sys_link *link)
{
	if (link->obj.hdr)
		munmap(link->obj.hdr, ubf_shm_page_size());
	free(link);
}

/* A new link of @ops's type on @prog: its file, mapped, registered; *@fdp the caller's fd. */
static int link_new(const struct ubf_link_ops *ops, struct ubf_obj *prog, uint32_t attach_type,
		    struct ubf_sys_link **linkp, int *fdp)
{
	struct ubf_sys_link *link = calloc(1, sizeof(*link));
	struct ubf_link_file_hdr *h;
	char path[64];
	int fd, err;

	if (!link)
		return -ENOMEM;
	link->wd = -1;
	link->ops = ops;
	err = ubf_store_file(ubf_shm_page_size(), &fd);
	if (err) {
		free(link);
		return err;
	}
	/* the registry's own description maps the header: a mapping holds its description */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	link->obj.fd = open(path, O_RDWR | O_CLOEXEC);
	if (link->obj.fd < 0) {
		err = -errno;
		goto out;
	}
	err = map_hdr(link->obj.fd, link);
	if (err)
		goto out_own;
	h = ubf_sys_link_hdr(link);
	ubf_store_obj_init(&h->obj, UBF_LINK_MAGIC, sizeof(*h), UBF_OBJ_LINK);
	h->obj.version = LINK_FILE_VERSION;
	h->type = ops->type;
	h->prog_id = prog->id;
	h->attach_type = attach_type;
	h->owner_pid = (uint32_t)getpid();
	ubf_obj_store_hold(prog);
	link->obj.kind = UBF_OBJ_LINK;
	link->obj.id = h->obj.id;
	link->obj.link = link;
	err = ubf_obj_register(&link->obj, fd);
	if (err)
		goto out_own;
	*linkp = link;
	*fdp = fd;
	return 0;
out_own:
	close(link->obj.fd);
out:
	close(fd);
	link_free(link);
	return err;
}

int ubf_sys_link_open(int fd, struct ubf_obj **objp)
{
	struct ubf_sys_link *link = calloc(1, sizeof(*link));
	const struct ubf_link_file_hdr *h;
	int err;

	if (!link)
		return -ENOMEM;
	link->wd = -1;
	err = map_hdr(fd, link);
	if (err) {
		free(link);
		return err;
	}
	h = ubf_sys_link_hdr(link);
	link->ops = ops_of(h->type);
	if (h->obj.version != LINK_FILE_VERSION || !link->ops) {
		link_free(link);
		return -EINVAL;
	}
	link->obj.link = link;
	*objp = &link->obj;
	return 0;
}

void ubf_sys_link_release(struct ubf_obj *obj)
{
	link_free(ubf_container_of(obj, struct ubf_sys_link, obj));
}

/* ---------------------------------------------------------------- raw tracepoints */

static void raw_tp_release(struct ubf_sys_link *link)
{
	ubf_hook_tp_detach(link->tp, link->prog->prog);
	link->tp = NULL;
}

/* Linux's bpf_raw_tp_link_fill_link_info(): the name, truncated with ENOSPC. */
static int raw_tp_fill_info(const struct ubf_sys_link *link, struct bpf_link_info *info)
{
	const struct ubf_link_file_hdr *h = ubf_sys_link_hdr(link);
	char *ubuf = ubf_u64_to_ptr(info->raw_tracepoint.tp_name);
	uint32_t ulen = info->raw_tracepoint.tp_name_len;
	size_t len = strnlen(h->tp_name, sizeof(h->tp_name) - 1);
	char zero = '\0';

	if (!ubuf != !ulen)
		return -EINVAL;
	info->raw_tracepoint.tp_name_len = (uint32_t)len + 1;
	if (!ubuf)
		return 0;
	if (ulen >= len + 1)
		return ubf_sys_copy_to_user(ubuf, h->tp_name, len + 1) ? -EFAULT : 0;
	if (ubf_sys_copy_to_user(ubuf, h->tp_name, ulen - 1) ||
	    ubf_sys_copy_to_user(ubuf + ulen - 1, &zero, 1))
		return -EFAULT;
	return -ENOSPC;
}

/* The program types that attach by name, and Linux's answer for the others. */
static int raw_tp_prog_check(const struct ubf_sys_prog *prog, bool named)
{
	switch (prog->prog_type) {
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
		return 0;
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_EXT:
	case BPF_PROG_TYPE_LSM:
		/* Linux: these attach to the BTF id given at load; a name is EINVAL */
		return named ? -EINVAL : -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* The name as Linux's strncpy_from_user() into a 128-byte buffer reads it. */
static int copy_tp_name(uint64_t uname, char name[UBF_TP_NAME_MAX])
{
	const char *src = ubf_u64_to_ptr(uname);
	size_t i;

	for (i = 0; i < UBF_TP_NAME_MAX - 1; i++) {
		if (ubf_sys_copy_from_user(&name[i], src + i, 1))
			return -EFAULT;
		if (!name[i])
			return 0;
	}
	name[i] = '\0';
	return 0;
}

static int raw_tp_attach(struct ubf_obj *prog, struct ubf_tp *tp, const char *name)
{
	struct ubf_sys_link *link = NULL;
	int fd = -1, err;

	err = link_new(ops_of(BPF_LINK_TYPE_RAW_TRACEPOINT), prog, 0, &link, &fd);
	if (err)
		return err;
	snprintf(ubf_sys_link_hdr(link)->tp_name, UBF_TP_NAME_MAX, "%s", name);
	pthread_mutex_lock(&links.lock);
	err = ubf_hook_tp_attach(tp, prog->prog);
	if (!err) {
		ubf_obj_hold(prog);
		link->prog = prog;
		link->tp = tp;
		err = watch_locked(link);
		if (err) {
			ubf_hook_tp_detach(tp, prog->prog);
			ubf_obj_put(prog);
			link->prog = NULL;
			link->tp = NULL;
		}
	}
	pthread_mutex_unlock(&links.lock);
	if (err) {
		close(fd);	/* the sweep releases the unattached link */
		return err;
	}
	return fd;
}

int ubf_cmd_raw_tracepoint_open(union bpf_attr *attr)
{
	char name[UBF_TP_NAME_MAX];
	struct ubf_obj *prog;
	struct ubf_tp *tp;
	int err;

	err = ubf_obj_get((int)attr->raw_tracepoint.prog_fd, UBF_OBJ_PROG, &prog);
	if (err)
		return err;
	if (prog->prog->prog_flags & UBF_BPF_F_VERIFY_ONLY)
		return -EOPNOTSUPP;	/* it never runs */
	err = raw_tp_prog_check(prog->prog, attr->raw_tracepoint.name != 0);
	if (!err)
		err = copy_tp_name(attr->raw_tracepoint.name, name);
	if (!err)
		err = ubf_hook_tp_find(name, &tp);
	if (err)
		return err;
	return raw_tp_attach(prog, tp, name);
}

/* ---------------------------------------------------------------- LINK_* commands */

/*
 * Linux's link_create() first checks the program and its expected attach
 * type; every target it then attaches to (a cgroup, a netdev, a netns, a
 * perf event, a kernel function's BTF id) is a kernel object a user-space
 * process cannot name, so the attach fails as Linux's does for a target
 * that is not one: EBADF for a closed target fd, EINVAL otherwise.
 */
int ubf_cmd_link_create(union bpf_attr *attr)
{
	struct ubf_obj *prog;
	uint32_t expected;
	int err;

	err = ubf_obj_get((int)attr->link_create.prog_fd, UBF_OBJ_PROG, &prog);
	if (err)
		return err;
	if (prog->prog->prog_flags & UBF_BPF_F_VERIFY_ONLY)
		return -EOPNOTSUPP;	/* it never runs */
	expected = prog->prog->expected_attach_type;
	if (expected && expected != attr->link_create.attach_type)
		return -EINVAL;	/* bpf_prog_attach_check_attach_type() */
	if (attr->link_create.target_fd && fcntl((int)attr->link_create.target_fd, F_GETFD) < 0 &&
	    attr->link_create.attach_type != BPF_XDP)
		return -EBADF;
	return -EINVAL;
}

static int link_get(uint32_t fd, struct ubf_sys_link **linkp)
{
	struct ubf_obj *obj;
	int err;

	err = ubf_obj_get((int)fd, UBF_OBJ_LINK, &obj);
	if (err)
		return err;
	*linkp = obj->link;
	return 0;
}

/* Linux's link_update(): the flag, the link, the new program, BPF_F_REPLACE's old one. */
int ubf_cmd_link_update(union bpf_attr *attr)
{
	struct ubf_obj *new_prog, *old_prog = NULL;
	struct ubf_sys_link *link;
	uint32_t flags = attr->link_update.flags;
	int err;

	if (flags & ~BPF_F_REPLACE)
		return -EINVAL;
	err = link_get(attr->link_update.link_fd, &link);
	if (err)
		return err;
	err = ubf_obj_get((int)attr->link_update.new_prog_fd, UBF_OBJ_PROG, &new_prog);
	if (err)
		return err;
	if (new_prog->prog->prog_flags & UBF_BPF_F_VERIFY_ONLY)
		return -EOPNOTSUPP;	/* it never runs */
	if (flags & BPF_F_REPLACE) {
		err = ubf_obj_get((int)attr->link_update.old_prog_fd, UBF_OBJ_PROG, &old_prog);
		if (err)
			return err;
	} else if (attr->link_update.old_prog_fd) {
		return -EINVAL;
	}
	if (!link->ops->update)
		return -EINVAL;
	pthread_mutex_lock(&links.lock);
	err = link->ops->update(link, new_prog, old_prog);
	pthread_mutex_unlock(&links.lock);
	return err;
}

/* Linux's link_detach(): the type's detach, or EOPNOTSUPP. */
int ubf_cmd_link_detach(union bpf_attr *attr)
{
	struct ubf_sys_link *link;
	int err;

	err = link_get(attr->link_detach.link_fd, &link);
	if (err)
		return err;
	if (!link->ops->detach)
		return -EOPNOTSUPP;
	pthread_mutex_lock(&links.lock);
	err = link->ops->detach(link);
	pthread_mutex_unlock(&links.lock);
	return err;
}

/* Linux's bpf_link_get_info_by_fd(): type, id, prog_id, then the type's union member. */
int ubf_sys_link_info(struct ubf_obj *obj, union bpf_attr *attr)
{
	const struct ubf_link_file_hdr *h = ubf_sys_link_hdr(obj->link);
	struct bpf_link_info info;
	uint32_t copy_sz;
	int err;

	err = ubf_sys_info_prepare(attr, sizeof(info), &copy_sz);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	if (ubf_sys_copy_from_user(&info, ubf_u64_to_ptr(attr->info.info), copy_sz))
		return -EFAULT;
	info.type = h->type;
	info.id = h->obj.id;
	info.prog_id = h->prog_id;
	if (obj->link->ops->fill_info) {
		err = obj->link->ops->fill_info(obj->link, &info);
		if (err)
			return err;
	}
	return ubf_sys_info_finish(attr, &info, copy_sz);
}
