// SPDX-License-Identifier: BSD-2-Clause
/*
 * attr.c - a child's bpf(cmd, attr, size), run by the supervisor with
 * ubf_bpf().  attr.def says, per command, which fields are the child's fds
 * (pidfd_getfd() gives the supervisor its own fd on the same file, which
 * names the same object), which are pointers into the child's memory and
 * how long they are (copied in with process_vm_readv() into local buffers
 * the attr then points to, and what changed copied back), and whether the
 * result is a new fd (installed in the child by ubf_exec_answer()).  Map
 * fds inside PROG_LOAD's instructions and fd_array are translated the same
 * way.  Nothing here trusts the child: every length is bounded.
 */
#define _GNU_SOURCE
#include "exec/exec.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "sys/sys.h"

#define ATTR_MAX 4096			/* Linux: an attr past one page is E2BIG */
#define BUF_MAX (256u << 20)		/* no single buffer of a child is larger */
#define PATH_CAP 4096

enum row_kind { ROW_PTR, ROW_FD, ROW_FD_OPT, ROW_RET_FD };
enum len_rule { LEN_NONE, LEN_FIELD, LEN_KEY, LEN_VALUE, LEN_KEYS, LEN_VALUES, LEN_STR, LEN_FDS,
		LEN_INFO };
enum dir { DIR_IN = 1, DIR_OUT = 2, DIR_INOUT = 3 };

struct attr_row {
	uint32_t cmd;
	uint16_t off;
	uint8_t kind;
	uint8_t len;
	uint8_t dir;
	uint16_t len_off;
	uint32_t scale;
	uint16_t rec_off;
};

