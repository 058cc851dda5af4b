// SPDX-License-Identifier: BSD-2-Clause
/*
 * epoll.c - epoll on a ring buffer (or a perf event, sys/perf.h) for a
 * child under `userbpf exec`.  A ring buffer is a regular file, which epoll refuses, so EPOLL_CTL_ADD of
 * one puts a supervisor eventfd into the child's epoll instance instead
 * (the instance is shared: pidfd_getfd() of the child's epoll fd reaches
 * it), edge-triggered with the child's data.  A ring watch (ring.h)
 * signals a relay eventfd of the supervisor when a producer in any process
 * commits a record, or a drain makes room in a user ring buffer; the
 * supervisor's loop (ubf_exec_epoll_fd(), ubf_exec_epoll_relay()) passes
 * the wake-up on only while the child's fd number still names the ring
 * file (pidfd_getfd() and its device and inode), so closing the ring fd
 * ends the watch as Linux ends an epoll registration when the file goes
 * away.  epoll_ctl on any other fd runs in the kernel unchanged.  A
 * registration also ends with EPOLL_CTL_DEL, when the supervisor ends, or
 * when the child's numbers turn out to name other files at the next
 * epoll_ctl (closed and reused).
 */
#define _GNU_SOURCE
#include "exec/exec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "maps/ring.h"
#include "sys/perf.h"
#include "sys/sys.h"

struct waiter {
	struct waiter *next;
	pid_t tgid;
	int child_epfd;
	int child_fd;
	int epfd;		/* ours, on the child's epoll instance */
	int efd;		/* in the child's epoll instance */
	int relay;		/* the watch signals it; the supervisor passes it on to efd */
	int pidfd;		/* the child's process, to check its fd number */
	ino_t ep_ino, ring_ino;	/* what the child's numbers named at EPOLL_CTL_ADD */
	dev_t ring_dev;
	struct ubf_ring_watch *watch;	/* signals relay (ring.h) */
};

struct ubf_exec_epoll {
	struct waiter *waiters;
	int poll_fd;		/* an epoll of the relays, for the supervisor's loop */
};

static void waiter_free(struct waiter *w)
{
	if (w->watch) {
		ubf_ring_watch_stop(w->watch);
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->efd, NULL);
	}
	if (w->relay >= 0)
		close(w->relay);	/* leaves the supervisor's poll_fd with it */
	if (w->pidfd >= 0)
		close(w->pidfd);
	if (w->efd >= 0)
		close(w->efd);
	if (w->epfd >= 0)
		close(w->epfd);
	free(w);
}

static ino_t ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

static dev_t dev_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_dev;
}

/*
 * The child closed and reused the numbers of a registration without
 * EPOLL_CTL_DEL (closing drops it in Linux): do they name other files now?
 */
static bool is_stale(const struct ubf_exec_call *c, const struct waiter *w, int ring_fd)
{
	int ep;
	bool stale;

	if (ubf_exec_getfd(c, w->child_epfd, &ep))
		return true;
	stale = ino_of(ep) != w->ep_ino || ino_of(ring_fd) != w->ring_ino;
	close(ep);
	return stale;
}

static struct waiter **find(struct ubf_exec_epoll *ep, pid_t tgid, int epfd, int fd)
{
	struct waiter **pw;

	for (pw = &ep->waiters; *pw; pw = &(*pw)->next) {
		if ((*pw)->tgid == tgid && (*pw)->child_epfd == epfd && (*pw)->child_fd == fd)
			return pw;
	}
	return NULL;
}

static int add(struct ubf_exec_epoll *ep, struct ubf_exec_call *c, int ring_fd,
	       const struct ubf_map *map, const struct epoll_event *ev)
{
	struct epoll_event sub = { .events = EPOLLIN | EPOLLET, .data = ev->data };
	struct waiter *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	w->tgid = c->tgid;
	w->child_epfd = (int)c->notif->data.args[0];
	w->child_fd = (int)c->notif->data.args[2];
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->relay = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->pidfd = (int)syscall(SYS_pidfd_open, c->tgid, 0);
	err = ubf_exec_getfd(c, w->child_epfd, &w->epfd);
	if (err || w->efd < 0 || w->relay < 0 || w->pidfd < 0) {
		w->epfd = err ? -1 : w->epfd;
		waiter_free(w);
		return err ? err : -EMFILE;
	}
	if (epoll_ctl(ep->poll_fd, EPOLL_CTL_ADD, w->relay,
		      &(struct epoll_event){ .events = EPOLLIN, .data.ptr = w })) {
		err = -errno;
		waiter_free(w);
		return err;
	}
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->efd, &sub)) {
		err = -errno;
		waiter_free(w);
		return err;
	}
	w->ep_ino = ino_of(w->epfd);
	w->ring_ino = ino_of(ring_fd);
	w->ring_dev = dev_of(ring_fd);
	if (map)
		err = ubf_ring_watch_start(ring_fd, map->map_type == UBF_MAP_USER_RINGBUF,
					   map->max_entries, w->relay, &w->watch);
	else
		err = ubf_perf_watch_start(ring_fd, w->relay, &w->watch);	/* a perf event */
	if (err) {
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->efd, NULL);
		waiter_free(w);
		return err;
	}
	w->next = ep->waiters;
	ep->waiters = w;
	return 0;
}

