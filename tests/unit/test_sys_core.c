// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_core.c - the bpf(2) entry point and the store: Linux's attr
 * checks before any command (EFAULT, E2BIG tails, EINVAL after the
 * command's last field, unknown commands), the store directory and its
 * environment, shared ids, pin path mapping, and the live-map set checked
 * runs rely on.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "maps/map.h"
#include "sys/sys.h"
#include "test.h"

TEST(sys_bpf_rejects_bad_attr_like_linux)
{
	char dir[64], big[8192];
	union bpf_attr a;
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	memset(&a, 0, sizeof(a));
	/* NULL attr with a size: EFAULT; with size 0 the command sees zeroes */
	EXPECT_EQ_INT(ubf_bpf(BPF_MAP_CREATE, NULL, sizeof(a)), -1);
	EXPECT_EQ_INT(errno, EFAULT);
	EXPECT_EQ_INT(ubf_bpf(BPF_MAP_CREATE, NULL, 0), -1);
	EXPECT_EQ_INT(errno, EINVAL);	/* map type 0 */
	/* unknown commands */
	EXPECT_ERR(-EINVAL, sys_bpf(9999, &a));
	EXPECT_ERR(-EINVAL, sys_bpf(-1, &a));
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_CREATE + 100, &a));
	/* bytes beyond union bpf_attr: zero is fine, anything else E2BIG, above a page E2BIG */
	memset(big, 0, sizeof(big));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 2;
	memcpy(big, &a, sizeof(a));
	fd = ubf_bpf(BPF_MAP_CREATE, big, sizeof(a) + 64);
	EXPECT_TRUE(fd >= 0);
	close(fd);
	big[sizeof(a) + 10] = 1;
	EXPECT_EQ_INT(ubf_bpf(BPF_MAP_CREATE, big, sizeof(a) + 64), -1);
	EXPECT_EQ_INT(errno, E2BIG);
	big[sizeof(a) + 10] = 0;
	EXPECT_EQ_INT(ubf_bpf(BPF_MAP_CREATE, big, 4097), -1);
	EXPECT_EQ_INT(errno, E2BIG);
	/* a shorter attr is zero-extended */
	fd = ubf_bpf(BPF_MAP_CREATE, &a, offsetof(union bpf_attr, map_flags));
	EXPECT_TRUE(fd >= 0);
	close(fd);
	/* a non-zero byte after the command's last field: EINVAL (CHECK_ATTR) */
	{
		union bpf_attr d;

		memset(&d, 0, sizeof(d));
		d.map_fd = 12345;
		d.key = 1;
		/* DELETE reads up to key: flags is beyond it */
		d.flags = 1;
		EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_DELETE_ELEM, &d));
		d.flags = 0;
		EXPECT_ERR(-EBADF, sys_bpf(BPF_MAP_DELETE_ELEM, &d));
		memset(&d, 0, sizeof(d));
		d.map_fd = 12345;
		d.open_flags = 1;	/* FREEZE reads map_fd only */
		EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_FREEZE, &d));
	}
	sys_store_end(dir);
}

TEST(sys_bpf_attr_unreadable_is_efault)
{
	char dir[64];
	void *p;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	p = (void *)(uintptr_t)0x10;	/* never mapped */
	EXPECT_EQ_INT(ubf_bpf(BPF_MAP_CREATE, p, 64), -1);
	EXPECT_EQ_INT(errno, EFAULT);
	sys_store_end(dir);
}

