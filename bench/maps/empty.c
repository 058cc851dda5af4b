// SPDX-License-Identifier: BSD-2-Clause
/*
 * empty.c - the probe behind mapbench's linking-cost figures.  Built twice:
 * empty-plain links only libc, empty-linked (UBF_LINKED) links
 * libuserbpf.so.  It prints its own resident and private dirty memory from
 * /proc/self/smaps_rollup; with the argument "hash", empty-linked first
 * creates one small hash map and also prints how much of libuserbpf.so's
 * writable segments (static data: .data, .bss, relro) exist at all, so a
 * reader can see that no map type keeps static memory in the library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef UBF_LINKED
#include <linux/bpf.h>
#include <userbpf/bpf.h>
#endif

/* Rss, Private_Dirty and Anonymous of this process, in KiB. */
static int rollup(unsigned long *rss, unsigned long *dirty, unsigned long *anon)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];

	if (!f)
		return -errno;
	*rss = *dirty = *anon = 0;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Rss: %lu", rss);
		sscanf(line, "Private_Dirty: %lu", dirty);
		sscanf(line, "Anonymous: %lu", anon);
	}
	fclose(f);
	return 0;
}

#ifdef UBF_LINKED
/* The writable PT_LOAD bytes of libuserbpf.so. */
static int lib_rw(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned long *sum = data;
	int i;

	(void)size;
	if (!strstr(info->dlpi_name, "libuserbpf.so"))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD && (info->dlpi_phdr[i].p_flags & PF_W))
			*sum += info->dlpi_phdr[i].p_memsz;
	return 1;
}

static int make_hash(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1024;
	return ubf_bpf(BPF_MAP_CREATE, &a, sizeof(a));
}
#endif

int main(int argc, char **argv)
{
	unsigned long rss, dirty, anon, rss0, dirty0, anon0;
	int hash = argc > 1 && !strcmp(argv[1], "hash");

	if (rollup(&rss0, &dirty0, &anon0))
		return 1;
	if (!hash) {
		printf("Rss %5lu  Private_Dirty %5lu  Anonymous %5lu\n", rss0, dirty0, anon0);
		return 0;
	}
#ifdef UBF_LINKED
	{
		unsigned long rw = 0;
		int fd = make_hash();

		if (fd < 0) {
			fprintf(stderr, "empty: BPF_MAP_CREATE: %s\n", strerror(errno));
			return 1;
		}
		if (rollup(&rss, &dirty, &anon))
			return 1;
		dl_iterate_phdr(lib_rw, &rw);
		printf("Rss %+5ld  Private_Dirty %+5ld  Anonymous %+5ld (deltas); "
		       "libuserbpf.so static data %lu bytes\n", (long)(rss - rss0),
		       (long)(dirty - dirty0), (long)(anon - anon0), rw);
		close(fd);
		return 0;
	}
#else
	(void)rss, (void)dirty, (void)anon;
	fprintf(stderr, "empty: \"hash\" needs the build linked with libuserbpf\n");
	return 1;
#endif
}
