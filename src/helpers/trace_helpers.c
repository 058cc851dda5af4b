// SPDX-License-Identifier: BSD-2-Clause
/*
 * trace_helpers.c - trace_printk, trace_vprintk and snprintf with Linux's
 * format rules (bpf_bprintf_prepare() in kernel/bpf/helpers.c): the same
 * conversions and flags, the same argument limits, -EINVAL for anything
 * else, strings read without trusting the pointer (an unreadable one
 * prints as empty, as in Linux) within Linux's 512-byte budget.  Trace
 * lines are appended to <pin root>/trace_pipe in the layout of Linux's
 * trace_pipe, one write() each, so `userbpf prog tracelog` can follow it.
 */
#define _GNU_SOURCE
#include "helpers/helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <userbpf/bpf.h>

#include "vm/vm.h"

/* Linux: MAX_TRACE_PRINTK_VARARGS, MAX_BPRINTF_VARARGS, MAX_BPRINTF_BUF_LEN, BPF_TRACE_PRINTK_SIZE. */
#define TRACE_PRINTK_MAX_ARGS 3
#define BPRINTF_MAX_ARGS 12
#define BPRINTF_BUF_SZ 512
#define TRACE_PRINTK_SZ 1024
/* The kernel's vsnprintf() clamps widths to FIELD_WIDTH_MAX. */
#define FIELD_WIDTH_MAX ((1u << 23) - 1)
/* Longest snprintf format a checked run may pass (read-only map memory). */
#define FMT_MAX_LEN 65536

/* Formatted output: at most @cap - 1 bytes are kept, @len counts them all. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->cap) {
		size_t room = o->cap - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_pad(struct out *o, char c, size_t n)
{
	while (n--)
		put(o, &c, 1);
}

struct spec {
	bool left;	/* '-' */
	bool zero;	/* '0' */
	bool plus;	/* '+' */
	bool space;	/* ' ' */
	size_t width;
};

/* Emit @s (@n bytes) padded to the width; numbers zero-pad after their sign. */
static void put_field(struct out *o, const char *s, size_t n, const struct spec *sp,
		      bool is_number)
{
	size_t pad = sp->width > n ? sp->width - n : 0;

	if (sp->left) {
		put(o, s, n);
		put_pad(o, ' ', pad);
		return;
	}
	if (is_number && sp->zero) {
		if (n && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
			put(o, s, 1);
			s++;
			n--;
		}
		put_pad(o, '0', pad);
	} else {
		put_pad(o, ' ', pad);
	}
	put(o, s, n);
}

static bool k_isspace(char c)
{
	return (c >= 9 && c <= 13) || c == ' ';
}

static bool k_ispunct(char c)
{
	return c > ' ' && c < 0x7f && !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
								  (c | 0x20) <= 'z'));
}

/* State of one format: the arguments, the budget Linux's per-CPU buffer gives. */
struct fmt_state {
	const uint64_t *args;
	uint32_t arg_cnt;
	uint32_t used;		/* arguments consumed */
	size_t budget;		/* bytes left of BPRINTF_BUF_SZ */
};

/* Reserve @n bytes, aligned to 4 first when @align, of Linux's argument buffer. */
static int take(struct fmt_state *st, size_t n, bool align)
{
	size_t off = BPRINTF_BUF_SZ - st->budget;

	if (align && (off & 3)) {
		size_t skip = 4 - (off & 3);

		if (skip > st->budget)
			return -ENOSPC;
		st->budget -= skip;
	}
	if (n > st->budget)
		return -ENOSPC;
	st->budget -= n;
	return 0;
}

static int fmt_string(struct out *o, struct fmt_state *st, const struct spec *sp, uint64_t ptr)
{
	char buf[BPRINTF_BUF_SZ];
	int n;

	if (!st->budget)
		return -ENOSPC;
	n = ubf_helper_read_str_safe(buf, ptr, st->budget);
	if (n < 0) {
		buf[0] = '\0';
		n = 1;
	}
	st->budget -= (size_t)n;
	put_field(o, buf, strlen(buf), sp, false);
	return 0;
}

