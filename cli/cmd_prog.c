// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_prog.c - `userbpf prog`: bpftool's program commands (load, loadall,
 * show, dump xlated, run, tracelog) on userbpf's bpf(2).  Objects are
 * opened and loaded by libbpf routed to userbpf, pins are userbpf pins, and
 * output follows bpftool's plain and JSON formats.  `dump xlated` is
 * cmd_prog_dump.c.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "json.h"

#define MAX_MAP_IDS 64

/* ---- finding programs ---- */

static int prog_info(int fd, struct bpf_prog_info *info, uint32_t *map_ids, uint32_t map_cnt)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (map_ids) {
		info->nr_map_ids = map_cnt;
		info->map_ids = (uint64_t)(uintptr_t)map_ids;
	}
	return bpf_obj_get_info_by_fd(fd, info, &len);
}

static void tag_str(const uint8_t *tag, char *buf)
{
	int i;

	for (i = 0; i < BPF_TAG_SIZE; i++)
		sprintf(buf + 2 * i, "%02x", tag[i]);
}

static int prog_ident(int fd, uint32_t *id, char *name, char *tag)
{
	struct bpf_prog_info info;

	if (prog_info(fd, &info, NULL, 0))
		return -1;
	*id = info.id;
	if (name)
		memcpy(name, info.name, sizeof(info.name));
	if (tag)
		tag_str(info.tag, tag);
	return 0;
}

const struct ubf_cli_handle_kind ubf_cli_prog = {
	.usage = "PROG (id ID, pinned FILE, tag TAG or name NAME)",
	.words = "'id', 'tag', 'name' or 'pinned'",
	.id_what = "prog id",
	.id_err = "get by id",
	.not_kind = "not a program",
	.anon_inode = "anon_inode:bpf-prog",
	.no_name = "no program with name",
	.no_tag = "no program with tag",
	.several = "several programs match this handle",
	.fd_by_id = bpf_prog_get_fd_by_id,
	.next_id = bpf_prog_get_next_id,
	.ident = prog_ident,
};

/* ---- show ---- */

/* Linux's load_time counts from boot; bpftool shows it as wall-clock time. */
static time_t load_wallclock(uint64_t load_ns)
{
	struct timespec real, boot;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return real.tv_sec - boot.tv_sec + (time_t)(load_ns / 1000000000ull);
}

