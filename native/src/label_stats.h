// Per-label partial statistics, twin of imaging/kernels/label-stats.ts (read its header for the fields
// and their layout): one raster pass adding each labeled voxel's global coordinates, their products
// and its intensity into float64 sums, in the order the TypeScript kernel adds them, so both give the
// same bits even where a sum passes 2^53 and rounds.
//
// The pass walks runs of equal labels along x: a run's accumulators are loaded from the field-major
// table once, advanced voxel by voxel in registers (the same additions, in the same order) and stored
// once, instead of eighteen scattered read-modify-writes per voxel.
#pragma once
#include <cstddef>
#include <cstdint>

namespace voxelflow {

/** The 18 fields of label-stats.ts PARTIAL_FIELDS, in storage order. */
enum PartialField {
  kCount, kSumX, kSumY, kSumZ, kSumXX, kSumYY, kSumZZ, kSumXY, kSumXZ, kSumYZ,
  kMinX, kMinY, kMinZ, kMaxX, kMaxY, kMaxZ, kSumI, kFirstIndex, kPartialFields
};

/** The block: its shape, global origin and the image's shape, [z, y, x] each. */
struct StatsGeometry {
  int64_t shape[3], origin[3], imageShape[3];
};

/**
 * Intensity is read only under labels, in short runs a row apart: too sparse for the hardware prefetcher,
 * so every run would wait on memory. Fetching the whole row a few rows ahead costs one streaming read.
 */
template <typename T>
inline void PrefetchAhead(const T* intensity, int64_t rowBase, int64_t X, int64_t count) {
  constexpr int64_t kRowsAhead = 4;
  const int64_t start = rowBase + kRowsAhead * X;
  if (start + X > count) return;
#if defined(__GNUC__)
  const char* p = reinterpret_cast<const char*>(intensity + start);
  const int64_t bytes = X * static_cast<int64_t>(sizeof(T));
  for (int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(p + b);
#endif
}

/**
 * Adds the labels 1..n of a C-order block into `data` (field-major, `kPartialFields x (n + 1)`, set up
 * by createPartials); `intensity` (same shape, or null when kIntensity is false) feeds sumI. Returns -1,
 * or the index of the first voxel whose label exceeds n (the table is then partly updated).
 */
template <typename T, bool kIntensity>
int64_t LabelStats(const uint32_t* labels, const StatsGeometry& g, const T* intensity, uint32_t n, double* data) {
  const int64_t Z = g.shape[0], Y = g.shape[1], X = g.shape[2];
  const int64_t len = static_cast<int64_t>(n) + 1;
  double* f[kPartialFields];
  for (int k = 0; k < kPartialFields; k++) f[k] = data + k * len;
  const double planeStride = static_cast<double>(g.imageShape[1] * g.imageShape[2]);
  const double rowStride = static_cast<double>(g.imageShape[2]);
  for (int64_t z = 0; z < Z; z++) {
    const double gz = static_cast<double>(g.origin[0] + z);
    for (int64_t y = 0; y < Y; y++) {
      const double gy = static_cast<double>(g.origin[1] + y);
      const int64_t rowBase = (z * Y + y) * X;
      const uint32_t* row = labels + rowBase;
      if constexpr (kIntensity) PrefetchAhead(intensity, rowBase, X, Z * Y * X);
      int64_t x = 0;
      while (x < X) {
        const uint32_t l = row[x];
        if (l == 0) {
          // Background is most of a block: skip it eight labels at a time.
          x++;
          while (x + 8 <= X && (row[x] | row[x + 1] | row[x + 2] | row[x + 3] | row[x + 4] | row[x + 5] | row[x + 6] |
                                row[x + 7]) == 0) {
            x += 8;
          }
          continue;
        }
        if (l > n) return rowBase + x;
        int64_t end = x + 1;
        while (end < X && row[end] == l) end++;
        const double gx0 = static_cast<double>(g.origin[2] + x);
        const double gxLast = static_cast<double>(g.origin[2] + end - 1);
        double count = f[kCount][l];
        if (count == 0) f[kFirstIndex][l] = gz * planeStride + gy * rowStride + gx0;
        double sx = f[kSumX][l], sy = f[kSumY][l], sz = f[kSumZ][l];
        double sxx = f[kSumXX][l], syy = f[kSumYY][l], szz = f[kSumZZ][l];
        double sxy = f[kSumXY][l], sxz = f[kSumXZ][l], syz = f[kSumYZ][l];
        double si = f[kSumI][l];
        for (int64_t i = x; i < end; i++) {
          const double gx = static_cast<double>(g.origin[2] + i);
          count += 1;
          sx += gx;
          sy += gy;
          sz += gz;
          sxx += gx * gx;
          syy += gy * gy;
          szz += gz * gz;
          sxy += gx * gy;
          sxz += gx * gz;
          syz += gy * gz;
          if constexpr (kIntensity) si += static_cast<double>(intensity[rowBase + i]);
        }
        f[kCount][l] = count;
        f[kSumX][l] = sx, f[kSumY][l] = sy, f[kSumZ][l] = sz;
        f[kSumXX][l] = sxx, f[kSumYY][l] = syy, f[kSumZZ][l] = szz;
        f[kSumXY][l] = sxy, f[kSumXZ][l] = sxz, f[kSumYZ][l] = syz;
        if constexpr (kIntensity) f[kSumI][l] = si;
        // x grows along the run and y, z are fixed: its first and last voxel decide min and max.
        if (gx0 < f[kMinX][l]) f[kMinX][l] = gx0;
        if (gxLast > f[kMaxX][l]) f[kMaxX][l] = gxLast;
        if (gy < f[kMinY][l]) f[kMinY][l] = gy;
        if (gy > f[kMaxY][l]) f[kMaxY][l] = gy;
        if (gz < f[kMinZ][l]) f[kMinZ][l] = gz;
        if (gz > f[kMaxZ][l]) f[kMaxZ][l] = gz;
        x = end;
      }
    }
  }
  return -1;
}

}  // namespace voxelflow
