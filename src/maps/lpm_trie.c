// SPDX-License-Identifier: BSD-2-Clause
/*
 * lpm_trie.c - BPF_MAP_TYPE_LPM_TRIE: longest-prefix match on keys laid
 * out as Linux's struct bpf_lpm_trie_key {u32 prefixlen; u8 data[]}, data
 * big-endian (IPv4: key_size 8, IPv6: key_size 20).  A binary path-compressed
 * trie as Linux builds it: nodes hold a prefix, and "intermediate" nodes
 * (no value) join two subtrees whose prefixes diverge; every intermediate
 * node has exactly two children, so at most 2 * max_entries - 1 nodes exist.
 *
 * Shared layout: a control block {lock, root, n_entries, free list, bump
 * allocator} at offset 0, then a pool of 2 * max_entries nodes {child[2],
 * prefixlen, flags, data, value} addressed by index + 1.  The memfd is
 * sparse, so unused nodes cost nothing (BPF_F_NO_PREALLOC, mandatory as in
 * Linux).  One process-shared spin lock serialises every operation, lookups
 * included; a program's value pointer stays valid memory for the map's life.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maps/map.h"

#define LPM_FLAGS (UBF_F_NO_PREALLOC | UBF_F_NUMA_NODE | UBF_F_ACCESS_MASK)
#define LPM_DATA_MIN 1u
#define LPM_DATA_MAX 256u
#define LPM_KEY_HDR 4u				/* the u32 prefixlen before the data */
#define LPM_VALUE_MAX (UBF_MAP_VALUE_MAX - LPM_DATA_MAX - 24u)	/* Linux LPM_VAL_SIZE_MAX */
#define LPM_MAX_ENTRIES (1u << 30)
#define NODE_IM 1u				/* intermediate: joins two subtrees, no value */

struct lpm_ctl {
	uint32_t lock;
	uint32_t root;		/* node index + 1; 0: empty trie */
	uint32_t n_entries;	/* nodes with a value */
	uint32_t free_head;	/* node index + 1, linked through child[0] */
	uint32_t next_unused;	/* nodes [next_unused, pool size) were never used */
	uint32_t reserved;
};

struct lpm_node {
	uint32_t child[2];	/* node index + 1; 0: none */
	uint32_t prefixlen;
	uint32_t flags;
	uint8_t data[];		/* data_size bytes (padded to 8), then the value */
};

struct lpm_map {
	struct ubf_map map;
	uint32_t data_size;	/* key_size - 4 */
	uint32_t max_prefixlen;	/* data_size * 8 */
	uint32_t n_nodes;	/* pool size: 2 * max_entries */
	uint32_t value_off;	/* value offset within data[] */
	uint64_t node_sz;
};

static struct lpm_map *to_lpm(const struct ubf_map *map)
{
	return ubf_container_of(map, struct lpm_map, map);
}

static struct lpm_ctl *ctl(const struct lpm_map *lm)
{
	return (struct lpm_ctl *)(void *)lm->map.data;
}

static struct lpm_node *node(const struct lpm_map *lm, uint32_t ref)
{
	return (struct lpm_node *)(void *)(lm->map.data + sizeof(struct lpm_ctl) +
					   (uint64_t)(ref - 1) * lm->node_sz);
}

static uint8_t *node_value(const struct lpm_map *lm, struct lpm_node *n)
{
	return n->data + lm->value_off;
}

static uint32_t key_prefixlen(const void *key)
{
	uint32_t plen;

	memcpy(&plen, key, sizeof(plen));
	return plen;
}

static const uint8_t *key_data(const void *key)
{
	return (const uint8_t *)key + LPM_KEY_HDR;
}

/* Bit @i of big-endian @data, most significant bit first. */
static uint32_t bit_at(const uint8_t *data, uint32_t i)
{
	return (data[i / 8] >> (7 - i % 8)) & 1;
}

/* Number of leading bits @n and the key share, at most both prefix lengths. */
static uint32_t prefix_match(const struct lpm_node *n, const uint8_t *data, uint32_t plen)
{
	uint32_t limit = n->prefixlen < plen ? n->prefixlen : plen, bits = 0, i;

	for (i = 0; bits < limit; i++) {
		uint8_t diff = n->data[i] ^ data[i];

		if (diff) {
			bits += (uint32_t)__builtin_clz(diff) - 24;
			break;
		}
		bits += 8;
	}
	return bits < limit ? bits : limit;
}

