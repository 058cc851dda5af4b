// SPDX-License-Identifier: BSD-2-Clause
/*
 * host.c - what the network and object-bound maps ask the host about the
 * fds and ifindexes user space stores: is this fd a socket (and of a kind
 * Linux's sockmap or reuseport array takes), a cgroup v2 directory, a
 * pidfd; does this ifindex name a device.  The answers are the errnos
 * Linux gives for the same fd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

#include "maps/map.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif
#define CGROUP2_MAGIC 0x63677270

int ubf_host_socket(int fd, uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	struct stat st;

	if (fd < 0 || fstat(fd, &st))
		return -EBADF;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	*cookie = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, cookie, &len))
		*cookie = (uint64_t)st.st_ino;
	return 0;
}

static int sockopt_int(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int v = -1;

	if (getsockopt(fd, level, name, &v, &len))
		return -1;
	return v;
}

/* A bound (or connected) socket has a local port or path. */
static bool is_bound(int fd, int domain)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return false;
	if (domain == AF_INET)
		return ((struct sockaddr_in *)&ss)->sin_port != 0;
	if (domain == AF_INET6)
		return ((struct sockaddr_in6 *)&ss)->sin6_port != 0;
	return len > sizeof(sa_family_t);
}

static bool is_connected(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return !getpeername(fd, (struct sockaddr *)&ss, &len);
}

int ubf_host_socket_sockmap_ok(int fd)
{
	int domain = sockopt_int(fd, SOL_SOCKET, SO_DOMAIN);
	int type = sockopt_int(fd, SOL_SOCKET, SO_TYPE);
	int proto = sockopt_int(fd, SOL_SOCKET, SO_PROTOCOL);

	if (domain == AF_INET || domain == AF_INET6) {
		if (proto == IPPROTO_TCP) {
			struct tcp_info ti;
			socklen_t len = sizeof(ti);

			if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
				return -EOPNOTSUPP;
			return ti.tcpi_state == TCP_ESTABLISHED || ti.tcpi_state == TCP_LISTEN ?
				       0 : -EOPNOTSUPP;
		}
		if (proto == IPPROTO_UDP)
			return is_bound(fd, domain) ? 0 : -EOPNOTSUPP;
		return -EOPNOTSUPP;
	}
	if (domain == AF_UNIX) {
		if (type == SOCK_STREAM)
			return is_connected(fd) ? 0 : -EOPNOTSUPP;
		return type == SOCK_DGRAM ? 0 : -EOPNOTSUPP;
	}
	return -EOPNOTSUPP;
}

int ubf_host_socket_reuseport_ok(int fd)
{
	int domain = sockopt_int(fd, SOL_SOCKET, SO_DOMAIN);
	int type = sockopt_int(fd, SOL_SOCKET, SO_TYPE);
	int proto = sockopt_int(fd, SOL_SOCKET, SO_PROTOCOL);

	if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP) ||
	    (domain != AF_INET && domain != AF_INET6) ||
	    (type != SOCK_STREAM && type != SOCK_DGRAM))
		return -EOPNOTSUPP;
	if (sockopt_int(fd, SOL_SOCKET, SO_REUSEPORT) != 1 || !is_bound(fd, domain))
		return -EINVAL;
	if (proto == IPPROTO_TCP && sockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN) != 1)
		return -EINVAL;
	return 0;
}

int ubf_host_cgroup(int fd, uint64_t *id)
{
	struct statfs sfs;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || !S_ISDIR(st.st_mode) || fstatfs(fd, &sfs) ||
	    sfs.f_type != CGROUP2_MAGIC)
		return -EBADF;
	*id = (uint64_t)st.st_ino;
	return 0;
}

int ubf_host_pidfd(int fd, uint64_t *pid)
{
	char path[64], line[128];
	long v = -1;
	FILE *f;

	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -EBADF;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %ld", &v) == 1)
			break;
	fclose(f);
	if (v <= 0)
		return -EBADF;
	*pid = (uint64_t)v;
	return 0;
}

bool ubf_host_ifindex_ok(uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	return ifindex && if_indextoname(ifindex, name) != NULL;
}
