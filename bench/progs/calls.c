/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * calls.c - call-heavy code: 2-D geometry over an array of points, built
 * from small functions that clang must not inline, so each one is a
 * bpf-to-bpf call (and a plain call natively).  No recursion; the deepest
 * chain is entry -> scan_window -> closer -> dist2 (four frames).
 */
#include "bench.h"

/*
 * Layout of mem: NPTS points { int32_t x, y } with |x|, |y| < 2^20, so
 * every product below fits in int64_t.
 */
#define NPTS 2048
#define WINDOW 6

BENCH_NOINLINE int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

BENCH_NOINLINE int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

BENCH_NOINLINE int64_t dist2(int64_t dx, int64_t dy)
{
	return dx * dx + dy * dy;
}

/* z of the cross product of (dx1, dy1) and (dx2, dy2). */
BENCH_NOINLINE int64_t cross(int64_t dx1, int64_t dy1, int64_t dx2, int64_t dy2)
{
	return dx1 * dy2 - dy1 * dx2;
}

BENCH_NOINLINE int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return min64(max64(v, lo), hi);
}

/* -1, 0 or 1 for a clockwise, collinear or counter-clockwise turn. */
BENCH_NOINLINE int64_t orientation(const int32_t *a, const int32_t *b, const int32_t *c)
{
	int64_t z = cross((int64_t)b[0] - a[0], (int64_t)b[1] - a[1], (int64_t)c[0] - a[0],
			  (int64_t)c[1] - a[1]);

	return (z > 0) - (z < 0);
}

/* Twice the area of triangle abc plus its longest side squared, mixed. */
BENCH_NOINLINE uint64_t triangle(const int32_t *a, const int32_t *b, const int32_t *c)
{
	int64_t area2 = cross((int64_t)b[0] - a[0], (int64_t)b[1] - a[1], (int64_t)c[0] - a[0],
			      (int64_t)c[1] - a[1]);
	int64_t ab = dist2((int64_t)b[0] - a[0], (int64_t)b[1] - a[1]);
	int64_t bc = dist2((int64_t)c[0] - b[0], (int64_t)c[1] - b[1]);
	int64_t ca = dist2((int64_t)a[0] - c[0], (int64_t)a[1] - c[1]);

	return (uint64_t)max64(area2, -area2) ^ (uint64_t)max64(ab, max64(bc, ca)) << 1;
}

/* The squared distance from @p to @q if it is below @best, else @best. */
BENCH_NOINLINE int64_t closer(const int32_t *p, const int32_t *q, int64_t best)
{
	return min64(best, dist2((int64_t)q[0] - p[0], (int64_t)q[1] - p[1]));
}

/* Nearest of the next WINDOW points to point @i (a sliding closest-pair scan). */
BENCH_NOINLINE int64_t scan_window(const int32_t *pts, uint32_t i)
{
	int64_t best = INT64_MAX;

	for (uint32_t j = 1; j <= WINDOW && i + j < NPTS; j++)
		best = closer(&pts[2 * i], &pts[2 * (i + j)], best);
	return best;
}

BENCH_ENTRY uint64_t bench_calls(void *mem, uint64_t len)
{
	const int32_t *pts = mem;
	int64_t lo_x = INT64_MAX, hi_x = INT64_MIN, lo_y = INT64_MAX, hi_y = INT64_MIN;
	int64_t turns = 0, near = 0;
	uint64_t sum = 0;

	if (len < NPTS * 8)
		return 0;
	for (uint32_t i = 0; i < NPTS; i++) {
		const int32_t *p = &pts[2 * i];

		lo_x = min64(lo_x, p[0]);
		hi_x = max64(hi_x, p[0]);
		lo_y = min64(lo_y, p[1]);
		hi_y = max64(hi_y, p[1]);
		near += clamp(scan_window(pts, i), 0, 1 << 30);
		if (i + 2 < NPTS) {
			turns += orientation(p, p + 2, p + 4);
			sum = bench_mix(sum, triangle(p, p + 2, p + 4));
		}
	}
	sum = bench_mix(sum, (uint64_t)(hi_x - lo_x) << 32 ^ (uint64_t)(hi_y - lo_y));
	return bench_mix(sum, (uint64_t)turns << 40 ^ (uint64_t)near);
}

#ifndef __bpf__
/* ----------------------------------------------------------- input (host only) */
void bench_calls_input(void *mem, uint64_t len)
{
	int32_t *pts = mem;
	uint64_t rs = 0x63616c6c73ull;

	for (uint64_t i = 0; i < len / 4; i++)
		pts[i] = (int32_t)bench_below(&rs, 1u << 21) - (1 << 20);
}
#endif