static int ring_ctl(struct ubf_exec_epoll *ep, struct ubf_exec_call *c, int ring_fd,
		    const struct ubf_map *map)
{
	int op = (int)c->notif->data.args[1];
	struct waiter **pw = find(ep, c->tgid, (int)c->notif->data.args[0],
				  (int)c->notif->data.args[2]), *w;
	struct epoll_event ev, sub;
	int err;

	if (pw && is_stale(c, *pw, ring_fd)) {
		w = *pw;
		*pw = w->next;
		waiter_free(w);
		pw = NULL;
	}
	if (op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) {
		err = ubf_exec_read(c, c->notif->data.args[3], &ev, sizeof(ev));
		if (err)
			return err;
	}
	switch (op) {
	case EPOLL_CTL_ADD:
		return pw ? -EEXIST : add(ep, c, ring_fd, map, &ev);
	case EPOLL_CTL_MOD:
		if (!pw)
			return -ENOENT;
		sub.events = EPOLLIN | EPOLLET;
		sub.data = ev.data;
		return epoll_ctl((*pw)->epfd, EPOLL_CTL_MOD, (*pw)->efd, &sub) ? -errno : 0;
	case EPOLL_CTL_DEL:
		if (!pw)
			return -ENOENT;
		w = *pw;
		*pw = w->next;
		waiter_free(w);
		return 0;
	default:
		return -EINVAL;
	}
}

void ubf_exec_epoll_ctl(struct ubf_exec_call *c, struct ubf_exec_epoll **epp)
{
	struct ubf_obj *obj = NULL;
	bool is_perf;
	int fd;

	c->is_continue = true;
	if (ubf_exec_getfd(c, (int)c->notif->data.args[2], &fd))
		return;
	is_perf = ubf_perf_file(fd);
	if (!is_perf && (ubf_obj_get(fd, UBF_OBJ_MAP, &obj) ||
			 (obj->map->map_type != UBF_MAP_RINGBUF &&
			  obj->map->map_type != UBF_MAP_USER_RINGBUF))) {
		close(fd);
		return;
	}
	c->is_continue = false;
	if (!*epp) {
		*epp = calloc(1, sizeof(**epp));
		if (*epp)
			(*epp)->poll_fd = epoll_create1(EPOLL_CLOEXEC);
		if (*epp && (*epp)->poll_fd < 0) {
			free(*epp);
			*epp = NULL;
		}
	}
	c->err = *epp ? ring_ctl(*epp, c, fd, is_perf ? NULL : obj->map) : -ENOMEM;
	close(fd);
}

int ubf_exec_epoll_fd(const struct ubf_exec_epoll *ep)
{
	return ep && ep->waiters ? ep->poll_fd : -1;
}

/* Does the child's fd number still name the ring file of @w? */
static bool still_open(const struct waiter *w)
{
	struct stat st;
	int fd = (int)syscall(SYS_pidfd_getfd, w->pidfd, w->child_fd, 0);
	bool same;

	if (fd < 0)
		return false;
	same = !fstat(fd, &st) && st.st_ino == w->ring_ino && st.st_dev == w->ring_dev;
	close(fd);
	return same;
}

static void unlink_waiter(struct ubf_exec_epoll *ep, struct waiter *w)
{
	struct waiter **pw;

	for (pw = &ep->waiters; *pw; pw = &(*pw)->next) {
		if (*pw == w) {
			*pw = w->next;
			waiter_free(w);
			return;
		}
	}
}

void ubf_exec_epoll_relay(struct ubf_exec_epoll *ep)
{
	struct epoll_event ev[16];
	uint64_t cnt, one = 1;
	struct waiter *w;
	int n, i;

	n = epoll_wait(ep->poll_fd, ev, 16, 0);
	for (i = 0; i < n; i++) {
		w = ev[i].data.ptr;
		if (read(w->relay, &cnt, sizeof(cnt)) != (ssize_t)sizeof(cnt))
			continue;
		if (!still_open(w))
			unlink_waiter(ep, w);
		else if (write(w->efd, &one, sizeof(one)) != (ssize_t)sizeof(one))
			continue;	/* the counter is full: the child has a wake-up pending */
	}
}

void ubf_exec_epoll_free(struct ubf_exec_epoll *ep)
{
	struct waiter *w;

	if (!ep)
		return;
	while ((w = ep->waiters)) {
		ep->waiters = w->next;
		waiter_free(w);
	}
	close(ep->poll_fd);
	free(ep);
}
