// The decision table of the labeling scan (label_block.h): for each pattern of foreground among the 13
// already-visited neighbours of a voxel, the neighbours whose labels must be joined. It carries SAUF's
// idea (Wu, Otoo & Suzuki 2009: read only the neighbours a decision tree needs) to 3D as a lookup:
// visited foreground voxels that are neighbours of each other were joined when the later of them was
// visited, so the foreground neighbours fall into groups already in one set each (connected within
// the neighbourhood), and one representative per group is enough. For 26-connectivity 82% of the
// patterns of a random mask have one group (copy a label, no union), at most four have to be joined.
#pragma once
#include <cstdint>

namespace voxelflow {
namespace label_detail {

// Neighbour positions: p = 4 * column + row for the columns x-1, x, x+1 and the rows (z-1, y-1),
// (z-1, y), (z-1, y+1), (z, y-1); p = 12 is the left neighbour (z, y, x-1). A pattern is the 13-bit set
// of foreground positions, so that the 12 column bits slide by 4 per voxel.
constexpr int kPositions = 13;
constexpr int kLeft = 12;
constexpr int kSelf = 13;  // a representative index that reads the voxel itself (patterns with no group)
constexpr int kPatterns = 1 << kPositions;

struct Delta {
  int dz, dy, dx;
};

inline Delta PositionDelta(int p) {
  if (p == kLeft) return Delta{0, 0, -1};
  const int row = p % 4;
  const int dx = p / 4 - 1;
  return row == 3 ? Delta{0, -1, dx} : Delta{-1, row - 1, dx};
}

inline int Abs(int v) { return v < 0 ? -v : v; }

/** Whether a step of (dz, dy, dx) joins two voxels when a step may change at most `steps` axes. */
inline bool Adjacent(int dz, int dy, int dx, int steps) {
  if (Abs(dz) > 1 || Abs(dy) > 1 || Abs(dx) > 1) return false;
  const int changed = (dz != 0) + (dy != 0) + (dx != 0);
  return changed >= 1 && changed <= steps;
}

/**
 * Entry of a pattern: bits 0-2 the number of groups g (0..4), then g 4-bit representative positions
 * (lowest position of each group); with g = 0 one kSelf, so that the scan can read it unconditionally.
 */
class GroupTable {
 public:
  explicit GroupTable(int steps) {
    for (int pattern = 0; pattern < kPatterns; pattern++) entries_[pattern] = Build(pattern, steps);
  }
  uint32_t operator[](uint32_t pattern) const { return entries_[pattern]; }

 private:
  static uint32_t Build(int pattern, int steps) {
    int group[kPositions];
    for (int p = 0; p < kPositions; p++) {
      const Delta d = PositionDelta(p);
      const bool neighbour = (pattern >> p & 1) && Adjacent(d.dz, d.dy, d.dx, steps);
      group[p] = neighbour ? p : -1;
    }
    // Merge groups of adjacent positions until nothing changes (13 positions: a few sweeps).
    for (bool changed = true; changed;) {
      changed = false;
      for (int p = 0; p < kPositions; p++) {
        for (int q = 0; q < kPositions; q++) {
          if (group[p] < 0 || group[q] < 0 || group[p] == group[q]) continue;
          const Delta a = PositionDelta(p), b = PositionDelta(q);
          if (!Adjacent(a.dz - b.dz, a.dy - b.dy, a.dx - b.dx, steps)) continue;
          const int low = group[p] < group[q] ? group[p] : group[q];
          group[p] = group[q] = low;
          changed = true;
        }
      }
    }
    uint32_t entry = 0;
    int count = 0;
    for (int p = 0; p < kPositions; p++) {
      if (group[p] != p) continue;
      entry |= static_cast<uint32_t>(p) << (3 + 4 * count);
      count++;
    }
    if (count == 0) entry = static_cast<uint32_t>(kSelf) << 3;
    return entry | static_cast<uint32_t>(count);
  }
  uint32_t entries_[kPatterns];
};

/** The table of a normalized connectivity (`steps`: 1 for 4/6, 2 for 8/18, 3 for 26), built once. */
inline const GroupTable& GroupTableFor(int steps) {
  static const GroupTable one(1), two(2), three(3);
  return steps == 1 ? one : steps == 2 ? two : three;
}

}  // namespace label_detail
}  // namespace voxelflow
