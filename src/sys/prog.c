// SPDX-License-Identifier: BSD-2-Clause
/*
 * prog.c - program objects of the bpf(2) layer: PROG_LOAD with Linux's
 * attr checks and log, the program types of prog_types.def, the program's
 * file in the store (rebuilt by ubf_sys_prog_open() in any process), the
 * lddw pseudo forms resolved to held maps, the tag, and the program half of
 * OBJ_GET_INFO_BY_FD.  PROG_TEST_RUN and ENABLE_STATS are in test_run.c.
 *
 * The verifier (prog_verify.c) decides how a program runs: trusted when
 * it proved the program safe; otherwise, when the loader asked for no
 * verification, in the engines' checked mode: every memory access is
 * checked against the run's regions (its stack, its context, the values
 * of the maps it names through lddw and what helpers grant), under an
 * instruction budget.  A checked program may be wrong; it cannot corrupt
 * the process.  The verdict is kept in the file's header.
 *
 * The file: [xlated instructions][map ids][func_info][line_info] from
 * offset 0, then one page with struct ubf_prog_file_hdr (sys.h).  The maps
 * a program names are kept alive beyond their creator through hard links
 * <root>/.held/map-<id>, so a pinned program still finds them in a later
 * process.
 */
#include "sys/sys.h"
#include "sys/core.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "helpers/helpers.h"
#include "util/log.h"
#include "verifier/verifier.h"

/* Linux limits: BPF_COMPLEXITY_LIMIT_INSNS, MAX_USED_MAPS, the func/line info record sizes. */
#define PROG_MAX_INSNS 1000000u
#define PROG_MAX_MAPS 64u
#define INFO_REC_MAX 252u
#define PROG_FLAGS_KNOWN                                                                  \
	(BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | BPF_F_TEST_RND_HI32 |              \
	 BPF_F_TEST_STATE_FREQ | BPF_F_SLEEPABLE | BPF_F_XDP_HAS_FRAGS | UBF_BPF_F_UNVERIFIED |          \
	 UBF_BPF_F_VERIFY_ONLY)
/* Linux's bpf_verifier_log_attr_valid(): BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2 | BPF_LOG_STATS. */
#define LOG_LEVEL_MASK 7u
#define LOG_MIN_SIZE 128u
#define PROG_FILE_VERSION 2u

/* ---------------------------------------------------------------- program types */

/* expected_attach_type rules (Linux's bpf_prog_load_check_attach()). */
struct attach_rule {
	int8_t any;		/* 1: any value; -1: the type cannot be loaded at all */
	uint8_t cnt;		/* allowed values (cnt 0 and any 0: only 0) */
	bool zero_is_first;	/* 0 means list[0] (bpf_prog_load_fixup_attach_type()) */
	uint32_t list[12];
};

static const struct attach_rule att_any = { .any = 1 };
static const struct attach_rule att_zero = { .any = 0 };
static const struct attach_rule att_reject = { .any = -1 };
static const struct attach_rule att_cgroup_skb = {
	.cnt = 2, .list = { BPF_CGROUP_INET_INGRESS, BPF_CGROUP_INET_EGRESS } };
/* The first is what Linux's bpf_prog_load_fixup_attach_type() picks for 0. */
static const struct attach_rule att_cgroup_sock = {
	.cnt = 4, .zero_is_first = true,
	.list = { BPF_CGROUP_INET_SOCK_CREATE, BPF_CGROUP_INET_SOCK_RELEASE,
		  BPF_CGROUP_INET4_POST_BIND, BPF_CGROUP_INET6_POST_BIND } };
static const struct attach_rule att_cgroup_sock_addr = {
	.cnt = 12,
	.list = { BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET6_BIND, BPF_CGROUP_INET4_CONNECT,
		  BPF_CGROUP_INET6_CONNECT, BPF_CGROUP_INET4_GETPEERNAME,
		  BPF_CGROUP_INET6_GETPEERNAME, BPF_CGROUP_INET4_GETSOCKNAME,
		  BPF_CGROUP_INET6_GETSOCKNAME, BPF_CGROUP_UDP4_SENDMSG, BPF_CGROUP_UDP6_SENDMSG,
		  BPF_CGROUP_UDP4_RECVMSG, BPF_CGROUP_UDP6_RECVMSG } };
static const struct attach_rule att_cgroup_sockopt = {
	.cnt = 2, .list = { BPF_CGROUP_SETSOCKOPT, BPF_CGROUP_GETSOCKOPT } };
static const struct attach_rule att_sk_reuseport = {
	.cnt = 2, .zero_is_first = true,
	.list = { BPF_SK_REUSEPORT_SELECT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE } };
static const struct attach_rule att_sk_lookup = { .cnt = 1, .list = { BPF_SK_LOOKUP } };

struct prog_type_row {
	struct ubf_prog_type pub;
	const struct attach_rule *attach;
};

static const struct prog_type_row prog_types[] = {
#define UBF_PROG_TYPE(type, name, ctx_size, runner, attach) \
	[type] = { { name, (uint32_t)(ctx_size), runner }, &attach },
#include "sys/prog_types.def"
#undef UBF_PROG_TYPE
};

const struct ubf_prog_type *ubf_prog_type(uint32_t type)
{
	if (type >= UBF_ARRAY_SIZE(prog_types) || !prog_types[type].attach ||
	    prog_types[type].attach->any < 0)
		return NULL;
	return &prog_types[type].pub;
}

/* Linux: CGROUP_SOCK and SK_REUSEPORT fix 0 up to their first; lists are enforced. */
static int check_attach(const struct attach_rule *rule, uint32_t *expected)
{
	uint8_t i;

	if (rule->any)
		return 0;
	if (rule->zero_is_first && *expected == 0)
		*expected = rule->list[0];
	if (!rule->cnt)
		return *expected ? -EINVAL : 0;
	for (i = 0; i < rule->cnt; i++) {
		if (rule->list[i] == *expected)
			return 0;
	}
	return -EINVAL;
}

/* ---------------------------------------------------------------- SHA-1 and the tag */

