// SPDX-License-Identifier: BSD-2-Clause
/*
 * input.c - how commands read their inputs: whole files or stdin, the
 * input kind (ELF object, conformance .data file, assembly text, raw
 * bytecode), and the programs in it, decoded through the public API.  Also
 * the wire-format and hex conversions the plugin shares.  Parsing itself
 * is the library's (assembler, .data reader, ELF section reader).
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INSN_SZ 8u

static const char *const kind_names[] = {
	[UBF_CLI_RAW] = "raw bytecode",
	[UBF_CLI_ASM] = "assembly text",
	[UBF_CLI_DATA] = "a .data file",
	[UBF_CLI_ELF] = "an ELF object",
};

const char *ubf_cli_display_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

int ubf_cli_read_stream(FILE *f, uint8_t **bufp, size_t *szp)
{
	size_t len = 0, cap = 4096, n;
	uint8_t *buf, *grown;

	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap)
			break;
		if (cap > SIZE_MAX / 4)
			goto err_free;
		grown = realloc(buf, cap * 2 + 1);
		if (!grown) {
			free(buf);
			return -ENOMEM;
		}
		buf = grown;
		cap *= 2;
	}
	if (ferror(f))
		goto err_free;
	buf[len] = 0;
	*bufp = buf;
	*szp = len;
	return 0;

err_free:
	free(buf);
	return errno ? -errno : -EIO;
}

int ubf_cli_read(const char *cmd, const char *path, uint8_t **bufp, size_t *szp)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f;
	int err;

	errno = 0;
	f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		err = -errno;
		ubf_cli_err(cmd, path, "cannot open: %s", strerror(errno));
		return err;
	}
	errno = 0;
	err = ubf_cli_read_stream(f, bufp, szp);
	if (!is_stdin)
		fclose(f);
	if (err)
		ubf_cli_err(cmd, ubf_cli_display_name(path), "cannot read: %s", strerror(-err));
	return err;
}

static bool has_section_marker(const uint8_t *buf, size_t sz)
{
	size_t i;

	for (i = 0; i + 3 <= sz; i++) {
		if ((i == 0 || buf[i - 1] == '\n') && !memcmp(buf + i, "-- ", 3))
			return true;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int ubf_cli_detect(const char *path, const uint8_t *buf, size_t sz, enum ubf_cli_kind *kind)
{
	if (ubf_is_elf(buf, sz)) {
		*kind = UBF_CLI_ELF;
	} else if (!memchr(buf, 0, sz)) {
		*kind = ends_with(path, ".data") || has_section_marker(buf, sz) ? UBF_CLI_DATA
										 : UBF_CLI_ASM;
	} else if (sz % INSN_SZ == 0) {
		*kind = UBF_CLI_RAW;
	} else {
		return -EINVAL;
	}
	return 0;
}

void ubf_cli_insns_from_bytes(const uint8_t *buf, size_t sz, struct ubf_raw_insn *insns)
{
	size_t i;

	for (i = 0; i < sz / INSN_SZ; i++) {
		const uint8_t *p = buf + i * INSN_SZ;

		insns[i].code = p[0];
		insns[i].regs = p[1];
		insns[i].off = (int16_t)(uint16_t)(p[2] | p[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)p[4] | (uint32_t)p[5] << 8 |
					 (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24);
	}
}

void ubf_cli_insns_to_bytes(const struct ubf_raw_insn *insns, size_t cnt, uint8_t *buf)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		uint8_t *p = buf + i * INSN_SZ;
		uint16_t off = (uint16_t)insns[i].off;
		uint32_t imm = (uint32_t)insns[i].imm;

		p[0] = insns[i].code;
		p[1] = insns[i].regs;
		p[2] = (uint8_t)off;
		p[3] = (uint8_t)(off >> 8);
		p[4] = (uint8_t)imm;
		p[5] = (uint8_t)(imm >> 8);
		p[6] = (uint8_t)(imm >> 16);
		p[7] = (uint8_t)(imm >> 24);
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ubf_cli_hex_decode(const char *text, size_t len, uint8_t **bufp, size_t *szp, size_t *bad_at)
{
	size_t i = 0, n = 0;
	uint8_t *buf;
	int hi, lo;

	buf = malloc(len / 2 + 1);
	if (!buf)
		return -ENOMEM;
	while (i < len) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c == '0' && i + 1 < len && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
			i += 2;
			continue;
		}
		hi = hex_digit(c);
		lo = i + 1 < len ? hex_digit(text[i + 1]) : -1;
		if (hi < 0 || lo < 0) {
			*bad_at = hi < 0 ? i : i + 1;
			free(buf);
			return -EINVAL;
		}
		buf[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	*bufp = buf;
	*szp = n;
	return 0;
}

/* One unnamed program holding a copy of @insns. */
static int single_program(struct ubf_cli_code *code, const struct ubf_raw_insn *insns, size_t cnt)
{
	code->secs = calloc(1, sizeof(*code->secs));
	if (!code->secs)
		return -ENOMEM;
	code->sec_cnt = 1;
	if (!cnt)
		return 0;
	code->secs[0].insns = malloc(cnt * sizeof(*insns));
	if (!code->secs[0].insns)
		return -ENOMEM;
	memcpy(code->secs[0].insns, insns, cnt * sizeof(*insns));
	code->secs[0].insn_cnt = cnt;
	return 0;
}

