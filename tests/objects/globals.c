// SPDX-License-Identifier: BSD-2-Clause
/*
 * globals.c - loads globals.bpf.c with libbpf's object API: sets the const
 * volatile `scale` in .rodata before load, runs the program three times and
 * checks the return value, the context written back, the hash and array
 * maps through bpf_map_lookup_elem(), .data and .bss both through the
 * memory libbpf mapped and through lookups, and that .rodata is frozen.
 */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <userbpf/bpf.h>

static const __u32 inputs[] = { 3, 5, 11 };
#define SCALE 3

static void check_maps(struct bpf_object *obj)
{
	struct bpf_map *sq = bpf_object__find_map_by_name(obj, "squares");
	struct bpf_map *pairs = bpf_object__find_map_by_name(obj, "pairs");
	struct obj_pair pair = { 0 };
	__u32 k, i, idx = 1;
	__u64 v;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		k = inputs[i];
		v = 0;
		drv_check(sq && !bpf_map_lookup_elem(bpf_map__fd(sq), &k, &v) && v == (__u64)k * k,
			  "hash_value", "squares[%u] = %llu: %s", k, (unsigned long long)v,
			  strerror(errno));
	}
	k = 4;
	drv_check(sq && bpf_map_lookup_elem(bpf_map__fd(sq), &k, &v) && errno == ENOENT,
		  "hash_missing_key", "want ENOENT, got %s", strerror(errno));
	drv_check(pairs && !bpf_map_lookup_elem(bpf_map__fd(pairs), &idx, &pair) && pair.a == 11 &&
			  pair.b == 122,
		  "array_value", "pairs[1] = {%llu, %llu}", (unsigned long long)pair.a,
		  (unsigned long long)pair.b);
}

static void check_globals(struct bpf_object *obj)
{
	size_t data_sz = 0, bss_sz = 0;
	char *data = drv_global_data(obj, ".data", &data_sz);
	char *bss = drv_global_data(obj, ".bss", &bss_sz);
	long total_off = drv_var_offset(obj, ".data", "total");
	long calls_off = drv_var_offset(obj, ".bss", "calls");
	struct bpf_map *m;
	__u64 total = 0;
	__u32 calls = 0, zero = 0;
	char buf[64];

	drv_check(data && total_off >= 0 && bss && calls_off >= 0, "global_data_found",
		  "data %p (total at %ld), bss %p (calls at %ld)", (void *)data, total_off,
		  (void *)bss, calls_off);
	if (!data || total_off < 0 || !bss || calls_off < 0)
		return;
	memcpy(&total, data + total_off, sizeof(total));
	memcpy(&calls, bss + calls_off, sizeof(calls));
	DRV_EQ("data_mmap", total, 100 + 3 + 5 + 11);
	DRV_EQ("bss_mmap", calls, 3);
	bpf_object__for_each_map(m, obj) {
		const char *n = bpf_map__name(m);
		size_t vsz = bpf_map__value_size(m);

		if (vsz > sizeof(buf))
			continue;
		if (strstr(n, ".bss")) {
			memset(buf, 0, sizeof(buf));
			drv_check(!bpf_map_lookup_elem(bpf_map__fd(m), &zero, buf), "bss_lookup", "%s",
				  strerror(errno));
			memcpy(&calls, buf + calls_off, sizeof(calls));
			DRV_EQ("bss_lookup_value", calls, 3);
		} else if (strstr(n, ".rodata")) {
			memset(buf, 0, sizeof(buf));
			drv_check(bpf_map_update_elem(bpf_map__fd(m), &zero, buf, BPF_ANY) &&
					  errno == EPERM,
				  "rodata_frozen", "update of .rodata: want EPERM, got %s",
				  strerror(errno));
		}
	}
}

/*
 * libbpf loads BTF only where its feature probes said the kernel takes it
 * and silently drops it otherwise: the program and the maps must have it.
 */
