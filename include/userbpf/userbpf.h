/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * userbpf.h - umbrella header: include this one.
 */
#ifndef USERBPF_USERBPF_H
#define USERBPF_USERBPF_H

#include <userbpf/common.h>
#include <userbpf/log.h>
#include <userbpf/insn.h>
#include <userbpf/isa.h>
#include <userbpf/helper.h>
#include <userbpf/prog.h>
#include <userbpf/object.h>
#include <userbpf/map.h>
#include <userbpf/bpf.h>
#include <userbpf/hook.h>
#include <userbpf/libbpf.h>
#include <userbpf/exec.h>

#define UBF_VERSION_MAJOR 0
#define UBF_VERSION_MINOR 1
#define UBF_VERSION_PATCH 0
#define UBF_VERSION_STRING "0.1.0"

UBF_EXTERN_C_BEGIN

/** ubf_version() - the library's version string, e.g. "0.1.0" */
UBF_API const char *ubf_version(void);

UBF_EXTERN_C_END

#endif /* USERBPF_USERBPF_H */
