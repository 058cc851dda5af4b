// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf.c - BTF objects: BTF_LOAD (the blob is validated by libbpf's
 * btf__new(), after the header checks Linux makes first, with Linux's
 * btf_log_buf/size/level rules), the object file (the raw blob from
 * offset 0, the header in the last page), reopening one from any fd, BTF
 * info, and ubf_sys_btf_get() for the other commands.  We parse nothing
 * ourselves beyond the fixed header.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <linux/btf.h>

#include "sys/core.h"

/* Linux's BTF_MAX_SIZE and the log rules of bpf_verifier_log_attr_valid() (6.1). */
#define BTF_MAX_SIZE (16u * 1024 * 1024)
#define LOG_SIZE_MIN 128u
#define LOG_LEVEL_MASK 7u

static struct ubf_sys_btf *to_btf(struct ubf_obj *obj)
{
	return ubf_container_of(obj, struct ubf_sys_btf, obj);
}

/* ---------------------------------------------------------------- the log */

/*
 * Messages are collected whole; the caller's buffer gets what fits (always
 * NUL-terminated) and a log that did not fit fails the load with ENOSPC,
 * as Linux 6.1 does.
 */
struct btf_log {
	uint32_t level;
	char *text;
	size_t len;
	size_t cap;
};

__attribute__((format(printf, 2, 3))) static void log_add(struct btf_log *log, const char *fmt,
							   ...)
{
	va_list ap;
	size_t need;
	char *p;
	int n;

	if (!log->level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	need = log->len + (size_t)n + 1;
	if (need > log->cap) {
		p = realloc(log->text, need * 2);
		if (!p)
			return;
		log->text = p;
		log->cap = need * 2;
	}
	va_start(ap, fmt);
	vsnprintf(log->text + log->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	log->len += (size_t)n;
}

static int log_check_attr(const union bpf_attr *attr)
{
	if (!attr->btf_log_level && !attr->btf_log_buf && !attr->btf_log_size)
		return 0;
	if (attr->btf_log_size < LOG_SIZE_MIN || attr->btf_log_size > UINT_MAX >> 2 ||
	    !attr->btf_log_level || !attr->btf_log_buf || (attr->btf_log_level & ~LOG_LEVEL_MASK))
		return -EINVAL;
	return 0;
}

/* Copy the log out: @err, or -ENOSPC when it was cut, or -EFAULT. */
static int log_finish(struct btf_log *log, const union bpf_attr *attr, int err)
{
	size_t n;

	if (!log->level || !log->len)
		goto out;
	n = log->len < attr->btf_log_size - 1 ? log->len : attr->btf_log_size - 1;
	log->text[n] = '\0';
	if (ubf_sys_copy_to_user(ubf_u64_to_ptr(attr->btf_log_buf), log->text, n + 1))
		err = -EFAULT;
	else if (!err && n < log->len)
		err = -ENOSPC;
out:
	free(log->text);
	return err;
}

/* ---------------------------------------------------------------- parsing */

static const char *const kind_names[] = {
	"UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
	"VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT",
	"DECL_TAG", "TYPE_TAG", "ENUM64",
};

/* The header checks of Linux btf_parse_hdr(), with its errno. */
static int check_hdr(const void *data, uint32_t size, struct btf_log *log)
{
	struct btf_header h = { 0 };

	if (size < offsetof(struct btf_header, hdr_len) + sizeof(h.hdr_len)) {
		log_add(log, "hdr_len not found\n");
		return -EINVAL;
	}
	memcpy(&h, data, size < sizeof(h) ? size : sizeof(h));
	if (h.hdr_len > size) {
		log_add(log, "btf_header not found\n");
		return -EINVAL;
	}
	log_add(log, "magic: 0x%x\nversion: %u\nflags: 0x%x\nhdr_len: %u\ntype_off: %u\n"
		"type_len: %u\nstr_off: %u\nstr_len: %u\nbtf_total_size: %u\n",
		h.magic, h.version, h.flags, h.hdr_len, h.type_off, h.type_len, h.str_off,
		h.str_len, size);
	if (h.magic != BTF_MAGIC) {
		log_add(log, "Invalid magic\n");
		return -EINVAL;
	}
	if (h.version != BTF_VERSION) {
		log_add(log, "Unsupported version\n");
		return -UBF_ENOTSUPP;
	}
	if (h.flags) {
		log_add(log, "Unsupported flags\n");
		return -UBF_ENOTSUPP;
	}
	if (!h.str_len) {
		log_add(log, "No string section\n");
		return -EINVAL;
	}
	return 0;
}

static int parse(const void *data, uint32_t size, struct btf_log *log, struct btf **btfp)
{
	const struct btf_type *t;
	struct btf *btf;
	uint32_t id, cnt;
	int err;

	err = check_hdr(data, size, log);
	if (err)
		return err;
	btf = btf__new(data, size);
	err = btf ? 0 : -errno;
	if (err) {
		log_add(log, "btf: libbpf rejected the blob (%d bytes): %s\n", (int)size,
			strerror(-err));
		return -EINVAL;
	}
	cnt = btf__type_cnt(btf);
	for (id = 1; id < cnt; id++) {
		t = btf__type_by_id(btf, id);
		log_add(log, "[%u] %s %s\n", id,
			btf_kind(t) < UBF_ARRAY_SIZE(kind_names) ? kind_names[btf_kind(t)] : "?",
			btf__name_by_offset(btf, t->name_off));
	}
	*btfp = btf;
	return 0;
}

/* ---------------------------------------------------------------- objects */

static size_t file_size(uint32_t btf_size)
{
	size_t page = ubf_shm_page_size();

	return (size_t)ubf_round_up(btf_size ? btf_size : 1, page) + page;
}

static int map_hdr(int fd, size_t file_sz, struct ubf_btf_file_hdr **hp)
{
	size_t page = ubf_shm_page_size();
	void *p;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)(file_sz - page));
	if (p == MAP_FAILED)
		return -errno;
	*hp = p;
	return 0;
}

