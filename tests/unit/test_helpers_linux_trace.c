// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_helpers_linux_trace.c - trace_vprintk on every engine: the format
 * with its u64 argument array appended to trace_pipe as one line, the
 * return value (bytes formatted), and Linux's -EINVAL for an array that
 * is not whole u64s, more than 12 of them, fewer than the format needs, a
 * format without its NUL, and a NULL array with a non-zero size.
 */
#define _GNU_SOURCE
#include "test_vm.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <userbpf/bpf.h>

/* The four arguments of the call, then the format and the u64 array. */
struct vp_mem {
	uint64_t a[4];
	char fmt[64];
	uint64_t data[16];
};

/* Call trace_vprintk(a[0], a[1], a[2], a[3]) from a program; r0 its result. */
static int vprintk(const struct vm_engine *e, struct vp_mem *m, uint64_t *r0)
{
	struct ubf_run_opts ropts = { .sz = sizeof(ropts) };
	struct ubf_prog *prog = NULL;
	int err = vm_load(&prog, e,
			  PROG(MOV_X(6, 1), MEM(LDXDW, 2, 6, 8), MEM(LDXDW, 3, 6, 16),
			       MEM(LDXDW, 4, 6, 24), MEM(LDXDW, 1, 6, 0), CALL(177), EXIT()),
			  NULL, 0, NULL);

	if (err)
		return err;
	err = vm_run_prog(e, prog, m, sizeof(*m), r0, &ropts);
	ubf_prog_free(prog);
	return err;
}

static void vp_set(struct vp_mem *m, const char *fmt, uint32_t data_len)
{
	memset(m->fmt, 0, sizeof(m->fmt));
	strcpy(m->fmt, fmt);
	m->a[0] = (uint64_t)(uintptr_t)m->fmt;
	m->a[1] = strlen(fmt) + 1;
	m->a[2] = data_len ? (uint64_t)(uintptr_t)m->data : 0;
	m->a[3] = data_len;
}

/* How many lines of trace_pipe contain @want. */
static int pipe_lines(const char *want)
{
	char path[4096], *line = NULL;
	size_t sz = 0;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace_pipe", ubf_pin_root());
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (getline(&line, &sz, f) > 0) {
		if (strstr(line, want) && strstr(line, ": bpf_trace_printk: "))
			n++;
	}
	fclose(f);
	free(line);
	return n;
}

TEST(helpers_trace_vprintk_formats_array)
{
	struct vp_mem m;
	char want[128];
	uint64_t r0 = 0;
	size_t k;
	int before;

	snprintf(want, sizeof(want), "vp %d -5 ff str x 1 2 3 4 5 6 7", getpid());
	before = pipe_lines(want);
	for (k = 0; k < VM_ENGINE_CNT; k++) {
		if (!vm_engine_available(&vm_engines[k]))
			continue;
		memset(&m, 0, sizeof(m));
		vp_set(&m, "vp %d %lld %llx %s %c %d %d %d %d %d %d %d\n", 12 * 8);
		m.data[0] = (uint64_t)getpid();
		m.data[1] = (uint64_t)-5;
		m.data[2] = 0xff;
		m.data[3] = (uint64_t)(uintptr_t)"str";
		m.data[4] = 'x';
		for (int i = 0; i < 7; i++)
			m.data[5 + i] = (uint64_t)(i + 1);
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_U64(r0, strlen(want) + 1);	/* the newline counts */
		/* no array and no conversions */
		vp_set(&m, "plain line\n", 0);
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_U64(r0, strlen("plain line\n"));
	}
	if (before >= 0)
		EXPECT_TRUE(pipe_lines(want) > before);
}

TEST(helpers_trace_vprintk_limits)
{
	struct vp_mem m;
	uint64_t r0 = 0;
	size_t k;

	for (k = 0; k < VM_ENGINE_CNT; k++) {
		if (!vm_engine_available(&vm_engines[k]))
			continue;
		memset(&m, 0, sizeof(m));
		vp_set(&m, "%d\n", 12);		/* not whole u64s */
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		vp_set(&m, "%d\n", 13 * 8);	/* more than 12 */
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		vp_set(&m, "%d %d\n", 8);	/* fewer than the format needs */
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		vp_set(&m, "%d\n", 8);
		m.a[2] = 0;			/* a size without its array */
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		vp_set(&m, "%d\n", 8);
		m.a[1] = 2;			/* no NUL within the format's size */
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		vp_set(&m, "%n\n", 8);		/* a conversion Linux refuses */
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_INT((int64_t)r0, -EINVAL);
		vp_set(&m, "%d\n", 8);		/* the smallest good call */
		m.data[0] = 7;
		ASSERT_OK(vprintk(&vm_engines[k], &m, &r0));
		EXPECT_EQ_U64(r0, 2);
	}
}
