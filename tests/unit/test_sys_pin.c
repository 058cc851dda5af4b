// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_pin.c - objects across fds and processes: OBJ_PIN / OBJ_GET and
 * their Linux errnos, a pin that survives its creator (fork, pin, exit),
 * a map shared by two processes through a pin, ids and GET_FD_BY_ID for
 * an object only another process holds, dup/close and the sweep, and the
 * info_len rule of OBJ_GET_INFO_BY_FD.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sys/sys.h"
#include "test.h"

TEST(sys_pin_and_get)
{
	uint64_t v = 42, out = 0;
	char dir[64], path[128];
	uint32_t key = 1;
	struct stat st;
	int fd, fd2, ro, nul;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(sys_pin(fd, "/sys/fs/bpf/m"));
	snprintf(path, sizeof(path), "%s/m", dir);
	ASSERT_OK(stat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_ERR(-EEXIST, sys_pin(fd, "/sys/fs/bpf/m"));
	EXPECT_ERR(-ENOENT, sys_pin(fd, "/sys/fs/bpf/nodir/m"));
	EXPECT_ERR(-EINVAL, sys_pin(fd, "relative"));
	EXPECT_ERR(-EPERM, sys_pin(fd, "/tmp/ubf-not-in-store"));
	EXPECT_ERR(-EFAULT, sys_pin(fd, NULL));
	EXPECT_ERR(-EBADF, sys_pin(9999, "/sys/fs/bpf/x"));
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_ERR(-EINVAL, sys_pin(nul, "/sys/fs/bpf/x"));
	close(nul);
	{
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.bpf_fd = (uint32_t)fd;
		a.pathname = (uint64_t)(uintptr_t)"/sys/fs/bpf/y";
		a.file_flags = BPF_F_RDONLY;
		EXPECT_ERR(-EINVAL, sys_bpf(BPF_OBJ_PIN, &a));
		memset(&a, 0, sizeof(a));
		a.bpf_fd = 3;
		a.pathname = (uint64_t)(uintptr_t)"/sys/fs/bpf/m";
		EXPECT_ERR(-EINVAL, sys_bpf(BPF_OBJ_GET, &a));
	}
	/* the path inside the store works as well as the bpffs one */
	fd2 = sys_obj_get(path, 0);
	ASSERT_TRUE(fd2 >= 0);
	EXPECT_OK(sys_update(fd2, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(fd, &key, &out));
	EXPECT_EQ_U64(out, 42);
	ro = sys_obj_get("/sys/fs/bpf/m", BPF_F_RDONLY);
	ASSERT_TRUE(ro >= 0);
	EXPECT_ERR(-EPERM, sys_update(ro, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(ro, &key, &out));
	EXPECT_ERR(-EINVAL, sys_obj_get("/sys/fs/bpf/m", BPF_F_RDONLY | BPF_F_WRONLY));
	EXPECT_ERR(-EINVAL, sys_obj_get("/sys/fs/bpf/m", 1u << 10));
	EXPECT_ERR(-ENOENT, sys_obj_get("/sys/fs/bpf/none", 0));
	/* a file in the store that is no object */
	snprintf(path, sizeof(path), "%s/plain", dir);
	nul = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	EXPECT_TRUE(write(nul, "hello", 5) == 5);
	close(nul);
	EXPECT_ERR(-EACCES, sys_obj_get("/sys/fs/bpf/plain", 0));
	close(ro);
	close(fd2);
	close(fd);
	sys_store_end(dir);
}

TEST(sys_pin_survives_its_creator)
{
	uint64_t out = 0;
	uint32_t key = 3, child_id = 0;
	struct bpf_map_info info;
	int pipefd[2], st, fd;
	char dir[64];
	pid_t pid;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		uint64_t v = 0xfeedull;
		int m = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 8, 0);

		if (m < 0 || sys_update(m, &key, &v, BPF_ANY) || sys_pin(m, "/sys/fs/bpf/kept") ||
		    sys_map_info(m, &info))
			_exit(1);
		_exit(write(pipefd[1], &info.id, 4) == 4 ? 0 : 1);
	}
	ASSERT_TRUE(read(pipefd[0], &child_id, 4) == 4);
	ASSERT_TRUE(waitpid(pid, &st, 0) == pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fd = sys_obj_get("/sys/fs/bpf/kept", 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(sys_lookup(fd, &key, &out));
	EXPECT_EQ_U64(out, 0xfeed);
	ASSERT_OK(sys_map_info(fd, &info));
	EXPECT_EQ_INT(info.id, child_id);
	EXPECT_EQ_INT(info.type, BPF_MAP_TYPE_ARRAY);
	EXPECT_EQ_INT(info.max_entries, 8);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
	sys_store_end(dir);
}

TEST(sys_pin_shares_a_map_between_processes)
{
	uint64_t out = 0;
	uint32_t key = 0;
	char dir[64];
	int fd, st, i;
	pid_t pid;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 64, 0);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(sys_pin(fd, "/sys/fs/bpf/shared"));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		int m = sys_obj_get("/sys/fs/bpf/shared", 0);
		uint64_t v;

		for (i = 0; m >= 0 && i < 32; i++) {
			v = (uint64_t)i * 10;
			key = (uint32_t)i;
			if (sys_update(m, &key, &v, BPF_NOEXIST))
				_exit(1);
		}
		_exit(m >= 0 ? 0 : 2);
	}
	ASSERT_TRUE(waitpid(pid, &st, 0) == pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (i = 0; i < 32; i++) {
		key = (uint32_t)i;
		EXPECT_OK(sys_lookup(fd, &key, &out));
		EXPECT_EQ_U64(out, (uint64_t)i * 10);
	}
	close(fd);
	sys_store_end(dir);
}

TEST(sys_ids_find_objects_other_processes_hold)
{
	uint32_t key = 0, child_id = 0, id;
	int to_child[2], to_parent[2], st, fd;
	union bpf_attr a;
	uint64_t out = 0;
	char dir[64], c = 0;
	bool found = false;
	pid_t pid;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(pipe(to_child));
	ASSERT_OK(pipe(to_parent));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		struct bpf_map_info info;
		uint64_t v = 1234;
		int m = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);

		if (m < 0 || sys_update(m, &key, &v, BPF_ANY) || sys_map_info(m, &info))
			_exit(1);
		if (write(to_parent[1], &info.id, 4) != 4 || read(to_child[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	ASSERT_TRUE(read(to_parent[0], &child_id, 4) == 4);
	/* GET_NEXT_ID walks to it */
	memset(&a, 0, sizeof(a));
	for (id = 0;;) {
		a.start_id = id;
		if (sys_bpf(BPF_MAP_GET_NEXT_ID, &a))
			break;
		EXPECT_TRUE(a.next_id > id);
		id = a.next_id;
		found |= id == child_id;
	}
	EXPECT_TRUE(found);
	memset(&a, 0, sizeof(a));
	a.map_id = child_id;
	fd = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a);
	ASSERT_TRUE(write(to_child[1], &c, 1) == 1);
	ASSERT_TRUE(waitpid(pid, &st, 0) == pid);
	ASSERT_TRUE(fd >= 0);
	/* our fd keeps it alive after its creator exited */
	EXPECT_OK(sys_lookup(fd, &key, &out));
	EXPECT_EQ_U64(out, 1234);
	close(fd);
	ubf_obj_sweep();
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_GET_FD_BY_ID, &a));
	a.map_id = 0;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_GET_FD_BY_ID, &a));
	memset(&a, 0, sizeof(a));
	a.start_id = 0x7ffffffeu;	/* the last id Linux lets one ask past */
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_PROG_GET_NEXT_ID, &a));
	a.start_id = 0x7fffffffu;	/* Linux: start_id >= INT_MAX is EINVAL */
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_PROG_GET_NEXT_ID, &a));
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	sys_store_end(dir);
}

