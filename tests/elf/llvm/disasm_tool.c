// SPDX-License-Identifier: BSD-2-Clause
/*
 * disasm_tool.c - the host-side driver of tests/layers/llvm.sh, built against
 * libuserbpf.a and using only the public API:
 *
 *   disasm_tool dis FILE        "idx<TAB>bytes<TAB>text" per instruction of the
 *                               raw code in FILE, LLVM syntax (bytes: hex of
 *                               all its slots, in memory order)
 *   disasm_tool roundtrip FILE  disassemble FILE in both syntaxes, reassemble
 *                               the whole text, and compare with FILE
 *   disasm_tool rows            "row<TAB>variant<TAB>bytes<TAB>text" for every
 *                               table row: its example and variants with each
 *                               field it uses at other values
 *
 * Exit status 0, or 1 with the reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <userbpf/isa.h>

static struct ubf_raw_insn *read_code(const char *path, size_t *cnt)
{
	FILE *f = fopen(path, "rb");
	struct ubf_raw_insn *insns = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "disasm_tool: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			struct ubf_raw_insn *p;

			cap = cap ? cap * 2 : 256;
			p = realloc(insns, cap * sizeof(*insns));
			if (!p) {
				free(insns);
				insns = NULL;
				break;
			}
			insns = p;
		}
		if (fread(&insns[n], sizeof(*insns), 1, f) != 1)
			break;
		n++;
	}
	fclose(f);
	*cnt = n;
	return insns;
}

static void print_hex(const struct ubf_raw_insn *in, size_t slots)
{
	const unsigned char *b = (const unsigned char *)in;
	size_t i;

	for (i = 0; i < slots * sizeof(*in); i++)
		printf("%02x", b[i]);
}

static int cmd_dis(const char *path)
{
	struct ubf_raw_insn *insns;
	size_t cnt = 0, i;
	char text[256];
	int n;

	insns = read_code(path, &cnt);
	if (!insns)
		return 1;
	for (i = 0; i < cnt; i += (size_t)n) {
		n = ubf_disasm_insn(insns, cnt, i, UBF_SYNTAX_LLVM, text, sizeof(text));
		if (n <= 0)
			return 1;
		printf("%zu\t", i);
		print_hex(&insns[i], (size_t)n);
		printf("\t%s\n", text);
	}
	free(insns);
	return 0;
}

/* The whole program as text in @syntax, one instruction per line. */
static char *program_text(const struct ubf_raw_insn *insns, size_t cnt, enum ubf_syntax syntax,
			  size_t *len)
{
	size_t cap = cnt * 96 + 1, i = 0;
	char *text;
	int n;

	text = malloc(cap);
	*len = 0;
	while (text && i < cnt) {
		n = ubf_disasm_insn(insns, cnt, i, syntax, text + *len, cap - *len - 1);
		if (n <= 0) {
			free(text);
			return NULL;
		}
		*len += strlen(text + *len);
		text[(*len)++] = '\n';
		i += (size_t)n;
	}
	return text;
}

static int cmd_roundtrip(const char *path)
{
	size_t cnt = 0, len = 0, again_cnt = 0;
	struct ubf_raw_insn *insns, *again;
	struct ubf_diag diag = {0};
	int syntax, bad = 0;
	char *text;
	UBF_OPTS(ubf_asm_opts, opts, .file_name = path, .diag = &diag);

	insns = read_code(path, &cnt);
	if (!insns)
		return 1;
	for (syntax = UBF_SYNTAX_LLVM; syntax <= UBF_SYNTAX_CONFORMANCE && !bad; syntax++) {
		text = program_text(insns, cnt, (enum ubf_syntax)syntax, &len);
		again = NULL;
		if (!text || ubf_asm_parse(text, len, &again, &again_cnt, &opts)) {
			fprintf(stderr, "disasm_tool: %s: %s\n", path,
				text ? diag.msg : "cannot disassemble");
			bad = 1;
		} else if (again_cnt != cnt || memcmp(again, insns, cnt * sizeof(*insns))) {
			fprintf(stderr, "disasm_tool: %s: the %s text reassembles differently\n",
				path, syntax == UBF_SYNTAX_LLVM ? "LLVM" : "conformance");
			bad = 1;
		}
		free(again);
		free(text);
	}
	free(insns);
	return bad;
}

