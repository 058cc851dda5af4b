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

UBF_EXTERN_C_END

#endif /* USERBPF_OBJECT_H */
