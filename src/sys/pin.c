// SPDX-License-Identifier: BSD-2-Clause
/*
 * pin.c - OBJ_PIN and OBJ_GET.  A pin is a hard link of the object's
 * anonymous file into the store (made through /proc/self/fd, which needs
 * no privilege), so it is the same object in every process and outlives
 * its creator; /sys/fs/bpf/X names <store>/X, and pins outside the store
 * are EPERM as pins outside bpffs are in Linux.  Linux's rules: the parent
 * directory must exist (ENOENT), the name must not (EEXIST), BTF objects
 * cannot be pinned, OBJ_GET takes BPF_F_RDONLY/WRONLY for maps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/core.h"

/* The caller's path string (at most PATH_MAX bytes with its NUL), mapped into the store. */
static int pin_path(uint64_t upath, char *buf, size_t buf_sz)
{
	char path[PATH_MAX];
	const char *src = ubf_u64_to_ptr(upath);
	size_t i;

	for (i = 0; i < sizeof(path); i++) {
		if (ubf_sys_copy_from_user(&path[i], src + i, 1))
			return -EFAULT;
		if (!path[i])
			break;
	}
	if (i == sizeof(path))
		return -ENAMETOOLONG;
	if (!i)
		return -ENOENT;
	return ubf_store_pin_path(path, buf, buf_sz);
}

/* Is @path (already mapped) inside the store, where pins live? */
static bool in_store(const char *path)
{
	const char *root = ubf_store_root();
	size_t len = strlen(root);

	return !strncmp(path, root, len) && path[len] == '/';
}

int ubf_cmd_obj_pin(union bpf_attr *attr)
{
	char path[PATH_MAX];
	struct ubf_obj *obj;
	int err;

	if (attr->file_flags)
		return -EINVAL;
	err = ubf_obj_get((int)attr->bpf_fd, 0, &obj);
	if (err)
		return err;
	if (obj->kind == UBF_OBJ_BTF)
		return -EINVAL;	/* Linux pins programs, maps and links only */
	err = pin_path(attr->pathname, path, sizeof(path));
	if (err)
		return err;
	if (!in_store(path))
		return -EPERM;	/* Linux: the path is not on a bpffs */
	if (ubf_store_is_memfd(obj->fd))
		return -EOPNOTSUPP;	/* the store could not hold the object's file */
	err = ubf_obj_pin_locked(obj->fd, path);
	return err == -EXDEV ? -EPERM : err;	/* EXDEV: not in the store's fs */
}

int ubf_cmd_obj_get(union bpf_attr *attr)
{
	char path[PATH_MAX];
	struct ubf_obj *obj;
	int mode, fd, err;

	if (attr->bpf_fd || (attr->file_flags & ~UBF_OBJ_FLAG_MASK))
		return -EINVAL;
	mode = ubf_sys_file_flag(attr->file_flags);
	if (mode < 0)
		return mode;
	err = pin_path(attr->pathname, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno == EISDIR || errno == ELOOP ? -EACCES : -errno;
	err = ubf_obj_get(fd, 0, &obj);
	if (err) {
		close(fd);
		return err == -EINVAL ? -EACCES : err;	/* Linux: not a bpf inode */
	}
	if (obj->kind == UBF_OBJ_MAP && mode != O_RDWR) {
		close(fd);
		return ubf_obj_new_fd_mode(obj, mode);
	}
	if (obj->kind == UBF_OBJ_LINK && mode != O_RDWR) {
		close(fd);
		return -EINVAL;
	}
	fd = fcntl(fd, F_SETFL, 0) ? -errno : fd;	/* drop O_NONBLOCK */
	return fd;
}
