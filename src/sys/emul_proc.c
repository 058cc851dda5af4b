// SPDX-License-Identifier: BSD-2-Clause
/*
 * emul_proc.c - the file system side of the emulation (emul.h): what Linux
 * shows in /proc for an eBPF fd and the bpffs under /sys/fs/bpf.  A userbpf
 * object is a regular file whose last page starts with its header
 * (store.h), so one fstat and one pread tell whether an fd is one, without
 * the registry: readlink() of its /proc/self/fd link reads Linux's
 * "anon_inode:bpf-map" and its fdinfo holds Linux's fields, served from a
 * memfd, as are the eBPF sysctls under /proc/sys.  Paths under /sys/fs/bpf
 * are opened, listed and walked in the store, and nftw() hands the
 * callback the /sys/fs/bpf names back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "maps/map.h"
#include "sys/core.h"
#include "sys/emul.h"
#include "sys/sys.h"

/* The largest object header the emulation reads: a map's, a program's or a link's. */
union obj_hdr {
	struct ubf_obj_hdr obj;
	struct ubf_map_hdr map;
	struct ubf_prog_file_hdr prog;
	struct ubf_link_file_hdr link;
	struct ubf_btf_file_hdr btf;
};

/* Is @fd a userbpf object?  Its kind (0: not one), header and file size. */
static enum ubf_obj_kind obj_of_fd(int fd, union obj_hdr *h, uint64_t *file_sz)
{
	size_t page = ubf_shm_page_size();
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)page)
		return 0;
	memset(h, 0, sizeof(*h));
	if (pread(fd, h, sizeof(*h), st.st_size - (off_t)page) != (ssize_t)sizeof(*h))
		return 0;
	*file_sz = (uint64_t)st.st_size;
	switch (h->obj.magic) {
	case UBF_MAP_MAGIC:
		return UBF_OBJ_MAP;
	case UBF_PROG_MAGIC:
		return UBF_OBJ_PROG;
	case UBF_BTF_MAGIC:
		return UBF_OBJ_BTF;
	case UBF_LINK_MAGIC:
		return UBF_OBJ_LINK;
	default:
		return 0;
	}
}

/* Linux's bpf_link_type_strs[], by enum bpf_link_type. */
static const char *const link_type_names[] = {
	[BPF_LINK_TYPE_UNSPEC] = "unspec",
	[BPF_LINK_TYPE_RAW_TRACEPOINT] = "raw_tracepoint",
	[BPF_LINK_TYPE_TRACING] = "tracing",
	[BPF_LINK_TYPE_CGROUP] = "cgroup",
	[BPF_LINK_TYPE_ITER] = "iter",
	[BPF_LINK_TYPE_NETNS] = "netns",
	[BPF_LINK_TYPE_XDP] = "xdp",
	[BPF_LINK_TYPE_PERF_EVENT] = "perf_event",
	[BPF_LINK_TYPE_KPROBE_MULTI] = "kprobe_multi",
	[BPF_LINK_TYPE_STRUCT_OPS] = "struct_ops",
};

static int map_fdinfo(const struct ubf_map_hdr *m, char *buf, size_t sz)
{
	return snprintf(buf, sz,
			"map_type:\t%" PRIu32 "\nkey_size:\t%" PRIu32 "\nvalue_size:\t%" PRIu32
			"\nmax_entries:\t%" PRIu32 "\nmap_flags:\t%#" PRIx32 "\nmap_extra:\t%#"
			PRIx64 "\nmap_id:\t%" PRIu32 "\nfrozen:\t%" PRIu32 "\n",
			m->map_type, m->key_size, m->value_size, m->max_entries, m->map_flags,
			m->map_extra, m->obj.id, m->frozen ? 1u : 0u);
}

