// SPDX-License-Identifier: BSD-2-Clause
/*
 * driver.c - the harness of the tests/objects drivers (see driver.h):
 * routing, loading with libbpf, test runs, reading global data through the
 * memory libbpf mapped, the "ok"/"FAIL" lines the layer counts, and the
 * transcript of observations check-kernel compares (maps are dumped sorted
 * by key, per-CPU values summed word by word over the CPUs, and the values
 * of maps that hold object ids reduced to "present", since ids differ).
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
static FILE *transcript;

void drv_check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (transcript)
		fprintf(transcript, "check %s %s\n", name, ok ? "ok" : "FAIL");
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

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s OBJECT.o [--kernel] [--transcript FILE]\n", argv0);
	exit(2);
}

void drv_init(struct drv *d, int argc, char **argv)
{
	int err, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(d, 0, sizeof(*d));
	if (argc < 2)
		usage(argv[0]);
	d->obj_path = argv[1];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--kernel"))
			d->kernel = true;
		else if (!strcmp(argv[i], "--transcript") && i + 1 < argc)
			d->transcript = argv[++i];
		else
			usage(argv[0]);
	}
	libbpf_set_print(print_libbpf);
	if (!d->kernel) {
		err = ubf_libbpf_route();
		drv_check(!err, "route", "ubf_libbpf_route: %s", strerror(-err));
	}
	/* opened after the route check, which only one back end has */
	if (d->transcript) {
		transcript = fopen(d->transcript, "w");
		if (!transcript) {
			fprintf(stderr, "%s: %s\n", d->transcript, strerror(errno));
			exit(2);
		}
		setvbuf(transcript, NULL, _IOLBF, 0);
	}
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
	err = drv_test_run(prog, prog_name, &opts);
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
	if (transcript) {
		fprintf(transcript, "end\n");
		fclose(transcript);
		transcript = NULL;
	}
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

void drv_note(const char *fmt, ...)
{
	va_list ap;

	if (!transcript)
		return;
	fprintf(transcript, "note ");
	va_start(ap, fmt);
	vfprintf(transcript, fmt, ap);
	va_end(ap);
	fprintf(transcript, "\n");
}

static void put_hex(const char *label, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	fprintf(transcript, " %s=", label);
	for (i = 0; i < n; i++)
		fprintf(transcript, "%02x", b[i]);
	if (!n)
		fprintf(transcript, "-");
}

int drv_test_run(struct bpf_program *prog, const char *name, struct bpf_test_run_opts *opts)
{
	int err, saved;

	err = bpf_prog_test_run_opts(bpf_program__fd(prog), opts);
	saved = errno;
	if (transcript) {
		/* one record per line even when threads run programs at once (loop_lock) */
		flockfile(transcript);
		fprintf(transcript, "run %s err=%d", name, err ? saved : 0);
		if (!err) {
			fprintf(transcript, " retval=%u", opts->retval);
			if (opts->data_out)
				put_hex("data_out", opts->data_out, opts->data_size_out);
			if (opts->ctx_out)
				put_hex("ctx_out", opts->ctx_out, opts->ctx_size_out);
			else if (opts->ctx_in)	/* a syscall program writes ctx_in back */
				put_hex("ctx", opts->ctx_in, opts->ctx_size_in);
		}
		fprintf(transcript, "\n");
		funlockfile(transcript);
	}
	errno = saved;
	return err;
}

/* How a map's contents are recorded. */
enum dump_kind { DUMP_NONE, DUMP_PEEK, DUMP_IDS, DUMP_ELEMS, DUMP_PERCPU };

static const struct {
	enum bpf_map_type type;
	enum dump_kind kind;
} dump_kinds[] = {
	{ BPF_MAP_TYPE_RINGBUF, DUMP_NONE },
	{ BPF_MAP_TYPE_USER_RINGBUF, DUMP_NONE },
	{ BPF_MAP_TYPE_BLOOM_FILTER, DUMP_NONE },
	{ BPF_MAP_TYPE_QUEUE, DUMP_PEEK },
	{ BPF_MAP_TYPE_STACK, DUMP_PEEK },
	{ BPF_MAP_TYPE_PROG_ARRAY, DUMP_IDS },
	{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, DUMP_IDS },
	{ BPF_MAP_TYPE_ARRAY_OF_MAPS, DUMP_IDS },
	{ BPF_MAP_TYPE_HASH_OF_MAPS, DUMP_IDS },
	{ BPF_MAP_TYPE_PERCPU_HASH, DUMP_PERCPU },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, DUMP_PERCPU },
	{ BPF_MAP_TYPE_LRU_PERCPU_HASH, DUMP_PERCPU },
};

