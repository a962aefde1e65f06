// Filtered back-projection kernels, twins of tomo/kernels/filter-lines.ts and back-project.ts.
//
// FilterLines filters two real lines per complex FFT (one as the real part, one as the imaginary): the
// filter is real and even, so the two results come back separated in the real and imaginary parts.
//
// BackProject accumulates a tile of rows in float, angle by angle, so that the tile and the few hundred
// values of each filtered line it reads stay in L1. The column a pixel reads is linear along a row,
// `pos = base + x cos(theta)`, and within the reconstruction circle it stays inside the filtered line
// (its margin covers the whole circle for centres within ~0.4 N of the middle), so the inner loop has no
// bounds checks: with AVX-512 it reads sixteen pixels' neighbours with two loads and two permutes, with
// AVX2 eight with two gathers, and one FMA either way. Rows whose
// span leaves the line take a checked scalar loop with numpy interp's rule (zero outside, the last
// value at the last position).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define VOXELFLOW_FBP_AVX2 1
#endif

#include "tomo_fft.h"

namespace voxelflow {

/** Filters `count` lines of `columns` floats with `filter` (length P) into lines of P - columns floats. */
inline void FilterLines(const float* lines, int64_t count, int64_t columns, const double* filter, int64_t size, float* out) {
  const FftPlan plan(static_cast<size_t>(size));
  const int64_t margin = size / 2 - columns;
  const int64_t width = size - columns;
  std::vector<double> re(size), im(size);
  for (int64_t l = 0; l < count; l += 2) {
    const bool pair = l + 1 < count;
    std::fill(re.begin(), re.end(), 0.0);
    std::fill(im.begin(), im.end(), 0.0);
    for (int64_t c = 0; c < columns; c++) re[c] = lines[l * columns + c];
    if (pair) for (int64_t c = 0; c < columns; c++) im[c] = lines[(l + 1) * columns + c];
    plan.Run(re.data(), im.data(), false);
    for (int64_t k = 0; k < size; k++) {
      re[k] *= filter[k];
      im[k] *= filter[k];
    }
    plan.Run(re.data(), im.data(), true);
    for (int64_t k = 0; k < width; k++) {
      const int64_t at = (k - margin + size) % size;
      out[l * width + k] = static_cast<float>(re[at]);
      if (pair) out[(l + 1) * width + k] = static_cast<float>(im[at]);
    }
  }
}

/** What BackProject needs besides the arrays; see tomo/kernels/back-project.ts. */
struct FbpGeometry {
  int64_t size, width, margin;
  double center;
  int64_t row0, col0, rows, cols;
};

namespace fbp_detail {

/** numpy interp's value at pos on a line of `width` values: zero outside [0, width - 1]. */
inline float Checked(const float* q, int64_t width, double pos) {
  if (!(pos >= 0.0 && pos <= static_cast<double>(width - 1))) return 0.0f;
  const int64_t k = static_cast<int64_t>(pos);
  if (k == width - 1) return q[k];
  const float w = static_cast<float>(pos - static_cast<double>(k));
  return q[k] + w * (q[k + 1] - q[k]);
}

inline void SpanScalar(const float* q, float base, float step, float* acc, int64_t n) {
  for (int64_t x = 0; x < n; x++) {
    const float pos = base + static_cast<float>(x) * step;
    const int32_t k = static_cast<int32_t>(pos);
    const float w = pos - static_cast<float>(k);
    acc[x] += q[k] + w * (q[k + 1] - q[k]);
  }
}

#ifdef VOXELFLOW_FBP_AVX2
__attribute__((target("avx2,fma"))) inline void SpanAvx2(const float* q, float base, float step, float* acc, int64_t n) {
  const __m256 lane = _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256 vstep = _mm256_set1_ps(step);
  const __m256 vbase = _mm256_set1_ps(base);
  int64_t x = 0;
  for (; x + 8 <= n; x += 8) {
    const __m256 pos = _mm256_fmadd_ps(_mm256_add_ps(_mm256_set1_ps(static_cast<float>(x)), lane), vstep, vbase);
    const __m256i k = _mm256_cvttps_epi32(pos);
    const __m256 w = _mm256_sub_ps(pos, _mm256_cvtepi32_ps(k));
    const __m256 a = _mm256_i32gather_ps(q, k, 4);
    const __m256 b = _mm256_i32gather_ps(q + 1, k, 4);
    _mm256_storeu_ps(acc + x, _mm256_add_ps(_mm256_loadu_ps(acc + x), _mm256_fmadd_ps(w, _mm256_sub_ps(b, a), a)));
  }
  SpanScalar(q, base + static_cast<float>(x) * step, step, acc + x, n - x);
}

// With AVX-512 there are no gathers: along a run of 16 pixels the column moves by at most 16 (|cos| <= 1),
// so the 32 values from the run's first column hold every neighbour the run reads, and two
// two-register permutes pick them. Masked loads keep the last line's reads inside the array.
__attribute__((target("avx512f,fma"))) inline void SpanAvx512(const float* q, int64_t width, float base, float step, float* acc, int64_t n) {
  const __m512 lane = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512 vstep = _mm512_set1_ps(step);
  const __m512 vbase = _mm512_set1_ps(base);
  const __m512i one = _mm512_set1_epi32(1);
  int64_t x = 0;
  for (; x + 16 <= n; x += 16) {
    const float fx = static_cast<float>(x);
    const __m512 pos = _mm512_fmadd_ps(_mm512_add_ps(_mm512_set1_ps(fx), lane), vstep, vbase);
    const __m512i k = _mm512_cvttps_epi32(pos);
    // Lanes 0 and 15 computed as the vector computes them; positions are monotone along the run.
    const int32_t k0 = static_cast<int32_t>(std::min(std::fma(fx, step, base), std::fma(fx + 15.0f, step, base)));
    const int64_t avail = width - k0;
    const __mmask16 mlo = avail >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << avail) - 1);
    const __mmask16 mhi = avail >= 32 ? 0xFFFF : avail > 16 ? static_cast<__mmask16>((1u << (avail - 16)) - 1) : 0;
    const __m512 lo = _mm512_maskz_loadu_ps(mlo, q + k0);
    const __m512 hi = _mm512_maskz_loadu_ps(mhi, q + k0 + 16);
    const __m512i idx = _mm512_sub_epi32(k, _mm512_set1_epi32(k0));
    const __m512 a = _mm512_permutex2var_ps(lo, idx, hi);
    const __m512 b = _mm512_permutex2var_ps(lo, _mm512_add_epi32(idx, one), hi);
    const __m512 w = _mm512_sub_ps(pos, _mm512_cvtepi32_ps(k));
    _mm512_storeu_ps(acc + x, _mm512_add_ps(_mm512_loadu_ps(acc + x), _mm512_fmadd_ps(w, _mm512_sub_ps(b, a), a)));
  }
  SpanScalar(q, base + static_cast<float>(x) * step, step, acc + x, n - x);
}

