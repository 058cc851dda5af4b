// SPDX-License-Identifier: BSD-2-Clause
/*
 * shm.c - the shared memory under every map: a store file (or a memfd)
 * sized with ftruncate (so pages nobody touched cost nothing), mapped
 * MAP_SHARED, plus the
 * double mapping ring buffers use so a record that wraps past the end of
 * the data area stays contiguous in memory, as in Linux.  Also the
 * process-shared spin lock: one 32-bit word in the shared memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "maps/map.h"

size_t ubf_shm_page_size(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (size_t)sz : 4096;
}

/*
 * A map's file is an object file of the store (so it can be pinned); the
 * store falls back to a memfd by itself, so an embedder that uses maps
 * alone never needs a writable store.
 */
int ubf_shm_create(size_t size, int *fdp)
{
	return ubf_store_file(size, fdp);
}

int ubf_shm_map(int fd, size_t size, void **addrp)
{
	void *addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (addr == MAP_FAILED)
		return -errno;
	*addrp = addr;
	return 0;
}

void ubf_shm_unmap(void *addr, size_t size)
{
	if (addr)
		munmap(addr, size);
}

/*
 * Map [0, data_off + data_sz) of @fd, followed at once by a second view of
 * [data_off, data_off + data_sz): the Linux ring buffer's double mapping.
 */
int ubf_shm_map_ring(int fd, size_t data_off, size_t data_sz, void **addrp)
{
	size_t total = data_off + 2 * data_sz;
	uint8_t *base, *p;
	int err;

	base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	p = mmap(base, data_off + data_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED)
		goto err_unmap;
	p = mmap(base + data_off + data_sz, data_sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, (off_t)data_off);
	if (p == MAP_FAILED)
		goto err_unmap;
	*addrp = base;
	return 0;

err_unmap:
	err = -errno;
	munmap(base, total);
	return err;
}

void ubf_shm_unmap_ring(void *addr, size_t total_sz)
{
	if (addr)
		munmap(addr, total_sz);
}

void ubf_spin_lock(uint32_t *lock)
{
	unsigned int spins = 0;

	for (;;) {
		if (!__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
			return;
		while (__atomic_load_n(lock, __ATOMIC_RELAXED)) {
			if (++spins > 64) {
				sched_yield();
				spins = 0;
			}
		}
	}
}

void ubf_spin_unlock(uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}
