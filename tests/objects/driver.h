/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * driver.h - the small harness the user-space drivers of tests/objects
 * share.  A driver is run as `DRIVER OBJECT.o [--kernel]`: it routes libbpf
 * to userbpf (unless --kernel, which lets a root user compare with Linux),
 * opens and loads the object with libbpf, runs programs and prints one line
 * per check, "ok NAME" or "FAIL NAME: why", which tests/layers/objects.sh
 * counts.  With `--transcript FILE` it also writes what it observed (check
 * outcomes, every test run's results and output, the contents of every map
 * when the object is closed) in a canonical form that `make check-kernel`
 * compares between Linux and userbpf.
 */
#ifndef UBF_TESTS_DRIVER_H
#define UBF_TESTS_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "objects.h"

struct drv {
	const char *obj_path;
	bool kernel;		/* --kernel: leave libbpf on the kernel's bpf(2) */
	const char *transcript;	/* --transcript FILE, or NULL */
};

/* Parse the command line and route libbpf; exits with status 2 on misuse. */
void drv_init(struct drv *d, int argc, char **argv);
/* Open and load d->obj_path; NULL (with a FAIL line named @what) on failure. */
struct bpf_object *drv_load(struct drv *d, const char *what,
			    const struct bpf_object_open_opts *opts);

void drv_check(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One check that @got equals @want (each evaluated once). */
void drv_eq(const char *name, uint64_t got, uint64_t want);
#define DRV_EQ(name, got, want) drv_eq(name, (uint64_t)(got), (uint64_t)(want))

/*
 * Test-run program @prog_name of @obj once with @args as ctx_in (a syscall
 * program writes it back); 0 with *@retval, or -errno (and a FAIL line).
 */
int drv_run(struct bpf_object *obj, const char *prog_name, struct obj_args *args, int *retval);
/*
 * The memory of a loaded internal map (".data", ".bss", ...), mapped here
 * from its fd with mmap() as a skeleton does (libbpf 1.1's object API keeps
 * only a private image), or NULL; *@szp is its value size.  Never unmapped.
 */
void *drv_global_data(struct bpf_object *obj, const char *sec, size_t *szp);
/* Offset of global variable @var in datasec @sec per the object's BTF, or -1. */
long drv_var_offset(struct bpf_object *obj, const char *sec, const char *var);
/* Where global @var lives after load: the mapped memory of whichever of .data/.bss holds it. */
void *drv_var(struct bpf_object *obj, const char *var);

/*
 * bpf_prog_test_run_opts() on @prog, recorded in the transcript under @name
 * (error, retval, data_out and ctx_out bytes); returns what libbpf returned,
 * with errno preserved.
 */
int drv_test_run(struct bpf_program *prog, const char *name, struct bpf_test_run_opts *opts);
/* Record the contents of every map of @obj in the transcript, then close it. */
void drv_close(struct bpf_object *obj);
/* One free-form transcript line (an observation that is not a check). */
void drv_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the summary; the exit status (0: every check passed). */
int drv_done(void);

#endif /* UBF_TESTS_DRIVER_H */