static void show_plain(int fd, const struct bpf_prog_info *info, const uint32_t *map_ids)
{
	char memlock[32];
	const char *type = libbpf_bpf_prog_type_str(info->type);
	char tag[2 * BPF_TAG_SIZE + 1], when[32];
	struct tm tm;
	time_t t;
	uint32_t i;

	tag_str(info->tag, tag);
	printf("%u: ", info->id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", info->type);
	if (*info->name)
		printf("name %s  ", info->name);
	printf("tag %s", tag);
	if (info->gpl_compatible)
		printf("  gpl");
	if (info->run_time_ns)
		printf(" run_time_ns %llu run_cnt %llu", (unsigned long long)info->run_time_ns,
		       (unsigned long long)info->run_cnt);
	printf("\n");
	if (info->load_time) {
		t = load_wallclock(info->load_time);
		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%FT%T%z", &tm);
		printf("\tloaded_at %s  uid %u\n", when, info->created_by_uid);
	}
	printf("\txlated %uB", info->xlated_prog_len);
	if (info->jited_prog_len)
		printf("  jited %uB", info->jited_prog_len);
	else
		printf("  not jited");
	if (ubf_cli_fdinfo(fd, "memlock", memlock, sizeof(memlock)))
		printf("  memlock %sB", memlock);
	if (info->nr_map_ids) {
		printf("  map_ids ");
		for (i = 0; i < info->nr_map_ids && i < MAX_MAP_IDS; i++)
			printf("%s%u", i ? "," : "", map_ids[i]);
	}
	if (info->btf_id)
		printf("\n\tbtf_id %u", info->btf_id);
	printf("\n");
}

static void show_json(struct ubf_json *jw, int fd, const struct bpf_prog_info *info,
		      const uint32_t *map_ids)
{
	char memlock[32];
	const char *type = libbpf_bpf_prog_type_str(info->type);
	char tag[2 * BPF_TAG_SIZE + 1];
	uint32_t i;

	tag_str(info->tag, tag);
	ubf_json_start_object(jw);
	ubf_json_uint_field(jw, "id", info->id);
	if (type)
		ubf_json_string_field(jw, "type", type);
	else
		ubf_json_uint_field(jw, "type", info->type);
	if (*info->name)
		ubf_json_string_field(jw, "name", info->name);
	ubf_json_string_field(jw, "tag", tag);
	ubf_json_bool_field(jw, "gpl_compatible", info->gpl_compatible);
	if (info->run_time_ns) {
		ubf_json_uint_field(jw, "run_time_ns", info->run_time_ns);
		ubf_json_uint_field(jw, "run_cnt", info->run_cnt);
	}
	if (info->load_time) {
		ubf_json_uint_field(jw, "loaded_at", (uint64_t)load_wallclock(info->load_time));
		ubf_json_uint_field(jw, "uid", info->created_by_uid);
	}
	ubf_json_uint_field(jw, "bytes_xlated", info->xlated_prog_len);
	ubf_json_bool_field(jw, "jited", info->jited_prog_len != 0);
	if (info->jited_prog_len)
		ubf_json_uint_field(jw, "bytes_jited", info->jited_prog_len);
	if (ubf_cli_fdinfo(fd, "memlock", memlock, sizeof(memlock)))
		ubf_json_uint_field(jw, "bytes_memlock", strtoull(memlock, NULL, 10));
	if (info->nr_map_ids) {
		ubf_json_name(jw, "map_ids");
		ubf_json_start_array(jw);
		for (i = 0; i < info->nr_map_ids && i < MAX_MAP_IDS; i++)
			ubf_json_uint(jw, map_ids[i]);
		ubf_json_end_array(jw);
	}
	if (info->btf_id)
		ubf_json_uint_field(jw, "btf_id", info->btf_id);
	ubf_json_end_object(jw);
}

static void show_one(struct ubf_cli_bpf *b, int fd)
{
	uint32_t map_ids[MAX_MAP_IDS];
	struct bpf_prog_info info;

	if (prog_info(fd, &info, map_ids, MAX_MAP_IDS))
		return;
	if (b->json)
		show_json(b->json, fd, &info, map_ids);
	else
		show_plain(fd, &info, map_ids);
}

static int do_show(struct ubf_cli_bpf *b)
{
	int fds[UBF_CLI_MAX_MATCH], cnt, ret, i, fd;
	uint32_t id = 0;

	if (b->word_cnt) {
		ret = ubf_cli_handle_fds(b, &ubf_cli_prog, fds, UBF_CLI_MAX_MATCH, &cnt);
		if (ret)
			return ret;
		if (!ubf_cli_bpf_extra(b)) {
			if (b->json && cnt > 1)
				ubf_json_start_array(b->json);
			for (i = 0; i < cnt; i++)
				show_one(b, fds[i]);
			if (b->json && cnt > 1)
				ubf_json_end_array(b->json);
		} else {
			ret = UBF_EXIT_BPF;
		}
		for (i = 0; i < cnt; i++)
			close(fds[i]);
		return ret;
	}
	if (b->json)
		ubf_json_start_array(b->json);
	while (!bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		show_one(b, fd);
		close(fd);
	}
	if (b->json)
		ubf_json_end_array(b->json);
	return 0;
}

/* ---- files ---- */

int ubf_cli_bpf_write_file(struct ubf_cli_bpf *b, const char *path, const void *data, size_t sz)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f) {
		ubf_cli_bpf_err(b, "can't open file %s: %s", path, strerror(errno));
		return UBF_EXIT_BPF;
	}
	ok = fwrite(data, 1, sz, f) == sz;
	ok = !fclose(f) && ok;
	if (!ok) {
		ubf_cli_bpf_err(b, "error writing to file %s: %s", path, strerror(errno));
		return UBF_EXIT_BPF;
	}
	return 0;
}

