// SPDX-License-Identifier: BSD-2-Clause
/*
 * paths.c - the path calls eBPF libraries make around pinning, for a child
 * under `userbpf exec`: statfs()/fstatfs() report bpffs's magic for the
 * store's directories (libbpf, bpftool and cilium/ebpf check it before
 * pinning); statfs, mkdir(at), unlink(at), open(at), the stat calls and
 * access(at) of a path under /sys/fs/bpf act on the same path under the
 * store root; readlink of the caller's /proc fd link of an object reads
 * Linux's anon inode name, and opening its fdinfo or an eBPF sysctl reads
 * the emulation's text (emul_proc.c, the preload library's producer).
 * Every other path is handed back to the kernel untouched
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  That is safe here in the sense of
 * seccomp_unotify(2): CONTINUE is no security decision (the child may make
 * any of these calls itself), and it is only answered before the
 * supervisor did anything on the call's behalf, so a thread that rewrites
 * the path in between gets the kernel's answer for its new path, as it
 * would without userbpf.
 */
#define _GNU_SOURCE
#include "exec/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/emul.h"
#include "sys/sys.h"

#define BPF_FS_MAGIC_NR 0xcafe4a11	/* Linux's BPF_FS_MAGIC */

/* /sys/fs/bpf or a path under it, translated to the store; false for any other path. */
static bool pin_path(const char *path, char *buf, size_t buf_sz)
{
	static const char bpffs[] = "/sys/fs/bpf";
	size_t n = sizeof(bpffs) - 1;

	if (strncmp(path, bpffs, n) || (path[n] && path[n] != '/'))
		return false;
	return !ubf_store_pin_path(path, buf, buf_sz);
}

static bool in_store(const char *path)
{
	const char *root = ubf_store_root();
	size_t n = strlen(root);

	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}

/* The child's path at args[@i]; for a pin path @use is the store's path, else empty. */
static int read_path(struct ubf_exec_call *c, int i, char *path, char *use)
{
	int err = ubf_exec_read_str(c, c->notif->data.args[i], path, PATH_MAX);

	if (err)
		return err;
	if (!pin_path(path, use, PATH_MAX))
		use[0] = '\0';
	return 0;
}

static void finish(struct ubf_exec_call *c, int ret)
{
	if (ret < 0)
		c->err = -errno;
	else
		c->val = ret;
}

static void answer_statfs(struct ubf_exec_call *c, struct statfs *st, int ret)
{
	if (ret < 0) {
		c->err = -errno;
		return;
	}
	st->f_type = BPF_FS_MAGIC_NR;
	c->err = ubf_exec_write(c, c->notif->data.args[1], st, sizeof(*st));
}

void ubf_exec_statfs(struct ubf_exec_call *c)
{
	char path[PATH_MAX], use[PATH_MAX];
	struct statfs st;
	int err;

	err = read_path(c, 0, path, use);
	if (err) {
		c->is_continue = true;	/* the kernel gives the same fault */
		return;
	}
	if (!use[0] && !in_store(path)) {
		c->is_continue = true;
		return;
	}
	answer_statfs(c, &st, statfs(use[0] ? use : path, &st));
}

void ubf_exec_fstatfs(struct ubf_exec_call *c)
{
	char link[64], target[PATH_MAX];
	struct statfs st;
	ssize_t n;
	int fd;

	if (ubf_exec_getfd(c, (int)c->notif->data.args[0], &fd)) {
		c->is_continue = true;
		return;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		close(fd);
		c->is_continue = true;
		return;
	}
	target[n] = '\0';
	if (!in_store(target)) {
		close(fd);
		c->is_continue = true;
		return;
	}
	answer_statfs(c, &st, fstatfs(fd, &st));
	close(fd);
}

/* mkdir(path, mode), mkdirat(dirfd, path, mode): absolute pin paths only. */
void ubf_exec_mkdir(struct ubf_exec_call *c)
{
	bool is_at = c->notif->data.nr == SYS_mkdirat;
	char path[PATH_MAX], use[PATH_MAX];

	if (read_path(c, is_at, path, use) || !use[0]) {
		c->is_continue = true;
		return;
	}
	finish(c, mkdir(use, (mode_t)c->notif->data.args[is_at + 1]));
}

