// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_btf.c - `userbpf btf dump`: a BTF object (from an ELF or raw BTF
 * file, a loaded BTF id, or a map's BTF) printed as bpftool prints it: the
 * raw type list, plain or JSON, or C declarations through libbpf's
 * btf_dump.  Also the "formatted" value printer the map commands use:
 * bytes of a BTF type written as JSON, walking the types with libbpf's
 * btf__* API.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json.h"

/* ---- values through BTF ---- */

static const char *name_at(const struct btf *btf, uint32_t name_off)
{
	const char *s = btf__name_by_offset(btf, name_off);

	return s && *s ? s : "(anon)";
}

static const char *type_name(const struct btf *btf, const struct btf_type *t)
{
	return name_at(btf, t->name_off);
}

/* Bits [@bit_off, @bit_off + @nr_bits) of little-endian @data, zero-extended. */
static uint64_t read_bits(const uint8_t *data, uint32_t bit_off, uint32_t nr_bits)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < nr_bits && i < 64; i++) {
		uint32_t bit = bit_off + i;

		if (data[bit / 8] >> (bit % 8) & 1)
			v |= 1ull << i;
	}
	return v;
}

static void dump_int(struct ubf_json *jw, const struct btf_type *t, const uint8_t *data,
		     uint32_t bit_off, uint32_t bitfield)
{
	uint32_t enc = btf_int_encoding(t), nr_bits = bitfield ? bitfield : btf_int_bits(t);
	uint64_t v;

	bit_off += btf_int_offset(t);
	if (nr_bits > 64) {
		uint32_t i, n = nr_bits / 8;

		/* bpftool prints 128-bit integers as one hex number. */
		ubf_json_printf(jw, "0x");
		for (i = n; i > 0; i--)
			fprintf(jw->out, "%02x", data[bit_off / 8 + i - 1]);
		return;
	}
	v = read_bits(data, bit_off, nr_bits);
	if (enc & BTF_INT_BOOL) {
		ubf_json_bool(jw, v != 0);
	} else if (enc & BTF_INT_SIGNED) {
		if (nr_bits < 64 && v >> (nr_bits - 1) & 1)
			v |= ~0ull << nr_bits;
		ubf_json_int(jw, (int64_t)v);
	} else {
		ubf_json_uint(jw, v);
	}
}

/* A char array whose bytes up to a NUL are printable reads as a string. */
static bool is_string(const struct btf *btf, const struct btf_array *a, const uint8_t *data)
{
	const struct btf_type *elem = btf__type_by_id(btf, btf__resolve_type(btf, a->type));
	uint32_t i;

	if (!elem || !btf_is_int(elem) || elem->size != 1 || !a->nelems)
		return false;
	for (i = 0; i < a->nelems && data[i]; i++)
		if (data[i] < 0x20 || data[i] > 0x7e)
			return false;
	return i < a->nelems;
}

static int dump_at(struct ubf_json *jw, const struct btf *btf, uint32_t id, const uint8_t *data,
		   uint32_t bit_off, uint32_t bitfield, int depth);

static int dump_array(struct ubf_json *jw, const struct btf *btf, const struct btf_type *t,
		      const uint8_t *data, int depth)
{
	const struct btf_array *a = btf_array(t);
	int64_t elem_sz = btf__resolve_size(btf, a->type);
	uint32_t i;
	int err = 0;

	if (elem_sz < 0)
		return -EINVAL;
	if (is_string(btf, a, data)) {
		ubf_json_string(jw, (const char *)data);
		return 0;
	}
	ubf_json_start_array(jw);
	for (i = 0; i < a->nelems && !err; i++)
		err = dump_at(jw, btf, a->type, data + (size_t)i * (size_t)elem_sz, 0, 0, depth + 1);
	ubf_json_end_array(jw);
	return err;
}

