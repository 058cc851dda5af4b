/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * userbpf/libbpf.h - hand the process's libbpf to userbpf.  After
 * ubf_libbpf_route() the libbpf in this process (Debian's libbpf.so.1 as
 * shipped, or a libbpf linked statically into the executable) loads and
 * runs objects on userbpf's bpf(2) instead of the kernel's, without root
 * and without LD_PRELOAD.  Nothing changes for a process that never calls it.
 */
#ifndef USERBPF_LIBBPF_H
#define USERBPF_LIBBPF_H

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

/**
 * ubf_libbpf_route() - route libbpf's system calls to userbpf
 *
 * Rewrites the import slots (GOT entries) of every object loaded in the
 * process that imports one of these functions, so that:
 *  - syscall(__NR_bpf, cmd, attr, size) calls ubf_bpf(); every other
 *    system call number passes through unchanged;
 *  - epoll_ctl() on a userbpf ring buffer registers an eventfd instead (a
 *    regular file cannot be polled) that a waiter thread signals when a
 *    producer in any process submits a record (BPF_MAP_TYPE_RINGBUF,
 *    EPOLLIN) or a program drains records (BPF_MAP_TYPE_USER_RINGBUF, space
 *    for EPOLLOUT);
 *  - close() of such an epoll fd or ring buffer fd ends its waiters;
 *  - statfs()/statfs64(), mkdir() and unlink() of a path under /sys/fs/bpf
 *    act on the same path under ubf_pin_root(), and statfs() of a directory
 *    there reports BPF_FS_MAGIC, so libbpf's bpf_map__pin(),
 *    bpf_program__pin() and pin_root_path work without a bpffs.
 *
 * Objects loaded later (dlopen) are covered by calling it again: it is
 * idempotent and thread-safe.  The kernel's bpf(2) is not reachable through
 * the routed objects afterwards.
 *
 * Return: 0, -EOPNOTSUPP on a host whose relocation types are not known
 * (only x86-64 and arm64 are), -ENOSYS when the C library's functions cannot
 * be found, or -errno from mprotect().
 */
UBF_API int ubf_libbpf_route(void);

UBF_EXTERN_C_END

#endif /* USERBPF_LIBBPF_H */
