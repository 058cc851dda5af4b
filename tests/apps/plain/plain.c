// SPDX-License-Identifier: BSD-2-Clause
/*
 * plain.c - a program with no eBPF in it, for the non-interference check of
 * tests/layers/preload.sh: files, directories, statfs, mmap of a file,
 * epoll on a pipe, a TCP echo over loopback, threads, fork and exec, the
 * /proc links and fdinfo of ordinary fds, and syscall() itself.  It prints
 * one line per result, with nothing that changes from run to run (no pids,
 * inode numbers, addresses or times), so its output with and without
 * libuserbpf-preload.so (preloaded, or linked) must be identical.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

/* "NAME: ok" or "NAME: errno NAME" for a call's result. */
static void result(const char *name, int ret)
{
	if (ret < 0)
		printf("%s: -1 %s\n", name, strerrorname_np(errno));
	else
		printf("%s: %d\n", name, ret);
}

static void files(void)
{
	char path[4096], path2[4096], buf[64];
	struct statfs sfs, sfs2;
	struct stat st;
	ssize_t n;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/a.txt", dir);
	snprintf(path2, sizeof(path2), "%s/b.txt", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0640);
	result("open create", fd < 0 ? -1 : 0);
	result("write", (int)write(fd, "hello, files\n", 13));
	result("lseek", (int)lseek(fd, 0, SEEK_SET));
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("read: %zd %s", n, buf);
	result("fstat", fstat(fd, &st));
	printf("size %lld mode %o\n", (long long)st.st_size, st.st_mode & 07777);
	result("close", close(fd));
	result("close again", close(fd));
	result("rename", rename(path, path2));
	result("stat old", stat(path, &st));
	result("stat new", stat(path2, &st));
	result("access", access(path2, R_OK | W_OK));
	result("access missing", access(path, F_OK));
	f = fopen(path2, "r");
	printf("fopen: %s %s", f ? "ok" : strerrorname_np(errno), f && fgets(buf, sizeof(buf), f) ?
	       buf : "\n");
	if (f)
		fclose(f);
	result("fopen missing", fopen(path, "r") ? 0 : -1);
	snprintf(path, sizeof(path), "%s/sub", dir);
	result("mkdir", mkdir(path, 0755));
	result("mkdir again", mkdir(path, 0755));
	result("rmdir", rmdir(path));
	result("rmdir again", rmdir(path));
	result("unlink", unlink(path2));
	result("unlink again", unlink(path2));
	result("statfs dir", statfs(dir, &sfs));
	result("statfs /", statfs("/", &sfs2));
	printf("statfs types %lx %lx\n", (unsigned long)sfs.f_type, (unsigned long)sfs2.f_type);
	result("statfs missing", statfs("/nonexistent/x", &sfs));
	result("openat missing", openat(AT_FDCWD, "/nonexistent/x", O_RDONLY));
}

/* An ordinary file mapped shared: writes through the mapping reach the file. */
static void maps(void)
{
	char path[4096], buf[8] = { 0 };
	char *p;
	int fd;

	snprintf(path, sizeof(path), "%s/m.bin", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	result("ftruncate", ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap: %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "ok");
	if (p != MAP_FAILED) {
		memcpy(p + 100, "mapped", 6);
		result("munmap", munmap(p, 4096));
	}
	result("pread", (int)pread(fd, buf, 6, 100));
	printf("via file: %s\n", buf);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0);
	printf("mmap bad fd: %s\n", p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	close(fd);
	unlink(path);
}

static void procfs(void)
{
	char path[64], link[4096], line[256];
	int fd = open("/dev/null", O_RDONLY);
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("readlink: %zd %s\n", n, link);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "flags:", 6) || !strncmp(line, "pos:", 4))
			printf("fdinfo %s", line);
	}
	if (f)
		fclose(f);
	result("readlink missing", (int)readlink("/proc/self/fd/9999", link, sizeof(link)));
	close(fd);
	printf("syscall getppid same: %d\n", syscall(SYS_getppid) == getppid());
	errno = 0;
	result("syscall bad number", (int)syscall(-5L));
}

static void epolls(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 42 }, out;
	int p[2], ep = epoll_create1(EPOLL_CLOEXEC), fd;
	char path[4096];

	result("pipe", pipe(p));
	result("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	result("epoll_ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	result("epoll_wait empty", epoll_wait(ep, &out, 1, 0));
	result("write pipe", (int)write(p[1], "x", 1));
	result("epoll_wait", epoll_wait(ep, &out, 1, 1000));
	printf("data %u events %x\n", out.data.u32, out.events);
	snprintf(path, sizeof(path), "%s/e", dir);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	result("epoll_ctl regular file", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	result("epoll_ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	result("epoll_ctl del again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	close(fd);
	unlink(path);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* A TCP echo over loopback: the server thread echoes one message. */
static void *echo_server(void *arg)
{
	int ls = *(int *)arg, c;
	char buf[64];
	ssize_t n;

	c = accept(ls, NULL, NULL);
	if (c < 0)
		return NULL;
	n = read(c, buf, sizeof(buf));
	if (n > 0 && write(c, buf, (size_t)n) != n)
		n = -1;
	close(c);
	return NULL;
}

static void sockets(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int ls = socket(AF_INET, SOCK_STREAM, 0), c;
	pthread_t t;
	char buf[64] = { 0 };

	result("bind", bind(ls, (struct sockaddr *)&sa, sizeof(sa)));
	result("listen", listen(ls, 1));
	getsockname(ls, (struct sockaddr *)&sa, &len);
	pthread_create(&t, NULL, echo_server, &ls);
	c = socket(AF_INET, SOCK_STREAM, 0);
	result("connect", connect(c, (struct sockaddr *)&sa, sizeof(sa)));
	result("send", (int)write(c, "echo me", 7));
	result("recv", (int)read(c, buf, sizeof(buf) - 1));
	printf("echoed: %s\n", buf);
	pthread_join(t, NULL);
	close(c);
	close(ls);
}

static void *add_up(void *arg)
{
	long *v = arg, i;

	for (i = 1; i <= 1000; i++)
		*v += i;
	return NULL;
}

static void threads_fork_exec(void)
{
	long sums[4] = { 0 };
	pthread_t t[4];
	int i, st, p[2];
	char buf[64] = { 0 };
	pid_t pid;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, add_up, &sums[i]);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("threads: %ld %ld %ld %ld\n", sums[0], sums[1], sums[2], sums[3]);
	pid = fork();
	if (!pid)
		_exit(7);
	waitpid(pid, &st, 0);
	printf("fork: exit %d\n", WEXITSTATUS(st));
	if (pipe(p))
		return;
	pid = fork();
	if (!pid) {
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", "echo exec ok; exit 3", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(p[0]);
	waitpid(pid, &st, 0);
	printf("exec: exit %d, said %s", WEXITSTATUS(st), buf);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	files();
	maps();
	procfs();
	epolls();
	sockets();
	threads_fork_exec();
	return 0;
}
