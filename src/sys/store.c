// SPDX-License-Identifier: BSD-2-Clause
/*
 * store.c - the object store directory: where it is (the environment is
 * read on every call, so tests and embedders may move it), creating it
 * 0700, anonymous O_TMPFILE object files that pinning can later link into
 * it (a memfd when the file system refuses), the per-store id counters in
 * a small shared file, and Linux pin paths mapped into the store.  It
 * knows nothing about what the object files contain.
 */
#define _GNU_SOURCE
#include "sys/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <userbpf/bpf.h>

#define IDS_FILE ".ids"
#define IDS_SZ 4096
#define LINUX_BPFFS "/sys/fs/bpf"

/*
 * Root strings are interned: a caller may keep the pointer for the life of
 * the process even when the environment later names another directory.
 */
struct root_name {
	struct root_name *next;
	char path[];
};

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static struct root_name *roots;
static const char *ids_root;	/* the root whose counters are mapped */
static uint32_t *ids;

static void root_path(char *buf, size_t buf_sz)
{
	const char *env = getenv("UBF_PIN_ROOT");

	if (env && env[0] == '/') {
		snprintf(buf, buf_sz, "%s", env);
		return;
	}
	env = getenv("XDG_RUNTIME_DIR");
	if (env && env[0] == '/')
		snprintf(buf, buf_sz, "%s/userbpf", env);
	else if (geteuid() == 0)
		snprintf(buf, buf_sz, "/run/userbpf");
	else
		snprintf(buf, buf_sz, "/tmp/userbpf-%u", (unsigned int)geteuid());
	/* a trailing slash would make pin paths and /proc prefixes differ */
	while (strlen(buf) > 1 && buf[strlen(buf) - 1] == '/')
		buf[strlen(buf) - 1] = '\0';
}

/* mkdir -p with mode 0700 for the directories this creates. */
static void make_dirs(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0700);
		*p = '/';
	}
	mkdir(tmp, 0700);
}

const char *ubf_store_root(void)
{
	char buf[PATH_MAX];
	struct root_name *r;
	size_t len;

	root_path(buf, sizeof(buf));
	pthread_mutex_lock(&store_lock);
	for (r = roots; r; r = r->next) {
		if (!strcmp(r->path, buf))
			break;
	}
	if (!r) {
		len = strlen(buf) + 1;
		r = malloc(sizeof(*r) + len);
		if (!r) {
			pthread_mutex_unlock(&store_lock);
			return "/tmp";
		}
		memcpy(r->path, buf, len);
		r->next = roots;
		roots = r;
	}
	pthread_mutex_unlock(&store_lock);
	/* cheap when it exists; recreates a directory a test removed */
	if (access(r->path, F_OK))
		make_dirs(r->path);
	return r->path;
}

void ubf_store_root_name(char *buf, size_t buf_sz)
{
	root_path(buf, buf_sz);
}

const char *ubf_pin_root(void)
{
	return ubf_store_root();
}

/* Give the new file @fd its size; on failure close it. */
static int sized(int fd, size_t size, int *fdp)
{
	int err;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		err = -errno;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

int ubf_store_file(size_t size, int *fdp)
{
	/* the store's file system first; a memfd ("ubf" names other processes' scans find) else */
	if (!sized(open(ubf_store_root(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), size, fdp))
		return 0;
	return sized(memfd_create("ubf_obj", MFD_CLOEXEC), size, fdp);
}

bool ubf_store_is_memfd(int fd)
{
	char path[64], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return !strncmp(target, "/memfd:", 7);
}

/* Map <root>/.ids once per root; the caller holds store_lock. */
static uint32_t *ids_map(const char *root)
{
	char path[PATH_MAX];
	struct stat st;
	void *p;
	int fd;

	if (ids && ids_root == root)
		return ids;
	snprintf(path, sizeof(path), "%s/" IDS_FILE, root);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || (st.st_size < IDS_SZ && ftruncate(fd, IDS_SZ))) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, IDS_SZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	if (ids)
		munmap(ids, IDS_SZ);
	ids = p;
	ids_root = root;
	return ids;
}

uint32_t ubf_store_next_id(enum ubf_obj_kind kind)
{
	const char *root = ubf_store_root();
	uint32_t *ctr, id;

	if ((unsigned int)kind >= UBF_OBJ_KIND_MAX)
		return 0;
	pthread_mutex_lock(&store_lock);
	ctr = ids_map(root);
	id = ctr ? __atomic_add_fetch(&ctr[kind], 1, __ATOMIC_RELAXED) : 0;
	pthread_mutex_unlock(&store_lock);
	return id;
}

int ubf_store_pin_path(const char *path, char *buf, size_t buf_sz)
{
	const char *rest = NULL;
	int n;

	if (!path || path[0] != '/')
		return -EINVAL;
	if (!strncmp(path, LINUX_BPFFS, strlen(LINUX_BPFFS))) {
		rest = path + strlen(LINUX_BPFFS);
		if (*rest && *rest != '/')
			rest = NULL;	/* /sys/fs/bpfX is not under bpffs */
	}
	if (rest)
		n = snprintf(buf, buf_sz, "%s%s", ubf_store_root(), rest);
	else
		n = snprintf(buf, buf_sz, "%s", path);
	if (n < 0 || (size_t)n >= buf_sz)
		return -ENAMETOOLONG;
	return 0;
}

void ubf_store_obj_init(struct ubf_obj_hdr *hdr, uint64_t magic, uint32_t hdr_sz,
			enum ubf_obj_kind kind)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	hdr->version = 1;
	hdr->hdr_sz = hdr_sz;
	hdr->id = ubf_store_next_id(kind);
	hdr->uid = (uint32_t)geteuid();
	hdr->create_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	__atomic_store_n(&hdr->magic, magic, __ATOMIC_RELEASE);
}

void ubf_store_hold(int fd, const char *kind, uint32_t id)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], proc[64];

	if ((size_t)snprintf(dir, sizeof(dir), "%s/.held", ubf_store_root()) >= sizeof(dir))
		return;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return;
	snprintf(path, sizeof(path), "%s/%s-%u", dir, kind, id);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	(void)linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}