static void check_info(struct bpf_object *obj)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "globals");
	struct bpf_map *sq = bpf_object__find_map_by_name(obj, "squares");
	struct bpf_prog_info pi = { 0 };
	struct bpf_map_info mi = { 0 };
	__u32 len;
	int err;

	len = sizeof(pi);
	err = prog ? bpf_obj_get_info_by_fd(bpf_program__fd(prog), &pi, &len) : -ENOENT;
	drv_check(!err && !strcmp(pi.name, "globals") && pi.type == BPF_PROG_TYPE_SYSCALL,
		  "prog_info", "err %d name %s type %u", err, pi.name, pi.type);
	drv_check(!err && pi.btf_id && pi.nr_func_info >= 2, "prog_has_btf",
		  "btf_id %u nr_func_info %u", pi.btf_id, pi.nr_func_info);
	len = sizeof(mi);
	err = sq ? bpf_obj_get_info_by_fd(bpf_map__fd(sq), &mi, &len) : -ENOENT;
	drv_check(!err && mi.btf_id && mi.btf_key_type_id && mi.btf_value_type_id,
		  "map_has_btf", "err %d btf_id %u key %u value %u", err, mi.btf_id,
		  mi.btf_key_type_id, mi.btf_value_type_id);
}

/*
 * libbpf's own pinning: bpf_map__pin() creates the parent directory and
 * insists on a bpffs (statfs); under routing /sys/fs/bpf/... is the store.
 */
static void check_pin(struct bpf_object *obj, const struct drv *d)
{
	const char *path = "/sys/fs/bpf/ubf-objects-test/squares";
	struct bpf_map *sq = bpf_object__find_map_by_name(obj, "squares");
	char store[512];
	__u32 k = 5;
	__u64 v = 0;
	int fd, err;

	if (!sq)
		return;
	err = bpf_map__pin(sq, path);
	drv_check(!err, "libbpf_pin", "bpf_map__pin(%s): %s", path, strerror(-err));
	if (err)
		return;
	/* the pin is a file in the store (bpffs for Linux) */
	snprintf(store, sizeof(store), "%s/ubf-objects-test/squares",
		 d->kernel ? "/sys/fs/bpf" : ubf_pin_root());
	drv_check(!access(store, F_OK), "pin_in_store", "%s: %s", store, strerror(errno));
	fd = bpf_obj_get(path);
	drv_check(fd >= 0 && !bpf_map_lookup_elem(fd, &k, &v) && v == 25, "pin_obj_get",
		  "fd %d value %llu: %s", fd, (unsigned long long)v, strerror(errno));
	if (fd >= 0)
		close(fd);
	err = bpf_map__unpin(sq, NULL);
	drv_check(!err && bpf_obj_get(path) < 0 && errno == ENOENT, "libbpf_unpin", "%s",
		  strerror(err ? -err : errno));
	snprintf(store, sizeof(store), "%s/ubf-objects-test",
		 d->kernel ? "/sys/fs/bpf" : ubf_pin_root());
	rmdir(store);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_map *rodata = NULL, *m;
	struct obj_args args;
	size_t sz = 0, i;
	long off;
	char *ro;
	int ret;
	struct drv d;

	drv_init(&d, argc, argv);
	obj = bpf_object__open_file(d.obj_path, NULL);
	drv_check(!libbpf_get_error(obj), "globals.open", "bpf_object__open_file failed");
	if (libbpf_get_error(obj))
		return drv_done();
	bpf_object__for_each_map(m, obj) {
		if (strstr(bpf_map__name(m), ".rodata"))
			rodata = m;
	}
	off = drv_var_offset(obj, ".rodata", "scale");
	/* before load this is the image libbpf copies into the map: writable */
	ro = rodata ? (char *)(uintptr_t)bpf_map__initial_value(rodata, &sz) : NULL;
	drv_check(ro && off >= 0 && (size_t)off + 4 <= sz, "rodata_before_load",
		  ".rodata %p size %zu, scale at %ld", (void *)ro, sz, off);
	if (ro && off >= 0)
		*(__u32 *)(void *)(ro + off) = SCALE;
	ret = bpf_object__load(obj);
	drv_check(!ret, "globals.load", "bpf_object__load: %s", strerror(-ret));
	if (ret)
		goto out;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		memset(&args, 0, sizeof(args));
		args.x = inputs[i];
		if (drv_run(obj, "globals", &args, &ret))
			break;
		DRV_EQ("retval", ret, inputs[i] * SCALE + 1);
		DRV_EQ("ctx_out", args.out, (__u64)inputs[i] * inputs[i] + inputs[i] * SCALE);
	}
	check_maps(obj);
	check_globals(obj);
	check_info(obj);
	check_pin(obj, &d);
out:
	drv_close(obj);
	return drv_done();
}