/* ---- run ---- */

static int read_file(struct ubf_cli_bpf *b, const char *path, uint8_t **bufp, size_t *szp)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	int err;

	if (!f) {
		ubf_cli_bpf_err(b, "failed to open %s: %s", path, strerror(errno));
		return UBF_EXIT_BPF;
	}
	err = ubf_cli_read_stream(f, bufp, szp);
	if (f != stdin)
		fclose(f);
	if (err) {
		ubf_cli_bpf_err(b, "failed to read %s: %s", path, strerror(-err));
		return UBF_EXIT_BPF;
	}
	return 0;
}

/* data_out/ctx_out to a file, or with "-" to stdout: JSON bytes, or a hex dump. */
static int write_output(struct ubf_cli_bpf *b, const char *path, const char *json_key,
			const uint8_t *data, size_t sz)
{
	size_t i, j;

	if (strcmp(path, "-"))
		return ubf_cli_bpf_write_file(b, path, data, sz);
	if (b->json) {
		ubf_json_name(b->json, json_key);
		ubf_json_start_array(b->json);
		for (i = 0; i < sz; i++)
			ubf_json_uint(b->json, data[i]);
		ubf_json_end_array(b->json);
		return 0;
	}
	for (i = 0; i < sz; i += 16) {
		printf("%07zx\t", i);
		for (j = i; j < i + 16; j++) {
			if (j < sz)
				printf("%02x%s", data[j], j % 2 ? " " : "");
			else
				printf("  %s", j % 2 ? " " : "");
		}
		printf("| ");
		for (j = i; j < i + 16 && j < sz; j++) {
			if (j == i + 8)
				putchar(' ');
			putchar(data[j] >= 0x20 && data[j] < 0x7f ? data[j] : '.');
		}
		printf("\n");
	}
	return 0;
}

struct run_args {
	const char *data_in, *data_out, *ctx_in, *ctx_out;
	uint32_t repeat, data_size_out, ctx_size_out;
};

static int run_arg(struct ubf_cli_bpf *b, struct run_args *a)
{
	const char *kw = ubf_cli_bpf_next(b, "keyword");
	const char **path = NULL;
	uint32_t *num = NULL;

	if (!strcmp(kw, "data_in"))
		path = &a->data_in;
	else if (!strcmp(kw, "data_out"))
		path = &a->data_out;
	else if (!strcmp(kw, "ctx_in"))
		path = &a->ctx_in;
	else if (!strcmp(kw, "ctx_out"))
		path = &a->ctx_out;
	else if (!strcmp(kw, "repeat"))
		num = &a->repeat;
	else if (!strcmp(kw, "data_size_out"))
		num = &a->data_size_out;
	else if (!strcmp(kw, "ctx_size_out"))
		num = &a->ctx_size_out;
	if (path) {
		if (*path) {
			ubf_cli_bpf_err(b, "duplicate keyword '%s'", kw);
			return UBF_EXIT_BPF;
		}
		*path = ubf_cli_bpf_next(b, kw);
		return *path ? 0 : UBF_EXIT_BPF;
	}
	if (num)
		return ubf_cli_bpf_u32(b, kw, num) ? UBF_EXIT_BPF : 0;
	ubf_cli_bpf_err(b, "unknown keyword '%s' (expected data_in, data_out, ctx_in, ctx_out, "
			   "repeat, data_size_out or ctx_size_out)", kw);
	return UBF_EXIT_BPF;
}

