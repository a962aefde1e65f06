// Block connected-component labeling, twin of imaging/kernels/label-block.ts: a two-pass raster scan
// with union-find over a flat parent table in the spirit of SAUF (Wu, Otoo & Suzuki 2009), no
// recursion, no allocation per voxel. Components are numbered 1..n in raster order of their first
// voxel, the numbering of scipy.ndimage.label and of the TypeScript kernel.
//
// The TypeScript kernel's decision tree (the voxel below, then the left one, then the rest) becomes a
// table here (neighbour_groups.h): the pattern of the visited neighbours slides along the row in a
// register and names the one or few neighbours to read. Every correct scan gives the same output:
// provisional labels start at the same voxels (foreground with no visited foreground neighbour), in
// raster order, and the union keeps the smaller root, so pass 2 numbers components alike.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "neighbour_groups.h"

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

/** The mask rows of the four visited rows of a voxel's row, a zero row where the block has none. */
struct Rows {
  const uint8_t* r[4];
};

/** The foreground bits of column x of the visited rows (bit `row`), 0 outside the block. */
inline uint32_t Column(const Rows& rows, int64_t x, int64_t X) {
  if (x < 0 || x >= X) return 0;
  return static_cast<uint32_t>(rows.r[0][x] != 0) | static_cast<uint32_t>(rows.r[1][x] != 0) << 1 |
         static_cast<uint32_t>(rows.r[2][x] != 0) << 2 | static_cast<uint32_t>(rows.r[3][x] != 0) << 3;
}

/** The first foreground position at or after `x` (background at x), or X; eight bytes at a time. */
inline int64_t SkipBackground(const uint8_t* mrow, int64_t x, int64_t X) {
  int64_t end = x + 1;
  for (uint64_t word; end + 8 <= X; end += 8) {
    std::memcpy(&word, mrow + end, 8);
    if (word != 0) break;
  }
  while (end < X && mrow[end] == 0) end++;
  return end;
}

/** Joins the labels of the representatives of a pattern's groups (two or more); returns the root. */
inline uint32_t JoinGroups(const uint32_t* at, uint32_t entry, const ptrdiff_t* offsets, uint32_t* parent) {
  const uint32_t groups = entry & 7;
  uint32_t cur = at[offsets[entry >> 3 & 15]];
  for (uint32_t g = 1; g < groups; g++) {
    const uint32_t n = at[offsets[entry >> (3 + 4 * g) & 15]];
    if (n != cur) cur = Union(parent, cur, n);
  }
  return cur;
}

/** What a row scan needs besides the row: the table, neighbour offsets, the label counter. */
struct ScanState {
  const GroupTable* table;
  ptrdiff_t offsets[kPositions + 1];  // by position, kSelf last (0)
  uint32_t* parent;
  uint32_t next;
  uint8_t* columns;  // X + 3 column patterns of the row being scanned, from x = -1
};

/**
 * A row that is mostly background: background runs are skipped eight voxels at a time, each
 * foreground voxel builds its pattern on the fly. Returns the row's foreground count.
 */
inline int64_t SparseRow(const uint8_t* mrow, const Rows& rows, int64_t X, uint32_t* row, ScanState& s) {
  int64_t foreground = 0;
  uint32_t window = Column(rows, 0, X) << 4 | Column(rows, 1, X) << 8;
  uint32_t left = 0;
  for (int64_t x = 0; x < X; x++) {
    if (mrow[x] == 0) {
      const int64_t end = SkipBackground(mrow, x, X);
      std::memset(row + x, 0, (end - x) * sizeof(uint32_t));
      x = end;
      if (x == X) break;
      window = Column(rows, x - 1, X) | Column(rows, x, X) << 4 | Column(rows, x + 1, X) << 8;
      left = 0;
    }
    const uint32_t entry = (*s.table)[window | left << kLeft];
    window = window >> 4 | Column(rows, x + 2, X) << 8;
    uint32_t cur;
    if ((entry & 7) == 1) {
      cur = row[x + s.offsets[entry >> 3 & 15]];
    } else if ((entry & 7) == 0) {
      cur = ++s.next;
      s.parent[cur] = cur;
    } else {
      cur = JoinGroups(row + x, entry, s.offsets, s.parent);
    }
    row[x] = cur;
    left = 1;
    foreground++;
  }
  return foreground;
}

/**
 * A row with much foreground: the column patterns are computed first in a vectorizable pass, then
 * each voxel copies the label of its one group without a branch; only a voxel with no group or several
 * branches, so a random mask costs few mispredictions. Returns the row's foreground count.
 */
