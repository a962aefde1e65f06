// facePairs: the distinct (label in a, label in n) pairs of foreground voxels that touch across two
// layers of one shape, voxel i of a touching voxel i + o of n for each offset o inside the layer;
// sorted by a then n. Pairs are 64-bit keys (a << 32 | n): exact for every u32 label. Twin of
// imaging/kernels/face-pairs.ts.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace voxelflow {

template <typename A, typename N>
std::vector<uint64_t> FacePairs(const A* la, const N* ln, int64_t sz, int64_t sy, int64_t sx, const int32_t* offsets, size_t no) {
  std::vector<int64_t> od(no);
  for (size_t o = 0; o < no; o++) od[o] = (offsets[3 * o] * sy + offsets[3 * o + 1]) * sx + offsets[3 * o + 2];
  std::vector<uint64_t> keys;
  // One component crossing a face repeats one pair many times: a direct-mapped cache of recent keys
  // drops repeats before they are stored and sorted.
  constexpr size_t kRecent = 256;
  uint64_t recent[kRecent];
  std::fill(recent, recent + kRecent, ~uint64_t{0});
  const int64_t plane = sy * sx;
  const int64_t count = sz * plane;
  for (int64_t i = 0; i < count; i++) {
    const uint32_t ia = la[i];
    if (ia == 0) continue;
    const int64_t z = i / plane;
    const int64_t y = (i - z * plane) / sx;
    const int64_t x = i - z * plane - y * sx;
    for (size_t o = 0; o < no; o++) {
      const int64_t qz = z + offsets[3 * o], qy = y + offsets[3 * o + 1], qx = x + offsets[3 * o + 2];
      if (qz < 0 || qy < 0 || qx < 0 || qz >= sz || qy >= sy || qx >= sx) continue;
      const uint32_t ib = ln[i + od[o]];
      if (ib == 0) continue;
      const uint64_t key = (uint64_t{ia} << 32) | ib;
      const size_t h = ((ia * 31u) ^ ib) & (kRecent - 1);
      if (recent[h] == key) continue;
      recent[h] = key;
      keys.push_back(key);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace voxelflow
