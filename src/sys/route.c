// SPDX-License-Identifier: BSD-2-Clause
/*
 * route.c - ubf_libbpf_route(): libbpf's system calls reach userbpf
 * in-process.  The import slots (GOT) of syscall, mmap/mmap64, epoll_ctl
 * and close are rewritten in every loaded object that imports them, found
 * with dl_iterate_phdr() and each object's dynamic section; the wrappers
 * send bpf(2) to ubf_bpf(), give ring buffer files Linux's double mapping
 * and substitute a pollable eventfd for a ring buffer in epoll, signalled by
 * a waiter thread that sleeps on the ring's futex word (ring.h), so a
 * producer in any process wakes the consumer.  statfs, mkdir and unlink
 * of a pin path under /sys/fs/bpf act on the store, whose directories
 * report bpffs's magic.  Anything else passes through unchanged.  Routing
 * is process-wide by nature: the slots are the state.
 */
#define _GNU_SOURCE
#include <userbpf/libbpf.h>

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdarg.h>
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
#include "sys/sys.h"

#if defined(__x86_64__)
#define RELOC_JUMP_SLOT R_X86_64_JUMP_SLOT
#define RELOC_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define RELOC_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define RELOC_GLOB_DAT R_AARCH64_GLOB_DAT
#endif

/* The C library's functions, found once; the wrappers call these. */
static struct {
	long (*syscall)(long nr, ...);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*epoll_ctl)(int epfd, int op, int fd, struct epoll_event *ev);
	int (*close)(int fd);
	int (*statfs)(const char *path, struct statfs *buf);
	int (*mkdir)(const char *path, mode_t mode);
	int (*unlink)(const char *path);
} real;

static pthread_once_t real_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t route_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---------------------------------------------------------------- ring buffer files */

/* What the wrappers need to know about a userbpf ring buffer file. */
struct ring_file {
	uint64_t data_sz;	/* consumer page + producer page + max_entries */
	uint32_t max_entries;
	bool is_user;		/* BPF_MAP_TYPE_USER_RINGBUF */
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
	if (hdr.data_sz != 2 * page + (uint64_t)hdr.max_entries ||
	    hdr.data_sz + page != (uint64_t)st.st_size)
		return false;
	rf->data_sz = hdr.data_sz;
	rf->max_entries = hdr.max_entries;
	rf->is_user = hdr.map_type == UBF_MAP_USER_RINGBUF;
	return true;
}

/*
 * mmap() of [off, off + len) of a ring file where the range reaches past
 * the data area: the part past it shows the data area again, so a record
 * that wraps is contiguous (Linux's ringbuf mmap; libbpf maps the producer
 * page and 2 * max_entries data bytes from offset page).
 */
