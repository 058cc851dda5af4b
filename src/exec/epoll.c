// SPDX-License-Identifier: BSD-2-Clause
/*
 * epoll.c - epoll on a ring buffer for a child under `userbpf exec`.  A
 * ring buffer is a regular file, which epoll refuses, so EPOLL_CTL_ADD of
 * one puts a supervisor eventfd into the child's epoll instance instead
 * (the instance is shared: pidfd_getfd() of the child's epoll fd reaches
 * it), edge-triggered with the child's data, and a ring watch (ring.h)
 * signals the eventfd when a producer in any process commits a record, or
 * a drain makes room in a user ring buffer.  epoll_ctl on any other fd runs in the kernel unchanged.  A
 * registration ends with EPOLL_CTL_DEL, when the supervisor ends, or when
 * the child's numbers turn out to name other files (closed and reused).
 */
#define _GNU_SOURCE
#include "exec/exec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maps/ring.h"
#include "sys/sys.h"

struct waiter {
	struct waiter *next;
	pid_t tgid;
	int child_epfd;
	int child_fd;
	int epfd;		/* ours, on the child's epoll instance */
	int efd;
	ino_t ep_ino, ring_ino;	/* what the child's numbers named at EPOLL_CTL_ADD */
	struct ubf_ring_watch *watch;	/* signals efd (ring.h) */
};

struct ubf_exec_epoll {
	struct waiter *waiters;
};

static void waiter_free(struct waiter *w)
{
	if (w->watch) {
		ubf_ring_watch_stop(w->watch);
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->efd, NULL);
	}
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
	err = ubf_exec_getfd(c, w->child_epfd, &w->epfd);
	if (err || w->efd < 0) {
		w->epfd = err ? -1 : w->epfd;
		waiter_free(w);
		return err ? err : -EMFILE;
	}
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->efd, &sub)) {
		err = -errno;
		waiter_free(w);
		return err;
	}
	w->ep_ino = ino_of(w->epfd);
	w->ring_ino = ino_of(ring_fd);
	err = ubf_ring_watch_start(ring_fd, map->map_type == UBF_MAP_USER_RINGBUF,
				   map->max_entries, w->efd, &w->watch);
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
	struct ubf_obj *obj;
	int fd;

	c->is_continue = true;
	if (ubf_exec_getfd(c, (int)c->notif->data.args[2], &fd))
		return;
	if (ubf_obj_get(fd, UBF_OBJ_MAP, &obj) ||
	    (obj->map->map_type != UBF_MAP_RINGBUF && obj->map->map_type != UBF_MAP_USER_RINGBUF)) {
		close(fd);
		return;
	}
	c->is_continue = false;
	if (!*epp)
		*epp = calloc(1, sizeof(**epp));
	c->err = *epp ? ring_ctl(*epp, c, fd, obj->map) : -ENOMEM;
	close(fd);
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
	free(ep);
}
