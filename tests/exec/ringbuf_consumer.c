// SPDX-License-Identifier: BSD-2-Clause
/*
 * ringbuf_consumer.c - a plain libbpf application (Debian's libbpf, no
 * userbpf code) for `userbpf exec`: it loads tests/objects/ringbuf.bpf.c,
 * runs its program 600 times through bpf_prog_test_run_opts() in batches,
 * and after each batch waits in ring_buffer__poll() (epoll on the ring
 * buffer fd) until every record of the batch arrived, in order, with the
 * values the program wrote.  The ring is smaller than all records together,
 * so consumer_pos must travel all the way around it, more than once.
 * Then an epoll registration of a second fd of the ring must report a
 * record while that fd is open and nothing once it is closed, as Linux
 * drops a registration when its file goes away.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "../objects/objects.h"

#define RUNS 600
#define BATCH 100

static unsigned int got, bad;

static int on_event(void *ctx, void *data, size_t sz)
{
	const struct obj_event *e = data;
	unsigned int run = got / 2;
	int is_second = got % 2;

	(void)ctx;
	if (sz != sizeof(*e) || e->seq != run + (is_second ? 1000 : 0) ||
	    e->val != (is_second ? 0 : 2ull * e->pid) || e->pid != (unsigned int)getpid())
		bad++;
	got++;
	return 0;
}

static int produce_one(struct bpf_program *prog)
{
	struct obj_args args = { .x = RUNS, .y = (unsigned int)getpid() };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));

	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) || opts.retval ? -1 : 0;
}

/* A second fd of the ring in an epoll instance: events while open, none once closed. */
static int close_ends_watch(struct bpf_program *prog, struct ring_buffer *rb, int map_fd)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int ep = epoll_create1(EPOLL_CLOEXEC), fd = dup(map_fd), open_n, closed_n;

	ring_buffer__consume(rb);
	if (ep < 0 || fd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) || produce_one(prog)) {
		printf("FAIL close: setting up the second registration\n");
		return 1;
	}
	open_n = epoll_wait(ep, &out, 1, 2000);
	ring_buffer__consume(rb);
	close(fd);
	if (produce_one(prog)) {
		printf("FAIL close: run after close\n");
		return 1;
	}
	closed_n = epoll_wait(ep, &out, 1, 300);
	ring_buffer__consume(rb);
	close(ep);
	printf("%s close: a record wakes the open fd's registration (%d)\n",
	       open_n == 1 ? "ok" : "FAIL", open_n);
	printf("%s close: no wake-up after the fd is closed (%d)\n", closed_n == 0 ? "ok" : "FAIL",
	       closed_n);
	return open_n == 1 && closed_n == 0 ? 0 : 1;
}

static int run(const char *path)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct ring_buffer *rb;
	struct obj_args args = { 0 };
	unsigned int i, tries;
	int err;

	obj = bpf_object__open_file(path, NULL);
	if (!obj || bpf_object__load(obj)) {
		printf("FAIL load\n");
		return 1;
	}
	printf("ok load\n");
	prog = bpf_object__find_program_by_name(obj, "produce");
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "rb"), on_event, NULL, NULL);
	printf("%s ring_buffer__new\n", prog && rb ? "ok" : "FAIL");
	if (!prog || !rb)
		return 1;
	for (i = 0; i < RUNS; i++) {
		/* fresh opts each run: the outputs of one run are not inputs of the next */
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));

		args.x = i;
		args.y = (unsigned int)getpid();
		err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
		if (err || opts.retval) {
			printf("FAIL run %u: %d retval %d\n", i, err, (int)opts.retval);
			return 1;
		}
		if ((i + 1) % BATCH)
			continue;
		for (tries = 0; got < 2 * (i + 1) && tries < 50; tries++)
			ring_buffer__poll(rb, 100);
	}
	printf("%s events: %u of %u received\n", got == 2 * RUNS ? "ok" : "FAIL", got, 2 * RUNS);
	printf("%s contents: %u wrong\n", bad ? "FAIL" : "ok", bad);
	err = close_ends_watch(prog, rb, bpf_object__find_map_fd_by_name(obj, "rb"));
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return got == 2 * RUNS && !bad && !err ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
		return 2;
	}
	return run(argv[1]);
}
