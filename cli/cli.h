/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli.h - what the userbpf commands share: the command descriptor, option
 * parsing, error reporting in the one format every command uses, and input
 * loading (ELF object, conformance .data file, assembly or raw bytecode).
 * Commands use only the public API in <userbpf/userbpf.h>.
 */
#ifndef UBF_CLI_CLI_H
#define UBF_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include <userbpf/userbpf.h>

#if defined(__GNUC__) || defined(__clang__)
#define UBF_CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define UBF_CLI_PRINTF(a, b)
#endif

/* Exit codes (STYLE 3.12). */
enum {
	UBF_EXIT_OK = 0,
	UBF_EXIT_FAIL = 1,	/* the program or input was rejected, or the run failed */
	UBF_EXIT_USAGE = 2,	/* bad command line, or an input file that cannot be read */
};

/**
 * struct ubf_cli_cmd - one command
 * @name:    as typed after `userbpf`
 * @fn:      argv[0] is @name; returns an exit code
 * @usage:   one line of arguments, e.g. "FILE [-o OUT]"
 * @summary: one line saying what it does
 * @help:    the full text printed by `userbpf help NAME` and `NAME --help`
 */
struct ubf_cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
	const char *help;
};

extern const struct ubf_cli_cmd ubf_cli_cmd_asm;
extern const struct ubf_cli_cmd ubf_cli_cmd_disasm;
extern const struct ubf_cli_cmd ubf_cli_cmd_run;
extern const struct ubf_cli_cmd ubf_cli_cmd_isa;
/* cmd_jit.c with capstone; without it, main.c's stand-in says what is missing. */
extern const struct ubf_cli_cmd ubf_cli_cmd_jit;
extern const struct ubf_cli_cmd ubf_cli_cmd_plugin;
extern const struct ubf_cli_cmd ubf_cli_cmd_version;
extern const struct ubf_cli_cmd ubf_cli_cmd_exec;

/* Print a command's full help to stdout. */
void ubf_cli_print_help(const struct ubf_cli_cmd *cmd);

/**
 * struct ubf_cli_opt - one option of a command
 * @name:  long name without "--"
 * @short_name: one-letter form ("-o"), or 0
 * @value: where an option that takes an argument stores it (NULL: a flag)
 * @flag:  where a flag stores true
 */
struct ubf_cli_opt {
	const char *name;
	char short_name;
	const char **value;
	bool *flag;
};

/*
 * ubf_cli_parse() - parse argv[1..] of @cmd: "--name=value", "--name value",
 * "-x value", flags, and positional arguments ("-" is positional; "--" ends
 * the options).  "--help" prints the help.  Positionals are stored in @pos
 * (at most @pos_max; their count in *@pos_cnt).
 * Return: -1 to go on; otherwise the exit code the command should return
 * (0 after --help, UBF_EXIT_USAGE after an error, which is printed).
 */
int ubf_cli_parse(const struct ubf_cli_cmd *cmd, int argc, char **argv,
		  const struct ubf_cli_opt *opts, size_t opt_cnt, const char **pos,
		  size_t pos_max, size_t *pos_cnt);

/* "userbpf: CMD: OBJ: message" on stderr; @obj may be NULL. */
void ubf_cli_err(const char *cmd, const char *obj, const char *fmt, ...) UBF_CLI_PRINTF(3, 4);

/*
 * ubf_cli_diag_format() - "[SECTION: ][WHERE: ]ID: MSG" for a library
 * failure, where WHERE is line:col for text and "insn N" for programs; a
 * location the message itself starts with is not repeated.  Without a
 * diagnostic id the text is ubf_strerror(@err).  @obj is the file name the
 * library was given (its "OBJ:" prefix is dropped from the message).
 */
void ubf_cli_diag_format(char *buf, size_t buf_sz, const char *obj, const char *section,
			 const struct ubf_diag *diag, int err);

/* "userbpf: CMD: OBJ: " + ubf_cli_diag_format() on stderr. */
void ubf_cli_err_diag(const char *cmd, const char *obj, const char *section,
		      const struct ubf_diag *diag, int err);