static int fmt_ip(struct out *o, struct fmt_state *st, const struct spec *sp, char kind,
		  char ver, uint64_t ptr)
{
	uint8_t ip[16] = { 0 };
	char s[48];
	size_t i, len = 0, n = ver == '4' ? 4 : 16;
	int err;

	if (ubf_helper_read_safe(ip, ptr, n))
		memset(ip, 0, sizeof(ip));
	if (ver == '4') {
		len = (size_t)snprintf(s, sizeof(s), kind == 'I' ? "%u.%u.%u.%u" :
				       "%03u.%03u.%03u.%03u", ip[0], ip[1], ip[2], ip[3]);
	} else {
		for (i = 0; i < 16; i += 2)
			len += (size_t)snprintf(s + len, sizeof(s) - len,
						kind == 'I' && i ? ":%02x%02x" : "%02x%02x", ip[i],
						ip[i + 1]);
	}
	err = take(st, len + 1, false);
	if (err)
		return err;
	put_field(o, s, len, sp, false);
	return 0;
}

/* Integer conversions: @size 4 or 8, @conv one of d i u x X. */
static int fmt_int(struct out *o, struct fmt_state *st, const struct spec *sp, size_t size,
		   char conv, uint64_t v)
{
	char s[32];
	int len;
	int err = take(st, size, true);

	if (err)
		return err;
	if (size == 4)
		v = conv == 'd' || conv == 'i' ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	if (conv == 'd' || conv == 'i')
		len = snprintf(s, sizeof(s), sp->plus ? "%+lld" : sp->space ? "% lld" : "%lld",
			       (long long)v);
	else
		len = snprintf(s, sizeof(s), conv == 'u' ? "%llu" : conv == 'x' ? "%llx" : "%llX",
			       (unsigned long long)v);
	put_field(o, s, (size_t)len, sp, true);
	return 0;
}

/* The %p family at fmt[*i] == 'p'; *@i ends on the last character used. */
static int fmt_pointer(struct out *o, struct fmt_state *st, const struct spec *sp,
		       const char *fmt, size_t *i, uint64_t v)
{
	char n1 = fmt[*i + 1], s[24];
	int len;

	if ((n1 == 'k' || n1 == 'u') && fmt[*i + 2] == 's') {
		*i += 2;
		if (fmt[*i + 1] && !k_isspace(fmt[*i + 1]) && !k_ispunct(fmt[*i + 1]))
			return -EINVAL;
		return fmt_string(o, st, sp, v);
	}
	if (!n1 || k_isspace(n1) || k_ispunct(n1) || n1 == 'K' || n1 == 'x' || n1 == 's' ||
	    n1 == 'S') {
		/* Plain pointers: %p is "(null)" for NULL; the process's own addresses are shown. */
		if (n1 == 'K' || n1 == 'x' || n1 == 's' || n1 == 'S')
			(*i)++;
		if (take(st, 8, true))
			return -ENOSPC;
		if (!v && n1 != 'K' && n1 != 'x')
			len = snprintf(s, sizeof(s), "(null)");
		else
			len = snprintf(s, sizeof(s), "%016llx", (unsigned long long)v);
		put_field(o, s, (size_t)len, sp, false);
		return 0;
	}
	if (n1 == 'B') {
		(*i)++;
		len = snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
		if (take(st, (size_t)len + 1, false))
			return -ENOSPC;
		put_field(o, s, (size_t)len, sp, false);
		return 0;
	}
	if ((n1 != 'i' && n1 != 'I') || (fmt[*i + 2] != '4' && fmt[*i + 2] != '6'))
		return -EINVAL;
	*i += 2;
	return fmt_ip(o, st, sp, n1, fmt[*i], v);
}

