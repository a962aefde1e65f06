// Filtering of sinogram lines in batches, one line pair per SIMD lane: the twin of
// tomo/kernels/filter-lines.ts that FilterLines (tomo_fbp.h) runs where GCC vector extensions exist.
//
// A sinogram's lines all take the same FFT, so instead of vectorizing inside one transform, L transforms
// run side by side, lane l of every vector belonging to transform l (the "vertical" layout of batched
// FFTs). Each transform carries two real lines (one as the real part, one as the imaginary: the filter is
// real and even, so their results come back separated), so a batch filters 2L lines. The forward
// transform is decimation in frequency (natural order in, bit-reversed out) and the inverse decimation
// in time (bit-reversed in, natural out): with the filter applied in bit-reversed order, no permutation
// is ever done. The first forward stage knows that the upper half of the zero-padded input is zero.
// Float arithmetic, twiddles computed in double: the result is within ~1e-6 of the double twin.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tomo_isa.h"

namespace voxelflow {
namespace filter_lanes {

/** What every batch of one FilterLines call shares: per-stage twiddles and the bit-reversed filter. */
struct Plan {
  int64_t size = 0;
  std::vector<float> wr, wi;  // stage len's twiddles start at size - len: e^{-2 pi i j / len}, j < len/2
  std::vector<float> filter;  // filter[bitrev(k)], scaled by 1/size (the inverse transform's factor)
  Plan(int64_t n, const double* f) : size(n), wr(n), wi(n), filter(n) {
    for (int64_t len = 2; len <= n; len *= 2) {
      for (int64_t j = 0; j < len / 2; j++) {
        const double t = -2.0 * M_PI * static_cast<double>(j) / static_cast<double>(len);
        wr[n - len + j] = static_cast<float>(std::cos(t));
        wi[n - len + j] = static_cast<float>(std::sin(t));
      }
    }
    int bits = 0;
    while ((int64_t{1} << bits) < n) bits++;
    for (int64_t k = 0; k < n; k++) {
      int64_t r = 0;
      for (int b = 0; b < bits; b++) r |= ((k >> b) & 1) << (bits - 1 - b);
      filter[k] = static_cast<float>(f[r] / static_cast<double>(n));
    }
  }
};

/**
 * Filters lines [first, first + 2L) (those below `count`) of `lines` into `out`, with `re`/`im` as
 * scratch of `size` vectors each. V is a GCC vector of L floats.
 */
template <typename V, int L>
__attribute__((always_inline)) inline void Batch(const Plan& p, const float* lines, int64_t count, int64_t columns, int64_t stride, int64_t first, float* out, V* re, V* im) {
  const int64_t n = p.size;
  const int64_t width = n - columns;
  const int64_t margin = n / 2 - columns;
  const int64_t h0 = n / 2;
  // Load and the first DIF stage at once: x[j + n/2] is zero (n/2 > columns), so the pair
  // (x[j], 0) becomes (x[j], x[j] w^j); the rest of the lower half is zero.
  for (int64_t c = 0; c < h0; c++) {
    V a = {}, b = {};
    if (c < columns) {
      for (int l = 0; l < L; l++) {
        const int64_t line = first + 2 * l;
        a[l] = line < count ? lines[line * stride + c] : 0.0f;
        b[l] = line + 1 < count ? lines[(line + 1) * stride + c] : 0.0f;
      }
    }
    const float wr = p.wr[c], wi = p.wi[c];
    re[c] = a;
    im[c] = b;
    re[c + h0] = a * wr - b * wi;
    im[c + h0] = a * wi + b * wr;
  }
  // The remaining DIF stages, natural order in, bit-reversed out.
  for (int64_t len = n / 2; len >= 2; len /= 2) {
    const int64_t half = len / 2;
    const float* twr = p.wr.data() + (n - len);
    const float* twi = p.wi.data() + (n - len);
    for (int64_t start = 0; start < n; start += len) {
      V* r0 = re + start;
      V* i0 = im + start;
      for (int64_t j = 0; j < half; j++) {
        const V ar = r0[j], ai = i0[j], br = r0[j + half], bi = i0[j + half];
        const V dr = ar - br, di = ai - bi;
        r0[j] = ar + br;
        i0[j] = ai + bi;
        r0[j + half] = dr * twr[j] - di * twi[j];
        i0[j + half] = dr * twi[j] + di * twr[j];
      }
    }
  }
  for (int64_t k = 0; k < n; k++) {
    re[k] *= p.filter[k];
    im[k] *= p.filter[k];
  }
  // DIT inverse, bit-reversed in, natural out: twiddles conjugated.
  for (int64_t len = 2; len <= n; len *= 2) {
    const int64_t half = len / 2;
    const float* twr = p.wr.data() + (n - len);
    const float* twi = p.wi.data() + (n - len);
    for (int64_t start = 0; start < n; start += len) {
      V* r0 = re + start;
      V* i0 = im + start;
      for (int64_t j = 0; j < half; j++) {
        const V br = r0[j + half], bi = i0[j + half];
        const V tr = br * twr[j] + bi * twi[j];
        const V ti = bi * twr[j] - br * twi[j];
        const V ar = r0[j], ai = i0[j];
        r0[j] = ar + tr;
        i0[j] = ai + ti;
        r0[j + half] = ar - tr;
        i0[j + half] = ai - ti;
      }
    }
  }
  // out column k is detector column k - margin, at index (k - margin) mod n of the circular result.
  for (int l = 0; l < L; l++) {
    const int64_t line = first + 2 * l;
    if (line >= count) break;
    float* a = out + line * width;
    float* b = line + 1 < count ? out + (line + 1) * width : nullptr;
    for (int64_t k = 0; k < width; k++) {
      const int64_t at = k < margin ? k - margin + n : k - margin;
      a[k] = re[at][l];
      if (b != nullptr) b[k] = im[at][l];
    }
  }
}

template <typename V, int L>
__attribute__((always_inline)) inline void Run(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
  const Plan plan(size, filter);
  // std::vector<V> does not promise V's 64-byte alignment where V is wider than the compile's default
  // vectors, so the scratch is aligned by hand.
  std::vector<float> scratch(2 * size * L + L);
  const uintptr_t at = reinterpret_cast<uintptr_t>(scratch.data());
  V* re = reinterpret_cast<V*>(at + (sizeof(V) - at % sizeof(V)) % sizeof(V));
  V* im = re + size;
  for (int64_t first = 0; first < count; first += 2 * L) Batch<V, L>(plan, lines, count, columns, stride, first, out, re, im);
}

typedef float V4 __attribute__((vector_size(16)));
typedef float V8 __attribute__((vector_size(32)));
typedef float V16 __attribute__((vector_size(64)));

inline void Run4(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
  Run<V4, 4>(lines, count, columns, stride, filter, size, out);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline void Run8(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
  Run<V8, 8>(lines, count, columns, stride, filter, size, out);
}
__attribute__((target("avx512f"))) inline void Run16(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
  Run<V16, 16>(lines, count, columns, stride, filter, size, out);
}
#endif

}  // namespace filter_lanes

/** FilterLines' batched form: 32, 16 or 8 lines per batch as the CPU allows (tomo_fbp.h's contract). */
inline void FilterLinesLanes(const float* lines, int64_t count, int64_t columns, int64_t stride, const double* filter, int64_t size, float* out) {
#if defined(__x86_64__)
  if (TomoIsaLevel() == TomoIsa::kAvx512) return filter_lanes::Run16(lines, count, columns, stride, filter, size, out);
  if (TomoIsaLevel() == TomoIsa::kAvx2) return filter_lanes::Run8(lines, count, columns, stride, filter, size, out);
#endif
  filter_lanes::Run4(lines, count, columns, stride, filter, size, out);
}

}  // namespace voxelflow
