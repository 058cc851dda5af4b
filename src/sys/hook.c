// SPDX-License-Identifier: BSD-2-Clause
/*
 * hook.c - application-defined tracepoints (<userbpf/hook.h>).  A hook
 * point is a name and the list of programs attached to it, in attach
 * order; the process's points are one list, because BPF_RAW_TRACEPOINT_OPEN
 * finds them by name.  Firing reads the attached count without a lock
 * (nothing attached: one load and a branch), then runs the programs under
 * the point's read lock, so a detach (write lock) returns only when no
 * thread still runs the program it removed.  Links (link.c) attach here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/hook.h>

#include "sys/sys.h"

struct ubf_tp {
	unsigned int cnt;		/* atomic: read without the lock by ubf_tp_fire() */
	pthread_rwlock_t lock;
	struct ubf_sys_prog **progs;
	unsigned int cap;
	struct ubf_tp *next;
	char name[UBF_TP_NAME_MAX];
};

/* Points are never freed: fired pointers stay valid for the process's life. */
static struct {
	pthread_mutex_t lock;
	struct ubf_tp *head;
} points = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct ubf_tp *find_locked(const char *name)
{
	struct ubf_tp *tp;

	for (tp = points.head; tp; tp = tp->next) {
		if (!strcmp(tp->name, name))
			return tp;
	}
	return NULL;
}

int ubf_tp_define(const char *name, struct ubf_tp **tpp)
{
	struct ubf_tp *tp;
	size_t len;

	if (!name || !tpp)
		return -EINVAL;
	len = strnlen(name, UBF_TP_NAME_MAX);
	if (!len || len == UBF_TP_NAME_MAX)
		return -EINVAL;
	pthread_mutex_lock(&points.lock);
	tp = find_locked(name);
	if (!tp) {
		tp = calloc(1, sizeof(*tp));
		if (!tp) {
			pthread_mutex_unlock(&points.lock);
			return -ENOMEM;
		}
		memcpy(tp->name, name, len + 1);
		pthread_rwlock_init(&tp->lock, NULL);
		tp->next = points.head;
		points.head = tp;
	}
	pthread_mutex_unlock(&points.lock);
	*tpp = tp;
	return 0;
}

int ubf_hook_tp_find(const char *name, struct ubf_tp **tpp)
{
	struct ubf_tp *tp;

	pthread_mutex_lock(&points.lock);
	tp = find_locked(name);
	pthread_mutex_unlock(&points.lock);
	if (!tp)
		return -ENOENT;
	*tpp = tp;
	return 0;
}

const char *ubf_tp_name(const struct ubf_tp *tp)
{
	return tp->name;
}

unsigned int ubf_tp_attached(const struct ubf_tp *tp)
{
	return __atomic_load_n(&tp->cnt, __ATOMIC_ACQUIRE);
}

int ubf_hook_tp_attach(struct ubf_tp *tp, struct ubf_sys_prog *prog)
{
	struct ubf_sys_prog **progs;
	unsigned int cap;
	int err = 0;

	pthread_rwlock_wrlock(&tp->lock);
	if (tp->cnt == tp->cap) {
		cap = tp->cap ? tp->cap * 2 : 4;
		progs = realloc(tp->progs, cap * sizeof(*progs));
		if (progs) {
			tp->progs = progs;
			tp->cap = cap;
		} else {
			err = -ENOMEM;
		}
	}
	if (!err) {
		tp->progs[tp->cnt] = prog;
		__atomic_store_n(&tp->cnt, tp->cnt + 1, __ATOMIC_RELEASE);
	}
	pthread_rwlock_unlock(&tp->lock);
	return err;
}

void ubf_hook_tp_detach(struct ubf_tp *tp, struct ubf_sys_prog *prog)
{
	unsigned int i;

	pthread_rwlock_wrlock(&tp->lock);
	for (i = 0; i < tp->cnt; i++) {
		if (tp->progs[i] != prog)
			continue;
		memmove(&tp->progs[i], &tp->progs[i + 1], (tp->cnt - i - 1) * sizeof(*tp->progs));
		__atomic_store_n(&tp->cnt, tp->cnt - 1, __ATOMIC_RELEASE);
		break;
	}
	pthread_rwlock_unlock(&tp->lock);
}

/* Run the attached programs; the caller saw a non-zero count. */
static int fire_slow(struct ubf_tp *tp, const uint64_t *args, unsigned int n)
{
	struct ubf_run_opts opts = { .sz = sizeof(opts) };
	uint64_t ctx[UBF_TP_ARGS_MAX], r0;
	unsigned int i;
	int ran = 0;

	if (n > UBF_TP_ARGS_MAX || (n && !args))
		return -EINVAL;
	pthread_rwlock_rdlock(&tp->lock);
	for (i = 0; i < tp->cnt; i++) {
		/*
		 * A fresh copy each time, so one program's writes do not reach
		 * the next; the arguments not given read as zero, as the
		 * verifier lets a raw tracepoint program read all of them.
		 */
		memset(ctx, 0, sizeof(ctx));
		if (n)
			memcpy(ctx, args, n * sizeof(*ctx));
		if (!ubf_prog_run(tp->progs[i]->vm, ctx, sizeof(ctx), &r0, &opts))
			ran++;
	}
	pthread_rwlock_unlock(&tp->lock);
	return ran;
}

int ubf_tp_fire(struct ubf_tp *tp, const uint64_t *args, unsigned int n)
{
	if (__builtin_expect(!__atomic_load_n(&tp->cnt, __ATOMIC_RELAXED), 1))
		return 0;
	return fire_slow(tp, args, n);
}
