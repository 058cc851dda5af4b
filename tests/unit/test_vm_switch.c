// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_vm_switch.c - the interpreter's portable dispatch.  interp.c is
 * compiled a second time here with UBF_FORCE_SWITCH and under other names,
 * and test_vm.h lists the result as two more engines, so every test that
 * runs programs on all engines also runs the switch loop that compilers
 * without computed goto get (callbacks that helpers run go through the
 * library's ubf_interp_call()).  It defines no tests of its own.
 */
#define UBF_FORCE_SWITCH 1
#define ubf_interp_run_fast ubf_test_switch_run_fast
#define ubf_interp_run_checked ubf_test_switch_run_checked
#define ubf_interp_call ubf_test_switch_call
#include "vm/interp.c"
