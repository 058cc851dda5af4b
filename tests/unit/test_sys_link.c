// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_link.c - links and application hook points: RAW_TRACEPOINT_OPEN
 * and its errnos, firing with 0, 1 and 3 programs attached (attach order,
 * the argument array as context), detach when the last fd closes (and not
 * while a dup or a pin remains), LINK_UPDATE/LINK_DETACH/LINK_CREATE as
 * Linux answers them for a raw tracepoint link, ids and info fields, a
 * pinned link reopened by a child process, attach and detach while other
 * threads fire, and the map rules: BPF_F_RDONLY/WRONLY restrict only the
 * creating fd, prog array owners, GET_NEXT_KEY on queues and stacks.
 */
#define _GNU_SOURCE
#include "test_sys.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>

#include <userbpf/hook.h>

#include "sys/sys.h"
#include "test.h"

/* v = v * 10 + k (+ args[0] when @use_arg) on value 0 of @map; returns 0. */
static int load_digit(int map, int32_t k, bool use_arg, uint32_t type)
{
	static const char gpl[] = "GPL";
	struct ubf_raw_insn p[] = {
		UBF_INSN(0x18, 2, 2, 0, map), UBF_INSN(0, 0, 0, 0, 0),	/* r2 = &value[0] */
		UBF_LDX(0x18, 3, 2, 0),					/* r3 = *r2 */
		UBF_INSN(0x27, 3, 0, 0, 10),				/* r3 *= 10 */
		UBF_ALU64_IMM(0x00, 3, k),				/* r3 += k */
		UBF_LDX(0x18, 4, 1, 0),					/* r4 = args[0] */
		UBF_ALU64_REG(0x00, 3, 4),				/* r3 += r4 */
		UBF_STX(0x18, 2, 3, 0),					/* *r2 = r3 */
		UBF_MOV64_IMM(0, 0), UBF_EXIT(),
	};
	union bpf_attr a;

	if (!use_arg)
		p[5] = (struct ubf_raw_insn)UBF_MOV64_IMM(4, 0);
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)p;
	a.insn_cnt = UBF_ARRAY_SIZE(p);
	a.license = (uint64_t)(uintptr_t)gpl;
	return sys_bpf(BPF_PROG_LOAD, &a);
}

static int tp_open(const char *name, int prog)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uint64_t)(uintptr_t)name;
	a.raw_tracepoint.prog_fd = (uint32_t)prog;
	return sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
}

static uint64_t value0(int map)
{
	uint32_t k = 0;
	uint64_t v = ~0ull;

	if (sys_lookup(map, &k, &v))
		return ~0ull;
	return v;
}

static void set_value0(int map, uint64_t v)
{
	uint32_t k = 0;

	sys_update(map, &k, &v, BPF_ANY);
}

/* Wait (up to 2 s) for the watcher to bring @tp to @want attached programs. */
static unsigned int wait_attached(struct ubf_tp *tp, unsigned int want)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	int i;

	for (i = 0; i < 2000 && ubf_tp_attached(tp) != want; i++)
		nanosleep(&ms, NULL);
	return ubf_tp_attached(tp);
}

static int link_info(int fd, struct bpf_link_info *info, char *name, uint32_t name_len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(info, 0, sizeof(*info));
	info->raw_tracepoint.tp_name = (uint64_t)(uintptr_t)name;
	info->raw_tracepoint.tp_name_len = name_len;
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
}

TEST(sys_link_tp_define_rules)
{
	char longname[UBF_TP_NAME_MAX + 1];
	struct ubf_tp *a, *b;

	EXPECT_ERR(-EINVAL, ubf_tp_define(NULL, &a));
	EXPECT_ERR(-EINVAL, ubf_tp_define("", &a));
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_ERR(-EINVAL, ubf_tp_define(longname, &a));
	longname[UBF_TP_NAME_MAX - 1] = '\0';
	EXPECT_OK(ubf_tp_define(longname, &a));
	ASSERT_OK(ubf_tp_define("test:define", &a));
	ASSERT_OK(ubf_tp_define("test:define", &b));
	EXPECT_TRUE(a == b);
	EXPECT_STREQ(ubf_tp_name(a), "test:define");
	EXPECT_EQ_INT(ubf_tp_attached(a), 0);
	EXPECT_EQ_INT(ubf_tp_fire(a, NULL, 0), 0);
}

