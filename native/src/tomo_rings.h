// Vo's sorting-based stripe removal, twin of tomo/kernels/remove-stripes.ts: each column sorted along
// the angles (stable), the sorted sinogram median-filtered across columns (window `size`, edges
// reflected as scipy's mode 'reflect'), values returned to their angles.
#pragma once
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace voxelflow {

inline int64_t ReflectIndex(int64_t j, int64_t n) {
  const int64_t period = 2 * n;
  int64_t k = ((j % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

inline void RemoveStripes(const float* sino, int64_t angles, int64_t cols, int64_t size, float* out) {
  std::vector<uint32_t> order(angles * cols);
  std::vector<float> sorted(angles * cols);
  std::vector<uint32_t> index(angles);
  for (int64_t c = 0; c < cols; c++) {
    std::iota(index.begin(), index.end(), 0u);
    std::stable_sort(index.begin(), index.end(), [&](uint32_t p, uint32_t q) { return sino[p * cols + c] < sino[q * cols + c]; });
    for (int64_t i = 0; i < angles; i++) {
      order[c * angles + i] = index[i];
      sorted[i * cols + c] = sino[static_cast<int64_t>(index[i]) * cols + c];
    }
  }
  const int64_t half = size / 2;
  std::vector<float> window(size);
  for (int64_t i = 0; i < angles; i++) {
    for (int64_t c = 0; c < cols; c++) {
      for (int64_t k = -half; k <= half; k++) window[k + half] = sorted[i * cols + ReflectIndex(c + k, cols)];
      std::nth_element(window.begin(), window.begin() + half, window.end());
      out[static_cast<int64_t>(order[c * angles + i]) * cols + c] = window[half];
    }
  }
}

}  // namespace voxelflow