/* A diagnostic ready to be filled: no instruction, no id. */
void ubf_cli_diag_init(struct ubf_diag *diag);

/* What an input file is. */
enum ubf_cli_kind {
	UBF_CLI_RAW,	/* 8-byte little-endian instructions */
	UBF_CLI_ASM,	/* assembly text, either syntax */
	UBF_CLI_DATA,	/* a conformance .data file */
	UBF_CLI_ELF,	/* an ELF object */
};

/*
 * ubf_cli_read() - read all of @path ("-": stdin) into a malloc'd buffer
 * with a NUL after the last byte.  Return: 0, or a negative errno after
 * printing the error for @cmd.
 */
int ubf_cli_read(const char *cmd, const char *path, uint8_t **bufp, size_t *szp);

/* Read all of @f into a malloc'd, NUL-terminated buffer.  Return: 0 or -errno. */
int ubf_cli_read_stream(FILE *f, uint8_t **bufp, size_t *szp);

/* Name used in messages for @path: "<stdin>" for "-". */
const char *ubf_cli_display_name(const char *path);

/*
 * ubf_cli_detect() - the kind of an input: ELF by its magic; text (no NUL
 * bytes) is a .data file when the name ends in ".data" or a line starts
 * with "-- ", otherwise assembly; anything else is raw bytecode when its
 * size is a multiple of 8.  Return: 0, or -EINVAL.
 */
int ubf_cli_detect(const char *path, const uint8_t *buf, size_t sz, enum ubf_cli_kind *kind);

/* "raw bytecode", "assembly text", "a .data file", "an ELF object". */
const char *ubf_cli_kind_name(enum ubf_cli_kind kind);

/**
 * struct ubf_cli_code - a loaded input
 * @kind:    what the file was
 * @secs:    the programs: ELF code sections in file order, else one entry
 *           whose name is NULL
 * @sec_cnt: entries in @secs
 * @mem, @mem_sz: a .data file's "-- mem" bytes (NULL, 0 otherwise)
 * @file, @file_sz: the file's bytes (kept for ELF symbol lookups)
 */
struct ubf_cli_code {
	enum ubf_cli_kind kind;
	struct ubf_code_section *secs;
	size_t sec_cnt;
	uint8_t *mem;
	size_t mem_sz;
	uint8_t *file;
	size_t file_sz;
};

/*
 * ubf_cli_code_load() - read, detect and decode @path for command @cmd.
 * Return: UBF_EXIT_OK, or the exit code after printing the error.
 */
int ubf_cli_code_load(const char *cmd, const char *path, struct ubf_cli_code *code);

/* Release what ubf_cli_code_load() allocated; accepts a zeroed struct. */
void ubf_cli_code_free(struct ubf_cli_code *code);

/* Raw instructions from bytes (little-endian wire format); @sz % 8 == 0. */
void ubf_cli_insns_from_bytes(const uint8_t *buf, size_t sz, struct ubf_raw_insn *insns);
/* Bytes (little-endian wire format) from raw instructions; @buf holds @cnt * 8. */
void ubf_cli_insns_to_bytes(const struct ubf_raw_insn *insns, size_t cnt, uint8_t *buf);

/*
 * ubf_cli_hex_decode() - bytes from hex text: pairs of hex digits, with any
 * white space between bytes and an optional "0x" before each run.
 * Return: 0 and a malloc'd buffer (owned by the caller) in *@bufp, or
 * -EINVAL (odd digit count or a stray character; *@bad_at is its offset)
 * or -ENOMEM.
 */
int ubf_cli_hex_decode(const char *text, size_t len, uint8_t **bufp, size_t *szp,
		       size_t *bad_at);

/* The `plugin` command, also the main of userbpf-conformance-plugin. */
int ubf_cli_plugin_main(int argc, char **argv);

/* ---- bpftool-style commands: prog, map, btf (cmd_prog.c, cmd_map.c, cmd_btf.c) ---- */

extern const struct ubf_cli_cmd ubf_cli_cmd_prog;
extern const struct ubf_cli_cmd ubf_cli_cmd_map;
extern const struct ubf_cli_cmd ubf_cli_cmd_btf;