static int do_run(struct ubf_cli_bpf *b)
{
	uint8_t *data_in = NULL, *ctx_in = NULL, *data_out = NULL, *ctx_out = NULL;
	struct run_args a = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	size_t data_sz = 0, ctx_sz = 0;
	int ret, fd;

	ret = ubf_cli_handle_fd(b, &ubf_cli_prog, &fd);
	if (ret)
		return ret;
	while (b->word_cnt && !ret)
		ret = run_arg(b, &a);
	if (!ret && !a.data_in && !a.ctx_in) {
		ubf_cli_bpf_err(b, "data_in or ctx_in expected");
		ret = UBF_EXIT_BPF;
	}
	if (!ret && a.data_in)
		ret = read_file(b, a.data_in, &data_in, &data_sz);
	if (!ret && a.ctx_in)
		ret = read_file(b, a.ctx_in, &ctx_in, &ctx_sz);
	if (ret)
		goto out;
	if (!a.data_size_out)
		a.data_size_out = data_sz > 65536 ? (uint32_t)data_sz : 65536;
	if (!a.ctx_size_out)
		a.ctx_size_out = ctx_sz > 4096 ? (uint32_t)ctx_sz : 4096;
	data_out = a.data_out ? calloc(1, a.data_size_out) : NULL;
	ctx_out = a.ctx_out ? calloc(1, a.ctx_size_out) : NULL;
	opts.data_in = data_in;
	opts.data_size_in = (uint32_t)data_sz;
	opts.data_out = data_out;
	opts.data_size_out = data_out ? a.data_size_out : 0;
	opts.ctx_in = ctx_in;
	opts.ctx_size_in = (uint32_t)ctx_sz;
	opts.ctx_out = ctx_out;
	opts.ctx_size_out = ctx_out ? a.ctx_size_out : 0;
	opts.repeat = a.repeat;
	if (bpf_prog_test_run_opts(fd, &opts)) {
		ubf_cli_bpf_err(b, "failed to run program: %s", strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
		goto out;
	}
	if (b->json)
		ubf_json_start_object(b->json);
	if (data_out)
		ret = write_output(b, a.data_out, "data_out", data_out, opts.data_size_out);
	if (!ret && ctx_out)
		ret = write_output(b, a.ctx_out, "ctx_out", ctx_out, opts.ctx_size_out);
	if (b->json) {
		ubf_json_uint_field(b->json, "retval", opts.retval);
		ubf_json_uint_field(b->json, "duration", opts.duration);
		ubf_json_end_object(b->json);
	} else {
		printf("Return value: %u, duration%s: %uns\n", opts.retval,
		       a.repeat > 1 ? " (average)" : "", opts.duration);
	}
out:
	free(data_in);
	free(ctx_in);
	free(data_out);
	free(ctx_out);
	close(fd);
	return ret;
}

/* ---- load, loadall ---- */

/* A pin name from an object's name: libbpf's rule, '.' becomes '_'. */
static int pin_join(struct ubf_cli_bpf *b, char *buf, size_t buf_sz, const char *dir,
		    const char *name)
{
	char *p;

	if ((size_t)snprintf(buf, buf_sz, "%s/%s", dir, name) >= buf_sz) {
		ubf_cli_bpf_err(b, "pin path too long: %s/%s", dir, name);
		return UBF_EXIT_BPF;
	}
	for (p = buf + strlen(dir) + 1; *p; p++)
		if (*p == '.')
			*p = '_';
	return 0;
}

/* A pin directory: DIR, which for /sys/fs/bpf/X is X under the pin root. */
static int make_pin_dir(struct ubf_cli_bpf *b, const char *dir)
{
	static const char bpffs[] = "/sys/fs/bpf";
	char path[4096];

	if (!strncmp(dir, bpffs, sizeof(bpffs) - 1) &&
	    (dir[sizeof(bpffs) - 1] == '/' || !dir[sizeof(bpffs) - 1]))
		snprintf(path, sizeof(path), "%s%s", ubf_pin_root(), dir + sizeof(bpffs) - 1);
	else
		snprintf(path, sizeof(path), "%s", dir);
	if (mkdir(path, 0700) && errno != EEXIST) {
		ubf_cli_bpf_err(b, "can't create directory %s: %s", dir, strerror(errno));
		return UBF_EXIT_BPF;
	}
	return 0;
}

static int pin_fd(struct ubf_cli_bpf *b, int fd, const char *path)
{
	if (bpf_obj_pin(fd, path)) {
		ubf_cli_bpf_err(b, "can't pin the object (%s): %s", path, strerror(errno));
		return ubf_cli_bpf_status(-errno);
	}
	return 0;
}

static int pin_all(struct ubf_cli_bpf *b, struct bpf_object *obj, const char *path, bool is_all,
		   const char *pinmaps)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char buf[4096];
	int ret = 0;

	if (!is_all) {
		prog = bpf_object__next_program(obj, NULL);
		ret = pin_fd(b, bpf_program__fd(prog), path);
	} else {
		ret = make_pin_dir(b, path);
		bpf_object__for_each_program(prog, obj) {
			if (ret)
				break;
			ret = pin_join(b, buf, sizeof(buf), path, bpf_program__name(prog));
			ret = ret ? ret : pin_fd(b, bpf_program__fd(prog), buf);
		}
	}
	if (ret || !pinmaps)
		return ret;
	ret = make_pin_dir(b, pinmaps);
	bpf_object__for_each_map(map, obj) {
		if (ret)
			break;
		ret = pin_join(b, buf, sizeof(buf), pinmaps, bpf_map__name(map));
		ret = ret ? ret : pin_fd(b, bpf_map__fd(map), buf);
	}
	return ret;
}

