// SPDX-License-Identifier: BSD-2-Clause
/*
 * callback_helpers.c - the helpers that call back into the program: loop
 * (a bounded loop whose body is a subprogram) and for_each_map_elem (a
 * subprogram called for each element of a hash or array map).  The
 * subprogram runs through ubf_run_callback() on the run's own engine, one
 * frame below the caller; it returns 0 to go on and 1 to stop, as Linux's
 * verifier requires of callbacks.
 */
#include "helpers/map_helpers.h"

#include <errno.h>
#include <string.h>

#include "maps/map.h"
#include "vm/vm.h"

/* Linux's BPF_MAX_LOOPS. */
#define LOOP_MAX (8u * 1024 * 1024)
/* Keys of the maps for_each_map_elem takes are at most MAX_BPF_STACK bytes. */
#define KEY_MAX 512

/*
 * loop(nr_loops, callback, ctx, flags): callback(i, ctx) for i = 0, 1, ...
 * until it returns nonzero or nr_loops calls were made.  Return: the
 * number of calls, -EINVAL for nonzero flags, -E2BIG above 1 << 23 loops.
 */
uint64_t ubf_helper_loop(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			 struct ubf_run *run)
{
	uint32_t nr = (uint32_t)r1, i;
	uint64_t args[5] = { 0, r3, 0, 0, 0 }, ret;
	int err;

	(void)r5;
	if (r4)
		return (uint64_t)-EINVAL;
	if (nr > LOOP_MAX)
		return (uint64_t)-E2BIG;
	err = ubf_run_callback_check(run, r2);
	if (err)
		return (uint64_t)(int64_t)err;
	for (i = 0; i < nr; i++) {
		args[0] = i;
		err = ubf_run_callback(run, r2, args, &ret);
		if (err)
			return (uint64_t)(int64_t)err;
		if (ret)
			return (uint64_t)i + 1;
	}
	return nr;
}

/*
 * Call back for the element under @key, if there still is one: a checked
 * run may read the key and access the value while the callback runs.
 * Return: 0 and *@ret, 1 when the element is gone, or an error.
 */
static int visit(struct ubf_run *run, struct ubf_map *map, uint64_t fn, uint8_t *key,
		 uint64_t cb_ctx, uint64_t *ret)
{
	void *value = map->ops->lookup(map, key);
	uint64_t args[5] = { (uint64_t)(uintptr_t)map, (uint64_t)(uintptr_t)key,
			     (uint64_t)(uintptr_t)value, cb_ctx, 0 };
	uint32_t mark = run->grant_cnt;
	int err;

	if (!value)
		return 1;
	if (ubf_run_grant(run, key, map->key_size, false) ||
	    ubf_helper_grant_value(run, map, value))
		return -E2BIG;
	err = ubf_run_callback(run, fn, args, ret);
	/* The key is on this C stack and the element may go: neither outlives the callback. */
	if (run->is_checked)
		run->grant_cnt = mark;
	return err;
}

/*
 * for_each_map_elem(map, callback, ctx, flags): callback(map, &key, value,
 * ctx) for each element, in the map's key order, until it returns nonzero.
 * Return: the number of elements visited (the one that stopped included),
 * -EINVAL for nonzero flags, or the fault of a callback.  An element the
 * callback deletes ends nothing: the walk goes on from the first key, at
 * most max_entries visits in all.
 */
uint64_t ubf_helper_for_each_map_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct ubf_run *run)
{
	struct ubf_map *map = (struct ubf_map *)(uintptr_t)r1;
	uint8_t key[KEY_MAX], next[KEY_MAX];
	uint64_t ret = 0, n = 0;
	int err;

	(void)r5;
	if (run->is_checked &&
	    ubf_helper_check_map(run, r1, UBF_MAP_TYPES_FOR_EACH, "for_each_map_elem"))
		return (uint64_t)-EFAULT;
	if (r4)
		return (uint64_t)-EINVAL;
	if (map->key_size > KEY_MAX || !map->ops->next_key || !map->ops->lookup)
		return (uint64_t)-EINVAL;
	err = ubf_run_callback_check(run, r2);
	if (err)
		return (uint64_t)(int64_t)err;
	err = map->ops->next_key(map, NULL, key);
	while (!err && n < map->max_entries) {
		err = visit(run, map, r2, key, r3, &ret);
		if (err < 0)
			return (uint64_t)(int64_t)err;
		if (err == 0) {
			n++;
			if (ret)
				break;
		}
		err = map->ops->next_key(map, key, next);
		memcpy(key, next, map->key_size);
	}
	return n;
}