/* ---------------------------------------------------------------- node pool */

static uint32_t node_alloc(const struct lpm_map *lm)
{
	struct lpm_ctl *c = ctl(lm);
	uint32_t ref = 0;

	if (c->free_head) {
		ref = c->free_head;
		c->free_head = node(lm, ref)->child[0];
	} else if (c->next_unused < lm->n_nodes) {
		ref = ++c->next_unused;
	}
	if (ref)
		memset(node(lm, ref), 0, sizeof(struct lpm_node));
	return ref;
}

static void node_release(const struct lpm_map *lm, uint32_t ref)
{
	struct lpm_ctl *c = ctl(lm);

	node(lm, ref)->child[0] = c->free_head;
	c->free_head = ref;
}

/* ---------------------------------------------------------------- lookup */

/* Under the lock: the value-holding node with the longest prefix matching @key. */
static struct lpm_node *longest_match(const struct lpm_map *lm, const void *key)
{
	const uint8_t *data = key_data(key);
	uint32_t plen = key_prefixlen(key), ref = ctl(lm)->root, len;
	struct lpm_node *found = NULL;

	while (ref) {
		struct lpm_node *n = node(lm, ref);

		len = prefix_match(n, data, plen);
		if (len == lm->max_prefixlen) {
			found = n;
			break;
		}
		if (len < n->prefixlen)
			break;
		if (!(n->flags & NODE_IM))
			found = n;
		ref = n->child[bit_at(data, n->prefixlen)];
	}
	return found;
}

static void *lpm_lookup(struct ubf_map *map, const void *key)
{
	struct lpm_map *lm = to_lpm(map);
	struct lpm_node *n;

	ubf_spin_lock(&ctl(lm)->lock);
	n = longest_match(lm, key);
	ubf_spin_unlock(&ctl(lm)->lock);
	return n ? node_value(lm, n) : NULL;
}

static int lpm_copy_out(const struct ubf_map *map, const void *key, void *value, uint64_t flags)
{
	struct lpm_map *lm = to_lpm(map);
	struct lpm_node *n;

	(void)flags;	/* UBF_F_LOCK needs a spin lock, which LPM values cannot hold */
	ubf_spin_lock(&ctl(lm)->lock);
	n = longest_match(lm, key);
	if (n)
		memcpy(value, node_value(lm, n), map->value_size);
	ubf_spin_unlock(&ctl(lm)->lock);
	return n ? 0 : -ENOENT;
}

/* ---------------------------------------------------------------- update */

/* Linux trie_check_add_elem(): a new element must be allowed by @flags and fit. */
static int check_add(const struct lpm_map *lm, uint64_t flags)
{
	if (flags == UBF_EXIST)
		return -ENOENT;
	if (ctl(lm)->n_entries == lm->map.max_entries)
		return -ENOSPC;
	return 0;
}

static void set_elem(const struct lpm_map *lm, struct lpm_node *n, const void *key,
		     const void *value)
{
	n->prefixlen = key_prefixlen(key);
	n->flags = 0;
	memcpy(n->data, key_data(key), lm->data_size);
	memcpy(node_value(lm, n), value, lm->map.value_size);
}

/*
 * Under the lock.  @slot is where the walk stopped, @cur the node in it (not
 * 0), @len how many bits of @cur match the key: insert as @cur's ancestor, or
 * join both under a new intermediate node at the bit where they diverge.
 */
static int insert_at(const struct lpm_map *lm, uint32_t *slot, uint32_t cur, uint32_t len,
		     const void *key, const void *value)
{
	struct lpm_node *n = node(lm, cur), *im;
	uint32_t plen = key_prefixlen(key), ref, im_ref;

	ref = node_alloc(lm);
	if (!ref)
		return -ENOMEM;
	set_elem(lm, node(lm, ref), key, value);
	if (len == plen) {
		node(lm, ref)->child[bit_at(n->data, len)] = cur;
		*slot = ref;
		return 0;
	}
	im_ref = node_alloc(lm);
	if (!im_ref) {
		node_release(lm, ref);
		return -ENOMEM;
	}
	im = node(lm, im_ref);
	im->prefixlen = len;
	im->flags = NODE_IM;
	memcpy(im->data, n->data, lm->data_size);
	im->child[bit_at(key_data(key), len)] = ref;
	im->child[!bit_at(key_data(key), len)] = cur;
	*slot = im_ref;
	return 0;
}

