// SPDX-License-Identifier: BSD-2-Clause
/*
 * remote.c - reaching a stopped child: its memory through
 * process_vm_readv()/process_vm_writev(), its fds through pidfd_getfd(),
 * and the seccomp listener's ioctls (ID_VALID, ADDFD, SEND).  The
 * notification names a thread; pidfd_open() needs its process, read from
 * /proc/TID/status.  None of this needs ptrace or root: the child is ours.
 */
#define _GNU_SOURCE
#include "exec/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/log.h"

static int tgid_of(pid_t tid, pid_t *tgidp)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	p = strstr(buf, "\nTgid:");
	if (!p)
		return -ESRCH;
	*tgidp = (pid_t)strtol(p + 6, NULL, 10);
	return *tgidp > 0 ? 0 : -ESRCH;
}

int ubf_exec_call_open(struct ubf_exec_call *c, int listener, const struct seccomp_notif *n,
		       const struct ubf_log *log)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->notif = n;
	c->listener = listener;
	c->log = log;
	c->fd = -1;
	c->fd_flags = O_CLOEXEC;
	c->pidfd = -1;
	err = tgid_of((pid_t)n->pid, &c->tgid);
	if (err)
		return err;
	c->pidfd = (int)syscall(SYS_pidfd_open, c->tgid, 0);
	if (c->pidfd < 0)
		return -errno;
	/* the tid may have been reused between the notification and the lookups */
	return ubf_exec_call_valid(c);
}

void ubf_exec_call_close(struct ubf_exec_call *c)
{
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->fd >= 0)
		close(c->fd);
	c->pidfd = -1;
	c->fd = -1;
}

int ubf_exec_call_valid(const struct ubf_exec_call *c)
{
	uint64_t id = c->notif->id;

	return ioctl(c->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) ? -ENOENT : 0;
}

int ubf_exec_read(const struct ubf_exec_call *c, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };

	if (!len)
		return 0;
	if (!addr)
		return -EFAULT;
	if (process_vm_readv((pid_t)c->notif->pid, &local, 1, &remote, 1, 0) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

int ubf_exec_write(const struct ubf_exec_call *c, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)(uintptr_t)addr, len };

	if (!len)
		return 0;
	if (!addr)
		return -EFAULT;
	if (process_vm_writev((pid_t)c->notif->pid, &local, 1, &remote, 1, 0) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

/* Page by page: a string may end right before an unmapped page. */
int ubf_exec_read_str(const struct ubf_exec_call *c, uint64_t addr, char *buf, size_t cap)
{
	size_t got = 0, chunk;

	while (got < cap) {
		chunk = 4096 - ((addr + got) & 4095);
		if (chunk > cap - got)
			chunk = cap - got;
		if (ubf_exec_read(c, addr + got, buf + got, chunk))
			return -EFAULT;
		if (memchr(buf + got, '\0', chunk))
			return 0;
		got += chunk;
	}
	return -ENAMETOOLONG;
}

int ubf_exec_getfd(const struct ubf_exec_call *c, int fd, int *ourp)
{
	int our;

	if (fd < 0)
		return -EBADF;
	our = (int)syscall(SYS_pidfd_getfd, c->pidfd, fd, 0);
	if (our < 0)
		return errno == EBADF ? -EBADF : -errno;
	*ourp = our;
	return 0;
}

/*
 * The answer.  A result fd goes in with ADDFD_FLAG_SEND, which installs it
 * and answers with its number in one step, so the child never gets a
 * number for an fd it does not have.  Linux's bpf fds are O_CLOEXEC.
 */
int ubf_exec_answer(struct ubf_exec_call *c)
{
	struct seccomp_notif_resp resp = { .id = c->notif->id };
	struct seccomp_notif_addfd add = { .id = c->notif->id };
	int ret;

	if (c->fd >= 0 && !c->err) {
		add.flags = SECCOMP_ADDFD_FLAG_SEND;
		add.srcfd = (uint32_t)c->fd;
		add.newfd_flags = c->fd_flags;
		ret = ioctl(c->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
		return ret < 0 ? -errno : 0;
	}
	if (c->is_continue) {
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	} else if (c->err) {
		resp.error = c->err;	/* Linux wants the negative errno */
	} else {
		resp.val = c->val;
	}
	if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		return -errno;
	return 0;
}
