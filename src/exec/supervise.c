// SPDX-License-Identifier: BSD-2-Clause
/*
 * supervise.c - ubf_exec_run(): the `userbpf exec` supervisor.  The child
 * installs a seccomp filter built from the calls[] table below, which
 * stops exactly those system calls and sends them to this process
 * (SECCOMP_RET_USER_NOTIF); every other call, and every call of another
 * architecture, runs untouched.  The listener fd comes back over a socket
 * pair (SCM_RIGHTS) before the child execs; the same socket reports an
 * exec failure.  Then one loop receives notifications, hands each to its
 * handler (attr.c, paths.c, epoll.c) and answers, until the child exits.
 * Nothing in the child depends on libc: static and Go programs work.
 */
#define _GNU_SOURCE
#include <userbpf/exec.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec.h"
#include "util/log.h"

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#endif

struct supervisor {
	const struct ubf_log *log;
	struct ubf_exec_epoll *epoll;
};

static void do_bpf(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_bpf(c);
}

static void do_statfs(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_statfs(c);
}

static void do_fstatfs(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_fstatfs(c);
}

static void do_mkdir(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_mkdir(c);
}

static void do_unlink(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_unlink(c);
}

static void do_readlink(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_readlink(c);
}

static void do_open(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_open(c);
}

static void do_stat(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_stat(c);
}

static void do_xattr(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_xattr(c);
}

static void do_epoll_ctl(struct ubf_exec_call *c, struct supervisor *s)
{
	ubf_exec_epoll_ctl(c, &s->epoll);
}

static bool path0_is_ours(const struct seccomp_notif *n)
{
	return ubf_exec_path_is_ours(n, 0);
}

static bool path1_is_ours(const struct seccomp_notif *n)
{
	return ubf_exec_path_is_ours(n, 1);
}

static void do_getdents(struct ubf_exec_call *c, struct supervisor *s)
{
	(void)s;
	ubf_exec_getdents(c);
}

/*
 * The calls the filter stops, and who serves them.  @ours, when set, tells
 * from the notification alone whether the call may be one to serve: the
 * calls every program makes all the time (open, stat, getdents) go back
 * to the kernel after one read of the path or one readlink of the fd.
 */
static const struct {
	long nr;
	void (*fn)(struct ubf_exec_call *c, struct supervisor *s);
	bool (*ours)(const struct seccomp_notif *n);
} calls[] = {
	{ SYS_bpf, do_bpf, NULL },
	{ SYS_statfs, do_statfs, NULL },
	{ SYS_fstatfs, do_fstatfs, NULL },
#ifdef SYS_mkdir
	{ SYS_mkdir, do_mkdir, NULL },
	{ SYS_unlink, do_unlink, NULL },
	{ SYS_readlink, do_readlink, NULL },
#endif
	{ SYS_readlinkat, do_readlink, NULL },
	{ SYS_mkdirat, do_mkdir, NULL },
	{ SYS_unlinkat, do_unlink, NULL },
	{ SYS_epoll_ctl, do_epoll_ctl, NULL },
#ifdef SYS_open
	{ SYS_open, do_open, path0_is_ours },
	{ SYS_stat, do_stat, path0_is_ours },
	{ SYS_lstat, do_stat, path0_is_ours },
	{ SYS_access, do_stat, path0_is_ours },
#endif
	{ SYS_openat, do_open, path1_is_ours },
	{ SYS_newfstatat, do_stat, path1_is_ours },
	{ SYS_statx, do_stat, path1_is_ours },
	{ SYS_faccessat, do_stat, path1_is_ours },
	{ SYS_faccessat2, do_stat, path1_is_ours },
	{ SYS_getxattr, do_xattr, path0_is_ours },
	{ SYS_lgetxattr, do_xattr, path0_is_ours },
	{ SYS_listxattr, do_xattr, path0_is_ours },
	{ SYS_llistxattr, do_xattr, path0_is_ours },
	{ SYS_getdents64, do_getdents, ubf_exec_fd_is_store_root },
};

#define CALL_CNT (sizeof(calls) / sizeof(calls[0]))

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP(code, k, jt, jf))

/*
 * arch != native: allow; nr has the x32 bit: allow; nr in calls[]: notify;
 * perf events (perf.c's instructions, PF of them): notify or allow; else
 * allow.
 */
#define PF UBF_EXEC_PERF_FILTER_LEN

static int install_filter(void)
{
	struct sock_filter f[4 + CALL_CNT + PF + 2];
	struct sock_fprog prog = { .len = 0, .filter = f };
	unsigned int n = 0, i;
	int fd;

	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, FILTER_ARCH, 0, (uint8_t)(CALL_CNT + PF + 2));
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, (uint8_t)(CALL_CNT + PF), 0);
	for (i = 0; i < CALL_CNT; i++)
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)calls[i].nr,
			      (uint8_t)(CALL_CNT - i + PF), 0);
	n += ubf_exec_perf_filter(&f[n]);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	prog.len = (unsigned short)n;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	/* WAIT_KILLABLE_RECV (Linux 5.19): Go's preemption signals must not restart a bpf() call */
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
			  &prog);
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	return fd < 0 ? -errno : fd;
}

