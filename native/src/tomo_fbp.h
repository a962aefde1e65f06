// Filtered back-projection kernels, twins of tomo/kernels/filter-lines.ts and back-project.ts.
//
// FilterLines filters two real lines per complex FFT (one as the real part, one as the imaginary): the
// filter is real and even, so the two results come back separated in the real and imaginary parts.
// Where GCC vector extensions exist, the transforms run in float, one per SIMD lane
// (tomo_filter_lanes.h); elsewhere one at a time in double.
//
// BackProject takes several slices (detector rows) at once. With AVX-512 it goes four slices at a time,
// sharing each position's arithmetic (tomo_bp_slices.h). Without, it accumulates a tile of rows of one
// slice in float, angle by angle, so that the tile and the few hundred values of each filtered line it
// reads stay in L1. The column a pixel reads is linear along a row, `pos = base + x cos(theta)`, and
// within the reconstruction circle it stays inside the filtered line (its margin covers the whole circle
// for centres within ~0.4 N of the middle), so the inner loop has no bounds checks: with AVX2 it reads
// eight pixels' neighbours with two gathers and one FMA. Rows whose span leaves the line take a checked
// scalar loop with numpy interp's rule (zero outside, the last value at the last position).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define VOXELFLOW_FBP_AVX2 1
#endif

#include "tomo_bp_slices.h"
#include "tomo_fft.h"
#include "tomo_filter_lanes.h"

namespace voxelflow {

/** FilterLines without GCC vector extensions: one line pair per double-precision FFT. */
inline void FilterLinesScalar(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
  const FftPlan plan(static_cast<size_t>(size));
  const int64_t margin = size / 2 - columns;
  const int64_t width = size - columns;
  std::vector<double> re(size), im(size);
  for (int64_t l = 0; l < count; l += 2) {
    const bool pair = l + 1 < count;
    std::fill(re.begin(), re.end(), 0.0);
    std::fill(im.begin(), im.end(), 0.0);
    for (int64_t c = 0; c < columns; c++) re[c] = lines[l * stride + c];
    if (pair) for (int64_t c = 0; c < columns; c++) im[c] = lines[(l + 1) * stride + c];
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

/**
 * Filters `count` lines of `columns` floats, line l at `lines + l * stride`, with `filter` (length P)
 * into packed lines of P - columns floats.
 */
inline void FilterLines(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
#if defined(__GNUC__)
  FilterLinesLanes(lines, count, columns, stride, filter, size, out);
#else
  FilterLinesScalar(lines, count, columns, stride, filter, size, out);
#endif
}

/** What BackProject needs besides the arrays; see tomo/kernels/back-project.ts. */
struct FbpGeometry {
  int64_t size, width, margin;
  double center;
  int64_t row0, col0, rows, cols;
};

namespace fbp_detail {

using bp_slices::Checked;

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

inline bool HasAvx2() { return TomoIsaLevel() >= TomoIsa::kAvx2; }
#endif

}  // namespace fbp_detail

/** The columns inside the reconstruction circle of each row of the box, [lo, hi) in box coordinates. */
inline void CircleSpans(const FbpGeometry& g, int64_t* lo, int64_t* hi) {
  const int64_t r = g.size / 2;
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
}

namespace fbp_detail {

/** One slice, accumulated into `out` (unscaled), without AVX-512: tiles of rows, angle by angle. */
inline void OneSlice(const float* lines, int64_t angles, const double* cosines, const double* sines, const FbpGeometry& g, const int64_t* lo, const int64_t* hi, float* out) {
  const int64_t r = g.size / 2;
#ifdef VOXELFLOW_FBP_AVX2
  const bool avx2 = HasAvx2();
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
}

}  // namespace fbp_detail

/**
 * Writes the `rows x cols` box of `slices` slices, each back-projected from its `angles` filtered lines
 * of `width` floats (`lines`: `[slice][angle][width]`, `out`: `[slice][row][col]`). `cosines`/`sines`
 * are per angle. With AVX-512 the slices go four at a time (tomo_bp_slices.h).
 *
 * With `accumulate`, the unscaled sums are added to `out` instead. Each pixel's angles are summed one
 * after the other into float, starting from what `out` holds, so calls over consecutive runs of angles
 * accumulate exactly the sums of one call over all of them, before its scaling.
 */
inline void BackProject(const float* lines, int64_t slices, int64_t angles, const double* cosines, const double* sines, const FbpGeometry& g, bool accumulate, float* out) {
  const int64_t r = g.size / 2;
  const int64_t plane = g.rows * g.cols;
  const int64_t stride = angles * g.width;
  std::vector<int64_t> lo(g.rows), hi(g.rows);
  CircleSpans(g, lo.data(), hi.data());
  if (!accumulate) std::fill(out, out + slices * plane, 0.0f);
#if defined(__GNUC__) && defined(__x86_64__)
  if (bp_slices::Available()) {
    const double shift = g.center + static_cast<double>(g.margin);
    for (int64_t s0 = 0; s0 < slices; s0 += bp_slices::kSlices) {
      const float* in = lines + s0 * stride;
      float* o = out + s0 * plane;
      const int64_t i0 = g.row0 - r, j0 = g.col0 - r;
      switch (std::min<int64_t>(bp_slices::kSlices, slices - s0)) {
        case 4: bp_slices::Slices<4>(in, stride, angles, cosines, sines, g.width, shift, i0, j0, g.rows, g.cols, lo.data(), hi.data(), o, plane); break;
        case 3: bp_slices::Slices<3>(in, stride, angles, cosines, sines, g.width, shift, i0, j0, g.rows, g.cols, lo.data(), hi.data(), o, plane); break;
        case 2: bp_slices::Slices<2>(in, stride, angles, cosines, sines, g.width, shift, i0, j0, g.rows, g.cols, lo.data(), hi.data(), o, plane); break;
        default: bp_slices::Slices<1>(in, stride, angles, cosines, sines, g.width, shift, i0, j0, g.rows, g.cols, lo.data(), hi.data(), o, plane); break;
      }
    }
  } else
#endif
  {
    for (int64_t s = 0; s < slices; s++) fbp_detail::OneSlice(lines + s * stride, angles, cosines, sines, g, lo.data(), hi.data(), out + s * plane);
  }
  if (accumulate) return;
  const float scale = static_cast<float>(M_PI / (2.0 * static_cast<double>(angles)));
  for (int64_t s = 0; s < slices; s++) {
    for (int64_t y = 0; y < g.rows; y++) {
      float* row = out + s * plane + y * g.cols;
      for (int64_t x = lo[y]; x < hi[y]; x++) row[x] *= scale;
    }
  }
}

}  // namespace voxelflow
