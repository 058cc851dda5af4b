/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * map_helpers.h - what the map, ring buffer and callback helpers
 * (map_helpers.c, ringbuf_helpers.c, callback_helpers.c) share: the checks
 * a checked run makes on a map argument and on buffers, and the grant of
 * a value a lookup returns.  Trusted runs make none of them.
 */
#ifndef UBF_HELPERS_MAP_HELPERS_H
#define UBF_HELPERS_MAP_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "helpers/helpers.h"

struct ubf_map;

/* Sets of map types (Linux's enum bpf_map_type values are all below 64). */
#define UBF_MAP_TYPE_BIT(t) (1ull << (t))
#define UBF_MAP_TYPES_ALL (~0ull)
#define UBF_MAP_TYPES_PUSH                                                                   \
	(UBF_MAP_TYPE_BIT(UBF_MAP_QUEUE) | UBF_MAP_TYPE_BIT(UBF_MAP_STACK) |                 \
	 UBF_MAP_TYPE_BIT(UBF_MAP_BLOOM_FILTER))
#define UBF_MAP_TYPES_PERCPU                                                                 \
	(UBF_MAP_TYPE_BIT(UBF_MAP_PERCPU_ARRAY) | UBF_MAP_TYPE_BIT(UBF_MAP_PERCPU_HASH) |   \
	 UBF_MAP_TYPE_BIT(UBF_MAP_LRU_PERCPU_HASH))
/* Linux implements map_for_each_callback for these. */
#define UBF_MAP_TYPES_FOR_EACH                                                               \
	(UBF_MAP_TYPE_BIT(UBF_MAP_HASH) | UBF_MAP_TYPE_BIT(UBF_MAP_LRU_HASH) |               \
	 UBF_MAP_TYPE_BIT(UBF_MAP_ARRAY) | UBF_MAP_TYPES_PERCPU)

/*
 * ubf_helper_check_map() - checked runs: is @p a live map of this process
 * whose type is in @types?  Return: 0, or a fault recorded for @helper:
 * -EFAULT "helper.bad_map", -EINVAL "helper.map_type".
 */
int ubf_helper_check_map(struct ubf_run *run, uint64_t p, uint64_t types, const char *helper);

/* Checked runs: may the program's buffer [@addr, +@size) be read (written)?  0 or -EFAULT. */
int ubf_helper_check_buf(struct ubf_run *run, uint64_t addr, uint64_t size, bool is_write);

/*
 * ubf_helper_grant_value() - let a checked run access @value, an element of
 * @map a lookup found: value_size bytes, writable unless the map is
 * BPF_F_RDONLY_PROG; nothing for map-in-map (the value is an inner map
 * that only helpers use).  Return: 0, or ubf_run_grant()'s error.
 */
int ubf_helper_grant_value(struct ubf_run *run, const struct ubf_map *map, const void *value);

#endif /* UBF_HELPERS_MAP_HELPERS_H */
