// SPDX-License-Identifier: BSD-2-Clause
/*
 * preload.c - libuserbpf-preload.so: with LD_PRELOAD, a dynamically linked
 * program gets userbpf instead of the kernel's eBPF.  Each function here
 * has the C library's name and signature, so the dynamic linker binds the
 * program's calls (and those of every library it loads) to it first; each
 * one only unpacks its arguments and calls the emulation of sys/emul.h,
 * the same functions ubf_libbpf_route() patches in, which passes anything
 * that is not about eBPF to the C library unchanged.  Only these names are
 * exported (src/preload/preload.map); the whole of libuserbpf is inside.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "sys/emul.h"

#define UBF_PRELOAD __attribute__((visibility("default")))

/* The prototypes the C library's headers give these names, once more (-Wmissing-prototypes). */
UBF_PRELOAD long syscall(long nr, ...);
UBF_PRELOAD int __open_2(const char *path, int flags);
UBF_PRELOAD int __open64_2(const char *path, int flags);
UBF_PRELOAD int __openat_2(int dirfd, const char *path, int flags);
UBF_PRELOAD int __openat64_2(int dirfd, const char *path, int flags);
UBF_PRELOAD ssize_t __readlink_chk(const char *path, char *buf, size_t sz, size_t buf_sz);

/* open() and friends take a mode only with O_CREAT or O_TMPFILE. */
#define OPEN_MODE(flags, mode)                                   \
	do {                                                     \
		va_list ap;                                      \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {         \
			va_start(ap, flags);                     \
			mode = (mode_t)va_arg(ap, unsigned int); \
			va_end(ap);                              \
		}                                                \
	} while (0)

UBF_PRELOAD long syscall(long nr, ...)
{
	va_list ap;
	long r;

	va_start(ap, nr);
	r = ubf_emul_vsyscall(nr, ap);
	va_end(ap);
	return r;
}

UBF_PRELOAD int ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return ubf_emul_ioctl(fd, req, arg);
}

UBF_PRELOAD void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return ubf_emul_mmap(addr, len, prot, flags, fd, off);
}

UBF_PRELOAD void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return ubf_emul_mmap(addr, len, prot, flags, fd, off);
}

UBF_PRELOAD int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	return ubf_emul_epoll_ctl(epfd, op, fd, ev);
}

UBF_PRELOAD int close(int fd)
{
	return ubf_emul_close(fd);
}

/* ---------------------------------------------------------------- bpffs */

UBF_PRELOAD int statfs(const char *path, struct statfs *buf)
{
	return ubf_emul_statfs(path, buf);
}

UBF_PRELOAD int statfs64(const char *path, struct statfs64 *buf)
{
	return ubf_emul_statfs(path, (struct statfs *)(void *)buf);
}

UBF_PRELOAD int fstatfs(int fd, struct statfs *buf)
{
	return ubf_emul_fstatfs(fd, buf);
}

UBF_PRELOAD int fstatfs64(int fd, struct statfs64 *buf)
{
	return ubf_emul_fstatfs(fd, (struct statfs *)(void *)buf);
}

UBF_PRELOAD int mkdir(const char *path, mode_t mode)
{
	return ubf_emul_mkdir(path, mode);
}

UBF_PRELOAD int rmdir(const char *path)
{
	return ubf_emul_rmdir(path);
}

UBF_PRELOAD int unlink(const char *path)
{
	return ubf_emul_unlink(path);
}

UBF_PRELOAD int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return ubf_emul_openat(AT_FDCWD, path, flags, mode);
}

UBF_PRELOAD int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return ubf_emul_openat(AT_FDCWD, path, flags, mode);
}

UBF_PRELOAD int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return ubf_emul_openat(dirfd, path, flags, mode);
}

UBF_PRELOAD int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return ubf_emul_openat(dirfd, path, flags, mode);
}

/* _FORTIFY_SOURCE's checked entry points: no mode (the checks forbid O_CREAT here). */
UBF_PRELOAD int __open_2(const char *path, int flags)
{
	return ubf_emul_openat(AT_FDCWD, path, flags, 0);
}

UBF_PRELOAD int __open64_2(const char *path, int flags)
{
	return ubf_emul_openat(AT_FDCWD, path, flags, 0);
}

UBF_PRELOAD int __openat_2(int dirfd, const char *path, int flags)
{
	return ubf_emul_openat(dirfd, path, flags, 0);
}

UBF_PRELOAD int __openat64_2(int dirfd, const char *path, int flags)
{
	return ubf_emul_openat(dirfd, path, flags, 0);
}

UBF_PRELOAD int stat(const char *path, struct stat *st)
{
	return ubf_emul_fstatat(AT_FDCWD, path, st, 0);
}

UBF_PRELOAD int stat64(const char *path, struct stat64 *st)
{
	return ubf_emul_fstatat(AT_FDCWD, path, (struct stat *)(void *)st, 0);
}

UBF_PRELOAD int lstat(const char *path, struct stat *st)
{
	return ubf_emul_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

UBF_PRELOAD int lstat64(const char *path, struct stat64 *st)
{
	return ubf_emul_fstatat(AT_FDCWD, path, (struct stat *)(void *)st, AT_SYMLINK_NOFOLLOW);
}

UBF_PRELOAD int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return ubf_emul_fstatat(dirfd, path, st, flags);
}

UBF_PRELOAD int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return ubf_emul_fstatat(dirfd, path, (struct stat *)(void *)st, flags);
}

UBF_PRELOAD int access(const char *path, int mode)
{
	return ubf_emul_faccessat(AT_FDCWD, path, mode, 0);
}

UBF_PRELOAD int faccessat(int dirfd, const char *path, int mode, int flags)
{
	return ubf_emul_faccessat(dirfd, path, mode, flags);
}

UBF_PRELOAD DIR *opendir(const char *path)
{
	return ubf_emul_opendir(path);
}

UBF_PRELOAD int nftw(const char *dir, int (*fn)(const char *, const struct stat *, int,
						 struct FTW *), int nfd, int flags)
{
	return ubf_emul_nftw(dir, fn, nfd, flags);
}

UBF_PRELOAD int nftw64(const char *dir, int (*fn)(const char *, const struct stat64 *, int,
						   struct FTW *), int nfd, int flags)
{
	return ubf_emul_nftw(dir, (int (*)(const char *, const struct stat *, int,
					   struct FTW *))(void *)fn, nfd, flags);
}

/* ---------------------------------------------------------------- /proc */

UBF_PRELOAD ssize_t readlink(const char *path, char *buf, size_t sz)
{
	return ubf_emul_readlink(path, buf, sz);
}

UBF_PRELOAD ssize_t __readlink_chk(const char *path, char *buf, size_t sz, size_t buf_sz)
{
	if (sz > buf_sz)
		__builtin_trap();	/* what glibc's __chk_fail() ends in: the program's bug */
	return ubf_emul_readlink(path, buf, sz);
}

UBF_PRELOAD FILE *fopen(const char *path, const char *mode)
{
	return ubf_emul_fopen(path, mode);
}

UBF_PRELOAD FILE *fopen64(const char *path, const char *mode)
{
	return ubf_emul_fopen(path, mode);
}