/* unlink(path), unlinkat(dirfd, path, flags): AT_REMOVEDIR removes a directory. */
void ubf_exec_unlink(struct ubf_exec_call *c)
{
	bool is_at = c->notif->data.nr == SYS_unlinkat;
	char path[PATH_MAX], use[PATH_MAX];

	if (read_path(c, is_at, path, use) || !use[0]) {
		c->is_continue = true;
		return;
	}
	if (is_at && (c->notif->data.args[2] & AT_REMOVEDIR))
		finish(c, rmdir(use));
	else
		finish(c, unlink(use));
}

/* "/proc/self/fd/N" or "/proc/<the caller's pid>/fd/N": N, else -1. */
static int proc_fd(const struct ubf_exec_call *c, const char *path)
{
	char self[32];
	const char *p;
	char *end;
	long n;

	snprintf(self, sizeof(self), "/proc/%d/fd/", (int)c->tgid);
	if (!strncmp(path, "/proc/self/fd/", 14))
		p = path + 14;
	else if (!strncmp(path, self, strlen(self)))
		p = path + strlen(self);
	else
		return -1;
	n = strtol(p, &end, 10);
	return *p && !*end && n >= 0 && n < INT_MAX ? (int)n : -1;
}

/*
 * readlink(path, buf, size), readlinkat(dirfd, path, buf, size) of the
 * caller's /proc fd link for a userbpf object reads what Linux shows for
 * the object's anon inode (bpftool's get_fd_type() checks it).
 */
void ubf_exec_readlink(struct ubf_exec_call *c)
{
	static const char *const names[] = {
		[UBF_OBJ_MAP] = "anon_inode:bpf-map", [UBF_OBJ_PROG] = "anon_inode:bpf-prog",
		[UBF_OBJ_BTF] = "anon_inode:btf", [UBF_OBJ_LINK] = "anon_inode:bpf_link",
	};
	bool is_at = c->notif->data.nr == SYS_readlinkat;
	uint64_t buf = c->notif->data.args[is_at + 1], size = c->notif->data.args[is_at + 2];
	char path[PATH_MAX];
	struct ubf_obj *obj;
	size_t len;
	int n, fd;

	c->is_continue = true;
	if (ubf_exec_read_str(c, c->notif->data.args[is_at], path, sizeof(path)))
		return;
	n = proc_fd(c, path);
	if (n < 0 || ubf_exec_getfd(c, n, &fd))
		return;
	if (!ubf_obj_get(fd, 0, &obj) && (unsigned)obj->kind < sizeof(names) / sizeof(names[0]) &&
	    names[obj->kind]) {
		c->is_continue = false;
		len = strlen(names[obj->kind]);
		if (len > size)
			len = (size_t)size;
		c->err = ubf_exec_write(c, buf, names[obj->kind], len);
		c->val = (int64_t)len;
	}
	close(fd);
}

/* ------------------------------------------------ open and stat of pin paths, /proc files */

bool ubf_exec_path_is_ours(const struct seccomp_notif *n, int arg)
{
	struct ubf_exec_call c = { .notif = n };
	char path[16];
	int err;

	/* the first 15 bytes are enough to tell; a longer path reads -ENAMETOOLONG here */
	err = ubf_exec_read_str(&c, n->data.args[arg], path, sizeof(path));
	if (err && err != -ENAMETOOLONG)
		return false;
	path[sizeof(path) - 1] = '\0';
	return !strncmp(path, "/sys/fs/bpf", 11) || !strncmp(path, "/proc/", 6);
}

/* "/proc/self/fdinfo/N", "/proc/thread-self/fdinfo/N" or "/proc/<tgid>/fdinfo/N": N, else -1. */
static int proc_fdinfo(const struct ubf_exec_call *c, const char *path)
{
	char self[32];
	const char *p;
	char *end;
	long n;

	snprintf(self, sizeof(self), "/proc/%d/fdinfo/", (int)c->tgid);
	if (!strncmp(path, "/proc/self/fdinfo/", 18))
		p = path + 18;
	else if (!strncmp(path, "/proc/thread-self/fdinfo/", 25))
		p = path + 25;
	else if (!strncmp(path, self, strlen(self)))
		p = path + strlen(self);
	else
		return -1;
	if (*p < '0' || *p > '9')
		return -1;
	n = strtol(p, &end, 10);
	return !*end && n < INT_MAX ? (int)n : -1;
}

