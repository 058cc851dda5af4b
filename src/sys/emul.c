// SPDX-License-Identifier: BSD-2-Clause
/*
 * emul.c - the emulation both front ends share (route.c patches libbpf's
 * import slots, src/preload/ interposes symbols): bpf(2) through syscall()
 * goes to ubf_bpf(), perf_event_open(2) of the BPF output event, its
 * ioctls and its first mmap() to sys/perf.h; epoll_ctl() on a ring buffer
 * or perf event file registers a pollable eventfd instead, signalled by a
 * ring watch (ring.h), so a producer in any process wakes the consumer;
 * close() ends those waiters; statfs, mkdir, rmdir and unlink of a pin path
 * under /sys/fs/bpf act on the store, whose directories report bpffs's
 * magic.  Anything else passes through to the C library unchanged.  The
 * waiters are process-wide by nature, as the fds they stand in for.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <userbpf/bpf.h>

#include "maps/ring.h"
#include "sys/emul.h"
#include "sys/perf.h"
#include "sys/sys.h"
#include "util/compiler.h"

/* The C library's functions, found once; the emulation calls these. */
static struct ubf_emul_libc real;
static bool real_ok;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t emul_lock = PTHREAD_MUTEX_INITIALIZER;

static void *find_real(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	return p ? p : dlsym(RTLD_DEFAULT, name);
}

/* Where each of the C library's functions goes in struct ubf_emul_libc. */
static const struct {
	size_t off;
	const char *name;
} libc_names[] = {
#define LIBC(field, name) { offsetof(struct ubf_emul_libc, field), name }
	LIBC(syscall, "syscall"),	LIBC(epoll_ctl, "epoll_ctl"),
	LIBC(close, "close"),		LIBC(statfs, "statfs64"),
	LIBC(fstatfs, "fstatfs64"),	LIBC(mkdir, "mkdir"),
	LIBC(rmdir, "rmdir"),		LIBC(unlink, "unlink"),
	LIBC(openat, "openat64"),	LIBC(fstatat, "fstatat64"),
	LIBC(faccessat, "faccessat"),	LIBC(readlink, "readlink"),
	LIBC(fopen, "fopen64"),		LIBC(opendir, "opendir"),
	LIBC(nftw, "nftw64"),		LIBC(ioctl, "ioctl"),
	LIBC(mmap, "mmap64"),
#undef LIBC
};

static void resolve_real(void)
{
	size_t i;
	void *p;

	real_ok = true;
	for (i = 0; i < UBF_ARRAY_SIZE(libc_names); i++) {
		p = find_real(libc_names[i].name);
		memcpy((char *)&real + libc_names[i].off, &p, sizeof(p));
		real_ok &= p != NULL;
	}
}

const struct ubf_emul_libc *ubf_emul_libc(void)
{
	pthread_once(&real_once, resolve_real);
	return real_ok ? &real : NULL;
}

/* ---------------------------------------------------------------- ring buffer files */

/* What the wrappers need to know about a userbpf ring buffer file. */
struct ring_file {
	uint64_t data_sz;	/* consumer page + producer page + 2 * max_entries */
	uint32_t max_entries;
	bool is_user;		/* BPF_MAP_TYPE_USER_RINGBUF */
	bool is_perf;		/* a perf event (sys/perf.h): the rest is unused */
};

/*
 * Is @fd a userbpf ring buffer?  One fstat and, for a regular file, one
 * pread of the header in its last page: no registry, no mapping, so this is
 * safe from inside any mmap() of the library itself.
 */
static bool ring_file(int fd, struct ring_file *rf)
{
	size_t page = ubf_shm_page_size();
	struct ubf_map_hdr hdr;
	uint64_t magic;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)(3 * page))
		return false;
	if (pread(fd, &hdr, sizeof(hdr), st.st_size - (off_t)page) != (ssize_t)sizeof(hdr))
		return false;
	memcpy(&magic, &hdr, sizeof(magic));	/* the first word of every object header */
	if (magic != UBF_MAP_MAGIC)
		return false;
	if (hdr.map_type != UBF_MAP_RINGBUF && hdr.map_type != UBF_MAP_USER_RINGBUF)
		return false;
	if (hdr.data_sz != 2 * page + 2 * (uint64_t)hdr.max_entries ||
	    hdr.data_sz + page != (uint64_t)st.st_size)
		return false;
	rf->data_sz = hdr.data_sz;
	rf->max_entries = hdr.max_entries;
	rf->is_user = hdr.map_type == UBF_MAP_USER_RINGBUF;
	return true;
}

/* ---------------------------------------------------------------- epoll waiters */

/*
 * One epoll registration of a ring buffer: the eventfd that stands in for
 * it and the watch (ring.h) whose thread signals it.
 */