#define ATTR_OFF(f) ((uint16_t)offsetof(union bpf_attr, f))
static const struct attr_row attr_rows[] = {
#define UBF_EXEC_ATTR(cmd, field, kind, len, len_arg, scale, rec_arg, dir)			\
	{ cmd, ATTR_OFF(field), ROW_##kind, len, dir, ATTR_OFF(len_arg), scale, ATTR_OFF(rec_arg) },
#define UBF_EXEC_INFO(kind, type, field, cnt_field, scale, rec_field)
#include "exec/attr.def"
#undef UBF_EXEC_INFO
#undef UBF_EXEC_ATTR
};

struct info_row {
	uint32_t kind;
	uint16_t off;
	uint16_t cnt_off;
	uint32_t scale;
	uint16_t rec_off;
};

static const struct info_row info_rows[] = {
#define UBF_EXEC_ATTR(cmd, field, kind, len, len_arg, scale, rec_arg, dir)
#define UBF_EXEC_INFO(kind, type, field, cnt_field, scale, rec_field)			\
	{ kind, offsetof(struct type, field), offsetof(struct type, cnt_field), scale,	\
	  offsetof(struct type, rec_field) },
#include "exec/attr.def"
#undef UBF_EXEC_INFO
#undef UBF_EXEC_ATTR
};

/* One buffer standing in for a child's pointer: where it lives in the child, and ours. */
struct span {
	uint8_t *owner;			/* the attr or info struct holding the pointer */
	uint16_t off;
	uint64_t child;
	uint8_t *buf;
	uint8_t *orig;			/* copy before the call: only changed bytes go back */
	size_t len;
	bool is_out;
};

struct marshal {
	struct ubf_exec_call *c;
	union {
		union bpf_attr attr;
		uint8_t raw[ATTR_MAX];
	};
	uint8_t before[ATTR_MAX];
	size_t size;
	int *fds;			/* our dups of the child's fds, closed after the call */
	size_t fd_cnt, fd_cap;
	struct span spans[16];
	size_t span_cnt;
	int obj_fd;			/* the command's first FD row: the map or object */
	uint32_t fd_idx_cnt;		/* fd_array entries the insns index */
	bool is_ret_fd;
};

static uint32_t get_u32(const uint8_t *p, uint16_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void put_u32(uint8_t *p, uint16_t off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static uint64_t get_u64(const uint8_t *p, uint16_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void put_u64(uint8_t *p, uint16_t off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

/* Our fd for the child's @fd, kept open until the call is over. */
static int translate_fd(struct marshal *m, int fd, int *ourp)
{
	int our, err;

	if (m->fd_cnt == m->fd_cap) {
		size_t cap = m->fd_cap ? 2 * m->fd_cap : 8;
		int *fds = realloc(m->fds, cap * sizeof(*fds));

		if (!fds)
			return -ENOMEM;
		m->fds = fds;
		m->fd_cap = cap;
	}
	err = ubf_exec_getfd(m->c, fd, &our);
	if (err)
		return err;
	m->fds[m->fd_cnt++] = our;
	*ourp = our;
	return 0;
}

static int do_fd(struct marshal *m, const struct attr_row *r)
{
	int child = (int)get_u32(m->raw, r->off), our, err;

	if (!child && r->kind == ROW_FD_OPT)
		return 0;	/* Linux: 0 means "none" in these fields */
	err = translate_fd(m, child, &our);
	if (err && r->kind == ROW_FD_OPT)
		return 0;	/* an ifindex, an id or no fd at all: Linux decides */
	if (err)
		return err;
	if (m->obj_fd < 0)
		m->obj_fd = our;
	put_u32(m->raw, r->off, (uint32_t)our);
	return 0;
}

/* The user view of the map the command names: key and value sizes. */
static int map_sizes(struct marshal *m, uint64_t *key_sz, uint64_t *value_sz)
{
	struct ubf_obj *obj;
	int err;

	if (m->obj_fd < 0)
		return -EBADF;
	err = ubf_obj_get(m->obj_fd, UBF_OBJ_MAP, &obj);
	if (err)
		return err;
	*key_sz = obj->map->key_size;
	*value_sz = obj->map->is_percpu ? (uint64_t)obj->map->ncpu * obj->map->pcpu_value_sz :
					  obj->map->value_size;
	return 0;
}

static int row_len(struct marshal *m, const struct attr_row *r, uint64_t *lenp)
{
	uint64_t key_sz = 0, value_sz = 0, n = get_u32(m->raw, r->len_off);
	int err = 0;

	if (r->len >= LEN_KEY && r->len <= LEN_VALUES)
		err = map_sizes(m, &key_sz, &value_sz);
	if (err)
		return err;
	switch ((enum len_rule)r->len) {
	case LEN_FIELD:
		*lenp = n * (r->scale ? r->scale : get_u32(m->raw, r->rec_off));
		return 0;
	case LEN_KEY:
		*lenp = key_sz;
		return 0;
	case LEN_VALUE:
		*lenp = value_sz;
		return 0;
	case LEN_KEYS:
		*lenp = n * key_sz;
		return 0;
	case LEN_VALUES:
		*lenp = n * value_sz;
		return 0;
	case LEN_FDS:
		*lenp = (uint64_t)m->fd_idx_cnt * r->scale;
		return 0;
	case LEN_INFO:
		*lenp = n;
		return 0;
	case LEN_STR:
	case LEN_NONE:
		break;
	}
	*lenp = PATH_CAP;
	return 0;
}

static int add_span(struct marshal *m, uint8_t *owner, uint16_t off, size_t len, bool is_in,
		    bool is_out, struct span **sp)
{
	struct span *s;
	uint64_t child = get_u64(owner, off);
	int err;

	if (!child)
		return 0;	/* NULL stays NULL: the command decides what that means */
	if (m->span_cnt == sizeof(m->spans) / sizeof(m->spans[0]) || len > BUF_MAX)
		return -E2BIG;
	s = &m->spans[m->span_cnt];
	memset(s, 0, sizeof(*s));
	s->buf = calloc(1, len ? len : 1);
	s->orig = calloc(1, len ? len : 1);
	if (!s->buf || !s->orig) {
		free(s->buf);
		free(s->orig);
		return -ENOMEM;
	}
	m->span_cnt++;
	s->owner = owner;
	s->off = off;
	s->child = child;
	s->len = len;
	s->is_out = is_out;
	/* out buffers are read too, so bytes the command does not write go back unchanged */
	err = is_in || is_out ? ubf_exec_read(m->c, child, s->buf, len) : 0;
	if (err)
		return err;
	memcpy(s->orig, s->buf, len);
	put_u64(owner, off, (uint64_t)(uintptr_t)s->buf);
	if (sp)
		*sp = s;
	return 0;
}

/* Map fds in ld_imm64 (BPF_PSEUDO_MAP_FD/_VALUE, a BTF object fd), and how far fd_array is used. */
static int translate_insns(struct marshal *m, struct bpf_insn *insn, size_t cnt)
{
	size_t i;
	int our;

	for (i = 0; i + 1 < cnt; i++) {
		if (insn[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		switch (insn[i].src_reg) {
		case BPF_PSEUDO_MAP_FD:
		case BPF_PSEUDO_MAP_VALUE:
			insn[i].imm = translate_fd(m, insn[i].imm, &our) ? -1 : our;
			break;
		case BPF_PSEUDO_BTF_ID:
			if (insn[i + 1].imm)
				insn[i + 1].imm = translate_fd(m, insn[i + 1].imm, &our) ? -1 : our;
			break;
		case BPF_PSEUDO_MAP_IDX:
		case BPF_PSEUDO_MAP_IDX_VALUE:
			if (insn[i].imm >= 0 && (uint32_t)insn[i].imm < (1u << 20) &&
			    (uint32_t)insn[i].imm + 1 > m->fd_idx_cnt)
				m->fd_idx_cnt = (uint32_t)insn[i].imm + 1;
			break;
		default:
			break;
		}
		i++;
	}
	return 0;
}

static void translate_fd_array(struct marshal *m, struct span *s)
{
	int32_t *fd = (int32_t *)(void *)s->buf;
	size_t i;
	int our;

	for (i = 0; i < s->len / sizeof(*fd); i++)
		fd[i] = translate_fd(m, fd[i], &our) ? -1 : our;
	memcpy(s->orig, s->buf, s->len);
	s->is_out = false;
}

/* OBJ_GET_INFO_BY_FD: the arrays the info struct points to, for the kind of object. */
static int info_spans(struct marshal *m, struct span *info)
{
	struct ubf_obj *obj;
	uint64_t n;
	size_t i;
	int err;

	err = ubf_obj_get(m->obj_fd, 0, &obj);
	if (err)
		return err;
	for (i = 0; i < sizeof(info_rows) / sizeof(info_rows[0]); i++) {
		const struct info_row *r = &info_rows[i];

		if (r->kind != (uint32_t)obj->kind || (size_t)r->off + 8 > info->len ||
		    (size_t)r->cnt_off + 4 > info->len || (size_t)r->rec_off + 4 > info->len)
			continue;
		n = (uint64_t)get_u32(info->buf, r->cnt_off) *
		    (r->scale ? r->scale : get_u32(info->buf, r->rec_off));
		err = add_span(m, info->buf, r->off, (size_t)n, false, true, NULL);
		if (err)
			return err;
	}
	/* the info struct goes back with the child's pointers, not ours */
	return 0;
}

/*
 * MAP_UPDATE_ELEM's value for a map whose values are fds (prog arrays,
 * perf event arrays, maps of maps) is the child's fd: ours goes in instead.
 */
static void translate_value_fd(struct marshal *m, struct span *s)
{
	struct ubf_obj *obj;
	int32_t fd;
	int our;

	if (ubf_obj_get(m->obj_fd, UBF_OBJ_MAP, &obj) || s->len != sizeof(fd))
		return;
	switch (obj->map->map_type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		memcpy(&fd, s->buf, sizeof(fd));
		fd = translate_fd(m, fd, &our) ? -1 : our;
		memcpy(s->buf, &fd, sizeof(fd));
		memcpy(s->orig, s->buf, sizeof(fd));
		break;
	default:
		break;
	}
}

static int do_ptr(struct marshal *m, const struct attr_row *r)
{
	struct span *s = NULL;
	uint64_t len;
	int err;

	err = row_len(m, r, &len);
	if (err)
		return err;
	if (r->len == LEN_STR) {
		uint64_t child = get_u64(m->raw, r->off);
		char *buf;

		if (!child)
			return 0;
		err = add_span(m, m->raw, r->off, 0, false, false, &s);
		if (err)
			return err;
		buf = realloc(s->buf, PATH_CAP);
		if (!buf)
			return -ENOMEM;
		s->buf = (uint8_t *)buf;
		put_u64(m->raw, r->off, (uint64_t)(uintptr_t)buf);
		return ubf_exec_read_str(m->c, child, buf, PATH_CAP);
	}
	err = add_span(m, m->raw, r->off, (size_t)len, r->dir & DIR_IN, r->dir & DIR_OUT, &s);
	if (err || !s)
		return err;
	if (r->len == LEN_FIELD && r->off == ATTR_OFF(insns))
		return translate_insns(m, (struct bpf_insn *)(void *)s->buf, s->len / 8);
	if (r->len == LEN_FDS)
		translate_fd_array(m, s);
	if (r->cmd == BPF_MAP_UPDATE_ELEM && r->len == LEN_VALUE)
		translate_value_fd(m, s);
	if (r->len == LEN_INFO)
		return info_spans(m, s);
	return 0;
}

static int marshal_in(struct marshal *m, uint32_t cmd)
{
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(attr_rows) / sizeof(attr_rows[0]) && !err; i++) {
		const struct attr_row *r = &attr_rows[i];

		/* a field past the caller's size is zero, as in Linux */
		if (r->cmd != cmd || (size_t)r->off + (r->kind == ROW_PTR ? 8 : 4) > m->size)
			continue;
		switch ((enum row_kind)r->kind) {
		case ROW_FD:
		case ROW_FD_OPT:
			err = do_fd(m, r);
			break;
		case ROW_PTR:
			err = do_ptr(m, r);
			break;
		case ROW_RET_FD:
			m->is_ret_fd = true;
			break;
		}
	}
	return err;
}

/* Write back the runs of bytes that differ between @now and @was. */
static int write_changed(struct ubf_exec_call *c, uint64_t child, const uint8_t *now,
			 const uint8_t *was, size_t len)
{
	size_t i = 0, j;
	int err;

	while (i < len) {
		if (now[i] == was[i]) {
			i++;
			continue;
		}
		for (j = i; j < len && now[j] != was[j]; j++)
			;
		err = ubf_exec_write(c, child + i, now + i, j - i);
		if (err)
			return err;
		i = j;
	}
	return 0;
}

/* Out buffers (innermost first: info arrays, then info), then the attr's changed fields. */
static int marshal_out(struct marshal *m, uint64_t attr_addr)
{
	size_t i;
	int err;

	for (i = m->span_cnt; i-- > 0;) {
		struct span *s = &m->spans[i];

		if (!s->is_out)
			continue;
		if (s->owner != m->raw) {
			/* an array inside the info struct: give the struct its pointer back */
			put_u64(s->owner, s->off, s->child);
		}
		err = write_changed(m->c, s->child, s->buf, s->orig, s->len);
		if (err)
			return err;
	}
	return write_changed(m->c, attr_addr, m->raw, m->before, m->size);
}

static void marshal_free(struct marshal *m)
{
	size_t i;

	for (i = 0; i < m->fd_cnt; i++)
		close(m->fds[i]);
	free(m->fds);
	for (i = 0; i < m->span_cnt; i++) {
		free(m->spans[i].buf);
		free(m->spans[i].orig);
	}
	free(m);
}

/*
 * A test run happens here, in the supervisor, but the program's "current
 * CPU" (bpf_get_smp_processor_id(), BPF_F_CURRENT_CPU of
 * perf_event_output) is the calling thread's: for PROG_TEST_RUN this thread
 * takes the caller's CPU affinity, and gives it back after (run_on_caller_cpu()).
 */
static int run_on_caller_cpu(const struct ubf_exec_call *c, uint32_t cmd, void *attr, uint32_t size)
{
	cpu_set_t mine, theirs;
	bool moved;
	int ret, saved;

	moved = cmd == BPF_PROG_TEST_RUN && !sched_getaffinity(0, sizeof(mine), &mine) &&
		!sched_getaffinity((pid_t)c->notif->pid, sizeof(theirs), &theirs) &&
		!sched_setaffinity(0, sizeof(theirs), &theirs);
	ret = ubf_bpf((int)cmd, attr, size);
	saved = errno;
	if (moved)
		sched_setaffinity(0, sizeof(mine), &mine);
	errno = saved;
	return ret;
}

void ubf_exec_bpf(struct ubf_exec_call *c)
{
	uint32_t cmd = (uint32_t)c->notif->data.args[0];
	uint64_t attr_addr = c->notif->data.args[1];
	uint64_t size = (uint32_t)c->notif->data.args[2];
	struct marshal *m = calloc(1, sizeof(*m));
	int ret, err;

	if (!m) {
		c->err = -ENOMEM;
		return;
	}
	m->c = c;
	m->obj_fd = -1;
	m->size = size;
	err = size > ATTR_MAX ? -E2BIG : ubf_exec_read(c, attr_addr, m->raw, size);
	if (!err)
		err = marshal_in(m, cmd);
	if (!err)
		err = ubf_exec_call_valid(c);
	if (err)
		goto out;
	memcpy(m->before, m->raw, sizeof(m->before));
	ret = run_on_caller_cpu(c, cmd, m->raw, (unsigned int)size);
	err = ret < 0 ? -errno : 0;
	if (marshal_out(m, attr_addr) && !err)
		err = -EFAULT;
	if (!err && m->is_ret_fd)
		c->fd = ret;
	else if (!err)
		c->val = ret;
	else if (ret >= 0 && m->is_ret_fd)
		close(ret);
out:
	c->err = err;
	marshal_free(m);
}
