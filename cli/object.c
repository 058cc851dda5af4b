// SPDX-License-Identifier: BSD-2-Clause
/*
 * object.c - the one place the CLI opens an ELF object with libbpf, shared
 * by `userbpf prog load|loadall` and `userbpf verify`.  An object with a
 * legacy `maps` section (struct bpf_map_def or iproute2's struct
 * bpf_elf_map), which libbpf 1.x refuses, is first rewritten in memory by
 * ubf_elf_legacy_maps() into one with a BTF-defined `.maps` section; every
 * other object goes to libbpf unchanged.  It does not load anything.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

int ubf_cli_object_open(const char *path, struct ubf_cli_object *o, char *err, size_t err_sz)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = path);
	struct ubf_diag diag;
	uint8_t *file = NULL;
	size_t file_sz = 0;
	FILE *f;
	int ret;

	memset(o, 0, sizeof(*o));
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		snprintf(err, err_sz, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = ubf_cli_read_stream(f, &file, &file_sz);
	fclose(f);
	if (ret) {
		snprintf(err, err_sz, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ubf_cli_diag_init(&diag);
	ret = ubf_elf_legacy_maps(file, file_sz, &o->buf, &o->buf_sz, &diag);
	free(file);
	if (ret) {
		snprintf(err, err_sz, "%s: %s: %s", path, diag.id ? diag.id : ubf_strerror(ret),
			 diag.msg[0] ? diag.msg : ubf_strerror(ret));
		return ret;
	}
	if (o->buf)
		o->obj = bpf_object__open_mem(o->buf, o->buf_sz, &opts);
	else
		o->obj = bpf_object__open_file(path, NULL);
	if (!o->obj) {
		ret = -errno;
		snprintf(err, err_sz, "%s: libbpf cannot open it: %s", path, strerror(-ret));
		ubf_cli_object_close(o);
		return ret;
	}
	return 0;
}

void ubf_cli_object_close(struct ubf_cli_object *o)
{
	bpf_object__close(o->obj);
	free(o->buf);
	memset(o, 0, sizeof(*o));
}
