/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object.h - the executable sections of an eBPF ELF object, in file order.
 * This reads section headers only: relocations, maps and BTF are libbpf's
 * job (see docs/design.md).  Big-endian (bpfeb) objects are converted to
 * host order.
 */
#ifndef USERBPF_OBJECT_H
#define USERBPF_OBJECT_H

#include <userbpf/common.h>
#include <userbpf/insn.h>
#include <userbpf/log.h>

UBF_EXTERN_C_BEGIN

/**
 * struct ubf_code_section - one SHF_EXECINSTR section
 * @name:     section name
 * @insns:    its instructions, in host byte order
 * @insn_cnt: number of slots
 */
struct ubf_code_section {
	char *name;
	struct ubf_raw_insn *insns;
	size_t insn_cnt;
};

/**
 * ubf_elf_code_sections() - list the executable sections of an ELF object
 * @buf, @buf_sz: the whole file
 * @secsp:  on success a malloc'd array owned by the caller; free it with
 *          ubf_elf_code_sections_free()
 * @cntp:   number of sections (0 is possible)
 * @diag:   on failure, what is wrong and where (header field, section index)
 *
 * Return: 0; -EINVAL for anything that is not a well-formed 64-bit eBPF ELF
 * object (EM_BPF); -ENOMEM.
 */
UBF_API int ubf_elf_code_sections(const void *buf, size_t buf_sz, struct ubf_code_section **secsp,
				  size_t *cntp, struct ubf_diag *diag);

/** ubf_elf_code_sections_free() - free the array and everything in it; accepts NULL */
UBF_API void ubf_elf_code_sections_free(struct ubf_code_section *secs, size_t cnt);

/** ubf_is_elf() - whether @buf starts with the ELF magic */
UBF_API bool ubf_is_elf(const void *buf, size_t buf_sz);

/**
 * struct ubf_elf_func - where a function symbol's code is
 * @sec_idx:  index into the array ubf_elf_code_sections() returns for the same buffer
 * @insn_off: first slot of the function within that section
 * @insn_cnt: slots the symbol covers (st_size / 8); 0 when the symbol has no size
 */
struct ubf_elf_func {
	size_t sec_idx;
	size_t insn_off;
	size_t insn_cnt;
};

/**
 * ubf_elf_symbol() - find the defined function symbol @name in the symbol table
 * @buf, @buf_sz: the whole file
 * @name:  symbol name, e.g. "main"
 * @func:  on success, where its code is
 * @diag:  on failure, what is wrong and where; may be NULL
 *
 * Only STT_FUNC symbols defined in an executable section count.  The file
 * is validated as by ubf_elf_code_sections().  Reads only @buf and
 * allocates nothing, so it is safe to call from any thread.
 *
 * Return: 0; -ENOENT when there is no such symbol; -EINVAL for a malformed
 * object or symbol (misaligned, outside its section).
 */
UBF_API int ubf_elf_symbol(const void *buf, size_t buf_sz, const char *name,
			   struct ubf_elf_func *func, struct ubf_diag *diag);

/**
 * ubf_elf_legacy_maps() - rewrite a legacy `maps` section into a BTF-defined `.maps` one
 * @buf, @buf_sz: the whole file
 * @outp:    on success, NULL when the object has no section named `maps`
 *           (give @buf to libbpf as it is); otherwise a malloc'd ELF object,
 *           owned by the caller and freed with free(), that libbpf 1.x opens
 *           with bpf_object__open_mem(): the same maps in a `.maps` section
 *           described by BTF (appended to the object's .BTF, or a new one),
 *           symbols and relocations moved to the new definitions
 * @out_szp: the size of *@outp
 * @diag:    on failure, what is wrong, naming the section and the symbol
 *
 * The entries of `maps` are struct bpf_map_def (type, key_size, value_size,
 * max_entries, map_flags: 20 bytes, or more with zeros after them) or
 * iproute2's struct bpf_elf_map (type, size_key, size_value, max_elem,
 * flags, id, pinning, inner_id, inner_idx: 36 bytes), told apart by the
 * sizes of the section's symbols.  Nothing but the maps changes.
 *
 * Return: 0; -EINVAL for a malformed object or map entry (truncated entry,
 * a size neither struct has, symbols of different sizes, overlapping
 * entries, unknown pinning); -ENOMEM.
 */
UBF_API int ubf_elf_legacy_maps(const void *buf, size_t buf_sz, void **outp, size_t *out_szp,
				struct ubf_diag *diag);

UBF_EXTERN_C_END

#endif /* USERBPF_OBJECT_H */