static void print_variant(const struct ubf_isa_row *row, const char *variant,
			  const struct ubf_raw_insn in[2])
{
	size_t slots = strstr(row->shape, "imm64") ? 2 : 1;
	char text[256];

	if (ubf_disasm_insn(in, slots, 0, UBF_SYNTAX_LLVM, text, sizeof(text)) != (int)slots)
		snprintf(text, sizeof(text), "<error>");
	printf("%s\t%s\t", row->name, variant);
	print_hex(in, slots);
	printf("\t%s\n", text);
}

/* Does the row use @field ("dst", "src", "off", "imm") other than as its key? */
static int uses(const struct ubf_isa_row *row, const char *field)
{
	size_t n = strlen(field);
	const char *s = row->shape;

	if (!strncmp(row->key, field, n) && row->key[n] == '=')
		return 0;
	for (; (s = strstr(s, field)) != NULL; s += n) {
		if ((s == row->shape || s[-1] == ',') && (s[n] == ',' || s[n] == '\0'))
			return 1;
	}
	return 0;
}

static void row_variants(const struct ubf_isa_row *row)
{
	static const int32_t imms[] = {0, -1, INT32_MIN, INT32_MAX};
	static const int16_t offs[] = {0, -1, INT16_MIN, INT16_MAX};
	static const uint64_t imm64s[] = {0, UINT64_MAX, 0x8000000000000000, 0x100000000};
	static const unsigned regs[] = {0, 9, 10};
	struct ubf_raw_insn in[2];
	char variant[32];
	size_t i;

	print_variant(row, "example", row->example);
	for (i = 0; i < 4; i++) {
		memcpy(in, row->example, sizeof(in));
		if (i < 3 && uses(row, "dst")) {
			in[0].regs = UBF_REGS(regs[i], in[0].regs >> 4);
			snprintf(variant, sizeof(variant), "dst=r%u", regs[i]);
			print_variant(row, variant, in);
		}
		memcpy(in, row->example, sizeof(in));
		if (i < 3 && uses(row, "src")) {
			in[0].regs = UBF_REGS(in[0].regs & 0xf, regs[i]);
			snprintf(variant, sizeof(variant), "src=r%u", regs[i]);
			print_variant(row, variant, in);
		}
		memcpy(in, row->example, sizeof(in));
		if (uses(row, "off")) {
			in[0].off = offs[i];
			snprintf(variant, sizeof(variant), "off=%d", offs[i]);
			print_variant(row, variant, in);
		}
		memcpy(in, row->example, sizeof(in));
		if (uses(row, "imm")) {
			in[0].imm = imms[i];
			snprintf(variant, sizeof(variant), "imm=%d", imms[i]);
			print_variant(row, variant, in);
		}
		memcpy(in, row->example, sizeof(in));
		if (uses(row, "imm64") && !strstr(row->key, "src=")) {
			in[0].imm = (int32_t)(uint32_t)imm64s[i];
			in[1].imm = (int32_t)(uint32_t)(imm64s[i] >> 32);
			snprintf(variant, sizeof(variant), "imm64=%llx",
				 (unsigned long long)imm64s[i]);
			print_variant(row, variant, in);
		}
	}
}

static int cmd_rows(void)
{
	struct ubf_isa_row row;
	size_t i;

	for (i = 0; ubf_isa_row(i, &row) == 0; i++) {
		/* lddw's key is src=0 for the plain form: its value is imm64. */
		if (!strcmp(row.key, "src=0"))
			row.key[0] = '\0';
		row_variants(&row);
	}
	return i == ubf_isa_row_cnt() ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "dis"))
		return cmd_dis(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "roundtrip"))
		return cmd_roundtrip(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "rows"))
		return cmd_rows();
	fprintf(stderr, "usage: disasm_tool dis FILE | roundtrip FILE | rows\n");
	return 2;
}