static int load_data(struct ubf_cli_code *code, const char *name, struct ubf_diag *diag)
{
	UBF_OPTS(ubf_asm_opts, opts, .file_name = name, .diag = diag);
	struct ubf_data_file df;
	int err;

	memset(&df, 0, sizeof(df));
	err = ubf_data_parse((const char *)code->file, code->file_sz, &df, &opts);
	if (err)
		return err;
	err = single_program(code, df.insns, df.insn_cnt);
	if (!err && df.mem_sz) {
		code->mem = malloc(df.mem_sz);
		if (code->mem) {
			memcpy(code->mem, df.mem, df.mem_sz);
			code->mem_sz = df.mem_sz;
		} else {
			err = -ENOMEM;
		}
	}
	ubf_data_free(&df);
	return err;
}

static int load_asm(struct ubf_cli_code *code, const char *name, struct ubf_diag *diag)
{
	UBF_OPTS(ubf_asm_opts, opts, .file_name = name, .diag = diag);
	struct ubf_raw_insn *insns = NULL;
	size_t cnt = 0;
	int err;

	err = ubf_asm_parse((const char *)code->file, code->file_sz, &insns, &cnt, &opts);
	if (err)
		return err;
	err = single_program(code, insns, cnt);
	free(insns);
	return err;
}

static int load_raw(struct ubf_cli_code *code)
{
	size_t cnt = code->file_sz / INSN_SZ;
	struct ubf_raw_insn *insns;
	int err;

	insns = calloc(cnt ? cnt : 1, sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	ubf_cli_insns_from_bytes(code->file, code->file_sz, insns);
	err = single_program(code, insns, cnt);
	free(insns);
	return err;
}

int ubf_cli_code_load(const char *cmd, const char *path, struct ubf_cli_code *code)
{
	const char *name = ubf_cli_display_name(path);
	struct ubf_diag diag;
	int err = 0;

	memset(code, 0, sizeof(*code));
	if (ubf_cli_read(cmd, path, &code->file, &code->file_sz))
		return UBF_EXIT_USAGE;
	if (ubf_cli_detect(path, code->file, code->file_sz, &code->kind)) {
		ubf_cli_err(cmd, name,
			    "not an ELF object, text, or raw bytecode "
			    "(size %zu is not a multiple of 8)",
			    code->file_sz);
		return UBF_EXIT_FAIL;
	}
	ubf_cli_diag_init(&diag);
	switch (code->kind) {
	case UBF_CLI_ELF:
		err = ubf_elf_code_sections(code->file, code->file_sz, &code->secs, &code->sec_cnt,
					    &diag);
		break;
	case UBF_CLI_DATA:
		err = load_data(code, name, &diag);
		break;
	case UBF_CLI_ASM:
		err = load_asm(code, name, &diag);
		break;
	case UBF_CLI_RAW:
		err = load_raw(code);
		break;
	}
	if (err) {
		ubf_cli_err_diag(cmd, name, NULL, &diag, err);
		return UBF_EXIT_FAIL;
	}
	return UBF_EXIT_OK;
}

void ubf_cli_code_free(struct ubf_cli_code *code)
{
	size_t i;

	if (code->kind == UBF_CLI_ELF) {
		ubf_elf_code_sections_free(code->secs, code->sec_cnt);
	} else if (code->secs) {
		for (i = 0; i < code->sec_cnt; i++)
			free(code->secs[i].insns);
		free(code->secs);
	}
	free(code->mem);
	free(code->file);
	memset(code, 0, sizeof(*code));
}

const char *ubf_cli_kind_name(enum ubf_cli_kind kind)
{
	return kind_names[kind];
}
