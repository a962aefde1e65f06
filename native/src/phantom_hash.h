// The integer hash of the synthetic phantoms, twin of hash4 / hashBCD / hashMix in imaging/phantoms.ts.
// JavaScript's `a | 0`, Math.imul and `>>>` are arithmetic modulo 2^32, which uint32_t arithmetic is
// here; `(h >>> 0) / 4294967296` is exact in float64 on both sides. Also the box of a phantom call and
// the conversion of a phantom value to a voxel type.
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "clones.h"

namespace voxelflow {

/** Where a phantom block sits: origin and shape, [z, y, x], in voxels of the image. */
struct PhantomBox {
  int64_t origin[3], shape[3];
};

namespace phantom_detail {

constexpr uint32_t kHashA = 0x27d4eb2du;

/** `x | 0` of JavaScript for an integer x (|x| < 2^53): x modulo 2^32. */
VOXELFLOW_INLINE uint32_t U32(int64_t x) { return static_cast<uint32_t>(static_cast<uint64_t>(x)); }

/** hashBCD: the part of hash4 without its first argument. */
VOXELFLOW_INLINE uint32_t HashBCD(uint32_t b, uint32_t c, uint32_t d) {
  return (b * 0x165667b1u) ^ (c * 0x9e3779b1u) ^ (d * 0x85ebca77u);
}

/** hashMix: the finalizer, into [0, 1). */
VOXELFLOW_INLINE double HashMix(uint32_t h) {
  h = (h ^ (h >> 15)) * 0x2c1b3c6du;
  h = (h ^ (h >> 12)) * 0x297a2d39u;
  h ^= h >> 15;
  // (double)h, through int32 so that it vectorizes (x86 has no unsigned conversion before AVX-512):
  // both steps are exact, as h < 2^32 needs 32 of float64's 53 bits.
  return (static_cast<double>(static_cast<int32_t>(h ^ 0x80000000u)) + 2147483648.0) / 4294967296.0;
}

/** hash4(a, b, c, d) for integer arguments. */
VOXELFLOW_INLINE double Hash4(int64_t a, int64_t b, int64_t c, int64_t d) {
  return HashMix((U32(a) * kHashA) ^ HashBCD(U32(b), U32(c), U32(d)));
}

/** Math.floor(x / cell) for an integer x, computed as the twin does (float64 division, then floor). */
VOXELFLOW_INLINE int64_t FloorDiv(int64_t x, double cell) {
  return static_cast<int64_t>(std::floor(static_cast<double>(x) / cell));
}

/**
 * A phantom value stored into a voxel of type T as a typed-array store stores it: float32 rounds to
 * nearest, integer types truncate toward zero and wrap modulo 2^bits (ToUint8, ToInt16, ...). Phantom
 * values are finite and within [0, 2^31) (blobs below 100 + 40 + 27 * 1000, bone below 1060), so
 * truncation through int32 is exact and the narrowing casts wrap as ToIntN does.
 */
template <typename T>
VOXELFLOW_INLINE T Store(double v) {
  if constexpr (std::is_floating_point<T>::value) {
    return static_cast<T>(v);
  } else {
    return static_cast<T>(static_cast<uint32_t>(static_cast<int32_t>(v)));
  }
}

/** Converts `n` phantom values into `out`. */
template <typename T>
VOXELFLOW_INLINE void StoreRow(const double* __restrict values, int64_t n, T* __restrict out) {
  for (int64_t i = 0; i < n; i++) out[i] = Store<T>(values[i]);
}

}  // namespace phantom_detail
}  // namespace voxelflow
