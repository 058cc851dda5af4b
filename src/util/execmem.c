// SPDX-License-Identifier: BSD-2-Clause
/*
 * execmem.c - executable memory with W^X: mmap() read-write, then
 * mprotect() read-execute.  The placement hint asks the kernel for an
 * address near the library's own code so that the JIT can call C helpers
 * with rel32 calls; when the kernel places the mapping elsewhere the JIT
 * notices and uses absolute calls instead, so the hint only affects speed.
 */
#include "util/execmem.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/compiler.h"

/* How far below @near to ask for the mapping: clear of a typical binary's text and heap start. */
#define NEAR_GAP (256u << 20)

static size_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}

static void *near_hint(const void *near, size_t map_sz)
{
	uintptr_t a = (uintptr_t)near;

	if (!a || a < NEAR_GAP + map_sz)
		return NULL;
	return (void *)((a - NEAR_GAP - map_sz) & ~(uintptr_t)0x1fffff);
}

int ubf_execmem_alloc(size_t sz, const void *near, void **memp, size_t *map_szp)
{
	size_t ps = page_size(), map_sz;
	void *p;

	if (sz == 0)
		return -EINVAL;
	if (sz > SIZE_MAX - ps)
		return -ENOMEM;
	map_sz = (sz + ps - 1) & ~(ps - 1);
	p = mmap(near_hint(near, map_sz), map_sz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	*memp = p;
	*map_szp = map_sz;
	return 0;
}

int ubf_execmem_seal(void *mem, size_t map_sz)
{
	if (mprotect(mem, map_sz, PROT_READ | PROT_EXEC))
		return -errno;
	ubf_clear_icache(mem, (char *)mem + map_sz);
	return 0;
}

void ubf_execmem_free(void *mem, size_t map_sz)
{
	if (mem)
		munmap(mem, map_sz);
}
