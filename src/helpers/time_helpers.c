// SPDX-License-Identifier: BSD-2-Clause
/*
 * time_helpers.c - the clock helpers, with Linux's clocks mapped to their
 * user-space equivalents: ktime_get_ns is CLOCK_MONOTONIC, ktime_get_boot_ns
 * CLOCK_BOOTTIME, ktime_get_coarse_ns CLOCK_MONOTONIC_COARSE, and jiffies64
 * counts UBF_HZ ticks of the coarse monotonic clock.  They ignore their
 * arguments, as Linux's do.
 */
#include "helpers/helpers.h"

#include <time.h>

#include "util/compiler.h"

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	/* These clocks exist on every Linux this library supports; a failure reads as 0. */
	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t ubf_helper_ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t ubf_helper_ktime_get_boot_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				      uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return clock_ns(CLOCK_BOOTTIME);
}

uint64_t ubf_helper_ktime_get_coarse_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
					uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

uint64_t ubf_helper_jiffies64(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)run;
	return clock_ns(CLOCK_MONOTONIC_COARSE) / (1000000000u / UBF_HZ);
}
