// Preprocessing kernels of tomography, twins of tomo/kernels/{average-frames,flat-field,minus-log,
// dezinger}.ts, with the same arithmetic (double where the twin computes in double, then rounded to
// float) so that both give the same floats.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "tomo_minus_log.h"

namespace voxelflow {

namespace preprocess_detail {
/** A strict weak order with NaN after every number, as typed-array sort puts it. */
inline bool NanLast(double a, double b) { return a < b || (!std::isnan(a) && std::isnan(b)); }
}  // namespace preprocess_detail

/** Per-pixel mean (method 0) or median (method 1) of `count` frames of `size` pixels. */
inline void AverageFrames(const float* frames, int64_t count, int64_t size, int method, float* out) {
  if (method == 0) {
    std::vector<double> sum(size, 0.0);
    for (int64_t f = 0; f < count; f++) {
      const float* frame = frames + f * size;
      for (int64_t p = 0; p < size; p++) sum[p] += frame[p];
    }
    for (int64_t p = 0; p < size; p++) out[p] = static_cast<float>(sum[p] / static_cast<double>(count));
    return;
  }
  std::vector<double> column(count);
  const int64_t mid = count / 2;
  for (int64_t p = 0; p < size; p++) {
    for (int64_t f = 0; f < count; f++) column[f] = frames[f * size + p];
    std::sort(column.begin(), column.end(), preprocess_detail::NanLast);
    out[p] = static_cast<float>(count % 2 == 1 ? column[mid] : (column[mid - 1] + column[mid]) / 2.0);
  }
}

/** (I - dark) / max(flat - dark, eps), the flat interpolated by projection index when `after` is set. */
inline void FlatField(const float* data, int64_t count, int64_t size, int64_t first, int64_t total, const float* dark,
                      const float* before, const float* after, double eps, float* out) {
  for (int64_t k = 0; k < count; k++) {
    const double w = after == nullptr || total < 2 ? 0.0 : static_cast<double>(first + k) / static_cast<double>(total - 1);
    const float* in = data + k * size;
    float* o = out + k * size;
    for (int64_t p = 0; p < size; p++) {
      const double d = dark[p];
      const double f = after == nullptr ? static_cast<double>(before[p]) : (1.0 - w) * before[p] + w * after[p];
      const double denominator = f - d;
      o[p] = static_cast<float>((static_cast<double>(in[p]) - d) / (denominator > eps ? denominator : eps));
    }
  }
}

/** -log of transmission clamped to [lo, 1/lo]; NaN becomes lo. */
inline void MinusLog(const float* data, int64_t n, double lo, float* out) {
  if (lo >= 1e-300 && lo <= 1.0) return MinusLogLanes(data, n, lo, out);
  const double hi = 1.0 / lo;
  for (int64_t i = 0; i < n; i++) {
    const double t = data[i];
    out[i] = static_cast<float>(-std::log(t > lo ? (t < hi ? t : hi) : lo));
  }
}

/** Replaces pixels above their 3x3 median (edges replicated) by more than `threshold` with the median. */
inline void Dezinger(const float* data, int64_t frames, int64_t rows, int64_t cols, double threshold, float* out) {
  const int64_t size = rows * cols;
  double window[9];
  for (int64_t f = 0; f < frames; f++) {
    const float* in = data + f * size;
    float* o = out + f * size;
    for (int64_t y = 0; y < rows; y++) {
      const int64_t ys[3] = {y > 0 ? y - 1 : 0, y, y < rows - 1 ? y + 1 : rows - 1};
      for (int64_t x = 0; x < cols; x++) {
        const int64_t x0 = x > 0 ? x - 1 : 0;
        const int64_t x2 = x < cols - 1 ? x + 1 : cols - 1;
        for (int r = 0; r < 3; r++) {
          const float* row = in + ys[r] * cols;
          window[3 * r] = row[x0];
          window[3 * r + 1] = row[x];
          window[3 * r + 2] = row[x2];
        }
        std::nth_element(window, window + 4, window + 9, preprocess_detail::NanLast);
        const double median = window[4];
        const double v = in[y * cols + x];
        o[y * cols + x] = static_cast<float>(v - median > threshold ? median : v);
      }
    }
  }
}

}  // namespace voxelflow