static enum dump_kind dump_kind(enum bpf_map_type type)
{
	size_t i;

	for (i = 0; i < sizeof(dump_kinds) / sizeof(dump_kinds[0]); i++)
		if (dump_kinds[i].type == type)
			return dump_kinds[i].kind;
	return DUMP_ELEMS;
}

#define DUMP_MAX_KEYS 4096

static size_t sort_key_size;

static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, sort_key_size);
}

/* Fold per-CPU copies into the first: a word-wise sum, independent of which CPU ran. */
static void fold_percpu(unsigned char *val, size_t vsz, int ncpu)
{
	size_t stride = (vsz + 7) / 8 * 8, w;
	uint64_t sum, x;
	int c;

	for (w = 0; w + 8 <= stride; w += 8) {
		sum = 0;
		for (c = 0; c < ncpu; c++) {
			memcpy(&x, val + (size_t)c * stride + w, 8);
			sum += x;
		}
		memcpy(val + w, &sum, 8);
	}
}

static void dump_elems(int fd, size_t ksz, size_t vsz, enum dump_kind kind)
{
	int ncpu = kind == DUMP_PERCPU ? libbpf_num_possible_cpus() : 1;
	size_t vbuf = kind == DUMP_PERCPU ? (vsz + 7) / 8 * 8 * (size_t)(ncpu > 0 ? ncpu : 1) :
					     vsz + 8;
	size_t rec = ksz + vbuf + sizeof(int), n = 0, i;
	unsigned char *recs = calloc(DUMP_MAX_KEYS, rec), *prev = NULL, *r;
	int err, end;

	if (!recs)
		return;
	while (n < DUMP_MAX_KEYS) {
		r = recs + n * rec;
		if (bpf_map_get_next_key(fd, prev, r))
			break;
		prev = r;
		n++;
	}
	end = n < DUMP_MAX_KEYS ? errno : 0;
	for (i = 0; i < n; i++) {
		r = recs + i * rec;
		err = bpf_map_lookup_elem(fd, r, r + ksz + sizeof(int)) ? errno : 0;
		memcpy(r + ksz, &err, sizeof(int));
	}
	sort_key_size = ksz;
	qsort(recs, n, rec, cmp_key);
	for (i = 0; i < n; i++) {
		r = recs + i * rec;
		memcpy(&err, r + ksz, sizeof(int));
		fprintf(transcript, "  elem");
		put_hex("key", r, ksz);
		if (err)
			fprintf(transcript, " lookup_err=%d", err);
		else if (kind == DUMP_IDS)
			fprintf(transcript, " present");
		else {
			if (kind == DUMP_PERCPU)
				fold_percpu(r + ksz + sizeof(int), vsz, ncpu);
			put_hex("value", r + ksz + sizeof(int), vsz);
		}
		fprintf(transcript, "\n");
	}
	fprintf(transcript, "  next_key_end=%d\n", end);
	free(recs);
}

static void dump_map(struct bpf_map *map)
{
	enum bpf_map_type type = bpf_map__type(map);
	enum dump_kind kind = dump_kind(type);
	size_t vsz = bpf_map__value_size(map);
	unsigned char *val;
	int fd = bpf_map__fd(map);

	fprintf(transcript, "map %s type=%d key=%u value=%u max=%u flags=0x%x\n",
		bpf_map__name(map), (int)type, bpf_map__key_size(map), bpf_map__value_size(map),
		bpf_map__max_entries(map), bpf_map__map_flags(map));
	if (fd < 0 || kind == DUMP_NONE)
		return;
	if (kind != DUMP_PEEK) {
		dump_elems(fd, bpf_map__key_size(map), vsz, kind);
		return;
	}
	val = calloc(1, vsz + 1);
	if (!val)
		return;
	if (bpf_map_lookup_elem(fd, NULL, val))
		fprintf(transcript, "  peek_err=%d\n", errno);
	else {
		fprintf(transcript, "  peek");
		put_hex("value", val, vsz);
		fprintf(transcript, "\n");
	}
	free(val);
}

void drv_close(struct bpf_object *obj)
{
	struct bpf_map *map;

	if (transcript && obj)
		bpf_object__for_each_map(map, obj)
			dump_map(map);
	bpf_object__close(obj);
}