static int prog_fdinfo(const struct ubf_prog_file_hdr *p, char *buf, size_t sz)
{
	char tag[2 * BPF_TAG_SIZE + 1];
	size_t i;

	for (i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(tag + 2 * i, 3, "%02x", p->tag[i]);
	return snprintf(buf, sz,
			"prog_type:\t%" PRIu32 "\nprog_jited:\t0\nprog_tag:\t%s\nprog_id:\t%"
			PRIu32 "\nrun_time_ns:\t%" PRIu64 "\nrun_cnt:\t%" PRIu64
			"\nrecursion_misses:\t%" PRIu64 "\n",
			p->prog_type, tag, p->obj.id, __atomic_load_n(&p->run_time_ns, __ATOMIC_RELAXED),
			__atomic_load_n(&p->run_cnt, __ATOMIC_RELAXED),
			__atomic_load_n(&p->recursion_misses, __ATOMIC_RELAXED));
}

static int link_fdinfo(const struct ubf_link_file_hdr *l, char *buf, size_t sz)
{
	const char *type = l->type < UBF_ARRAY_SIZE(link_type_names) && link_type_names[l->type] ?
			   link_type_names[l->type] : "unknown";

	return snprintf(buf, sz, "link_type:\t%s\nlink_id:\t%" PRIu32 "\nprog_id:\t%" PRIu32 "\n",
			type, l->obj.id, l->prog_id);
}

int ubf_emul_fdinfo(int fd, char *buf, size_t sz)
{
	union obj_hdr h;
	uint64_t file_sz;
	int n;

	switch (obj_of_fd(fd, &h, &file_sz)) {
	case UBF_OBJ_MAP:
		n = map_fdinfo(&h.map, buf, sz);
		break;
	case UBF_OBJ_PROG:
		n = prog_fdinfo(&h.prog, buf, sz);
		break;
	case UBF_OBJ_LINK:
		n = link_fdinfo(&h.link, buf, sz);
		break;
	case UBF_OBJ_BTF:
		n = snprintf(buf, sz, "btf_id:\t%" PRIu32 "\n", h.obj.id);
		break;
	default:
		return -EBADF;
	}
	return n < 0 ? -EINVAL : n;
}

/*
 * The fd number of a /proc/self/fd/N, /proc/thread-self/fd/N or
 * /proc/<own pid>/fd/N path (@dir "fd" or "fdinfo"); -1 for any other path.
 */
static int proc_fd(const char *path, const char *dir)
{
	static const char proc[] = "/proc/";
	const char *p, *end;
	char *num_end;
	size_t n = strlen(dir);
	long fd;

	if (!path || strncmp(path, proc, sizeof(proc) - 1))
		return -1;
	p = path + sizeof(proc) - 1;
	end = strchr(p, '/');
	if (!end)
		return -1;
	if (!((end - p == 4 && !strncmp(p, "self", 4)) ||
	      (end - p == 11 && !strncmp(p, "thread-self", 11)) ||
	      strtol(p, &num_end, 10) == getpid()))
		return -1;
	p = end + 1;
	if (strncmp(p, dir, n) || p[n] != '/' || p[n + 1] < '0' || p[n + 1] > '9')
		return -1;
	errno = 0;
	fd = strtol(p + n + 1, &num_end, 10);
	if (errno || *num_end || fd > INT_MAX)
		return -1;
	return (int)fd;
}

ssize_t ubf_emul_readlink(const char *path, char *buf, size_t sz)
{
	static const char *const names[] = {
		[UBF_OBJ_MAP] = "anon_inode:bpf-map",
		[UBF_OBJ_PROG] = "anon_inode:bpf-prog",
		[UBF_OBJ_BTF] = "anon_inode:btf",
		[UBF_OBJ_LINK] = "anon_inode:bpf_link",
	};
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	int fd = proc_fd(path, "fd");
	enum ubf_obj_kind kind;
	union obj_hdr h;
	uint64_t file_sz;
	size_t n;

	if (!libc) {
		errno = ENOSYS;
		return -1;
	}
	kind = fd < 0 ? 0 : obj_of_fd(fd, &h, &file_sz);
	if (!kind || kind >= UBF_ARRAY_SIZE(names) || !names[kind])
		return libc->readlink(path, buf, sz);
	n = strlen(names[kind]);
	n = n < sz ? n : sz;		/* readlink() truncates silently */
	memcpy(buf, names[kind], n);
	return (ssize_t)n;
}

int ubf_emul_fdinfo_file(int fd, const char *head_path, bool cloexec)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	char head[512], obj[1024];
	ssize_t head_n = 0;
	int n, in, mfd, err;

	if (!libc)
		return -ENOSYS;
	n = ubf_emul_fdinfo(fd, obj, sizeof(obj));
	if (n < 0)
		return n;
	in = libc->openat(AT_FDCWD, head_path, O_RDONLY | O_CLOEXEC);
	if (in >= 0) {
		head_n = read(in, head, sizeof(head));
		libc->close(in);
	}
	mfd = memfd_create("fdinfo", cloexec ? MFD_CLOEXEC : 0);
	if (mfd < 0)
		return -errno;
	if ((head_n > 0 && write(mfd, head, (size_t)head_n) != head_n) ||
	    write(mfd, obj, (size_t)n) != n || lseek(mfd, 0, SEEK_SET)) {
		err = errno ? -errno : -EIO;
		libc->close(mfd);
		return err;
	}
	return mfd;
}

