// N-API entry of the native kernels. The TypeScript loader (native/index.ts) validates arguments with
// the same checks and messages as the TypeScript twins; the checks here only keep a bad call from
// touching memory outside the arrays. boxFilter and labelStats check the whole call themselves and
// answer false for one they do not take, which the loader then hands to the twin (for its error).
// Typed arrays are read in place (SharedArrayBuffer-backed ones too): napi_get_typedarray_info hands
// out the data pointer without copying.
#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <vector>
#if defined(__linux__)
#include <fcntl.h>
#endif

#include "box_filter.h"
#include "label_block.h"
#include "label_stats.h"
#include "face_pairs.h"
#include "map_labels.h"
#include "phantom_blobs.h"
#include "phantom_bone.h"
#include "threshold.h"
#include "tomo_napi.h"

namespace {

struct View {
  napi_typedarray_type type;
  size_t length;
  void* data;
};

bool GetView(const Napi::Env& env, const Napi::Value& value, const char* name, View* view) {
  if (!value.IsTypedArray()) {
    Napi::TypeError::New(env, std::string(name) + " must be a typed array").ThrowAsJavaScriptException();
    return false;
  }
  napi_status status =
      napi_get_typedarray_info(env, value, &view->type, &view->length, &view->data, nullptr, nullptr);
  if (status != napi_ok) {
    Napi::Error::New(env, std::string("cannot read ") + name).ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

bool Fail(const Napi::Env& env, const std::string& message) {
  Napi::RangeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

template <typename T>
size_t ThresholdOf(const View& src, voxelflow::Bounds b, double above, double below, uint8_t* out) {
  return voxelflow::Threshold(static_cast<const T*>(src.data), src.length, b, above, below, out);
}

// threshold(src, bounds, above, below, out): count. bounds: 0 between, 1 above only, 2 below only.
Napi::Value Threshold(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View src, out;
  if (!GetView(env, info[0], "src", &src) || !GetView(env, info[4], "out", &out)) return env.Undefined();
  if (out.type != napi_uint8_array) return Fail(env, "out must be a Uint8Array"), env.Undefined();
  if (out.length < src.length) return Fail(env, "out is shorter than src"), env.Undefined();
  const int bounds = info[1].As<Napi::Number>().Int32Value();
  if (bounds < 0 || bounds > 2) return Fail(env, "bounds must be 0, 1 or 2"), env.Undefined();
  const auto b = static_cast<voxelflow::Bounds>(bounds);
  const double above = info[2].As<Napi::Number>().DoubleValue();
  const double below = info[3].As<Napi::Number>().DoubleValue();
  uint8_t* o = static_cast<uint8_t*>(out.data);
  size_t count;
  switch (src.type) {
    case napi_uint8_array: count = ThresholdOf<uint8_t>(src, b, above, below, o); break;
    case napi_uint16_array: count = ThresholdOf<uint16_t>(src, b, above, below, o); break;
    case napi_int16_array: count = ThresholdOf<int16_t>(src, b, above, below, o); break;
    case napi_uint32_array: count = ThresholdOf<uint32_t>(src, b, above, below, o); break;
    case napi_int32_array: count = ThresholdOf<int32_t>(src, b, above, below, o); break;
    case napi_float32_array: count = ThresholdOf<float>(src, b, above, below, o); break;
    case napi_float64_array: count = ThresholdOf<double>(src, b, above, below, o); break;
    default: return Fail(env, "src must be u8, u16, i16, u32, i32, f32 or f64"), env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(count));
}

// labelBlock(mask, z, y, x, steps, out, scratch | undefined): n. steps: 1 (4/6), 2 (8/18), 3 (26).
Napi::Value LabelBlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View mask, out;
  if (!GetView(env, info[0], "mask", &mask) || !GetView(env, info[5], "out", &out)) return env.Undefined();
  const int64_t Z = info[1].As<Napi::Number>().Int64Value();
  const int64_t Y = info[2].As<Napi::Number>().Int64Value();
  const int64_t X = info[3].As<Napi::Number>().Int64Value();
  const int steps = info[4].As<Napi::Number>().Int32Value();
  if (Z < 1 || Y < 1 || X < 1) return Fail(env, "shape must be positive"), env.Undefined();
  if (steps < 1 || steps > 3) return Fail(env, "steps must be 1, 2 or 3"), env.Undefined();
  const uint64_t count = static_cast<uint64_t>(Z) * Y * X;
  if (mask.type != napi_uint8_array || out.type != napi_uint32_array) {
    return Fail(env, "mask must be a Uint8Array and out a Uint32Array"), env.Undefined();
  }
  if (mask.length < count || out.length < count) return Fail(env, "mask or out too short"), env.Undefined();
  const uint64_t tableLength = voxelflow::LabelScratchLength(Z, Y, X);
  if (tableLength > 0xffffffffull) return Fail(env, "block too large for 32-bit labels"), env.Undefined();
  std::vector<uint32_t> owned;
  uint32_t* parent;
  if (info[6].IsUndefined()) {
    owned.resize(tableLength);
    parent = owned.data();
  } else {
    View scratch;
    if (!GetView(env, info[6], "scratch", &scratch)) return env.Undefined();
    if (scratch.type != napi_uint32_array || scratch.length < tableLength) {
      return Fail(env, "scratch must be a Uint32Array of labelScratchLength(shape)"), env.Undefined();
    }
    parent = static_cast<uint32_t*>(scratch.data);
  }
  const uint32_t n = voxelflow::LabelBlock(static_cast<const uint8_t*>(mask.data), Z, Y, X, steps,
                                           static_cast<uint32_t*>(out.data), parent);
  return Napi::Number::New(env, n);
}

template <typename T>
void BoxFilterOf(const View& in, const voxelflow::BoxGeometry& g, int64_t radius, voxelflow::BoxMode mode, float* out) {
  voxelflow::RunBoxFilter(static_cast<const T*>(in.data), g, radius, mode, out);
}

/** A double that is an integer in [-2^53, 2^53], as int64; false otherwise (NaN included). */
bool AsInt(double v, int64_t* result) {
  if (!(v >= -9007199254740992.0 && v <= 9007199254740992.0) || v != static_cast<double>(static_cast<int64_t>(v))) {
    return false;
  }
  *result = static_cast<int64_t>(v);
  return true;
}

// boxFilter(input, geometry, radius, mode, out): true when filtered, false when the call is not one the
// kernel accepts (the loader then hands it to the TypeScript twin, which throws its error). geometry:
// a Float64Array of inShape, inOrigin, imageShape, outOrigin, outShape ([z, y, x] each). mode: 0
// constant, 1 nearest, 2 reflect.
Napi::Value BoxFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View in, geometry, out;
  if (!GetView(env, info[0], "input", &in) || !GetView(env, info[1], "geometry", &geometry) ||
      !GetView(env, info[4], "out", &out)) {
    return env.Undefined();
  }
  const Napi::Boolean rejected = Napi::Boolean::New(env, false);
  if (geometry.type != napi_float64_array || geometry.length != 15 || out.type != napi_float32_array) return rejected;
  voxelflow::BoxGeometry g;
  int64_t* fields[5] = {g.inShape, g.inOrigin, g.imageShape, g.outOrigin, g.outShape};
  const double* values = static_cast<const double*>(geometry.data);
  for (int i = 0; i < 15; i++) {
    if (!AsInt(values[i], &fields[i / 3][i % 3])) return rejected;
  }
  int64_t radius, mode;
  if (!AsInt(info[2].ToNumber().DoubleValue(), &radius) || !AsInt(info[3].ToNumber().DoubleValue(), &mode)) return rejected;
  if (mode < 0 || mode > 2 || !voxelflow::BoxGeometryValid(g, radius)) return rejected;
  const uint64_t inCount = static_cast<uint64_t>(g.inShape[0]) * g.inShape[1] * g.inShape[2];
  const uint64_t outCount = static_cast<uint64_t>(g.outShape[0]) * g.outShape[1] * g.outShape[2];
  if (in.length < inCount || out.length < outCount) return rejected;
  const auto m = static_cast<voxelflow::BoxMode>(mode);
  float* o = static_cast<float*>(out.data);
  switch (in.type) {
    case napi_uint8_array: BoxFilterOf<uint8_t>(in, g, radius, m, o); break;
    case napi_uint16_array: BoxFilterOf<uint16_t>(in, g, radius, m, o); break;
    case napi_int16_array: BoxFilterOf<int16_t>(in, g, radius, m, o); break;
    case napi_uint32_array: BoxFilterOf<uint32_t>(in, g, radius, m, o); break;
    case napi_int32_array: BoxFilterOf<int32_t>(in, g, radius, m, o); break;
    case napi_float32_array: BoxFilterOf<float>(in, g, radius, m, o); break;
    case napi_float64_array: BoxFilterOf<double>(in, g, radius, m, o); break;
    default: return rejected;
  }
  return Napi::Boolean::New(env, true);
}

template <typename T>
int64_t LabelStatsOf(const uint32_t* labels, const voxelflow::StatsGeometry& g, const View* intensity, uint32_t n,
                     double* data) {
  if (intensity == nullptr) return voxelflow::LabelStats<T, false>(labels, g, nullptr, n, data);
  return voxelflow::LabelStats<T, true>(labels, g, static_cast<const T*>(intensity->data), n, data);
}

// labelStats(labels, geometry, intensity | null, n, data): true when `data` (createPartials' array)
// holds the statistics; false when the call is not one the kernel accepts or a label exceeds n (the
// loader then hands it to the TypeScript twin, which throws its error). geometry: a Float64Array of
// shape, origin, imageShape ([z, y, x] each).
Napi::Value LabelStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View labels, geometry, data, intensity;
  if (!GetView(env, info[0], "labels", &labels) || !GetView(env, info[1], "geometry", &geometry) ||
      !GetView(env, info[4], "data", &data)) {
    return env.Undefined();
  }
  const bool hasIntensity = !info[2].IsNull();
  if (hasIntensity && !GetView(env, info[2], "intensity", &intensity)) return env.Undefined();
  const Napi::Boolean rejected = Napi::Boolean::New(env, false);
  if (labels.type != napi_uint32_array || geometry.type != napi_float64_array || geometry.length != 9 ||
      data.type != napi_float64_array) {
    return rejected;
  }
  voxelflow::StatsGeometry g;
  int64_t* fields[3] = {g.shape, g.origin, g.imageShape};
  const double* values = static_cast<const double*>(geometry.data);
  for (int i = 0; i < 9; i++) {
    // |coordinates| below 2^40: int64 index arithmetic cannot overflow, doubles hold every product.
    int64_t v;
    if (!AsInt(values[i], &v) || v < -(1ll << 40) || v > (1ll << 40)) return rejected;
    fields[i / 3][i % 3] = v;
  }
  int64_t n;
  if (!AsInt(info[3].ToNumber().DoubleValue(), &n) || n < 0 || n > 0xffffffffll) return rejected;
  if (g.shape[0] < 1 || g.shape[1] < 1 || g.shape[2] < 1) return rejected;
  const uint64_t count = static_cast<uint64_t>(g.shape[0]) * g.shape[1] * g.shape[2];
  if (count > (1ull << 40) || labels.length < count || (hasIntensity && intensity.length < count)) return rejected;
  if (data.length != static_cast<size_t>(voxelflow::kPartialFields) * (n + 1)) return rejected;
  const uint32_t* l = static_cast<const uint32_t*>(labels.data);
  const View* in = hasIntensity ? &intensity : nullptr;
  double* d = static_cast<double*>(data.data);
  const auto un = static_cast<uint32_t>(n);
  int64_t bad;
  switch (hasIntensity ? intensity.type : napi_uint8_array) {
    case napi_uint8_array: bad = LabelStatsOf<uint8_t>(l, g, in, un, d); break;
    case napi_uint16_array: bad = LabelStatsOf<uint16_t>(l, g, in, un, d); break;
    case napi_int16_array: bad = LabelStatsOf<int16_t>(l, g, in, un, d); break;
    case napi_uint32_array: bad = LabelStatsOf<uint32_t>(l, g, in, un, d); break;
    case napi_int32_array: bad = LabelStatsOf<int32_t>(l, g, in, un, d); break;
    case napi_float32_array: bad = LabelStatsOf<float>(l, g, in, un, d); break;
    case napi_float64_array: bad = LabelStatsOf<double>(l, g, in, un, d); break;
    default: return rejected;
  }
  return Napi::Boolean::New(env, bad < 0);
}

template <typename T>
void PhantomOf(int64_t kind, const voxelflow::PhantomBox& b, int64_t seed, void* out) {
  if (kind == 0) {
    voxelflow::BlobsRegion<T>(b, seed, static_cast<T*>(out));
  } else {
    voxelflow::BoneRegion<T>(b, seed, static_cast<T*>(out));
  }
}

// phantomRegion(kind, geometry, seed, out): true when `out` holds the phantom over the box; false when
// the call is not one the kernel accepts (the loader then hands it to the TypeScript twin). kind: 0
// blobs, 1 bone. geometry: a Float64Array of origin and shape ([z, y, x] each). Coordinates and seed
// within 2^40, so that every coordinate and `seed + k` is exact in float64, as in the twin.
Napi::Value PhantomRegion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View geometry, out;
  if (!GetView(env, info[1], "geometry", &geometry) || !GetView(env, info[3], "out", &out)) return env.Undefined();
  const Napi::Boolean rejected = Napi::Boolean::New(env, false);
  constexpr int64_t kLimit = 1ll << 40;
  int64_t kind, seed;
  if (!AsInt(info[0].ToNumber().DoubleValue(), &kind) || kind < 0 || kind > 1) return rejected;
  if (!AsInt(info[2].ToNumber().DoubleValue(), &seed) || seed < -kLimit || seed > kLimit) return rejected;
  if (geometry.type != napi_float64_array || geometry.length != 6) return rejected;
  voxelflow::PhantomBox b;
  const double* values = static_cast<const double*>(geometry.data);
  for (int a = 0; a < 3; a++) {
    if (!AsInt(values[a], &b.origin[a]) || !AsInt(values[3 + a], &b.shape[a])) return rejected;
    if (b.origin[a] < -kLimit || b.origin[a] > kLimit || b.shape[a] < 0 || b.shape[a] > (1ll << 31)) return rejected;
  }
  const uint64_t count = static_cast<uint64_t>(b.shape[0]) * b.shape[1] * b.shape[2];
  if (count > (1ull << 40) || out.length < count) return rejected;
  if (count == 0) return Napi::Boolean::New(env, true);
  switch (out.type) {
    case napi_uint8_array: PhantomOf<uint8_t>(kind, b, seed, out.data); break;
    case napi_uint16_array: PhantomOf<uint16_t>(kind, b, seed, out.data); break;
    case napi_int16_array: PhantomOf<int16_t>(kind, b, seed, out.data); break;
    case napi_uint32_array: PhantomOf<uint32_t>(kind, b, seed, out.data); break;
    case napi_int32_array: PhantomOf<int32_t>(kind, b, seed, out.data); break;
    case napi_float32_array: PhantomOf<float>(kind, b, seed, out.data); break;
    case napi_float64_array: PhantomOf<double>(kind, b, seed, out.data); break;
    default: return rejected;
  }
  return Napi::Boolean::New(env, true);
}

