// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_prog_dump.c - `userbpf prog dump xlated`, printed as bpftool 7.1
 * prints it: each instruction in Linux's printer syntax (the disassembler's
 * UBF_SYNTAX_BPFTOOL), preceded by the signature of the function that
 * starts there (func_info, BTF FUNC types spelled as bpftool's
 * btf_dumper_type_only() spells them) and by the source line that starts
 * there (line_info, found with libbpf's bpf_prog_linfo as bpftool does),
 * in plain text or JSON, with the optional opcodes and linum details.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json.h"

/* What one dump shows, fetched from the program's info. */
struct xlated {
	struct bpf_prog_info info;
	struct ubf_raw_insn *insns;
	size_t cnt;
	void *func_info;
	struct btf *btf;
	struct bpf_prog_linfo *linfo;
	uint64_t *ksyms;	/* jited_ksyms */
	uint64_t call_base;	/* __bpf_call_base in /proc/kallsyms, once read */
	bool have_call_base;
	bool opcodes, linum;
};

/* ---- function signatures, as bpftool's btf_dumper_type_only() ---- */

struct sig {
	char buf[1024];
	size_t len;
	bool full;
};

static void UBF_CLI_PRINTF(2, 3) sig_put(struct sig *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, sizeof(s->buf) - s->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s->buf) - s->len)
		s->full = true;
	else
		s->len += (size_t)n;
}

static void sig_type(struct sig *s, const struct btf *btf, uint32_t id, int depth);

static void sig_func(struct sig *s, const struct btf *btf, const struct btf_type *proto,
		     const char *name, int depth)
{
	const struct btf_param *p = btf_params(proto);
	int i;

	sig_type(s, btf, proto->type, depth + 1);
	sig_put(s, "%s(", name ? name : "");
	for (i = 0; i < btf_vlen(proto); i++) {
		if (i)
			sig_put(s, ", ");
		if (!p[i].type) {
			sig_put(s, "...");
			continue;
		}
		sig_type(s, btf, p[i].type, depth + 1);
		if (p[i].name_off)
			sig_put(s, "%s", btf__name_by_offset(btf, p[i].name_off));
		else if (s->len && s->buf[s->len - 1] == ' ')
			s->buf[--s->len] = '\0';	/* no name: no space after the type */
	}
	sig_put(s, ")");
}

/* Every type prints with a trailing space where bpftool puts one: "struct xdp_md * ctx". */
static void sig_type(struct sig *s, const struct btf *btf, uint32_t id, int depth)
{
	const struct btf_type *t;
	const char *name;

	if (!id) {
		sig_put(s, "void ");
		return;
	}
	t = btf__type_by_id(btf, id);
	if (!t || depth > 32) {
		s->full = true;
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	name = name ? name : "";
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FLOAT:
		sig_put(s, "%s ", name);
		break;
	case BTF_KIND_STRUCT:
		sig_put(s, "struct %s ", name);
		break;
	case BTF_KIND_UNION:
		sig_put(s, "union %s ", name);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		sig_put(s, "enum %s ", name);
		break;
	case BTF_KIND_ARRAY:
		sig_type(s, btf, btf_array(t)->type, depth + 1);
		sig_put(s, "[%d]", (int)btf_array(t)->nelems);
		break;
	case BTF_KIND_PTR:
		sig_type(s, btf, t->type, depth + 1);
		sig_put(s, "* ");
		break;
	case BTF_KIND_FWD:
		sig_put(s, "%s %s ", btf_kflag(t) ? "union" : "struct", name);
		break;
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
		sig_put(s, "%s ", btf_is_volatile(t) ? "volatile" : btf_is_const(t) ? "const" :
			"restrict");
		sig_type(s, btf, t->type, depth + 1);
		break;
	case BTF_KIND_FUNC_PROTO:
		sig_func(s, btf, t, NULL, depth);
		break;
	case BTF_KIND_FUNC:
		t = btf__type_by_id(btf, t->type);
		if (!t || !btf_is_func_proto(t))
			s->full = true;
		else
			sig_func(s, btf, t, name, depth);
		break;
	default:
		s->full = true;		/* bpftool prints no signature then */
		break;
	}
}

