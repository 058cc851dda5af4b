/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * exec.h - the pieces of the `userbpf exec` supervisor: a stopped system
 * call of the child (struct ubf_exec_call) with the ways to reach the
 * child's memory and fds (remote.c), the bpf(2) marshalling driven by
 * attr.def (attr.c), and the other emulated calls (paths.c, epoll.c).
 * Everything here runs in the supervisor; the child only sees system call
 * results and the fds SECCOMP_IOCTL_NOTIF_ADDFD installs.
 */
#ifndef UBF_EXEC_EXEC_H
#define UBF_EXEC_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/seccomp.h>

#include <userbpf/log.h>

/*
 * struct ubf_exec_call - one notification: the child's thread and process,
 * a pidfd of the process (for pidfd_getfd), the listener and the
 * notification id (for ADDFD, ID_VALID and the answer), and the answer
 * being built: @val or -@err, or "let the kernel run it" (@is_continue).
 * @fd, when >= 0, is a supervisor fd to install in the child as the result,
 * with @fd_flags (O_CLOEXEC unless the call asked for an inheritable fd).
 */
struct ubf_exec_call {
	const struct seccomp_notif *notif;
	int listener;
	pid_t tgid;
	int pidfd;
	const struct ubf_log *log;
	int64_t val;
	int err;
	bool is_continue;
	int fd;
	unsigned int fd_flags;
};

/* remote.c */
int ubf_exec_call_open(struct ubf_exec_call *c, int listener, const struct seccomp_notif *n,
		       const struct ubf_log *log);
void ubf_exec_call_close(struct ubf_exec_call *c);
/* Still the same stopped call (Linux's TOCTOU guard)?  0 or -ENOENT. */
int ubf_exec_call_valid(const struct ubf_exec_call *c);
int ubf_exec_read(const struct ubf_exec_call *c, uint64_t addr, void *buf, size_t len);
int ubf_exec_write(const struct ubf_exec_call *c, uint64_t addr, const void *buf, size_t len);
/* A NUL-terminated string of at most @cap - 1 bytes: -ENAMETOOLONG past that. */
int ubf_exec_read_str(const struct ubf_exec_call *c, uint64_t addr, char *buf, size_t cap);
/* A supervisor fd for the child's @fd (pidfd_getfd): -EBADF when it is not open. */
int ubf_exec_getfd(const struct ubf_exec_call *c, int fd, int *ourp);
/* Send the answer (installing c->fd first when set). */
int ubf_exec_answer(struct ubf_exec_call *c);

/* attr.c: bpf(cmd, attr, size) with the child's arguments */
void ubf_exec_bpf(struct ubf_exec_call *c);

/*
 * paths.c: statfs, fstatfs, mkdir(at), unlink(at), open(at), stat and
 * access calls of pin paths, readlink(at) of fd links, open(at) of the
 * fdinfo of an object and of the eBPF sysctls.
 */
void ubf_exec_statfs(struct ubf_exec_call *c);
void ubf_exec_open(struct ubf_exec_call *c);
void ubf_exec_stat(struct ubf_exec_call *c);
void ubf_exec_xattr(struct ubf_exec_call *c);
/*
 * Could the path the stopped call @n names at args[@arg] be one paths.c
 * serves?  Read from the thread's memory before anything else is set up,
 * so that every other open() goes back to the kernel at the cost of one
 * read.  False also when the path cannot be read (the kernel then fails
 * the call the same way).
 */
bool ubf_exec_path_is_ours(const struct seccomp_notif *n, int arg);
/*
 * getdents64 of the store's top directory (opened as /sys/fs/bpf) leaves
 * out the store's own entries, as the preload library's listing does;
 * ubf_exec_fd_is_store_root() tells with one readlink of the thread's
 * /proc fd link whether the call's fd is that directory.
 */
bool ubf_exec_fd_is_store_root(const struct seccomp_notif *n);
void ubf_exec_getdents(struct ubf_exec_call *c);
void ubf_exec_fstatfs(struct ubf_exec_call *c);
void ubf_exec_mkdir(struct ubf_exec_call *c);
void ubf_exec_unlink(struct ubf_exec_call *c);
void ubf_exec_readlink(struct ubf_exec_call *c);

/* epoll.c: epoll_ctl on a ring buffer fd registers a supervisor eventfd instead */
struct ubf_exec_epoll;
void ubf_exec_epoll_ctl(struct ubf_exec_call *c, struct ubf_exec_epoll **ep);
void ubf_exec_epoll_free(struct ubf_exec_epoll *ep);
/*
 * The supervisor's loop polls ubf_exec_epoll_fd() (-1: nothing to watch)
 * and calls ubf_exec_epoll_relay() when it is readable: each ring wake-up
 * reaches the child only while its fd number still names the ring file.
 */
int ubf_exec_epoll_fd(const struct ubf_exec_epoll *ep);
void ubf_exec_epoll_relay(struct ubf_exec_epoll *ep);

/*
 * perf.c: perf events for BPF output.  ubf_exec_perf_filter() writes the
 * UBF_EXEC_PERF_FILTER_LEN filter instructions that stop perf_event_open,
 * ioctl with a PERF_EVENT_IOC_* request and mmap of a shared file mapping;
 * with the system call number in A, they end with a jump to the
 * instruction after them (allow) or to the one after that (notify).
 * ubf_exec_perf_serve() answers those calls (false: not one of them).
 */
#define UBF_EXEC_PERF_FILTER_LEN 20
struct sock_filter;
unsigned int ubf_exec_perf_filter(struct sock_filter *f);
bool ubf_exec_perf_serve(struct ubf_exec_call *c);

#endif /* UBF_EXEC_EXEC_H */