inline int64_t DenseRow(const uint8_t* __restrict mrow, const Rows& rows, int64_t X, uint32_t* row, ScanState& s) {
  uint8_t* __restrict columns = s.columns;
  const uint8_t* __restrict r0 = rows.r[0];
  const uint8_t* __restrict r1 = rows.r[1];
  const uint8_t* __restrict r2 = rows.r[2];
  const uint8_t* __restrict r3 = rows.r[3];
  columns[0] = 0;
  for (int64_t x = 0; x < X; x++) {
    columns[x + 1] = static_cast<uint8_t>((r0[x] != 0) | (r1[x] != 0) << 1 | (r2[x] != 0) << 2 | (r3[x] != 0) << 3);
  }
  columns[X + 1] = columns[X + 2] = 0;
  const GroupTable& table = *s.table;
  int64_t foreground = 0;
  uint32_t window = static_cast<uint32_t>(columns[1]) << 4 | static_cast<uint32_t>(columns[2]) << 8;
  uint32_t left = 0;
  for (int64_t x = 0; x < X; x++) {
    const uint32_t fg = mrow[x] != 0;
    const uint32_t entry = table[window | left << kLeft];
    window = window >> 4 | static_cast<uint32_t>(columns[x + 3]) << 8;
    // With no group the representative is the voxel itself (kSelf): a harmless read.
    uint32_t cur = row[x + s.offsets[entry >> 3 & 15]] & (0u - fg);
    if (fg & ((entry & 7) != 1)) {
      if ((entry & 7) == 0) {
        cur = ++s.next;
        s.parent[cur] = cur;
      } else {
        cur = JoinGroups(row + x, entry, s.offsets, s.parent);
      }
    }
    row[x] = cur;
    left = fg;
    foreground += fg;
  }
  return foreground;
}

/**
 * Pass 1: provisional labels into `out`, equivalences into `parent`; returns the highest label. Each
 * voxel's pattern (neighbour_groups.h) slides along its row: one group copies its label, none starts a
 * new label, more join theirs. A row takes the dense loop when the row before it was at least a fifth
 * foreground, else the sparse one; both give the same labels.
 */
inline uint32_t Scan(const uint8_t* mask, int64_t Z, int64_t Y, int64_t X, int steps, uint32_t* out,
                     uint32_t* parent, const uint8_t* zeros, uint8_t* columns) {
  ScanState s;
  s.table = &GroupTableFor(steps);
  for (int p = 0; p < kPositions; p++) {
    const Delta d = PositionDelta(p);
    s.offsets[p] = static_cast<ptrdiff_t>(d.dz) * Y * X + static_cast<ptrdiff_t>(d.dy) * X + d.dx;
  }
  s.offsets[kSelf] = 0;
  s.parent = parent;
  s.next = 0;
  s.columns = columns;
  bool dense = false;
  for (int64_t z = 0; z < Z; z++) {
    for (int64_t y = 0; y < Y; y++) {
      const int64_t rowBase = (z * Y + y) * X;
      const uint8_t* mrow = mask + rowBase;
      const uint8_t* above = z > 0 ? mrow - Y * X : nullptr;
      const Rows rows{{above != nullptr && y > 0 ? above - X : zeros, above != nullptr ? above : zeros,
                       above != nullptr && y < Y - 1 ? above + X : zeros, y > 0 ? mrow - X : zeros}};
      const int64_t foreground =
          dense ? DenseRow(mrow, rows, X, out + rowBase, s) : SparseRow(mrow, rows, X, out + rowBase, s);
      dense = foreground * 5 >= X;
    }
  }
  return s.next;
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
  // Per-thread rows: background for the rows outside the block, and the dense scan's column patterns.
  thread_local std::vector<uint8_t> zeros, columns;
  if (zeros.size() < static_cast<size_t>(X)) zeros.assign(X, 0);
  if (columns.size() < static_cast<size_t>(X) + 3) columns.resize(X + 3);
  const uint32_t provisional = label_detail::Scan(mask, Z, Y, X, steps, out, parent, zeros.data(), columns.data());
  // Pass 2: parents are smaller than children, so one ascending sweep numbers the roots 1..n in order
  // of their first voxel and resolves every other label through its (already final) parent.
  uint32_t n = 0;
  parent[0] = 0;
  for (uint32_t label = 1; label <= provisional; label++) {
    const uint32_t p = parent[label];
    parent[label] = p == label ? ++n : parent[p];
  }
  // Background stays 0 (parent[0] = 0); eight voxels of background mask are skipped without a read.
  // Labels are read only under foreground, in runs too sparse for the hardware prefetcher, so the
  // mask a few KB ahead says which label lines to fetch.
  const int64_t count = Z * Y * X;
  constexpr int64_t kAhead = 512;
  int64_t i = 0;
  for (uint64_t word; i + 8 <= count; i += 8) {
#if defined(__GNUC__)
    if (i + kAhead + 8 <= count) {
      std::memcpy(&word, mask + i + kAhead, 8);
      if (word != 0) __builtin_prefetch(out + i + kAhead, 1);
    }
#endif
    std::memcpy(&word, mask + i, 8);
    if (word == 0) continue;
    for (int k = 0; k < 8; k++) out[i + k] = parent[out[i + k]];
  }
  for (; i < count; i++) out[i] = parent[out[i]];
  return n;
}

}  // namespace voxelflow
