// SPDX-License-Identifier: BSD-2-Clause
/*
 * paths.c - the path calls eBPF libraries make around pinning, for a child
 * under `userbpf exec`: statfs()/fstatfs() report bpffs's magic for the
 * store's directories (libbpf, bpftool and cilium/ebpf check it before
 * pinning), and statfs, mkdir(at) and unlink(at) of a path under
 * /sys/fs/bpf act on the same path under the store root, and readlink of
 * the caller's /proc fd link of an object reads Linux's anon inode name.
 * Every other path
 * is handed back to the kernel untouched (SECCOMP_USER_NOTIF_FLAG_CONTINUE,
 * safe here because the kernel then reads the arguments itself).
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