TEST(sys_dup_close_and_sweep)
{
	uint64_t v = 5, out = 0;
	struct bpf_map_info info;
	struct ubf_obj *obj, *again;
	uint32_t key = 0;
	union bpf_attr a;
	char dir[64];
	int fd, dfd;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(sys_map_info(fd, &info));
	dfd = dup(fd);
	ASSERT_OK(ubf_obj_get(fd, UBF_OBJ_MAP, &obj));
	ASSERT_OK(ubf_obj_get(dfd, UBF_OBJ_MAP, &again));
	EXPECT_TRUE(obj == again);
	EXPECT_ERR(-EINVAL, ubf_obj_get(fd, UBF_OBJ_BTF, &again));
	close(fd);
	ubf_obj_sweep();
	EXPECT_OK(sys_update(dfd, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(dfd, &key, &out));
	EXPECT_EQ_U64(out, 5);
	ASSERT_OK(ubf_obj_by_id(UBF_OBJ_MAP, info.id, &again));
	EXPECT_TRUE(obj == again);
	close(dfd);
	EXPECT_TRUE(ubf_obj_sweep() >= 1);
	EXPECT_ERR(-ENOENT, ubf_obj_by_id(UBF_OBJ_MAP, info.id, &again));
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_MAP_GET_FD_BY_ID, &a));
	/* an object a holder keeps is not swept */
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_OK(ubf_obj_get(fd, UBF_OBJ_MAP, &obj));
	ubf_obj_hold(obj);
	close(fd);
	ubf_obj_sweep();
	ASSERT_OK(ubf_obj_by_id(UBF_OBJ_MAP, obj->id, &again));
	EXPECT_TRUE(obj == again);
	fd = ubf_obj_new_fd(obj);
	ASSERT_TRUE(fd >= 0);
	ubf_obj_put(obj);
	EXPECT_OK(sys_lookup(fd, &key, &out));
	close(fd);
	EXPECT_TRUE(ubf_obj_sweep() >= 1);
	sys_store_end(dir);
}