static void free_btf(struct ubf_sys_btf *b)
{
	if (!b)
		return;
	if (b->obj.hdr)
		munmap(b->obj.hdr, ubf_shm_page_size());
	btf__free(b->btf);
	free(b->data);
	free(b);
}

void ubf_sys_btf_release(struct ubf_obj *obj)
{
	free_btf(to_btf(obj));
}

/* Write the blob and the header to a fresh store file. */
static int make_file(struct ubf_sys_btf *b, int *fdp)
{
	size_t sz = file_size(b->data_sz);
	struct ubf_btf_file_hdr *h = NULL;
	int fd, err;

	err = ubf_store_file(sz, &fd);
	if (err)
		return err;
	if (pwrite(fd, b->data, b->data_sz, 0) != (ssize_t)b->data_sz) {
		err = -EIO;
		goto err_close;
	}
	err = map_hdr(fd, sz, &h);
	if (err)
		goto err_close;
	h->btf_size = b->data_sz;
	ubf_store_obj_init(&h->obj, UBF_BTF_MAGIC, sizeof(*h), UBF_OBJ_BTF);
	b->obj.hdr = &h->obj;
	*fdp = fd;
	return 0;

err_close:
	close(fd);
	return err;
}

static int load(const union bpf_attr *attr, struct btf_log *log, struct ubf_sys_btf **bp)
{
	struct ubf_sys_btf *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	b->data_sz = attr->btf_size;
	b->data = malloc(b->data_sz ? b->data_sz : 1);
	if (!b->data) {
		err = -ENOMEM;
		goto err_free;
	}
	if (ubf_sys_copy_from_user(b->data, ubf_u64_to_ptr(attr->btf), b->data_sz)) {
		err = -EFAULT;
		goto err_free;
	}
	err = parse(b->data, b->data_sz, log, &b->btf);
	if (err)
		goto err_free;
	*bp = b;
	return 0;

err_free:
	free_btf(b);
	return err;
}

int ubf_cmd_btf_load(union bpf_attr *attr)
{
	struct btf_log log = { .level = attr->btf_log_level };
	struct ubf_sys_btf *b = NULL;
	int err, fd, own;

	if (attr->btf_size > BTF_MAX_SIZE)
		return -E2BIG;
	err = log_check_attr(attr);
	if (err)
		return err;
	err = load(attr, &log, &b);
	err = log_finish(&log, attr, err);
	if (err)
		goto err_free;
	err = make_file(b, &own);
	if (err)
		goto err_free;
	b->obj.kind = UBF_OBJ_BTF;
	b->obj.fd = own;
	b->obj.id = b->obj.hdr->id;
	ubf_obj_hold(&b->obj);	/* until the caller has its fd */
	err = ubf_obj_register(&b->obj, own);
	if (err) {
		close(own);
		goto err_free;
	}
	fd = ubf_obj_new_fd(&b->obj);
	ubf_obj_put(&b->obj);
	return fd;

err_free:
	free_btf(b);
	return err;
}