static int update_locked(const struct lpm_map *lm, const void *key, const void *value,
			 uint64_t flags)
{
	const uint8_t *data = key_data(key);
	uint32_t plen = key_prefixlen(key), *slot = &ctl(lm)->root, ref, len = 0;
	struct lpm_node *n = NULL;
	int err;

	while ((ref = *slot)) {
		n = node(lm, ref);
		len = prefix_match(n, data, plen);
		if (n->prefixlen != len || n->prefixlen == plen)
			break;
		slot = &n->child[bit_at(data, n->prefixlen)];
	}
	if (ref && n->prefixlen == len && !(n->flags & NODE_IM)) {
		/* the key exists: replace its value (and key bits past the prefix) */
		if (flags == UBF_NOEXIST)
			return -EEXIST;
		set_elem(lm, n, key, value);
		return 0;
	}
	err = check_add(lm, flags);
	if (err)
		return err;
	if (!ref) {
		ref = node_alloc(lm);
		if (!ref)
			return -ENOMEM;
		set_elem(lm, node(lm, ref), key, value);
		*slot = ref;
	} else if (n->prefixlen == len) {
		set_elem(lm, n, key, value);	/* an intermediate node gets a value */
	} else {
		err = insert_at(lm, slot, ref, len, key, value);
		if (err)
			return err;
	}
	ctl(lm)->n_entries++;
	return 0;
}

static int lpm_update(struct ubf_map *map, const void *key, const void *value, uint64_t flags)
{
	struct lpm_map *lm = to_lpm(map);
	int err;

	if (key_prefixlen(key) > lm->max_prefixlen)
		return -EINVAL;
	ubf_spin_lock(&ctl(lm)->lock);
	err = update_locked(lm, key, value, flags);
	ubf_spin_unlock(&ctl(lm)->lock);
	return err;
}

/* ---------------------------------------------------------------- delete */

/*
 * Under the lock, as Linux's trie_delete_elem(): a node with two children
 * becomes intermediate; a childless node under an intermediate parent takes
 * the parent with it (its sibling moves up); otherwise its only child, if
 * any, takes its place.
 */
static int delete_locked(const struct lpm_map *lm, const void *key)
{
	const uint8_t *data = key_data(key);
	uint32_t plen = key_prefixlen(key), *slot = &ctl(lm)->root, *pslot = slot;
	uint32_t ref, parent = 0, len = 0;
	struct lpm_node *n = NULL, *p;

	while ((ref = *slot)) {
		n = node(lm, ref);
		len = prefix_match(n, data, plen);
		if (n->prefixlen != len || n->prefixlen == plen)
			break;
		parent = ref;
		pslot = slot;
		slot = &n->child[bit_at(data, n->prefixlen)];
	}
	if (!ref || n->prefixlen != plen || len != plen || (n->flags & NODE_IM))
		return -ENOENT;
	ctl(lm)->n_entries--;
	if (n->child[0] && n->child[1]) {
		n->flags |= NODE_IM;
		return 0;
	}
	p = parent ? node(lm, parent) : NULL;
	if (p && (p->flags & NODE_IM) && !n->child[0] && !n->child[1]) {
		*pslot = p->child[p->child[0] == ref];
		node_release(lm, parent);
		node_release(lm, ref);
		return 0;
	}
	*slot = n->child[0] ? n->child[0] : n->child[1];
	node_release(lm, ref);
	return 0;
}

static int lpm_delete(struct ubf_map *map, const void *key)
{
	struct lpm_map *lm = to_lpm(map);
	int err;

	if (key_prefixlen(key) > lm->max_prefixlen)
		return -EINVAL;
	ubf_spin_lock(&ctl(lm)->lock);
	err = delete_locked(lm, key);
	ubf_spin_unlock(&ctl(lm)->lock);
	return err;
}

/* ---------------------------------------------------------------- iteration */

/* The first value-holding node in postorder under @ref (intermediates have two children). */
static uint32_t leftmost(const struct lpm_map *lm, uint32_t ref)
{
	uint32_t found = 0;

	while (ref) {
		struct lpm_node *n = node(lm, ref);

		if (!(n->flags & NODE_IM))
			found = ref;
		ref = n->child[0] ? n->child[0] : (n->flags & NODE_IM ? 0 : n->child[1]);
	}
	return found;
}

