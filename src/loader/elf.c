// SPDX-License-Identifier: BSD-2-Clause
/*
 * elf.c - the executable sections and function symbols of an eBPF ELF
 * object, read straight from the file's bytes through bounds-checked spans.
 * It validates the ELF header (64-bit, EM_BPF, ET_REL/ET_EXEC/ET_DYN), the
 * section header table, every section's file range and name, and converts
 * big-endian (bpfeb) code to host order.  It does not apply relocations or
 * read maps and BTF: that is libbpf's job (see object.h).
 */
#include <userbpf/object.h>

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/compiler.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define SHDR_SZ sizeof(Elf64_Shdr)
#define SYM_SZ sizeof(Elf64_Sym)
#define INSN_SZ 8u

struct span {
	const uint8_t *p;
	size_t len;
};

/* Bytes [off, off + len) of s, or -EINVAL.  No intermediate sum can overflow. */
static inline int span_slice(struct span s, uint64_t off, uint64_t len, struct span *out)
{
	if (off > s.len || len > s.len - off)
		return -EINVAL;
	out->p = s.p + off;
	out->len = (size_t)len;
	return 0;
}

/* The NUL-terminated string starting at @off of @s, or -EINVAL. */
static int span_cstr(struct span s, uint64_t off, const char **out)
{
	struct span t;

	if (off >= s.len || span_slice(s, off, s.len - off, &t) || !memchr(t.p, 0, t.len))
		return -EINVAL;
	*out = (const char *)t.p;
	return 0;
}

/* A validated object: header fields in host order, the tables located. */
struct elf {
	struct span file;
	bool is_be;		/* EI_DATA == ELFDATA2MSB */
	uint16_t type;		/* e_type */
	uint64_t shnum;		/* section count, extended numbering resolved */
	struct span shdrs;	/* the section header table */
	struct span shstr;	/* the section name string table */
	struct ubf_diag *diag;
};

/* The section header fields this file uses, in host order. */
struct shdr {
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint64_t entsize;
};

static int fail(const struct elf *e, const char *id, const char *fmt, ...) UBF_PRINTF(3, 4);

static int fail(const struct elf *e, const char *id, const char *fmt, ...)
{
	struct ubf_diag *diag = e->diag;
	va_list ap;

	if (!diag)
		return -EINVAL;
	diag->insn_idx = UBF_DIAG_NO_INSN;
	diag->line = 0;
	diag->col = 0;
	diag->id = id;
	diag->hint = NULL;
	/* The id names the subsystem ("elf."); the message says where and what. */
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* An @n-byte unsigned field at @off of @s in the object's byte order; the caller sized @s. */
static uint64_t rd(const struct elf *e, struct span s, size_t off, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)s.p[off + (e->is_be ? n - 1 - i : i)] << (8 * i);
	return v;
}

#define RD(e, s, type, field) rd(e, s, offsetof(type, field), sizeof(((type *)0)->field))

static void read_shdr(const struct elf *e, uint64_t idx, struct shdr *sh)
{
	struct span s = { NULL, 0 };

	/* idx < shnum and shdrs holds shnum entries: the slice cannot fail. */
	span_slice(e->shdrs, idx * SHDR_SZ, SHDR_SZ, &s);
	sh->name = (uint32_t)RD(e, s, Elf64_Shdr, sh_name);
	sh->type = (uint32_t)RD(e, s, Elf64_Shdr, sh_type);
	sh->flags = RD(e, s, Elf64_Shdr, sh_flags);
	sh->addr = RD(e, s, Elf64_Shdr, sh_addr);
	sh->offset = RD(e, s, Elf64_Shdr, sh_offset);
	sh->size = RD(e, s, Elf64_Shdr, sh_size);
	sh->link = (uint32_t)RD(e, s, Elf64_Shdr, sh_link);
	sh->entsize = RD(e, s, Elf64_Shdr, sh_entsize);
}

static bool is_code(const struct shdr *sh)
{
	return sh->type == SHT_PROGBITS && (sh->flags & SHF_EXECINSTR);
}

/* The bytes of section @idx (empty for SHT_NOBITS), or -EINVAL with the diag filled. */
static int section_data(const struct elf *e, uint64_t idx, const struct shdr *sh,
			struct span *out)
{
	if (sh->type == SHT_NOBITS || sh->type == SHT_NULL) {
		out->p = e->file.p;
		out->len = 0;
		return 0;
	}
	if (span_slice(e->file, sh->offset, sh->size, out))
		return fail(e, "elf.section_bounds",
			    "section %llu: sh_offset 0x%llx, sh_size 0x%llx: "
			    "outside the file (%zu bytes)",
			    (unsigned long long)idx, (unsigned long long)sh->offset,
			    (unsigned long long)sh->size, e->file.len);
	return 0;
}

