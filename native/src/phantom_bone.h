// The bone phantom over one block, twin of imaging/kernels/bone-region.ts (read its header): boneAt's
// operations in boneAt's order, so the same bits (binding.gyp: -ffp-contract=off). Only the schedule
// differs, so that the per-voxel work vectorizes: each octave's eight corner hashes are spread over x
// once per lattice plane, so that one loop computes `n`, the noise and the marrow-or-bone value of a
// whole row from contiguous arrays; the lacunae (present in 35% of cells, met by few rows of a cell)
// are then applied per cell to the bone voxels of the row that they may contain.
#pragma once
#include <algorithm>
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
  // The corner hashes of lattice plane `cachedZ` spread over x: for lattice row iy and corner
  // c = 4 dz + 2 dy + dx, sx values at (iy * 8 + c) * sx. Rebuilt when a z row enters another plane.
  std::vector<double> spread;
  int64_t cachedZ = -1;
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
  o->spread.resize((extent[1] - 1) * 8 * b.shape[2]);
}

/** Spreads the corner hashes of lattice plane iz over x for every lattice row, if not already there. */
inline void Spread(Octave* o, int64_t iz, int64_t sx) {
  if (o->cachedZ == iz) return;
  o->cachedZ = iz;
  const int32_t* ix = o->index[2].data();
  for (int64_t iy = 0; iy + 1 < o->ny; iy++) {
    for (int c = 0; c < 8; c++) {
      const double* h = o->hashes.data() + ((iz + (c >> 2)) * o->ny + iy + ((c >> 1) & 1)) * o->nx + (c & 1);
      double* s = o->spread.data() + (iy * 8 + c) * sx;
      for (int64_t x = 0; x < sx; x++) s[x] = h[ix[x]];
    }
  }
}

/**
 * valueNoise over a row: `(wx * wy) * wz` times each corner's hash, summed in (dz, dy, dx) order from
 * 0 (0 + p is p, so the sum starts at the first product). `h`: the row's 8 spread corners.
 */
VOXELFLOW_INLINE void NoiseRow(const Octave& o, const double* __restrict h, double ty, double uy, double tz, double uz,
                               int64_t sx, double* __restrict v) {
  const double* __restrict tx = o.upper[2].data();
  const double* __restrict ux = o.lower[2].data();
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

/** Where row (z, y) of the box is in one octave: its spread corners and its y and z weights. */
struct RowWeights {
  const double* spread;
  double ty, uy, tz, uz;
};

VOXELFLOW_INLINE RowWeights RowOf(const Octave& o, int64_t z, int64_t y, int64_t sx) {
  return {o.spread.data() + o.index[1][y] * 8 * sx, o.upper[1][y], o.lower[1][y], o.upper[0][z], o.lower[0][z]};
}

/**
 * One row without lacunae: `n = 0.7 * coarse + 0.3 * fine` into `n`, and the value boneAt gives where
 * there is no lacuna into `v`: 120 + noise in marrow (n < 0.42), else 1000 + noise; noise = 60 * hash.
 */
VOXELFLOW_CLONES inline void BoneRow(const Octave& coarse, const Octave& fine, const RowWeights& wc, const RowWeights& wf,
                                     int64_t ox, uint32_t partial, int64_t sx, double* __restrict n,
                                     double* __restrict fineRow, double* __restrict noise, double* __restrict v) {
  NoiseRow(coarse, wc.spread, wc.ty, wc.uy, wc.tz, wc.uz, sx, n);
  NoiseRow(fine, wf.spread, wf.ty, wf.uy, wf.tz, wf.uz, sx, fineRow);
  const uint32_t a0 = phantom_detail::U32(ox) * phantom_detail::kHashA;
  for (int64_t x = 0; x < sx; x++) {
    const double d = 0.7 * n[x] + 0.3 * fineRow[x];
    const double h = 60 * phantom_detail::HashMix((a0 + static_cast<uint32_t>(x) * phantom_detail::kHashA) ^ partial);
    n[x] = d;
    noise[x] = h;
    v[x] = (d < 0.42 ? 120.0 : 1000.0) + h;  // boneAt's `120 + noise` or `1000 + noise`, as a select that vectorizes
  }
}

/** The lacuna of a cell (the twin's `lacunae`): present, centre, semi-axes. */
struct Lacuna {
  bool present;
  double lx, ly, lz, ax, ay, az;
};

/** The lacunae of the cells the box meets, C order over cells from cell `first`. */
inline std::vector<Lacuna> Lacunae(const int64_t first[3], const int64_t cells[3], int64_t seed) {
  using phantom_detail::Hash4;
  std::vector<Lacuna> out(cells[0] * cells[1] * cells[2]);
  size_t f = 0;
  for (int64_t i = 0; i < cells[0]; i++)
    for (int64_t j = 0; j < cells[1]; j++)
      for (int64_t k = 0; k < cells[2]; k++, f++) {
        const int64_t cz = first[0] + i, cy = first[1] + j, cx = first[2] + k;
        Lacuna& l = out[f];
        l.present = Hash4(cx, cy, cz, seed + 11) < 0.35;
        if (!l.present) continue;
        l.lx = (static_cast<double>(cx) + 0.25 + 0.5 * Hash4(cx, cy, cz, seed + 12)) * kLacunaCell;
        l.ly = (static_cast<double>(cy) + 0.25 + 0.5 * Hash4(cx, cy, cz, seed + 13)) * kLacunaCell;
        l.lz = (static_cast<double>(cz) + 0.25 + 0.5 * Hash4(cx, cy, cz, seed + 14)) * kLacunaCell;
        const double axis = std::floor(3 * Hash4(cx, cy, cz, seed + 15));
        l.ax = axis == 0 ? 3.2 : 1.6;
        l.ay = axis == 1 ? 3.2 : 1.6;
        l.az = axis == 2 ? 3.2 : 1.6;
      }
  return out;
}

}  // namespace bone_detail