/*
 * A memfd holding what Linux's /proc/self/fdinfo/@fd shows for a userbpf
 * object.  Return: the fd (O_CLOEXEC when @cloexec), -1 with errno EBADF
 * for an fd that is no userbpf object, or errno.
 */
static int fdinfo_file(int fd, bool cloexec)
{
	char path[64];
	int mfd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	mfd = ubf_emul_fdinfo_file(fd, path, cloexec);
	if (mfd < 0) {
		errno = -mfd;
		return -1;
	}
	return mfd;
}

/*
 * The eBPF sysctls, as userbpf's answers: any user may call bpf(2), the JIT
 * is on and emits no constant blinding, no kallsyms.  Feature probes
 * (bpftool's "Scanning system configuration") read these.
 */
static const struct {
	const char *path;
	const char *value;
} sysctls[] = {
	{ "/proc/sys/kernel/unprivileged_bpf_disabled", "0\n" },
	{ "/proc/sys/net/core/bpf_jit_enable", "1\n" },
	{ "/proc/sys/net/core/bpf_jit_harden", "0\n" },
	{ "/proc/sys/net/core/bpf_jit_kallsyms", "0\n" },
};

/* A memfd with @text, read-only use, at offset 0 (-1 and errno on failure). */
static int text_file(const struct ubf_emul_libc *libc, const char *text, bool cloexec)
{
	size_t n = strlen(text);
	int mfd = memfd_create("sysctl", cloexec ? MFD_CLOEXEC : 0), err;

	if (mfd < 0)
		return -1;
	if (write(mfd, text, n) != (ssize_t)n || lseek(mfd, 0, SEEK_SET)) {
		err = errno;
		libc->close(mfd);
		errno = err;
		return -1;
	}
	return mfd;
}

int ubf_emul_sysctl_file(const char *path, bool cloexec)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	const char *val = ubf_emul_sysctl(path);
	int mfd;

	if (!val)
		return -ENOENT;
	if (!libc)
		return -ENOSYS;
	mfd = text_file(libc, val, cloexec);
	return mfd < 0 ? -errno : mfd;
}

const char *ubf_emul_sysctl(const char *path)
{
	size_t i;

	for (i = 0; path && i < UBF_ARRAY_SIZE(sysctls); i++) {
		if (!strcmp(path, sysctls[i].path))
			return sysctls[i].value;
	}
	return NULL;
}

FILE *ubf_emul_fopen(const char *path, const char *mode)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	int fd = proc_fd(path, "fdinfo"), mfd;
	const char *val = ubf_emul_sysctl(path);
	FILE *f;

	if (!libc) {
		errno = ENOSYS;
		return NULL;
	}
	if ((fd < 0 && !val) || !mode || mode[0] != 'r' || strchr(mode, '+'))
		return libc->fopen(path, mode);
	if (val)
		mfd = text_file(libc, val, strchr(mode, 'e') != NULL);
	else
		mfd = fdinfo_file(fd, strchr(mode, 'e') != NULL);
	if (mfd < 0)
		return errno == EBADF ? libc->fopen(path, mode) : NULL;
	f = fdopen(mfd, "r");
	if (!f)
		libc->close(mfd);
	return f;
}