template <typename S>
bool MapLabelsFrom(const View& src, const uint32_t* table, size_t table_length, const View& out) {
  const S* s = static_cast<const S*>(src.data);
  switch (out.type) {
    case napi_uint8_array: return voxelflow::MapLabels(s, src.length, table, table_length, static_cast<uint8_t*>(out.data));
    case napi_uint16_array: return voxelflow::MapLabels(s, src.length, table, table_length, static_cast<uint16_t*>(out.data));
    case napi_uint32_array: return voxelflow::MapLabels(s, src.length, table, table_length, static_cast<uint32_t*>(out.data));
    default: return false;
  }
}

// mapLabels(src, table | null, out): true, or false when the twin must run (it throws): out[i] =
// table[src[i]] (src[i] without a table) where src[i] != 0; `out` must be zeroed. src, out: u8, u16
// or u32, out at least as long as src; a label past the table is refused.
Napi::Value MapLabels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Boolean rejected = Napi::Boolean::New(env, false);
  if (info.Length() < 3 || !info[0].IsTypedArray() || !info[2].IsTypedArray()) return rejected;
  View src, out, table{napi_uint32_array, 0, nullptr};
  if (!GetView(env, info[0], "src", &src) || !GetView(env, info[2], "out", &out)) return env.Undefined();
  if (!info[1].IsNull()) {
    if (!info[1].IsTypedArray() || !GetView(env, info[1], "table", &table) || table.type != napi_uint32_array) return rejected;
  }
  if (out.length < src.length) return rejected;
  const uint32_t* t = info[1].IsNull() ? nullptr : static_cast<const uint32_t*>(table.data);
  bool ok;
  switch (src.type) {
    case napi_uint8_array: ok = MapLabelsFrom<uint8_t>(src, t, table.length, out); break;
    case napi_uint16_array: ok = MapLabelsFrom<uint16_t>(src, t, table.length, out); break;
    case napi_uint32_array: ok = MapLabelsFrom<uint32_t>(src, t, table.length, out); break;
    default: ok = false;
  }
  return Napi::Boolean::New(env, ok);
}