static const char *section_name(const struct elf *e, const struct shdr *sh)
{
	const char *name = "?";

	span_cstr(e->shstr, sh->name, &name);
	return name;
}

/* e_ident: magic, class, byte order, version. */
static int parse_ident(struct elf *e)
{
	const uint8_t *h = e->file.p;

	if (e->file.len < EI_NIDENT || memcmp(h, ELFMAG, SELFMAG))
		return fail(e, "elf.bad_magic", "e_ident: not an ELF file (no \\x7fELF magic)");
	if (h[EI_CLASS] != ELFCLASS64)
		return fail(e, "elf.bad_class", "e_ident[EI_CLASS] is %u, expected ELFCLASS64 (2)",
			    h[EI_CLASS]);
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return fail(e, "elf.bad_data",
			    "e_ident[EI_DATA] is %u, expected ELFDATA2LSB (1) or ELFDATA2MSB (2)",
			    h[EI_DATA]);
	if (h[EI_VERSION] != EV_CURRENT)
		return fail(e, "elf.bad_version", "e_ident[EI_VERSION] is %u, expected 1",
			    h[EI_VERSION]);
	if (e->file.len < sizeof(Elf64_Ehdr))
		return fail(e, "elf.truncated",
			    "file is %zu bytes, shorter than the ELF header (%zu)", e->file.len,
			    sizeof(Elf64_Ehdr));
	e->is_be = h[EI_DATA] == ELFDATA2MSB;
	return 0;
}

/* Locate the section header table and the section name table. */
static int parse_tables(struct elf *e, uint64_t shoff, uint64_t shnum, uint64_t shstrndx)
{
	struct span sh0;
	struct shdr sh;
	uint64_t tbl_sz;

	if (span_slice(e->file, shoff, SHDR_SZ, &sh0))
		return fail(e, "elf.section_table_bounds",
			    "e_shoff 0x%llx: section header table outside the file (%zu bytes)",
			    (unsigned long long)shoff, e->file.len);
	/* Extended numbering (gABI): the real values live in section 0. */
	if (shnum == 0)
		shnum = RD(e, sh0, Elf64_Shdr, sh_size);
	if (shstrndx == SHN_XINDEX)
		shstrndx = RD(e, sh0, Elf64_Shdr, sh_link);
	if (ubf_mul_overflow(shnum, (uint64_t)SHDR_SZ, &tbl_sz) ||
	    span_slice(e->file, shoff, tbl_sz, &e->shdrs))
		return fail(e, "elf.section_table_bounds",
			    "e_shoff 0x%llx, %llu sections of %zu bytes: "
			    "outside the file (%zu bytes)",
			    (unsigned long long)shoff, (unsigned long long)shnum, SHDR_SZ,
			    e->file.len);
	e->shnum = shnum;
	if (shstrndx == SHN_UNDEF || shstrndx >= shnum)
		return fail(e, "elf.bad_shstrndx",
			    "e_shstrndx %llu: no such section (%llu sections)",
			    (unsigned long long)shstrndx, (unsigned long long)shnum);
	read_shdr(e, shstrndx, &sh);
	if (sh.type != SHT_STRTAB)
		return fail(e, "elf.bad_shstrtab",
			    "section %llu (e_shstrndx): sh_type %u, expected SHT_STRTAB (3)",
			    (unsigned long long)shstrndx, sh.type);
	return section_data(e, shstrndx, &sh, &e->shstr);
}

static int parse_header(struct elf *e)
{
	struct span h = e->file;
	uint64_t machine, shoff, shnum, shentsize;
	int err;

	err = parse_ident(e);
	if (err)
		return err;
	machine = RD(e, h, Elf64_Ehdr, e_machine);
	if (machine != EM_BPF)
		return fail(e, "elf.bad_machine", "e_machine is %llu, expected EM_BPF (247)",
			    (unsigned long long)machine);
	e->type = (uint16_t)RD(e, h, Elf64_Ehdr, e_type);
	if (e->type != ET_REL && e->type != ET_EXEC && e->type != ET_DYN)
		return fail(e, "elf.bad_type",
			    "e_type is %u, expected ET_REL (1), ET_EXEC (2) or ET_DYN (3)",
			    e->type);
	shoff = RD(e, h, Elf64_Ehdr, e_shoff);
	shnum = RD(e, h, Elf64_Ehdr, e_shnum);
	shentsize = RD(e, h, Elf64_Ehdr, e_shentsize);
	if (shoff == 0 && shnum == 0) {
		/* No section header table: nothing to list. */
		e->shnum = 0;
		return 0;
	}
	if (shentsize != SHDR_SZ)
		return fail(e, "elf.bad_shentsize", "e_shentsize is %llu, expected %zu",
			    (unsigned long long)shentsize, SHDR_SZ);
	return parse_tables(e, shoff, shnum, RD(e, h, Elf64_Ehdr, e_shstrndx));
}

