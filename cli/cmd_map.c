// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_map.c - `userbpf map`: bpftool's map commands (create, show, dump,
 * lookup, update, delete, getnext, pin, freeze) on userbpf's bpf(2), with
 * bpftool's syntax and its plain and JSON output.  Everything goes through
 * libbpf's low-level wrappers, routed to userbpf; keys and values are shown
 * through the map's BTF when it has one, as raw bytes otherwise.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json.h"


/* ---- finding maps ---- */

static int map_info(int fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len);
}

static int map_ident(int fd, uint32_t *id, char *name, char *tag)
{
	struct bpf_map_info info;

	(void)tag;
	if (map_info(fd, &info))
		return -1;
	*id = info.id;
	if (name)
		memcpy(name, info.name, sizeof(info.name));
	return 0;
}

const struct ubf_cli_handle_kind ubf_cli_map = {
	.usage = "MAP (id ID, pinned FILE or name NAME)",
	.words = "'id', 'name' or 'pinned'",
	.id_what = "map id",
	.id_err = "get map by id",
	.not_kind = "not a map",
	.anon_inode = "anon_inode:bpf-map",
	.no_name = "no map named",
	.several = "several maps match this handle",
	.fd_by_id = bpf_map_get_fd_by_id,
	.next_id = bpf_map_get_next_id,
	.ident = map_ident,
};

/* ---- printing ---- */