TEST(sys_link_raw_tp_open_errnos)
{
	char dir[64];
	struct ubf_tp *tp;
	union bpf_attr a;
	int map, prog, xdp, nul;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_TRUE(map >= 0);
	prog = load_digit(map, 1, true, BPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_TRUE(prog >= 0);
	xdp = load_digit(map, 1, false, BPF_PROG_TYPE_XDP);
	ASSERT_TRUE(xdp >= 0);
	ASSERT_OK(ubf_tp_define("test:errnos", &tp));
	/* Linux: no such raw tracepoint */
	EXPECT_ERR(-ENOENT, tp_open("test:nobody-defined-this", prog));
	EXPECT_ERR(-EBADF, tp_open("test:errnos", 9999));
	EXPECT_ERR(-EINVAL, tp_open("test:errnos", map));
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_ERR(-EINVAL, tp_open("test:errnos", nul));
	close(nul);
	EXPECT_ERR(-EINVAL, tp_open("test:errnos", xdp));
	EXPECT_ERR(-EFAULT, tp_open((const char *)8, prog));
	/* CHECK_ATTR: nothing after raw_tracepoint.prog_fd */
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uint64_t)(uintptr_t)"test:errnos";
	a.raw_tracepoint.prog_fd = (uint32_t)prog;
	((uint8_t *)&a)[sizeof(a.raw_tracepoint)] = 1;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a));
	EXPECT_EQ_INT(ubf_tp_attached(tp), 0);
	close(xdp);
	close(prog);
	close(map);
	sys_store_end(dir);
}

TEST(sys_link_fire_0_1_3_in_attach_order)
{
	uint64_t args[3] = { 0, 7, 9 };
	int map, p[3], l[3], i;
	struct ubf_tp *tp;
	char dir[64];

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_tp_define("test:fire", &tp));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	ASSERT_TRUE(map >= 0);
	for (i = 0; i < 3; i++) {
		p[i] = load_digit(map, i + 1, true, BPF_PROG_TYPE_RAW_TRACEPOINT);
		ASSERT_TRUE(p[i] >= 0);
	}
	/* nothing attached: nothing runs, whatever the arguments */
	EXPECT_EQ_INT(ubf_tp_fire(tp, args, 3), 0);
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 99), 0);
	EXPECT_EQ_U64(value0(map), 0);
	/* one program: args[0] is its context's first u64 */
	l[0] = tp_open("test:fire", p[0]);
	ASSERT_TRUE(l[0] >= 0);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);
	args[0] = 5;
	EXPECT_EQ_INT(ubf_tp_fire(tp, args, 1), 1);
	EXPECT_EQ_U64(value0(map), 6);
	EXPECT_ERR(-EINVAL, ubf_tp_fire(tp, args, UBF_TP_ARGS_MAX + 1));
	/* no arguments: args[0] reads as zero (the verifier allows all 12 to be read) */
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 0), 1);
	EXPECT_EQ_U64(value0(map), 61);
	/* three programs run in attach order: 0 -> 1 -> 12 -> 123 */
	l[1] = tp_open("test:fire", p[1]);
	l[2] = tp_open("test:fire", p[2]);
	ASSERT_TRUE(l[1] >= 0 && l[2] >= 0);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 3);
	set_value0(map, 0);
	args[0] = 0;
	EXPECT_EQ_INT(ubf_tp_fire(tp, args, 3), 3);
	EXPECT_EQ_U64(value0(map), 123);
	/* the caller's array is a copy for each program: args[0] still 0 */
	EXPECT_EQ_U64(args[0], 0);
	for (i = 0; i < 3; i++)
		close(l[i]);
	EXPECT_EQ_INT(wait_attached(tp, 0), 0);
	set_value0(map, 0);
	EXPECT_EQ_INT(ubf_tp_fire(tp, args, 3), 0);
	EXPECT_EQ_U64(value0(map), 0);
	for (i = 0; i < 3; i++)
		close(p[i]);
	close(map);
	sys_store_end(dir);
}