static int dump_members(struct ubf_json *jw, const struct btf *btf, const struct btf_type *t,
			const uint8_t *data, int depth)
{
	const struct btf_member *m = btf_members(t);
	uint16_t i, n = btf_vlen(t);
	int err = 0;

	ubf_json_start_object(jw);
	for (i = 0; i < n && !err; i++) {
		uint32_t off = btf_member_bit_offset(t, i), bits = btf_member_bitfield_size(t, i);

		ubf_json_name(jw, btf__name_by_offset(btf, m[i].name_off));
		err = dump_at(jw, btf, m[i].type, data + off / 8, off % 8, bits, depth + 1);
	}
	ubf_json_end_object(jw);
	return err;
}

static void dump_enum(struct ubf_json *jw, const struct btf *btf, const struct btf_type *t,
		      const uint8_t *data)
{
	uint64_t v = read_bits(data, 0, t->size * 8);
	uint16_t i, n = btf_vlen(t);

	for (i = 0; i < n; i++) {
		uint64_t ev = btf_is_enum(t) ? (uint64_t)(uint32_t)btf_enum(t)[i].val
					     : btf_enum64_value(&btf_enum64(t)[i]);
		const char *name = btf__name_by_offset(btf, btf_is_enum(t) ? btf_enum(t)[i].name_off
									    : btf_enum64(t)[i].name_off);

		if (ev == v) {
			ubf_json_string(jw, name);
			return;
		}
	}
	ubf_json_uint(jw, v);
}

/* A DATASEC value: {"SECTION": [{"VAR": VALUE}, ...]}, as bpftool prints global data. */
static int dump_datasec(struct ubf_json *jw, const struct btf *btf, const struct btf_type *t,
			const uint8_t *data, int depth)
{
	const struct btf_var_secinfo *vs = btf_var_secinfos(t);
	uint16_t i, n = btf_vlen(t);
	int err = 0;

	ubf_json_start_object(jw);
	ubf_json_name(jw, type_name(btf, t));
	ubf_json_start_array(jw);
	for (i = 0; i < n && !err; i++) {
		const struct btf_type *var = btf__type_by_id(btf, vs[i].type);

		if (!var)
			return -EINVAL;
		ubf_json_start_object(jw);
		ubf_json_name(jw, type_name(btf, var));
		err = dump_at(jw, btf, var->type, data + vs[i].offset, 0, 0, depth + 1);
		ubf_json_end_object(jw);
	}
	ubf_json_end_array(jw);
	ubf_json_end_object(jw);
	return err;
}

static int dump_at(struct ubf_json *jw, const struct btf *btf, uint32_t id, const uint8_t *data,
		   uint32_t bit_off, uint32_t bitfield, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!t || depth > 32)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		dump_int(jw, t, data, bit_off, bitfield);
		return 0;
	case BTF_KIND_PTR:
		ubf_json_uint(jw, read_bits(data, 0, 64));
		return 0;
	case BTF_KIND_ARRAY:
		return dump_array(jw, btf, t, data, depth);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return dump_members(jw, btf, t, data, depth);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		dump_enum(jw, btf, t, data);
		return 0;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_VAR:
		return dump_at(jw, btf, t->type, data, bit_off, bitfield, depth + 1);
	case BTF_KIND_DATASEC:
		return dump_datasec(jw, btf, t, data, depth);
	case BTF_KIND_FLOAT:
		if (t->size == 4) {
			float f;

			memcpy(&f, data, sizeof(f));
			ubf_json_printf(jw, "%f", (double)f);
		} else if (t->size == 8) {
			double d;

			memcpy(&d, data, sizeof(d));
			ubf_json_printf(jw, "%f", d);
		} else {
			ubf_json_null(jw);
		}
		return 0;
	case BTF_KIND_UNKN:
	case BTF_KIND_FWD:
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	default:
		ubf_json_null(jw);
		return -EINVAL;
	}
}

int ubf_cli_btf_dump_data(struct ubf_json *jw, const struct btf *btf, uint32_t type_id,
			  const void *data)
{
	return dump_at(jw, btf, type_id, data, 0, 0, 0);
}

/* ---- the raw type list ---- */

