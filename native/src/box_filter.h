// Box (mean) filter, twin of imaging/kernels/box-filter.ts (read its header for the contract). The
// arithmetic is the TypeScript kernel's, operation for operation, so both give the same bits: the input
// rounded to float32; per axis (z, then y, then x) a float64 running sum started from 0 by adding the
// window's positions in order, then updated as `acc + (in - out)`; each output `float(acc / size)`.
//
// Only the loop order differs. The TypeScript kernel runs three passes over the whole block; here the
// passes are fused per output plane: the z pass fills one plane (its float64 accumulator plane carried
// from plane to plane), the y pass slides over that plane's rows, and each group of four y-filtered
// rows gets its x pass together, so the four serial running sums overlap. Every pass reads and writes
// contiguous rows; the block itself is read about twice (entering and leaving window) and written once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "clones.h"

namespace voxelflow {

/** Out-of-image fill, as scipy.ndimage names it: 0 outside, the edge repeated, or `dcba|abcd|dcba`. */
enum class BoxMode { kConstant = 0, kNearest = 1, kReflect = 2 };

/** Where the output box sits: shapes and origins are [z, y, x] in voxels of the image. */
struct BoxGeometry {
  int64_t inShape[3], inOrigin[3], imageShape[3], outOrigin[3], outShape[3];
};

namespace box_detail {

/** One axis of the filter: a window of radius r (r > 0) over `map`, or a crop from `first` (r = 0). */
struct Axis {
  int64_t nIn, nOut, r, first;
  const int32_t* map;  // nOut + 2r input offsets, -1 for a constant-mode zero (windowMap of the twin)
  double size;         // 2r + 1
};

/** windowMap of the TypeScript twin: mode handled once per axis, so the sweeps need no edge cases. */
inline void WindowMap(int64_t origin, int64_t length, int64_t r, int64_t n, int64_t inOrigin, BoxMode mode,
                      int32_t* map) {
  for (int64_t k = 0; k < length + 2 * r; k++) {
    const int64_t g = origin - r + k;
    int64_t m = g;
    if (g < 0 || g >= n) {
      if (mode == BoxMode::kConstant) {
        m = -1;
      } else if (mode == BoxMode::kNearest) {
        m = g < 0 ? 0 : n - 1;
      } else {
        const int64_t period = 2 * n;
        const int64_t q = ((g % period) + period) % period;
        m = q < n ? q : period - 1 - q;
      }
    }
    map[k] = static_cast<int32_t>(m < 0 ? -1 : m - inOrigin);
  }
}

/** A voxel as the twin sees it: rounded to float32 (Float32Array#set), then read as a double. */
template <typename T>
VOXELFLOW_INLINE double Voxel(T v) {
  return static_cast<double>(static_cast<float>(v));
}

/** acc[t] = 0, then acc[t] += each window row that exists (constant-mode zeros add nothing). */
template <typename T>
VOXELFLOW_INLINE void StartWindow(double* __restrict acc, const T* base, int64_t stride, const int32_t* map, int64_t size,
                        int64_t n, float* __restrict dst, double divisor) {
  for (int64_t t = 0; t < n; t++) acc[t] = 0.0;
  for (int64_t k = 0; k < size; k++) {
    if (map[k] < 0) continue;
    const T* __restrict row = base + map[k] * stride;
    for (int64_t t = 0; t < n; t++) acc[t] = acc[t] + Voxel(row[t]);
  }
  for (int64_t t = 0; t < n; t++) dst[t] = static_cast<float>(acc[t] / divisor);
}

/** acc[t] += in[t] - out[t] for rows that exist, a zero (0.0 - v, v - 0.0: the twin's zeros row) else. */
template <typename T, bool kIn, bool kOut>
VOXELFLOW_INLINE void SlideRow(double* __restrict acc, const T* __restrict in, const T* __restrict out, int64_t n,
                     float* __restrict dst, double divisor) {
  for (int64_t t = 0; t < n; t++) {
    const double vin = kIn ? Voxel(in[t]) : 0.0;
    const double vout = kOut ? Voxel(out[t]) : 0.0;
    const double a = acc[t] + (vin - vout);
    acc[t] = a;
    dst[t] = static_cast<float>(a / divisor);
  }
}

/** Output row i (i >= 1) of a window slide along an axis whose rows are `stride` apart. */
template <typename T>
VOXELFLOW_INLINE void Slide(double* acc, const T* base, int64_t stride, const Axis& ax, int64_t i, int64_t n, float* dst) {
  const int32_t jIn = ax.map[i + 2 * ax.r];
  const int32_t jOut = ax.map[i - 1];
  const T* in = jIn >= 0 ? base + jIn * stride : nullptr;
  const T* out = jOut >= 0 ? base + jOut * stride : nullptr;
  if (in != nullptr && out != nullptr) SlideRow<T, true, true>(acc, in, out, n, dst, ax.size);
  else if (in != nullptr) SlideRow<T, true, false>(acc, in, out, n, dst, ax.size);
  else if (out != nullptr) SlideRow<T, false, true>(acc, in, out, n, dst, ax.size);
  else SlideRow<T, false, false>(acc, in, out, n, dst, ax.size);
}

/** Row i of a window along an axis: the start of the window, or one slide step. */
template <typename T>
VOXELFLOW_INLINE void WindowRow(double* acc, const T* base, int64_t stride, const Axis& ax, int64_t i, int64_t n, float* dst) {
  if (i == 0) StartWindow(acc, base, stride, ax.map, 2 * ax.r + 1, n, dst, ax.size);
  else Slide(acc, base, stride, ax, i, n, dst);
}

/**
 * The x pass of L rows at once: each line's window positions gathered as doubles, interleaved
 * (lines[k * L + l]), then L independent running sums, so their serial additions overlap.
 */
template <int L>
VOXELFLOW_INLINE void SweepX(const float* const* rows, const Axis& ax, double* __restrict lines, float* const* outs) {
  const int64_t ext = ax.nOut + 2 * ax.r;
  for (int64_t k = 0; k < ext; k++) {
    const int32_t j = ax.map[k];
    for (int l = 0; l < L; l++) lines[k * L + l] = j >= 0 ? static_cast<double>(rows[l][j]) : 0.0;
  }
  double sum[L];
  for (int l = 0; l < L; l++) sum[l] = 0.0;
  for (int64_t k = 0; k <= 2 * ax.r; k++) {
    for (int l = 0; l < L; l++) sum[l] += lines[k * L + l];
  }
  for (int l = 0; l < L; l++) outs[l][0] = static_cast<float>(sum[l] / ax.size);
  const double* __restrict enter = lines + 2 * ax.r * L;
  for (int64_t i = 1; i < ax.nOut; i++) {
    for (int l = 0; l < L; l++) {
      sum[l] = sum[l] + (enter[i * L + l] - lines[(i - 1) * L + l]);
      outs[l][i] = static_cast<float>(sum[l] / ax.size);
    }
  }
}

/** The x pass (window or crop) of `count` (1..4) rows into their output rows. */
VOXELFLOW_INLINE void FinishRows(const float* const* rows, int count, const Axis& ax, double* lines, float* const* outs) {
  if (ax.r == 0) {
    for (int l = 0; l < count; l++) std::memcpy(outs[l], rows[l] + ax.first, ax.nOut * sizeof(float));
    return;
  }
  switch (count) {
    case 4: SweepX<4>(rows, ax, lines, outs); break;
    case 3: SweepX<3>(rows, ax, lines, outs); break;
    case 2: SweepX<2>(rows, ax, lines, outs); break;
    default: SweepX<1>(rows, ax, lines, outs); break;
  }
}

/** Per-thread working memory, grown as needed: a plane and its accumulators, four rows, the lines. */
struct Work {
  std::vector<double> accPlane, accRow, lines;
  std::vector<float> plane, rows;
  std::vector<int32_t> maps;
};

template <typename V>
VOXELFLOW_INLINE typename V::value_type* Reserve(V& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

/** The z-filtered (or cropped, converted) plane zo: Y_in x X_in floats, possibly `in` itself. */
template <typename T>
VOXELFLOW_INLINE const float* ZPlane(const T* in, const Axis& az, int64_t yx, int64_t zo, double* acc, float* plane) {
  if (az.r > 0) {
    WindowRow(acc, in, yx, az, zo, yx, plane);
    return plane;
  }
  const T* src = in + (az.first + zo) * yx;
  if constexpr (std::is_same_v<T, float>) {
    return reinterpret_cast<const float*>(src);
  } else {
    for (int64_t t = 0; t < yx; t++) plane[t] = static_cast<float>(src[t]);
    return plane;
  }
}

}  // namespace box_detail

/**
 * Filters the box described by `g` with a window of `radius` in `mode` into `out` (outShape, C-order).
 * The geometry must have been checked (BoxGeometryValid): every map entry then lies inside the input.
 */
template <typename T>
VOXELFLOW_INLINE void BoxFilter(const T* in, const BoxGeometry& g, int64_t radius, BoxMode mode, float* out) {
  using namespace box_detail;
  thread_local Work work;
  Axis axes[3];
  size_t mapLength = 0;
  for (int a = 0; a < 3; a++) mapLength += g.outShape[a] + 2 * radius;
  int32_t* maps = Reserve(work.maps, mapLength);
  for (int a = 0; a < 3; a++) {
    const int64_t r = g.imageShape[a] > 1 ? radius : 0;
    axes[a] = Axis{g.inShape[a], g.outShape[a], r, g.outOrigin[a] - g.inOrigin[a], maps, 2.0 * r + 1.0};
    if (r > 0) WindowMap(g.outOrigin[a], g.outShape[a], r, g.imageShape[a], g.inOrigin[a], mode, maps);
    maps += g.outShape[a] + 2 * r;
  }
  const Axis& az = axes[0];
  const Axis& ay = axes[1];
  const Axis& ax = axes[2];
  const int64_t X = g.inShape[2];
  const int64_t yx = g.inShape[1] * X;
  double* accPlane = Reserve(work.accPlane, az.r > 0 ? yx : 1);
  float* plane = Reserve(work.plane, yx);
  double* accRow = Reserve(work.accRow, X);
  float* rowBuf = Reserve(work.rows, 4 * X);
  double* lines = Reserve(work.lines, 4 * (ax.nOut + 2 * ax.r));
  for (int64_t zo = 0; zo < az.nOut; zo++) {
    const float* p = ZPlane(in, az, yx, zo, accPlane, plane);
    float* outPlane = out + zo * ay.nOut * ax.nOut;
    const float* rows[4];
    float* outs[4];
    int count = 0;
    for (int64_t yo = 0; yo < ay.nOut; yo++) {
      if (ay.r > 0) {
        float* row = rowBuf + count * X;
        WindowRow(accRow, p, X, ay, yo, X, row);
        rows[count] = row;
      } else {
        rows[count] = p + (ay.first + yo) * X;
      }
      outs[count] = outPlane + yo * ax.nOut;
      if (++count == 4 || yo == ay.nOut - 1) {
        FinishRows(rows, count, ax, lines, outs);
        count = 0;
      }
    }
  }
}

// The entry points, one per voxel type, each cloned for AVX2 where supported (clones.h).
#define VOXELFLOW_BOX_FILTER(T)                                                                               \
  VOXELFLOW_CLONES inline void RunBoxFilter(const T* in, const BoxGeometry& g, int64_t radius, BoxMode mode, \
                                            float* out) {                                                   \
    BoxFilter<T>(in, g, radius, mode, out);                                                                 \
  }
VOXELFLOW_BOX_FILTER(uint8_t)
VOXELFLOW_BOX_FILTER(uint16_t)
VOXELFLOW_BOX_FILTER(int16_t)
VOXELFLOW_BOX_FILTER(uint32_t)
VOXELFLOW_BOX_FILTER(int32_t)
VOXELFLOW_BOX_FILTER(float)
VOXELFLOW_BOX_FILTER(double)
#undef VOXELFLOW_BOX_FILTER

/** Whether `g` is a valid call of the twin: positive shapes, output inside the image, input covering it. */
inline bool BoxGeometryValid(const BoxGeometry& g, int64_t radius) {
  if (radius < 0 || radius > (1 << 20)) return false;
  for (int a = 0; a < 3; a++) {
    const int64_t n = g.imageShape[a];
    if (g.inShape[a] < 1 || g.outShape[a] < 1 || n < 1 || n > (1ll << 30)) return false;
    const int64_t o = g.outOrigin[a];
    if (o < 0 || o + g.outShape[a] > n) return false;
    const int64_t r = n > 1 ? radius : 0;
    const int64_t needLo = o - r < 0 ? 0 : o - r;
    const int64_t needHi = o + g.outShape[a] + r > n ? n : o + g.outShape[a] + r;
    const int64_t lo = g.inOrigin[a];
    const int64_t hi = lo + g.inShape[a];
    if (lo < 0 || hi > n || lo > needLo || hi < needHi) return false;
  }
  return true;
}

}  // namespace voxelflow
