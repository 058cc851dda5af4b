/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mapbench.h - the constants shared by the map benchmark's BPF programs
 * (maps.bpf.c) and its runner (mapbench.c): how many operations one run
 * does, the value stored under each key and the sum a lookup run must see.
 */
#ifndef UBF_BENCH_MAPBENCH_H
#define UBF_BENCH_MAPBENCH_H

#define MAP_BENCH_OPS 256
#define MAP_BENCH_LRU_ENTRIES 1024
#define MAP_BENCH_VALUE(k) ((__u64)(k) * 3 + 1)
/* sum of MAP_BENCH_VALUE(k) for k < MAP_BENCH_OPS */
#define MAP_BENCH_SUM (3ull * MAP_BENCH_OPS * (MAP_BENCH_OPS - 1) / 2 + MAP_BENCH_OPS)

#endif /* UBF_BENCH_MAPBENCH_H */
