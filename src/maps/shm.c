// SPDX-License-Identifier: BSD-2-Clause
/*
 * shm.c - the shared memory under every map: a store file (or a memfd)
 * sized with ftruncate (so pages nobody touched cost nothing), mapped
 * MAP_SHARED.  Also the process-shared spin lock: one 32-bit word in the
 * shared memory.  Ring buffers need no second view of their data (ring.h).
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