/* One conversion starting after its '%' at fmt[*i]; *@i ends on its last character. */
static int fmt_conv(struct out *o, struct fmt_state *st, const char *fmt, size_t *i)
{
	struct spec sp = { 0 };
	uint64_t v;
	size_t size = 4;

	for (;; (*i)++) {
		char c = fmt[*i];

		if (c == '0')
			sp.zero = true;
		else if (c == '+')
			sp.plus = true;
		else if (c == '-')
			sp.left = true;
		else if (c == ' ')
			sp.space = true;
		else
			break;
	}
	if (fmt[*i] >= '1' && fmt[*i] <= '9') {
		for (; fmt[*i] >= '0' && fmt[*i] <= '9'; (*i)++) {
			sp.width = sp.width * 10 + (size_t)(fmt[*i] - '0');
			if (sp.width > FIELD_WIDTH_MAX)
				sp.width = FIELD_WIDTH_MAX;
		}
	}
	v = st->args[st->used++];
	if (fmt[*i] == 'p')
		return fmt_pointer(o, st, &sp, fmt, i, v);
	if (fmt[*i] == 's') {
		if (fmt[*i + 1] && !k_isspace(fmt[*i + 1]) && !k_ispunct(fmt[*i + 1]))
			return -EINVAL;
		return fmt_string(o, st, &sp, v);
	}
	if (fmt[*i] == 'c') {
		char c = (char)v;

		if (take(st, 1, false))
			return -ENOSPC;
		put_field(o, &c, 1, &sp, false);
		return 0;
	}
	if (fmt[*i] == 'l') {
		size = 8;
		(*i)++;
		if (fmt[*i] == 'l')
			(*i)++;
	}
	if (!strchr("diuxX", fmt[*i]) || !fmt[*i])
		return -EINVAL;
	return fmt_int(o, st, &sp, size, fmt[*i], v);
}

/*
 * ubf_bprintf() - format @fmt (NUL-terminated within @fmt_sz) with @arg_cnt
 * 64-bit @args into @o as Linux's bpf_bprintf_prepare() + bstr_printf()
 * would.  Return: 0, -EINVAL for a bad format or too few arguments, -ENOSPC
 * when the arguments overflow Linux's 512-byte buffer.
 */
static int bprintf(struct out *o, const char *fmt, size_t fmt_sz, const uint64_t *args,
		   uint32_t arg_cnt)
{
	struct fmt_state st = { args, arg_cnt, 0, BPRINTF_BUF_SZ };
	size_t i, len = strnlen(fmt, fmt_sz);
	int err;

	if (len == fmt_sz)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = fmt[i];

		if ((unsigned char)c > 0x7f || (!(c >= ' ' && c < 0x7f) && !k_isspace(c)))
			return -EINVAL;
		if (c != '%') {
			put(o, &c, 1);
			continue;
		}
		if (fmt[i + 1] == '%') {
			put(o, "%", 1);
			i++;
			continue;
		}
		if (st.used >= st.arg_cnt)
			return -EINVAL;
		i++;
		err = fmt_conv(o, &st, fmt, &i);
		if (err)
			return err;
		/* A conversion may end on the NUL (a bare "%"), which ends the format. */
		if (i >= len)
			break;
	}
	return 0;
}

/* Memory arguments of a checked run: @fmt_sz bytes of @fmt, @data_len of @data. */
static bool args_ok(struct ubf_run *run, uint64_t fmt, uint64_t fmt_sz, uint64_t data,
		    uint64_t data_len)
{
	if (!run->is_checked)
		return true;
	return !ubf_run_check_mem(run, fmt, fmt_sz, false, run->helper_pc) &&
	       !ubf_run_check_mem(run, data, data_len, false, run->helper_pc);
}

