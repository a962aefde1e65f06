// Threshold kernel, twin of imaging/kernels/threshold.ts: out[i] = 1 where the voxel lies strictly
// inside (above, below), either bound optional; NaN is background.
//
// The TypeScript kernel compares every voxel as a double. Here each bound is first turned into a bound
// of the voxel's own type that decides every voxel the same way (for an integer v, v > a iff v > floor(a);
// for a float v, v > a iff v > the largest float <= a; the mirror images for `below`), or found to hold
// for all voxels or none. The loops then compare same-width values, branch-free, and vectorize.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "clones.h"

namespace voxelflow {

/** Which bounds are set: both, `above` only, `below` only. */
enum class Bounds { kBetween = 0, kAboveOnly = 1, kBelowOnly = 2 };

namespace threshold_detail {

/** A bound in the voxel type: compare against `value`, or the test holds for every voxel or none. */
template <typename T>
struct Cut {
  enum Kind { kCompare, kAll, kNone } kind;
  T value;
};

/** `v > above` as a test on T. */
template <typename T>
Cut<T> AboveCut(double above) {
  if (std::isnan(above)) return {Cut<T>::kNone, T(0)};
  if constexpr (std::is_integral_v<T>) {
    const double f = std::floor(above);
    if (f < static_cast<double>(std::numeric_limits<T>::min())) return {Cut<T>::kAll, T(0)};
    if (f >= static_cast<double>(std::numeric_limits<T>::max())) return {Cut<T>::kNone, T(0)};
    return {Cut<T>::kCompare, static_cast<T>(f)};
  } else if constexpr (std::is_same_v<T, float>) {
    // The largest float <= above (every float v > above is > it, and no other): rounded down.
    float t = static_cast<float>(above);
    if (static_cast<double>(t) > above) t = std::nextafter(t, -std::numeric_limits<float>::infinity());
    return {Cut<T>::kCompare, t};
  } else {
    return {Cut<T>::kCompare, static_cast<T>(above)};
  }
}

/** `v < below` as a test on T. */
template <typename T>
Cut<T> BelowCut(double below) {
  if (std::isnan(below)) return {Cut<T>::kNone, T(0)};
  if constexpr (std::is_integral_v<T>) {
    const double c = std::ceil(below);
    if (c > static_cast<double>(std::numeric_limits<T>::max())) return {Cut<T>::kAll, T(0)};
    if (c <= static_cast<double>(std::numeric_limits<T>::min())) return {Cut<T>::kNone, T(0)};
    return {Cut<T>::kCompare, static_cast<T>(c)};
  } else if constexpr (std::is_same_v<T, float>) {
    float t = static_cast<float>(below);
    if (static_cast<double>(t) < below) t = std::nextafter(t, std::numeric_limits<float>::infinity());
    return {Cut<T>::kCompare, t};
  } else {
    return {Cut<T>::kCompare, static_cast<T>(below)};
  }
}

// Voxels per chunk: a uint32 count of one chunk cannot overflow, and the compiler keeps it in vector
// lanes (widening adds) next to the compares instead of a second pass over the mask.
constexpr size_t kChunk = 4096;

// From this many voxels on, the mask is written with streaming stores: it then outgrows the caches
// with its input (2-8 bytes a voxel), so no consumer finds it there, and a normal store would first
// read each line from memory (about 10% of the time of a 256^3 u16 threshold). Smaller masks, like the
// blocks of a pipeline, stay in cache for the next kernel.
constexpr size_t kStreamVoxels = size_t{8} << 20;

/** One chunk: out[i] = (v > lo if kLo) & (v < hi if kHi) for i < n; returns its count. */
template <typename T, bool kLo, bool kHi>
VOXELFLOW_INLINE uint32_t CompareChunk(const T* __restrict src, size_t n, T lo, T hi, uint8_t* __restrict out) {
  uint32_t c = 0;
  for (size_t i = 0; i < n; i++) {
    const T v = src[i];
    const uint8_t f = static_cast<uint8_t>((kLo ? v > lo : true) & (kHi ? v < hi : true));
    out[i] = f;
    c += f;
  }
  return c;
}

/** The mask of `src[0..n)` into `out`, chunk by chunk; returns the count. Vectorizes, no branches. */
template <typename T, bool kLo, bool kHi>
VOXELFLOW_INLINE size_t Compare(const T* src, size_t n, T lo, T hi, uint8_t* out) {
  size_t count = 0;
  size_t start = 0;
#if defined(__SSE2__)
  if (n >= kStreamVoxels) {
    // Up to a 16-byte boundary of `out` directly, then each chunk into an L1 buffer and from there
    // to `out` with streaming stores.
    alignas(64) uint8_t buffer[kChunk];
    start = (16 - (reinterpret_cast<uintptr_t>(out) & 15)) & 15;
    count += CompareChunk<T, kLo, kHi>(src, start, lo, hi, out);
    for (; start + kChunk <= n; start += kChunk) {
      count += CompareChunk<T, kLo, kHi>(src + start, kChunk, lo, hi, buffer);
      for (size_t i = 0; i < kChunk; i += 16) {
        const __m128i bytes = _mm_load_si128(reinterpret_cast<const __m128i*>(buffer + i));
        _mm_stream_si128(reinterpret_cast<__m128i*>(out + start + i), bytes);
      }
    }
    _mm_sfence();
  }
#endif
  for (; start < n; start += kChunk) {
    const size_t len = std::min(n - start, kChunk);
    count += CompareChunk<T, kLo, kHi>(src + start, len, lo, hi, out + start);
  }
  return count;
}

/** The loop for one pair of cuts (neither kNone). */
template <typename T>
VOXELFLOW_INLINE size_t CompareCuts(const T* src, size_t n, Cut<T> lo, Cut<T> hi, uint8_t* out) {
  if (lo.kind == Cut<T>::kAll) return Compare<T, false, true>(src, n, lo.value, hi.value, out);
  if (hi.kind == Cut<T>::kAll) return Compare<T, true, false>(src, n, lo.value, hi.value, out);
  return Compare<T, true, true>(src, n, lo.value, hi.value, out);
}

// The entry points, one per voxel type, each cloned for AVX2 where supported (clones.h).
#define VOXELFLOW_COMPARE_CUTS(T)                                                                      \
  VOXELFLOW_CLONES inline size_t RunCompare(const T* src, size_t n, Cut<T> lo, Cut<T> hi, uint8_t* out) { \
    return CompareCuts<T>(src, n, lo, hi, out);                                                        \
  }
VOXELFLOW_COMPARE_CUTS(uint8_t)
VOXELFLOW_COMPARE_CUTS(uint16_t)
VOXELFLOW_COMPARE_CUTS(int16_t)
VOXELFLOW_COMPARE_CUTS(uint32_t)
VOXELFLOW_COMPARE_CUTS(int32_t)
VOXELFLOW_COMPARE_CUTS(float)
VOXELFLOW_COMPARE_CUTS(double)
#undef VOXELFLOW_COMPARE_CUTS

}  // namespace threshold_detail

/** Writes the mask of `src[0..n)` into `out` and returns its count; see the file comment. */
template <typename T>
size_t Threshold(const T* src, size_t n, Bounds bounds, double above, double below, uint8_t* out) {
  using namespace threshold_detail;
  using C = Cut<T>;
  C lo{C::kAll, T(0)}, hi{C::kAll, T(0)};
  if (bounds != Bounds::kBelowOnly) lo = AboveCut<T>(above);
  if (bounds != Bounds::kAboveOnly) hi = BelowCut<T>(below);
  if (lo.kind == C::kNone || hi.kind == C::kNone) {
    std::memset(out, 0, n);
    return 0;
  }
  if (lo.kind == C::kAll && hi.kind == C::kAll) {
    // Only when no voxel is NaN can a bound hold for all: integer types.
    std::memset(out, 1, n);
    return n;
  }
  return RunCompare(src, n, lo, hi, out);
}

}  // namespace voxelflow