TEST(sys_store_root_follows_env_and_is_created)
{
	char dir[64], sub[128];
	struct stat st;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	setenv("UBF_PIN_ROOT", sub, 1);
	EXPECT_STREQ(ubf_store_root(), sub);
	EXPECT_STREQ(ubf_pin_root(), sub);
	ASSERT_OK(stat(sub, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ_INT(st.st_mode & 0777, 0700);
	setenv("UBF_PIN_ROOT", dir, 1);
	EXPECT_STREQ(ubf_store_root(), dir);
	sys_store_end(dir);
}

TEST(sys_store_ids_are_shared_and_increasing)
{
	uint32_t a, b, c, child;
	char dir[64];
	int pipefd[2], st;
	pid_t pid;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	a = ubf_store_next_id(UBF_OBJ_MAP);
	b = ubf_store_next_id(UBF_OBJ_MAP);
	EXPECT_EQ_U64(a, 1);
	EXPECT_EQ_U64(b, 2);
	EXPECT_EQ_U64(ubf_store_next_id(UBF_OBJ_PROG), 1);	/* per kind */
	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		child = ubf_store_next_id(UBF_OBJ_MAP);
		_exit(write(pipefd[1], &child, sizeof(child)) == sizeof(child) ? 0 : 1);
	}
	ASSERT_TRUE(read(pipefd[0], &child, sizeof(child)) == sizeof(child));
	waitpid(pid, &st, 0);
	EXPECT_EQ_U64(child, 3);
	c = ubf_store_next_id(UBF_OBJ_MAP);
	EXPECT_EQ_U64(c, 4);
	close(pipefd[0]);
	close(pipefd[1]);
	sys_store_end(dir);
}

TEST(sys_store_pin_path_maps_bpffs)
{
	char dir[64], buf[256], want[256];

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_store_pin_path("/sys/fs/bpf/x/y", buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%s/x/y", dir);
	EXPECT_STREQ(buf, want);
	ASSERT_OK(ubf_store_pin_path("/sys/fs/bpf", buf, sizeof(buf)));
	EXPECT_STREQ(buf, dir);
	ASSERT_OK(ubf_store_pin_path("/sys/fs/bpfx", buf, sizeof(buf)));
	EXPECT_STREQ(buf, "/sys/fs/bpfx");
	ASSERT_OK(ubf_store_pin_path("/elsewhere/p", buf, sizeof(buf)));
	EXPECT_STREQ(buf, "/elsewhere/p");
	EXPECT_ERR(-EINVAL, ubf_store_pin_path("rel/p", buf, sizeof(buf)));
	EXPECT_ERR(-EINVAL, ubf_store_pin_path("", buf, sizeof(buf)));
	EXPECT_ERR(-ENAMETOOLONG, ubf_store_pin_path("/sys/fs/bpf/abc", buf, 8));
	sys_store_end(dir);
}

TEST(sys_store_file_is_anonymous_in_store)
{
	char dir[64], link[64], target[512];
	ssize_t n;
	int fd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_store_file(8192, &fd));
	EXPECT_TRUE(lseek(fd, 0, SEEK_END) == 8192);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	ASSERT_TRUE(n > 0);
	target[n] = '\0';
	EXPECT_TRUE(!strncmp(target, dir, strlen(dir)));
	EXPECT_TRUE(strstr(target, "(deleted)") != NULL);
	EXPECT_TRUE(!ubf_store_is_memfd(fd));
	close(fd);
	sys_store_end(dir);
}

TEST(sys_map_is_live_tracks_open_maps)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4, .value_size = 4,
		 .max_entries = 1);
	struct ubf_map *m1 = NULL, *m2 = NULL;
	int x;

	ASSERT_OK(ubf_map_create(&m1, &a));
	ASSERT_OK(ubf_map_open_fd(&m2, ubf_map_fd(m1)));
	EXPECT_TRUE(ubf_map_is_live(m1));
	EXPECT_TRUE(ubf_map_is_live(m2));
	EXPECT_TRUE(!ubf_map_is_live(&x));
	EXPECT_TRUE(!ubf_map_is_live(NULL));
	EXPECT_TRUE(!ubf_map_is_live((char *)m1 + 8));
	ubf_map_free(m1);
	EXPECT_TRUE(!ubf_map_is_live(m1));
	EXPECT_TRUE(ubf_map_is_live(m2));
	ubf_map_free(m2);
	EXPECT_TRUE(!ubf_map_is_live(m2));
}

TEST(sys_map_is_live_many_maps)
{
	UBF_OPTS(ubf_map_attr, a, .map_type = UBF_MAP_ARRAY, .key_size = 4, .value_size = 4,
		 .max_entries = 1);
	struct ubf_map *maps[200];
	int i;

	for (i = 0; i < 200; i++)
		ASSERT_OK(ubf_map_create(&maps[i], &a));
	for (i = 0; i < 200; i += 2)
		ubf_map_free(maps[i]);
	for (i = 0; i < 200; i++)
		EXPECT_EQ_INT(ubf_map_is_live(maps[i]), i % 2);
	for (i = 1; i < 200; i += 2)
		ubf_map_free(maps[i]);
}

struct thread_arg {
	int shared_fd;
	int errors;
	uint32_t base;
};

/* Each thread creates, uses and closes its own maps and updates a shared one. */
static void *thread_body(void *p)
{
	struct thread_arg *t = p;
	uint64_t v, out;
	uint32_t key;
	int i, fd;

	for (i = 0; i < 200; i++) {
		key = t->base + (uint32_t)i;
		v = key;
		if (sys_update(t->shared_fd, &key, &v, BPF_NOEXIST) ||
		    sys_lookup(t->shared_fd, &key, &out) || out != v)
			t->errors++;
		fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
		key = 0;
		if (fd < 0 || sys_update(fd, &key, &v, BPF_ANY) || sys_lookup(fd, &key, &out) ||
		    out != v)
			t->errors++;
		close(fd);
		if (i % 50 == 0)
			ubf_obj_sweep();
	}
	return NULL;
}

TEST(sys_bpf_is_thread_safe)
{
	struct thread_arg args[4];
	pthread_t th[4];
	char dir[64];
	int fd, i;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 1024, 0);
	ASSERT_TRUE(fd >= 0);
	for (i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .shared_fd = fd, .base = (uint32_t)i * 1000 };
		ASSERT_OK(pthread_create(&th[i], NULL, thread_body, &args[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ_INT(args[i].errors, 0);
	}
	close(fd);
	ubf_obj_sweep();
	sys_store_end(dir);
}
