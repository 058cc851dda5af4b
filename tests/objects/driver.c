// SPDX-License-Identifier: BSD-2-Clause
/*
 * driver.c - the harness of the tests/objects drivers (see driver.h):
 * routing, loading with libbpf, test runs, reading global data through the
 * memory libbpf mapped, and the "ok"/"FAIL" lines the layer counts.
 */
#include "driver.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <userbpf/bpf.h>
#include <userbpf/libbpf.h>

static int passed, failed;

void drv_check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("ok %s\n", name);
		return;
	}
	failed++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

__attribute__((format(printf, 2, 0)))
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("UBF_TEST_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void drv_init(struct drv *d, int argc, char **argv)
{
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(d, 0, sizeof(*d));
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--kernel"))) {
		fprintf(stderr, "usage: %s OBJECT.o [--kernel]\n", argv[0]);
		exit(2);
	}
	d->obj_path = argv[1];
	d->kernel = argc == 3;
	libbpf_set_print(print_libbpf);
	if (d->kernel)
		return;
	err = ubf_libbpf_route();
	drv_check(!err, "route", "ubf_libbpf_route: %s", strerror(-err));
}

struct bpf_object *drv_load(struct drv *d, const char *what,
			    const struct bpf_object_open_opts *opts)
{
	struct bpf_object *obj;
	char name[128];
	int err;

	obj = bpf_object__open_file(d->obj_path, opts);
	err = libbpf_get_error(obj);
	snprintf(name, sizeof(name), "%s.open", what);
	drv_check(!err, name, "bpf_object__open_file(%s): %s", d->obj_path, strerror(-err));
	if (err)
		return NULL;
	err = bpf_object__load(obj);
	snprintf(name, sizeof(name), "%s.load", what);
	drv_check(!err, name, "bpf_object__load(%s): %s", d->obj_path, strerror(-err));
	if (err) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

void drv_eq(const char *name, uint64_t got, uint64_t want)
{
	drv_check(got == want, name, "got %lld (0x%llx), want %lld", (long long)got,
		  (unsigned long long)got, (long long)want);
}

int drv_run(struct bpf_object *obj, const char *prog_name, struct obj_args *args, int *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(*args));
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, prog_name);
	char name[128];
	int err;

	snprintf(name, sizeof(name), "%s.test_run", prog_name);
	if (!prog) {
		drv_check(false, name, "no program %s", prog_name);
		return -ENOENT;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err) {
		err = -errno;
		drv_check(false, name, "bpf_prog_test_run_opts: %s", strerror(-err));
		return err;
	}
	*retval = (int)opts.retval;
	return 0;
}

void *drv_global_data(struct bpf_object *obj, const char *sec, size_t *szp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), sz;
	struct bpf_map *map;
	const char *name;
	void *p;

	bpf_object__for_each_map(map, obj) {
		name = bpf_map__name(map);
		/* internal maps are named "<obj prefix>.<sec>" */
		if (strlen(name) < strlen(sec) || strcmp(name + strlen(name) - strlen(sec), sec))
			continue;
		sz = bpf_map__value_size(map);
		p = mmap(NULL, (sz + page - 1) / page * page, PROT_READ | PROT_WRITE, MAP_SHARED,
			 bpf_map__fd(map), 0);
		if (p == MAP_FAILED)
			return NULL;
		*szp = sz;
		return p;
	}
	return NULL;
}

long drv_var_offset(struct bpf_object *obj, const char *sec, const char *var)
{
	const struct btf_var_secinfo *vs;
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	int id, i;

	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (!strcmp(btf__name_by_offset(btf, v->name_off), var))
			return vs->offset;
	}
	return -1;
}

int drv_done(void)
{
	printf("driver: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

void *drv_var(struct bpf_object *obj, const char *var)
{
	static const char *const secs[] = { ".data", ".bss" };
	size_t i, sz;
	long off;
	char *p;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		off = drv_var_offset(obj, secs[i], var);
		if (off < 0)
			continue;
		p = drv_global_data(obj, secs[i], &sz);
		return p && (size_t)off < sz ? p + off : NULL;
	}
	return NULL;
}
