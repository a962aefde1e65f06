// A small radix-2 complex FFT (iterative Cooley-Tukey), twin of tomo/kernels/fft.ts, for filtering
// sinogram lines. Sizes are powers of two; twiddles are computed once per plan. FFTW is GPL, and the
// filter needs only one size per reconstruction, so a plan object is enough.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace voxelflow {

/** Bit reversal and twiddles of one power-of-two size. */
class FftPlan {
 public:
  explicit FftPlan(size_t n) : n_(n), cos_(n / 2), sin_(n / 2), swap_() {
    for (size_t k = 0; k < n / 2; k++) {
      cos_[k] = std::cos(2.0 * M_PI * static_cast<double>(k) / static_cast<double>(n));
      sin_[k] = std::sin(2.0 * M_PI * static_cast<double>(k) / static_cast<double>(n));
    }
    for (size_t i = 1, j = 0; i < n; i++) {
      size_t bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) swap_.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
    }
  }
  size_t size() const { return n_; }

  /** In place: the forward DFT (e^{-2 pi i jk/n}), or the inverse with its 1/n factor. */
  void Run(double* re, double* im, bool inverse) const {
    for (const auto& s : swap_) {
      std::swap(re[s.a], re[s.b]);
      std::swap(im[s.a], im[s.b]);
    }
    const double sign = inverse ? 1.0 : -1.0;
    for (size_t len = 2; len <= n_; len *= 2) {
      const size_t half = len / 2;
      const size_t stride = n_ / len;
      for (size_t start = 0; start < n_; start += len) {
        for (size_t k = 0; k < half; k++) {
          const double wr = cos_[k * stride];
          const double wi = sign * sin_[k * stride];
          const size_t a = start + k;
          const size_t b = a + half;
          const double xr = re[b] * wr - im[b] * wi;
          const double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    if (inverse) {
      const double scale = 1.0 / static_cast<double>(n_);
      for (size_t i = 0; i < n_; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
    }
  }

 private:
  struct Swap {
    uint32_t a, b;
  };
  size_t n_;
  std::vector<double> cos_, sin_;
  std::vector<Swap> swap_;
};

/**
 * 2D FFT in place of a `rows x cols` complex array in C order (both powers of two): rows first, then
 * columns, eight columns at a time through a small transposed buffer (a column's values are a row
 * apart). The twin of tomo/kernels/fft.ts's fft2.
 */
inline void Fft2(double* re, double* im, int64_t rows, int64_t cols, bool inverse) {
  const FftPlan across(static_cast<size_t>(cols));
  for (int64_t y = 0; y < rows; y++) across.Run(re + y * cols, im + y * cols, inverse);
  const FftPlan down(static_cast<size_t>(rows));
  constexpr int64_t kColumns = 8;
  std::vector<double> cr(kColumns * rows), ci(kColumns * rows);
  for (int64_t x0 = 0; x0 < cols; x0 += kColumns) {
    const int64_t n = std::min(kColumns, cols - x0);
    for (int64_t y = 0; y < rows; y++) {
      for (int64_t k = 0; k < n; k++) {
        cr[k * rows + y] = re[y * cols + x0 + k];
        ci[k * rows + y] = im[y * cols + x0 + k];
      }
    }
    for (int64_t k = 0; k < n; k++) down.Run(cr.data() + k * rows, ci.data() + k * rows, inverse);
    for (int64_t y = 0; y < rows; y++) {
      for (int64_t k = 0; k < n; k++) {
        re[y * cols + x0 + k] = cr[k * rows + y];
        im[y * cols + x0 + k] = ci[k * rows + y];
      }
    }
  }
}

}  // namespace voxelflow