/* The child's fdinfo of its fd @n, when it is a userbpf object: true with c->fd set. */
static bool open_fdinfo(struct ubf_exec_call *c, int n, bool cloexec)
{
	char head[64];
	int fd, mfd;

	if (ubf_exec_getfd(c, n, &fd))
		return false;
	snprintf(head, sizeof(head), "/proc/%d/fdinfo/%d", (int)c->tgid, n);
	mfd = ubf_emul_fdinfo_file(fd, head, cloexec);
	close(fd);
	if (mfd == -EBADF)
		return false;
	if (mfd < 0)
		c->err = mfd;
	else
		c->fd = mfd;
	return true;
}

/*
 * open(path, flags, mode), openat(dirfd, path, flags, mode): a path under
 * /sys/fs/bpf opens the store's file or directory (bpftool and cilium/ebpf
 * open pin directories and check pins; `ls` lists them), the fdinfo of an
 * object and the eBPF sysctls open a memfd with the emulation's text
 * (emul_proc.c); the fd goes into the child with the call's O_CLOEXEC.
 * Every other path runs in the kernel.
 */
void ubf_exec_open(struct ubf_exec_call *c)
{
	bool is_at = c->notif->data.nr == SYS_openat;
	int flags = (int)c->notif->data.args[is_at + 1], n, fd;
	mode_t mode = (mode_t)c->notif->data.args[is_at + 2];
	bool rdonly = (flags & O_ACCMODE) == O_RDONLY;
	char path[PATH_MAX], use[PATH_MAX];

	c->is_continue = true;
	if (read_path(c, is_at, path, use) || ubf_exec_call_valid(c))
		return;
	c->fd_flags = flags & O_CLOEXEC ? O_CLOEXEC : 0;
	n = proc_fdinfo(c, path);
	if (rdonly && ubf_emul_sysctl(path)) {
		c->is_continue = false;
		fd = ubf_emul_sysctl_file(path, true);
		if (fd < 0)
			c->err = fd;
		else
			c->fd = fd;
	} else if (rdonly && n >= 0 && open_fdinfo(c, n, true)) {
		c->is_continue = false;
	} else if (use[0]) {
		c->is_continue = false;
		fd = open(use, flags | O_CLOEXEC, mode);
		if (fd < 0)
			c->err = -errno;
		else
			c->fd = fd;
	}
}

/* The stat or access call on the store's path @use; the result struct goes back to the child. */
static void stat_use(struct ubf_exec_call *c, const char *use, const __u64 *a)
{
	struct statx stx;
	struct stat st;
	long ret;

	switch (c->notif->data.nr) {
#ifdef SYS_stat
	case SYS_stat:
	case SYS_lstat:
		ret = syscall(SYS_newfstatat, AT_FDCWD, use, &st,
			      c->notif->data.nr == SYS_lstat ? AT_SYMLINK_NOFOLLOW : 0);
		c->err = ret ? -errno : ubf_exec_write(c, a[1], &st, sizeof(st));
		return;
	case SYS_access:
		c->err = syscall(SYS_faccessat, AT_FDCWD, use, (int)a[1]) ? -errno : 0;
		return;
#endif
	case SYS_newfstatat:
		ret = syscall(SYS_newfstatat, AT_FDCWD, use, &st, (int)a[3]);
		c->err = ret ? -errno : ubf_exec_write(c, a[2], &st, sizeof(st));
		return;
	case SYS_statx:
		ret = syscall(SYS_statx, AT_FDCWD, use, (int)a[2], (unsigned int)a[3], &stx);
		c->err = ret ? -errno : ubf_exec_write(c, a[4], &stx, sizeof(stx));
		return;
	case SYS_faccessat:
		c->err = syscall(SYS_faccessat, AT_FDCWD, use, (int)a[2]) ? -errno : 0;
		return;
	default:	/* faccessat2 */
		c->err = syscall(SYS_faccessat2, AT_FDCWD, use, (int)a[2], (int)a[3]) ? -errno : 0;
		return;
	}
}

/*
 * stat(2), lstat, newfstatat, statx, access, faccessat, faccessat2 of a
 * path under /sys/fs/bpf: the same call on the store's path (`ls -l`,
 * `test -e` and libraries checking a pin).  Other paths run in the kernel.
 */