/* Under the lock: the postorder successor of @key's exact node, 0 at the end, -1 if absent. */
static int64_t successor(const struct lpm_map *lm, const void *key, uint32_t *stack)
{
	const uint8_t *data = key_data(key);
	uint32_t plen = key_prefixlen(key), ref = ctl(lm)->root, len = 0;
	struct lpm_node *n = NULL, *p;
	int sp = -1;

	while (ref) {
		stack[++sp] = ref;
		n = node(lm, ref);
		len = prefix_match(n, data, plen);
		if (n->prefixlen != len || n->prefixlen == plen)
			break;
		ref = n->child[bit_at(data, n->prefixlen)];
	}
	if (!ref || n->prefixlen != plen || len != plen || (n->flags & NODE_IM))
		return -1;
	for (; sp > 0; sp--) {
		p = node(lm, stack[sp - 1]);
		if (p->child[0] == stack[sp] && p->child[1])
			return leftmost(lm, p->child[1]);
		if (!(p->flags & NODE_IM))
			return stack[sp - 1];
	}
	return 0;
}

/*
 * Linux trie_get_next_key(): postorder, so more specific prefixes come
 * before the prefixes containing them; NULL, a key with prefixlen above the
 * maximum, or a key not in the trie restarts at the first element.
 */
static int lpm_next_key(const struct ubf_map *map, const void *key, void *next_key)
{
	struct lpm_map *lm = to_lpm(map);
	uint32_t *stack = NULL, ref;
	int64_t next = -1;

	if (key && key_prefixlen(key) <= lm->max_prefixlen) {
		stack = malloc(((size_t)lm->max_prefixlen + 1) * sizeof(*stack));
		if (!stack)
			return -ENOMEM;
	}
	ubf_spin_lock(&ctl(lm)->lock);
	if (stack)
		next = successor(lm, key, stack);
	ref = next >= 0 ? (uint32_t)next : leftmost(lm, ctl(lm)->root);
	if (ref) {
		struct lpm_node *n = node(lm, ref);

		memcpy(next_key, &n->prefixlen, LPM_KEY_HDR);
		memcpy((uint8_t *)next_key + LPM_KEY_HDR, n->data, lm->data_size);
	}
	ubf_spin_unlock(&ctl(lm)->lock);
	free(stack);
	return ref ? 0 : -ENOENT;
}

/* ---------------------------------------------------------------- creation */

/* Linux trie_alloc()'s checks: every failure is -EINVAL. */
static int lpm_check_attr(const struct ubf_map_attr *a)
{
	if (!a->max_entries || !(a->map_flags & UBF_F_NO_PREALLOC) ||
	    (a->map_flags & ~LPM_FLAGS) || !ubf_map_flags_access_ok(a->map_flags) ||
	    a->key_size < LPM_KEY_HDR + LPM_DATA_MIN || a->key_size > LPM_KEY_HDR + LPM_DATA_MAX ||
	    !a->value_size || a->value_size > LPM_VALUE_MAX)
		return -EINVAL;
	if (a->max_entries > LPM_MAX_ENTRIES)
		return -E2BIG;
	return 0;
}

static int lpm_alloc(const struct ubf_map_attr *a, struct ubf_map **mapp)
{
	struct lpm_map *lm = calloc(1, sizeof(*lm));

	if (!lm)
		return -ENOMEM;
	lm->data_size = a->key_size - LPM_KEY_HDR;
	lm->max_prefixlen = lm->data_size * 8;
	lm->n_nodes = 2 * a->max_entries;
	lm->value_off = (uint32_t)ubf_round_up(lm->data_size, 8);
	lm->node_sz = sizeof(struct lpm_node) + lm->value_off + ubf_round_up(a->value_size, 8);
	lm->map.data_sz = sizeof(struct lpm_ctl) + lm->node_sz * lm->n_nodes;
	if (lm->map.data_sz > UBF_MAP_DATA_MAX) {
		free(lm);
		return -ENOMEM;
	}
	*mapp = &lm->map;
	return 0;
}

static void lpm_free(struct ubf_map *map)
{
	free(to_lpm(map));
}

const struct ubf_map_ops ubf_lpm_trie_map_ops = {
	.check_attr = lpm_check_attr,
	.alloc = lpm_alloc,
	.free = lpm_free,
	.lookup = lpm_lookup,
	.update = lpm_update,
	.delete = lpm_delete,
	.next_key = lpm_next_key,
	.copy_out = lpm_copy_out,
};
