// SPDX-License-Identifier: BSD-2-Clause
/*
 * legacy_maps.c - make an object with a legacy `maps` section loadable by
 * libbpf 1.x, which refuses them.  The entries (struct bpf_map_def, or
 * iproute2's struct bpf_elf_map, told apart by the symbols' sizes) become
 * BTF-defined map definitions: the section is renamed `.maps` and refilled
 * with zeroed `int (*field)[value]` structs, their BTF is appended to the
 * object's .BTF (or to a new one), the map symbols move to the new offsets
 * and relocations against the section symbol are retargeted to the map
 * symbols.  libelf rewrites the file in memory; every other section is
 * copied unchanged, so this is not a second ELF loader: libbpf still reads
 * the result.
 */
#define _GNU_SOURCE
#include <userbpf/object.h>

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include "util/compiler.h"

#define MAP_DEF_SZ 20u		/* struct bpf_map_def: 5 x u32 */
#define ELF_MAP_SZ 36u		/* iproute2's struct bpf_elf_map: 9 x u32 */
#define MAX_FIELDS 6u		/* type, key_size, value_size, max_entries, map_flags, pinning */
#define FIELD_SZ 8u		/* each BTF map field is a pointer */
#define BPF_MAP_TYPE_ARRAY_OF_MAPS_ 12u
#define BPF_MAP_TYPE_HASH_OF_MAPS_ 13u
#define PIN_BY_NAME 1u		/* libbpf's LIBBPF_PIN_BY_NAME (bpf_helpers.h) */

/* One map entry, decoded. */
struct lmap {
	size_t sym_idx;
	const char *name;
	uint64_t old_off;
	uint64_t new_off;
	bool is_local;
	uint32_t val[MAX_FIELDS];	/* indexed like field_names; 0 = field omitted */
};

static const char *const field_names[MAX_FIELDS] = {
	"type", "key_size", "value_size", "max_entries", "map_flags", "pinning",
};

struct rewrite {
	Elf *elf;
	struct ubf_diag *diag;
	size_t shstrndx;
	size_t maps_idx;
	Elf_Scn *maps_scn, *symtab_scn, *btf_scn;
	size_t strtab_idx;
	size_t entry_sz;
	bool is_elf_map;	/* iproute2's layout */
	bool is_swapped;	/* the object's byte order is not the host's */
	struct lmap *maps;
	size_t map_cnt;
	void *maps_buf, *btf_buf, *shstr_buf;
	struct btf *btf;
};

static int fail(struct rewrite *rw, const char *id, const char *fmt, ...) UBF_PRINTF(3, 4);