TEST(sys_link_detach_on_last_close_dup_and_pin)
{
	char dir[64], path[128];
	struct ubf_tp *tp;
	int map, prog, link, dup1, again;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_tp_define("test:close", &tp));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	prog = load_digit(map, 1, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_TRUE(map >= 0 && prog >= 0);
	/* the program stays attached while the link lives, even with its own fd closed */
	link = tp_open("test:close", prog);
	ASSERT_TRUE(link >= 0);
	close(prog);
	ubf_obj_sweep();
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 0), 1);
	/* a dup shares the description: closing one of them keeps it */
	dup1 = dup(link);
	close(link);
	usleep(20000);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);
	/* another description (OBJ_GET of a pin) keeps it as well */
	EXPECT_OK(sys_pin(dup1, "/sys/fs/bpf/lnk"));
	again = sys_obj_get("/sys/fs/bpf/lnk", 0);
	ASSERT_TRUE(again >= 0);
	close(dup1);
	usleep(20000);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);
	/* only the pin now */
	close(again);
	usleep(20000);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 0), 1);
	/* unpinning drops the last reference: detached */
	snprintf(path, sizeof(path), "%s/lnk", dir);
	EXPECT_OK(unlink(path));
	EXPECT_EQ_INT(wait_attached(tp, 0), 0);
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 0), 0);
	EXPECT_EQ_U64(value0(map), 11);
	close(map);
	sys_store_end(dir);
}

TEST(sys_link_update_detach_create_errnos)
{
	char dir[64];
	struct ubf_tp *tp;
	union bpf_attr a;
	int map, prog, prog2, link, xdp;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_tp_define("test:update", &tp));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	prog = load_digit(map, 1, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	prog2 = load_digit(map, 2, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	xdp = load_digit(map, 2, false, BPF_PROG_TYPE_XDP);
	ASSERT_TRUE(map >= 0 && prog >= 0 && prog2 >= 0 && xdp >= 0);
	link = tp_open("test:update", prog);
	ASSERT_TRUE(link >= 0);

	/* LINK_UPDATE, in Linux's order of checks */
	memset(&a, 0, sizeof(a));
	a.link_update.link_fd = (uint32_t)link;
	a.link_update.new_prog_fd = (uint32_t)prog2;
	a.link_update.flags = 2;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_UPDATE, &a));
	a.link_update.flags = 0;
	a.link_update.link_fd = 9999;
	EXPECT_ERR(-EBADF, sys_bpf(BPF_LINK_UPDATE, &a));
	a.link_update.link_fd = (uint32_t)map;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_UPDATE, &a));
	a.link_update.link_fd = (uint32_t)link;
	a.link_update.new_prog_fd = 9999;
	EXPECT_ERR(-EBADF, sys_bpf(BPF_LINK_UPDATE, &a));
	a.link_update.new_prog_fd = (uint32_t)prog2;
	a.link_update.old_prog_fd = (uint32_t)prog;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_UPDATE, &a));	/* old_prog_fd without REPLACE */
	a.link_update.flags = BPF_F_REPLACE;
	a.link_update.old_prog_fd = 9999;
	EXPECT_ERR(-EBADF, sys_bpf(BPF_LINK_UPDATE, &a));
	a.link_update.old_prog_fd = (uint32_t)prog;
	/* Linux's raw tracepoint link has no update_prog */
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_UPDATE, &a));
	a.link_update.flags = 0;
	a.link_update.old_prog_fd = 0;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_UPDATE, &a));

	/* LINK_DETACH: no detach op either */
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = (uint32_t)link;
	EXPECT_ERR(-EOPNOTSUPP, sys_bpf(BPF_LINK_DETACH, &a));
	a.link_detach.link_fd = 9999;
	EXPECT_ERR(-EBADF, sys_bpf(BPF_LINK_DETACH, &a));
	a.link_detach.link_fd = (uint32_t)prog;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_DETACH, &a));
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 0), 1);

	/* LINK_CREATE: the program first, then a target user space has none of */
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = 9999;
	EXPECT_ERR(-EBADF, sys_bpf(BPF_LINK_CREATE, &a));
	a.link_create.prog_fd = (uint32_t)map;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_CREATE, &a));
	a.link_create.prog_fd = (uint32_t)xdp;
	a.link_create.attach_type = BPF_XDP;
	a.link_create.target_ifindex = 0;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_CREATE, &a));
	a.link_create.prog_fd = (uint32_t)prog;
	a.link_create.attach_type = BPF_TRACE_RAW_TP;
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_CREATE, &a));

	close(link);
	EXPECT_EQ_INT(wait_attached(tp, 0), 0);
	close(xdp);
	close(prog2);
	close(prog);
	close(map);
	sys_store_end(dir);
}

