// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd_verify.c - `userbpf verify OBJ [PROG]`: load each program of an ELF
 * object through libbpf into userbpf's bpf(2), one program per load (libbpf
 * fails a whole object when one program fails), and report the verifier's
 * verdict with the last lines of its log.  The object is opened by the same
 * code as `userbpf prog load` (cli/object.c, legacy `maps` sections
 * included).  Programs load verify-only (UBF_BPF_F_VERIFY_ONLY): checked
 * against every Linux helper's prototype, run by userbpf or not, so the
 * verdict is Linux's.  --kernel loads into the running Linux instead, which
 * is how make check-kernel compares verdicts.  Pins are never created.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "json.h"

/* Linux's verifier writes at most this much; libbpf's own default is smaller. */
#define LOG_BUF_SZ (16u << 20)
/* Lines of the log shown after "rejected:". */
#define REASON_LINES 2

struct verify {
	const char *path;
	const char *want;	/* PROG: program or section name, or NULL */
	struct ubf_json *json;
	bool is_verbose;
	bool is_kernel;
	char *log;
};

struct verdict {
	bool is_accepted;
	int err;		/* libbpf's -errno when rejected */
	long processed;		/* from "processed N insns", -1 when the log has none */
	char reason[512];
};

/* Statistics lines Linux ends every log with: not part of a reason. */
static bool is_stats_line(const char *s, size_t len)
{
	static const char *const prefixes[] = { "processed ", "verification time ", "stack depth " };
	size_t i, n;

	for (i = 0; i < UBF_CLI_ARRAY_SIZE(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (len >= n && !strncmp(s, prefixes[i], n))
			return true;
	}
	return false;
}

static long processed_insns(const char *log)
{
	const char *p = log, *hit = NULL;

	while ((p = strstr(p, "processed ")) != NULL) {
		if (p == log || p[-1] == '\n')
			hit = p;
		p++;
	}
	return hit ? strtol(hit + strlen("processed "), NULL, 10) : -1;
}

/* "12: (71) r1 = ..." or "12: R0=...": an instruction or a state of the walk, not a reason. */
static bool is_insn_line(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i && i < len && s[i] == ':';
}

/*
 * The reason a log gives: its last REASON_LINES message lines (neither
 * statistics nor instruction/state lines, a repeated line once), joined
 * by " | "; the last line of any kind when there is no message line.
 */
static void log_reason(const char *log, char *buf, size_t buf_sz)
{
	const char *starts[REASON_LINES], *last = NULL, *end = log + strlen(log), *s;
	size_t lens[REASON_LINES], n = 0, len, last_len = 0, i;

	buf[0] = '\0';
	while (end > log && n < REASON_LINES) {
		while (end > log && end[-1] == '\n')
			end--;
		for (s = end; s > log && s[-1] != '\n'; s--)
			;
		len = (size_t)(end - s);
		end = s;
		if (!len || is_stats_line(s, len))
			continue;
		if (!last) {
			last = s;
			last_len = len;
		}
		if (is_insn_line(s, len)) {
			if (n)
				break;
			continue;
		}
		if (n && lens[n - 1] == len && !strncmp(starts[n - 1], s, len))
			continue;
		starts[n] = s;
		lens[n++] = len;
	}
	if (!n && last) {
		starts[n] = last;
		lens[n++] = last_len;
	}
	for (i = n; i-- > 0;) {
		len = strlen(buf);
		snprintf(buf + len, buf_sz - len, "%s%.*s", i + 1 < n ? " | " : "", (int)lens[i],
			 starts[i]);
	}
}

/* Without -d, libbpf's own messages are not shown (the verdict lines say it all). */
static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool is_wanted(const struct verify *v, const char *name, const char *sec)
{
	return !v->want || !strcmp(name, v->want) || !strcmp(sec, v->want);
}

/* Load the @idx-th program of a fresh copy of the object, alone. */
static int verify_one(struct verify *v, size_t idx, struct verdict *vd)
{
	struct ubf_cli_object o;
	struct bpf_program *prog;
	struct bpf_map *map;
	char err[512];
	size_t i = 0;
	int ret;

	memset(vd, 0, sizeof(*vd));
	ret = ubf_cli_object_open(v->path, &o, err, sizeof(err));
	if (ret) {
		ubf_cli_err("verify", NULL, "%s", err);
		return ret;
	}
	bpf_object__for_each_program(prog, o.obj) {
		bpf_program__set_autoload(prog, i == idx);
		if (i++ == idx) {
			v->log[0] = '\0';
			bpf_program__set_log_buf(prog, v->log, LOG_BUF_SZ);
			bpf_program__set_log_level(prog, (v->is_verbose ? 2u : 1u) | 4u);
			if (!v->is_kernel)
				bpf_program__set_flags(prog, bpf_program__flags(prog) |
							     UBF_BPF_F_VERIFY_ONLY);
		}
	}
	bpf_object__for_each_map(map, o.obj)
		bpf_map__set_pin_path(map, NULL);
	ret = bpf_object__load(o.obj);
	vd->is_accepted = !ret;
	vd->err = ret;
	vd->processed = processed_insns(v->log);
	if (ret) {
		log_reason(v->log, vd->reason, sizeof(vd->reason));
		if (!vd->reason[0])
			snprintf(vd->reason, sizeof(vd->reason), "load failed: %s (no verifier log)",
				 strerror(-ret));
	}
	ubf_cli_object_close(&o);
	return 0;
}

static void report(struct verify *v, const char *name, const char *sec, const struct verdict *vd)
{
	if (v->json) {
		ubf_json_start_object(v->json);
		ubf_json_string_field(v->json, "name", name);
		ubf_json_string_field(v->json, "section", sec);
		ubf_json_string_field(v->json, "verdict", vd->is_accepted ? "accepted" : "rejected");
		if (vd->processed >= 0)
			ubf_json_uint_field(v->json, "insns_processed", (uint64_t)vd->processed);
		if (!vd->is_accepted) {
			ubf_json_int_field(v->json, "errno", -vd->err);
			ubf_json_string_field(v->json, "reason", vd->reason);
		}
		if (v->is_verbose)
			ubf_json_string_field(v->json, "log", v->log);
		ubf_json_end_object(v->json);
		return;
	}
	if (vd->is_accepted && vd->processed >= 0)
		printf("%s %s: accepted (%ld insns processed)\n", name, sec, vd->processed);
	else if (vd->is_accepted)
		printf("%s %s: accepted\n", name, sec);
	else
		printf("%s %s: rejected: %s\n", name, sec, vd->reason);
	if (v->is_verbose && v->log[0])
		printf("%s%s", v->log, v->log[strlen(v->log) - 1] == '\n' ? "" : "\n");
}

/* The names of the programs to verify, from one opening of the object. */
static int list_progs(struct verify *v, char ***namesp, char ***secsp, size_t *cntp)
{
	struct ubf_cli_object o;
	struct bpf_program *prog;
	char **names = NULL, **secs = NULL, err[512];
	size_t cnt = 0, all = 0;
	int ret;

	ret = ubf_cli_object_open(v->path, &o, err, sizeof(err));
	if (ret) {
		ubf_cli_err("verify", NULL, "%s", err);
		return UBF_EXIT_USAGE;
	}
	bpf_object__for_each_program(prog, o.obj)
		all++;
	names = calloc(all + 1, sizeof(*names));
	secs = calloc(all + 1, sizeof(*secs));
	if (!names || !secs) {
		ret = -ENOMEM;
		goto out;
	}
	bpf_object__for_each_program(prog, o.obj) {
		names[cnt] = strdup(bpf_program__name(prog));
		secs[cnt] = strdup(bpf_program__section_name(prog));
		if (!names[cnt] || !secs[cnt]) {
			ret = -ENOMEM;
			goto out;
		}
		cnt++;
	}
out:
	ubf_cli_object_close(&o);
	*namesp = names;
	*secsp = secs;
	*cntp = cnt;
	if (ret)
		ubf_cli_err("verify", v->path, "%s", strerror(-ret));
	return ret ? UBF_EXIT_USAGE : 0;
}

static void free_list(char **list, size_t cnt)
{
	size_t i;

	for (i = 0; list && i < cnt; i++)
		free(list[i]);
	free(list);
}

static int verify_all(struct verify *v)
{
	char **names = NULL, **secs = NULL;
	size_t cnt = 0, i, matched = 0, rejected = 0;
	struct verdict vd;
	int ret;

	ret = list_progs(v, &names, &secs, &cnt);
	if (ret)
		goto out;
	for (i = 0; i < cnt; i++)
		matched += is_wanted(v, names[i], secs[i]);
	if (!matched) {
		if (v->want)
			ubf_cli_err("verify", v->path, "no program or section named '%s' (%zu programs)",
				    v->want, cnt);
		else
			ubf_cli_err("verify", v->path, "the object contains no BPF program");
		ret = UBF_EXIT_USAGE;
		goto out;
	}
	if (v->json)
		ubf_json_start_array(v->json);
	for (i = 0; i < cnt && !ret; i++) {
		if (!is_wanted(v, names[i], secs[i]))
			continue;
		if (verify_one(v, i, &vd)) {
			ret = UBF_EXIT_USAGE;
			break;
		}
		rejected += !vd.is_accepted;
		report(v, names[i], secs[i], &vd);
		fflush(stdout);
	}
	if (v->json)
		ubf_json_end_array(v->json);
	if (!ret)
		ret = rejected ? UBF_EXIT_FAIL : UBF_EXIT_OK;
out:
	free_list(names, cnt + 1);
	free_list(secs, cnt + 1);
	return ret;
}

static int cmd_verify(int argc, char **argv)
{
	bool is_json = false, is_pretty = false, is_debug = false, is_kernel = false;
	struct verify v = { 0 };
	const struct ubf_cli_opt o[] = {
		{ "verbose", 'v', NULL, &v.is_verbose },
		{ "kernel", 0, NULL, &is_kernel },
	};
	const char *pos[2];
	struct ubf_json jw;
	size_t pos_cnt;
	int ret;

	argc = ubf_cli_bpf_opts(argc, argv, &is_json, &is_pretty, &is_debug);
	ret = ubf_cli_parse(&ubf_cli_cmd_verify, argc, argv, o, UBF_CLI_ARRAY_SIZE(o), pos, 2,
			    &pos_cnt);
	if (ret >= 0)
		return ret;
	if (!pos_cnt) {
		ubf_cli_err("verify", NULL, "an object file is expected (see 'userbpf help verify')");
		return UBF_EXIT_USAGE;
	}
	v.path = pos[0];
	v.want = pos_cnt > 1 ? pos[1] : NULL;
	v.is_kernel = is_kernel;
	if (is_kernel && !is_debug)
		libbpf_set_print(quiet_print);
	if (!is_kernel) {
		ret = ubf_cli_bpf_route(is_debug);
		if (ret) {
			ubf_cli_err("verify", NULL, "can't route libbpf to userbpf: %s",
				    strerror(-ret));
			return UBF_EXIT_USAGE;
		}
	}
	v.log = malloc(LOG_BUF_SZ);
	if (!v.log) {
		ubf_cli_err("verify", v.path, "%s", strerror(ENOMEM));
		return UBF_EXIT_USAGE;
	}
	if (is_json) {
		ubf_json_init(&jw, stdout, is_pretty);
		v.json = &jw;
	}
	ret = verify_all(&v);
	if (v.json) {
		if (!jw.sep)
			ubf_json_null(&jw);
		ubf_json_finish(&jw);
	}
	free(v.log);
	return ret;
}

static const char verify_help[] =
	"Loads every program of OBJ (or only PROG, a program or section name) through\n"
	"libbpf into userbpf, one program per load, and prints one line per program:\n"
	"\n"
	"  PROG SECTION: accepted (N insns processed)\n"
	"  PROG SECTION: rejected: <the last lines of the verifier log>\n"
	"\n"
	"Objects with a legacy `maps` section (struct bpf_map_def or iproute2's\n"
	"struct bpf_elf_map) load as with `userbpf prog load`.  No pin is created.\n"
	"Programs load verify-only: calls of every Linux helper are checked against\n"
	"its prototype, also helpers userbpf cannot run, so the verdict is Linux's\n"
	"(`userbpf prog load` refuses a program calling a helper userbpf cannot run).\n"
	"\n"
	"  -v, --verbose   log level 2 (every instruction with its register state),\n"
	"                  printed after each program's line\n"
	"  -j, --json      one JSON object per program: name, section, verdict,\n"
	"                  insns_processed, and for rejections errno and reason\n"
	"  -p, --pretty    the same, indented\n"
	"  -d, --debug     show libbpf's own messages\n"
	"  --kernel        load into the running Linux instead (needs root): the\n"
	"                  reference make check-kernel compares against\n"
	"\n"
	"Exit status: 0 every program accepted, 1 some program rejected, 2 bad input\n"
	"(an object that cannot be read or opened, no program named PROG).\n";

const struct ubf_cli_cmd ubf_cli_cmd_verify = {
	.name = "verify",
	.fn = cmd_verify,
	.usage = "OBJ [PROG] [-v] [-j|-p] [--kernel]",
	.summary = "load an object's programs and report the verifier's verdicts",
	.help = verify_help,
};
