/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * userbpf/exec.h - run an unmodified program on userbpf: its bpf(2) calls
 * (and the few calls around them eBPF libraries make: bpffs checks and pin
 * directories, epoll on ring buffers) are stopped by a seccomp filter and
 * served by the calling process, with no root, no ptrace and nothing
 * loaded into the program, so statically linked and Go programs work too.
 */
#ifndef USERBPF_EXEC_H
#define USERBPF_EXEC_H

#include <userbpf/common.h>
#include <userbpf/log.h>

UBF_EXTERN_C_BEGIN

/**
 * ubf_exec_run() - run a program under userbpf's bpf(2) and wait for it
 * @argv:    program and arguments, NULL-terminated; argv[0] is looked up in
 *           $PATH as execvp() does
 * @log:     where failures of the supervisor are explained (may be NULL)
 * @statusp: the program's wait status (see waitpid()), on success
 *
 * Forks; the child sets PR_SET_NO_NEW_PRIVS, installs a seccomp filter
 * that sends bpf, statfs, fstatfs, mkdir(at), unlink(at), readlink(at) and
 * epoll_ctl to this process (SECCOMP_FILTER_FLAG_NEW_LISTENER) and execs
 * @argv.  This process runs each bpf(2) with ubf_bpf(), reading and writing
 * the child's memory, taking its fds with pidfd_getfd() and giving it new
 * ones with SECCOMP_IOCTL_NOTIF_ADDFD; the other calls act on the store
 * when they name /sys/fs/bpf or a ring buffer, and run unchanged otherwise.
 * Objects and pins are the store's (ubf_pin_root()), shared with every
 * other userbpf process.  Not thread-safe: one call per process at a time
 * (it waits for its child).
 *
 * Return: 0 with *@statusp; -ENOENT (or another -errno) when @argv[0]
 * could not be executed; -ENOSYS when the kernel lacks seccomp user
 * notification, pidfd_getfd() or ADDFD (Linux < 5.9); -errno otherwise.
 */
UBF_API int ubf_exec_run(char *const argv[], const struct ubf_log *log, int *statusp);

UBF_EXTERN_C_END

#endif /* USERBPF_EXEC_H */