static const char *const kind_names[] = {
	[BTF_KIND_UNKN] = "UNKNOWN",	   [BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",		   [BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",	   [BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",	   [BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",	   [BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",	   [BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",	   [BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",		   [BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",	   [BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG",  [BTF_KIND_ENUM64] = "ENUM64",
};

static const char *linkage_name(uint32_t linkage)
{
	switch (linkage) {
	case BTF_FUNC_STATIC:
		return "static";
	case BTF_FUNC_GLOBAL:
		return "global";
	case BTF_FUNC_EXTERN:
		return "extern";
	default:
		return "(unknown)";
	}
}

static const char *int_encoding(uint32_t enc)
{
	if (enc & BTF_INT_SIGNED)
		return "SIGNED";
	if (enc & BTF_INT_CHAR)
		return "CHAR";
	if (enc & BTF_INT_BOOL)
		return "BOOL";
	return "(none)";
}

/*
 * One type's fields.  The plain and JSON forms carry the same facts, so
 * one walk writes either: @jw NULL means plain text on stdout.
 */
struct raw_out {
	struct ubf_json *jw;
};

static void field_u(struct raw_out *o, const char *name, uint64_t v)
{
	if (o->jw)
		ubf_json_uint_field(o->jw, name, v);
	else
		printf(" %s=%llu", name, (unsigned long long)v);
}

static void field_s(struct raw_out *o, const char *name, const char *v)
{
	if (o->jw)
		ubf_json_string_field(o->jw, name, v);
	else
		printf(" %s=%s", name, v);
}

static void raw_members(struct raw_out *o, const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	uint16_t i, n = btf_vlen(t);

	field_u(o, "size", t->size);
	field_u(o, "vlen", n);
	if (o->jw) {
		ubf_json_name(o->jw, "members");
		ubf_json_start_array(o->jw);
	}
	for (i = 0; i < n; i++) {
		const char *name = name_at(btf, m[i].name_off);
		uint32_t bits = btf_member_bitfield_size(t, i);

		if (o->jw) {
			ubf_json_start_object(o->jw);
			ubf_json_string_field(o->jw, "name", name);
			ubf_json_uint_field(o->jw, "type_id", m[i].type);
			ubf_json_uint_field(o->jw, "bits_offset", btf_member_bit_offset(t, i));
			if (bits)
				ubf_json_uint_field(o->jw, "bitfield_size", bits);
			ubf_json_end_object(o->jw);
			continue;
		}
		printf("\n\t'%s' type_id=%u bits_offset=%u", name, m[i].type,
		       btf_member_bit_offset(t, i));
		if (bits)
			printf(" bitfield_size=%u", bits);
	}
	if (o->jw)
		ubf_json_end_array(o->jw);
}

static void raw_enum(struct raw_out *o, const struct btf *btf, const struct btf_type *t)
{
	uint16_t i, n = btf_vlen(t);
	bool is_signed = btf_kflag(t);

	field_s(o, "encoding", is_signed ? "SIGNED" : "UNSIGNED");
	field_u(o, "size", t->size);
	field_u(o, "vlen", n);
	if (o->jw) {
		ubf_json_name(o->jw, "values");
		ubf_json_start_array(o->jw);
	}
	for (i = 0; i < n; i++) {
		uint32_t name_off = btf_is_enum(t) ? btf_enum(t)[i].name_off
						   : btf_enum64(t)[i].name_off;
		uint64_t v = btf_is_enum(t) ? (uint64_t)(uint32_t)btf_enum(t)[i].val
					    : btf_enum64_value(&btf_enum64(t)[i]);
		const char *name = btf__name_by_offset(btf, name_off);

		if (is_signed && btf_is_enum(t))
			v = (uint64_t)(int64_t)btf_enum(t)[i].val;
		if (o->jw) {
			ubf_json_start_object(o->jw);
			ubf_json_string_field(o->jw, "name", name);
			if (is_signed)
				ubf_json_int_field(o->jw, "val", (int64_t)v);
			else
				ubf_json_uint_field(o->jw, "val", v);
			ubf_json_end_object(o->jw);
		} else if (is_signed) {
			printf("\n\t'%s' val=%lld", name, (long long)v);
		} else {
			printf("\n\t'%s' val=%llu", name, (unsigned long long)v);
		}
	}
	if (o->jw)
		ubf_json_end_array(o->jw);
}

static void raw_proto(struct raw_out *o, const struct btf *btf, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	uint16_t i, n = btf_vlen(t);

	field_u(o, "ret_type_id", t->type);
	field_u(o, "vlen", n);
	if (o->jw) {
		ubf_json_name(o->jw, "params");
		ubf_json_start_array(o->jw);
	}
	for (i = 0; i < n; i++) {
		const char *name = name_at(btf, p[i].name_off);
		if (o->jw) {
			ubf_json_start_object(o->jw);
			ubf_json_string_field(o->jw, "name", name);
			ubf_json_uint_field(o->jw, "type_id", p[i].type);
			ubf_json_end_object(o->jw);
		} else {
			printf("\n\t'%s' type_id=%u", name, p[i].type);
		}
	}
	if (o->jw)
		ubf_json_end_array(o->jw);
}

static void raw_datasec(struct raw_out *o, const struct btf *btf, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	uint16_t i, n = btf_vlen(t);

	field_u(o, "size", t->size);
	field_u(o, "vlen", n);
	if (o->jw) {
		ubf_json_name(o->jw, "vars");
		ubf_json_start_array(o->jw);
	}
	for (i = 0; i < n; i++) {
		const struct btf_type *var = btf__type_by_id(btf, v[i].type);

		if (o->jw) {
			ubf_json_start_object(o->jw);
			ubf_json_uint_field(o->jw, "type_id", v[i].type);
			ubf_json_uint_field(o->jw, "offset", v[i].offset);
			ubf_json_uint_field(o->jw, "size", v[i].size);
			ubf_json_end_object(o->jw);
		} else {
			printf("\n\ttype_id=%u offset=%u size=%u (%s '%s')", v[i].type, v[i].offset,
			       v[i].size,
			       var && btf_kind(var) < UBF_CLI_ARRAY_SIZE(kind_names)
				       ? kind_names[btf_kind(var)]
				       : "UNKNOWN",
			       var ? type_name(btf, var) : "(anon)");
		}
	}
	if (o->jw)
		ubf_json_end_array(o->jw);
}

static void raw_type(struct raw_out *o, const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	uint16_t kind = btf_kind(t);
	const char *kind_name = kind < UBF_CLI_ARRAY_SIZE(kind_names) && kind_names[kind]
					? kind_names[kind]
					: "UNKNOWN";

	if (o->jw) {
		ubf_json_start_object(o->jw);
		ubf_json_uint_field(o->jw, "id", id);
		ubf_json_string_field(o->jw, "kind", kind_name);
		ubf_json_string_field(o->jw, "name", type_name(btf, t));
	} else {
		printf("[%u] %s '%s'", id, kind_name, type_name(btf, t));
	}
	switch (kind) {
	case BTF_KIND_INT:
		field_u(o, "size", t->size);
		field_u(o, "bits_offset", btf_int_offset(t));
		field_u(o, "nr_bits", btf_int_bits(t));
		field_s(o, "encoding", int_encoding(btf_int_encoding(t)));
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		field_u(o, "type_id", t->type);
		break;
	case BTF_KIND_ARRAY:
		field_u(o, "type_id", btf_array(t)->type);
		field_u(o, "index_type_id", btf_array(t)->index_type);
		field_u(o, "nr_elems", btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		raw_members(o, btf, t);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		raw_enum(o, btf, t);
		break;
	case BTF_KIND_FWD:
		field_s(o, "fwd_kind", btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		field_u(o, "type_id", t->type);
		field_s(o, "linkage", linkage_name(btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		raw_proto(o, btf, t);
		break;
	case BTF_KIND_VAR:
		if (o->jw) {
			field_u(o, "type_id", t->type);
			field_s(o, "linkage", linkage_name(btf_var(t)->linkage));
		} else {
			printf(" type_id=%u, linkage=%s", t->type, linkage_name(btf_var(t)->linkage));
		}
		break;
	case BTF_KIND_DATASEC:
		raw_datasec(o, btf, t);
		break;
	case BTF_KIND_FLOAT:
		field_u(o, "size", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		field_u(o, "type_id", t->type);
		if (o->jw)
			ubf_json_int_field(o->jw, "component_idx", btf_decl_tag(t)->component_idx);
		else
			printf(" component_idx=%d", btf_decl_tag(t)->component_idx);
		break;
	case BTF_KIND_UNKN:
	default:
		break;
	}
	if (o->jw)
		ubf_json_end_object(o->jw);
	else
		printf("\n");
}

static void dump_raw(struct ubf_cli_bpf *b, const struct btf *btf, const uint32_t *roots,
		     size_t root_cnt)
{
	struct raw_out o = { .jw = b->json };
	uint32_t id, n = btf__type_cnt(btf);
	size_t i;

	if (o.jw) {
		ubf_json_start_object(o.jw);
		ubf_json_name(o.jw, "types");
		ubf_json_start_array(o.jw);
	}
	if (root_cnt) {
		for (i = 0; i < root_cnt; i++)
			raw_type(&o, btf, roots[i]);
	} else {
		for (id = 1; id < n; id++)
			raw_type(&o, btf, id);
	}
	if (o.jw) {
		ubf_json_end_array(o.jw);
		ubf_json_end_object(o.jw);
	}
}

static void c_printf(void *ctx, const char *fmt, va_list args) UBF_CLI_PRINTF(2, 0);

/* btf_dump's output callback: C text straight to stdout. */
static void c_printf(void *ctx, const char *fmt, va_list args)
{
	(void)ctx;
	vprintf(fmt, args);
}

static int dump_c(struct ubf_cli_bpf *b, const struct btf *btf, const uint32_t *roots,
		  size_t root_cnt)
{
	struct btf_dump *d;
	uint32_t id, n = btf__type_cnt(btf);
	size_t i;
	int err = 0;

	d = btf_dump__new(btf, c_printf, NULL, NULL);
	if (!d) {
		ubf_cli_bpf_err(b, "can't set up the C dumper: %s", strerror(errno));
		return UBF_EXIT_BPF;
	}
	printf("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n");
	printf("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	       "#pragma clang attribute push (__attribute__((preserve_access_index)), "
	       "apply_to = record)\n#endif\n\n");
	if (root_cnt) {
		for (i = 0; i < root_cnt && !err; i++)
			err = btf_dump__dump_type(d, roots[i]);
	} else {
		for (id = 1; id < n && !err; id++)
			err = btf_dump__dump_type(d, id);
	}
	printf("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n");
	printf("#endif /* __VMLINUX_H__ */\n");
	btf_dump__free(d);
	if (err) {
		ubf_cli_bpf_err(b, "C dump failed: %s", strerror(-err));
		return ubf_cli_bpf_status(err);
	}
	return 0;
}

/* `btf dump map MAP [key|value|kv|all]`: the map's BTF and the types it names. */
static int btf_of_map(struct ubf_cli_bpf *b, struct btf **btfp, uint32_t *roots, size_t *root_cnt)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);
	int ret, fd;
	bool key = true, value = true;

	ret = ubf_cli_handle_fd(b, &ubf_cli_map, &fd);
	if (ret)
		return ret;
	ret = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (ret) {
		ubf_cli_bpf_err(b, "can't get map info: %s", strerror(errno));
		return UBF_EXIT_BPF;
	}
	if (!info.btf_id) {
		ubf_cli_bpf_err(b, "no BTF object for map %u", info.id);
		return UBF_EXIT_BPF;
	}
	if (ubf_cli_bpf_accept(b, "key")) {
		value = false;
	} else if (ubf_cli_bpf_accept(b, "value")) {
		key = false;
	} else if (ubf_cli_bpf_accept(b, "all")) {
		key = value = false;
	} else {
		ubf_cli_bpf_accept(b, "kv");
	}
	*root_cnt = 0;
	if (key && info.btf_key_type_id)
		roots[(*root_cnt)++] = info.btf_key_type_id;
	if (value && info.btf_value_type_id)
		roots[(*root_cnt)++] = info.btf_value_type_id;
	*btfp = btf__load_from_kernel_by_id(info.btf_id);
	if (!*btfp) {
		ubf_cli_bpf_err(b, "get btf by id (%u): %s", info.btf_id, strerror(errno));
		return UBF_EXIT_BPF;
	}
	return 0;
}

static int load_btf(struct ubf_cli_bpf *b, struct btf **btfp, uint32_t *roots, size_t *root_cnt)
{
	const char *how = ubf_cli_bpf_next(b, "BTF_SRC (file FILE, id ID or map MAP)"), *arg;
	uint32_t id;

	*root_cnt = 0;
	if (!how)
		return UBF_EXIT_BPF;
	if (!strcmp(how, "map"))
		return btf_of_map(b, btfp, roots, root_cnt);
	if (!strcmp(how, "id")) {
		if (ubf_cli_bpf_u32(b, "BTF id", &id))
			return UBF_EXIT_BPF;
		*btfp = btf__load_from_kernel_by_id(id);
		if (!*btfp) {
			ubf_cli_bpf_err(b, "get btf by id (%u): %s", id, strerror(errno));
			return UBF_EXIT_BPF;
		}
		return 0;
	}
	if (!strcmp(how, "file")) {
		arg = ubf_cli_bpf_next(b, "FILE");
		if (!arg)
			return UBF_EXIT_BPF;
		*btfp = btf__parse(arg, NULL);
		if (!*btfp) {
			ubf_cli_bpf_err(b, "failed to load BTF from %s: %s", arg, strerror(errno));
			return UBF_EXIT_BPF;
		}
		return 0;
	}
	ubf_cli_bpf_err(b, "unrecognized BTF source specifier: '%s'", how);
	return UBF_EXIT_BPF;
}

static int do_dump(struct ubf_cli_bpf *b)
{
	struct btf *btf = NULL;
	uint32_t roots[2];
	size_t root_cnt;
	bool is_c = false;
	const char *fmt;
	int ret;

	ret = load_btf(b, &btf, roots, &root_cnt);
	if (ret)
		goto out;
	if (ubf_cli_bpf_accept(b, "format")) {
		fmt = ubf_cli_bpf_next(b, "format (raw or c)");
		if (!fmt || (strcmp(fmt, "raw") && strcmp(fmt, "c"))) {
			if (fmt)
				ubf_cli_bpf_err(b, "unrecognized format specifier: '%s', "
						   "possible values: raw, c", fmt);
			ret = UBF_EXIT_BPF;
			goto out;
		}
		is_c = !strcmp(fmt, "c");
	}
	if (ubf_cli_bpf_extra(b)) {
		ret = UBF_EXIT_BPF;
		goto out;
	}
	if (is_c && b->json) {
		ubf_cli_bpf_err(b, "JSON output for C-syntax dump is not supported");
		ret = UBF_EXIT_BPF;
	} else if (is_c) {
		ret = dump_c(b, btf, roots, root_cnt);
	} else {
		dump_raw(b, btf, roots, root_cnt);
	}
out:
	btf__free(btf);
	return ret;
}

static const char btf_help[] =
	"Commands (bpftool's syntax; -j/--json, -p/--pretty anywhere):\n"
	"  btf dump BTF_SRC [format FORMAT]\n"
	"\n"
	"  BTF_SRC := { id BTF_ID | map MAP [{ key | value | kv | all }] | file FILE }\n"
	"  FORMAT := { raw | c }\n"
	"  MAP := { id MAP_ID | pinned FILE | name MAP_NAME }\n"
	"\n"
	"FILE is an ELF object with a .BTF section or a raw BTF blob.  'format raw' (the\n"
	"default) lists every type as bpftool does; 'format c' prints C declarations.\n";

static const struct ubf_cli_verb btf_verbs[] = {
	{ "dump", do_dump },
};

static int cmd_btf(int argc, char **argv)
{
	return ubf_cli_bpf_main(&ubf_cli_cmd_btf, btf_verbs, UBF_CLI_ARRAY_SIZE(btf_verbs), argc,
				argv);
}

const struct ubf_cli_cmd ubf_cli_cmd_btf = {
	.name = "btf",
	.fn = cmd_btf,
	.usage = "dump { file FILE | id ID | map MAP } [format { raw | c }]",
	.summary = "print BTF type information, as bpftool btf",
	.help = btf_help,
};
