// SPDX-License-Identifier: BSD-2-Clause
/*
 * route.c - ubf_libbpf_route(): libbpf's system calls reach userbpf
 * in-process.  The import slots (GOT) of syscall, ioctl, mmap, epoll_ctl,
 * close, statfs, mkdir and unlink are rewritten in every loaded object that
 * imports them, found with dl_iterate_phdr() and each object's dynamic
 * section, to point at the emulation of emul.h, which the preload library
 * (src/preload/) interposes by symbol instead.  Routing is process-wide by
 * nature: the slots are the state.
 */
#define _GNU_SOURCE
#include <userbpf/libbpf.h>

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "sys/emul.h"
#include "sys/sys.h"

#if defined(__x86_64__)
#define RELOC_JUMP_SLOT R_X86_64_JUMP_SLOT
#define RELOC_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define RELOC_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define RELOC_GLOB_DAT R_AARCH64_GLOB_DAT
#endif

static pthread_mutex_t route_lock = PTHREAD_MUTEX_INITIALIZER;

/* syscall() is variadic: the emulation takes the six argument words. */
static long route_syscall(long nr, ...)
{
	va_list ap;
	long r;

	va_start(ap, nr);
	r = ubf_emul_vsyscall(nr, ap);
	va_end(ap);
	return r;
}

/* ioctl() is variadic too: its third word is the argument, if any. */
static int route_ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return ubf_emul_ioctl(fd, req, arg);
}

static const struct {
	const char *name;
	void *fn;
} routes[] = {
	{ "syscall", (void *)route_syscall },
	{ "ioctl", (void *)route_ioctl },
	{ "mmap", (void *)ubf_emul_mmap },
	{ "mmap64", (void *)ubf_emul_mmap },
	{ "epoll_ctl", (void *)ubf_emul_epoll_ctl },
	{ "close", (void *)ubf_emul_close },
	{ "statfs", (void *)ubf_emul_statfs },
	{ "statfs64", (void *)ubf_emul_statfs },
	{ "mkdir", (void *)ubf_emul_mkdir },
	{ "unlink", (void *)ubf_emul_unlink },
};

/* ---------------------------------------------------------------- patching */

/* What one object's dynamic section says about its imports. */
struct dyn_info {
	uintptr_t base;
	const ElfW(Sym) *symtab;
	const char *strtab;
	size_t strsz;
	const ElfW(Rela) *rela[2];	/* DT_JMPREL, DT_RELA */
	size_t rela_sz[2];
	uintptr_t relro_lo, relro_hi;
};

struct patch_ctx {
	int err;
};

/* glibc relocates d_ptr in place for most objects; the vDSO and some ports do not. */
static uintptr_t dyn_addr(const struct dyn_info *di, ElfW(Addr) v)
{
	return v < di->base ? di->base + v : v;
}

static void *route_for(const struct dyn_info *di, const ElfW(Rela) *r)
{
	const ElfW(Sym) *sym;
	size_t i, type = ELF64_R_TYPE(r->r_info), symi = ELF64_R_SYM(r->r_info);

	if ((type != RELOC_JUMP_SLOT && type != RELOC_GLOB_DAT) || !symi)
		return NULL;
	sym = &di->symtab[symi];
	if (sym->st_shndx != SHN_UNDEF || sym->st_name >= di->strsz)
		return NULL;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!strcmp(di->strtab + sym->st_name, routes[i].name))
			return routes[i].fn;
	}
	return NULL;
}

/* Write one slot; a slot under RELRO (BIND_NOW objects) is made writable for the write. */
static int write_slot(const struct dyn_info *di, void **slot, void *fn)
{
	uintptr_t a = (uintptr_t)slot, page = ubf_shm_page_size(), lo = a & ~(page - 1);
	bool is_relro = a >= di->relro_lo && a < di->relro_hi;

	if (__atomic_load_n(slot, __ATOMIC_ACQUIRE) == fn)
		return 0;
	if (is_relro && mprotect((void *)lo, page, PROT_READ | PROT_WRITE))
		return -errno;
	__atomic_store_n(slot, fn, __ATOMIC_RELEASE);
	if (is_relro && mprotect((void *)lo, page, PROT_READ))
		return -errno;
	return 0;
}

static int patch_relocs(const struct dyn_info *di, const ElfW(Rela) *rela, size_t sz)
{
	size_t i;
	void *fn;
	int err;

	for (i = 0; i < sz / sizeof(*rela); i++) {
		fn = route_for(di, &rela[i]);
		if (!fn)
			continue;
		err = write_slot(di, (void **)(di->base + rela[i].r_offset), fn);
		if (err)
			return err;
	}
	return 0;
}

static bool skip_object(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return !strncmp(base, "linux-vdso", 10) || !strncmp(base, "linux-gate", 10) ||
	       !strncmp(base, "libc.so", 7) || !strncmp(base, "ld-linux", 8);
}

static int read_dynamic(struct dl_phdr_info *info, struct dyn_info *di)
{
	const ElfW(Dyn) *dyn = NULL, *d;
	int i;

	memset(di, 0, sizeof(*di));
	di->base = info->dlpi_addr;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
		if (ph->p_type == PT_GNU_RELRO) {
			di->relro_lo = info->dlpi_addr + ph->p_vaddr;
			di->relro_hi = di->relro_lo + ph->p_memsz;
		}
	}
	if (!dyn)
		return -ENOENT;
	for (d = dyn; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB:
			di->symtab = (const ElfW(Sym) *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_STRTAB:
			di->strtab = (const char *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_STRSZ:
			di->strsz = d->d_un.d_val;
			break;
		case DT_JMPREL:
			di->rela[0] = (const ElfW(Rela) *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			di->rela_sz[0] = d->d_un.d_val;
			break;
		case DT_RELA:
			di->rela[1] = (const ElfW(Rela) *)dyn_addr(di, d->d_un.d_ptr);
			break;
		case DT_RELASZ:
			di->rela_sz[1] = d->d_un.d_val;
			break;
		case DT_PLTREL:
			if (d->d_un.d_val != DT_RELA)
				return -ENOENT;	/* REL-only objects do not exist on x86-64/arm64 */
			break;
		default:
			break;
		}
	}
	return di->symtab && di->strtab ? 0 : -ENOENT;
}

static int patch_object(struct dl_phdr_info *info, size_t info_sz, void *data)
{
	struct patch_ctx *ctx = data;
	struct dyn_info di;
	int i, err;

	(void)info_sz;
	if (skip_object(info->dlpi_name) || read_dynamic(info, &di))
		return 0;
	for (i = 0; i < 2; i++) {
		if (!di.rela[i])
			continue;
		err = patch_relocs(&di, di.rela[i], di.rela_sz[i]);
		if (err) {
			ctx->err = err;
			return 1;
		}
	}
	return 0;
}

int ubf_libbpf_route(void)
{
#if defined(RELOC_JUMP_SLOT)
	struct patch_ctx ctx = { 0 };

	if (!ubf_emul_libc())
		return -ENOSYS;
	pthread_mutex_lock(&route_lock);
	dl_iterate_phdr(patch_object, &ctx);
	pthread_mutex_unlock(&route_lock);
	return ctx.err;
#else
	return -EOPNOTSUPP;
#endif
}
