// -log of clamped transmission, vectorized: MinusLog (tomo_preprocess.h) calls MinusLogLanes.
//
// std::log is a library call per value, ~40% of a 256^3 reconstruction's correction. Here the natural
// log is computed in double by a branch-free formula the compiler vectorizes: x = m 2^e with m in
// [sqrt(1/2), sqrt(2)), log(m) = 2 atanh(s) = 2 (s + s^3/3 + ... + s^21/21) with s = (m - 1) / (m + 1),
// |s| <= 0.172, whose truncation error is below 1e-19. The exponent is read from the bits and made a
// double by the 2^52 trick (no integer-to-double conversion, which SSE2 and AVX2 lack for 64-bit).
// The double result is within a few ulp of std::log, so rounding to float gives std::log's float
// except where the value lies within ~1e-15 of a float rounding boundary (about one value in 10^8).
// Inputs must be normal doubles: the caller clamps to [lo, 1/lo] with lo normal.
#pragma once
#include <cstdint>
#include <cstring>

#include "tomo_isa.h"

namespace voxelflow {
namespace minus_log {

__attribute__((always_inline)) inline double Log(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  // m in [1, 2) and the biased exponent as a double: 2^52 + exponent bits, minus 2^52.
  const uint64_t mantissa = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  const uint64_t exponent = (bits >> 52) | 0x4330000000000000ULL;
  double m, e;
  std::memcpy(&m, &mantissa, sizeof m);
  std::memcpy(&e, &exponent, sizeof e);
  e -= 4503599627370496.0 + 1023.0;
  const bool high = m > 1.4142135623730951;
  m = high ? m * 0.5 : m;
  e = high ? e + 1.0 : e;
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double p = 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  // ln 2 split so that e * kLn2Hi is exact (e has at most 11 bits).
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  return e * kLn2Hi + (e * kLn2Lo + 2.0 * s * p);
}

__attribute__((always_inline)) inline void Run(const float* data, int64_t n, double lo, float* out) {
  const double hi = 1.0 / lo;
  for (int64_t i = 0; i < n; i++) {
    const double t = data[i];
    // NaN fails both compares and becomes lo, as in the twin.
    const double c = t > lo ? (t < hi ? t : hi) : lo;
    out[i] = static_cast<float>(-Log(c));
  }
}

inline void RunDefault(const float* data, int64_t n, double lo, float* out) { Run(data, n, lo, out); }

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx2,fma"))) inline void RunAvx2(const float* data, int64_t n, double lo, float* out) { Run(data, n, lo, out); }
__attribute__((target("avx512f,avx512dq"))) inline void RunAvx512(const float* data, int64_t n, double lo, float* out) { Run(data, n, lo, out); }
#endif

}  // namespace minus_log

/** MinusLog for lo in [1e-300, 1]: [lo, 1/lo] is normal, as minus_log::Log needs. */
inline void MinusLogLanes(const float* data, int64_t n, double lo, float* out) {
#if defined(__GNUC__) && defined(__x86_64__)
  if (TomoIsaLevel() == TomoIsa::kAvx512) return minus_log::RunAvx512(data, n, lo, out);
  if (TomoIsaLevel() == TomoIsa::kAvx2) return minus_log::RunAvx2(data, n, lo, out);
#endif
  minus_log::RunDefault(data, n, lo, out);
}

}  // namespace voxelflow
