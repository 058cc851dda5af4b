// SPDX-License-Identifier: BSD-2-Clause
/*
 * random_helpers.c - get_prandom_u32: a fast, non-cryptographic generator
 * (splitmix64) whose state lives in the run, so concurrent runs never
 * share it and the library keeps no global mutable state.  Each run seeds
 * its generator on first use from the monotonic clock and the run's
 * address, so two runs draw different sequences.  Like Linux's prandom it
 * must not be used for anything secret.
 */
#include "helpers/helpers.h"

#include <time.h>

#include "vm/vm.h"

static uint64_t splitmix64_next(uint64_t *state)
{
	uint64_t z;

	*state += 0x9e3779b97f4a7c15ull;
	z = *state;
	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

static uint64_t seed_for(const struct ubf_run *run)
{
	struct timespec ts = { 0, 0 };
	uint64_t seed;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	seed = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	seed ^= (uint64_t)(uintptr_t)run << 17 | (uint64_t)(uintptr_t)run >> 47;
	/* Scramble once so that nearby seeds give unrelated states; 0 means "unseeded". */
	seed = splitmix64_next(&seed);
	return seed ? seed : 1;
}

uint64_t ubf_helper_get_prandom_u32(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				    uint64_t r5, struct ubf_run *run)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	if (!run->prng_state)
		run->prng_state = seed_for(run);
	return splitmix64_next(&run->prng_state) >> 32;
}