template <typename A>
std::vector<uint64_t> FacePairsFrom(const View& a, const View& n, int64_t sz, int64_t sy, int64_t sx, const int32_t* offsets, size_t no) {
  const A* la = static_cast<const A*>(a.data);
  switch (n.type) {
    case napi_uint8_array: return voxelflow::FacePairs(la, static_cast<const uint8_t*>(n.data), sz, sy, sx, offsets, no);
    case napi_uint16_array: return voxelflow::FacePairs(la, static_cast<const uint16_t*>(n.data), sz, sy, sx, offsets, no);
    default: return voxelflow::FacePairs(la, static_cast<const uint32_t*>(n.data), sz, sy, sx, offsets, no);
  }
}

bool IsLabelArray(const View& v) {
  return v.type == napi_uint8_array || v.type == napi_uint16_array || v.type == napi_uint32_array;
}

// facePairs(a, n, sz, sy, sx, offsets): a Uint32Array of sorted distinct pairs, or undefined when the
// twin must run (it throws). a, n: u8, u16 or u32 layers of sz*sy*sx voxels; offsets: an Int32Array of
// [oz, oy, ox] triples in -1..1.
Napi::Value FacePairs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsTypedArray() || !info[1].IsTypedArray() || !info[5].IsTypedArray()) return env.Undefined();
  if (!info[2].IsNumber() || !info[3].IsNumber() || !info[4].IsNumber()) return env.Undefined();
  View a, n, off;
  if (!GetView(env, info[0], "a", &a) || !GetView(env, info[1], "n", &n) || !GetView(env, info[5], "offsets", &off)) return env.Undefined();
  const int64_t sz = info[2].As<Napi::Number>().Int64Value(), sy = info[3].As<Napi::Number>().Int64Value(), sx = info[4].As<Napi::Number>().Int64Value();
  if (!IsLabelArray(a) || !IsLabelArray(n) || off.type != napi_int32_array || off.length % 3 != 0) return env.Undefined();
  if (sz < 1 || sy < 1 || sx < 1 || sz > (1 << 20) || sy > (1 << 20) || sx > (1 << 20)) return env.Undefined();
  const uint64_t count = static_cast<uint64_t>(sz) * sy * sx;
  if (a.length < count || n.length < count) return env.Undefined();
  const int32_t* offsets = static_cast<const int32_t*>(off.data);
  for (size_t i = 0; i < off.length; i++) if (offsets[i] < -1 || offsets[i] > 1) return env.Undefined();
  const size_t no = off.length / 3;
  std::vector<uint64_t> keys;
  switch (a.type) {
    case napi_uint8_array: keys = FacePairsFrom<uint8_t>(a, n, sz, sy, sx, offsets, no); break;
    case napi_uint16_array: keys = FacePairsFrom<uint16_t>(a, n, sz, sy, sx, offsets, no); break;
    default: keys = FacePairsFrom<uint32_t>(a, n, sz, sy, sx, offsets, no); break;
  }
  Napi::Uint32Array out = Napi::Uint32Array::New(env, 2 * keys.size());
  for (size_t i = 0; i < keys.size(); i++) {
    out[2 * i] = static_cast<uint32_t>(keys[i] >> 32);
    out[2 * i + 1] = static_cast<uint32_t>(keys[i]);
  }
  return out;
}