TEST(sys_link_ids_and_info)
{
	char dir[64], name[64];
	struct bpf_link_info info;
	uint32_t pid;
	struct ubf_tp *tp;
	union bpf_attr a;
	int map, prog, l1, l2, byid;
	uint32_t id1, id2;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_tp_define("test:info", &tp));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	prog = load_digit(map, 1, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_TRUE(map >= 0 && prog >= 0);
	pid = sys_obj_id(prog);
	ASSERT_TRUE(pid > 0);
	l1 = tp_open("test:info", prog);
	l2 = tp_open("test:info", prog);
	ASSERT_TRUE(l1 >= 0 && l2 >= 0);

	memset(name, 'z', sizeof(name));
	ASSERT_OK(link_info(l1, &info, name, sizeof(name)));
	EXPECT_EQ_INT(info.type, BPF_LINK_TYPE_RAW_TRACEPOINT);
	EXPECT_EQ_INT(info.prog_id, pid);
	EXPECT_TRUE(info.id > 0);
	EXPECT_STREQ(name, "test:info");
	EXPECT_EQ_INT(info.raw_tracepoint.tp_name_len, 10);
	id1 = info.id;
	ASSERT_OK(link_info(l2, &info, NULL, 0));
	EXPECT_EQ_INT(info.raw_tracepoint.tp_name_len, 10);
	id2 = info.id;
	EXPECT_TRUE(id2 > id1);
	/* Linux: a buffer without a length (or the reverse) is EINVAL; short is ENOSPC */
	EXPECT_ERR(-EINVAL, link_info(l1, &info, name, 0));
	EXPECT_ERR(-EINVAL, link_info(l1, &info, NULL, 5));
	memset(name, 'z', sizeof(name));
	EXPECT_ERR(-ENOSPC, link_info(l1, &info, name, 5));
	EXPECT_STREQ(name, "test");
	/* info_len below the struct: only that much is written back */
	memset(&a, 0, sizeof(a));
	memset(&info, 0xaa, sizeof(info));
	a.info.bpf_fd = (uint32_t)l1;
	a.info.info_len = 8;
	a.info.info = (uint64_t)(uintptr_t)&info;
	ASSERT_OK(sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	EXPECT_EQ_INT(a.info.info_len, 8);
	EXPECT_EQ_INT(info.type, BPF_LINK_TYPE_RAW_TRACEPOINT);
	EXPECT_EQ_INT(info.id, id1);
	EXPECT_EQ_INT(info.prog_id, 0xaaaaaaaau);

	/* ids */
	memset(&a, 0, sizeof(a));
	ASSERT_OK(sys_bpf(BPF_LINK_GET_NEXT_ID, &a));
	EXPECT_EQ_INT(a.next_id, id1);
	a.start_id = id1;
	ASSERT_OK(sys_bpf(BPF_LINK_GET_NEXT_ID, &a));
	EXPECT_EQ_INT(a.next_id, id2);
	a.start_id = id2;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_LINK_GET_NEXT_ID, &a));
	memset(&a, 0, sizeof(a));
	a.link_id = id2;
	byid = sys_bpf(BPF_LINK_GET_FD_BY_ID, &a);
	ASSERT_TRUE(byid >= 0);
	ASSERT_OK(link_info(byid, &info, NULL, 0));
	EXPECT_EQ_INT(info.id, id2);
	a.link_id = id2 + 100;
	EXPECT_ERR(-ENOENT, sys_bpf(BPF_LINK_GET_FD_BY_ID, &a));
	a.link_id = id1;
	a.next_id = 1;	/* CHECK_ATTR: nothing after link_id */
	EXPECT_ERR(-EINVAL, sys_bpf(BPF_LINK_GET_FD_BY_ID, &a));
	EXPECT_EQ_INT(ubf_tp_attached(tp), 2);
	close(l1);
	EXPECT_EQ_INT(wait_attached(tp, 1), 1);
	close(l2);
	usleep(20000);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);	/* byid is still open */
	close(byid);
	EXPECT_EQ_INT(wait_attached(tp, 0), 0);
	close(prog);
	close(map);
	sys_store_end(dir);
}

