// SPDX-License-Identifier: BSD-2-Clause
/*
 * mapinmap.c - runs mapinmap.bpf.c: inner maps found through the
 * array_of_maps and the hash_of_maps libbpf filled, user-space lookups of
 * an outer slot giving the inner map's id (as Linux), a missing slot, and an
 * inner map the driver creates and inserts by fd.  The verifier follows the
 * lookups (the inner map template), so the program loads verified: its log
 * has the verifier's count and no word of the checked mode.  mim_lock takes
 * the spin lock of an inner map's value; an inner map without the
 * template's lock does not go into its outer map (Linux's
 * bpf_map_meta_equal()).
 */
#include "driver.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int run(struct bpf_object *obj, __u32 x, __u32 y, __u64 *out)
{
	struct obj_args a = { .x = x, .y = y };
	int ret = -100;

	drv_run(obj, "mim", &a, &ret);
	*out = a.out;
	return ret;
}

static __u64 inner_val(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);
	__u32 k = 0;
	__u64 v = ~0ull;

	if (!m || bpf_map_lookup_elem(bpf_map__fd(m), &k, &v))
		return ~0ull;
	return v;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static void check_user_inner(struct bpf_object *obj)
{
	struct bpf_map *outer = bpf_object__find_map_by_name(obj, "outer_hash");
	__u32 k = 9, k0 = 0;
	__u64 out = 0, v = 0;
	int fd, ret;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "mine", 4, 8, 4, NULL);
	drv_check(fd >= 0, "user_inner_create", "%s", strerror(errno));
	if (fd < 0 || !outer)
		return;
	drv_check(!bpf_map_update_elem(bpf_map__fd(outer), &k, &fd, BPF_ANY), "user_inner_insert",
		  "%s", strerror(errno));
	ret = run(obj, 9, 4, &out);
	DRV_EQ("user_inner.retval", ret, 0);
	DRV_EQ("user_inner.out", out, 4);
	drv_check(!bpf_map_lookup_elem(fd, &k0, &v) && v == 4, "user_inner.value", "value %llu",
		  (unsigned long long)v);
	close(fd);
}

static void check_locked(struct bpf_object *obj)
{
	struct bpf_map *outer = bpf_object__find_map_by_name(obj, "outer_locked");
	struct obj_args a = { .x = 2, .y = 5 };
	__u32 k0 = 0;
	int ret = -100, fd;

	drv_run(obj, "mim_lock", &a, &ret);
	DRV_EQ("locked.first.retval", ret, 0);
	DRV_EQ("locked.first.out", a.out, 5);
	a.y = 7;
	drv_run(obj, "mim_lock", &a, &ret);
	DRV_EQ("locked.second.out", a.out, 12);
	if (!outer)
		return;
	/* the same sizes without the lock: not the template */
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "nolock", 4, 16, 4, NULL);
	drv_check(fd >= 0, "nolock_create", "%s", strerror(errno));
	if (fd < 0)
		return;
	ret = bpf_map_update_elem(bpf_map__fd(outer), &k0, &fd, BPF_ANY);
	DRV_EQ("nolock_insert.errno", ret ? errno : 0, EINVAL);
	close(fd);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_map *outer, *in0;
	static char log[1 << 16];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log,
		    .kernel_log_size = sizeof(log), .kernel_log_level = 1);
	struct drv d;
	__u32 k = 0, id = 0;
	__u64 out;

	drv_init(&d, argc, argv);
	obj = drv_load(&d, "mapinmap", &opts);
	if (!obj)
		return drv_done();
	drv_check(strstr(log, "processed ") && !strstr(log, "checked mode"), "verified",
		  "the load log: %.300s", log);
	DRV_EQ("array_slot0.retval", run(obj, 0, 0, &out), 0);
	DRV_EQ("array_slot0.out", out, 1);
	DRV_EQ("array_slot1.retval", run(obj, 1, 0, &out), 0);
	DRV_EQ("hash_key3.retval", run(obj, 3, 5, &out), 0);
	DRV_EQ("hash_key3.out", out, 6);
	DRV_EQ("array_missing.retval", run(obj, 2, 0, &out), -1);
	DRV_EQ("hash_missing.retval", run(obj, 4, 1, &out), -1);
	DRV_EQ("in0.value", inner_val(obj, "in0"), 1);
	DRV_EQ("in1.value", inner_val(obj, "in1"), 6);
	outer = bpf_object__find_map_by_name(obj, "outer_arr");
	in0 = bpf_object__find_map_by_name(obj, "in0");
	if (outer && in0) {
		drv_check(!bpf_map_lookup_elem(bpf_map__fd(outer), &k, &id), "outer_lookup", "%s",
			  strerror(errno));
		DRV_EQ("outer_lookup_is_id", id, map_id(bpf_map__fd(in0)));
	}
	check_user_inner(obj);
	check_locked(obj);
	drv_close(obj);
	return drv_done();
}
