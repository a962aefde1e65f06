// Function multiversioning for the vectorized kernels: with GCC on glibc x86-64, an entry point marked
// VOXELFLOW_CLONES is compiled twice, for AVX2 and for the baseline (SSE2), and the dynamic loader picks
// one for the CPU (ifunc); everywhere else it is compiled once, for the baseline. The helpers a clone
// calls are VOXELFLOW_INLINE so that they are compiled into each clone, for its instruction set.
//
// Neither changes results: the kernels use only IEEE operations that round the same at any vector
// width (add, subtract, multiply, divide, compare, conversion), and binding.gyp turns off contraction
// into fused multiply-adds (-ffp-contract=off), which would round differently from the TypeScript twins.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__)
#define VOXELFLOW_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VOXELFLOW_CLONES
#endif

#if defined(__GNUC__)
#define VOXELFLOW_INLINE __attribute__((always_inline)) inline
#else
#define VOXELFLOW_INLINE inline
#endif