/* The signature of the function whose func_info record starts at @i, or NULL. */
static const char *func_sig(struct xlated *x, uint32_t *rec, size_t i, struct sig *s)
{
	const struct bpf_func_info *fi;

	if (!x->btf || !x->func_info || *rec >= x->info.nr_func_info)
		return NULL;
	fi = (const void *)((const char *)x->func_info + (size_t)*rec * x->info.func_info_rec_size);
	if (fi->insn_off != i)
		return NULL;
	++*rec;
	memset(s, 0, sizeof(*s));
	sig_type(s, x->btf, fi->type_id, 0);
	return s->full || !s->buf[0] ? NULL : s->buf;
}

/* ---- fetching ---- */

static int fetch(struct ubf_cli_bpf *b, int fd, struct xlated *x)
{
	struct bpf_prog_info *info = &x->info;
	uint32_t len = sizeof(*info), n, nf, fsz, nl, lsz, nk;
	void *line_info = NULL;

	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len)) {
		ubf_cli_bpf_err(b, "can't get prog info: %s", strerror(errno));
		return UBF_EXIT_BPF;
	}
	n = info->xlated_prog_len;
	nf = info->nr_func_info;
	fsz = info->func_info_rec_size;
	nl = info->nr_line_info;
	lsz = info->line_info_rec_size;
	nk = info->nr_jited_ksyms;
	if (!n) {
		ubf_cli_bpf_err(b, "no instructions returned");
		return UBF_EXIT_BPF;
	}
	x->insns = calloc(1, n);
	x->func_info = nf ? calloc(nf, fsz) : NULL;
	line_info = nl ? calloc(nl, lsz) : NULL;
	x->ksyms = nk ? calloc(nk, sizeof(*x->ksyms)) : NULL;
	if (!x->insns || (nf && !x->func_info) || (nl && !line_info) || (nk && !x->ksyms)) {
		free(line_info);
		ubf_cli_bpf_err(b, "out of memory");
		return UBF_EXIT_BPF;
	}
	memset(info, 0, sizeof(*info));
	info->xlated_prog_len = n;
	info->xlated_prog_insns = (uint64_t)(uintptr_t)x->insns;
	info->nr_func_info = nf;
	info->func_info_rec_size = fsz;
	info->func_info = (uint64_t)(uintptr_t)x->func_info;
	info->nr_line_info = nl;
	info->line_info_rec_size = lsz;
	info->line_info = (uint64_t)(uintptr_t)line_info;
	info->nr_jited_ksyms = nk;
	info->jited_ksyms = (uint64_t)(uintptr_t)x->ksyms;
	len = sizeof(*info);
	if (bpf_obj_get_info_by_fd(fd, info, &len) || info->xlated_prog_len > n ||
	    info->nr_func_info > nf || info->nr_line_info > nl || info->nr_jited_ksyms > nk) {
		free(line_info);
		ubf_cli_bpf_err(b, "can't get prog info: %s", strerror(errno));
		return UBF_EXIT_BPF;
	}
	x->cnt = info->xlated_prog_len / sizeof(*x->insns);
	if (info->btf_id) {
		x->btf = btf__load_from_kernel_by_id(info->btf_id);
		if (!x->btf) {
			free(line_info);
			ubf_cli_bpf_err(b, "failed to get btf");
			return UBF_EXIT_BPF;
		}
	}
	/* bpf_prog_linfo__new() copies the records; bpftool goes on without them when it fails */
	if (info->nr_line_info) {
		x->linfo = bpf_prog_linfo__new(info);
		if (!x->linfo && !b->json)
			fprintf(stderr,
				"Note: error in processing bpf_line_info.  continue without it.\n");
	}
	free(line_info);
	info->line_info = 0;
	return 0;
}

static void xlated_free(struct xlated *x)
{
	bpf_prog_linfo__free(x->linfo);
	btf__free(x->btf);
	free(x->func_info);
	free(x->ksyms);
	free(x->insns);
}

/* ---- calls of subprograms, as bpftool names them ---- */

/*
 * /proc/kallsyms: the address of "__bpf_call_base" in *@basep and the name
 * of the symbol at @addr (NULL when none), as bpftool's kernel_syms_load()
 * and kernel_syms_search() find them.  Unreadable: no symbols, base 0.
 */