int ubf_sys_btf_open(int fd, struct ubf_obj **objp)
{
	struct ubf_sys_btf *b = calloc(1, sizeof(*b));
	struct ubf_btf_file_hdr *h = NULL;
	struct btf_log log = { 0 };
	struct stat st;
	int err;

	if (!b)
		return -ENOMEM;
	err = fstat(fd, &st) ? -EBADF : map_hdr(fd, (size_t)st.st_size, &h);
	if (err)
		goto err_free;
	b->obj.hdr = &h->obj;
	b->data_sz = h->btf_size;
	if (h->obj.hdr_sz != sizeof(*h) || file_size(b->data_sz) != (size_t)st.st_size) {
		err = -EINVAL;
		goto err_free;
	}
	b->data = malloc(b->data_sz ? b->data_sz : 1);
	if (!b->data) {
		err = -ENOMEM;
		goto err_free;
	}
	if (pread(fd, b->data, b->data_sz, 0) != (ssize_t)b->data_sz) {
		err = -EINVAL;
		goto err_free;
	}
	err = parse(b->data, b->data_sz, &log, &b->btf);
	if (err)
		goto err_free;
	*objp = &b->obj;
	return 0;

err_free:
	free_btf(b);
	return err;
}

int ubf_sys_btf_get(int fd, struct btf **btfp)
{
	struct ubf_obj *obj;
	int err;

	err = ubf_obj_get(fd, UBF_OBJ_BTF, &obj);
	if (err)
		return err;
	*btfp = to_btf(obj)->btf;
	return 0;
}

/* Linux bpf_btf_get_info_by_fd(): user BTF has an empty name. */
int ubf_sys_btf_info(struct ubf_obj *obj, union bpf_attr *attr)
{
	struct ubf_sys_btf *b = to_btf(obj);
	struct bpf_btf_info info;
	uint32_t copy_sz, n;
	char zero = '\0';
	int err, ret = 0;

	err = ubf_sys_info_prepare(attr, sizeof(info), &copy_sz);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	if (ubf_sys_copy_from_user(&info, ubf_u64_to_ptr(attr->info.info), copy_sz))
		return -EFAULT;
	info.id = obj->id;
	n = info.btf_size < b->data_sz ? info.btf_size : b->data_sz;
	if (ubf_sys_copy_to_user(ubf_u64_to_ptr(info.btf), b->data, n))
		return -EFAULT;
	info.btf_size = b->data_sz;
	info.kernel_btf = 0;
	if (!info.name != !info.name_len)
		return -EINVAL;
	if (info.name && ubf_sys_copy_to_user(ubf_u64_to_ptr(info.name), &zero, 1))
		return -EFAULT;
	info.name_len = 0;
	err = ubf_sys_info_finish(attr, &info, copy_sz);
	return err ? err : ret;
}

/* ---------------------------------------------------------------- the kernel's BTF */

static struct {
	pthread_once_t once;
	struct btf *btf;
	int err;
	char path[PATH_MAX];
} vmlinux = { .once = PTHREAD_ONCE_INIT };

static void vmlinux_load(void)
{
	const char *env = getenv("UBF_VMLINUX_BTF");

	snprintf(vmlinux.path, sizeof(vmlinux.path), "%s",
		 env && *env ? env : "/sys/kernel/btf/vmlinux");
	vmlinux.btf = btf__parse(vmlinux.path, NULL);
	vmlinux.err = vmlinux.btf ? 0 : -errno;
	if (!vmlinux.btf && !vmlinux.err)
		vmlinux.err = -EINVAL;
}

const struct btf *ubf_sys_vmlinux_btf(void)
{
	pthread_once(&vmlinux.once, vmlinux_load);
	return vmlinux.btf;
}

const char *ubf_sys_vmlinux_btf_path(int *err)
{
	pthread_once(&vmlinux.once, vmlinux_load);
	*err = vmlinux.err;
	return vmlinux.path;
}
