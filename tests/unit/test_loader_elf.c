// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_loader_elf.c - the ELF section reader (src/loader/elf.c) on a small
 * object built byte by byte here, in both byte orders, and on one mutation
 * per header or table check with the diagnostic id it must produce.  Every
 * truncation and every single-byte corruption of the object must give 0 or
 * an error, never a crash (run under SAN=address,undefined).
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/object.h>

#include "test.h"

/* Layout of the test object (offsets in bytes). */
enum {
	OFF_TEXT = 64,		/* .text: 3 instructions; "other" at 0, "main" at 1 */
	OFF_XDP = 88,		/* xdp: 2 instructions */
	OFF_DATA = 104,		/* .data: 8 bytes, not executable */
	OFF_SHSTR = 112,	/* section names */
	SHSTR_SZ = 48,
	OFF_STR = 160,		/* symbol names */
	STR_SZ = 16,
	OFF_SYM = 176,		/* 3 symbols of 24 bytes */
	OFF_SHDRS = 248,	/* 7 section headers of 64 bytes */
	SHNUM = 7,
	OBJ_SZ = OFF_SHDRS + SHNUM * 64,
};

/* Section indexes. */
enum { S_TEXT = 1, S_XDP, S_DATA, S_SHSTR, S_SYM, S_STR };

static const char shstr[SHSTR_SZ] = "\0.text\0xdp\0.data\0.shstrtab\0.symtab\0.strtab";
/* name offsets in shstr */
enum { N_TEXT = 1, N_XDP = 7, N_DATA = 11, N_SHSTR = 17, N_SYM = 27, N_STR = 35 };
static const char strtab[STR_SZ] = "\0other\0main";
enum { N_OTHER = 1, N_MAIN = 7 };

/* The instructions, as the test expects them after loading (host order). */
static const struct ubf_raw_insn text_insns[] = {
	UBF_INSN(0xb7, 1, 0, 0, 1),		/* r1 = 1 */
	UBF_INSN(0x61, 0, 1, -2, 0),		/* r0 = *(u32 *)(r1 - 2) */
	UBF_INSN(0x95, 0, 0, 0, 0),		/* exit */
};
static const struct ubf_raw_insn xdp_insns[] = {
	UBF_INSN(0xb7, 0, 0, 0, -5),
	UBF_INSN(0x95, 0, 0, 0, 0),
};

struct obj {
	uint8_t b[OBJ_SZ];
	int is_be;
};

static void put(struct obj *o, size_t off, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		o->b[off + (o->is_be ? n - 1 - i : i)] = (uint8_t)(v >> (8 * i));
}

static void put_insns(struct obj *o, size_t off, const struct ubf_raw_insn *in, size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++, off += 8) {
		o->b[off] = in[i].code;
		o->b[off + 1] = o->is_be ? (uint8_t)(ubf_raw_dst(&in[i]) << 4 | ubf_raw_src(&in[i]))
					 : in[i].regs;
		put(o, off + 2, (uint16_t)in[i].off, 2);
		put(o, off + 4, (uint32_t)in[i].imm, 4);
	}
}

static void put_shdr(struct obj *o, unsigned idx, uint32_t name, uint32_t type, uint64_t flags,
		     uint64_t off, uint64_t size, uint32_t link, uint64_t entsize)
{
	size_t base = OFF_SHDRS + idx * 64;

	put(o, base + offsetof(Elf64_Shdr, sh_name), name, 4);
	put(o, base + offsetof(Elf64_Shdr, sh_type), type, 4);
	put(o, base + offsetof(Elf64_Shdr, sh_flags), flags, 8);
	put(o, base + offsetof(Elf64_Shdr, sh_offset), off, 8);
	put(o, base + offsetof(Elf64_Shdr, sh_size), size, 8);
	put(o, base + offsetof(Elf64_Shdr, sh_link), link, 4);
	put(o, base + offsetof(Elf64_Shdr, sh_addralign), 8, 8);
	put(o, base + offsetof(Elf64_Shdr, sh_entsize), entsize, 8);
}

static void put_sym(struct obj *o, unsigned idx, uint32_t name, uint64_t value, uint64_t size)
{
	size_t base = OFF_SYM + idx * 24;

	put(o, base + offsetof(Elf64_Sym, st_name), name, 4);
	o->b[base + offsetof(Elf64_Sym, st_info)] = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	put(o, base + offsetof(Elf64_Sym, st_shndx), S_TEXT, 2);
	put(o, base + offsetof(Elf64_Sym, st_value), value, 8);
	put(o, base + offsetof(Elf64_Sym, st_size), size, 8);
}