/* A child process opens the pinned link: same id, program, name. */
static int child_reads_pin(uint32_t want_id, uint32_t want_prog)
{
	struct bpf_link_info info;
	char name[64] = "";
	union bpf_attr a;
	int fd, byid;

	fd = sys_obj_get("/sys/fs/bpf/dir/link", 0);
	if (fd < 0)
		return 10;
	if (link_info(fd, &info, name, sizeof(name)))
		return 11;
	if (info.type != BPF_LINK_TYPE_RAW_TRACEPOINT || info.id != want_id ||
	    info.prog_id != want_prog || strcmp(name, "test:pinned"))
		return 12;
	if (sys_obj_get("/sys/fs/bpf/dir/link", BPF_F_RDONLY) != -EINVAL)
		return 13;
	memset(&a, 0, sizeof(a));
	a.link_id = want_id;
	byid = sys_bpf(BPF_LINK_GET_FD_BY_ID, &a);
	if (byid < 0)
		return 14;
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = (uint32_t)byid;
	if (sys_bpf(BPF_LINK_DETACH, &a) != -EOPNOTSUPP)
		return 15;
	close(byid);
	close(fd);
	return 0;
}

TEST(sys_link_pinned_reopened_in_child)
{
	char dir[64], path[128];
	struct bpf_link_info info;
	struct ubf_tp *tp;
	int map, prog, link, status;
	pid_t pid;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_tp_define("test:pinned", &tp));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	prog = load_digit(map, 4, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_TRUE(map >= 0 && prog >= 0);
	link = tp_open("test:pinned", prog);
	ASSERT_TRUE(link >= 0);
	snprintf(path, sizeof(path), "%s/dir", dir);
	ASSERT_OK(mkdir(path, 0700));
	ASSERT_OK(sys_pin(link, "/sys/fs/bpf/dir/link"));
	ASSERT_OK(link_info(link, &info, NULL, 0));
	close(link);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0)
		_exit(child_reads_pin(info.id, info.prog_id));
	ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ_INT(WEXITSTATUS(status), 0);
	/* the child's opens and closes left the pinned attachment alone */
	usleep(20000);
	EXPECT_EQ_INT(ubf_tp_attached(tp), 1);
	EXPECT_EQ_INT(ubf_tp_fire(tp, NULL, 0), 1);
	EXPECT_EQ_U64(value0(map), 4);
	snprintf(path, sizeof(path), "%s/dir/link", dir);
	EXPECT_OK(unlink(path));
	EXPECT_EQ_INT(wait_attached(tp, 0), 0);
	close(prog);
	close(map);
	sys_store_end(dir);
}

struct fire_ctx {
	struct ubf_tp *tp;
	volatile int stop;
	long fired;
	long errors;
};

static void *firer(void *arg)
{
	struct fire_ctx *c = arg;
	uint64_t args[1] = { 0 };
	int r;

	while (!c->stop) {
		r = ubf_tp_fire(c->tp, args, 1);
		if (r < 0 || r > 2)
			c->errors++;
		c->fired++;
	}
	return NULL;
}

TEST(sys_link_attach_detach_while_firing)
{
	struct fire_ctx c = { 0 };
	pthread_t th[2];
	char dir[64];
	int map, prog, link, i;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ASSERT_OK(ubf_tp_define("test:threads", &c.tp));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	prog = load_digit(map, 0, true, BPF_PROG_TYPE_RAW_TRACEPOINT);
	ASSERT_TRUE(map >= 0 && prog >= 0);
	for (i = 0; i < 2; i++)
		ASSERT_OK(pthread_create(&th[i], NULL, firer, &c));
	for (i = 0; i < 50; i++) {
		link = tp_open("test:threads", prog);
		if (link < 0)
			break;
		usleep(200);
		close(link);
		wait_attached(c.tp, 0);
	}
	c.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ_INT(i, 2);
	EXPECT_TRUE(link >= 0);
	EXPECT_EQ_INT(c.errors, 0);
	EXPECT_TRUE(c.fired > 0);
	EXPECT_EQ_INT(ubf_tp_attached(c.tp), 0);
	close(prog);
	close(map);
	sys_store_end(dir);
}