/**
 * The bone phantom of `seed` over box `b` into `out` (C order, b's shape, at least one voxel). Per row,
 * BoneRow gives every voxel its marrow or bone value; then the few voxels of a present lacuna's cell
 * that are bone and inside its ellipsoid become 160 + noise, tested as boneAt tests them.
 */
template <typename T>
void BoneRegion(const PhantomBox& b, int64_t seed, T* out) {
  using namespace bone_detail;
  using phantom_detail::FloorDiv;
  const int64_t sz = b.shape[0], sy = b.shape[1], sx = b.shape[2];
  const int64_t oz = b.origin[0], oy = b.origin[1], ox = b.origin[2];
  Octave coarse, fine;
  MakeOctave(b, 28, seed, &coarse);
  MakeOctave(b, 9, seed + 7, &fine);
  int64_t first[3], cells[3];
  for (int a = 0; a < 3; a++) {
    first[a] = FloorDiv(b.origin[a], kLacunaCell);
    cells[a] = FloorDiv(b.origin[a] + b.shape[a] - 1, kLacunaCell) - first[a] + 1;
  }
  const std::vector<Lacuna> lacunae = Lacunae(first, cells, seed);
  std::vector<double> n(sx), fineRow(sx), noise(sx), row(sx);
  const uint32_t noiseSeed = phantom_detail::U32(seed) ^ kNoiseSeed;
  for (int64_t z = 0; z < sz; z++) {
    const int64_t gz = oz + z;
    const int64_t cz = FloorDiv(gz, kLacunaCell) - first[0];
    Spread(&coarse, coarse.index[0][z], sx);
    Spread(&fine, fine.index[0][z], sx);
    for (int64_t y = 0; y < sy; y++) {
      const int64_t gy = oy + y;
      const int64_t cy = FloorDiv(gy, kLacunaCell) - first[1];
      const uint32_t partial = phantom_detail::HashBCD(phantom_detail::U32(gy), phantom_detail::U32(gz), noiseSeed);
      BoneRow(coarse, fine, RowOf(coarse, z, y, sx), RowOf(fine, z, y, sx), ox, partial, sx, n.data(), fineRow.data(),
              noise.data(), row.data());
      const Lacuna* line = lacunae.data() + (cz * cells[1] + cy) * cells[2];
      for (int64_t k = 0; k < cells[2]; k++) {
        const Lacuna& l = line[k];
        if (!l.present) continue;
        const double ty = (static_cast<double>(gy) - l.ly) / l.ay, tz = (static_cast<double>(gz) - l.lz) / l.az;
        const double qy = ty * ty, qz = tz * tz;
        if (qy + qz >= 1) continue;  // exact: q = (qx + qy) + qz >= qy + qz in float64 (rounding is monotone)
        const int64_t x0 = std::max((first[2] + k) * static_cast<int64_t>(kLacunaCell), ox);
        const int64_t x1 = std::min((first[2] + k + 1) * static_cast<int64_t>(kLacunaCell), ox + sx);
        for (int64_t gx = x0; gx < x1; gx++) {
          const int64_t x = gx - ox;
          if (n[x] < 0.42) continue;
          const double tx = (static_cast<double>(gx) - l.lx) / l.ax;
          if (tx * tx + qy + qz < 1) row[x] = 160 + noise[x];
        }
      }
      phantom_detail::StoreRow<T>(row.data(), sx, out + (z * sy + y) * sx);
    }
  }
}

}  // namespace voxelflow
