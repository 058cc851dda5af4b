/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * emul.h - the Linux an eBPF library expects, emulated in user space: the
 * bpf(2) system call, perf events for BPF output (perf_event_open, their
 * ioctls and mmap), epoll and close of userbpf's object files, the
 * bpffs view of pin paths under /sys/fs/bpf, and the /proc files that name
 * eBPF objects.  Two front ends call these functions and nothing else:
 * route.c (import slots of libbpf patched in-process) and the preload
 * library (src/preload/, symbols interposed with LD_PRELOAD).  Every
 * function behaves exactly as the C library's for anything that is not
 * about eBPF, and sets errno as the C library would.
 */
#ifndef UBF_SYS_EMUL_H
#define UBF_SYS_EMUL_H

#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

/* The C library's own functions, found with dlsym(RTLD_NEXT) once. */
struct ubf_emul_libc {
	long (*syscall)(long nr, ...);
	int (*epoll_ctl)(int epfd, int op, int fd, struct epoll_event *ev);
	int (*close)(int fd);
	int (*statfs)(const char *path, struct statfs *buf);
	int (*fstatfs)(int fd, struct statfs *buf);
	int (*mkdir)(const char *path, mode_t mode);
	int (*rmdir)(const char *path);
	int (*unlink)(const char *path);
	int (*openat)(int dirfd, const char *path, int flags, ...);
	int (*fstatat)(int dirfd, const char *path, struct stat *st, int flags);
	int (*faccessat)(int dirfd, const char *path, int mode, int flags);
	ssize_t (*readlink)(const char *path, char *buf, size_t sz);
	FILE *(*fopen)(const char *path, const char *mode);
	DIR *(*opendir)(const char *path);
	int (*nftw)(const char *dir, int (*fn)(const char *, const struct stat *, int,
						 struct FTW *), int nfd, int flags);
	int (*ioctl)(int fd, unsigned long req, ...);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
};

/* ubf_emul_libc() - the C library's functions, or NULL when one is missing. */
const struct ubf_emul_libc *ubf_emul_libc(void);

/*
 * ubf_emul_syscall() - syscall(@nr, a[0..5]): bpf(2) goes to ubf_bpf(),
 * perf_event_open(2) of the software BPF output event to ubf_perf_open()
 * (sys/perf.h), every other number to the kernel.  Returns what syscall() returns.
 * ubf_emul_vsyscall() takes syscall()'s variadic words, six of them.
 */
long ubf_emul_syscall(long nr, const long a[6]);
long ubf_emul_vsyscall(long nr, va_list ap);

/*
 * ioctl() whose PERF_EVENT_IOC_* requests on a userbpf perf event go to
 * ubf_perf_ioctl(); mmap() that prepares a perf event's ring before the
 * C library maps it (ubf_perf_mmap_prepare()).  Anything else unchanged.
 */
int ubf_emul_ioctl(int fd, unsigned long req, unsigned long arg);
void *ubf_emul_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

/* epoll_ctl() that makes a ring buffer or perf event file pollable (an eventfd stands in). */
int ubf_emul_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev);

/* close() that also ends the epoll stand-ins of @fd. */
int ubf_emul_close(int fd);

/*
 * Pin paths: /sys/fs/bpf/X is <store root>/X; the store's directories
 * report bpffs's f_type.  Every other path passes through unchanged.
 */
int ubf_emul_statfs(const char *path, struct statfs *buf);
int ubf_emul_fstatfs(int fd, struct statfs *buf);
int ubf_emul_mkdir(const char *path, mode_t mode);
int ubf_emul_rmdir(const char *path);
int ubf_emul_unlink(const char *path);
int ubf_emul_openat(int dirfd, const char *path, int flags, mode_t mode);
int ubf_emul_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int ubf_emul_faccessat(int dirfd, const char *path, int mode, int flags);
DIR *ubf_emul_opendir(const char *path);
int ubf_emul_nftw(const char *dir, int (*fn)(const char *, const struct stat *, int,
					      struct FTW *), int nfd, int flags);

/*
 * /proc: readlink() of /proc/self/fd/N (or /proc/<own pid>/fd/N) for a
 * userbpf object reads "anon_inode:bpf-map" (-prog, -link, "anon_inode:btf"),
 * and its /proc/self/fdinfo/N holds the fields Linux prints for the object.
 * The eBPF sysctls (unprivileged_bpf_disabled, bpf_jit_enable, _harden,
 * _kallsyms) read userbpf's values.
 */
ssize_t ubf_emul_readlink(const char *path, char *buf, size_t sz);
FILE *ubf_emul_fopen(const char *path, const char *mode);

/*
 * ubf_emul_fdinfo() - the text Linux shows in /proc/self/fdinfo/@fd for a
 * userbpf object (without the pos/flags/mnt_id/ino lines of every fd).
 * Return: its length (it may be truncated to @sz - 1 bytes), -EBADF when
 * @fd is not a userbpf object.
 */
int ubf_emul_fdinfo(int fd, char *buf, size_t sz);

/*
 * ubf_emul_fdinfo_file() - a memfd (O_CLOEXEC when @cloexec) at offset 0
 * holding what Linux shows in /proc/PID/fdinfo/N for the userbpf object
 * @fd: the generic lines read from @head_path (the real fdinfo file of the
 * fd, in the caller's process or, for `userbpf exec`, the child's), then
 * ubf_emul_fdinfo()'s.  Return: the memfd, -EBADF when @fd is no userbpf
 * object, or -errno.
 */
int ubf_emul_fdinfo_file(int fd, const char *head_path, bool cloexec);

/*
 * ubf_emul_sysctl() - userbpf's value of the eBPF sysctl file @path
 * ("/proc/sys/net/core/bpf_jit_enable"), or NULL for any other path;
 * ubf_emul_sysctl_file() the same as a memfd at offset 0, or -ENOENT.
 */
const char *ubf_emul_sysctl(const char *path);
int ubf_emul_sysctl_file(const char *path, bool cloexec);

/*
 * ubf_emul_store_internal() - is @rel ("/.held", "/.ids/3"), a path
 * relative to the store root, one of the store's own files, which no
 * listing of /sys/fs/bpf shows?
 */
bool ubf_emul_store_internal(const char *rel);

/* ubf_emul_store_path() - /sys/fs/bpf[/X] to <root>[/X]; false for other paths. */
bool ubf_emul_store_path(const char *path, char *buf, size_t buf_sz);

#endif /* UBF_SYS_EMUL_H */
