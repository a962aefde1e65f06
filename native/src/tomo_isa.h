// Which vector instructions the tomography kernels use: the best the CPU has, or less when
// VOXELFLOW_TOMO_ISA says so ('avx512', 'avx2' or 'generic', read once). The lower paths are what
// machines without AVX-512 run; the variable lets the tests run them on one that has it.
#pragma once
#include <cstdlib>
#include <cstring>

namespace voxelflow {

enum class TomoIsa { kGeneric = 0, kAvx2 = 1, kAvx512 = 2 };

inline TomoIsa TomoIsaLevel() {
  static const TomoIsa level = [] {
    TomoIsa best = TomoIsa::kGeneric;
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = TomoIsa::kAvx2;
    if (best == TomoIsa::kAvx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) best = TomoIsa::kAvx512;
#endif
    const char* asked = std::getenv("VOXELFLOW_TOMO_ISA");
    if (asked == nullptr) return best;
    const TomoIsa want = std::strcmp(asked, "generic") == 0 ? TomoIsa::kGeneric : std::strcmp(asked, "avx2") == 0 ? TomoIsa::kAvx2 : best;
    return want < best ? want : best;
  }();
  return level;
}

}  // namespace voxelflow
