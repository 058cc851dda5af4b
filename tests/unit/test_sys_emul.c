// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_emul.c - the emulation route.c and the preload library share
 * (sys/emul.h), called directly: bpf(2) through ubf_emul_syscall(), the
 * fdinfo, readlink and sysctl answers for userbpf objects and nothing else,
 * the bpffs view of /sys/fs/bpf (statfs magic, mkdir/rmdir/unlink/open/
 * stat/access in the store, nftw with the /sys/fs/bpf names handed back),
 * and pass-through for ordinary fds and paths.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "sys/emul.h"
#include "test.h"

#define BPF_FS_MAGIC_NR 0xcafe4a11

TEST(sys_emul_syscall_and_fdinfo)
{
	char dir[64], buf[1024], path[64], line[256];
	union bpf_attr attr;
	long a[6] = { 0 };
	int fd, nul, n;
	ssize_t len;
	FILE *f;
	bool seen_type = false, seen_pos = false;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 16;
	attr.max_entries = 3;
	a[0] = BPF_MAP_CREATE;
	a[1] = (long)&attr;
	a[2] = sizeof(attr);
	fd = (int)ubf_emul_syscall(SYS_bpf, a);
	ASSERT_TRUE(fd >= 0);
	EXPECT_EQ_INT(ubf_emul_syscall(SYS_getpid, a), getpid());

	n = ubf_emul_fdinfo(fd, buf, sizeof(buf));
	EXPECT_TRUE(n > 0);
	EXPECT_TRUE(strstr(buf, "map_type:\t2\nkey_size:\t4\nvalue_size:\t16\nmax_entries:\t3\n"));
	EXPECT_TRUE(strstr(buf, "map_id:\t") && strstr(buf, "frozen:\t0\n"));
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_ERR(-EBADF, ubf_emul_fdinfo(nul, buf, sizeof(buf)));
	EXPECT_ERR(-EBADF, ubf_emul_fdinfo(-1, buf, sizeof(buf)));

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = ubf_emul_readlink(path, buf, sizeof(buf));
	EXPECT_EQ_INT(len, strlen("anon_inode:bpf-map"));
	EXPECT_TRUE(!memcmp(buf, "anon_inode:bpf-map", 18));
	EXPECT_EQ_INT(ubf_emul_readlink(path, buf, 4), 4);	/* truncated, as readlink() */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", getpid(), nul);
	len = ubf_emul_readlink(path, buf, sizeof(buf));
	EXPECT_EQ_INT(len, strlen("/dev/null"));

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = ubf_emul_fopen(path, "re");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		seen_type |= !strcmp(line, "map_type:\t2\n");
		seen_pos |= !strncmp(line, "pos:", 4);
	}
	fclose(f);
	EXPECT_TRUE(seen_type && seen_pos);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", nul);
	f = ubf_emul_fopen(path, "r");
	ASSERT_TRUE(f != NULL);
	EXPECT_TRUE(fgets(line, sizeof(line), f) && !strncmp(line, "pos:", 4));
	while (fgets(line, sizeof(line), f))
		EXPECT_TRUE(strncmp(line, "map_type:", 9));
	fclose(f);
	f = ubf_emul_fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
	ASSERT_TRUE(f != NULL);
	EXPECT_TRUE(fgets(line, sizeof(line), f) && !strcmp(line, "0\n"));
	fclose(f);
	close(nul);
	EXPECT_OK(ubf_emul_close(fd));
	EXPECT_EQ_INT(ubf_emul_close(fd), -1);
	EXPECT_EQ_INT(errno, EBADF);
	sys_store_end(dir);
}

static int walk_seen;

static int walk_fn(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (!strcmp(p, "/sys/fs/bpf/d/m"))
		walk_seen++;
	if (strncmp(p, "/sys/fs/bpf", 11))
		walk_seen = -1000;	/* a store path leaked to the callback */
	return 0;
}

TEST(sys_emul_bpffs)
{
	char dir[64], path[128];
	struct statfs sfs;
	struct stat st;
	int fd, file;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	EXPECT_OK(ubf_emul_statfs("/sys/fs/bpf", &sfs));
	EXPECT_EQ_U64(sfs.f_type, BPF_FS_MAGIC_NR);
	EXPECT_OK(ubf_emul_mkdir("/sys/fs/bpf/d", 0700));
	snprintf(path, sizeof(path), "%s/d", dir);
	ASSERT_OK(stat(path, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ_INT(ubf_emul_mkdir("/sys/fs/bpf/d", 0700), -1);
	EXPECT_EQ_INT(errno, EEXIST);
	EXPECT_OK(ubf_emul_statfs("/sys/fs/bpf/d", &sfs));
	EXPECT_EQ_U64(sfs.f_type, BPF_FS_MAGIC_NR);
	fd = ubf_emul_openat(AT_FDCWD, "/sys/fs/bpf/d", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(ubf_emul_fstatfs(fd, &sfs));
	EXPECT_EQ_U64(sfs.f_type, BPF_FS_MAGIC_NR);
	close(fd);

	fd = sys_map_create(BPF_MAP_TYPE_HASH, 4, 4, 2, 0);
	ASSERT_TRUE(fd >= 0);
	EXPECT_OK(sys_pin(fd, "/sys/fs/bpf/d/m"));
	EXPECT_OK(ubf_emul_fstatat(AT_FDCWD, "/sys/fs/bpf/d/m", &st, 0));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_OK(ubf_emul_faccessat(AT_FDCWD, "/sys/fs/bpf/d/m", R_OK, 0));
	walk_seen = 0;
	EXPECT_OK(ubf_emul_nftw("/sys/fs/bpf/d", walk_fn, 4, FTW_PHYS));
	EXPECT_EQ_INT(walk_seen, 1);
	EXPECT_EQ_INT(ubf_emul_rmdir("/sys/fs/bpf/d"), -1);
	EXPECT_EQ_INT(errno, ENOTEMPTY);
	EXPECT_OK(ubf_emul_unlink("/sys/fs/bpf/d/m"));
	EXPECT_EQ_INT(ubf_emul_faccessat(AT_FDCWD, "/sys/fs/bpf/d/m", F_OK, 0), -1);
	EXPECT_EQ_INT(errno, ENOENT);
	EXPECT_OK(ubf_emul_rmdir("/sys/fs/bpf/d"));
	close(fd);

	/* pass-through: an ordinary path, and a name that only starts like bpffs */
	EXPECT_OK(ubf_emul_statfs("/", &sfs));
	EXPECT_TRUE(sfs.f_type != BPF_FS_MAGIC_NR);
	EXPECT_EQ_INT(ubf_emul_statfs("/sys/fs/bpfX", &sfs), -1);
	EXPECT_EQ_INT(errno, ENOENT);
	file = ubf_emul_openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
	EXPECT_TRUE(file >= 0);
	EXPECT_OK(ubf_emul_fstatfs(file, &sfs));
	EXPECT_TRUE(sfs.f_type != BPF_FS_MAGIC_NR);
	close(file);
	sys_store_end(dir);
}