static void build(struct obj *o, int is_be)
{
	memset(o, 0, sizeof(*o));
	o->is_be = is_be;
	memcpy(o->b, ELFMAG, SELFMAG);
	o->b[EI_CLASS] = ELFCLASS64;
	o->b[EI_DATA] = is_be ? ELFDATA2MSB : ELFDATA2LSB;
	o->b[EI_VERSION] = EV_CURRENT;
	put(o, offsetof(Elf64_Ehdr, e_type), ET_REL, 2);
	put(o, offsetof(Elf64_Ehdr, e_machine), 247, 2);
	put(o, offsetof(Elf64_Ehdr, e_version), EV_CURRENT, 4);
	put(o, offsetof(Elf64_Ehdr, e_shoff), OFF_SHDRS, 8);
	put(o, offsetof(Elf64_Ehdr, e_ehsize), 64, 2);
	put(o, offsetof(Elf64_Ehdr, e_shentsize), 64, 2);
	put(o, offsetof(Elf64_Ehdr, e_shnum), SHNUM, 2);
	put(o, offsetof(Elf64_Ehdr, e_shstrndx), S_SHSTR, 2);

	put_insns(o, OFF_TEXT, text_insns, 3);
	put_insns(o, OFF_XDP, xdp_insns, 2);
	memset(o->b + OFF_DATA, 0x5a, 8);
	memcpy(o->b + OFF_SHSTR, shstr, SHSTR_SZ);
	memcpy(o->b + OFF_STR, strtab, STR_SZ);
	put_sym(o, 1, N_OTHER, 0, 8);
	put_sym(o, 2, N_MAIN, 8, 16);

	put_shdr(o, S_TEXT, N_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, OFF_TEXT, 24, 0, 0);
	put_shdr(o, S_XDP, N_XDP, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, OFF_XDP, 16, 0, 0);
	put_shdr(o, S_DATA, N_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, OFF_DATA, 8, 0, 0);
	put_shdr(o, S_SHSTR, N_SHSTR, SHT_STRTAB, 0, OFF_SHSTR, SHSTR_SZ, 0, 0);
	put_shdr(o, S_SYM, N_SYM, SHT_SYMTAB, 0, OFF_SYM, 3 * 24, S_STR, 24);
	put_shdr(o, S_STR, N_STR, SHT_STRTAB, 0, OFF_STR, STR_SZ, 0, 0);
}

static size_t shdr_field(unsigned idx, size_t field_off)
{
	return OFF_SHDRS + idx * 64 + field_off;
}

static int insns_equal(const struct ubf_raw_insn *a, const struct ubf_raw_insn *b, size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++)
		if (a[i].code != b[i].code || a[i].regs != b[i].regs || a[i].off != b[i].off ||
		    a[i].imm != b[i].imm)
			return 0;
	return 1;
}

static void check_good_object(int is_be)
{
	struct ubf_code_section *secs = NULL;
	struct ubf_diag diag = { 0 };
	struct obj o;
	size_t cnt = 0;

	build(&o, is_be);
	ASSERT_OK(ubf_elf_code_sections(o.b, sizeof(o.b), &secs, &cnt, &diag));
	EXPECT_EQ_U64(cnt, 2);
	if (cnt == 2) {
		EXPECT_STREQ(secs[0].name, ".text");
		EXPECT_EQ_U64(secs[0].insn_cnt, 3);
		EXPECT_TRUE(insns_equal(secs[0].insns, text_insns, 3));
		EXPECT_STREQ(secs[1].name, "xdp");
		EXPECT_EQ_U64(secs[1].insn_cnt, 2);
		EXPECT_TRUE(insns_equal(secs[1].insns, xdp_insns, 2));
	}
	ubf_elf_code_sections_free(secs, cnt);
}

TEST(elf_lists_code_sections_in_file_order)
{
	check_good_object(0);
}

TEST(elf_converts_big_endian_code_to_host_order)
{
	check_good_object(1);
}

TEST(elf_is_elf_checks_the_magic)
{
	struct obj o;

	build(&o, 0);
	EXPECT_TRUE(ubf_is_elf(o.b, sizeof(o.b)));
	EXPECT_TRUE(!ubf_is_elf(o.b, 3));
	EXPECT_TRUE(!ubf_is_elf(NULL, 0));
	o.b[1] = 'e';
	EXPECT_TRUE(!ubf_is_elf(o.b, sizeof(o.b)));
}

