/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * userbpf/bpf.h - Linux's bpf(2), implemented in user space.  ubf_bpf()
 * takes the command numbers and union bpf_attr layouts of <linux/bpf.h>
 * and behaves like the system call: programs, maps, BTF objects and links
 * are real file descriptors, pins are files under ubf_pin_root().
 * ubf_libbpf_route() sends the bpf() calls of the process's libbpf here.
 */
#ifndef USERBPF_BPF_H
#define USERBPF_BPF_H

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

/**
 * ubf_bpf() - the bpf(2) system call, in user space
 * @cmd:  enum bpf_cmd
 * @attr: union bpf_attr, @size bytes of it; bytes this implementation
 *        does not know must be zero
 * @size: as for bpf(2)
 *
 * Return: as bpf(2): a new file descriptor or 0 (or a count) on success,
 * -1 with errno set on failure (Linux's errno for the same mistake).
 */
UBF_API int ubf_bpf(int cmd, void *attr, unsigned int size);

/*
 * PROG_LOAD prog_flags bit (a userbpf extension; Linux refuses it): load
 * without the verifier.  The program then runs in the checked mode, every
 * memory access bounds-checked under an instruction budget, so it may be
 * wrong but cannot corrupt the process.  libbpf passes it through
 * bpf_program__set_flags().
 */
#define UBF_BPF_F_UNVERIFIED (1u << 31)

/*
 * PROG_LOAD prog_flags bit (a userbpf extension; Linux refuses it): verify
 * only.  The verifier checks the program against every Linux helper's
 * prototype, including helpers userbpf cannot run, and gives Linux's
 * verdict; an accepted program gets an fd that can be inspected, pinned and
 * dumped but never runs: BPF_PROG_TEST_RUN fails with ENOTSUPP (524), and
 * attaching it (a link, a raw tracepoint, a prog_array slot) with
 * EOPNOTSUPP.  Without this bit a call of a helper userbpf cannot run is
 * refused with EINVAL, as Linux refuses an unknown helper, so feature probes
 * stay truthful.  Not together with UBF_BPF_F_UNVERIFIED (EINVAL).
 * `userbpf verify` loads with it.
 */
#define UBF_BPF_F_VERIFY_ONLY (1u << 30)

/**
 * ubf_pin_root() - the directory that holds pins and object files:
 * $UBF_PIN_ROOT, else $XDG_RUNTIME_DIR/userbpf, else /run/userbpf for root,
 * else /tmp/userbpf-<uid>.  A pin path under /sys/fs/bpf names the same
 * path under this directory.
 */
UBF_API const char *ubf_pin_root(void);

UBF_EXTERN_C_END

#endif /* USERBPF_BPF_H */
