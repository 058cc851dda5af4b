// SPDX-License-Identifier: BSD-2-Clause
/*
 * task_helpers.c - helpers that describe the calling task, where "current"
 * is the thread running the program: its CPU, process and thread IDs, real
 * user and group IDs, and name.  The values come from the C library (no
 * files are read); the packing into 64 bits is Linux's.
 */
#define _GNU_SOURCE
#include "helpers/helpers.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "vm/vm.h"

/* Linux's TASK_COMM_LEN: the name, NUL included. */
#define TASK_COMM_SZ 16

uint64_t ubf_helper_get_smp_processor_id(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					 uint64_t r5, struct ubf_run *run)
{
	int cpu = sched_getcpu();

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return cpu < 0 ? 0 : (uint64_t)cpu;
}

uint64_t ubf_helper_get_current_pid_tgid(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					 uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return (uint64_t)(uint32_t)getpid() << 32 | (uint32_t)gettid();
}

uint64_t ubf_helper_get_current_uid_gid(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return (uint64_t)getgid() << 32 | getuid();
}

/*
 * Linux copies the name with strscpy_pad(): at most size - 1 characters,
 * then NUL bytes to the end of the buffer.  The size argument is a u32.  In
 * a checked run the buffer must be writable memory of the run; otherwise
 * the run ends with "run.mem_oob" at the call.
 */
uint64_t ubf_helper_get_current_comm(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				     uint64_t r5, struct ubf_run *run)
{
	char comm[TASK_COMM_SZ + 1] = { 0 };
	uint32_t size = (uint32_t)r2;
	size_t len;
	char *buf;

	(void)r3, (void)r4, (void)r5;
	if (size == 0)
		return 0;
	if (run->is_checked && ubf_run_check_mem(run, r1, size, true, run->helper_pc))
		return (uint64_t)-EFAULT;
	buf = (char *)(uintptr_t)r1;
	if (prctl(PR_GET_NAME, comm, 0, 0, 0)) {
		memset(buf, 0, size);
		return (uint64_t)-EINVAL;
	}
	len = strnlen(comm, TASK_COMM_SZ - 1);
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, comm, len);
	memset(buf + len, 0, size - len);
	return 0;
}