static int send_fd(int sock, int fd, int err)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* The listener, or the child's error (its filter could not be installed). */
static int recv_fd(int sock, int *fdp)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	int err = -EPROTO;
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -EPROTO;
	cm = CMSG_FIRSTHDR(&msg);
	if (err || !cm || cm->cmsg_type != SCM_RIGHTS)
		return err ? err : -EPROTO;
	memcpy(fdp, CMSG_DATA(cm), sizeof(int));
	return 0;
}

static void child_main(int sock, char *const argv[])
{
	int fd = install_filter(), err;

	err = send_fd(sock, fd, fd < 0 ? fd : 0);
	if (fd < 0 || err)
		_exit(127);
	close(fd);
	execvp(argv[0], argv);
	err = -errno;
	if (write(sock, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/* A call that is not ours goes back to the kernel as it is. */
static void serve_continue(int listener, const struct seccomp_notif *n)
{
	struct seccomp_notif_resp resp = { .id = n->id,
					   .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };

	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void serve(struct supervisor *s, int listener, const struct seccomp_notif *n)
{
	struct ubf_exec_call c;
	size_t i;
	int err;

	for (i = 0; i < CALL_CNT; i++) {
		if (calls[i].nr == (long)n->data.nr && calls[i].ours && !calls[i].ours(n)) {
			serve_continue(listener, n);
			return;
		}
	}
	err = ubf_exec_call_open(&c, listener, n, s->log);
	if (err) {
		/* gone (the answer then fails harmlessly), or out of fds: never leave it waiting */
		c.err = err == -ENOENT || err == -ESRCH ? -ESRCH : err;
	} else {
		c.is_continue = true;
		for (i = 0; i < CALL_CNT; i++) {
			if (calls[i].nr == (long)n->data.nr) {
				c.is_continue = false;
				calls[i].fn(&c, s);
				break;
			}
		}
		if (i == CALL_CNT)
			ubf_exec_perf_serve(&c);	/* perf.c's calls, or back to the kernel */
	}
	err = ubf_exec_answer(&c);
	if (err && err != -ENOENT)
		ubf_log_printf(s->log, UBF_LOG_WARN, "exec: pid %u: answering system call %d: %s",
			       n->pid, n->data.nr, strerror(-err));
	ubf_exec_call_close(&c);
}

/* Notifications until the child exits; its wait status in *statusp. */
static int supervise(struct supervisor *s, int listener, pid_t child, int *statusp)
{
	struct seccomp_notif *n;
	struct pollfd pfd[3];
	int pidfd, err = 0;

	n = calloc(1, sizeof(*n));
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	if (!n || pidfd < 0) {
		err = n ? -errno : -ENOMEM;
		goto out;
	}
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = listener, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = ubf_exec_epoll_fd(s->epoll), .events = POLLIN };
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (pfd[2].revents & POLLIN)
			ubf_exec_epoll_relay(s->epoll);
		if (pfd[0].revents & POLLIN) {
			memset(n, 0, sizeof(*n));
			if (!ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n))
				serve(s, listener, n);
			continue;
		}
		if (pfd[1].revents || (pfd[0].revents & (POLLHUP | POLLERR)))
			break;
	}
out:
	if (pidfd >= 0)
		close(pidfd);
	free(n);
	close(listener);
	while (waitpid(child, statusp, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return err;
}

int ubf_exec_run(char *const argv[], const struct ubf_log *log, int *statusp)
{
	struct supervisor s = { .log = log };
	int sv[2], listener = -1, err, status;
	ssize_t n;
	pid_t pid;

#if !defined(FILTER_ARCH)
	return -EOPNOTSUPP;
#endif
	if (!argv || !argv[0] || !statusp)
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (!pid) {
		close(sv[0]);
		child_main(sv[1], argv);
	}
	close(sv[1]);
	err = recv_fd(sv[0], &listener);
	if (!err) {
		/* the socket closes on a successful exec; an error number means it failed */
		n = read(sv[0], &err, sizeof(err));
		if (n != (ssize_t)sizeof(err))
			err = 0;
	}
	close(sv[0]);
	if (err) {
		if (listener >= 0)
			close(listener);
		waitpid(pid, &status, 0);
		return err == -EINVAL ? -ENOSYS : err;
	}
	err = supervise(&s, listener, pid, statusp);
	ubf_exec_epoll_free(s.epoll);
	return err;
}