static const char *kallsyms_find(uint64_t addr, uint64_t *basep, char *name, size_t name_sz)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256];
	unsigned long long a;
	bool found = false;

	*basep = 0;
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %*c %255s", &a, sym) != 2)
			continue;
		if (!strcmp(sym, "__bpf_call_base"))
			*basep = a;
		if (!found && a == addr) {
			snprintf(name, name_sz, "%s", sym);
			found = true;
		}
	}
	fclose(f);
	return found ? name : NULL;
}

/*
 * bpftool prints a call of a subprogram from Linux's form of a JITed
 * program (off: the relative target, imm: the index in jited_ksyms) as
 * "call pc+OFF#SYMBOL", or "#0xADDRESS" when the address has no kernel
 * symbol, and as "call pc+OFF" for an interpreted program; an imm past
 * jited_ksyms is an offset from __bpf_call_base.  Same inputs, same text.
 */
static void pcrel_call(struct xlated *x, const struct ubf_raw_insn *in, char *buf,
		       size_t sz)
{
	char name[256];
	const char *sym;
	uint64_t base, addr;

	if (!x->info.nr_jited_ksyms) {
		snprintf(buf, sz, "(%02x) call pc%+d", in->code, in->off);
		return;
	}
	if ((uint32_t)in->imm < x->info.nr_jited_ksyms) {
		addr = x->ksyms[(uint32_t)in->imm];
	} else {
		if (!x->have_call_base)
			kallsyms_find(0, &x->call_base, name, sizeof(name));
		x->have_call_base = true;
		addr = x->call_base + (uint64_t)(int64_t)in->imm;
	}
	sym = kallsyms_find(addr, &base, name, sizeof(name));
	if (sym)
		snprintf(buf, sz, "(%02x) call pc%+d#%s", in->code, in->off, sym);
	else
		snprintf(buf, sz, "(%02x) call pc%+d#0x%llx", in->code, in->off,
			 (unsigned long long)addr);
}

/* ---- printing ---- */