/* ---------------------------------------------------------------- map rules */

TEST(sys_link_map_rdonly_wronly_are_fd_modes)
{
	uint64_t v = 5, out = 0;
	struct bpf_map_info info;
	uint32_t key = 0;
	union bpf_attr a;
	char dir[64];
	int ro, wo, other;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	ro = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_RDONLY);
	ASSERT_TRUE(ro >= 0);
	EXPECT_ERR(-EPERM, sys_update(ro, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(ro, &key, &out));
	ASSERT_OK(sys_map_info(ro, &info));
	EXPECT_EQ_INT(info.map_flags & (BPF_F_RDONLY | BPF_F_WRONLY), 0);
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	other = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a);
	ASSERT_TRUE(other >= 0);
	EXPECT_OK(sys_update(other, &key, &v, BPF_ANY));
	EXPECT_OK(sys_lookup(ro, &key, &out));
	EXPECT_EQ_U64(out, 5);
	close(other);
	close(ro);

	wo = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_WRONLY);
	ASSERT_TRUE(wo >= 0);
	EXPECT_OK(sys_update(wo, &key, &v, BPF_ANY));
	EXPECT_ERR(-EPERM, sys_lookup(wo, &key, &out));
	ASSERT_OK(sys_map_info(wo, &info));
	EXPECT_EQ_INT(info.map_flags & (BPF_F_RDONLY | BPF_F_WRONLY), 0);
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	other = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a);
	ASSERT_TRUE(other >= 0);
	out = 0;
	EXPECT_OK(sys_lookup(other, &key, &out));
	EXPECT_EQ_U64(out, 5);
	close(other);
	close(wo);
	EXPECT_ERR(-EINVAL, sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1,
					   BPF_F_RDONLY | BPF_F_WRONLY));
	sys_store_end(dir);
}

static int sys_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	return sys_bpf(BPF_MAP_DELETE_ELEM, &a);
}

TEST(sys_link_prog_array_owner)
{
	uint32_t k0 = 0, k1 = 1, k2 = 2;
	int32_t fd;
	char dir[64];
	int map, pa, raw, raw2, xdp;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	pa = sys_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	raw = load_digit(map, 1, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	raw2 = load_digit(map, 2, false, BPF_PROG_TYPE_RAW_TRACEPOINT);
	xdp = load_digit(map, 1, false, BPF_PROG_TYPE_XDP);
	ASSERT_TRUE(map >= 0 && pa >= 0 && raw >= 0 && raw2 >= 0 && xdp >= 0);
	fd = raw;
	EXPECT_OK(sys_update(pa, &k0, &fd, BPF_ANY));
	fd = xdp;
	EXPECT_ERR(-EINVAL, sys_update(pa, &k1, &fd, BPF_ANY));
	fd = raw2;
	EXPECT_OK(sys_update(pa, &k1, &fd, BPF_ANY));
	/* the owner stays even when every slot is empty again (Linux's map->owner) */
	EXPECT_OK(sys_delete(pa, &k0));
	fd = xdp;
	EXPECT_ERR(-EINVAL, sys_update(pa, &k2, &fd, BPF_ANY));
	close(xdp);
	close(raw2);
	close(raw);
	close(pa);
	close(map);
	sys_store_end(dir);
}

TEST(sys_link_queue_stack_get_next_key_einval)
{
	uint32_t types[2] = { BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_STACK };
	uint64_t v = 1, next;
	union bpf_attr a;
	char dir[64];
	int fd, i;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	for (i = 0; i < 2; i++) {
		fd = sys_map_create(types[i], 0, 8, 4, 0);
		ASSERT_TRUE(fd >= 0);
		EXPECT_OK(sys_update(fd, NULL, &v, BPF_ANY));
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd;
		a.next_key = (uint64_t)(uintptr_t)&next;
		EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_GET_NEXT_KEY, &a));
		a.key = (uint64_t)(uintptr_t)&v;
		EXPECT_ERR(-EINVAL, sys_bpf(BPF_MAP_GET_NEXT_KEY, &a));
		close(fd);
	}
	sys_store_end(dir);
}
