/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * userbpf/hook.h - application-defined tracepoints: the embedding story.
 * An application names hook points in its own code and fires them with up
 * to 12 u64 arguments; programs attach to a name with bpf(2)'s
 * BPF_RAW_TRACEPOINT_OPEN (libbpf: bpf_program__attach_raw_tracepoint())
 * and run, in attach order and in the firing thread, with the argument
 * array as their context, as Linux's raw tracepoints.  A program stays
 * attached while its link lives: an open fd, a pin.
 */
#ifndef USERBPF_HOOK_H
#define USERBPF_HOOK_H

#include <stdint.h>

#include <userbpf/common.h>

UBF_EXTERN_C_BEGIN

/* Longest name, with its NUL: Linux reads 128 bytes of a raw tracepoint name. */
#define UBF_TP_NAME_MAX 128
/* Most arguments one firing passes: Linux's MAX_BPF_FUNC_ARGS. */
#define UBF_TP_ARGS_MAX 12

/* A named hook point of this process; it lives as long as the process. */
struct ubf_tp;

/**
 * ubf_tp_define() - define (or find) the hook point @name
 * @name: 1 to UBF_TP_NAME_MAX - 1 bytes; any bytes but NUL, conventionally
 *        "app:event"
 * @tpp:  the hook point; defining a name twice gives the same one
 *
 * Return: 0, -EINVAL for a NULL, empty or too long name, -ENOMEM.
 */
UBF_API int ubf_tp_define(const char *name, struct ubf_tp **tpp);

/**
 * ubf_tp_fire() - run every program attached to @tp
 * @tp:   from ubf_tp_define()
 * @args: @n u64 arguments, the programs' context (a copy: a program cannot
 *        change the caller's array); the arguments past @n read as zero
 * @n:    at most UBF_TP_ARGS_MAX
 *
 * With nothing attached this is one load and a branch.  Programs run in
 * the calling thread, in attach order; attaching and detaching from other
 * threads meanwhile is safe.  A program that faults stops, the others run.
 *
 * Return: the number of programs that ran to completion, -EINVAL when @n
 * is above UBF_TP_ARGS_MAX (and something is attached).
 */
UBF_API int ubf_tp_fire(struct ubf_tp *tp, const uint64_t *args, unsigned int n);

/* ubf_tp_attached() - how many programs are attached to @tp now. */
UBF_API unsigned int ubf_tp_attached(const struct ubf_tp *tp);

/* ubf_tp_name() - the name @tp was defined with. */
UBF_API const char *ubf_tp_name(const struct ubf_tp *tp);

UBF_EXTERN_C_END

#endif /* USERBPF_HOOK_H */