/* FIPS 180-4 SHA-1 over a message the caller padded to whole 64-byte blocks. */
static uint32_t rol32(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f, k, t;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

/*
 * Linux's tag (bpf_prog_calc_tag()): the first 8 bytes of the SHA-1 of the
 * instructions as loaded, with the imm of both slots of every lddw src 1
 * and 2 zeroed, so the tag does not depend on fd numbers.
 */
static int calc_tag(const struct ubf_raw_insn *insns, uint32_t cnt, uint8_t tag[BPF_TAG_SIZE])
{
	uint64_t bits = (uint64_t)cnt * sizeof(*insns) * 8;
	size_t len = (size_t)cnt * sizeof(*insns), padded = (len + 8) / 64 * 64 + 64, i;
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	struct ubf_raw_insn *c;
	uint8_t *buf;

	buf = calloc(1, padded);
	if (!buf)
		return -ENOMEM;
	c = (struct ubf_raw_insn *)(void *)buf;
	memcpy(buf, insns, len);
	for (i = 0; i + 1 < cnt; i++) {
		unsigned src = ubf_raw_src(&c[i]);

		if (c[i].code != 0x18 || (src != BPF_PSEUDO_MAP_FD && src != BPF_PSEUDO_MAP_VALUE))
			continue;
		if (c[i + 1].code || c[i + 1].regs || c[i + 1].off)
			continue;
		c[i].imm = 0;
		c[i + 1].imm = 0;
		i++;
	}
	buf[len] = 0x80;
	for (i = 0; i < 8; i++)
		buf[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (i = 0; i < padded; i += 64)
		sha1_block(h, buf + i);
	free(buf);
	for (i = 0; i < BPF_TAG_SIZE; i++)
		tag[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
	return 0;
}

/* ---------------------------------------------------------------- the log */

/*
 * Linux's fixed-size verifier log: messages are appended, one per line,
 * NUL-terminated; what does not fit is dropped and the load fails with
 * ENOSPC once it is over.
 */
struct vlog {
	struct ubf_log sink;
	char *buf;
	uint32_t size;
	uint32_t len;
	bool is_full;
};

static void vlog_write(void *cookie, enum ubf_log_level level, const char *msg)
{
	struct vlog *log = cookie;
	size_t n = strlen(msg), room;

	(void)level;
	if (!log->buf || log->is_full)
		return;
	room = log->size - 1 - log->len;
	if (n + 1 > room) {
		memcpy(log->buf + log->len, msg, room);
		log->len += (uint32_t)room;
		log->is_full = true;
	} else {
		memcpy(log->buf + log->len, msg, n);
		log->buf[log->len + n] = '\n';
		log->len += (uint32_t)n + 1;
	}
	log->buf[log->len] = '\0';
}

static void vlog_printf(struct vlog *log, const char *fmt, ...) UBF_PRINTF(2, 3);

static void vlog_printf(struct vlog *log, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!log->buf)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vlog_write(log, UBF_LOG_WARN, msg);
}

static int vlog_init(struct vlog *log, const union bpf_attr *attr)
{
	memset(log, 0, sizeof(*log));
	if (!attr->log_level && !attr->log_buf && !attr->log_size)
		return 0;
	if (attr->log_size < LOG_MIN_SIZE || attr->log_size > UINT32_MAX >> 2 ||
	    !attr->log_level || !attr->log_buf || (attr->log_level & ~LOG_LEVEL_MASK))
		return -EINVAL;
	log->buf = calloc(1, attr->log_size);
	if (!log->buf)
		return -ENOMEM;
	log->size = attr->log_size;
	log->sink.fn = vlog_write;
	log->sink.cookie = log;
	log->sink.level = (attr->log_level & 2u) ? UBF_LOG_DEBUG : UBF_LOG_INFO;
	return 0;
}

/* Hand the log to the caller; ENOSPC when it was truncated (Linux, whatever the verdict). */
static int vlog_finish(struct vlog *log, const union bpf_attr *attr, int err)
{
	int cerr;

	if (!log->buf)
		return err;
	cerr = ubf_sys_copy_to_user(ubf_u64_to_ptr(attr->log_buf), log->buf, log->len + 1);
	free(log->buf);
	log->buf = NULL;
	if (cerr)
		return cerr;
	return log->is_full ? -ENOSPC : err;
}

/* ---------------------------------------------------------------- attr checks */

/* Linux's bpf_obj_name_cpy(): letters, digits, '_' and '.', NUL-terminated. */
static int copy_name(char dst[BPF_OBJ_NAME_LEN], const char src[BPF_OBJ_NAME_LEN])
{
	size_t i;

	memset(dst, 0, BPF_OBJ_NAME_LEN);
	for (i = 0; i < BPF_OBJ_NAME_LEN; i++) {
		if (!src[i])
			return 0;
		if (!isalnum((unsigned char)src[i]) && src[i] != '_' && src[i] != '.')
			return -EINVAL;
		dst[i] = src[i];
	}
	return -EINVAL;
}

bool ubf_sys_license_is_gpl(const char *lic)
{
	static const char *const gpl[] = { "GPL", "GPL v2", "GPL and additional rights",
					   "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };
	size_t i;

	for (i = 0; i < UBF_ARRAY_SIZE(gpl); i++) {
		if (!strcmp(lic, gpl[i]))
			return true;
	}
	return false;
}

/* strncpy_from_user() of at most @sz - 1 bytes, reading no further than the string. */
static int copy_string(char *dst, size_t sz, const char *src)
{
	size_t i;

	if (!src)
		return -EFAULT;
	for (i = 0; i + 1 < sz; i++) {
		if (ubf_sys_copy_from_user(&dst[i], src + i, 1))
			return -EFAULT;
		if (!dst[i])
			return 0;
	}
	dst[i] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- loading */

struct load {
	union bpf_attr *attr;
	struct ubf_sys_prog *prog;
	struct ubf_raw_insn *insns;	/* as loaded */
	struct ubf_raw_insn *xlated;	/* map lddws carry map ids (and src 1/2) */
	const uint32_t *map_ids;	/* reopening: the file's map ids resolve the lddws */
	struct bpf_func_info *func_info;
	struct bpf_line_info *line_info;
	struct btf *btf;
	struct vlog log;
	struct ubf_diag diag;
};

static int lddw_fail(struct ubf_diag *diag, size_t idx, int err, const char *id,
		     const char *fmt, ...) UBF_PRINTF(5, 6);

static int lddw_fail(struct ubf_diag *diag, size_t idx, int err, const char *id,
		     const char *fmt, ...)
{
	va_list ap;
	int len;

	diag->insn_idx = (uint32_t)idx;
	diag->id = id;
	len = snprintf(diag->msg, sizeof(diag->msg), "insn %zu: ", idx);
	va_start(ap, fmt);
	vsnprintf(diag->msg + len, sizeof(diag->msg) - (size_t)len, fmt, ap);
	va_end(ap);
	return err;
}

/* Keep @obj in the program's map list (once); *@idx is its place. */
static int add_map(struct ubf_sys_prog *prog, struct ubf_obj *obj)
{
	struct ubf_obj **maps;
	uint32_t i;

	for (i = 0; i < prog->map_cnt; i++) {
		if (prog->maps[i] == obj)
			return 0;
	}
	if (prog->map_cnt >= PROG_MAX_MAPS)
		return -E2BIG;
	maps = realloc(prog->maps, (prog->map_cnt + 1) * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	prog->maps = maps;
	ubf_obj_hold(obj);
	maps[prog->map_cnt++] = obj;
	return 0;
}

/* The map an lddw names: by fd (src 1/2), fd_array[imm] (src 5/6) or, reopening, by id. */
static int lddw_map(struct load *ld, struct ubf_lddw_ref *ref, struct ubf_obj **objp,
		    struct ubf_diag *diag)
{
	unsigned src = ubf_raw_src(&ref->insn[0]);
	int32_t imm = ref->insn[0].imm;
	uint32_t i;
	int fd, err;

	if (ld->map_ids) {
		for (i = 0; i < ld->prog->map_cnt; i++) {
			if (ld->prog->maps[i]->id == (uint32_t)imm) {
				*objp = ld->prog->maps[i];
				return 0;
			}
		}
		return lddw_fail(diag, ref->insn_idx, -EINVAL, "prog.map_gone",
				 "map id %d is not among the program's maps", imm);
	}
	fd = imm;
	if (src == BPF_PSEUDO_MAP_IDX || src == BPF_PSEUDO_MAP_IDX_VALUE) {
		const int *fd_array = ubf_u64_to_ptr(ld->attr->fd_array);

		if (!fd_array)
			return lddw_fail(diag, ref->insn_idx, -EPROTO, "prog.no_fd_array",
					 "lddw src=%u needs fd_array", src);
		if (ubf_sys_copy_from_user(&fd, fd_array + imm, sizeof(fd)))
			return lddw_fail(diag, ref->insn_idx, -EFAULT, "prog.bad_fd_array",
					 "fd_array[%d] is not readable", imm);
	}
	err = ubf_obj_get(fd, UBF_OBJ_MAP, objp);
	if (err)
		return lddw_fail(diag, ref->insn_idx, err, "prog.bad_map_fd",
				 "fd %d is not pointing to a valid map", fd);
	err = add_map(ld->prog, *objp);
	if (err)
		return lddw_fail(diag, ref->insn_idx, err, "prog.too_many_maps",
				 "more than %u maps", PROG_MAX_MAPS);
	return 0;
}

/*
 * Direct value access (src 2/6) as Linux's array_map_direct_value_addr():
 * an ARRAY with one element, offset inside the value.  The value is a
 * region of the program, read-only when the map is BPF_F_RDONLY_PROG.
 */
static int lddw_value(struct ubf_lddw_ref *ref, struct ubf_map *map, struct ubf_diag *diag)
{
	uint32_t off = (uint32_t)ref->insn[1].imm;

	if (map->map_type != BPF_MAP_TYPE_ARRAY)
		return lddw_fail(diag, ref->insn_idx, -EINVAL, "prog.no_direct_value",
				 "map type %u has no direct value access", map->map_type);
	if (map->max_entries != 1)
		return lddw_fail(diag, ref->insn_idx, -UBF_ENOTSUPP, "prog.no_direct_value",
				 "direct value access needs max_entries 1, map has %u",
				 map->max_entries);
	if (off >= map->value_size)
		return lddw_fail(diag, ref->insn_idx, -EINVAL, "prog.value_off",
				 "direct value offset %u is outside the %u-byte value", off,
				 map->value_size);
	ref->value = (uint64_t)(uintptr_t)(map->data + off);
	ref->region.addr = map->data;
	ref->region.size = map->value_size;
	ref->region.is_writable = !(map->map_flags & BPF_F_RDONLY_PROG);
	return 0;
}

/* struct ubf_prog_opts.lddw: maps by fd, fd_array or id; no kernel variables (src 3). */
static int resolve_lddw(void *cookie, struct ubf_lddw_ref *ref, struct ubf_diag *diag)
{
	struct load *ld = cookie;
	unsigned src = ubf_raw_src(&ref->insn[0]);
	struct ubf_raw_insn *xl = &ld->xlated[ref->insn_idx];
	struct ubf_obj *obj;
	int err;

	if (src == BPF_PSEUDO_BTF_ID)
		return lddw_fail(diag, ref->insn_idx, -EINVAL, "prog.btf_id_unsupported",
				 "lddw src=3 names kernel variable BTF id %d; there are no "
				 "kernel variables in user space", ref->insn[0].imm);
	err = lddw_map(ld, ref, &obj, diag);
	if (err)
		return err;
	ref->value = (uint64_t)(uintptr_t)obj->map;
	if (src == BPF_PSEUDO_MAP_VALUE || src == BPF_PSEUDO_MAP_IDX_VALUE) {
		err = lddw_value(ref, obj->map, diag);
		if (err)
			return err;
	}
	/* Linux's xlated form: src 1/2 with the map's id. */
	xl->regs = (uint8_t)((xl->regs & 0x0f) |
			     (src == BPF_PSEUDO_MAP_IDX || src == BPF_PSEUDO_MAP_FD
				      ? BPF_PSEUDO_MAP_FD << 4 : BPF_PSEUDO_MAP_VALUE << 4));
	xl->imm = (int32_t)obj->id;
	return 0;
}

/*
 * Give the engine's program the maps its lddws named, which it holds for
 * its lifetime: a checked run may then read (and, unless the map is
 * BPF_F_RDONLY_PROG, write) their values without a grant at each lookup,
 * and helpers know them live.  Only the values: a hash map's keys and
 * links stay out of reach.  Map-in-map values are ids, never handed out.
 */
static int add_map_areas(struct load *ld)
{
	struct ubf_sys_prog *prog = ld->prog;
	struct ubf_map_area ma;
	uint32_t i;
	int err;

	for (i = 0; i < prog->map_cnt; i++) {
		const struct ubf_map *map = prog->maps[i]->map;
		struct ubf_run_area a = {
			.owner = map, .is_writable = !(map->map_flags & BPF_F_RDONLY_PROG),
		};

		if (map->ops->value_area && !map->ops->has_inner_map) {
			map->ops->value_area(map, &ma);
			a.start = (uintptr_t)ma.start;
			a.end = (uintptr_t)ma.start + ma.size;
			a.stride = ma.stride;
			a.off = ma.off;
			a.len = ma.len;
		}
		err = ubf_prog_add_area(prog->vm, &a);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Build the engine's program with the lddws resolved: trusted when the
 * verifier proved it, else checked; @engine UBF_ENGINE_INTERP for the
 * first build of a load, which only resolves the lddws for the verifier.
 */
static int build_vm(struct load *ld, bool is_trusted, uint32_t engine)
{
	struct ubf_prog_opts opts = { .sz = sizeof(opts) };
	struct ubf_sys_prog *prog = ld->prog;
	uint32_t cnt = ubf_sys_prog_hdr(prog) ? ubf_sys_prog_hdr(prog)->insn_cnt
					      : ld->attr->insn_cnt;
	int err;

	/* the engine's own messages stay out of log_buf, which is the verifier's (Linux) */
	opts.diag = &ld->diag;
	opts.flags = is_trusted ? UBF_PROG_F_TRUSTED : UBF_PROG_F_CHECKED;
	opts.engine = engine;
	opts.name = prog->name[0] ? prog->name : "prog";
	opts.lddw = resolve_lddw;
	opts.lddw_cookie = ld;
	err = ubf_prog_load(&prog->vm, ld->insns, cnt, &opts);
	if (!err)
		err = add_map_areas(ld);
	if (err && prog->vm) {
		ubf_prog_free(prog->vm);
		prog->vm = NULL;
	}
	return err;
}

/* Copy @cnt records of @rec_size bytes (Linux's rules) into @out, @our_size each. */
static int copy_info_recs(uint64_t uptr, uint32_t cnt, uint32_t rec_size, uint32_t our_size,
			  void **out)
{
	uint8_t *buf, *rec;
	uint32_t i, j;

	if (rec_size < our_size || rec_size > INFO_REC_MAX || rec_size % 4)
		return -EINVAL;
	buf = calloc(cnt, our_size);
	rec = malloc(rec_size);
	if (!buf || !rec) {
		free(buf);
		free(rec);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		if (ubf_sys_copy_from_user(rec, (const uint8_t *)ubf_u64_to_ptr(uptr) +
							(size_t)i * rec_size, rec_size)) {
			free(buf);
			free(rec);
			return -EFAULT;
		}
		/* bpf_check_uarg_tail_zero(): a larger record's extra bytes must be zero */
		for (j = our_size; j < rec_size; j++) {
			if (rec[j]) {
				free(buf);
				free(rec);
				return -E2BIG;
			}
		}
		memcpy(buf + (size_t)i * our_size, rec, our_size);
	}
	free(rec);
	*out = buf;
	return 0;
}

/* func_info: first at insn 0, strictly increasing, inside the program, BTF FUNC types. */
static int check_func_info(struct load *ld)
{
	const union bpf_attr *a = ld->attr;
	uint32_t i;
	int err;

	err = copy_info_recs(a->func_info, a->func_info_cnt, a->func_info_rec_size,
			     sizeof(struct bpf_func_info), (void **)&ld->func_info);
	if (err)
		return err;
	for (i = 0; i < a->func_info_cnt; i++) {
		const struct bpf_func_info *fi = &ld->func_info[i];
		const struct btf_type *t = btf__type_by_id(ld->btf, fi->type_id);

		if ((i == 0 && fi->insn_off) || (i && fi->insn_off <= fi[-1].insn_off) ||
		    fi->insn_off >= a->insn_cnt) {
			vlog_printf(&ld->log, "func_info[%u]: insn_off %u out of order or range", i,
				    fi->insn_off);
			return -EINVAL;
		}
		if (!t || !btf_is_func(t)) {
			vlog_printf(&ld->log, "func_info[%u]: type_id %u is not a FUNC", i,
				    fi->type_id);
			return -EINVAL;
		}
	}
	return 0;
}

/* line_info: increasing insn_off inside the program, names inside the BTF strings. */
static int check_line_info(struct load *ld)
{
	const union bpf_attr *a = ld->attr;
	uint32_t i;
	int err;

	err = copy_info_recs(a->line_info, a->line_info_cnt, a->line_info_rec_size,
			     sizeof(struct bpf_line_info), (void **)&ld->line_info);
	if (err)
		return err;
	for (i = 0; i < a->line_info_cnt; i++) {
		const struct bpf_line_info *li = &ld->line_info[i];

		if ((i == 0 && li->insn_off) || (i && li->insn_off <= li[-1].insn_off) ||
		    li->insn_off >= a->insn_cnt || !btf__str_by_offset(ld->btf, li->line_off) ||
		    !btf__str_by_offset(ld->btf, li->file_name_off)) {
			vlog_printf(&ld->log, "line_info[%u]: invalid insn_off or string offset", i);
			return -EINVAL;
		}
	}
	return 0;
}

/* prog_btf_fd with func_info and line_info (Linux's check_btf_info()). */
static int load_btf_info(struct load *ld)
{
	const union bpf_attr *a = ld->attr;
	struct ubf_obj *obj;
	int err;

	if (!a->func_info_cnt && !a->line_info_cnt && !a->prog_btf_fd)
		return 0;
	if (!a->prog_btf_fd)
		return -EINVAL;
	err = ubf_obj_get((int)a->prog_btf_fd, UBF_OBJ_BTF, &obj);
	if (!err)
		err = ubf_sys_btf_get((int)a->prog_btf_fd, &ld->btf);
	if (err)
		return err;
	ubf_obj_hold(obj);
	ld->prog->btf = obj;
	ubf_obj_store_hold(obj);
	if (a->func_info_cnt) {
		err = check_func_info(ld);
		if (err)
			return err;
	}
	if (a->line_info_cnt) {
		if (!a->func_info_cnt)
			return -EINVAL;
		err = check_line_info(ld);
	}
	return err;
}

/* The attr fields checked before anything is built (Linux's bpf_prog_load()). */
static int check_load_attr(struct load *ld)
{
	union bpf_attr *a = ld->attr;
	struct ubf_sys_prog *prog = ld->prog;
	const struct ubf_prog_type *pt = ubf_prog_type(a->prog_type);
	char license[128];
	int err;

	/* Linux's bpf_prog_load() order: flags, insn_cnt (E2BIG), then the type */
	if (a->prog_flags & ~(uint32_t)PROG_FLAGS_KNOWN)
		return -EINVAL;
	if ((a->prog_flags & UBF_BPF_F_UNVERIFIED) && (a->prog_flags & UBF_BPF_F_VERIFY_ONLY))
		return -EINVAL;
	if ((a->prog_flags & BPF_F_SLEEPABLE) && a->prog_type != BPF_PROG_TYPE_TRACING &&
	    a->prog_type != BPF_PROG_TYPE_LSM && a->prog_type != BPF_PROG_TYPE_SYSCALL &&
	    a->prog_type != BPF_PROG_TYPE_STRUCT_OPS)
		return -EINVAL;
	if (a->insn_cnt == 0 || a->insn_cnt > PROG_MAX_INSNS)
		return -E2BIG;
	if (!pt)
		return -EINVAL;
	err = copy_string(license, sizeof(license), ubf_u64_to_ptr(a->license));
	if (err)
		return err;
	prog->gpl_compatible = ubf_sys_license_is_gpl(license);
	if (copy_name(prog->name, a->prog_name))
		return -EINVAL;
	prog->expected_attach_type = a->expected_attach_type;
	if (check_attach(prog_types[a->prog_type].attach,
			 &prog->expected_attach_type))
		return -EINVAL;
	if (a->attach_btf_id && a->prog_type != BPF_PROG_TYPE_TRACING &&
	    a->prog_type != BPF_PROG_TYPE_LSM && a->prog_type != BPF_PROG_TYPE_STRUCT_OPS &&
	    a->prog_type != BPF_PROG_TYPE_EXT)
		return -EINVAL;
	if (a->attach_prog_fd && a->prog_type != BPF_PROG_TYPE_TRACING &&
	    a->prog_type != BPF_PROG_TYPE_EXT)
		return -EINVAL;
	prog->prog_type = a->prog_type;
	prog->prog_flags = a->prog_flags;
	return 0;
}

/* The instructions, as loaded and as they will be dumped. */
static int copy_insns(struct load *ld)
{
	size_t sz = (size_t)ld->attr->insn_cnt * sizeof(struct ubf_raw_insn);

	ld->insns = malloc(sz);
	ld->xlated = malloc(sz);
	if (!ld->insns || !ld->xlated)
		return -ENOMEM;
	if (ubf_sys_copy_from_user(ld->insns, ubf_u64_to_ptr(ld->attr->insns), sz))
		return -EFAULT;
	memcpy(ld->xlated, ld->insns, sz);
	return 0;
}

/* ---------------------------------------------------------------- the file */

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Map @fd's whole file shared: the data from offset 0 and the header page at the end. */
static int map_file(struct ubf_sys_prog *prog, int fd)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st))
		return -errno;
	if ((uint64_t)st.st_size < ubf_shm_page_size())
		return -EINVAL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	prog->file = p;
	prog->file_sz = (size_t)st.st_size;
	prog->obj.hdr = (struct ubf_obj_hdr *)(void *)((uint8_t *)p + st.st_size -
						      ubf_shm_page_size());
	return 0;
}

/* Write the program's file; on success *@fdp is the caller's new fd. */
static int write_file(struct load *ld, int *fdp)
{
	struct ubf_sys_prog *prog = ld->prog;
	const union bpf_attr *a = ld->attr;
	size_t page = ubf_shm_page_size(), off, sz;
	struct ubf_prog_file_hdr *h;
	uint8_t *data;
	uint32_t i;
	int fd, err;

	off = (size_t)a->insn_cnt * sizeof(struct ubf_raw_insn);
	sz = off + prog->map_cnt * sizeof(uint32_t);
	sz = (size_t)ubf_round_up(sz, 8) + (size_t)a->func_info_cnt * sizeof(*ld->func_info) +
	     (size_t)a->line_info_cnt * sizeof(*ld->line_info);
	err = ubf_store_file((size_t)ubf_round_up(sz, page) + page, &fd);
	if (err)
		return err;
	err = map_file(prog, fd);
	if (err) {
		close(fd);
		return err;
	}
	h = ubf_sys_prog_hdr(prog);
	ubf_store_obj_init(&h->obj, UBF_PROG_MAGIC, sizeof(*h), UBF_OBJ_PROG);
	h->obj.version = PROG_FILE_VERSION;
	data = prog->file;
	memcpy(data, ld->xlated, off);
	h->insns_off = 0;
	h->map_ids_off = off;
	for (i = 0; i < prog->map_cnt; i++) {
		memcpy(data + off, &prog->maps[i]->id, sizeof(uint32_t));
		off += sizeof(uint32_t);
		ubf_obj_store_hold(prog->maps[i]);
	}
	off = (size_t)ubf_round_up(off, 8);
	h->func_info_off = off;
	if (a->func_info_cnt)
		memcpy(data + off, ld->func_info, a->func_info_cnt * sizeof(*ld->func_info));
	off += a->func_info_cnt * sizeof(*ld->func_info);
	h->line_info_off = off;
	if (a->line_info_cnt)
		memcpy(data + off, ld->line_info, a->line_info_cnt * sizeof(*ld->line_info));
	h->prog_type = prog->prog_type;
	h->expected_attach_type = prog->expected_attach_type;
	h->prog_flags = prog->prog_flags;
	h->insn_cnt = a->insn_cnt;
	h->map_cnt = prog->map_cnt;
	h->btf_id = prog->btf ? prog->btf->id : 0;
	h->func_info_cnt = a->func_info_cnt;
	h->line_info_cnt = a->line_info_cnt;
	h->attach_btf_id = a->attach_btf_id;
	h->gpl_compatible = prog->gpl_compatible;
	h->is_verified = prog->is_verified;
	h->ctx_max = prog->ctx_max;
	h->load_time = boot_ns();
	memcpy(h->name, prog->name, sizeof(h->name));
	memcpy(h->tag, prog->tag, sizeof(h->tag));
	*fdp = fd;
	return 0;
}

/* Hand the finished program to the registry: its own fd on the file, the caller's fd. */
static int register_prog(struct ubf_sys_prog *prog, int fd)
{
	char path[64];
	int own, err;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	own = open(path, O_RDWR | O_CLOEXEC);
	if (own < 0)
		return -errno;
	prog->obj.kind = UBF_OBJ_PROG;
	prog->obj.fd = own;
	prog->obj.id = prog->obj.hdr->id;
	prog->obj.prog = prog;
	err = ubf_obj_register(&prog->obj, fd);
	if (err)
		close(own);
	return err;
}

static void prog_free(struct ubf_sys_prog *prog)
{
	uint32_t i;

	if (!prog)
		return;
	ubf_prog_free(prog->vm);
	for (i = 0; i < prog->map_cnt; i++)
		ubf_obj_put(prog->maps[i]);
	free(prog->maps);
	ubf_obj_put(prog->btf);
	if (prog->file)
		munmap(prog->file, prog->file_sz);
	free(prog);
}

/*
 * The verifier's step, between the first build (which resolved the maps,
 * so it sees the xlated instructions) and the program's real one: trusted
 * when it proved the program safe, checked otherwise.
 */
static int verify(struct load *ld)
{
	struct ubf_sys_prog *prog = ld->prog;
	const struct ubf_log *log = ld->log.buf ? &ld->log.sink : NULL;
	struct ubf_verify_input in = {
		.insns = ld->xlated,
		.insn_cnt = ld->attr->insn_cnt,
		.log_level = ld->attr->log_level,
		.btf = ld->btf,
		.func_info = ld->func_info,
		.func_info_cnt = ld->func_info ? ld->attr->func_info_cnt : 0,
		.line_info = ld->line_info,
		.line_info_cnt = ld->line_info ? ld->attr->line_info_cnt : 0,
		.attach_btf_id = ld->attr->attach_btf_id,
		.is_non_gpl = !prog->gpl_compatible,
		.is_sleepable = !!(ld->attr->prog_flags & BPF_F_SLEEPABLE),
		.cpu_cnt = ubf_cpu_count(),
	};
	int err;

	/* a target in a module's BTF or in a BPF program: not modelled */
	if (ld->attr->attach_btf_id && ld->attr->attach_prog_fd) {
		ubf_log_printf(log, UBF_LOG_WARN, "attach_btf_obj_fd/attach_prog_fd %u: userbpf "
			       "resolves attach_btf_id in the kernel's vmlinux BTF only",
			       ld->attr->attach_prog_fd);
		return -UBF_ENOTSUPP;
	}
	err = ubf_sys_prog_verify(prog, &in, log);
	ubf_prog_free(prog->vm);
	prog->vm = NULL;
	if (err || (prog->prog_flags & UBF_BPF_F_VERIFY_ONLY))
		return err;
	return build_vm(ld, prog->is_verified, UBF_ENGINE_DEFAULT);
}

/*
 * The first build of a verify-only load, which only resolves the lddws: a
 * call of a helper userbpf cannot run is built as a call of one it can
 * (get_prandom_u32, no arguments), in a copy; the verifier sees the
 * program as loaded, and the built one is dropped unrun (verify()).
 */
static int build_first(struct load *ld)
{
	struct ubf_raw_insn *insns = ld->insns, *copy;
	uint32_t i, cnt = ld->attr->insn_cnt;
	int err;

	if (!(ld->prog->prog_flags & UBF_BPF_F_VERIFY_ONLY))
		return build_vm(ld, false, UBF_ENGINE_INTERP);
	copy = malloc((size_t)cnt * sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, insns, (size_t)cnt * sizeof(*copy));
	for (i = 0; i < cnt; i++)
		if (copy[i].code == (BPF_JMP | BPF_CALL) && !ubf_raw_src(&copy[i]) &&
		    !ubf_helper_builtin_find(copy[i].imm) && ubf_helper_proto_find(copy[i].imm))
			copy[i].imm = BPF_FUNC_get_prandom_u32;
	ld->insns = copy;
	err = build_vm(ld, false, UBF_ENGINE_INTERP);
	ld->insns = insns;
	free(copy);
	return err;
}


static void load_done(struct load *ld)
{
	free(ld->insns);
	free(ld->xlated);
	free(ld->func_info);
	free(ld->line_info);
	free(ld->log.buf);
}

/* Everything after the attr checks; the log gets the reason of a failure. */
static int load_build(struct load *ld, int *fdp)
{
	int err;

	err = copy_insns(ld);
	if (!err)
		err = load_btf_info(ld);
	if (err)
		return err;
	err = build_first(ld);
	if (err) {
		if (ld->diag.id)
			vlog_printf(&ld->log, "%s: %s", ld->diag.id, ld->diag.msg);
		return err;
	}
	err = verify(ld);
	if (!err)
		err = calc_tag(ld->insns, ld->attr->insn_cnt, ld->prog->tag);
	if (!err)
		err = write_file(ld, fdp);
	return err;
}

int ubf_cmd_prog_load(union bpf_attr *attr)
{
	struct load ld = { .attr = attr };
	int fd = -1, err;

	ld.diag.insn_idx = UBF_DIAG_NO_INSN;
	err = vlog_init(&ld.log, attr);
	if (err)
		return err;
	ld.prog = calloc(1, sizeof(*ld.prog));
	if (!ld.prog) {
		free(ld.log.buf);
		return -ENOMEM;
	}
	err = check_load_attr(&ld);
	if (!err)
		err = load_build(&ld, &fd);
	err = vlog_finish(&ld.log, attr, err);
	if (!err)
		err = register_prog(ld.prog, fd);
	if (err) {
		if (fd >= 0)
			close(fd);
		prog_free(ld.prog);
		load_done(&ld);
		return err;
	}
	load_done(&ld);
	return fd;
}

/* ---------------------------------------------------------------- reopening */

/* A map the program names, in this process: known, pinned, held open elsewhere, or held. */
static int open_held_map(uint32_t id, struct ubf_obj **objp)
{
	char path[4200];
	int fd, err;

	if (!ubf_obj_by_id(UBF_OBJ_MAP, id, objp))
		return 0;
	snprintf(path, sizeof(path), "%s/.held/map-%u", ubf_store_root(), id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	err = ubf_obj_get(fd, UBF_OBJ_MAP, objp);
	close(fd);
	return err;
}

/* Check the header of a program file against the file's size. */
static int check_file_hdr(const struct ubf_sys_prog *prog)
{
	const struct ubf_prog_file_hdr *h = ubf_sys_prog_hdr(prog);
	size_t data = prog->file_sz - ubf_shm_page_size();
	uint64_t end;

	if (h->obj.magic != UBF_PROG_MAGIC || h->obj.version != PROG_FILE_VERSION ||
	    h->insn_cnt == 0 || h->insn_cnt > PROG_MAX_INSNS || h->map_cnt > PROG_MAX_MAPS ||
	    !ubf_prog_type(h->prog_type))
		return -EINVAL;
	end = h->insns_off + (uint64_t)h->insn_cnt * sizeof(struct ubf_raw_insn);
	if (h->insns_off > data || end > data || h->map_ids_off > data ||
	    h->map_ids_off + (uint64_t)h->map_cnt * 4 > data || h->func_info_off > data ||
	    h->func_info_off + (uint64_t)h->func_info_cnt * sizeof(struct bpf_func_info) > data ||
	    h->line_info_off > data ||
	    h->line_info_off + (uint64_t)h->line_info_cnt * sizeof(struct bpf_line_info) > data ||
	    h->map_ids_off % 4)
		return -EINVAL;
	return 0;
}

/* Rebuild the maps and the engine's program of a file this process has not seen. */
static int reopen(struct ubf_sys_prog *prog)
{
	struct ubf_prog_file_hdr *h = ubf_sys_prog_hdr(prog);
	struct load ld = { .prog = prog };
	struct ubf_obj *obj;
	uint32_t i, id;
	size_t sz = (size_t)h->insn_cnt * sizeof(struct ubf_raw_insn);
	int err;

	ld.map_ids = (const uint32_t *)(void *)((uint8_t *)prog->file + h->map_ids_off);
	for (i = 0; i < h->map_cnt; i++) {
		id = ld.map_ids[i];
		err = open_held_map(id, &obj);
		if (!err)
			err = add_map(prog, obj);
		if (err)
			return err;
	}
	ld.insns = malloc(sz);
	ld.xlated = malloc(sz);
	if (!ld.insns || !ld.xlated) {
		load_done(&ld);
		return -ENOMEM;
	}
	memcpy(ld.insns, (uint8_t *)prog->file + h->insns_off, sz);
	memcpy(ld.xlated, ld.insns, sz);
	/* the verdict is the file's: PROG_LOAD verified these instructions */
	prog->is_verified = h->is_verified != 0;
	prog->ctx_max = h->ctx_max;
	/* a verify-only program has no engine's program: it never runs */
	err = prog->prog_flags & UBF_BPF_F_VERIFY_ONLY ? 0 :
	      build_vm(&ld, prog->is_verified, UBF_ENGINE_DEFAULT);
	load_done(&ld);
	return err;
}

int ubf_sys_prog_open(int fd, struct ubf_obj **objp)
{
	struct ubf_sys_prog *prog = calloc(1, sizeof(*prog));
	struct ubf_prog_file_hdr *h;
	int err;

	if (!prog)
		return -ENOMEM;
	err = map_file(prog, fd);
	if (!err)
		err = check_file_hdr(prog);
	if (err)
		goto out_free;
	h = ubf_sys_prog_hdr(prog);
	prog->prog_type = h->prog_type;
	prog->expected_attach_type = h->expected_attach_type;
	prog->prog_flags = h->prog_flags;
	memcpy(prog->name, h->name, sizeof(prog->name));
	prog->name[sizeof(prog->name) - 1] = '\0';
	memcpy(prog->tag, h->tag, sizeof(prog->tag));
	prog->gpl_compatible = h->gpl_compatible != 0;
	if (h->btf_id && !ubf_obj_by_id(UBF_OBJ_BTF, h->btf_id, &prog->btf))
		ubf_obj_hold(prog->btf);
	err = reopen(prog);
	if (err)
		goto out_free;
	prog->obj.prog = prog;
	*objp = &prog->obj;
	return 0;

out_free:
	prog_free(prog);
	return err;
}

void ubf_sys_prog_release(struct ubf_obj *obj)
{
	prog_free(ubf_container_of(obj, struct ubf_sys_prog, obj));
}

/* ---------------------------------------------------------------- info */

/* Copy min(@have, *@ucnt) records of @rec bytes to @uptr; *@ucnt becomes @have. */
static int info_array(uint64_t uptr, uint32_t *ucnt, uint32_t have, const void *src, size_t rec)
{
	uint32_t n = *ucnt < have ? *ucnt : have;

	*ucnt = have;
	if (!uptr || !n)
		return 0;
	return ubf_sys_copy_to_user(ubf_u64_to_ptr(uptr), src, (size_t)n * rec);
}

/*
 * Where the program's functions start, as Linux's verifier splits it:
 * instruction 0, then each target of a bpf-to-bpf call or of an ld_imm64
 * of a function (a callback), in order.  *@startsp (allocated) gets them.
 * Return: how many, at least 1; -ENOMEM.
 */
static int func_starts(const struct ubf_raw_insn *insns, uint32_t cnt, uint32_t **startsp)
{
	uint8_t *is_start = calloc(cnt, 1);
	uint32_t *starts, i, n = 0;
	int64_t t;

	if (!is_start)
		return -ENOMEM;
	is_start[0] = 1;
	for (i = 0; i < cnt; i++) {
		const struct ubf_raw_insn *in = &insns[i];

		if (!((in->code == (BPF_JMP | BPF_CALL) && ubf_raw_src(in) == BPF_PSEUDO_CALL) ||
		      (in->code == (BPF_LD | BPF_IMM | BPF_DW) && ubf_raw_src(in) == BPF_PSEUDO_FUNC)))
			continue;
		t = (int64_t)i + in->imm + 1;
		if (t >= 0 && t < cnt)
			is_start[t] = 1;
	}
	for (i = 0; i < cnt; i++)
		n += is_start[i];
	starts = malloc(n * sizeof(*starts));
	if (!starts) {
		free(is_start);
		return -ENOMEM;
	}
	for (i = 0, n = 0; i < cnt; i++)
		if (is_start[i])
			starts[n++] = i;
	free(is_start);
	*startsp = starts;
	return (int)n;
}

/* The index in @starts of the function starting at @insn (0 when none does). */
static uint32_t func_index(const uint32_t *starts, uint32_t n, int64_t insn)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (starts[mid] == insn)
			return mid;
		if (starts[mid] < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * The instructions as Linux reports a JITed program's: a bpf-to-bpf call
 * has its relative target in off and the callee's function index (into
 * jited_ksyms) in imm, where the loaded form has the target in imm.
 */
static int info_xlated(const struct ubf_sys_prog *prog, const struct bpf_prog_info *u,
		       struct bpf_prog_info *info)
{
	const struct ubf_prog_file_hdr *h = ubf_sys_prog_hdr(prog);
	const struct ubf_raw_insn *src = (const void *)((const uint8_t *)prog->file + h->insns_off);
	uint32_t cnt = h->insn_cnt, *starts = NULL, i;
	struct ubf_raw_insn *x;
	int n, err;

	info->xlated_prog_len = u->xlated_prog_len;
	info->xlated_prog_insns = u->xlated_prog_insns;
	if (!u->xlated_prog_insns || !u->xlated_prog_len)
		return info_array(0, &info->xlated_prog_len, cnt * (uint32_t)sizeof(*x), NULL, 1);
	x = malloc((size_t)cnt * sizeof(*x));
	n = x ? func_starts(src, cnt, &starts) : -ENOMEM;
	if (n < 0) {
		free(x);
		return n;
	}
	memcpy(x, src, (size_t)cnt * sizeof(*x));
	for (i = 0; i < cnt; i++) {
		if (x[i].code != (BPF_JMP | BPF_CALL) || ubf_raw_src(&x[i]) != BPF_PSEUDO_CALL)
			continue;
		/* Linux's off is the 16-bit truncation of the relative target too */
		x[i].off = (int16_t)x[i].imm;
		x[i].imm = (int32_t)func_index(starts, (uint32_t)n, (int64_t)i + src[i].imm + 1);
	}
	err = info_array(u->xlated_prog_insns, &info->xlated_prog_len,
			 cnt * (uint32_t)sizeof(*x), x, 1);
	free(starts);
	free(x);
	return err;
}

/*
 * Where jited_ksyms put program @id's image.  The image has no kernel
 * address and sits at a different place in each process that opens the
 * program, so the symbols are stand-ins in the kernel's half, the same
 * in every process (bpftool's `dump xlated` prints them when no kallsyms
 * entry names them, and two processes must print the same): 16 MiB per
 * program id from the kernel half's start, distinct for every 32-bit id.
 */
#define KSYM_BASE 0xffff800000000000ULL
#define KSYM_SHIFT 24

/*
 * The native code, when the JIT compiled the program, and one symbol and
 * length per function as Linux gives them: userbpf's image is one piece,
 * so function i's symbol is where its first instruction's code starts
 * (function 0: the image's start) and its length runs to the next one's
 * (the last: to the image's end, so the lengths add up to the image).
 */
static int info_jited(const struct ubf_sys_prog *prog, const struct bpf_prog_info *u,
		      struct bpf_prog_info *info)
{
	const struct ubf_prog_file_hdr *h = ubf_sys_prog_hdr(prog);
	const struct ubf_raw_insn *insns = (const void *)((const uint8_t *)prog->file + h->insns_off);
	uint32_t *starts = NULL, *lens = NULL, i, n;
	uint64_t *ksyms = NULL, base;
	const void *code = NULL;
	size_t code_sz = 0, off;
	int err, cnt;

	if (ubf_prog_jit_code(prog->vm, &code, &code_sz))
		return 0;
	cnt = func_starts(insns, h->insn_cnt, &starts);
	if (cnt < 0)
		return cnt;
	ksyms = calloc((size_t)cnt, sizeof(*ksyms));
	lens = calloc((size_t)cnt, sizeof(*lens));
	err = ksyms && lens ? 0 : -ENOMEM;
	base = KSYM_BASE + ((uint64_t)h->obj.id << KSYM_SHIFT);
	for (i = 0; !err && i < (uint32_t)cnt; i++) {
		off = 0;
		if (i && ubf_prog_jit_insn_off(prog->vm, starts[i], &off))
			err = -EFAULT;
		ksyms[i] = base + off;
		if (i)
			lens[i - 1] = (uint32_t)(ksyms[i] - ksyms[i - 1]);
	}
	if (!err)
		lens[cnt - 1] = (uint32_t)(base + code_sz - ksyms[cnt - 1]);
	n = u->jited_prog_len;
	if (!err)
		err = info_array(u->jited_prog_insns, &n, (uint32_t)code_sz, code, 1);
	info->jited_prog_len = (uint32_t)code_sz;
	info->jited_prog_insns = u->jited_prog_insns;
	n = u->nr_jited_ksyms;
	if (!err)
		err = info_array(u->jited_ksyms, &n, (uint32_t)cnt, ksyms, sizeof(*ksyms));
	info->nr_jited_ksyms = n;
	info->jited_ksyms = u->jited_ksyms;
	n = u->nr_jited_func_lens;
	if (!err)
		err = info_array(u->jited_func_lens, &n, (uint32_t)cnt, lens, sizeof(*lens));
	info->nr_jited_func_lens = n;
	info->jited_func_lens = u->jited_func_lens;
	free(ksyms);
	free(lens);
	free(starts);
	return err;
}

int ubf_sys_prog_info(struct ubf_obj *obj, struct bpf_prog_info *info)
{
	struct ubf_sys_prog *prog = ubf_container_of(obj, struct ubf_sys_prog, obj);
	const struct ubf_prog_file_hdr *h = ubf_sys_prog_hdr(prog);
	const uint8_t *data = prog->file;
	struct bpf_prog_info u = *info;
	int err;

	memset(info, 0, sizeof(*info));
	info->type = h->prog_type;
	info->id = h->obj.id;
	memcpy(info->tag, h->tag, sizeof(info->tag));
	memcpy(info->name, h->name, sizeof(info->name));
	info->load_time = h->load_time;
	info->created_by_uid = h->obj.uid;
	info->btf_id = h->btf_id;
	info->gpl_compatible = h->gpl_compatible != 0;
	info->verified_insns = h->insn_cnt;
	info->attach_btf_id = h->attach_btf_id;
	info->run_time_ns = __atomic_load_n(&h->run_time_ns, __ATOMIC_RELAXED);
	info->run_cnt = __atomic_load_n(&h->run_cnt, __ATOMIC_RELAXED);
	info->recursion_misses = __atomic_load_n(&h->recursion_misses, __ATOMIC_RELAXED);
	err = info_xlated(prog, &u, info);
	info->nr_map_ids = u.nr_map_ids;
	info->map_ids = u.map_ids;
	if (!err)
		err = info_array(u.map_ids, &info->nr_map_ids, h->map_cnt, data + h->map_ids_off,
				 sizeof(uint32_t));
	info->nr_func_info = u.nr_func_info;
	info->func_info = u.func_info;
	info->func_info_rec_size = sizeof(struct bpf_func_info);
	if (!err)
		err = info_array(u.func_info, &info->nr_func_info, h->func_info_cnt,
				 data + h->func_info_off, sizeof(struct bpf_func_info));
	info->nr_line_info = u.nr_line_info;
	info->line_info = u.line_info;
	info->line_info_rec_size = sizeof(struct bpf_line_info);
	if (!err)
		err = info_array(u.line_info, &info->nr_line_info, h->line_info_cnt,
				 data + h->line_info_off, sizeof(struct bpf_line_info));
	if (!err)
		err = info_jited(prog, &u, info);
	return err;
}