static void *map_ring_tail(void *addr, size_t len, int prot, int flags, int fd, off_t off,
			   const struct ring_file *rf)
{
	uint64_t extra = (uint64_t)off + len - rf->data_sz;
	uint8_t *base;
	void *p;
	int err;

	if ((uint64_t)off > rf->data_sz || extra > rf->max_entries ||
	    extra % ubf_shm_page_size()) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	base = real.mmap(addr, len, prot, flags, fd, off);
	if (base == MAP_FAILED)
		return MAP_FAILED;
	p = real.mmap(base + (rf->data_sz - (uint64_t)off), (size_t)extra, prot,
		      (flags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED, fd,
		      (off_t)(rf->data_sz - rf->max_entries));
	if (p == MAP_FAILED) {
		err = errno;
		munmap(base, len);
		errno = err;
		return MAP_FAILED;
	}
	return base;
}

/* ---------------------------------------------------------------- epoll waiters */

/*
 * One epoll registration of a ring buffer: the eventfd that stands in for
 * it and the thread that signals it.  The thread maps the ring's first two
 * pages and sleeps on the wake-up words of the side that notifies (ring.h).
 */
struct waiter {
	struct waiter *next;
	int epfd;
	int fd;
	int efd;
	bool is_user;
	uint32_t max_entries;
	uint8_t *pages;		/* consumer page, producer page */
	size_t page;
	uint32_t *seq;
	uint32_t *sleepers;
	bool stop;
	pid_t pid;		/* the process whose thread signals efd */
	pthread_t thread;
};

static struct waiter *waiters;
static int waiter_cnt;		/* read without the lock by route_close() */

/* Readable for a ringbuf: data to consume; writable for a user ringbuf: space. */
static bool waiter_ready(const struct waiter *w)
{
	uint64_t cons = __atomic_load_n((uint64_t *)(void *)w->pages, __ATOMIC_ACQUIRE);
	uint64_t prod = __atomic_load_n((uint64_t *)(void *)(w->pages + w->page), __ATOMIC_ACQUIRE);

	if (w->is_user)
		return prod - cons < w->max_entries;
	return prod != cons;
}

/* A new edge on the eventfd (registered EPOLLET): drain the count, add one. */
static void waiter_signal(const struct waiter *w)
{
	uint64_t v;

	if (read(w->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	v = 1;
	if (write(w->efd, &v, sizeof(v)) < 0)
		return;
}

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	uint32_t last = __atomic_load_n(w->seq, __ATOMIC_SEQ_CST), cur;

	if (waiter_ready(w))
		waiter_signal(w);
	for (;;) {
		__atomic_add_fetch(w->sleepers, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&w->stop, __ATOMIC_SEQ_CST))
			real.syscall(SYS_futex, w->seq, FUTEX_WAIT, last, NULL, NULL, 0);
		__atomic_sub_fetch(w->sleepers, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&w->stop, __ATOMIC_SEQ_CST))
			return NULL;
		cur = __atomic_load_n(w->seq, __ATOMIC_SEQ_CST);
		if (cur == last)
			continue;
		last = cur;
		if (waiter_ready(w))
			waiter_signal(w);
	}
}

static void waiter_free(struct waiter *w)
{
	if (w->pages)
		munmap(w->pages, 2 * w->page);
	if (w->efd >= 0)
		real.close(w->efd);
	free(w);
}

/*
 * Stop @w's thread (it may sleep on a futex shared with other processes).
 * In a forked child the thread and the epoll registration are the parent's:
 * only the child's copies of the eventfd and the mapping are released.
 */
static void waiter_stop(struct waiter *w)
{
	if (w->pid != getpid()) {
		waiter_free(w);
		return;
	}
	__atomic_store_n(&w->stop, true, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(w->seq, 1, __ATOMIC_SEQ_CST);
	real.syscall(SYS_futex, w->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	pthread_join(w->thread, NULL);
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

static int waiter_new(int epfd, int fd, const struct ring_file *rf, struct waiter **wp)
{
	struct waiter *w = calloc(1, sizeof(*w));
	void *pages;
	int err;

	if (!w)
		return -ENOMEM;
	w->epfd = epfd;
	w->fd = fd;
	w->pid = getpid();
	w->is_user = rf->is_user;
	w->max_entries = rf->max_entries;
	w->page = ubf_shm_page_size();
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0)
		goto err_errno;
	pages = real.mmap(NULL, 2 * w->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pages == MAP_FAILED)
		goto err_errno;
	w->pages = pages;
	/* ringbuf: producers notify from their page; user ringbuf: the drain from the consumer's */
	w->seq = (uint32_t *)(void *)(w->pages + (w->is_user ? 0 : w->page) + UBF_RING_WAKE_OFF);
	w->sleepers = w->seq + 1;
	*wp = w;
	return 0;

err_errno:
	err = -errno;
	waiter_free(w);
	return err;
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
	err = waiter_new(epfd, fd, rf, &w);
	if (err)
		return err;
	sub.events = EPOLLIN | EPOLLET;
	sub.data = ev->data;
	if (real.epoll_ctl(epfd, EPOLL_CTL_ADD, w->efd, &sub)) {
		err = -errno;
		waiter_free(w);
		return err;
	}
	err = -pthread_create(&w->thread, NULL, waiter_main, w);
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

	pthread_mutex_lock(&route_lock);
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
	pthread_mutex_unlock(&route_lock);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- the wrappers */

static long route_syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_bpf)
		return ubf_bpf((int)a[0], (void *)a[1], (unsigned int)a[2]);
	return real.syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void *route_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct ring_file rf;

	if (fd < 0 || (flags & MAP_ANONYMOUS) || off < 0 || !ring_file(fd, &rf) ||
	    (uint64_t)off + len <= rf.data_sz)
		return real.mmap(addr, len, prot, flags, fd, off);
	return map_ring_tail(addr, len, prot, flags, fd, off, &rf);
}

static int route_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	struct ring_file rf;

	if (!ring_file(fd, &rf))
		return real.epoll_ctl(epfd, op, fd, ev);
	return ring_epoll_ctl(epfd, op, fd, ev, &rf);
}