/* Every section: a terminated name inside the name table and data inside the file. */
static int check_sections(const struct elf *e)
{
	uint64_t idx;

	for (idx = 1; idx < e->shnum; idx++) {
		struct span data;
		const char *name;
		struct shdr sh;
		int err;

		read_shdr(e, idx, &sh);
		if (span_cstr(e->shstr, sh.name, &name))
			return fail(e, "elf.bad_name",
				    "section %llu: sh_name %u is not a string in the "
				    "section name table (%zu bytes)",
				    (unsigned long long)idx, sh.name, e->shstr.len);
		err = section_data(e, idx, &sh, &data);
		if (err)
			return err;
		if (is_code(&sh) && sh.size % INSN_SZ)
			return fail(e, "elf.section_size",
				    "section %llu (%s): sh_size %llu is not a multiple of 8 "
				    "(the instruction size)",
				    (unsigned long long)idx, name, (unsigned long long)sh.size);
	}
	return 0;
}

static int elf_open(struct elf *e, const void *buf, size_t buf_sz, struct ubf_diag *diag)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->file.p = buf;
	e->file.len = buf ? buf_sz : 0;
	e->diag = diag;
	err = parse_header(e);
	if (err)
		return err;
	return check_sections(e);
}

/* Decode @cnt instructions from @data; bpfeb swaps off, imm and the register nibbles. */
static void copy_insns(const struct elf *e, struct span data, struct ubf_raw_insn *out, size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		struct span s = { NULL, 0 };
		uint8_t regs;

		span_slice(data, (uint64_t)i * INSN_SZ, INSN_SZ, &s);
		regs = s.p[1];
		if (e->is_be)
			regs = (uint8_t)(regs >> 4 | regs << 4);
		out[i].code = s.p[0];
		out[i].regs = regs;
		out[i].off = (int16_t)(uint16_t)rd(e, s, 2, 2);
		out[i].imm = (int32_t)(uint32_t)rd(e, s, 4, 4);
	}
}

static int fill_section(const struct elf *e, uint64_t idx, const struct shdr *sh,
			struct ubf_code_section *sec)
{
	struct span data;
	size_t cnt;
	int err;

	err = section_data(e, idx, sh, &data);
	if (err)
		return err;
	cnt = data.len / INSN_SZ;
	sec->name = strdup(section_name(e, sh));
	if (!sec->name)
		return -ENOMEM;
	if (cnt) {
		sec->insns = calloc(cnt, sizeof(*sec->insns));
		if (!sec->insns)
			return -ENOMEM;
		copy_insns(e, data, sec->insns, cnt);
	}
	sec->insn_cnt = cnt;
	return 0;
}

int ubf_elf_code_sections(const void *buf, size_t buf_sz, struct ubf_code_section **secsp,
			  size_t *cntp, struct ubf_diag *diag)
{
	struct ubf_code_section *secs;
	size_t cnt = 0, n = 0;
	struct elf e;
	uint64_t idx;
	int err;

	if (!secsp || !cntp)
		return -EINVAL;
	err = elf_open(&e, buf, buf_sz, diag);
	if (err)
		return err;
	for (idx = 1; idx < e.shnum; idx++) {
		struct shdr sh;

		read_shdr(&e, idx, &sh);
		cnt += is_code(&sh);
	}
	secs = calloc(cnt ? cnt : 1, sizeof(*secs));
	if (!secs)
		return -ENOMEM;
	for (idx = 1; idx < e.shnum && n < cnt; idx++) {
		struct shdr sh;

		read_shdr(&e, idx, &sh);
		if (!is_code(&sh))
			continue;
		err = fill_section(&e, idx, &sh, &secs[n++]);
		if (err)
			goto err_free;
	}
	*secsp = secs;
	*cntp = cnt;
	return 0;

err_free:
	ubf_elf_code_sections_free(secs, n);
	return err;
}

void ubf_elf_code_sections_free(struct ubf_code_section *secs, size_t cnt)
{
	size_t i;

	if (!secs)
		return;
	for (i = 0; i < cnt; i++) {
		free(secs[i].name);
		free(secs[i].insns);
	}
	free(secs);
}