TEST(elf_symbol_finds_main_after_another_function)
{
	struct ubf_elf_func f = { 9, 9, 9 };
	struct obj o;
	int be;

	for (be = 0; be < 2; be++) {
		build(&o, be);
		ASSERT_OK(ubf_elf_symbol(o.b, sizeof(o.b), "main", &f, NULL));
		EXPECT_EQ_U64(f.sec_idx, 0);
		EXPECT_EQ_U64(f.insn_off, 1);
		EXPECT_EQ_U64(f.insn_cnt, 2);
	}
}

TEST(elf_symbol_reports_a_missing_symbol)
{
	struct ubf_diag diag = { 0 };
	struct ubf_elf_func f;
	struct obj o;

	build(&o, 0);
	EXPECT_ERR(-ENOENT, ubf_elf_symbol(o.b, sizeof(o.b), "nope", &f, &diag));
	EXPECT_STREQ(diag.id, "elf.no_symbol");
	/* A symbol in a non-executable section does not count. */
	put(&o, OFF_SYM + 2 * 24 + offsetof(Elf64_Sym, st_shndx), S_DATA, 2);
	EXPECT_ERR(-ENOENT, ubf_elf_symbol(o.b, sizeof(o.b), "main", &f, &diag));
}

TEST(elf_symbol_rejects_a_misplaced_symbol)
{
	struct ubf_diag diag = { 0 };
	struct ubf_elf_func f;
	struct obj o;

	build(&o, 0);
	put(&o, OFF_SYM + 2 * 24 + offsetof(Elf64_Sym, st_value), 12, 8);
	EXPECT_ERR(-EINVAL, ubf_elf_symbol(o.b, sizeof(o.b), "main", &f, &diag));
	EXPECT_STREQ(diag.id, "elf.bad_symbol");
	build(&o, 0);
	put(&o, OFF_SYM + 2 * 24 + offsetof(Elf64_Sym, st_size), 24, 8);
	EXPECT_ERR(-EINVAL, ubf_elf_symbol(o.b, sizeof(o.b), "main", &f, &diag));
	EXPECT_STREQ(diag.id, "elf.bad_symbol");
	build(&o, 0);
	put(&o, shdr_field(S_SYM, offsetof(Elf64_Shdr, sh_entsize)), 16, 8);
	EXPECT_ERR(-EINVAL, ubf_elf_symbol(o.b, sizeof(o.b), "main", &f, &diag));
	EXPECT_STREQ(diag.id, "elf.bad_symtab");
}

/* One mutation per check: where to write what, and the id it must produce. */
struct mutation {
	const char *id;
	size_t off;
	uint64_t val;
	size_t n;
};

static const struct mutation mutations[] = {
	{ "elf.bad_magic", 0, 0x7e, 1 },
	{ "elf.bad_class", EI_CLASS, ELFCLASS32, 1 },
	{ "elf.bad_data", EI_DATA, 3, 1 },
	{ "elf.bad_version", EI_VERSION, 2, 1 },
	{ "elf.bad_machine", offsetof(Elf64_Ehdr, e_machine), 62 /* EM_X86_64 */, 2 },
	{ "elf.bad_type", offsetof(Elf64_Ehdr, e_type), ET_CORE, 2 },
	{ "elf.bad_shentsize", offsetof(Elf64_Ehdr, e_shentsize), 40, 2 },
	{ "elf.section_table_bounds", offsetof(Elf64_Ehdr, e_shoff), OBJ_SZ - 63, 8 },
	{ "elf.section_table_bounds", offsetof(Elf64_Ehdr, e_shoff), UINT64_MAX - 8, 8 },
	{ "elf.section_table_bounds", offsetof(Elf64_Ehdr, e_shnum), SHNUM + 1, 2 },
	{ "elf.bad_shstrndx", offsetof(Elf64_Ehdr, e_shstrndx), SHNUM, 2 },
	{ "elf.bad_shstrndx", offsetof(Elf64_Ehdr, e_shstrndx), 0, 2 },
	{ "elf.bad_shstrtab", offsetof(Elf64_Ehdr, e_shstrndx), S_DATA, 2 },
	{ "elf.section_bounds", OFF_SHDRS + S_TEXT * 64 + offsetof(Elf64_Shdr, sh_offset),
	  OBJ_SZ - 8, 8 },
	{ "elf.section_bounds", OFF_SHDRS + S_XDP * 64 + offsetof(Elf64_Shdr, sh_size),
	  UINT64_MAX - 7, 8 },
	{ "elf.section_bounds", OFF_SHDRS + S_SHSTR * 64 + offsetof(Elf64_Shdr, sh_size),
	  OBJ_SZ, 8 },
	{ "elf.bad_name", OFF_SHDRS + S_XDP * 64 + offsetof(Elf64_Shdr, sh_name), SHSTR_SZ, 4 },
	{ "elf.section_size", OFF_SHDRS + S_TEXT * 64 + offsetof(Elf64_Shdr, sh_size), 20, 8 },
};