static int fail(struct rewrite *rw, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (!rw->diag)
		return -EINVAL;
	rw->diag->insn_idx = UBF_DIAG_NO_INSN;
	rw->diag->line = 0;
	rw->diag->col = 0;
	rw->diag->id = id;
	rw->diag->hint = NULL;
	va_start(ap, fmt);
	vsnprintf(rw->diag->msg, sizeof(rw->diag->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int fail_elf(struct rewrite *rw, const char *what)
{
	return fail(rw, "elf.malformed", "elf: %s: %s", what, elf_errmsg(-1));
}

static const char *sec_name(struct rewrite *rw, Elf_Scn *scn)
{
	GElf_Shdr sh;
	const char *n;

	if (!gelf_getshdr(scn, &sh))
		return NULL;
	n = elf_strptr(rw->elf, rw->shstrndx, sh.sh_name);
	return n;
}

/* The sections this rewrite touches; *found false when there is no `maps`. */
static int find_sections(struct rewrite *rw, bool *found)
{
	bool has_btf_maps = false;
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr sh;

	*found = false;
	if (elf_getshdrstrndx(rw->elf, &rw->shstrndx))
		return fail_elf(rw, "section name table");
	while ((scn = elf_nextscn(rw->elf, scn)) != NULL) {
		name = sec_name(rw, scn);
		if (!name || !gelf_getshdr(scn, &sh))
			return fail_elf(rw, "section header");
		if (!strcmp(name, "maps")) {
			rw->maps_scn = scn;
			rw->maps_idx = elf_ndxscn(scn);
		} else if (!strcmp(name, ".maps")) {
			has_btf_maps = true;
		} else if (!strcmp(name, ".BTF")) {
			rw->btf_scn = scn;
		} else if (sh.sh_type == SHT_SYMTAB) {
			rw->symtab_scn = scn;
			rw->strtab_idx = sh.sh_link;
		}
	}
	if (!rw->maps_scn)
		return 0;
	*found = true;
	if (has_btf_maps)
		return fail(rw, "elf.legacy_maps_mixed",
			    "elf: sections `maps` and `.maps`: legacy and BTF-defined maps in one "
			    "object");
	if (!rw->symtab_scn)
		return fail(rw, "elf.legacy_maps_nosym", "elf: section `maps`: no symbol table");
	return 0;
}

static uint32_t rd32(const struct rewrite *rw, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rw->is_swapped ? __builtin_bswap32(v) : v;
}

static int cmp_off(const void *a, const void *b)
{
	const struct lmap *x = a, *y = b;

	return x->old_off < y->old_off ? -1 : x->old_off > y->old_off;
}

/* The map symbols of `maps`, sorted by offset, and the entry size they imply. */
static int collect_symbols(struct rewrite *rw, Elf_Data *syms, size_t sec_sz)
{
	size_t i, n = syms->d_size / sizeof(Elf64_Sym), sym_sz = 0;
	const char *name;
	GElf_Sym sym;

	rw->maps = calloc(n ? n : 1, sizeof(*rw->maps));
	if (!rw->maps)
		return -ENOMEM;
	for (i = 1; i < n; i++) {
		if (!gelf_getsym(syms, (int)i, &sym))
			return fail_elf(rw, "symbol table");
		if (sym.st_shndx != rw->maps_idx || GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		name = elf_strptr(rw->elf, rw->strtab_idx, sym.st_name);
		if (!name || !*name)
			return fail(rw, "elf.legacy_maps_name",
				    "elf: section `maps`: symbol %zu has no name", i);
		if (rw->map_cnt && sym.st_size != sym_sz)
			return fail(rw, "elf.legacy_maps_size",
				    "elf: section `maps`: symbol %s is %llu bytes, %s is %zu: "
				    "entries of one section have one size",
				    name, (unsigned long long)sym.st_size, rw->maps[0].name, sym_sz);
		sym_sz = sym.st_size;
		rw->maps[rw->map_cnt++] = (struct lmap){
			.sym_idx = i,
			.name = name,
			.old_off = sym.st_value,
			.is_local = GELF_ST_BIND(sym.st_info) == STB_LOCAL,
		};
	}
	if (!rw->map_cnt)
		return fail(rw, "elf.legacy_maps_empty",
			    "elf: section `maps`: no map symbol in it (%zu bytes)", sec_sz);
	qsort(rw->maps, rw->map_cnt, sizeof(*rw->maps), cmp_off);
	/* Symbols without a size: libbpf 0.x divided the section among them. */
	if (!sym_sz) {
		if (sec_sz % rw->map_cnt)
			return fail(rw, "elf.legacy_maps_size",
				    "elf: section `maps`: %zu bytes do not divide among %zu symbols",
				    sec_sz, rw->map_cnt);
		sym_sz = sec_sz / rw->map_cnt;
	}
	rw->entry_sz = sym_sz;
	return 0;
}

/* One entry's fields, checked. */
static int decode_entry(struct rewrite *rw, struct lmap *m, const uint8_t *p)
{
	uint32_t pinning = 0, inner = 0, w;
	size_t k;

	for (k = 0; k < 5; k++)
		m->val[k] = rd32(rw, p + 4 * k);
	if (rw->is_elf_map) {
		pinning = rd32(rw, p + 24);
		inner = rd32(rw, p + 28) | rd32(rw, p + 32);
		if (pinning > 2)
			return fail(rw, "elf.legacy_maps_pinning",
				    "elf: section `maps`: symbol %s: pinning %u is an iproute2 "
				    "custom pinning id; only 0 (none), 1 (object) and 2 (global) "
				    "have a libbpf equivalent (pin by name)",
				    m->name, pinning);
		m->val[5] = pinning ? PIN_BY_NAME : 0;
	} else {
		for (k = MAP_DEF_SZ; k < rw->entry_sz; k += 4) {
			w = rd32(rw, p + k);
			if (w && k == MAP_DEF_SZ)
				inner = w;
			else if (w)
				return fail(rw, "elf.legacy_maps_field",
					    "elf: section `maps`: symbol %s: byte %zu of the "
					    "%zu-byte entry is not zero; struct bpf_map_def has "
					    "%u bytes",
					    m->name, k, rw->entry_sz, MAP_DEF_SZ);
		}
	}
	if (inner || m->val[0] == BPF_MAP_TYPE_ARRAY_OF_MAPS_ ||
	    m->val[0] == BPF_MAP_TYPE_HASH_OF_MAPS_)
		return fail(rw, "elf.legacy_maps_inner",
			    "elf: section `maps`: symbol %s: a map of maps (type %u) needs its "
			    "inner map, which only a BTF-defined `.maps` entry can name",
			    m->name, m->val[0]);
	return 0;
}

static int decode_entries(struct rewrite *rw)
{
	Elf_Data *syms = elf_getdata(rw->symtab_scn, NULL);
	Elf_Data *d = elf_getdata(rw->maps_scn, NULL);
	size_t i, sec_sz;
	GElf_Shdr sh;
	int err;

	if (!syms || !gelf_getshdr(rw->maps_scn, &sh))
		return fail_elf(rw, "section `maps`");
	sec_sz = sh.sh_size;
	if (sh.sh_type != SHT_NOBITS && (!d || d->d_size != sec_sz))
		return fail_elf(rw, "section `maps` data");
	err = collect_symbols(rw, syms, sec_sz);
	if (err)
		return err;
	if (rw->entry_sz == ELF_MAP_SZ) {
		rw->is_elf_map = true;
	} else if (rw->entry_sz < MAP_DEF_SZ || rw->entry_sz % 4 || rw->entry_sz > 64) {
		return fail(rw, "elf.legacy_maps_size",
			    "elf: section `maps`: symbol %s: %zu-byte entries are neither struct "
			    "bpf_map_def (%u bytes, or more with zeros after them) nor iproute2's "
			    "struct bpf_elf_map (%u bytes)",
			    rw->maps[0].name, rw->entry_sz, MAP_DEF_SZ, ELF_MAP_SZ);
	}
	for (i = 0; i < rw->map_cnt; i++) {
		struct lmap *m = &rw->maps[i];

		if (m->old_off > sec_sz || rw->entry_sz > sec_sz - m->old_off)
			return fail(rw, "elf.legacy_maps_truncated",
				    "elf: section `maps`: symbol %s: entry [%llu, %llu) ends past "
				    "the section (%zu bytes)",
				    m->name, (unsigned long long)m->old_off,
				    (unsigned long long)(m->old_off + rw->entry_sz), sec_sz);
		if (i && m->old_off < rw->maps[i - 1].old_off + rw->entry_sz)
			return fail(rw, "elf.legacy_maps_overlap",
				    "elf: section `maps`: symbols %s and %s overlap at offset %llu",
				    rw->maps[i - 1].name, m->name, (unsigned long long)m->old_off);
		if (sh.sh_type == SHT_NOBITS)
			continue;
		err = decode_entry(rw, m, (const uint8_t *)d->d_buf + m->old_off);
		if (err)
			return err;
	}
	return 0;
}

/* Number of fields map @m's BTF struct has: every one up to the last non-zero. */
static size_t field_cnt(const struct lmap *m)
{
	size_t n = MAX_FIELDS;

	while (n > 1 && !m->val[n - 1])
		n--;
	return n;
}

/* The BTF struct of map @m: int (*field)[value] for each field; returns its type id. */
static int add_map_struct(struct rewrite *rw, const struct lmap *m, int int_id)
{
	size_t k, n = field_cnt(m);
	int ptrs[MAX_FIELDS], sid, arr, err;

	/* btf__add_field() extends the type added last, so the pointers come first. */
	for (k = 0; k < n; k++) {
		arr = btf__add_array(rw->btf, int_id, int_id, m->val[k]);
		if (arr < 0)
			return arr;
		ptrs[k] = btf__add_ptr(rw->btf, arr);
		if (ptrs[k] < 0)
			return ptrs[k];
	}
	sid = btf__add_struct(rw->btf, NULL, (uint32_t)(n * FIELD_SZ));
	if (sid < 0)
		return sid;
	for (k = 0; k < n; k++) {
		err = btf__add_field(rw->btf, field_names[k], ptrs[k],
				     (uint32_t)(k * FIELD_SZ * 8), 0);
		if (err)
			return err;
	}
	return sid;
}

/* The DATASEC clang wrote for `maps`, or 0. */
static int find_datasec(const struct btf *btf, const char *name)
{
	uint32_t id, n = btf__type_cnt(btf);
	const struct btf_type *t;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		if (btf_is_datasec(t) && !strcmp(btf__name_by_offset(btf, t->name_off), name))
			return (int)id;
	}
	return 0;
}

/* Point the old DATASEC `maps` at the new definitions and call it `.maps`. */
static int retype_datasec(struct rewrite *rw, int ds_id, const int *struct_ids, size_t sec_sz)
{
	struct btf_var_secinfo *vsi;
	struct btf_type *t, *var;
	const char *vname;
	int name_off;
	size_t i, k;

	name_off = btf__add_str(rw->btf, ".maps");
	if (name_off < 0)
		return name_off;
	t = (struct btf_type *)btf__type_by_id(rw->btf, (uint32_t)ds_id);
	if (btf_vlen(t) != rw->map_cnt)
		return fail(rw, "elf.legacy_maps_btf",
			    "elf: .BTF: DATASEC `maps` has %u variables, section `maps` %zu symbols",
			    btf_vlen(t), rw->map_cnt);
	t->name_off = (uint32_t)name_off;
	t->size = (uint32_t)sec_sz;
	vsi = btf_var_secinfos(t);
	for (i = 0; i < rw->map_cnt; i++, vsi++) {
		var = (struct btf_type *)btf__type_by_id(rw->btf, vsi->type);
		vname = var && btf_is_var(var) ? btf__name_by_offset(rw->btf, var->name_off) : NULL;
		for (k = 0; vname && k < rw->map_cnt && strcmp(rw->maps[k].name, vname); k++)
			;
		if (!vname || k == rw->map_cnt)
			return fail(rw, "elf.legacy_maps_btf",
				    "elf: .BTF: DATASEC `maps` entry %zu is no map symbol", i);
		var->type = (uint32_t)struct_ids[k];
		btf_var(var)->linkage = rw->maps[k].is_local ? BTF_VAR_STATIC
							       : BTF_VAR_GLOBAL_ALLOCATED;
		vsi->offset = (uint32_t)rw->maps[k].new_off;
		vsi->size = (uint32_t)(field_cnt(&rw->maps[k]) * FIELD_SZ);
	}
	return 0;
}

/* New BTF (object's types kept at their ids), and the new `.maps` layout. */
static int build_btf(struct rewrite *rw, size_t *sec_szp)
{
	int int_id, ds_id, err, *ids;
	Elf_Data *d = rw->btf_scn ? elf_getdata(rw->btf_scn, NULL) : NULL;
	size_t i, off = 0;

	rw->btf = d ? btf__new(d->d_buf, d->d_size) : btf__new_empty();
	if (!rw->btf)
		return d ? fail(rw, "elf.legacy_maps_btf", "elf: .BTF: libbpf cannot parse it")
			 : -ENOMEM;
	for (i = 0; i < rw->map_cnt; i++) {
		rw->maps[i].new_off = off;
		off += field_cnt(&rw->maps[i]) * FIELD_SZ;
	}
	*sec_szp = off;
	ids = calloc(rw->map_cnt, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	int_id = btf__add_int(rw->btf, "int", 4, BTF_INT_SIGNED);
	err = int_id < 0 ? int_id : 0;
	for (i = 0; i < rw->map_cnt && !err; i++) {
		ids[i] = add_map_struct(rw, &rw->maps[i], int_id);
		err = ids[i] < 0 ? ids[i] : 0;
	}
	ds_id = err ? 0 : find_datasec(rw->btf, "maps");
	if (ds_id) {
		err = retype_datasec(rw, ds_id, ids, off);
	} else if (!err) {
		ds_id = btf__add_datasec(rw->btf, ".maps", (uint32_t)off);
		err = ds_id < 0 ? ds_id : 0;
		for (i = 0; i < rw->map_cnt && !err; i++) {
			int var = btf__add_var(rw->btf, rw->maps[i].name,
					       rw->maps[i].is_local ? BTF_VAR_STATIC
								    : BTF_VAR_GLOBAL_ALLOCATED,
					       ids[i]);

			err = var < 0 ? var
				      : btf__add_datasec_var_info(rw->btf, var,
								  (uint32_t)rw->maps[i].new_off,
								  (uint32_t)(field_cnt(&rw->maps[i]) *
									     FIELD_SZ));
		}
	}
	free(ids);
	return err;
}

/* Move the map symbols to their new entries, as STT_OBJECT of the new size. */
static int move_symbols(struct rewrite *rw)
{
	Elf_Data *syms = elf_getdata(rw->symtab_scn, NULL);
	GElf_Sym sym;
	size_t i;

	for (i = 0; i < rw->map_cnt; i++) {
		if (!gelf_getsym(syms, (int)rw->maps[i].sym_idx, &sym))
			return fail_elf(rw, "symbol table");
		sym.st_value = rw->maps[i].new_off;
		sym.st_size = field_cnt(&rw->maps[i]) * FIELD_SZ;
		sym.st_info = GELF_ST_INFO(GELF_ST_BIND(sym.st_info), STT_OBJECT);
		if (!gelf_update_sym(syms, (int)rw->maps[i].sym_idx, &sym))
			return fail_elf(rw, "symbol table");
	}
	elf_flagdata(syms, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

/*
 * A relocation against the section symbol of `maps` carries the entry's
 * offset in the lddw's immediate; libbpf 1.x matches .maps references by
 * symbol value, so it is retargeted to the map symbol and the immediate
 * cleared.
 */
static int retarget_rel(struct rewrite *rw, Elf_Scn *rel_scn, const GElf_Shdr *rsh)
{
	Elf_Data *rels = elf_getdata(rel_scn, NULL), *syms = elf_getdata(rw->symtab_scn, NULL);
	Elf_Scn *code = elf_getscn(rw->elf, rsh->sh_info);
	Elf_Data *cd = code ? elf_getdata(code, NULL) : NULL;
	size_t i, k, n;
	GElf_Sym sym;
	GElf_Rel rel;
	int32_t imm;

	if (!rels || !syms)
		return fail_elf(rw, "relocation section");
	n = rels->d_size / sizeof(Elf64_Rel);
	for (i = 0; i < n; i++) {
		if (!gelf_getrel(rels, (int)i, &rel) ||
		    !gelf_getsym(syms, (int)GELF_R_SYM(rel.r_info), &sym))
			return fail_elf(rw, "relocation");
		if (sym.st_shndx != rw->maps_idx || GELF_ST_TYPE(sym.st_info) != STT_SECTION)
			continue;
		if (!cd || !cd->d_buf || rel.r_offset > cd->d_size || cd->d_size - rel.r_offset < 8)
			return fail(rw, "elf.legacy_maps_reloc",
				    "elf: relocation %zu of section %zu: offset %llu outside the code",
				    i, (size_t)rsh->sh_info, (unsigned long long)rel.r_offset);
		memcpy(&imm, (uint8_t *)cd->d_buf + rel.r_offset + 4, sizeof(imm));
		if (rw->is_swapped)
			imm = (int32_t)__builtin_bswap32((uint32_t)imm);
		for (k = 0; k < rw->map_cnt && rw->maps[k].old_off != (uint64_t)(uint32_t)imm; k++)
			;
		if (k == rw->map_cnt)
			return fail(rw, "elf.legacy_maps_reloc",
				    "elf: relocation %zu of section %zu: `maps`+%d is no map entry", i,
				    (size_t)rsh->sh_info, imm);
		memset((uint8_t *)cd->d_buf + rel.r_offset + 4, 0, 4);
		rel.r_info = GELF_R_INFO(rw->maps[k].sym_idx, GELF_R_TYPE(rel.r_info));
		if (!gelf_update_rel(rels, (int)i, &rel))
			return fail_elf(rw, "relocation");
		elf_flagdata(rels, ELF_C_SET, ELF_F_DIRTY);
		elf_flagdata(cd, ELF_C_SET, ELF_F_DIRTY);
	}
	return 0;
}

static int retarget_relocations(struct rewrite *rw)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int err;

	while ((scn = elf_nextscn(rw->elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			return fail_elf(rw, "section header");
		if (sh.sh_type != SHT_REL || sh.sh_link != elf_ndxscn(rw->symtab_scn))
			continue;
		err = retarget_rel(rw, scn, &sh);
		if (err)
			return err;
	}
	return 0;
}

/* Append @names (each NUL-terminated, total @len) to the section name table. */
static int add_section_names(struct rewrite *rw, const char *names, size_t len, size_t *offp)
{
	Elf_Scn *scn = elf_getscn(rw->elf, rw->shstrndx);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

	if (!d || !d->d_buf)
		return fail_elf(rw, "section name table");
	rw->shstr_buf = malloc(d->d_size + len);
	if (!rw->shstr_buf)
		return -ENOMEM;
	memcpy(rw->shstr_buf, d->d_buf, d->d_size);
	memcpy((char *)rw->shstr_buf + d->d_size, names, len);
	*offp = d->d_size;
	d->d_buf = rw->shstr_buf;
	d->d_size += len;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

static int set_section(struct rewrite *rw, Elf_Scn *scn, uint32_t type, void *buf, size_t sz,
		       size_t align, size_t name_off)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	GElf_Shdr sh;

	if (!d)
		d = elf_newdata(scn);
	if (!d || !gelf_getshdr(scn, &sh))
		return fail_elf(rw, "new section data");
	d->d_buf = buf;
	d->d_size = sz;
	d->d_type = ELF_T_BYTE;
	d->d_align = align;
	d->d_off = 0;
	sh.sh_name = (uint32_t)name_off;
	sh.sh_type = type;
	sh.sh_size = sz;
	sh.sh_addralign = align;
	if (!gelf_update_shdr(scn, &sh))
		return fail_elf(rw, "section header");
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	elf_flagshdr(scn, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

/* `.maps` and .BTF in place of `maps` and the old .BTF (or a new .BTF section). */
static int write_sections(struct rewrite *rw, size_t maps_sz)
{
	static const char names[] = ".maps\0.BTF";
	const void *raw;
	uint32_t raw_sz;
	size_t off = 0;
	GElf_Shdr sh;
	int err;

	raw = btf__raw_data(rw->btf, &raw_sz);
	if (!raw)
		return -ENOMEM;
	rw->btf_buf = malloc(raw_sz);
	rw->maps_buf = calloc(1, maps_sz);
	if (!rw->btf_buf || !rw->maps_buf)
		return -ENOMEM;
	memcpy(rw->btf_buf, raw, raw_sz);
	err = add_section_names(rw, names, sizeof(names), &off);
	if (err)
		return err;
	if (!gelf_getshdr(rw->maps_scn, &sh))
		return fail_elf(rw, "section `maps`");
	sh.sh_flags |= SHF_ALLOC | SHF_WRITE;
	if (!gelf_update_shdr(rw->maps_scn, &sh))
		return fail_elf(rw, "section `maps`");
	err = set_section(rw, rw->maps_scn, SHT_PROGBITS, rw->maps_buf, maps_sz, 8, off);
	if (err)
		return err;
	if (rw->btf_scn) {
		if (!gelf_getshdr(rw->btf_scn, &sh))
			return fail_elf(rw, ".BTF");
		return set_section(rw, rw->btf_scn, SHT_PROGBITS, rw->btf_buf, raw_sz, 4,
				   sh.sh_name);
	}
	rw->btf_scn = elf_newscn(rw->elf);
	if (!rw->btf_scn)
		return fail_elf(rw, "new .BTF section");
	return set_section(rw, rw->btf_scn, SHT_PROGBITS, rw->btf_buf, raw_sz, 4,
			   off + sizeof(".maps"));
}

/* The rewritten file's bytes. */
static int read_back(int fd, void **outp, size_t *out_szp)
{
	off_t sz = lseek(fd, 0, SEEK_END);
	uint8_t *buf;
	ssize_t n;

	if (sz <= 0)
		return -EIO;
	buf = malloc((size_t)sz);
	if (!buf)
		return -ENOMEM;
	n = pread(fd, buf, (size_t)sz, 0);
	if (n != sz) {
		free(buf);
		return n < 0 ? -errno : -EIO;
	}
	*outp = buf;
	*out_szp = (size_t)sz;
	return 0;
}

static int rewrite_steps(struct rewrite *rw, bool *found)
{
	const unsigned char host_data = 1 == *(const unsigned char *)&(const uint16_t){ 1 }
						? ELFDATA2LSB
						: ELFDATA2MSB;
	size_t maps_sz = 0;
	const char *ident;
	int err;

	ident = elf_getident(rw->elf, NULL);
	if (elf_kind(rw->elf) != ELF_K_ELF || !ident || gelf_getclass(rw->elf) != ELFCLASS64)
		return fail(rw, "elf.malformed", "elf: not a 64-bit ELF object");
	rw->is_swapped = (unsigned char)ident[EI_DATA] != host_data;
	err = find_sections(rw, found);
	if (err || !*found)
		return err;
	err = decode_entries(rw);
	err = err ? err : build_btf(rw, &maps_sz);
	err = err ? err : move_symbols(rw);
	err = err ? err : retarget_relocations(rw);
	err = err ? err : write_sections(rw, maps_sz);
	if (!err && elf_update(rw->elf, ELF_C_WRITE) < 0)
		err = fail_elf(rw, "writing the rewritten object");
	return err;
}

int ubf_elf_legacy_maps(const void *buf, size_t buf_sz, void **outp, size_t *out_szp,
			struct ubf_diag *diag)
{
	struct rewrite rw = { .diag = diag };
	bool found = false;
	int fd, err;

	*outp = NULL;
	*out_szp = 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(&rw, "elf.malformed", "elf: libelf: %s", elf_errmsg(-1));
	fd = memfd_create("userbpf-legacy-maps", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, buf_sz) != (ssize_t)buf_sz) {
		err = -EIO;
		goto out_close;
	}
	rw.elf = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!rw.elf) {
		err = fail(&rw, "elf.malformed", "elf: %s", elf_errmsg(-1));
		goto out_close;
	}
	err = rewrite_steps(&rw, &found);
	elf_end(rw.elf);
	if (!err && found)
		err = read_back(fd, outp, out_szp);
	btf__free(rw.btf);
	free(rw.maps);
	free(rw.maps_buf);
	free(rw.btf_buf);
	free(rw.shstr_buf);
out_close:
	close(fd);
	return err;
}
