// SPDX-License-Identifier: BSD-2-Clause
/*
 * raw_bpf.c - a statically linked program that makes raw bpf(2) system
 * calls and no others of libbpf's, for `userbpf exec` (tests/layers/exec.sh):
 * map create/update/lookup/next key, a miss that leaves the value buffer
 * alone, PROG_LOAD of a program whose lddw names the map, TEST_RUN, pin and
 * OBJ_GET through /sys/fs/bpf, GET_INFO with the map_ids array, a bad fd,
 * and statfs of /sys/fs/bpf.  One "ok NAME" or "FAIL NAME" line per check.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fails;

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static void check(const char *name, int cond)
{
	if (cond)
		printf("ok %s\n", name);
	else
		printf("FAIL %s: %s\n", name, strerror(errno));
	fails += !cond;
}

int main(int argc, char **argv)
{
	const char *pin = argc > 1 ? argv[1] : "/sys/fs/bpf/exec_raw_map";
	uint32_t key = 1, next = 0, map_ids[4] = { 0 };
	uint64_t value = 42, out = 0x5555;
	struct bpf_insn prog[] = {
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = 10, .off = -4, .imm = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4 },
		{ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD },
		{ 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 0, .off = 2 },
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 0, .src_reg = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 7 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	union bpf_attr a;
	char log[4096] = "", data[64] = { 0 };
	struct statfs st;
	int map, prog_fd, got;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 16;
	strcpy(a.map_name, "raw_map");
	map = (int)sys_bpf(BPF_MAP_CREATE, &a);
	check("map_create", map > 2);

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)map;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)&value;
	check("map_update", sys_bpf(BPF_MAP_UPDATE_ELEM, &a) == 0);
	a.value = (uint64_t)(uintptr_t)&out;
	check("map_lookup", sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) == 0 && out == 42);
	key = 2;
	out = 0x5555;
	check("map_lookup_miss", sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) == -1 && errno == ENOENT &&
				 out == 0x5555);
	a.key = 0;
	a.next_key = (uint64_t)(uintptr_t)&next;
	check("map_next_key", sys_bpf(BPF_MAP_GET_NEXT_KEY, &a) == 0 && next == 1);

	prog[3].imm = map;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	strcpy(a.prog_name, "raw_prog");
	prog_fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	check("prog_load", prog_fd > 2);
	if (prog_fd < 0)
		fprintf(stderr, "prog_load: %s: %s\n", strerror(errno), log);

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.data_in = (uint64_t)(uintptr_t)data;
	a.test.data_size_in = sizeof(data);
	a.test.repeat = 1;
	check("prog_test_run", sys_bpf(BPF_PROG_TEST_RUN, &a) == 0 && a.test.retval == 42);

	memset(&pinfo, 0, sizeof(pinfo));
	pinfo.nr_map_ids = 4;
	pinfo.map_ids = (uint64_t)(uintptr_t)map_ids;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)prog_fd;
	a.info.info_len = sizeof(pinfo);
	a.info.info = (uint64_t)(uintptr_t)&pinfo;
	check("prog_info", sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0 && pinfo.nr_map_ids == 1 &&
			   pinfo.map_ids == (uint64_t)(uintptr_t)map_ids &&
			   !strcmp(pinfo.name, "raw_prog"));
	memset(&minfo, 0, sizeof(minfo));
	a.info.bpf_fd = (uint32_t)map;
	a.info.info_len = sizeof(minfo);
	a.info.info = (uint64_t)(uintptr_t)&minfo;
	check("map_info", sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0 && minfo.id == map_ids[0] &&
			  minfo.key_size == 4 && a.info.info_len == sizeof(minfo));

	memset(&a, 0, sizeof(a));
	a.bpf_fd = (uint32_t)map;
	a.pathname = (uint64_t)(uintptr_t)pin;
	check("obj_pin", sys_bpf(BPF_OBJ_PIN, &a) == 0);
	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)pin;
	got = (int)sys_bpf(BPF_OBJ_GET, &a);
	out = 0;
	key = 1;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)got;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)&out;
	check("obj_get", got > 2 && got != map && sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) == 0 &&
			 out == 42);

	a.map_fd = 1000;
	check("bad_fd", sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) == -1 && errno == EBADF);
	a.map_fd = (uint32_t)map;
	a.value = 8;
	check("bad_pointer", sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) == -1 && errno == EFAULT);
	check("statfs_bpffs", statfs("/sys/fs/bpf", &st) == 0 && st.f_type == 0xcafe4a11);
	check("statfs_other", statfs("/", &st) == 0 && st.f_type != 0xcafe4a11);
	return fails ? 1 : 0;
}