// startWriteback(fd, offset, length) -> 0, or the errno of sync_file_range; -1 where the system has none.
// Starts writing the range's dirty pages to disk without waiting (SYNC_FILE_RANGE_WRITE), so that a
// later fsync of a large output finds most of it written: a task calls it after writing its band.
Napi::Value StartWriteback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber()) return Napi::Number::New(env, EINVAL);
  const int fd = info[0].As<Napi::Number>().Int32Value();
  const int64_t offset = info[1].As<Napi::Number>().Int64Value();
  const int64_t length = info[2].As<Napi::Number>().Int64Value();
  if (fd < 0 || offset < 0 || length < 0) return Napi::Number::New(env, EINVAL);
#if defined(__linux__)
  return Napi::Number::New(env, sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE) == 0 ? 0 : errno);
#else
  return Napi::Number::New(env, -1);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("threshold", Napi::Function::New(env, Threshold, "threshold"));
  exports.Set("labelBlock", Napi::Function::New(env, LabelBlock, "labelBlock"));
  exports.Set("boxFilter", Napi::Function::New(env, BoxFilter, "boxFilter"));
  exports.Set("labelStats", Napi::Function::New(env, LabelStats, "labelStats"));
  exports.Set("phantomRegion", Napi::Function::New(env, PhantomRegion, "phantomRegion"));
  exports.Set("mapLabels", Napi::Function::New(env, MapLabels, "mapLabels"));
  exports.Set("facePairs", Napi::Function::New(env, FacePairs, "facePairs"));
  exports.Set("startWriteback", Napi::Function::New(env, StartWriteback, "startWriteback"));
  voxelflow::RegisterTomo(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(voxelflow_native, Init)
