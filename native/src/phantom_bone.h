// The bone phantom over one block, twin of imaging/kernels/bone-region.ts (read its header): boneAt's
// operations in boneAt's order, so the same bits (binding.gyp: -ffp-contract=off). Only the schedule
// differs, so that the per-voxel work vectorizes: per row, each octave's eight corner hashes are
// spread over the row once per lattice row (they change only where the row's lattice cell does), then
// one loop computes `n` and the noise of the whole row from contiguous arrays, and a last pass picks
// marrow, lacuna or bone per voxel, with the lacuna ellipsoids of the row's cells prepared per row.
#pragma once
#include <cstdint>
#include <vector>

#include "clones.h"
#include "phantom_hash.h"

namespace voxelflow {
namespace bone_detail {

constexpr double kLacunaCell = 10;             // LACUNA_CELL
constexpr uint32_t kNoiseSeed = 0x68e31da4u;   // BONE_NOISE_SEED

/** One octave of value noise over a box (the twin's `octave`): per axis index and weights, the hashes. */
struct Octave {
  std::vector<int32_t> index[3];
  std::vector<double> upper[3], lower[3];
  std::vector<double> hashes;  // C order over the box's lattice range
  int64_t ny = 0, nx = 0;
  // The row's corner hashes spread over x: corner c = 4 dz + 2 dy + dx, sx values each, for lattice
  // row (cachedZ, cachedY).
  std::vector<double> spread;
  int64_t cachedZ = -1, cachedY = -1;
};

inline void MakeOctave(const PhantomBox& b, double scale, int64_t seed, Octave* o) {
  int64_t first[3], extent[3];
  for (int a = 0; a < 3; a++) {
    const int64_t n = b.shape[a], org = b.origin[a];
    o->index[a].resize(n);
    o->upper[a].resize(n);
    o->lower[a].resize(n);
    const int64_t base = phantom_detail::FloorDiv(org, scale);
    for (int64_t i = 0; i < n; i++) {
      const double f = static_cast<double>(org + i) / scale;
      const double f0 = std::floor(f);
      const double t0 = f - f0;
      const double t = t0 * t0 * (3 - 2 * t0);  // smooth
      o->index[a][i] = static_cast<int32_t>(static_cast<int64_t>(f0) - base);
      o->upper[a][i] = t;
      o->lower[a][i] = 1 - t;
    }
    first[a] = base;
    extent[a] = phantom_detail::FloorDiv(org + n - 1, scale) - base + 2;
  }
  o->ny = extent[1];
  o->nx = extent[2];
  o->hashes.resize(extent[0] * extent[1] * extent[2]);
  size_t k = 0;
  for (int64_t z = 0; z < extent[0]; z++)
    for (int64_t y = 0; y < extent[1]; y++)
      for (int64_t x = 0; x < extent[2]; x++) o->hashes[k++] = phantom_detail::Hash4(first[2] + x, first[1] + y, first[0] + z, seed);
  o->spread.resize(8 * b.shape[2]);
}

/** Spreads the corner hashes of lattice row (iz, iy) over the row's x, if not already there. */
inline void Spread(Octave* o, int64_t iz, int64_t iy, int64_t sx) {
  if (o->cachedZ == iz && o->cachedY == iy) return;
  o->cachedZ = iz;
  o->cachedY = iy;
  const int32_t* ix = o->index[2].data();
  for (int c = 0; c < 8; c++) {
    const double* h = o->hashes.data() + ((iz + (c >> 2)) * o->ny + iy + ((c >> 1) & 1)) * o->nx + (c & 1);
    double* s = o->spread.data() + c * sx;
    for (int64_t x = 0; x < sx; x++) s[x] = h[ix[x]];
  }
}

/**
 * valueNoise over a row: `(wx * wy) * wz` times each corner's hash, summed in (dz, dy, dx) order from
 * 0 (0 + p is p, so the sum starts at the first product).
 */
VOXELFLOW_INLINE void NoiseRow(const Octave& o, double ty, double uy, double tz, double uz, int64_t sx, double* __restrict v) {
  const double* __restrict tx = o.upper[2].data();
  const double* __restrict ux = o.lower[2].data();
  const double* __restrict h = o.spread.data();
  for (int64_t x = 0; x < sx; x++) {
    double s = ux[x] * uy * uz * h[x];
    s += tx[x] * uy * uz * h[sx + x];
    s += ux[x] * ty * uz * h[2 * sx + x];
    s += tx[x] * ty * uz * h[3 * sx + x];
    s += ux[x] * uy * tz * h[4 * sx + x];
    s += tx[x] * uy * tz * h[5 * sx + x];
    s += ux[x] * ty * tz * h[6 * sx + x];
    s += tx[x] * ty * tz * h[7 * sx + x];
    v[x] = s;
  }
}

/** One row's `n` (0.7 coarse + 0.3 fine) and noise (60 * hash), both sx long. */
VOXELFLOW_CLONES inline void DensityRow(const Octave& coarse, const Octave& fine, const double* wCoarse, const double* wFine,
                                        int64_t ox, uint32_t partial, int64_t sx, double* __restrict n,
                                        double* __restrict fineRow, double* __restrict noise) {
  NoiseRow(coarse, wCoarse[0], wCoarse[1], wCoarse[2], wCoarse[3], sx, n);
  NoiseRow(fine, wFine[0], wFine[1], wFine[2], wFine[3], sx, fineRow);
  const uint32_t a0 = phantom_detail::U32(ox) * phantom_detail::kHashA;
  for (int64_t x = 0; x < sx; x++) {
    n[x] = 0.7 * n[x] + 0.3 * fineRow[x];
    noise[x] = 60 * phantom_detail::HashMix((a0 + static_cast<uint32_t>(x) * phantom_detail::kHashA) ^ partial);
  }
}

/** A lacuna cell as one row sees it: whether the row may meet its ellipsoid, its x centre and axis, qy^2 + ... */
struct RowLacuna {
  bool active;
  double lx, ax, qy, qz;  // qy = ((y - ly) / ay)^2, qz likewise
};

}  // namespace bone_detail

/** The bone phantom of `seed` over box `b` into `out` (C order, b's shape, at least one voxel). */
template <typename T>
void BoneRegion(const PhantomBox& b, int64_t seed, T* out) {
  using namespace bone_detail;
  using phantom_detail::FloorDiv;
  using phantom_detail::Hash4;
  const int64_t sz = b.shape[0], sy = b.shape[1], sx = b.shape[2];
  const int64_t oz = b.origin[0], oy = b.origin[1], ox = b.origin[2];
  Octave coarse, fine;
  MakeOctave(b, 28, seed, &coarse);
  MakeOctave(b, 9, seed + 7, &fine);
  // lacuna cells along x: the row's cells, their first cell, each voxel's cell
  const int64_t firstX = FloorDiv(ox, kLacunaCell);
  const int64_t cellsX = FloorDiv(ox + sx - 1, kLacunaCell) - firstX + 1;
  std::vector<int32_t> cellX(sx);
  for (int64_t x = 0; x < sx; x++) cellX[x] = static_cast<int32_t>(FloorDiv(ox + x, kLacunaCell) - firstX);
  std::vector<RowLacuna> lac(cellsX);
  std::vector<double> n(sx), fineRow(sx), noise(sx), row(sx);
  const uint32_t noiseSeed = phantom_detail::U32(seed) ^ kNoiseSeed;
  for (int64_t z = 0; z < sz; z++) {
    const int64_t gz = oz + z;
    const int64_t cz = FloorDiv(gz, kLacunaCell);
    for (int64_t y = 0; y < sy; y++) {
      const int64_t gy = oy + y;
      const int64_t cy = FloorDiv(gy, kLacunaCell);
      Spread(&coarse, coarse.index[0][z], coarse.index[1][y], sx);
      Spread(&fine, fine.index[0][z], fine.index[1][y], sx);
      const double wc[4] = {coarse.upper[1][y], coarse.lower[1][y], coarse.upper[0][z], coarse.lower[0][z]};
      const double wf[4] = {fine.upper[1][y], fine.lower[1][y], fine.upper[0][z], fine.lower[0][z]};
      const uint32_t partial = phantom_detail::HashBCD(phantom_detail::U32(gy), phantom_detail::U32(gz), noiseSeed);
      DensityRow(coarse, fine, wc, wf, ox, partial, sx, n.data(), fineRow.data(), noise.data());
      // The lacunae this row may meet: q = (qx + qy) + qz >= qy + qz in float64, so a row with qy + qz >= 1 meets none.
      for (int64_t k = 0; k < cellsX; k++) {
        const int64_t cx = firstX + k;
        RowLacuna& l = lac[k];
        l.active = false;
        if (Hash4(cx, cy, cz, seed + 11) >= 0.35) continue;
        const double ly = (static_cast<double>(cy) + 0.25 + 0.5 * Hash4(cx, cy, cz, seed + 13)) * kLacunaCell;
        const double lz = (static_cast<double>(cz) + 0.25 + 0.5 * Hash4(cx, cy, cz, seed + 14)) * kLacunaCell;
        const double axis = std::floor(3 * Hash4(cx, cy, cz, seed + 15));
        const double ay = axis == 1 ? 3.2 : 1.6, az = axis == 2 ? 3.2 : 1.6;
        const double ty = (static_cast<double>(gy) - ly) / ay, tz = (static_cast<double>(gz) - lz) / az;
        l.qy = ty * ty;
        l.qz = tz * tz;
        if (l.qy + l.qz >= 1) continue;
        l.active = true;
        l.lx = (static_cast<double>(cx) + 0.25 + 0.5 * Hash4(cx, cy, cz, seed + 12)) * kLacunaCell;
        l.ax = axis == 0 ? 3.2 : 1.6;
      }
      for (int64_t x = 0; x < sx; x++) {
        double v;
        if (n[x] < 0.42) {
          v = 120 + noise[x];
        } else {
          const RowLacuna& l = lac[cellX[x]];
          v = 1000 + noise[x];
          if (l.active) {
            const double tx = (static_cast<double>(ox + x) - l.lx) / l.ax;
            if (tx * tx + l.qy + l.qz < 1) v = 160 + noise[x];
          }
        }
        row[x] = v;
      }
      phantom_detail::StoreRow<T>(row.data(), sx, out + (z * sy + y) * sx);
    }
  }
}

}  // namespace voxelflow
