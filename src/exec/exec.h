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
 * @fd, when >= 0, is a supervisor fd to install in the child as the result.
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

/* paths.c: statfs, fstatfs, mkdir(at), unlink(at) of pin paths, readlink(at) of fd links */
void ubf_exec_statfs(struct ubf_exec_call *c);
void ubf_exec_fstatfs(struct ubf_exec_call *c);
void ubf_exec_mkdir(struct ubf_exec_call *c);
void ubf_exec_unlink(struct ubf_exec_call *c);
void ubf_exec_readlink(struct ubf_exec_call *c);

/* epoll.c: epoll_ctl on a ring buffer fd registers a supervisor eventfd instead */
struct ubf_exec_epoll;
void ubf_exec_epoll_ctl(struct ubf_exec_call *c, struct ubf_exec_epoll **ep);
void ubf_exec_epoll_free(struct ubf_exec_epoll *ep);

#endif /* UBF_EXEC_EXEC_H */