TEST(elf_rejects_each_malformed_field_with_its_id)
{
	size_t i;
	int be;

	for (be = 0; be < 2; be++) {
		for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
			const struct mutation *m = &mutations[i];
			struct ubf_code_section *secs = NULL;
			struct ubf_diag diag = { 0 };
			struct obj o;
			size_t cnt = 0;
			int err;

			build(&o, be);
			if (m->n == 1)
				o.b[m->off] = (uint8_t)m->val;
			else
				put(&o, m->off, m->val, m->n);
			err = ubf_elf_code_sections(o.b, sizeof(o.b), &secs, &cnt, &diag);
			EXPECT_ERR(-EINVAL, err);
			if (err == -EINVAL && (!diag.id || strcmp(diag.id, m->id)))
				ubf_test_fail(__FILE__, __LINE__,
					      "mutation %zu (%s, %s): got %s: %s", i, m->id,
					      be ? "be" : "le", diag.id ? diag.id : "(null)",
					      diag.msg);
			EXPECT_EQ_U64(diag.insn_idx, UBF_DIAG_NO_INSN);
			if (!err)
				ubf_elf_code_sections_free(secs, cnt);
		}
	}
}

TEST(elf_accepts_extended_section_numbering)
{
	struct ubf_code_section *secs = NULL;
	struct obj o;
	size_t cnt = 0;

	build(&o, 0);
	put(&o, offsetof(Elf64_Ehdr, e_shnum), 0, 2);
	put(&o, offsetof(Elf64_Ehdr, e_shstrndx), SHN_XINDEX, 2);
	put(&o, shdr_field(0, offsetof(Elf64_Shdr, sh_size)), SHNUM, 8);
	put(&o, shdr_field(0, offsetof(Elf64_Shdr, sh_link)), S_SHSTR, 4);
	ASSERT_OK(ubf_elf_code_sections(o.b, sizeof(o.b), &secs, &cnt, NULL));
	EXPECT_EQ_U64(cnt, 2);
	ubf_elf_code_sections_free(secs, cnt);
}

TEST(elf_survives_every_truncation_and_byte_corruption)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x07, 0x3f, 0x80, 0xff };
	struct ubf_code_section *secs;
	struct ubf_elf_func f;
	struct obj o;
	size_t len, pos, v, cnt;
	uint8_t *copy;
	int err;

	build(&o, 0);
	for (len = 0; len < sizeof(o.b); len++) {
		/* A heap copy of exactly @len bytes, so ASan sees any overread. */
		copy = malloc(len ? len : 1);
		ASSERT_TRUE(copy);
		memcpy(copy, o.b, len);
		secs = NULL;
		cnt = 0;
		err = ubf_elf_code_sections(copy, len, &secs, &cnt, NULL);
		EXPECT_ERR(-EINVAL, err);
		if (!err)
			ubf_elf_code_sections_free(secs, cnt);
		free(copy);
	}
	for (pos = 0; pos < sizeof(o.b); pos++) {
		for (v = 0; v < sizeof(vals); v++) {
			build(&o, pos & 1);
			o.b[pos] = vals[v];
			secs = NULL;
			cnt = 0;
			err = ubf_elf_code_sections(o.b, sizeof(o.b), &secs, &cnt, NULL);
			EXPECT_TRUE(err == 0 || err == -EINVAL);
			if (!err)
				ubf_elf_code_sections_free(secs, cnt);
			err = ubf_elf_symbol(o.b, sizeof(o.b), "main", &f, NULL);
			EXPECT_TRUE(err == 0 || err == -EINVAL || err == -ENOENT);
		}
	}
}