/* Closing an epoll fd or a ring buffer fd ends the waiters registered with it. */
static int route_close(int fd)
{
	struct waiter **pw, *w;

	if (__atomic_load_n(&waiter_cnt, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&route_lock);
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
		pthread_mutex_unlock(&route_lock);
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
static bool store_path(const char *path, char *buf, size_t buf_sz)
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
	const char *root = ubf_store_root();
	size_t n = strlen(root);

	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}

/*
 * libbpf refuses to pin outside a bpffs (its check_path() tests f_type),
 * so the store's directories report Linux's BPF_FS_MAGIC.
 */
static int route_statfs(const char *path, struct statfs *buf)
{
	char p[PATH_MAX];
	const char *use = store_path(path, p, sizeof(p)) ? p : path;
	int err;

	err = real.statfs(use, buf);
	if (!err && use && in_store(use))
		buf->f_type = BPF_FS_MAGIC_NR;
	return err;
}

static int route_mkdir(const char *path, mode_t mode)
{
	char p[PATH_MAX];

	return real.mkdir(store_path(path, p, sizeof(p)) ? p : path, mode);
}

static int route_unlink(const char *path)
{
	char p[PATH_MAX];

	return real.unlink(store_path(path, p, sizeof(p)) ? p : path);
}

static const struct {
	const char *name;
	void *fn;
} routes[] = {
	{ "syscall", (void *)route_syscall },
	{ "mmap", (void *)route_mmap },
	{ "mmap64", (void *)route_mmap },
	{ "epoll_ctl", (void *)route_epoll_ctl },
	{ "close", (void *)route_close },
	{ "statfs", (void *)route_statfs },
	{ "statfs64", (void *)route_statfs },
	{ "mkdir", (void *)route_mkdir },
	{ "unlink", (void *)route_unlink },
};

/* ---------------------------------------------------------------- patching */

static void *find_real(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	return p ? p : dlsym(RTLD_DEFAULT, name);
}

static void resolve_real(void)
{
	real.syscall = (long (*)(long, ...))find_real("syscall");
	real.mmap = (void *(*)(void *, size_t, int, int, int, off_t))find_real("mmap64");
	real.epoll_ctl = (int (*)(int, int, int, struct epoll_event *))find_real("epoll_ctl");
	real.close = (int (*)(int))find_real("close");
	real.statfs = (int (*)(const char *, struct statfs *))find_real("statfs64");
	real.mkdir = (int (*)(const char *, mode_t))find_real("mkdir");
	real.unlink = (int (*)(const char *))find_real("unlink");
}

/* What one object's dynamic section says about its imports. */
struct dyn_info {
	uintptr_t base;
	const ElfW(Sym) *symtab;
	const char *strtab;
	size_t strsz;
	const ElfW(Rela) *rela[2];	/* DT_JMPREL, DT_RELA */
	size_t rela_sz[2];
	uintptr_t relro_lo, relro_hi;
};

struct patch_ctx {
	int err;
};

/* glibc relocates d_ptr in place for most objects; the vDSO and some ports do not. */
static uintptr_t dyn_addr(const struct dyn_info *di, ElfW(Addr) v)
{
	return v < di->base ? di->base + v : v;
}

static void *route_for(const struct dyn_info *di, const ElfW(Rela) *r)
{
	const ElfW(Sym) *sym;
	size_t i, type = ELF64_R_TYPE(r->r_info), symi = ELF64_R_SYM(r->r_info);

	if ((type != RELOC_JUMP_SLOT && type != RELOC_GLOB_DAT) || !symi)
		return NULL;
	sym = &di->symtab[symi];
	if (sym->st_shndx != SHN_UNDEF || sym->st_name >= di->strsz)
		return NULL;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!strcmp(di->strtab + sym->st_name, routes[i].name))
			return routes[i].fn;
	}
	return NULL;
}

