// The blobs phantom over one block, twin of imaging/kernels/blobs-region.ts (read its header): per z
// plane, the background `100 + 40 * hash` of every voxel, then every blob that may reach the block
// rasterized into the plane in (cz, cy, cx) order, each voxel getting blobsAt's float64 additions in
// blobsAt's order; then the plane stored into the output type. Operations and their order are the
// twin's, so the values are the same bits (binding.gyp: -ffp-contract=off).
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "clones.h"
#include "phantom_hash.h"

namespace voxelflow {
namespace blobs_detail {

constexpr double kCell = 24;  // BLOB_CELL
constexpr uint32_t kNoiseSeed = 0x5bd1e995u;  // BLOB_NOISE_SEED

struct Blob {
  double bx, by, bz, rr;
  int64_t x0, x1, y0, y1, z0, z1;  // voxel ranges it may touch, both inclusive (the twin's reach)
};

VOXELFLOW_INLINE void Reach(double c, double r, int64_t cell, int64_t* first, int64_t* last) {
  *first = std::max(static_cast<int64_t>(std::floor(c - r)) - 1, (cell - 1) * static_cast<int64_t>(kCell));
  *last = std::min(static_cast<int64_t>(std::ceil(c + r)) + 1, (cell + 2) * static_cast<int64_t>(kCell) - 1);
}

/** The twin's blobsNear: the blobs of the cells one past the box's cells, in (cz, cy, cx) order. */
inline std::vector<Blob> BlobsNear(const PhantomBox& b, int64_t seed) {
  using phantom_detail::FloorDiv;
  using phantom_detail::Hash4;
  int64_t lo[3], hi[3];
  for (int a = 0; a < 3; a++) {
    lo[a] = FloorDiv(b.origin[a], kCell) - 1;
    hi[a] = FloorDiv(b.origin[a] + b.shape[a] - 1, kCell) + 1;
  }
  std::vector<Blob> blobs;
  for (int64_t cz = lo[0]; cz <= hi[0]; cz++)
    for (int64_t cy = lo[1]; cy <= hi[1]; cy++)
      for (int64_t cx = lo[2]; cx <= hi[2]; cx++) {
        if (Hash4(cx, cy, cz, seed) >= 0.6) continue;
        Blob o;
        o.bx = (static_cast<double>(cx) + Hash4(cx, cy, cz, seed + 1)) * kCell;
        o.by = (static_cast<double>(cy) + Hash4(cx, cy, cz, seed + 2)) * kCell;
        o.bz = (static_cast<double>(cz) + Hash4(cx, cy, cz, seed + 3)) * kCell;
        const double r = 3 + 7 * Hash4(cx, cy, cz, seed + 4);
        o.rr = r * r;
        Reach(o.bx, r, cx, &o.x0, &o.x1);
        Reach(o.by, r, cy, &o.y0, &o.y1);
        Reach(o.bz, r, cz, &o.z0, &o.z1);
        blobs.push_back(o);
      }
  return blobs;
}

/** One z plane (global z `gz`) of float64 values into `plane` (sy * sx). */
VOXELFLOW_CLONES inline void BlobsPlane(const PhantomBox& b, int64_t gz, uint32_t noiseSeed, const Blob* blobs,
                                        size_t count, double* __restrict plane) {
  using phantom_detail::HashBCD;
  using phantom_detail::HashMix;
  using phantom_detail::U32;
  const int64_t oy = b.origin[1], ox = b.origin[2], sy = b.shape[1], sx = b.shape[2];
  for (int64_t y = 0; y < sy; y++) {
    const uint32_t partial = HashBCD(U32(oy + y), U32(gz), noiseSeed);
    const uint32_t a0 = U32(ox) * phantom_detail::kHashA;
    double* row = plane + y * sx;
    for (int64_t x = 0; x < sx; x++) {
      row[x] = 100 + 40 * HashMix((a0 + static_cast<uint32_t>(x) * phantom_detail::kHashA) ^ partial);
    }
  }
  for (size_t k = 0; k < count; k++) {
    const Blob& o = blobs[k];
    if (gz < o.z0 || gz > o.z1) continue;
    const double dzz = static_cast<double>(gz) - o.bz;
    const double dz2 = dzz * dzz;
    const double rr = o.rr;
    if (dz2 >= rr) continue;  // exact: d2 >= dz2 (float64 rounding is monotone)
    const int64_t y0 = std::max(o.y0, oy), y1 = std::min(o.y1, oy + sy - 1);
    const int64_t x0 = std::max(o.x0, ox), x1 = std::min(o.x1, ox + sx - 1);
    for (int64_t gy = y0; gy <= y1; gy++) {
      const double dyy = static_cast<double>(gy) - o.by;
      const double dy2 = dyy * dyy;
      if (dy2 + dz2 >= rr) continue;  // exact: d2 >= dy2 + dz2
      double* row = plane + (gy - oy) * sx - ox;
      for (int64_t gx = x0; gx <= x1; gx++) {
        const double dxx = static_cast<double>(gx) - o.bx;
        const double d2 = dxx * dxx + dy2 + dz2;
        const double v = row[gx];
        row[gx] = d2 < rr ? v + (800 * (1 - d2 / rr) + 200) : v;
      }
    }
  }
}

}  // namespace blobs_detail

/** The blobs phantom of `seed` over box `b` into `out` (C order, b's shape, at least one voxel). */
template <typename T>
void BlobsRegion(const PhantomBox& b, int64_t seed, T* out) {
  const std::vector<blobs_detail::Blob> blobs = blobs_detail::BlobsNear(b, seed);
  const int64_t planeSize = b.shape[1] * b.shape[2];
  std::vector<double> plane(static_cast<size_t>(planeSize));
  const uint32_t noiseSeed = phantom_detail::U32(seed) ^ blobs_detail::kNoiseSeed;
  for (int64_t z = 0; z < b.shape[0]; z++) {
    blobs_detail::BlobsPlane(b, b.origin[0] + z, noiseSeed, blobs.data(), blobs.size(), plane.data());
    phantom_detail::StoreRow<T>(plane.data(), planeSize, out + z * planeSize);
  }
}

}  // namespace voxelflow
