// Block connected-component labeling, twin of imaging/kernels/label-block.ts (read its header for the
// algorithm): a raster scan with union-find over a flat parent table in the spirit of SAUF (Wu, Otoo &
// Suzuki 2009), no recursion, no allocation per voxel. Components are numbered 1..n in raster order of
// their first voxel, the numbering of scipy.ndimage.label and of the TypeScript kernel.
#pragma once
#include <cstddef>
#include <cstdint>

namespace voxelflow {

/** Finds the root of `label`, compressing the path behind it. */
inline uint32_t FindRoot(uint32_t* parent, uint32_t label) {
  uint32_t root = label;
  while (parent[root] != root) root = parent[root];
  while (parent[label] != root) {
    const uint32_t up = parent[label];
    parent[label] = root;
    label = up;
  }
  return root;
}

/** Joins the sets of `a` and `b` under the smaller root (pass 2 relies on parents < children). */
inline uint32_t Union(uint32_t* parent, uint32_t a, uint32_t b) {
  const uint32_t ra = FindRoot(parent, a);
  const uint32_t rb = FindRoot(parent, b);
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

namespace label_detail {

constexpr int kFirst = 0;
constexpr int kMiddle = 1;
constexpr int kLast = 2;
constexpr int kMiddleAfterLeft = 3;
constexpr int kLastAfterLeft = 4;
constexpr int kMaxPrior = 13;

/** The visited neighbours that exist in one row, for each position of the voxel in the row. */
struct RowPlan {
  ptrdiff_t offsets[5][kMaxPrior];
  int lengths[5];
  void Push(int list, ptrdiff_t off) { offsets[list][lengths[list]++] = off; }
};

struct Step {
  int dz, dy, dx;
};

inline int Changed(int dz, int dy, int dx) { return (dz != 0) + (dy != 0) + (dx != 0); }

/** The visited half of the neighbourhood: steps changing at most `steps` axes. Returns how many. */
inline int PriorNeighbours(int steps, bool flat, Step* result) {
  int n = 0;
  for (int dz = -1; dz <= 0; dz++) {
    if (flat && dz != 0) continue;
    for (int dy = -1; dy <= (dz < 0 ? 1 : 0); dy++) {
      for (int dx = -1; dx <= (dz < 0 || dy < 0 ? 1 : -1); dx++) {
        const int changed = Changed(dz, dy, dx);
        if (changed >= 1 && changed <= steps) result[n++] = Step{dz, dy, dx};
      }
    }
  }
  return n;
}

/** Fills the five lists of row (z, y), leaving out the left and the central neighbour. */
inline void PlanRow(const Step* prior, int nPrior, int steps, const Step* central, int64_t z, int64_t y,
                    int64_t Y, int64_t X, RowPlan& plan) {
  for (int& len : plan.lengths) len = 0;
  for (int k = 0; k < nPrior; k++) {
    const Step s = prior[k];
    if (z + s.dz < 0 || y + s.dy < 0 || y + s.dy >= Y) continue;
    if (s.dz == 0 && s.dy == 0) continue;
    if (central != nullptr && s.dz == central->dz && s.dy == central->dy && s.dx == central->dx) continue;
    const ptrdiff_t off = static_cast<ptrdiff_t>(s.dz) * Y * X + static_cast<ptrdiff_t>(s.dy) * X + s.dx;
    // Seen from the left neighbour (0, 0, -1) this step is (dz, dy, dx + 1).
    const bool besideLeft = s.dx + 1 <= 1 && Changed(s.dz, s.dy, s.dx + 1) <= steps;
    if (s.dx == 0 || (s.dx == 1 && X > 1)) plan.Push(kFirst, off);
    plan.Push(kMiddle, off);
    if (s.dx != 1) plan.Push(kLast, off);
    if (!besideLeft) plan.Push(kMiddleAfterLeft, off);
    if (!besideLeft && s.dx != 1) plan.Push(kLastAfterLeft, off);
  }
}

/** Pass 1: provisional labels into `out`, equivalences into `parent`; returns the highest label. */
inline uint32_t Scan(const uint8_t* mask, int64_t Z, int64_t Y, int64_t X, int steps, uint32_t* out,
                     uint32_t* parent) {
  Step prior[kMaxPrior];
  const int nPrior = PriorNeighbours(steps, Z == 1, prior);
  // The neighbour adjacent to every other visited neighbour, if the connectivity has one.
  const Step centralStep = steps == 3 ? Step{-1, 0, 0} : Step{0, -1, 0};
  const Step* central = steps == 3 || (steps == 2 && Z == 1) ? &centralStep : nullptr;
  RowPlan plan;
  uint32_t next = 0;
  int planned = -1;
  for (int64_t z = 0; z < Z; z++) {
    for (int64_t y = 0; y < Y; y++) {
      const int where = (z > 0 ? 4 : 0) + (y > 0 ? 2 : 0) + (y < Y - 1 ? 1 : 0);
      if (where != planned) PlanRow(prior, nPrior, steps, central, z, y, Y, X, plan);
      planned = where;
      const ptrdiff_t centralOff = central != nullptr && z + central->dz >= 0 && y + central->dy >= 0
                                       ? static_cast<ptrdiff_t>(central->dz) * Y * X + central->dy * X
                                       : 0;
      const int64_t rowBase = (z * Y + y) * X;
      uint32_t* row = out + rowBase;
      const uint8_t* mrow = mask + rowBase;
      for (int64_t x = 0; x < X; x++) {
        if (mrow[x] == 0) {
          row[x] = 0;
          continue;
        }
        uint32_t cur = 0;
        int list = -1;
        if (centralOff != 0 && row[x + centralOff] != 0) {
          cur = row[x + centralOff];
        } else if (x > 0 && row[x - 1] != 0) {
          cur = row[x - 1];
          list = x < X - 1 ? kMiddleAfterLeft : kLastAfterLeft;
        } else {
          list = x == 0 ? kFirst : x < X - 1 ? kMiddle : kLast;
        }
        if (list >= 0) {
          const ptrdiff_t* offs = plan.offsets[list];
          const int len = plan.lengths[list];
          for (int k = 0; k < len; k++) {
            const uint32_t n = row[x + offs[k]];
            if (n != 0 && n != cur) cur = cur == 0 ? n : Union(parent, cur, n);
          }
        }
        if (cur == 0) {
          cur = ++next;
          parent[cur] = cur;
        }
        row[x] = cur;
      }
    }
  }
  return next;
}

}  // namespace label_detail

/** Length of the parent table for a block: at most every other voxel of a row starts a label, plus 0. */
inline uint64_t LabelScratchLength(int64_t Z, int64_t Y, int64_t X) {
  return static_cast<uint64_t>(Z) * Y * ((X + 1) / 2) + 1;
}

/**
 * Labels the foreground of a C-order block (Z, Y, X) into `out`; `steps` is the normalized connectivity
 * (1: 4/6, 2: 8/18, 3: 26; 2D when Z == 1). `parent` holds LabelScratchLength entries. Returns n.
 */
inline uint32_t LabelBlock(const uint8_t* mask, int64_t Z, int64_t Y, int64_t X, int steps, uint32_t* out,
                           uint32_t* parent) {
  const uint32_t provisional = label_detail::Scan(mask, Z, Y, X, steps, out, parent);
  // Pass 2: parents are smaller than children, so one ascending sweep numbers the roots 1..n in order
  // of their first voxel and resolves every other label through its (already final) parent.
  uint32_t n = 0;
  for (uint32_t label = 1; label <= provisional; label++) {
    const uint32_t p = parent[label];
    parent[label] = p == label ? ++n : parent[p];
  }
  const int64_t count = Z * Y * X;
  for (int64_t i = 0; i < count; i++) {
    const uint32_t l = out[i];
    if (l != 0) out[i] = parent[l];
  }
  return n;
}

}  // namespace voxelflow