struct waiter {
	struct waiter *next;
	int epfd;
	int fd;
	int efd;
	pid_t pid;		/* the process whose thread signals efd */
	struct ubf_ring_watch *watch;
};

static struct waiter *waiters;
static int waiter_cnt;		/* read without the lock by ubf_emul_close() */

static void waiter_free(struct waiter *w)
{
	if (w->efd >= 0)
		real.close(w->efd);
	free(w);
}

/*
 * Stop @w's watch (its thread may sleep on a futex shared with other
 * processes).  In a forked child the thread and the epoll registration are
 * the parent's: only the child's copies of the eventfd and the mapping are
 * released.
 */
static void waiter_stop(struct waiter *w)
{
	if (w->pid != getpid()) {
		ubf_ring_watch_release(w->watch);
		waiter_free(w);
		return;
	}
	ubf_ring_watch_stop(w->watch);
	real.epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->efd, NULL);
	waiter_free(w);
}

static struct waiter **waiter_find(int epfd, int fd)
{
	struct waiter **pw;

	for (pw = &waiters; *pw; pw = &(*pw)->next) {
		if ((*pw)->epfd == epfd && (*pw)->fd == fd)
			return pw;
	}
	return NULL;
}

static int waiter_new(int epfd, int fd, struct waiter **wp)
{
	struct waiter *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->epfd = epfd;
	w->fd = fd;
	w->pid = getpid();
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0) {
		free(w);
		return -EMFILE;
	}
	*wp = w;
	return 0;
}

/* EPOLL_CTL_ADD of a ring buffer: the eventfd goes in, edge-triggered, with the caller's data. */
static int waiter_add(int epfd, int fd, const struct ring_file *rf, struct epoll_event *ev)
{
	struct epoll_event sub;
	struct waiter *w = NULL;
	int err;

	if (!ev)
		return -EFAULT;
	if (waiter_find(epfd, fd))
		return -EEXIST;
	err = waiter_new(epfd, fd, &w);
	if (err)
		return err;
	sub.events = EPOLLIN | EPOLLET;
	sub.data = ev->data;
	if (real.epoll_ctl(epfd, EPOLL_CTL_ADD, w->efd, &sub)) {
		err = -errno;
		waiter_free(w);
		return err;
	}
	if (rf->is_perf)
		err = ubf_perf_watch_start(fd, w->efd, &w->watch);
	else
		err = ubf_ring_watch_start(fd, rf->is_user, rf->max_entries, w->efd, &w->watch);
	if (err) {
		real.epoll_ctl(epfd, EPOLL_CTL_DEL, w->efd, NULL);
		waiter_free(w);
		return err;
	}
	w->next = waiters;
	waiters = w;
	__atomic_add_fetch(&waiter_cnt, 1, __ATOMIC_RELEASE);
	return 0;
}

