/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * execmem.h - memory for generated machine code.  A mapping is created
 * read-write, filled, then switched to read-execute with
 * ubf_execmem_seal(); it is never writable and executable at the same
 * time.  The JIT driver is the only user; nothing here knows about code.
 */
#ifndef UBF_UTIL_EXECMEM_H
#define UBF_UTIL_EXECMEM_H

#include <stddef.h>

/*
 * ubf_execmem_alloc() - map at least @sz bytes read-write, preferably
 * within +-2 GiB of @near (so that code placed there can reach @near with
 * 32-bit displacements; a hint only, NULL for none).
 * @memp:  on success the mapping, owned by the caller; free it with
 *         ubf_execmem_free(*memp, *map_szp)
 * @map_szp: on success the mapping's size (@sz rounded up to pages)
 * Return: 0, -EINVAL for @sz == 0, or -ENOMEM.
 */
int ubf_execmem_alloc(size_t sz, const void *near, void **memp, size_t *map_szp);

/*
 * ubf_execmem_seal() - make a mapping from ubf_execmem_alloc() read-execute
 * (no longer writable) and make the new code visible to instruction fetch.
 * Return: 0, or -errno from mprotect().
 */
int ubf_execmem_seal(void *mem, size_t map_sz);

/* ubf_execmem_free() - unmap; accepts NULL. */
void ubf_execmem_free(void *mem, size_t map_sz);

#endif /* UBF_UTIL_EXECMEM_H */