void ubf_exec_stat(struct ubf_exec_call *c)
{
	int nr = (int)c->notif->data.nr, arg = 1;
	char path[PATH_MAX], use[PATH_MAX];

#ifdef SYS_stat
	if (nr == SYS_stat || nr == SYS_lstat || nr == SYS_access)
		arg = 0;
#endif
	c->is_continue = true;
	if (read_path(c, arg, path, use) || !use[0] || ubf_exec_call_valid(c))
		return;
	c->is_continue = false;
	stat_use(c, use, c->notif->data.args);
}

/*
 * getxattr, lgetxattr, listxattr, llistxattr of a path under /sys/fs/bpf
 * (`ls -l` asks for ACLs and security labels): the same call on the
 * store's path, the value copied back.  Other paths run in the kernel.
 */
void ubf_exec_xattr(struct ubf_exec_call *c)
{
	const __u64 *a = c->notif->data.args;
	int nr = (int)c->notif->data.nr;
	bool is_list = nr == SYS_listxattr || nr == SYS_llistxattr;
	size_t size = (size_t)(is_list ? a[2] : a[3]);
	char path[PATH_MAX], use[PATH_MAX], name[256];
	char *buf;
	ssize_t n;

	c->is_continue = true;
	if (read_path(c, 0, path, use) || !use[0] || ubf_exec_call_valid(c))
		return;
	if (!is_list && ubf_exec_read_str(c, a[1], name, sizeof(name)))
		return;
	c->is_continue = false;
	buf = malloc(size ? size : 1);
	if (!buf) {
		c->err = -ENOMEM;
		return;
	}
	if (nr == SYS_listxattr || nr == SYS_llistxattr)
		n = syscall(nr, use, size ? buf : NULL, size);
	else
		n = syscall(nr, use, name, size ? buf : NULL, size);
	if (n < 0)
		c->err = -errno;
	else if (size && (c->err = ubf_exec_write(c, is_list ? a[1] : a[2], buf, (size_t)n)) == 0)
		c->val = n;
	else if (!size)
		c->val = n;
	free(buf);
}

/* ------------------------------------------------ listing the store's top directory */

bool ubf_exec_fd_is_store_root(const struct seccomp_notif *n)
{
	char link[64], target[PATH_MAX];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/%u/fd/%d", n->pid, (int)n->data.args[0]);
	len = readlink(link, target, sizeof(target) - 1);
	if (len <= 0)
		return false;
	target[len] = '\0';
	return !strcmp(target, ubf_store_root());
}

/* Linux's struct linux_dirent64. */
struct dirent64_rec {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* Drop the store's own entries from @n bytes of records; the bytes left. */
static size_t drop_internal(char *buf, size_t n)
{
	size_t in = 0, out = 0;
	struct dirent64_rec *d;
	char rel[NAME_MAX + 2];

	while (in + sizeof(*d) <= n) {
		d = (struct dirent64_rec *)(buf + in);
		if (d->d_reclen < sizeof(*d) || in + d->d_reclen > n)
			break;
		snprintf(rel, sizeof(rel), "/%s", d->d_name);
		if (!ubf_emul_store_internal(rel)) {
			memmove(buf + out, d, d->d_reclen);
			out += d->d_reclen;
		}
		in += d->d_reclen;
	}
	return out;
}

/*
 * getdents64(fd, buf, count) on the store's top directory: the records
 * come from the same open file (pidfd_getfd() shares its offset), without
 * the store's own entries; a batch of nothing but those reads the next.
 */
void ubf_exec_getdents(struct ubf_exec_call *c)
{
	size_t count = (size_t)c->notif->data.args[2], left = 0;
	char *buf;
	long got;
	int fd;

	c->is_continue = true;
	if (count > (1u << 20) || ubf_exec_getfd(c, (int)c->notif->data.args[0], &fd))
		return;
	buf = malloc(count ? count : 1);
	if (!buf || ubf_exec_call_valid(c)) {
		free(buf);
		close(fd);
		return;
	}
	c->is_continue = false;
	do {
		got = syscall(SYS_getdents64, fd, buf, count);
		if (got > 0)
			left = drop_internal(buf, (size_t)got);
	} while (got > 0 && !left);
	if (got < 0)
		c->err = -errno;
	else if (!(c->err = ubf_exec_write(c, c->notif->data.args[1], buf, left)))
		c->val = (int64_t)left;
	free(buf);
	close(fd);
}
