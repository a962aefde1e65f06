// Paganin's single-distance phase retrieval, twin of tomo/kernels/paganin.ts: each frame padded to
// powers of two >= twice its size (edges replicated), 2D FFT, multiplied by
// 1 / (1 + coefficient * |u|^2), inverse FFT, the frame cut back out. In double, as the twin.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "tomo_fft.h"

namespace voxelflow {

inline int64_t NextPow2(int64_t n) {
  int64_t p = 1;
  while (p < n) p *= 2;
  return p;
}

inline void Paganin(const float* data, int64_t frames, int64_t rows, int64_t cols, double coefficient, double pixel, float* out) {
  const int64_t py = NextPow2(2 * rows), px = NextPow2(2 * cols);
  const int64_t top = (py - rows) / 2, left = (px - cols) / 2;
  const FftPlan rowPlan(static_cast<size_t>(px)), colPlan(static_cast<size_t>(py));
  std::vector<double> re(py * px), im(py * px), cr(py), ci(py);
  std::vector<double> fy(py), fx(px);
  for (int64_t k = 0; k < py; k++) fy[k] = static_cast<double>(k < py / 2 ? k : k - py) / (static_cast<double>(py) * pixel);
  for (int64_t k = 0; k < px; k++) fx[k] = static_cast<double>(k < px / 2 ? k : k - px) / (static_cast<double>(px) * pixel);
  const auto rowsPass = [&](bool inverse) {
    for (int64_t y = 0; y < py; y++) rowPlan.Run(re.data() + y * px, im.data() + y * px, inverse);
  };
  const auto colsPass = [&](bool inverse) {
    for (int64_t x = 0; x < px; x++) {
      for (int64_t y = 0; y < py; y++) {
        cr[y] = re[y * px + x];
        ci[y] = im[y * px + x];
      }
      colPlan.Run(cr.data(), ci.data(), inverse);
      for (int64_t y = 0; y < py; y++) {
        re[y * px + x] = cr[y];
        im[y * px + x] = ci[y];
      }
    }
  };
  for (int64_t f = 0; f < frames; f++) {
    const float* in = data + f * rows * cols;
    for (int64_t y = 0; y < py; y++) {
      const int64_t sy = std::min(rows - 1, std::max<int64_t>(0, y - top));
      for (int64_t x = 0; x < px; x++) re[y * px + x] = in[sy * cols + std::min(cols - 1, std::max<int64_t>(0, x - left))];
    }
    std::fill(im.begin(), im.end(), 0.0);
    rowsPass(false);
    colsPass(false);
    for (int64_t ky = 0; ky < py; ky++) {
      for (int64_t kx = 0; kx < px; kx++) {
        const double h = 1.0 / (1.0 + coefficient * (fx[kx] * fx[kx] + fy[ky] * fy[ky]));
        re[ky * px + kx] *= h;
        im[ky * px + kx] *= h;
      }
    }
    rowsPass(true);
    colsPass(true);
    float* o = out + f * rows * cols;
    for (int64_t y = 0; y < rows; y++) {
      for (int64_t x = 0; x < cols; x++) o[y * cols + x] = static_cast<float>(re[(y + top) * px + x + left]);
    }
  }
}

}  // namespace voxelflow
