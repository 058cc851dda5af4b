// SPDX-License-Identifier: BSD-2-Clause
/*
 * id.c - the commands that find objects without an fd, and info:
 * PROG/MAP/BTF/LINK_GET_NEXT_ID and _GET_FD_BY_ID over everything this process
 * can reach (its own objects, pins, objects other processes of the user
 * hold open), and OBJ_GET_INFO_BY_FD, which applies Linux's info_len rule
 * and hands the object to its kind (programs: prog.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "sys/core.h"

/* Linux bpf_obj_get_next_id(): the smallest id above start_id. */
static int next_id(union bpf_attr *attr, enum ubf_obj_kind kind)
{
	uint32_t next;
	int err;

	if (attr->start_id >= INT_MAX)
		return -EINVAL;
	err = ubf_obj_next_id(kind, attr->start_id, &next);
	if (err)
		return err;
	attr->next_id = next;
	return 0;
}

int ubf_cmd_prog_get_next_id(union bpf_attr *attr)
{
	return next_id(attr, UBF_OBJ_PROG);
}

int ubf_cmd_map_get_next_id(union bpf_attr *attr)
{
	return next_id(attr, UBF_OBJ_MAP);
}

int ubf_cmd_btf_get_next_id(union bpf_attr *attr)
{
	return next_id(attr, UBF_OBJ_BTF);
}

int ubf_cmd_link_get_next_id(union bpf_attr *attr)
{
	return next_id(attr, UBF_OBJ_LINK);
}

int ubf_cmd_prog_get_fd_by_id(union bpf_attr *attr)
{
	return ubf_obj_fd_by_id(UBF_OBJ_PROG, attr->prog_id, O_RDWR);
}

int ubf_cmd_link_get_fd_by_id(union bpf_attr *attr)
{
	return ubf_obj_fd_by_id(UBF_OBJ_LINK, attr->link_id, O_RDWR);
}

int ubf_cmd_btf_get_fd_by_id(union bpf_attr *attr)
{
	return ubf_obj_fd_by_id(UBF_OBJ_BTF, attr->btf_id, O_RDWR);
}

int ubf_cmd_map_get_fd_by_id(union bpf_attr *attr)
{
	int mode;

	if (attr->open_flags & ~UBF_OBJ_FLAG_MASK)
		return -EINVAL;
	mode = ubf_sys_file_flag(attr->open_flags);
	if (mode < 0)
		return mode;
	return ubf_obj_fd_by_id(UBF_OBJ_MAP, attr->map_id, mode);
}

static int prog_info(struct ubf_obj *obj, union bpf_attr *attr)
{
	struct bpf_prog_info info;
	uint32_t copy_sz;
	int err;

	err = ubf_sys_info_prepare(attr, sizeof(info), &copy_sz);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	if (ubf_sys_copy_from_user(&info, ubf_u64_to_ptr(attr->info.info), copy_sz))
		return -EFAULT;
	err = ubf_sys_prog_info(obj, &info);
	if (err)
		return err;
	return ubf_sys_info_finish(attr, &info, copy_sz);
}

int ubf_cmd_obj_get_info_by_fd(union bpf_attr *attr)
{
	struct ubf_obj *obj;
	int err;

	err = ubf_obj_get((int)attr->info.bpf_fd, 0, &obj);
	if (err)
		return err == -EBADF ? -EBADFD : err;	/* Linux: fdget() failing is EBADFD here */
	switch (obj->kind) {
	case UBF_OBJ_MAP:
		return ubf_sys_map_info(obj, attr);
	case UBF_OBJ_PROG:
		return prog_info(obj, attr);
	case UBF_OBJ_BTF:
		return ubf_sys_btf_info(obj, attr);
	case UBF_OBJ_LINK:
		return ubf_sys_link_info(obj, attr);
	}
	return -EINVAL;
}