/* The BTF string at @off, without its leading white space (bpftool's ltrim()). */
static const char *btf_str(const struct xlated *x, uint32_t off)
{
	const char *s = x->btf ? btf__name_by_offset(x->btf, off) : NULL;

	while (s && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
		s++;
	return s;
}

static void plain_line(const struct xlated *x, const struct bpf_line_info *li)
{
	const char *line = btf_str(x, li->line_off), *file;

	if (!line)
		return;
	if (!x->linum) {
		printf("; %s\n", line);
		return;
	}
	file = x->btf ? btf__name_by_offset(x->btf, li->file_name_off) : NULL;
	printf("; %s [file:%s line_num:%u line_col:%u]\n", line, file ? file : "",
	       BPF_LINE_INFO_LINE_NUM(li->line_col), BPF_LINE_INFO_LINE_COL(li->line_col));
}

static void json_line(struct ubf_json *jw, const struct xlated *x, const struct bpf_line_info *li)
{
	const char *line = btf_str(x, li->line_off), *file;

	if (line)
		ubf_json_string_field(jw, "src", line);
	if (!x->linum)
		return;
	file = x->btf ? btf__name_by_offset(x->btf, li->file_name_off) : NULL;
	if (file)
		ubf_json_string_field(jw, "file", file);
	/* bpftool leaves out a zero line or column */
	if (BPF_LINE_INFO_LINE_NUM(li->line_col))
		ubf_json_uint_field(jw, "line_num", BPF_LINE_INFO_LINE_NUM(li->line_col));
	if (BPF_LINE_INFO_LINE_COL(li->line_col))
		ubf_json_uint_field(jw, "line_col", BPF_LINE_INFO_LINE_COL(li->line_col));
}

/* The instruction's bytes, an lddw's sixteen too, on one line split by single spaces. */
static void plain_opcodes(const uint8_t *p, size_t n)
{
	size_t i;

	printf("      ");
	for (i = 0; i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

static void json_opcodes(struct ubf_json *jw, const struct ubf_raw_insn *in, bool is_wide)
{
	ubf_json_name(jw, "opcodes");
	ubf_json_start_object(jw);
	ubf_json_name(jw, "code");
	ubf_json_printf(jw, "\"0x%02x\"", in->code);
	ubf_json_name(jw, "src_reg");
	ubf_json_printf(jw, "\"0x%x\"", ubf_raw_src(in));
	ubf_json_name(jw, "dst_reg");
	ubf_json_printf(jw, "\"0x%x\"", ubf_raw_dst(in));
	ubf_json_name(jw, "off");
	ubf_json_hex_array(jw, &in->off, sizeof(in->off));
	ubf_json_name(jw, "imm");
	/* an lddw's imm runs on through the second slot, as bpftool reads it */
	ubf_json_hex_array(jw, &in->imm, is_wide ? 12 : sizeof(in->imm));
	ubf_json_end_object(jw);
}

static void print_insns(struct ubf_cli_bpf *b, struct xlated *x)
{
	const struct bpf_line_info *li;
	uint32_t rec = 0, nr_skip = 0;
	char text[160];
	const char *sig;
	struct sig s;
	size_t i;
	int n;

	if (b->json)
		ubf_json_start_array(b->json);
	for (i = 0; i < x->cnt; i += (size_t)n) {
		n = ubf_disasm_insn(x->insns, x->cnt, i, UBF_SYNTAX_BPFTOOL, text, sizeof(text));
		n = n == 2 ? 2 : 1;
		if (x->insns[i].code == (BPF_JMP | BPF_CALL) &&
		    ubf_raw_src(&x->insns[i]) == BPF_PSEUDO_CALL)
			pcrel_call(x, &x->insns[i], text, sizeof(text));
		sig = func_sig(x, &rec, i, &s);
		li = x->linfo ? bpf_prog_linfo__lfind(x->linfo, (uint32_t)i, nr_skip) : NULL;
		nr_skip += li != NULL;
		if (b->json) {
			ubf_json_start_object(b->json);
			if (sig)
				ubf_json_string_field(b->json, "proto", sig);
			if (li)
				json_line(b->json, x, li);
			ubf_json_string_field(b->json, "disasm", text);
			if (x->opcodes)
				json_opcodes(b->json, &x->insns[i], n == 2);
			ubf_json_end_object(b->json);
			continue;
		}
		if (sig)
			printf("%s:\n", sig);
		if (li)
			plain_line(x, li);
		printf("%4zu: %s\n", i, text);
		if (x->opcodes)
			plain_opcodes((const uint8_t *)&x->insns[i], 8u * (size_t)n);
	}
	if (b->json)
		ubf_json_end_array(b->json);
}

/* PROG [{ file FILE | opcodes | linum }]: one of them, as bpftool 7.1. */
static int parse(struct ubf_cli_bpf *b, struct xlated *x, const char **filep)
{
	if (ubf_cli_bpf_accept(b, "file")) {
		*filep = ubf_cli_bpf_next(b, "FILE");
		return *filep ? 0 : UBF_EXIT_BPF;
	}
	if (ubf_cli_bpf_accept(b, "opcodes"))
		x->opcodes = true;
	else if (ubf_cli_bpf_accept(b, "linum"))
		x->linum = true;
	return 0;
}

int ubf_cli_prog_dump(struct ubf_cli_bpf *b)
{
	struct xlated x = { 0 };
	const char *file = NULL, *kind;
	int ret, fd;

	kind = ubf_cli_bpf_next(b, "xlated");
	if (!kind)
		return UBF_EXIT_BPF;
	if (strcmp(kind, "xlated")) {
		ubf_cli_bpf_err(b,
				"'%s': only 'xlated' is dumped (userbpf has no kernel JIT image)",
				kind);
		return UBF_EXIT_BPF;
	}
	ret = ubf_cli_handle_fd(b, &ubf_cli_prog, &fd);
	if (ret)
		return ret;
	ret = parse(b, &x, &file);
	if (!ret && ubf_cli_bpf_extra(b))
		ret = UBF_EXIT_BPF;
	if (!ret)
		ret = fetch(b, fd, &x);
	close(fd);
	if (!ret && file)
		ret = ubf_cli_bpf_write_file(b, file, x.insns, x.cnt * sizeof(*x.insns));
	else if (!ret)
		print_insns(b, &x);
	xlated_free(&x);
	return ret;
}
