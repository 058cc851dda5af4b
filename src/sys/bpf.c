// SPDX-License-Identifier: BSD-2-Clause
/*
 * bpf.c - ubf_bpf(), the bpf(2) system call in user space.  It does what
 * Linux's __sys_bpf() does before a command runs: attr sizes above a page
 * or with non-zero bytes beyond union bpf_attr are E2BIG, an unreadable
 * attr is EFAULT, the attr is copied into a zeroed union, an unknown
 * command is EINVAL and so are non-zero bytes after the command's last
 * field (CHECK_ATTR, from the rows of cmds.def).  Then it dispatches and
 * copies back the fields the handler wrote.  Also the user-memory copies
 * (EFAULT instead of a crash) and the attr helpers the handlers share.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sys/core.h"

#define OFFSETOFEND(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

static const struct {
	int (*fn)(union bpf_attr *attr);
	size_t last_end;	/* offsetofend(union bpf_attr, last_field) */
} cmds[] = {
#define UBF_SYS_CMD(cmd, handler, last_field) \
	[cmd] = { handler, OFFSETOFEND(union bpf_attr, last_field) },
#include "sys/cmds.def"
#undef UBF_SYS_CMD
};

/* ---------------------------------------------------------------- user memory */

/*
 * The caller's memory is read and written through process_vm_readv/writev
 * on ourselves, which fail with EFAULT on unmapped or read-only memory
 * instead of faulting.  Where those calls are not allowed (seccomp), NULL
 * is still caught and the copy is a plain memcpy.
 */
static int user_copy(void *dst, const void *src, size_t n, bool to_user)
{
	struct iovec ours = { .iov_len = n }, theirs = { .iov_len = n };
	ssize_t r;

	if (!n)
		return 0;
	if (!dst || !src)
		return -EFAULT;
	ours.iov_base = to_user ? (void *)(uintptr_t)src : dst;
	theirs.iov_base = to_user ? dst : (void *)(uintptr_t)src;
	if (to_user)
		r = process_vm_writev(getpid(), &ours, 1, &theirs, 1, 0);
	else
		r = process_vm_readv(getpid(), &ours, 1, &theirs, 1, 0);
	if (r == (ssize_t)n)
		return 0;
	if (r < 0 && (errno == ENOSYS || errno == EPERM)) {
		memmove(dst, src, n);
		return 0;
	}
	return -EFAULT;
}

int ubf_sys_copy_from_user(void *dst, const void *src, size_t n)
{
	return user_copy(dst, src, n, false);
}

int ubf_sys_copy_to_user(void *dst, const void *src, size_t n)
{
	return user_copy(dst, src, n, true);
}

/* Linux's bpf_check_uarg_tail_zero(): bytes [expected, actual) of @uaddr must be zero. */
static int check_tail_zero(const void *uaddr, size_t expected, size_t actual)
{
	uint8_t buf[256];
	size_t off, n, i;
	int err;

	if (actual > 4096)
		return -E2BIG;
	for (off = expected; off < actual; off += n) {
		n = actual - off < sizeof(buf) ? actual - off : sizeof(buf);
		err = ubf_sys_copy_from_user(buf, (const uint8_t *)uaddr + off, n);
		if (err)
			return err;
		for (i = 0; i < n; i++) {
			if (buf[i])
				return -E2BIG;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- shared helpers */

int ubf_sys_file_flag(uint32_t flags)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;
	if (flags & BPF_F_RDONLY)
		return O_RDONLY;
	if (flags & BPF_F_WRONLY)
		return O_WRONLY;
	return O_RDWR;
}

int ubf_sys_fd_mode(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -EBADF : (fl & O_ACCMODE);
}

int ubf_sys_info_prepare(const union bpf_attr *attr, size_t our_sz, uint32_t *copy_szp)
{
	const void *uinfo = ubf_u64_to_ptr(attr->info.info);
	uint32_t len = attr->info.info_len;
	int err;

	if (len > our_sz) {
		err = check_tail_zero(uinfo, our_sz, len);
		if (err)
			return err;
	}
	*copy_szp = len < our_sz ? len : (uint32_t)our_sz;
	return 0;
}

int ubf_sys_info_finish(union bpf_attr *attr, const void *info, uint32_t copy_sz)
{
	if (ubf_sys_copy_to_user(ubf_u64_to_ptr(attr->info.info), info, copy_sz))
		return -EFAULT;
	attr->info.info_len = copy_sz;
	return 0;
}

/* ---------------------------------------------------------------- the system call */

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* Copy back the bytes the handler changed (the fields Linux writes to uattr). */
static int write_back(void *uattr, const union bpf_attr *orig, const union bpf_attr *attr,
		      size_t size)
{
	const uint8_t *a = (const uint8_t *)orig, *b = (const uint8_t *)attr;
	size_t lo = 0, hi = size;

	while (lo < hi && a[lo] == b[lo])
		lo++;
	while (hi > lo && a[hi - 1] == b[hi - 1])
		hi--;
	if (lo == hi)
		return 0;
	return ubf_sys_copy_to_user((uint8_t *)uattr + lo, b + lo, hi - lo);
}

static int sys_bpf(int cmd, void *uattr, unsigned int usize)
{
	union bpf_attr attr, orig;
	size_t size = usize;
	int ret, err;

	if (size > sizeof(attr)) {
		err = check_tail_zero(uattr, sizeof(attr), size);
		if (err)
			return err;
		size = sizeof(attr);
	}
	memset(&attr, 0, sizeof(attr));
	if (ubf_sys_copy_from_user(&attr, uattr, size))
		return -EFAULT;
	if (cmd < 0 || (size_t)cmd >= UBF_ARRAY_SIZE(cmds) || !cmds[cmd].fn)
		return -EINVAL;
	if (!all_zero((const uint8_t *)&attr + cmds[cmd].last_end,
		      sizeof(attr) - cmds[cmd].last_end))
		return -EINVAL;
	ubf_sys_resolver_init();
	orig = attr;
	ret = cmds[cmd].fn(&attr);
	if (write_back(uattr, &orig, &attr, size) && ret >= 0)
		ret = -EFAULT;
	ubf_obj_collect_if_due();
	return ret;
}

int ubf_bpf(int cmd, void *attr, unsigned int size)
{
	int ret = sys_bpf(cmd, attr, size);

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
