// mapLabels: out[i] = table[src[i]] (or src[i] without a table) wherever src[i] != 0, for a zeroed
// `out`. Background is skipped 64 bytes of src at a time and its part of `out` never written, so the
// pages of a block's empty regions are never touched (fresh memory costs a page fault per 4 KiB).
// Twin of imaging/kernels/map-labels.ts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace voxelflow {

// Maps src[from, to) into out; false when a label is not below `table_length`.
template <typename S, typename O>
inline bool MapRange(const S* src, size_t from, size_t to, const uint32_t* table, size_t table_length, O* out) {
  for (size_t j = from; j < to; j++) {
    const uint32_t l = src[j];
    if (l == 0) continue;
    if (table == nullptr) {
      out[j] = static_cast<O>(l);
    } else {
      if (l >= table_length) return false;
      out[j] = static_cast<O>(table[l]);
    }
  }
  return true;
}

// Returns false (having written part of `out`) when a label is not below `table_length`.
template <typename S, typename O>
bool MapLabels(const S* src, size_t n, const uint32_t* table, size_t table_length, O* out) {
  constexpr size_t kChunk = 64 / sizeof(S);
  size_t i = 0;
  for (; i + kChunk <= n; i += kChunk) {
    uint64_t words[8];
    std::memcpy(words, src + i, 64);
    uint64_t any = 0;
    for (int w = 0; w < 8; w++) any |= words[w];
    if (any != 0 && !MapRange(src, i, i + kChunk, table, table_length, out)) return false;
  }
  return MapRange(src, i, n, table, table_length, out);
}

}  // namespace voxelflow
