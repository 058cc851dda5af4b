// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe_helpers.c - the probe_read family, copy_from_user, get_func_ip and
 * get_attach_cookie.  "User" and "kernel" memory are both this process's
 * memory here; it is read with process_vm_readv() on the own pid, which
 * reports an unmapped or unreadable address as EFAULT instead of
 * crashing (a pipe write is the fallback where a seccomp policy forbids
 * that call).  As in Linux, a failed read zeroes the whole destination.
 */
#define _GNU_SOURCE
#include "helpers/helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "vm/vm.h"

#define PAGE_SZ 4096u

/* Read through a pipe: write() fails with EFAULT on memory it cannot read. */
static int read_via_pipe(void *dst, uint64_t src, size_t n)
{
	int fds[2], err = 0;
	size_t done = 0;

	if (pipe2(fds, O_CLOEXEC))
		return -EFAULT;
	while (done < n && !err) {
		size_t chunk = n - done < PAGE_SZ ? n - done : PAGE_SZ;
		ssize_t w = write(fds[1], (const void *)(uintptr_t)(src + done), chunk);

		if (w <= 0 || read(fds[0], (uint8_t *)dst + done, (size_t)w) != w)
			err = -EFAULT;
		else
			done += (size_t)w;
	}
	close(fds[0]);
	close(fds[1]);
	return err;
}

int ubf_helper_read_safe(void *dst, uint64_t src, size_t n)
{
	struct iovec local = { dst, n };
	struct iovec remote = { (void *)(uintptr_t)src, n };
	ssize_t got;

	if (!n)
		return 0;
	if (src + n < src)
		return -EFAULT;
	got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (got == (ssize_t)n)
		return 0;
	if (got < 0 && (errno == ENOSYS || errno == EPERM))
		return read_via_pipe(dst, src, n);
	return -EFAULT;
}

int ubf_helper_read_str_safe(char *dst, uint64_t src, size_t n)
{
	size_t done = 0;

	if (!n)
		return 0;
	/* Page by page, so a string that ends just before unmapped memory reads. */
	while (done < n) {
		uint64_t at = src + done;
		size_t chunk = PAGE_SZ - (size_t)(at & (PAGE_SZ - 1));
		char *nul;

		if (chunk > n - done)
			chunk = n - done;
		if (ubf_helper_read_safe(dst + done, at, chunk)) {
			dst[done < n ? done : n - 1] = '\0';
			return -EFAULT;
		}
		nul = memchr(dst + done, '\0', chunk);
		if (nul)
			return (int)(nul - dst + 1);
		done += chunk;
	}
	dst[n - 1] = '\0';
	return (int)n;
}

int ubf_helper_check_str(struct ubf_run *run, uint64_t addr, size_t max, size_t *len)
{
	size_t i;

	if (!run->is_checked) {
		*len = strnlen((const char *)(uintptr_t)addr, max);
		return *len < max ? 0 : -EINVAL;
	}
	for (i = 0; i < max; i++) {
		if (ubf_run_check_mem(run, addr + i, 1, false, run->helper_pc))
			return -EFAULT;
		if (!*(const char *)(uintptr_t)(addr + i)) {
			*len = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The destination of a probe read: writable memory of a checked run. */
static bool dst_ok(struct ubf_run *run, uint64_t dst, uint32_t size)
{
	return !run->is_checked || !ubf_run_check_mem(run, dst, size, true, run->helper_pc);
}

/* Linux's bpf_probe_read_{user,kernel}(): 0, or -EFAULT with the destination zeroed. */
static uint64_t probe_read(uint64_t dst, uint32_t size, uint64_t src, struct ubf_run *run)
{
	if (!dst_ok(run, dst, size))
		return (uint64_t)-EFAULT;
	if (ubf_helper_read_safe((void *)(uintptr_t)dst, src, size)) {
		memset((void *)(uintptr_t)dst, 0, size);
		return (uint64_t)-EFAULT;
	}
	return 0;
}

/*
 * Linux's bpf_probe_read_{user,kernel}_str(): the length including the
 * NUL, size when the string was cut (the last byte is then the NUL), 0
 * for a zero size, -EFAULT with the destination zeroed.
 */
static uint64_t probe_read_str(uint64_t dst, uint32_t size, uint64_t src, struct ubf_run *run)
{
	int n;

	if (!dst_ok(run, dst, size))
		return (uint64_t)-EFAULT;
	n = ubf_helper_read_str_safe((char *)(uintptr_t)dst, src, size);
	if (n < 0) {
		memset((void *)(uintptr_t)dst, 0, size);
		return (uint64_t)-EFAULT;
	}
	return (uint64_t)n;
}

uint64_t ubf_helper_probe_read(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			       struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read(r1, (uint32_t)r2, r3, run);
}

uint64_t ubf_helper_probe_read_str(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read_str(r1, (uint32_t)r2, r3, run);
}

uint64_t ubf_helper_probe_read_user(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read(r1, (uint32_t)r2, r3, run);
}

uint64_t ubf_helper_probe_read_kernel(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read(r1, (uint32_t)r2, r3, run);
}

uint64_t ubf_helper_probe_read_user_str(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					uint64_t r5, struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read_str(r1, (uint32_t)r2, r3, run);
}

uint64_t ubf_helper_probe_read_kernel_str(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					  uint64_t r5, struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read_str(r1, (uint32_t)r2, r3, run);
}

/* Linux's bpf_copy_from_user() (sleepable programs): the same contract as probe_read_user. */
uint64_t ubf_helper_copy_from_user(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				   uint64_t r5, struct ubf_run *run)
{
	(void)r4, (void)r5;
	return probe_read(r1, (uint32_t)r2, r3, run);
}

/*
 * The address of the traced function and the cookie of the attachment:
 * the hook that runs the program stores them in the run (struct ubf_run
 * func_ip and attach_cookie); a test run has neither and reads 0, as a
 * test-run tracing program does in Linux.
 */
uint64_t ubf_helper_get_func_ip(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return run->func_ip;
}

uint64_t ubf_helper_get_attach_cookie(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return run->attach_cookie;
}
