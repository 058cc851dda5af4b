// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sys_collect.c - holds are released when nothing reaches them, as
 * Linux frees an object nothing refers to: a program's map outlives the
 * map's fd while the program lives (open, pinned) and goes with it; a prog
 * array pinned by one process keeps the program another process put in it;
 * a mapping keeps a map; a perf event array keeps the perf events in its
 * slots; bpf(2) itself collects once holds pile up.  Each
 * check looks at the hold's file and asks for the object by id.
 */
#include "test_sys.h"

#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <userbpf/insn.h>

#include "sys/core.h"
#include "sys/emul.h"
#include "test.h"

/* r1 = map; r0 = 0; exit: a program that names @map and nothing else. */
static int load_naming(int map)
{
	struct ubf_raw_insn p[] = {
		UBF_INSN(0x18, 1, 1, 0, map), UBF_INSN(0, 0, 0, 0, 0),
		UBF_MOV64_IMM(0, 0),
		UBF_EXIT(),
	};

	return sys_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, UBF_ARRAY_SIZE(p));
}

static bool is_held(const char *dir, const char *kind, uint32_t id)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/.held/%s-%u", dir, kind, id);
	return !stat(path, &st);
}

/* GET_FD_BY_ID of @cmd for @id: closes the fd; true when the object still exists. */
static bool exists(int cmd, uint32_t id)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_id = id;	/* prog_id, map_id and link_id share the first word */
	fd = sys_bpf(cmd, &a);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* Release this process's registry of everything the test closed, then collect. */
static int collect(void)
{
	ubf_obj_sweep();
	return ubf_obj_collect();
}

TEST(sys_collect_releases_the_map_of_a_closed_program)
{
	uint32_t map_id, prog_id;
	char dir[64];
	int map, prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
	ASSERT_TRUE(map >= 0);
	prog = load_naming(map);
	ASSERT_TRUE(prog >= 0);
	map_id = sys_obj_id(map);
	prog_id = sys_obj_id(prog);
	ASSERT_TRUE(map_id && prog_id);
	close(map);
	EXPECT_TRUE(is_held(dir, "map", map_id));
	/* the program is open: its map stays */
	EXPECT_EQ_INT(collect(), 0);
	EXPECT_TRUE(is_held(dir, "map", map_id));
	EXPECT_TRUE(exists(BPF_MAP_GET_FD_BY_ID, map_id));
	close(prog);
	EXPECT_EQ_INT(collect(), 1);
	EXPECT_TRUE(!is_held(dir, "map", map_id));
	EXPECT_TRUE(!exists(BPF_MAP_GET_FD_BY_ID, map_id));
	EXPECT_TRUE(!exists(BPF_PROG_GET_FD_BY_ID, prog_id));
	sys_store_end(dir);
}

TEST(sys_collect_keeps_what_a_pin_reaches)
{
	char dir[64], pin[128];
	uint32_t map_id;
	int map, prog;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	ASSERT_TRUE(map >= 0);
	prog = load_naming(map);
	ASSERT_TRUE(prog >= 0);
	map_id = sys_obj_id(map);
	ASSERT_OK(sys_pin(prog, "/sys/fs/bpf/p"));
	close(prog);
	close(map);
	EXPECT_EQ_INT(collect(), 0);
	EXPECT_TRUE(is_held(dir, "map", map_id));
	prog = sys_obj_get("/sys/fs/bpf/p", 0);
	EXPECT_TRUE(prog >= 0);
	if (prog >= 0)
		close(prog);
	snprintf(pin, sizeof(pin), "%s/p", dir);
	ASSERT_OK(unlink(pin));
	EXPECT_EQ_INT(collect(), 1);
	EXPECT_TRUE(!exists(BPF_MAP_GET_FD_BY_ID, map_id));
	sys_store_end(dir);
}

TEST(sys_collect_follows_a_pinned_prog_array_to_another_process_program)
{
	uint32_t key = 0, prog_id = 0, slot = 0;
	int array, st, pipefd[2];
	char dir[64];
	pid_t pid;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	array = sys_map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0);
	ASSERT_TRUE(array >= 0);
	ASSERT_OK(sys_pin(array, "/sys/fs/bpf/jumps"));
	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		int a = sys_obj_get("/sys/fs/bpf/jumps", 0), m, p;
		uint32_t id;

		m = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
		p = m >= 0 ? load_naming(m) : -1;
		if (a < 0 || p < 0 || sys_update(a, &key, &p, BPF_ANY))
			_exit(1);
		id = sys_obj_id(p);
		_exit(write(pipefd[1], &id, 4) == 4 ? 0 : 1);
	}
	ASSERT_TRUE(read(pipefd[0], &prog_id, 4) == 4);
	ASSERT_TRUE(waitpid(pid, &st, 0) == pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(pipefd[0]);
	close(pipefd[1]);
	/* the child is gone; the pinned array still names its program */
	EXPECT_EQ_INT(collect(), 0);
	EXPECT_TRUE(exists(BPF_PROG_GET_FD_BY_ID, prog_id));
	EXPECT_OK(sys_lookup(array, &key, &slot));
	EXPECT_EQ_INT(slot, prog_id);
	{
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)array;
		a.key = (uint64_t)(uintptr_t)&key;
		EXPECT_OK(sys_bpf(BPF_MAP_DELETE_ELEM, &a));
	}
	/* the program and the map it names both go */
	EXPECT_EQ_INT(collect(), 2);
	EXPECT_TRUE(!exists(BPF_PROG_GET_FD_BY_ID, prog_id));
	close(array);
	sys_store_end(dir);
}