static bool type_is_per_cpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* Slots of these hold object ids; an empty one reads as ENOENT and is not listed. */
static bool type_holds_ids(uint32_t type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static void show_plain(int fd, const struct bpf_map_info *info)
{
	const char *type = libbpf_bpf_map_type_str(info->type);
	char memlock[32], frozen[32];
	bool is_frozen;

	printf("%u: ", info->id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", info->type);
	if (*info->name)
		printf("name %s  ", info->name);
	printf("flags 0x%x\n", info->map_flags);
	printf("\tkey %uB  value %uB  max_entries %u", info->key_size, info->value_size,
	       info->max_entries);
	if (ubf_cli_fdinfo(fd, "memlock", memlock, sizeof(memlock)))
		printf("  memlock %sB", memlock);
	is_frozen = ubf_cli_fdinfo(fd, "frozen", frozen, sizeof(frozen)) && atoi(frozen);
	if (info->btf_id || is_frozen)
		printf("\n\t");
	if (info->btf_id)
		printf("btf_id %u", info->btf_id);
	if (is_frozen)
		printf("%sfrozen", info->btf_id ? "  " : "");
	printf("\n");
}

static void show_json(struct ubf_json *jw, int fd, const struct bpf_map_info *info)
{
	const char *type = libbpf_bpf_map_type_str(info->type);
	char memlock[32], frozen[32];

	ubf_json_start_object(jw);
	ubf_json_uint_field(jw, "id", info->id);
	if (type)
		ubf_json_string_field(jw, "type", type);
	else
		ubf_json_uint_field(jw, "type", info->type);
	if (*info->name)
		ubf_json_string_field(jw, "name", info->name);
	ubf_json_uint_field(jw, "flags", info->map_flags);
	ubf_json_uint_field(jw, "bytes_key", info->key_size);
	ubf_json_uint_field(jw, "bytes_value", info->value_size);
	ubf_json_uint_field(jw, "max_entries", info->max_entries);
	if (ubf_cli_fdinfo(fd, "memlock", memlock, sizeof(memlock)))
		ubf_json_uint_field(jw, "bytes_memlock", strtoull(memlock, NULL, 10));
	ubf_json_int_field(jw, "frozen",
			   ubf_cli_fdinfo(fd, "frozen", frozen, sizeof(frozen)) ? atoi(frozen) : 0);
	if (info->btf_id)
		ubf_json_uint_field(jw, "btf_id", info->btf_id);
	ubf_json_end_object(jw);
}

/* ---- keys and values ---- */

/*
 * struct entry - what printing one element needs: the map's shape, its
 * BTF (or NULL) and the buffers.
 */
struct entry {
	struct bpf_map_info info;
	struct btf *btf;
	uint32_t ncpu;		/* value copies: possible CPUs for per-CPU maps, else 1 */
	uint32_t step;		/* bytes between copies */
	uint8_t *key;
	uint8_t *value;
};

static int entry_init(struct ubf_cli_bpf *b, struct entry *e, int fd)
{
	int n;

	memset(e, 0, sizeof(*e));
	if (map_info(fd, &e->info)) {
		ubf_cli_bpf_err(b, "can't get map info: %s", strerror(errno));
		return UBF_EXIT_BPF;
	}
	e->ncpu = 1;
	e->step = e->info.value_size;
	if (type_is_per_cpu(e->info.type)) {
		n = libbpf_num_possible_cpus();
		if (n < 1) {
			ubf_cli_bpf_err(b, "can't count possible CPUs: %s", strerror(-n));
			return UBF_EXIT_BPF;
		}
		e->ncpu = (uint32_t)n;
		e->step = (e->info.value_size + 7) & ~7u;
	}
	e->key = calloc(1, e->info.key_size + 1);
	e->value = calloc(e->ncpu, e->step + 1);
	if (!e->key || !e->value) {
		ubf_cli_bpf_err(b, "out of memory");
		return UBF_EXIT_BPF;
	}
	if (e->info.btf_id && e->info.btf_value_type_id) {
		e->btf = btf__load_from_kernel_by_id(e->info.btf_id);
		if (!e->btf)
			e->btf = NULL;
	}
	return 0;
}

static void entry_free(struct entry *e)
{
	btf__free(e->btf);
	free(e->key);
	free(e->value);
}

static void print_entry_plain(const struct entry *e)
{
	const struct bpf_map_info *info = &e->info;
	bool single_line, break_names;
	uint32_t i;

	if (e->ncpu == 1) {
		break_names = info->key_size > 16 || info->value_size > 16;
		single_line = info->key_size + info->value_size <= 24 && !break_names;
		printf("key:%c", break_names ? '\n' : ' ');
		ubf_cli_fprint_hex(stdout, e->key, info->key_size);
		printf(single_line ? "  " : "\n");
		printf("value:%c", break_names ? '\n' : ' ');
		ubf_cli_fprint_hex(stdout, e->value, info->value_size);
		printf("\n");
		return;
	}
	printf("key:\n");
	ubf_cli_fprint_hex(stdout, e->key, info->key_size);
	printf("\n");
	for (i = 0; i < e->ncpu; i++) {
		printf("value (CPU %02u):%c", i, info->value_size > 16 ? '\n' : ' ');
		ubf_cli_fprint_hex(stdout, e->value + (size_t)i * e->step, info->value_size);
		printf("\n");
	}
}

/* "key" and "value"/"values" through BTF, as members of the open object. */
static void print_formatted(struct ubf_json *jw, const struct entry *e)
{
	uint32_t i;

	ubf_json_name(jw, "key");
	if (e->info.btf_key_type_id)
		ubf_cli_btf_dump_data(jw, e->btf, e->info.btf_key_type_id, e->key);
	else
		ubf_json_hex_array(jw, e->key, e->info.key_size);
	if (e->ncpu == 1) {
		ubf_json_name(jw, "value");
		ubf_cli_btf_dump_data(jw, e->btf, e->info.btf_value_type_id, e->value);
		return;
	}
	ubf_json_name(jw, "values");
	ubf_json_start_array(jw);
	for (i = 0; i < e->ncpu; i++) {
		ubf_json_start_object(jw);
		ubf_json_uint_field(jw, "cpu", i);
		ubf_json_name(jw, "value");
		ubf_cli_btf_dump_data(jw, e->btf, e->info.btf_value_type_id,
				      e->value + (size_t)i * e->step);
		ubf_json_end_object(jw);
	}
	ubf_json_end_array(jw);
}

static void print_entry_json(struct ubf_json *jw, const struct entry *e)
{
	uint32_t i;

	ubf_json_start_object(jw);
	ubf_json_name(jw, "key");
	ubf_json_hex_array(jw, e->key, e->info.key_size);
	if (e->ncpu == 1) {
		ubf_json_name(jw, "value");
		ubf_json_hex_array(jw, e->value, e->info.value_size);
	} else {
		ubf_json_name(jw, "values");
		ubf_json_start_array(jw);
		for (i = 0; i < e->ncpu; i++) {
			ubf_json_start_object(jw);
			ubf_json_uint_field(jw, "cpu", i);
			ubf_json_name(jw, "value");
			ubf_json_hex_array(jw, e->value + (size_t)i * e->step, e->info.value_size);
			ubf_json_end_object(jw);
		}
		ubf_json_end_array(jw);
	}
	if (e->btf) {
		ubf_json_name(jw, "formatted");
		ubf_json_start_object(jw);
		print_formatted(jw, e);
		ubf_json_end_object(jw);
	}
	ubf_json_end_object(jw);
}

static void print_entry_btf(struct ubf_json *jw, const struct entry *e)
{
	ubf_json_start_object(jw);
	print_formatted(jw, e);
	ubf_json_end_object(jw);
}

/* A lookup that failed for a key the map listed (bpftool prints it in place). */
static void print_entry_error(struct ubf_json *jw, const struct entry *e, int err)
{
	const char *msg = err == ENOENT ? "<no entry>" : strerror(err);
	bool single_line, break_names;
	size_t msg_len = strlen(msg);

	if (jw) {
		ubf_json_start_object(jw);
		ubf_json_name(jw, "key");
		ubf_json_hex_array(jw, e->key, e->info.key_size);
		ubf_json_name(jw, "value");
		ubf_json_start_object(jw);
		ubf_json_string_field(jw, "error", strerror(err));
		ubf_json_end_object(jw);
		ubf_json_end_object(jw);
		return;
	}
	break_names = e->info.key_size > 16 || msg_len > 16;
	single_line = e->info.key_size + msg_len <= 24 && !break_names;
	printf("key:%c", break_names ? '\n' : ' ');
	ubf_cli_fprint_hex(stdout, e->key, e->info.key_size);
	printf(single_line ? "  " : "\n");
	printf("value:%c%s\n", break_names ? '\n' : ' ', msg);
}

/* ---- commands ---- */

static int do_show(struct ubf_cli_bpf *b)
{
	struct bpf_map_info info;
	int fds[UBF_CLI_MAX_MATCH], cnt, ret, i;
	uint32_t id = 0;
	bool is_list;
	int fd;

	is_list = b->word_cnt == 0;
	if (!is_list) {
		ret = ubf_cli_handle_fds(b, &ubf_cli_map, fds, UBF_CLI_MAX_MATCH, &cnt);
		if (ret)
			return ret;
		if (ubf_cli_bpf_extra(b)) {
			for (i = 0; i < cnt; i++)
				close(fds[i]);
			return UBF_EXIT_BPF;
		}
		if (b->json && cnt > 1)
			ubf_json_start_array(b->json);
		for (i = 0; i < cnt; i++) {
			if (!map_info(fds[i], &info)) {
				if (b->json)
					show_json(b->json, fds[i], &info);
				else
					show_plain(fds[i], &info);
			}
			close(fds[i]);
		}
		if (b->json && cnt > 1)
			ubf_json_end_array(b->json);
		return 0;
	}
	if (b->json)
		ubf_json_start_array(b->json);
	while (!bpf_map_get_next_id(id, &id)) {
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (!map_info(fd, &info)) {
			if (b->json)
				show_json(b->json, fd, &info);
			else
				show_plain(fd, &info);
		}
		close(fd);
	}
	if (b->json)
		ubf_json_end_array(b->json);
	return 0;
}

/* One element of a dump; false when it was skipped. */
static bool dump_one(struct ubf_cli_bpf *b, struct ubf_json *btf_jw, int fd, struct entry *e)
{
	int err;

	err = bpf_map_lookup_elem(fd, e->key, e->value) ? errno : 0;
	if (err == ENOENT && type_holds_ids(e->info.type))
		return false;
	if (err)
		print_entry_error(b->json, e, err);
	else if (b->json)
		print_entry_json(b->json, e);
	else if (btf_jw)
		print_entry_btf(btf_jw, e);
	else
		print_entry_plain(e);
	return true;
}

static int dump_map(struct ubf_cli_bpf *b, int fd)
{
	struct ubf_json btf_jw, *bjw = NULL;
	unsigned int n = 0;
	uint8_t *next;
	struct entry e;
	void *prev;
	int ret;

	ret = entry_init(b, &e, fd);
	next = calloc(1, e.info.key_size + 1);
	if (ret || !next)
		goto out;
	if (e.btf && !b->json) {
		ubf_json_init(&btf_jw, stdout, true);
		bjw = &btf_jw;
		ubf_json_start_array(bjw);
	}
	prev = NULL;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(e.key, next, e.info.key_size);
		n += dump_one(b, bjw, fd, &e);
		prev = e.key;
	}
	if (errno != ENOENT)
		ubf_cli_bpf_err(b, "can't get next key: %s", strerror(errno));
	if (bjw) {
		ubf_json_end_array(bjw);
		ubf_json_finish(bjw);
	} else if (!b->json) {
		printf("Found %u element%s\n", n, n == 1 ? "" : "s");
	}
out:
	free(next);
	entry_free(&e);
	return ret;
}

static int do_dump(struct ubf_cli_bpf *b)
{
	int fds[UBF_CLI_MAX_MATCH], cnt, ret, i;

	ret = ubf_cli_handle_fds(b, &ubf_cli_map, fds, UBF_CLI_MAX_MATCH, &cnt);
	if (ret)
		return ret;
	if (ubf_cli_bpf_extra(b))
		ret = UBF_EXIT_BPF;
	if (!ret && b->json && cnt > 1)
		ubf_json_start_array(b->json);
	for (i = 0; i < cnt; i++) {
		if (!ret && b->json)
			ubf_json_start_array(b->json);
		if (!ret)
			ret = dump_map(b, fds[i]);
		if (!ret && b->json)
			ubf_json_end_array(b->json);
		close(fds[i]);
	}
	if (!ret && b->json && cnt > 1)
		ubf_json_end_array(b->json);
	return ret;
}

/*
 * MAP key DATA: the map, its entry buffers, and the key parsed.  With
 * @has_key, "key DATA" may be absent; *@has_key says whether it was there.
 */
static int map_and_key(struct ubf_cli_bpf *b, int *fd, struct entry *e, bool *has_key)
{
	bool is_key;
	int ret;

	memset(e, 0, sizeof(*e));
	ret = ubf_cli_handle_fd(b, &ubf_cli_map, fd);
	if (ret)
		return ret;
	ret = entry_init(b, e, *fd);
	if (ret)
		return ret;
	is_key = ubf_cli_bpf_accept(b, "key");
	if (has_key)
		*has_key = is_key;
	if (!is_key) {
		if (has_key)
			return 0;
		ubf_cli_bpf_err(b, "did not find key");
		return UBF_EXIT_BPF;
	}
	if (ubf_cli_bpf_bytes(b, "key", e->key, e->info.key_size))
		return UBF_EXIT_BPF;
	return 0;
}

static int do_lookup(struct ubf_cli_bpf *b)
{
	struct ubf_json btf_jw;
	struct entry e;
	int ret, fd = -1;

	ret = map_and_key(b, &fd, &e, NULL);
	if (ret || ubf_cli_bpf_extra(b))
		goto out;
	if (bpf_map_lookup_elem(fd, e.key, e.value)) {
		ret = ubf_cli_bpf_status(-errno);
		if (errno != ENOENT) {
			ubf_cli_bpf_err(b, "lookup failed: %s", strerror(errno));
		} else if (b->json) {
			ubf_json_null(b->json);
		} else {
			printf("key:\n");
			ubf_cli_fprint_hex(stdout, e.key, e.info.key_size);
			printf("\n\nNot found\n");
		}
		goto out;
	}
	if (b->json) {
		print_entry_json(b->json, &e);
	} else if (e.btf) {
		ubf_json_init(&btf_jw, stdout, true);
		print_entry_btf(&btf_jw, &e);
		ubf_json_finish(&btf_jw);
	} else {
		print_entry_plain(&e);
	}
out:
	if (ret == 0 && b->word_cnt)
		ret = UBF_EXIT_BPF;
	entry_free(&e);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* VALUE := DATA | MAP | PROG: an object handle gives its fd, as bpftool passes it. */
static int parse_value(struct ubf_cli_bpf *b, struct entry *e, int *value_fd)
{
	uint32_t type = e->info.type, i;
	uint32_t fd32;
	int ret;

	*value_fd = -1;
	if (type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS)
		ret = ubf_cli_handle_fd(b, &ubf_cli_map, value_fd);
	else if (type == BPF_MAP_TYPE_PROG_ARRAY)
		ret = ubf_cli_handle_fd(b, &ubf_cli_prog, value_fd);
	else
		ret = ubf_cli_bpf_bytes(b, "value", e->value, e->info.value_size) ? UBF_EXIT_BPF : 0;
	if (ret)
		return ret;
	if (*value_fd >= 0) {
		fd32 = (uint32_t)*value_fd;
		memcpy(e->value, &fd32, sizeof(fd32) < e->info.value_size ? sizeof(fd32)
									  : e->info.value_size);
	}
	/* A per-CPU map takes the same value on every CPU. */
	for (i = 1; i < e->ncpu; i++)
		memcpy(e->value + (size_t)i * e->step, e->value, e->info.value_size);
	return 0;
}

static int do_update(struct ubf_cli_bpf *b)
{
	static const char *const flag_words[] = { "any", "noexist", "exist" };
	int ret, fd = -1, value_fd = -1;
	uint64_t flags = BPF_ANY;
	struct entry e;
	size_t i;

	ret = map_and_key(b, &fd, &e, NULL);
	if (ret)
		goto out;
	if (!ubf_cli_bpf_accept(b, "value")) {
		ubf_cli_bpf_err(b, "did not find value");
		ret = UBF_EXIT_BPF;
		goto out;
	}
	ret = parse_value(b, &e, &value_fd);
	if (ret)
		goto out;
	for (i = 0; i < UBF_CLI_ARRAY_SIZE(flag_words); i++)
		if (ubf_cli_bpf_accept(b, flag_words[i]))
			flags = i;
	if (ubf_cli_bpf_extra(b)) {
		ret = UBF_EXIT_BPF;
		goto out;
	}
	if (bpf_map_update_elem(fd, e.key, e.value, flags)) {
		ubf_cli_bpf_err(b, "update failed: %s", strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
		goto out;
	}
	if (b->json)
		ubf_json_null(b->json);
out:
	if (value_fd >= 0)
		close(value_fd);
	entry_free(&e);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int do_delete(struct ubf_cli_bpf *b)
{
	struct entry e;
	int ret, fd = -1;

	ret = map_and_key(b, &fd, &e, NULL);
	if (ret || ubf_cli_bpf_extra(b))
		goto out;
	if (bpf_map_delete_elem(fd, e.key)) {
		ubf_cli_bpf_err(b, "delete failed: %s", strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
	} else if (b->json) {
		ubf_json_null(b->json);
	}
out:
	if (!ret && b->word_cnt)
		ret = UBF_EXIT_BPF;
	entry_free(&e);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int do_getnext(struct ubf_cli_bpf *b)
{
	bool has_key = false;
	uint8_t *next = NULL;
	struct entry e;
	int ret, fd = -1;

	ret = map_and_key(b, &fd, &e, &has_key);
	if (ret || ubf_cli_bpf_extra(b))
		goto out;
	next = calloc(1, e.info.key_size + 1);
	if (!next)
		goto out;
	if (bpf_map_get_next_key(fd, has_key ? e.key : NULL, next)) {
		ubf_cli_bpf_err(b, "can't get next key: %s", strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
		goto out;
	}
	if (b->json) {
		ubf_json_start_object(b->json);
		ubf_json_name(b->json, "key");
		if (has_key)
			ubf_json_hex_array(b->json, e.key, e.info.key_size);
		else
			ubf_json_null(b->json);
		ubf_json_name(b->json, "next_key");
		ubf_json_hex_array(b->json, next, e.info.key_size);
		ubf_json_end_object(b->json);
	} else {
		if (has_key) {
			printf("key:\n");
			ubf_cli_fprint_hex(stdout, e.key, e.info.key_size);
			printf("\n");
		} else {
			printf("key: None\n");
		}
		printf("next key:\n");
		ubf_cli_fprint_hex(stdout, next, e.info.key_size);
		printf("\n");
	}
out:
	if (!ret && b->word_cnt)
		ret = UBF_EXIT_BPF;
	free(next);
	entry_free(&e);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int do_pin(struct ubf_cli_bpf *b)
{
	const char *path;
	int ret, fd;

	ret = ubf_cli_handle_fd(b, &ubf_cli_map, &fd);
	if (ret)
		return ret;
	path = ubf_cli_bpf_next(b, "FILE");
	if (!path || ubf_cli_bpf_extra(b)) {
		ret = UBF_EXIT_BPF;
	} else if (bpf_obj_pin(fd, path)) {
		ubf_cli_bpf_err(b, "can't pin the object (%s): %s", path, strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
	} else if (b->json) {
		ubf_json_null(b->json);
	}
	close(fd);
	return ret;
}

static int do_freeze(struct ubf_cli_bpf *b)
{
	int ret, fd;

	ret = ubf_cli_handle_fd(b, &ubf_cli_map, &fd);
	if (ret)
		return ret;
	if (ubf_cli_bpf_extra(b)) {
		ret = UBF_EXIT_BPF;
	} else if (bpf_map_freeze(fd)) {
		ubf_cli_bpf_err(b, "failed to freeze map: %s", strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
	} else if (b->json) {
		ubf_json_null(b->json);
	}
	close(fd);
	return ret;
}

static int map_type_by_name(const char *name, enum bpf_map_type *type)
{
	const char *s;
	int t;

	for (t = 0; t < 256; t++) {
		s = libbpf_bpf_map_type_str((enum bpf_map_type)t);
		if (s && !strcmp(s, name)) {
			*type = (enum bpf_map_type)t;
			return 0;
		}
	}
	return -ENOENT;
}

/* create's KEYWORD VALUE pairs. */
struct create_args {
	const char *path;
	const char *name;
	enum bpf_map_type type;
	uint32_t key_size, value_size, max_entries, flags;
	bool has_type, has_key, has_value, has_entries;
	int inner_fd;
};

static int create_arg(struct ubf_cli_bpf *b, struct create_args *a)
{
	const char *kw = ubf_cli_bpf_next(b, "keyword"), *w;

	if (!strcmp(kw, "type")) {
		w = ubf_cli_bpf_next(b, "map type");
		if (!w)
			return UBF_EXIT_BPF;
		if (map_type_by_name(w, &a->type)) {
			ubf_cli_bpf_err(b, "unrecognized map type: %s", w);
			return UBF_EXIT_BPF;
		}
		a->has_type = true;
	} else if (!strcmp(kw, "name")) {
		a->name = ubf_cli_bpf_next(b, "map name");
		if (!a->name)
			return UBF_EXIT_BPF;
	} else if (!strcmp(kw, "key")) {
		a->has_key = !ubf_cli_bpf_u32(b, "key size", &a->key_size);
		return a->has_key ? 0 : UBF_EXIT_BPF;
	} else if (!strcmp(kw, "value")) {
		a->has_value = !ubf_cli_bpf_u32(b, "value size", &a->value_size);
		return a->has_value ? 0 : UBF_EXIT_BPF;
	} else if (!strcmp(kw, "entries")) {
		a->has_entries = !ubf_cli_bpf_u32(b, "max entries", &a->max_entries);
		return a->has_entries ? 0 : UBF_EXIT_BPF;
	} else if (!strcmp(kw, "flags")) {
		return ubf_cli_bpf_u32(b, "flags", &a->flags) ? UBF_EXIT_BPF : 0;
	} else if (!strcmp(kw, "inner_map")) {
		if (a->inner_fd >= 0) {
			ubf_cli_bpf_err(b, "inner_map given twice");
			return UBF_EXIT_BPF;
		}
		return ubf_cli_handle_fd(b, &ubf_cli_map, &a->inner_fd);
	} else {
		ubf_cli_bpf_err(b, "unknown arg %s", kw);
		return UBF_EXIT_BPF;
	}
	return 0;
}

static int do_create(struct ubf_cli_bpf *b)
{
	struct create_args a = { .inner_fd = -1 };
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int ret = 0, fd;

	a.path = ubf_cli_bpf_next(b, "FILE");
	if (!a.path)
		return UBF_EXIT_BPF;
	while (b->word_cnt && !ret)
		ret = create_arg(b, &a);
	if (ret)
		goto out;
	if (!a.name || !a.has_type || !a.has_key || !a.has_value || !a.has_entries) {
		ubf_cli_bpf_err(b, "map create: missing %s", !a.has_type ? "type"
							   : !a.has_key ? "key"
							   : !a.has_value ? "value"
							   : !a.has_entries ? "entries" : "name");
		ret = UBF_EXIT_BPF;
		goto out;
	}
	opts.map_flags = a.flags;
	if (a.inner_fd >= 0)
		opts.inner_map_fd = (uint32_t)a.inner_fd;
	fd = bpf_map_create(a.type, a.name, a.key_size, a.value_size, a.max_entries, &opts);
	if (fd < 0) {
		ubf_cli_bpf_err(b, "map create failed: %s", strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
		goto out;
	}
	if (bpf_obj_pin(fd, a.path)) {
		ubf_cli_bpf_err(b, "can't pin the object (%s): %s", a.path, strerror(errno));
		ret = ubf_cli_bpf_status(-errno);
	} else if (b->json) {
		ubf_json_null(b->json);
	}
	close(fd);
out:
	if (a.inner_fd >= 0)
		close(a.inner_fd);
	return ret;
}

static const char map_help[] =
	"Commands (bpftool's syntax; -j/--json, -p/--pretty anywhere):\n"
	"  map { show | list } [MAP]\n"
	"  map create FILE type TYPE key KEY_SIZE value VALUE_SIZE entries MAX_ENTRIES \\\n"
	"             name NAME [flags FLAGS] [inner_map MAP]\n"
	"  map dump MAP\n"
	"  map lookup MAP key DATA\n"
	"  map update MAP key DATA value VALUE [any | exist | noexist]\n"
	"  map delete MAP key DATA\n"
	"  map getnext MAP [key DATA]\n"
	"  map pin MAP FILE\n"
	"  map freeze MAP\n"
	"\n"
	"  MAP := { id MAP_ID | pinned FILE | name MAP_NAME }\n"
	"  DATA := { [hex] BYTES }\n"
	"  VALUE := { DATA | MAP | PROG }\n"
	"  TYPE := a map type as libbpf names it (hash, array, percpu_array, lru_hash, ...)\n"
	"\n"
	"FILE paths name pins: /sys/fs/bpf/X is X under the userbpf pin root ($UBF_PIN_ROOT,\n"
	"else $XDG_RUNTIME_DIR/userbpf).  Failures exit with 255, or 256 - errno when a\n"
	"bpf() call failed, as bpftool does.\n";

static const struct ubf_cli_verb map_verbs[] = {
	{ "show", do_show },	{ "list", do_show },	 { "dump", do_dump },
	{ "lookup", do_lookup }, { "update", do_update }, { "delete", do_delete },
	{ "getnext", do_getnext }, { "pin", do_pin },	 { "freeze", do_freeze },
	{ "create", do_create },
};

static int cmd_map(int argc, char **argv)
{
	return ubf_cli_bpf_main(&ubf_cli_cmd_map, map_verbs, UBF_CLI_ARRAY_SIZE(map_verbs), argc, argv);
}

const struct ubf_cli_cmd ubf_cli_cmd_map = {
	.name = "map",
	.fn = cmd_map,
	.usage = "{ show | list | create | dump | lookup | update | delete | getnext | pin | freeze } ...",
	.summary = "inspect and change maps, as bpftool map",
	.help = map_help,
};