static int load_common(struct ubf_cli_bpf *b, bool is_all)
{
	enum bpf_attach_type attach = 0;
	const char *file, *path, *w, *pinmaps = NULL;
	enum bpf_prog_type type = BPF_PROG_TYPE_UNSPEC;
	struct bpf_object *obj = NULL;
	struct ubf_cli_object o;
	char msg[512];
	struct bpf_program *prog;
	int ret = 0, err;

	file = ubf_cli_bpf_next(b, "OBJ");
	path = file ? ubf_cli_bpf_next(b, is_all ? "PATH (a directory)" : "PATH") : NULL;
	if (!path)
		return UBF_EXIT_BPF;
	while (b->word_cnt && !ret) {
		if (ubf_cli_bpf_accept(b, "type")) {
			w = ubf_cli_bpf_next(b, "program type");
			if (w && libbpf_prog_type_by_name(w, &type, &attach)) {
				ubf_cli_bpf_err(b, "unknown program type '%s'", w);
				ret = UBF_EXIT_BPF;
			}
			ret = w ? ret : UBF_EXIT_BPF;
		} else if (ubf_cli_bpf_accept(b, "pinmaps")) {
			pinmaps = ubf_cli_bpf_next(b, "pinmaps DIR");
			ret = pinmaps ? 0 : UBF_EXIT_BPF;
		} else {
			ret = ubf_cli_bpf_extra(b) ? UBF_EXIT_BPF : 0;
		}
	}
	if (ret)
		return ret;
	if (ubf_cli_object_open(file, &o, msg, sizeof(msg))) {
		ubf_cli_bpf_err(b, "failed to open object file %s", msg);
		return UBF_EXIT_BPF;
	}
	obj = o.obj;
	if (!bpf_object__next_program(obj, NULL)) {
		ubf_cli_bpf_err(b, "object file %s doesn't contain any bpf program", file);
		ret = UBF_EXIT_BPF;
		goto out;
	}
	if (type != BPF_PROG_TYPE_UNSPEC) {
		bpf_object__for_each_program(prog, obj) {
			bpf_program__set_type(prog, type);
			bpf_program__set_expected_attach_type(prog, attach);
		}
	}
	err = bpf_object__load(obj);
	if (err) {
		ubf_cli_bpf_err(b, "failed to load object file %s: %s", file, strerror(-err));
		ret = UBF_EXIT_BPF;
		goto out;
	}
	ret = pin_all(b, obj, path, is_all, pinmaps);
out:
	ubf_cli_object_close(&o);
	return ret;
}

