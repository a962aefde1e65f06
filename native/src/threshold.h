// Threshold kernel, twin of imaging/kernels/threshold.ts: out[i] = 1 where the voxel lies strictly
// inside (above, below), either bound optional; NaN is background. Values are compared as doubles, like
// the TypeScript kernel after widening, so every dtype gives the same answer on both backends.
#pragma once
#include <cstddef>
#include <cstdint>

namespace voxelflow {

/** Which bounds are set: the three loops of the TypeScript twin, kept apart so each vectorizes. */
enum class Bounds { kBetween = 0, kAboveOnly = 1, kBelowOnly = 2 };

template <typename T>
size_t Threshold(const T* src, size_t n, Bounds bounds, double above, double below, uint8_t* out) {
  size_t count = 0;
  switch (bounds) {
    case Bounds::kBetween:
      for (size_t i = 0; i < n; i++) {
        const double v = static_cast<double>(src[i]);
        const uint8_t f = (v > above) & (v < below);
        out[i] = f;
        count += f;
      }
      break;
    case Bounds::kAboveOnly:
      for (size_t i = 0; i < n; i++) {
        const uint8_t f = static_cast<double>(src[i]) > above;
        out[i] = f;
        count += f;
      }
      break;
    case Bounds::kBelowOnly:
      for (size_t i = 0; i < n; i++) {
        const uint8_t f = static_cast<double>(src[i]) < below;
        out[i] = f;
        count += f;
      }
      break;
  }
  return count;
}

}  // namespace voxelflow