bool ubf_is_elf(const void *buf, size_t buf_sz)
{
	return buf && buf_sz >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

/* The symbol table and its string table. */
static int find_symtab(const struct elf *e, struct span *syms, struct span *strs)
{
	struct shdr sh, str;
	uint64_t idx;

	for (idx = 1; idx < e->shnum; idx++) {
		read_shdr(e, idx, &sh);
		if (sh.type == SHT_SYMTAB)
			break;
	}
	if (idx >= e->shnum)
		return -ENOENT;
	if (sh.entsize != SYM_SZ || sh.size % SYM_SZ)
		return fail(e, "elf.bad_symtab",
			    "section %llu (%s): sh_entsize %llu, sh_size %llu: "
			    "expected entries of %zu bytes",
			    (unsigned long long)idx, section_name(e, &sh),
			    (unsigned long long)sh.entsize, (unsigned long long)sh.size, SYM_SZ);
	if (sh.link == SHN_UNDEF || sh.link >= e->shnum)
		return fail(e, "elf.bad_symtab", "section %llu (%s): sh_link %u: no such section",
			    (unsigned long long)idx, section_name(e, &sh), sh.link);
	read_shdr(e, sh.link, &str);
	if (str.type != SHT_STRTAB)
		return fail(e, "elf.bad_symtab",
			    "section %llu (%s): sh_link %u is not a string table (sh_type %u)",
			    (unsigned long long)idx, section_name(e, &sh), sh.link, str.type);
	/* check_sections() already proved both ranges are inside the file. */
	section_data(e, idx, &sh, syms);
	section_data(e, sh.link, &str, strs);
	return 0;
}

/* The executable section a symbol lives in: its index in the listing, and its header. */
static int code_section_of(const struct elf *e, uint64_t shndx, size_t *sec_idx, struct shdr *out)
{
	size_t n = 0;
	uint64_t idx;

	for (idx = 1; idx < e->shnum; idx++) {
		struct shdr sh;

		read_shdr(e, idx, &sh);
		if (!is_code(&sh))
			continue;
		if (idx == shndx) {
			*sec_idx = n;
			*out = sh;
			return 0;
		}
		n++;
	}
	return -ENOENT;
}

/* Where symbol @sym_idx (value, size) sits in its section, checked. */
static int place_symbol(const struct elf *e, uint64_t sym_idx, const char *name, uint64_t value,
			uint64_t size, const struct shdr *sh, struct ubf_elf_func *func)
{
	uint64_t off = value;

	/* ET_REL symbols hold section offsets; linked objects hold addresses. */
	if (e->type != ET_REL) {
		if (value < sh->addr)
			return fail(e, "elf.bad_symbol",
				    "symbol %llu (%s): st_value 0x%llx is below its "
				    "section's address 0x%llx",
				    (unsigned long long)sym_idx, name, (unsigned long long)value,
				    (unsigned long long)sh->addr);
		off = value - sh->addr;
	}
	if (off % INSN_SZ || off >= sh->size || size > sh->size - off || size % INSN_SZ)
		return fail(e, "elf.bad_symbol",
			    "symbol %llu (%s): offset 0x%llx, size %llu: "
			    "not whole instructions inside its section (%llu bytes)",
			    (unsigned long long)sym_idx, name, (unsigned long long)off,
			    (unsigned long long)size, (unsigned long long)sh->size);
	func->insn_off = (size_t)(off / INSN_SZ);
	func->insn_cnt = (size_t)(size / INSN_SZ);
	return 0;
}

int ubf_elf_symbol(const void *buf, size_t buf_sz, const char *name, struct ubf_elf_func *func,
		   struct ubf_diag *diag)
{
	struct span syms, strs;
	struct elf e;
	uint64_t i;
	int err;

	if (!name || !func)
		return -EINVAL;
	err = elf_open(&e, buf, buf_sz, diag);
	if (err)
		return err;
	err = find_symtab(&e, &syms, &strs);
	if (err == -ENOENT)
		goto no_symbol;
	if (err)
		return err;
	for (i = 1; i < syms.len / SYM_SZ; i++) {
		struct span s = { NULL, 0 };
		const char *sym_name;
		struct ubf_elf_func f;
		struct shdr sh;

		span_slice(syms, i * SYM_SZ, SYM_SZ, &s);
		if (ELF64_ST_TYPE(RD(&e, s, Elf64_Sym, st_info)) != STT_FUNC)
			continue;
		if (span_cstr(strs, RD(&e, s, Elf64_Sym, st_name), &sym_name))
			return fail(&e, "elf.bad_symbol",
				    "symbol %llu: st_name is not a string in the "
				    "symbol string table",
				    (unsigned long long)i);
		if (strcmp(sym_name, name) ||
		    code_section_of(&e, RD(&e, s, Elf64_Sym, st_shndx), &f.sec_idx, &sh))
			continue;
		err = place_symbol(&e, i, sym_name, RD(&e, s, Elf64_Sym, st_value),
				   RD(&e, s, Elf64_Sym, st_size), &sh, &f);
		if (err)
			return err;
		*func = f;
		return 0;
	}
no_symbol:
	fail(&e, "elf.no_symbol", "no function symbol \"%s\" in an executable section", name);
	return -ENOENT;
}