/* The trace_pipe line: "<comm>-<tid> [<cpu>] ..... <secs>.<usecs>: bpf_trace_printk: <msg>". */
static void trace_write(const char *msg)
{
	char comm[17] = { 0 }, path[4096], line[TRACE_PRINTK_SZ + 128];
	size_t mlen = strlen(msg);
	struct timespec ts = { 0 };
	int cpu = sched_getcpu(), fd, n;

	if (mlen && msg[mlen - 1] == '\n')
		mlen--;
	if (prctl(PR_GET_NAME, comm, 0, 0, 0))
		strcpy(comm, "<...>");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "%16s-%-7d [%03d] ..... %5lld.%06ld: bpf_trace_printk: %.*s\n",
		     comm, (int)gettid(), cpu < 0 ? 0 : cpu, (long long)ts.tv_sec,
		     ts.tv_nsec / 1000, (int)mlen, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	if (snprintf(path, sizeof(path), "%s/trace_pipe", ubf_pin_root()) >= (int)sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	/* One write per line: O_APPEND keeps lines of concurrent writers whole. */
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}

/* Format and trace; the return is Linux's: the length bstr_printf() would produce. */
static uint64_t trace_fmt(const char *fmt, uint32_t fmt_sz, const uint64_t *args,
			  uint32_t arg_cnt)
{
	char buf[TRACE_PRINTK_SZ];
	struct out o = { buf, sizeof(buf), 0 };
	int err = bprintf(&o, fmt, fmt_sz, args, arg_cnt);

	if (err)
		return (uint64_t)(int64_t)err;
	buf[o.len < sizeof(buf) ? o.len : sizeof(buf) - 1] = '\0';
	trace_write(buf);
	return o.len;
}

uint64_t ubf_helper_trace_printk(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct ubf_run *run)
{
	uint64_t args[TRACE_PRINTK_MAX_ARGS] = { r3, r4, r5 };

	if (!args_ok(run, r1, (uint32_t)r2, 0, 0))
		return (uint64_t)-EFAULT;
	return trace_fmt((const char *)(uintptr_t)r1, (uint32_t)r2, args, TRACE_PRINTK_MAX_ARGS);
}

/* The argument array of trace_vprintk and snprintf: whole u64s, at most 12, present if sized. */
static int data_args(uint64_t data, uint32_t data_len, uint64_t *args, uint32_t *cnt)
{
	if ((data_len & 7) || data_len > BPRINTF_MAX_ARGS * 8 || (data_len && !data))
		return -EINVAL;
	*cnt = data_len / 8;
	if (data_len)
		memcpy(args, (const void *)(uintptr_t)data, data_len);
	return 0;
}

uint64_t ubf_helper_trace_vprintk(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				  uint64_t r5, struct ubf_run *run)
{
	uint64_t args[BPRINTF_MAX_ARGS];
	uint32_t cnt;
	int err;

	(void)r5;
	/* Linux answers a size without its array -EINVAL before touching memory. */
	if ((uint32_t)r4 && !r3)
		return (uint64_t)-EINVAL;
	if ((uint32_t)r4 && !args_ok(run, r1, (uint32_t)r2, r3, (uint32_t)r4))
		return (uint64_t)-EFAULT;
	if (!(uint32_t)r4 && !args_ok(run, r1, (uint32_t)r2, 0, 0))
		return (uint64_t)-EFAULT;
	err = data_args(r3, (uint32_t)r4, args, &cnt);
	if (err)
		return (uint64_t)(int64_t)err;
	return trace_fmt((const char *)(uintptr_t)r1, (uint32_t)r2, args, cnt);
}

/*
 * Linux's bpf_snprintf(str, str_size, fmt, data, data_len): the length of
 * the whole formatted string plus its NUL (more than str_size when it was
 * cut; str always ends with a NUL unless str_size is 0).
 */
uint64_t ubf_helper_snprintf(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct ubf_run *run)
{
	uint32_t str_sz = (uint32_t)r2, cnt;
	uint64_t args[BPRINTF_MAX_ARGS];
	size_t fmt_len;
	struct out o;
	int err;

	if (run->is_checked) {
		if (ubf_run_check_mem(run, r1, str_sz, true, run->helper_pc) ||
		    !args_ok(run, 0, 0, r4, (uint32_t)r5))
			return (uint64_t)-EFAULT;
		err = ubf_helper_check_str(run, r3, FMT_MAX_LEN, &fmt_len);
		if (err)
			return (uint64_t)(int64_t)err;
	} else {
		fmt_len = strlen((const char *)(uintptr_t)r3);
	}
	err = data_args(r4, (uint32_t)r5, args, &cnt);
	if (err)
		return (uint64_t)(int64_t)err;
	o.cap = str_sz > TRACE_PRINTK_SZ ? str_sz : TRACE_PRINTK_SZ;
	o.buf = malloc(o.cap);
	if (!o.buf)
		return (uint64_t)-ENOMEM;
	o.len = 0;
	err = bprintf(&o, (const char *)(uintptr_t)r3, fmt_len + 1, args, cnt);
	if (!err && str_sz) {
		size_t n = o.len < str_sz ? o.len : str_sz - 1;

		memcpy((void *)(uintptr_t)r1, o.buf, n);
		((char *)(uintptr_t)r1)[n] = '\0';
	}
	free(o.buf);
	return err ? (uint64_t)(int64_t)err : o.len + 1;
}