TEST(sys_info_len_rule)
{
	uint8_t buf[sizeof(struct bpf_map_info) + 16];
	struct bpf_map_info *info = (void *)buf;
	union bpf_attr a;
	char dir[64];
	int fd, nul;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 3, 0);
	ASSERT_TRUE(fd >= 0);
	/* shorter: only that much is written, info_len stays */
	memset(buf, 0xee, sizeof(buf));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info = (uint64_t)(uintptr_t)buf;
	a.info.info_len = 8;
	ASSERT_OK(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ_INT(a.info.info_len, 8);
	EXPECT_EQ_INT(info->type, BPF_MAP_TYPE_ARRAY);
	EXPECT_EQ_INT(buf[8], 0xee);
	/* longer with a zero tail: our size written back */
	memset(buf, 0, sizeof(buf));
	a.info.info_len = sizeof(buf);
	ASSERT_OK(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ_INT(a.info.info_len, sizeof(struct bpf_map_info));
	EXPECT_EQ_INT(info->max_entries, 3);
	/* longer with a non-zero tail: E2BIG */
	buf[sizeof(buf) - 1] = 1;
	a.info.info_len = sizeof(buf);
	EXPECT_ERR(-E2BIG, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	/* bad pointer, bad fd (EBADFD as Linux), another kind of file */
	a.info.info_len = sizeof(*info);
	a.info.info = 0x18;
	EXPECT_ERR(-EFAULT, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	a.info.bpf_fd = 9999;
	EXPECT_ERR(-EBADFD, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	a.info.bpf_fd = (uint32_t)nul;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	close(nul);
	close(fd);
	sys_store_end(dir);
}

TEST(sys_objects_work_without_a_store_but_cannot_be_pinned)
{
	uint64_t v = 3, out = 0;
	uint32_t key = 0;
	int fd;

	/* a store that cannot exist: object files fall back to memfds */
	setenv("UBF_PIN_ROOT", "/proc/self/ubf-no-store", 1);
	fd = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(sys_update(fd, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(fd, &key, &out));
	EXPECT_EQ_U64(out, 3);
	EXPECT_ERR(-EOPNOTSUPP, sys_pin(fd, "/sys/fs/bpf/x"));
	close(fd);
	unsetenv("UBF_PIN_ROOT");
}
