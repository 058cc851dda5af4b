// SPDX-License-Identifier: BSD-2-Clause
/*
 * core.c - CO-RE against a BTF this driver writes with libbpf's btf__add_*
 * and hands to bpf_object__open_file() as btf_custom_path: struct ubf_core_s
 * is { long long pad; int b; int pad2; int a; } there (b at 8, a at 20, 24
 * bytes, no field `gone`), unlike the program's view { a, b, gone }.  The
 * context passed to the run is laid out as the target says.
 */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

static int write_target_btf(const char *path)
{
	struct btf *btf = btf__new_empty();
	int i32, i64, st, err = -EINVAL;
	const void *raw;
	FILE *f = NULL;
	__u32 raw_sz;

	if (!btf)
		return -ENOMEM;
	i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	i64 = btf__add_int(btf, "long long", 8, BTF_INT_SIGNED);
	st = btf__add_struct(btf, "ubf_core_s", 24);
	if (i32 < 0 || i64 < 0 || st < 0 || btf__add_field(btf, "pad", i64, 0, 0) ||
	    btf__add_field(btf, "b", i32, 64, 0) || btf__add_field(btf, "pad2", i32, 96, 0) ||
	    btf__add_field(btf, "a", i32, 160, 0))
		goto err_free;
	raw = btf__raw_data(btf, &raw_sz);
	f = fopen(path, "wb");
	if (raw && f && fwrite(raw, 1, raw_sz, f) == raw_sz)
		err = 0;
	if (f && fclose(f))
		err = -errno;
err_free:
	btf__free(btf);
	return err;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	unsigned char ctx[24] = { 0 };
	char path[] = "/tmp/ubf-core-XXXXXX";
	__u32 *has, *size, *gone;
	struct bpf_object *obj;
	int fd, ret, a = 5, b = 7;
	struct drv d;

	drv_init(&d, argc, argv);
	fd = mkstemp(path);
	drv_check(fd >= 0 && !write_target_btf(path), "target_btf", "writing %s", path);
	if (fd < 0)
		return drv_done();
	close(fd);
	opts.btf_custom_path = path;
	obj = drv_load(&d, "core", &opts);
	unlink(path);
	if (!obj)
		return drv_done();
	memcpy(ctx + 8, &b, 4);
	memcpy(ctx + 20, &a, 4);
	{
		LIBBPF_OPTS(bpf_test_run_opts, topts, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
		struct bpf_program *p = bpf_object__find_program_by_name(obj, "core");

		ret = p ? drv_test_run(p, "core", &topts) : -ENOENT;
		drv_check(!ret, "core.test_run", "%s", strerror(errno));
		DRV_EQ("field_offsets_relocated", topts.retval, a * 1000 + b);
	}
	has = drv_var(obj, "has_field_info");
	size = drv_var(obj, "core_size");
	gone = drv_var(obj, "gone_exists");
	if (!has || !size || !gone) {
		drv_check(false, "core_globals", "global data or its BTF is missing");
		goto out;
	}
	if (!*has) {
		printf("SKIP type_size_relocated: compiler has no __builtin_preserve_type_info\n");
		printf("SKIP field_exists_relocated: compiler has no __builtin_preserve_field_info\n");
		goto out;
	}
	DRV_EQ("type_size_relocated", *size, 24);
	DRV_EQ("field_exists_relocated", *gone, 0);
out:
	drv_close(obj);
	return drv_done();
}