static int do_load(struct ubf_cli_bpf *b)
{
	return load_common(b, false);
}

static int do_loadall(struct ubf_cli_bpf *b)
{
	return load_common(b, true);
}

/* ---- tracelog ---- */

static volatile sig_atomic_t stop_tracelog;

static void on_signal(int sig)
{
	(void)sig;
	stop_tracelog = 1;
}

/*
 * bpftool follows the kernel's trace_pipe until interrupted; userbpf's
 * trace_printk writes <pin root>/trace_pipe, which this follows the same
 * way: every line, then new ones as they are written.
 */
static int do_tracelog(struct ubf_cli_bpf *b)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	char path[4096], line[4096];
	struct sigaction sa;
	FILE *f = NULL;

	if (ubf_cli_bpf_extra(b))
		return UBF_EXIT_BPF;
	snprintf(path, sizeof(path), "%s/trace_pipe", ubf_pin_root());
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (b->json)
		ubf_json_start_array(b->json);
	while (!stop_tracelog) {
		if (!f)
			f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f)) {
			if (b->json) {
				line[strcspn(line, "\n")] = '\0';
				ubf_json_string(b->json, line);
			} else {
				fputs(line, stdout);
			}
			fflush(stdout);
			continue;
		}
		if (f)
			clearerr(f);
		nanosleep(&nap, NULL);
	}
	if (f)
		fclose(f);
	if (b->json)
		ubf_json_end_array(b->json);
	return 0;
}

static const char prog_help[] =
	"Commands (bpftool's syntax; -j/--json, -p/--pretty anywhere):\n"
	"  prog { show | list } [PROG]\n"
	"  prog dump xlated PROG [{ file FILE | opcodes | linum }]\n"
	"  prog load OBJ PATH [type TYPE] [pinmaps MAP_DIR]\n"
	"  prog loadall OBJ PATH [type TYPE] [pinmaps MAP_DIR]\n"
	"  prog run PROG data_in FILE [data_out FILE [data_size_out L]]\n"
	"                        [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]\n"
	"  prog tracelog\n"
	"\n"
	"  PROG := { id PROG_ID | pinned FILE | tag PROG_TAG | name PROG_NAME }\n"
	"  TYPE := a section name libbpf knows (xdp, socket, tc, raw_tracepoint, syscall, ...)\n"
	"\n"
	"load pins the object's first program at PATH; loadall pins every program under the\n"
	"directory PATH.  Objects are loaded by libbpf into userbpf, not into the kernel.\n"
	"tracelog prints what trace_printk wrote to <pin root>/trace_pipe, then follows it\n"
	"until interrupted.  Failures exit with 255, or 256 - errno when a bpf() call failed.\n";

static const struct ubf_cli_verb prog_verbs[] = {
	{ "show", do_show },	 { "list", do_show },	  { "dump", ubf_cli_prog_dump },
	{ "load", do_load },	 { "loadall", do_loadall }, { "run", do_run },
	{ "tracelog", do_tracelog },
};

static int cmd_prog(int argc, char **argv)
{
	return ubf_cli_bpf_main(&ubf_cli_cmd_prog, prog_verbs, UBF_CLI_ARRAY_SIZE(prog_verbs),
				argc, argv);
}

const struct ubf_cli_cmd ubf_cli_cmd_prog = {
	.name = "prog",
	.fn = cmd_prog,
	.usage = "{ show | list | dump xlated | load | loadall | run | tracelog } ...",
	.summary = "load, inspect and run programs, as bpftool prog",
	.help = prog_help,
};