TEST(sys_collect_keeps_a_mapped_map)
{
	uint32_t map_id;
	char dir[64];
	int map, prog;
	void *mem;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_MMAPABLE);
	ASSERT_TRUE(map >= 0);
	prog = load_naming(map);
	ASSERT_TRUE(prog >= 0);
	map_id = sys_obj_id(map);
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, map, 0);
	ASSERT_TRUE(mem != MAP_FAILED);
	close(prog);
	close(map);
	EXPECT_EQ_INT(collect(), 0);
	EXPECT_TRUE(is_held(dir, "map", map_id));
	munmap(mem, 4096);
	EXPECT_EQ_INT(collect(), 1);
	EXPECT_TRUE(!is_held(dir, "map", map_id));
	sys_store_end(dir);
}

TEST(sys_collect_runs_by_itself_when_holds_pile_up)
{
	char dir[64], path[128];
	struct dirent *de;
	int i, map, prog, n = 0;
	DIR *d;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	for (i = 0; i < 200; i++) {
		map = sys_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
		ASSERT_TRUE(map >= 0);
		prog = load_naming(map);
		ASSERT_TRUE(prog >= 0);
		close(prog);
		close(map);
	}
	snprintf(path, sizeof(path), "%s/.held", dir);
	d = opendir(path);
	ASSERT_TRUE(d != NULL);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	/* 200 holds were made; a collection every 64 leaves fewer than 64 plus what it kept */
	EXPECT_TRUE(n < 100);
	sys_store_end(dir);
}

/* A child process puts a perf event in a perf event array, pinned when @pin; returns the event's id. */
static uint32_t child_fills_perf_array(bool pin)
{
	uint32_t id = 0;
	int pipefd[2], st;
	pid_t pid;

	if (pipe(pipefd))
		return 0;
	pid = fork();
	if (!pid) {
		struct perf_event_attr pa;
		uint32_t key = 0;
		long args[6] = { (long)&pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC, 0 };
		int array = sys_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1, 0), ev;
		char held[64];

		memset(&pa, 0, sizeof(pa));
		pa.size = sizeof(pa);
		pa.type = PERF_TYPE_SOFTWARE;
		pa.config = PERF_COUNT_SW_BPF_OUTPUT;
		pa.sample_type = PERF_SAMPLE_RAW;
		pa.sample_period = 1;
		ev = (int)ubf_emul_syscall(SYS_perf_event_open, args);
		if (array < 0 || ev < 0 || sys_update(array, &key, &ev, BPF_ANY) ||
		    (pin && sys_pin(array, "/sys/fs/bpf/events")))
			_exit(1);
		/* the event's id is the number in its hold's name */
		{
			DIR *d;
			struct dirent *de;

			snprintf(held, sizeof(held), "%s/.held", getenv("UBF_PIN_ROOT"));
			d = opendir(held);
			while (d && (de = readdir(d)))
				if (!strncmp(de->d_name, "perf-", 5))
					id = (uint32_t)strtoul(de->d_name + 5, NULL, 10);
			if (d)
				closedir(d);
		}
		_exit(write(pipefd[1], &id, 4) == 4 && id ? 0 : 1);
	}
	if (pid < 0 || read(pipefd[0], &id, 4) != 4)
		id = 0;
	if (pid > 0 && (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)))
		id = 0;
	close(pipefd[0]);
	close(pipefd[1]);
	return id;
}

TEST(sys_collect_follows_perf_event_arrays)
{
	char dir[64];
	uint32_t id;

	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	/* pinned: the array keeps its event after the child is gone */
	id = child_fills_perf_array(true);
	ASSERT_TRUE(id != 0);
	EXPECT_EQ_INT(collect(), 0);
	EXPECT_TRUE(is_held(dir, "perf", id));
	sys_store_end(dir);

	/* not pinned: the array went with the child, and so does the event */
	ASSERT_TRUE(sys_store_begin(dir, sizeof(dir)));
	id = child_fills_perf_array(false);
	ASSERT_TRUE(id != 0);
	EXPECT_TRUE(is_held(dir, "perf", id));
	EXPECT_EQ_INT(collect(), 1);
	EXPECT_TRUE(!is_held(dir, "perf", id));
	sys_store_end(dir);
}
