// SPDX-License-Identifier: BSD-2-Clause
/*
 * routing.c - ubf_libbpf_route() itself, through libbpf's low-level API:
 * a map created with bpf_map_create() is a userbpf object (its fd is a file
 * in the store), routing twice is harmless, other system calls and mappings
 * pass through, a ring buffer maps plainly as libbpf expects (ring.h), and
 * epoll accepts a ring buffer fd.  The object argument is not loaded.
 */
#define _GNU_SOURCE
#include "driver.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <userbpf/bpf.h>
#include <userbpf/libbpf.h>

static void check_store_file(int fd)
{
	char link[64], target[PATH_MAX];
	const char *root = ubf_pin_root();
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	drv_check(n > 0 && !strncmp(target, root, strlen(root)), "map_fd_in_store",
		  "fd %d is %s, not under %s", fd, target, root);
}

static void check_ring_mapping(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), sz = 4 * page;
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "rb", 0, 0, (unsigned int)sz, NULL);
	unsigned char *prod;

	drv_check(fd >= 0, "ringbuf_create", "bpf_map_create(RINGBUF): %s", strerror(errno));
	if (fd < 0)
		return;
	/*
	 * libbpf's consumer view: producer page + 2 * max_entries data bytes from
	 * offset page, a plain mapping of the file (ring.h: a wrapped record runs
	 * on into the second half, no double mapping)
	 */
	prod = mmap(NULL, page + 2 * sz, PROT_READ, MAP_SHARED, fd, (off_t)page);
	drv_check(prod != MAP_FAILED, "ringbuf_mmap_double", "mmap: %s", strerror(errno));
	if (prod != MAP_FAILED) {
		unsigned char *w = mmap(NULL, 2 * sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
					(off_t)(2 * page));

		if (w != MAP_FAILED) {
			w[0] = 0x5a;
			w[2 * sz - 1] = 0xa5;
			drv_check(prod[page] == 0x5a && prod[page + 2 * sz - 1] == 0xa5 &&
					  prod[page + sz] != 0x5a,
				  "ringbuf_data_plain", "the data area is not 2 * max_entries plain bytes");
			munmap(w, 2 * sz);
		} else {
			drv_check(false, "ringbuf_data_plain", "mmap data: %s", strerror(errno));
		}
		munmap(prod, page + 2 * sz);
	}
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
		int ep = epoll_create1(EPOLL_CLOEXEC);

		drv_check(!epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "ringbuf_epoll_add", "%s",
			  strerror(errno));
		drv_check(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) && errno == EEXIST,
			  "ringbuf_epoll_add_twice", "want EEXIST, got %s", strerror(errno));
		drv_check(!epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL), "ringbuf_epoll_del", "%s",
			  strerror(errno));
		drv_check(epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) && errno == ENOENT,
			  "ringbuf_epoll_del_twice", "want ENOENT, got %s", strerror(errno));
		close(ep);
	}
	close(fd);
}

static void check_pass_through(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2], ep;
	void *m;

	DRV_EQ("syscall_passes_through", syscall(SYS_getpid), getpid());
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	drv_check(m != MAP_FAILED, "anon_mmap_passes_through", "%s", strerror(errno));
	if (m != MAP_FAILED)
		munmap(m, 4096);
	ep = epoll_create1(EPOLL_CLOEXEC);
	drv_check(!pipe(p) && !epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), "pipe_epoll_passes_through",
		  "%s", strerror(errno));
	close(p[0]);
	close(p[1]);
	close(ep);
}

int main(int argc, char **argv)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), k = 1;
	struct drv d;
	__u64 v = 0;
	int fd, err;

	drv_init(&d, argc, argv);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "routed", 4, 8, 2, NULL);
	drv_check(fd >= 0, "map_create", "bpf_map_create: %s", strerror(errno));
	if (fd >= 0) {
		if (!d.kernel)
			check_store_file(fd);
		v = 0x1122334455667788ull;
		drv_check(!bpf_map_update_elem(fd, &k, &v, BPF_ANY), "map_update", "%s",
			  strerror(errno));
		v = 0;
		drv_check(!bpf_map_lookup_elem(fd, &k, &v) && v == 0x1122334455667788ull,
			  "map_lookup", "value 0x%llx: %s", (unsigned long long)v, strerror(errno));
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		drv_check(!err && info.type == BPF_MAP_TYPE_ARRAY && info.value_size == 8 &&
				  !strcmp(info.name, "routed"),
			  "map_info", "err %d type %u value_size %u name %s", err, info.type,
			  info.value_size, info.name);
		close(fd);
	}
	if (!d.kernel)
		DRV_EQ("route_twice", ubf_libbpf_route(), 0);
	check_pass_through();
	check_ring_mapping();
	return drv_done();
}