int ubf_emul_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	char p[PATH_MAX];
	int fd, mfd;

	if (!libc) {
		errno = ENOSYS;
		return -1;
	}
	if (ubf_emul_sysctl(path) && (flags & O_ACCMODE) == O_RDONLY)
		return text_file(libc, ubf_emul_sysctl(path), flags & O_CLOEXEC);
	fd = proc_fd(path, "fdinfo");
	if (fd >= 0 && (flags & O_ACCMODE) == O_RDONLY) {
		mfd = fdinfo_file(fd, flags & O_CLOEXEC);
		if (mfd >= 0 || errno != EBADF)
			return mfd;
	}
	if (ubf_emul_store_path(path, p, sizeof(p)))
		path = p;
	return libc->openat(dirfd, path, flags, mode);
}

int ubf_emul_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	char p[PATH_MAX];

	if (!libc) {
		errno = ENOSYS;
		return -1;
	}
	return libc->fstatat(dirfd, ubf_emul_store_path(path, p, sizeof(p)) ? p : path, st, flags);
}

int ubf_emul_faccessat(int dirfd, const char *path, int mode, int flags)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	char p[PATH_MAX];

	if (!libc) {
		errno = ENOSYS;
		return -1;
	}
	return libc->faccessat(dirfd, ubf_emul_store_path(path, p, sizeof(p)) ? p : path, mode,
			       flags);
}

DIR *ubf_emul_opendir(const char *path)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	char p[PATH_MAX];

	if (!libc) {
		errno = ENOSYS;
		return NULL;
	}
	return libc->opendir(ubf_emul_store_path(path, p, sizeof(p)) ? p : path);
}

/* ---------------------------------------------------------------- nftw of /sys/fs/bpf */

/*
 * One walk of the store on behalf of a walk of /sys/fs/bpf: the caller's
 * callback and the two prefixes.  Per thread, as nftw() calls back on the
 * thread that called it.
 */
struct walk {
	int (*fn)(const char *path, const struct stat *st, int flag, struct FTW *ftw);
	const char *from;	/* the store path walked */
	const char *to;		/* the /sys/fs/bpf path asked for */
};

static __thread struct walk *cur_walk;

/* The store's own files at its top level (store.c, prog.c, test_run.c): no pins, never shown. */
bool ubf_emul_store_internal(const char *rel)
{
	static const char *const names[] = { "/.held", "/.ids", "/.stats" };
	size_t i, n;

	for (i = 0; i < UBF_ARRAY_SIZE(names); i++) {
		n = strlen(names[i]);
		if (!strncmp(rel, names[i], n) && (rel[n] == '\0' || rel[n] == '/'))
			return true;
	}
	return false;
}

static int walk_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const struct walk *w = cur_walk;
	size_t n = strlen(w->from);
	char p[PATH_MAX];

	if (!strncmp(path, w->from, n) && !strcmp(w->to, "/sys/fs/bpf") &&
	    ubf_emul_store_internal(path + n))
		return 0;
	if (strncmp(path, w->from, n) ||
	    snprintf(p, sizeof(p), "%s%s", w->to, path + n) >= (int)sizeof(p))
		return w->fn(path, st, flag, ftw);
	return w->fn(p, st, flag, ftw);
}

int ubf_emul_nftw(const char *dir, int (*fn)(const char *, const struct stat *, int,
					      struct FTW *), int nfd, int flags)
{
	const struct ubf_emul_libc *libc = ubf_emul_libc();
	struct walk w, *outer;
	char p[PATH_MAX];
	int ret;

	if (!libc) {
		errno = ENOSYS;
		return -1;
	}
	if (!ubf_emul_store_path(dir, p, sizeof(p)))
		return libc->nftw(dir, fn, nfd, flags);
	w.fn = fn;
	w.from = p;
	w.to = dir;
	outer = cur_walk;
	cur_walk = &w;
	ret = libc->nftw(p, walk_one, nfd, flags);
	cur_walk = outer;
	return ret;
}