static int ring_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev,
			  const struct ring_file *rf)
{
	struct epoll_event sub;
	struct waiter **pw, *w;
	int err = 0;

	pthread_mutex_lock(&emul_lock);
	pw = waiter_find(epfd, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = waiter_add(epfd, fd, rf, ev);
		break;
	case EPOLL_CTL_MOD:
		if (!pw || !ev) {
			err = pw ? -EFAULT : -ENOENT;
			break;
		}
		sub.events = EPOLLIN | EPOLLET;
		sub.data = ev->data;
		if (real.epoll_ctl(epfd, EPOLL_CTL_MOD, (*pw)->efd, &sub))
			err = -errno;
		break;
	case EPOLL_CTL_DEL:
		if (!pw) {
			err = -ENOENT;
			break;
		}
		w = *pw;
		*pw = w->next;
		__atomic_sub_fetch(&waiter_cnt, 1, __ATOMIC_RELEASE);
		waiter_stop(w);
		break;
	default:
		err = -EINVAL;
		break;
	}
	pthread_mutex_unlock(&emul_lock);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- bpf(2), epoll, close */

/* perf_event_open(2) of a BPF output event: -1 and errno, or the fd. */
static long perf_open(const long a[6])
{
	int fd, err;

	err = ubf_perf_open(&ubf_perf_self_mem, (uint64_t)a[0], (int)a[1], (int)a[2], (int)a[3],
			    (unsigned long)a[4], &fd);
	if (err) {
		errno = -err;
		return -1;
	}
	return fd;
}

long ubf_emul_syscall(long nr, const long a[6])
{
	if (nr == SYS_bpf)
		return ubf_bpf((int)a[0], (void *)a[1], (unsigned int)a[2]);
	if (nr == SYS_perf_event_open && ubf_perf_is_bpf_output(&ubf_perf_self_mem, (uint64_t)a[0]))
		return perf_open(a);
	pthread_once(&real_once, resolve_real);
	return real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

long ubf_emul_vsyscall(long nr, va_list ap)
{
	long a[6];
	int i;

	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	return ubf_emul_syscall(nr, a);
}

int ubf_emul_ioctl(int fd, unsigned long req, unsigned long arg)
{
	int err;

	pthread_once(&real_once, resolve_real);
	if (!ubf_perf_is_ioctl(req) || !ubf_perf_file(fd))
		return real.ioctl(fd, req, arg);
	err = ubf_perf_ioctl(&ubf_perf_self_mem, fd, req, arg);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

void *ubf_emul_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int err;

	pthread_once(&real_once, resolve_real);
	if (fd >= 0 && !(flags & MAP_ANONYMOUS) && ubf_perf_file(fd)) {
		err = ubf_perf_mmap_prepare(fd, len, prot, flags, off);
		if (err) {
			errno = -err;
			return MAP_FAILED;
		}
	}
	return real.mmap(addr, len, prot, flags, fd, off);
}

int ubf_emul_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	struct ring_file rf = { 0 };

	pthread_once(&real_once, resolve_real);
	rf.is_perf = ubf_perf_file(fd);
	if (!rf.is_perf && !ring_file(fd, &rf))
		return real.epoll_ctl(epfd, op, fd, ev);
	return ring_epoll_ctl(epfd, op, fd, ev, &rf);
}

/* Closing an epoll fd or a ring buffer fd ends the waiters registered with it. */
int ubf_emul_close(int fd)
{
	struct waiter **pw, *w;

	pthread_once(&real_once, resolve_real);
	if (__atomic_load_n(&waiter_cnt, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&emul_lock);
		pw = &waiters;
		while (*pw) {
			w = *pw;
			if (w->epfd != fd && w->fd != fd) {
				pw = &w->next;
				continue;
			}
			*pw = w->next;
			__atomic_sub_fetch(&waiter_cnt, 1, __ATOMIC_RELEASE);
			waiter_stop(w);
		}
		pthread_mutex_unlock(&emul_lock);
	}
	return real.close(fd);
}

/* ---------------------------------------------------------------- pin paths */

#define BPF_FS_MAGIC_NR 0xcafe4a11	/* Linux's BPF_FS_MAGIC */

/*
 * A Linux pin path that names the store: /sys/fs/bpf/X is <root>/X
 * (ubf_store_pin_path()).  False for every other path, which then passes
 * through unchanged.
 */
bool ubf_emul_store_path(const char *path, char *buf, size_t buf_sz)
{
	static const char bpffs[] = "/sys/fs/bpf";

	if (!path || strncmp(path, bpffs, sizeof(bpffs) - 1) ||
	    (path[sizeof(bpffs) - 1] && path[sizeof(bpffs) - 1] != '/'))
		return false;
	return !ubf_store_pin_path(path, buf, buf_sz);
}

/* Under the store root (a path libbpf was given directly, or a translated one)? */
static bool in_store(const char *path)
{
	char root[PATH_MAX];
	size_t n;

	ubf_store_root_name(root, sizeof(root));
	n = strlen(root);

	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}

/*
 * libbpf refuses to pin outside a bpffs (its check_path() tests f_type),
 * so the store's directories report Linux's BPF_FS_MAGIC.
 */
int ubf_emul_statfs(const char *path, struct statfs *buf)
{
	char p[PATH_MAX];
	const char *use = ubf_emul_store_path(path, p, sizeof(p)) ? p : path;
	int err;

	pthread_once(&real_once, resolve_real);
	err = real.statfs(use, buf);
	if (!err && use && in_store(use))
		buf->f_type = BPF_FS_MAGIC_NR;
	return err;
}

/* fstatfs() of a directory of the store (opened through its /sys/fs/bpf name). */
int ubf_emul_fstatfs(int fd, struct statfs *buf)
{
	char link[64], p[PATH_MAX];
	ssize_t n;
	int err;

	pthread_once(&real_once, resolve_real);
	err = real.fstatfs(fd, buf);
	if (err)
		return err;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = real.readlink(link, p, sizeof(p) - 1);
	if (n > 0) {
		p[n] = '\0';
		if (in_store(p))
			buf->f_type = BPF_FS_MAGIC_NR;
	}
	return 0;
}

int ubf_emul_mkdir(const char *path, mode_t mode)
{
	char p[PATH_MAX];

	pthread_once(&real_once, resolve_real);
	return real.mkdir(ubf_emul_store_path(path, p, sizeof(p)) ? p : path, mode);
}

int ubf_emul_rmdir(const char *path)
{
	char p[PATH_MAX];

	pthread_once(&real_once, resolve_real);
	return real.rmdir(ubf_emul_store_path(path, p, sizeof(p)) ? p : path);
}

int ubf_emul_unlink(const char *path)
{
	char p[PATH_MAX];

	pthread_once(&real_once, resolve_real);
	return real.unlink(ubf_emul_store_path(path, p, sizeof(p)) ? p : path);
}