inline bool HasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  return has;
}

inline bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}
#endif

}  // namespace fbp_detail

/**
 * Writes the `rows x cols` box of the slice back-projected from `angles` filtered lines of `width`
 * floats. `cosines`/`sines` are per angle.
 */
inline void BackProject(const float* lines, int64_t angles, const double* cosines, const double* sines, const FbpGeometry& g, float* out) {
  using namespace fbp_detail;
  const int64_t r = g.size / 2;
  const float scale = static_cast<float>(M_PI / (2.0 * static_cast<double>(angles)));
  // Per row of the box: the columns inside the circle, [lo, hi) in box coordinates.
  std::vector<int64_t> lo(g.rows), hi(g.rows);
  for (int64_t y = 0; y < g.rows; y++) {
    const int64_t i = g.row0 + y - r;
    int64_t h = -1;
    if (i * i <= r * r) {
      h = static_cast<int64_t>(std::sqrt(static_cast<double>(r * r - i * i)));
      while (h * h > r * r - i * i) h--;
      while ((h + 1) * (h + 1) <= r * r - i * i) h++;
    }
    lo[y] = std::max<int64_t>(0, r - h - g.col0);
    hi[y] = std::max(lo[y], std::min<int64_t>(g.cols, r + h + 1 - g.col0));
  }
  std::fill(out, out + g.rows * g.cols, 0.0f);
#ifdef VOXELFLOW_FBP_AVX2
  const bool avx2 = HasAvx2();
  const bool avx512 = HasAvx512();
#endif
  const double last = static_cast<double>(g.width - 1);
  constexpr int64_t kTile = 8;
  for (int64_t y0 = 0; y0 < g.rows; y0 += kTile) {
    const int64_t y1 = std::min(g.rows, y0 + kTile);
    for (int64_t a = 0; a < angles; a++) {
      const float* q = lines + a * g.width;
      const double c = cosines[a], s = sines[a];
      for (int64_t y = y0; y < y1; y++) {
        const int64_t n = hi[y] - lo[y];
        if (n <= 0) continue;
        const double i = static_cast<double>(g.row0 + y - r);
        const double j0 = static_cast<double>(g.col0 + lo[y] - r);
        const double base = j0 * c - i * s + g.center + static_cast<double>(g.margin);
        const double end = base + static_cast<double>(n - 1) * c;
        float* acc = out + y * g.cols + lo[y];
        // Both ends at least one position inside the line: every position is (it is linear in x).
        if (std::min(base, end) >= 0.0 && std::max(base, end) < last - 1e-3) {
#ifdef VOXELFLOW_FBP_AVX2
          if (avx512) {
            SpanAvx512(q, g.width, static_cast<float>(base), static_cast<float>(c), acc, n);
            continue;
          }
          if (avx2) {
            SpanAvx2(q, static_cast<float>(base), static_cast<float>(c), acc, n);
            continue;
          }
#endif
          SpanScalar(q, static_cast<float>(base), static_cast<float>(c), acc, n);
        } else {
          for (int64_t x = 0; x < n; x++) acc[x] += Checked(q, g.width, base + static_cast<double>(x) * c);
        }
      }
    }
  }
  for (int64_t y = 0; y < g.rows; y++) {
    for (int64_t x = lo[y]; x < hi[y]; x++) out[y * g.cols + x] *= scale;
  }
}

}  // namespace voxelflow