/* bpftool's exit status for a bad command line or an object that cannot be opened. */
#define UBF_EXIT_BPF 255

#define UBF_CLI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct ubf_json;

/**
 * struct ubf_cli_bpf - one bpftool-style command being run
 * @cmd:     "map dump": the prefix of messages
 * @json:    the JSON writer on stdout, or NULL for plain output
 * @pretty:  -p/--pretty was given
 * @words, @word_cnt: the words after the verb, not yet consumed
 */
struct ubf_cli_bpf {
	char cmd[32];
	struct ubf_json *json;
	bool pretty;
	char **words;
	int word_cnt;
};

/* One verb of a bpftool-style command: "map dump" is verb "dump" of "map". */
struct ubf_cli_verb {
	const char *name;
	int (*fn)(struct ubf_cli_bpf *b);
};

/*
 * ubf_cli_bpf_main() - run `userbpf CMD VERB WORDS...`: take the global
 * options out, route libbpf to userbpf, pick the verb from @verbs (none:
 * the first), set up the JSON document and close it ("null" when the verb
 * wrote nothing, as bpftool).  "help" prints @cmd's help.  Return: the
 * verb's exit status.
 */
int ubf_cli_bpf_main(const struct ubf_cli_cmd *cmd, const struct ubf_cli_verb *verbs,
		     size_t verb_cnt, int argc, char **argv);

/*
 * ubf_cli_bpf_opts() - take -j/--json, -p/--pretty (which implies --json)
 * and -d/--debug out of @argv, wherever they are, as bpftool's getopt does.
 * Return: the new argc.
 */
int ubf_cli_bpf_opts(int argc, char **argv, bool *is_json, bool *is_pretty, bool *is_debug);

/*
 * ubf_cli_bpf_route() - send this process's libbpf bpf() calls to userbpf
 * and make libbpf quiet unless @is_debug.  Return: 0 or -errno.
 */
int ubf_cli_bpf_route(bool is_debug);

/*
 * ubf_cli_bpf_err() - report a failure as bpftool does: {"error": MSG} on
 * stdout with --json (an element of the array being written, if any), else
 * "userbpf: CMD: MSG" on stderr.
 */
void ubf_cli_bpf_err(struct ubf_cli_bpf *b, const char *fmt, ...) UBF_CLI_PRINTF(2, 3);

/* The exit status for a failed libbpf call (-errno): 256 - errno, as bpftool. */
int ubf_cli_bpf_status(int err);

/* The next word, consumed, or NULL (after reporting "@what expected") when there is none. */
const char *ubf_cli_bpf_next(struct ubf_cli_bpf *b, const char *what);
/* True, consuming it, when the next word is @kw. */
bool ubf_cli_bpf_accept(struct ubf_cli_bpf *b, const char *kw);
/* Report words left over after a complete command line; true if there were some. */
bool ubf_cli_bpf_extra(struct ubf_cli_bpf *b);

/*
 * ubf_cli_bpf_u32() - the next word as an unsigned number (0x.. hex,
 * 0.. octal, decimal) for @what.  Return: 0, or -EINVAL after reporting.
 */
int ubf_cli_bpf_u32(struct ubf_cli_bpf *b, const char *what, uint32_t *v);

/*
 * ubf_cli_bpf_bytes() - bpftool's DATA := [hex] BYTES: @n bytes for @what
 * ("key", "value"), each word a number (0x.., 0.., decimal) or, after
 * "hex", two hex digits.  Return: 0, or -EINVAL after reporting the bad word.
 */
int ubf_cli_bpf_bytes(struct ubf_cli_bpf *b, const char *what, uint8_t *buf, size_t n);

/*
 * ubf_cli_fdinfo() - the value of line "@name:" of /proc/self/fdinfo/@fd
 * (Linux reports memlock and frozen there; userbpf's files have neither).
 * Return: true with the value in @buf, false when there is no such line.
 */
bool ubf_cli_fdinfo(int fd, const char *name, char *buf, size_t buf_sz);

