/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_sys.h - what the bpf(2) tests share: a fresh store directory per
 * test (UBF_PIN_ROOT, removed afterwards), a bpf() wrapper that returns
 * -errno like the library's internal functions, and attr builders.
 */
#ifndef UBF_TEST_SYS_H
#define UBF_TEST_SYS_H

#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>

#include <userbpf/bpf.h>

static inline int sys_bpf(int cmd, union bpf_attr *attr)
{
	int r = ubf_bpf(cmd, attr, sizeof(*attr));

	return r < 0 ? -errno : r;
}

/* A fresh store for one test; sys_store_end() removes it. */
static inline const char *sys_store_begin(char *dir, size_t dir_sz)
{
	snprintf(dir, dir_sz, "/tmp/ubf-sys-test-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	setenv("UBF_PIN_ROOT", dir, 1);
	return dir;
}

static inline int sys_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void sys_store_end(const char *dir)
{
	if (dir)
		nftw(dir, sys_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	unsetenv("UBF_PIN_ROOT");
}

static inline int sys_map_create(uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t max,
				 uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ksz;
	a.value_size = vsz;
	a.max_entries = max;
	a.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &a);
}

static inline int sys_update(int fd, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static inline int sys_lookup(int fd, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

static inline int sys_pin(int fd, const char *path)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.bpf_fd = (uint32_t)fd;
	a.pathname = (uint64_t)(uintptr_t)path;
	return sys_bpf(BPF_OBJ_PIN, &a);
}

static inline int sys_obj_get(const char *path, uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)path;
	a.file_flags = flags;
	return sys_bpf(BPF_OBJ_GET, &a);
}

static inline int sys_map_info(int fd, struct bpf_map_info *info)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(info, 0, sizeof(*info));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
}

/* The id of the object behind @fd (id is the first field of every info struct), or 0. */
static inline uint32_t sys_obj_id(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(&info, 0, sizeof(info));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) ? 0 : info.id;
}

/* PROG_LOAD of @cnt instructions at @insns as a GPL program of @type: the fd or -errno. */
static inline int sys_prog_load(uint32_t type, const void *insns, uint32_t cnt)
{
	static const char gpl[] = "GPL";
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uint64_t)(uintptr_t)gpl;
	return sys_bpf(BPF_PROG_LOAD, &a);
}

#endif /* UBF_TEST_SYS_H */