/* Write one slot; a slot under RELRO (BIND_NOW objects) is made writable for the write. */
static int write_slot(const struct dyn_info *di, void **slot, void *fn)
{
	uintptr_t a = (uintptr_t)slot, page = ubf_shm_page_size(), lo = a & ~(page - 1);
	bool is_relro = a >= di->relro_lo && a < di->relro_hi;

	if (__atomic_load_n(slot, __ATOMIC_ACQUIRE) == fn)
		return 0;
	if (is_relro && mprotect((void *)lo, page, PROT_READ | PROT_WRITE))
		return -errno;
	__atomic_store_n(slot, fn, __ATOMIC_RELEASE);
	if (is_relro && mprotect((void *)lo, page, PROT_READ))
		return -errno;
	return 0;
}

static int patch_relocs(const struct dyn_info *di, const ElfW(Rela) *rela, size_t sz)
{
	size_t i;
	void *fn;
	int err;

	for (i = 0; i < sz / sizeof(*rela); i++) {
		fn = route_for(di, &rela[i]);
		if (!fn)
			continue;
		err = write_slot(di, (void **)(di->base + rela[i].r_offset), fn);
		if (err)
			return err;
	}
	return 0;
}

static bool skip_object(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return !strncmp(base, "linux-vdso", 10) || !strncmp(base, "linux-gate", 10) ||
	       !strncmp(base, "libc.so", 7) || !strncmp(base, "ld-linux", 8);
}

static int read_dynamic(struct dl_phdr_info *info, struct dyn_info *di)
{
	const ElfW(Dyn) *dyn = NULL, *d;
	int i;

	memset(di, 0, sizeof(*di));
	di->base = info->dlpi_addr;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
		if (ph->p_type == PT_GNU_RELRO) {
			di->relro_lo = info->dlpi_addr + ph->p_vaddr;
			di->relro_hi = di->relro_lo + ph->p_memsz;
		}
	}
	if (!dyn)
		return -ENOENT;
	for (d = dyn; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB:
			di->symtab = (const ElfW(Sym) *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_STRTAB:
			di->strtab = (const char *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_STRSZ:
			di->strsz = d->d_un.d_val;
			break;
		case DT_JMPREL:
			di->rela[0] = (const ElfW(Rela) *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			di->rela_sz[0] = d->d_un.d_val;
			break;
		case DT_RELA:
			di->rela[1] = (const ElfW(Rela) *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_RELASZ:
			di->rela_sz[1] = d->d_un.d_val;
			break;
		case DT_PLTREL:
			if (d->d_un.d_val != DT_RELA)
				return -ENOENT;	/* REL-only objects do not exist on x86-64/arm64 */
			break;
		default:
			break;
		}
	}
	return di->symtab && di->strtab ? 0 : -ENOENT;
}

static int patch_object(struct dl_phdr_info *info, size_t info_sz, void *data)
{
	struct patch_ctx *ctx = data;
	struct dyn_info di;
	int i, err;

	(void)info_sz;
	if (skip_object(info->dlpi_name) || read_dynamic(info, &di))
		return 0;
	for (i = 0; i < 2; i++) {
		if (!di.rela[i])
			continue;
		err = patch_relocs(&di, di.rela[i], di.rela_sz[i]);
		if (err) {
			ctx->err = err;
			return 1;
		}
	}
	return 0;
}

int ubf_libbpf_route(void)
{
#if defined(RELOC_JUMP_SLOT)
	struct patch_ctx ctx = { 0 };

	pthread_once(&real_once, resolve_real);
	if (!real.syscall || !real.mmap || !real.epoll_ctl || !real.close || !real.statfs ||
	    !real.mkdir || !real.unlink)
		return -ENOSYS;
	pthread_mutex_lock(&route_lock);
	dl_iterate_phdr(patch_object, &ctx);
	pthread_mutex_unlock(&route_lock);
	return ctx.err;
#else
	return -EOPNOTSUPP;
#endif
}