/* @sz bytes to the file @path, with bpftool's messages on failure.  Return: 0 or UBF_EXIT_BPF. */
int ubf_cli_bpf_write_file(struct ubf_cli_bpf *b, const char *path, const void *data, size_t sz);

/* `prog dump xlated PROG [{ file FILE | opcodes | linum }]` (cmd_prog_dump.c). */
int ubf_cli_prog_dump(struct ubf_cli_bpf *b);

/* bpftool's hex layout: "xx xx" with two spaces after 8 bytes and a new line after 16. */
void ubf_cli_fprint_hex(FILE *f, const void *data, size_t n);

/* Most objects one handle may name (a name may be shared). */
#define UBF_CLI_MAX_MATCH 64

/*
 * struct ubf_cli_handle_kind - one kind of object as bpftool's handles name it
 * (MAP := id N | pinned PATH | name NAME; PROG adds tag TAG): the libbpf
 * calls that reach it and bpftool's wording.  ubf_cli_map and
 * ubf_cli_prog are the two.
 */
struct ubf_cli_handle_kind {
	const char *usage;	/* what the handle must be, for a missing word */
	const char *words;	/* the handle words, for an unknown one */
	const char *id_what;	/* "map id" */
	const char *id_err;	/* bpftool's message for a failed get-by-id */
	const char *not_kind;	/* "not a map" */
	const char *anon_inode;	/* the /proc link of a kernel object of this kind */
	const char *no_name;	/* "no map named": nothing has the name */
	const char *no_tag;	/* the same for a tag; NULL: the kind has no tags */
	const char *several;	/* a handle that must name one names several */
	int (*fd_by_id)(uint32_t id);
	int (*next_id)(uint32_t start, uint32_t *next);
	/* @fd's id, and its name and hex tag where the buffers are not NULL */
	int (*ident)(int fd, uint32_t *id, char *name, char *tag);
};

extern const struct ubf_cli_handle_kind ubf_cli_map, ubf_cli_prog;

/*
 * ubf_cli_handle_fds() - the handle read from @b: fds of the objects it
 * names (at most @max).  Return: 0 with at least one fd in @fds and their
 * count in *@cnt, or the exit status after reporting.
 */
int ubf_cli_handle_fds(struct ubf_cli_bpf *b, const struct ubf_cli_handle_kind *k, int *fds, int max,
		       int *cnt);
/* The same, requiring exactly one object. */
int ubf_cli_handle_fd(struct ubf_cli_bpf *b, const struct ubf_cli_handle_kind *k, int *fd);

/*
 * ubf_cli_btf_dump_data() - write the value of BTF type @type_id at @data
 * to @jw as bpftool's "formatted" output does (numbers, strings for char
 * arrays, objects for structs, enumerator names).  @data holds the type's
 * size.  Return: 0, or -EINVAL for a type it cannot print.
 */
struct btf;
int ubf_cli_btf_dump_data(struct ubf_json *jw, const struct btf *btf, uint32_t type_id,
			  const void *data);

/**
 * struct ubf_cli_object - an ELF object opened by libbpf (cli/object.c)
 * @obj:    the libbpf object
 * @buf, @buf_sz: the rewritten file libbpf reads from memory when the
 *          object had a legacy `maps` section (NULL otherwise); it must
 *          outlive @obj, so ubf_cli_object_close() frees both
 */
struct bpf_object;
struct ubf_cli_object {
	struct bpf_object *obj;
	void *buf;
	size_t buf_sz;
};

/*
 * ubf_cli_object_open() - open @path with libbpf, rewriting a legacy `maps`
 * section first (ubf_elf_legacy_maps()).  The one opener of `prog load`,
 * `prog loadall` and `verify`.  Return: 0, or -errno with the reason,
 * starting with @path, in @err.
 */
int ubf_cli_object_open(const char *path, struct ubf_cli_object *o, char *err, size_t err_sz);
/* Close what ubf_cli_object_open() opened; accepts a zeroed struct. */
void ubf_cli_object_close(struct ubf_cli_object *o);

extern const struct ubf_cli_cmd ubf_cli_cmd_verify;

#endif /* UBF_CLI_CLI_H */
