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

#endif /* UBF_CLI_CLI_H */
