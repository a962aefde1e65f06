// N-API entry points of the tomography kernels (tomo_preprocess.h, tomo_fbp.h). Each answers true when
// it ran and false for a call it does not take (wrong array types or lengths, bad sizes); the loader
// (native/index.ts) then hands the call to the TypeScript twin, which throws its error. Typed arrays are
// read in place.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>

#include "tomo_fbp.h"
#include "tomo_preprocess.h"
#include "tomo_paganin.h"
#include "tomo_rings.h"

namespace voxelflow {
namespace tomo_napi {

/** The data of a typed array of `type` holding at least `need` elements, or nullptr. */
template <typename T>
T* Data(const Napi::Value& value, napi_typedarray_type type, uint64_t need) {
  if (!value.IsTypedArray()) return nullptr;
  napi_typedarray_type t;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(value.Env(), value, &t, &length, &data, nullptr, nullptr) != napi_ok) return nullptr;
  if (t != type || length < need) return nullptr;
  return static_cast<T*>(data);
}

/** An integer in [0, 2^40] from a JS number, or -1. */
inline int64_t Count(const Napi::Value& value) {
  if (!value.IsNumber()) return -1;
  const double v = value.As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 1099511627776.0) || v != std::floor(v)) return -1;
  return static_cast<int64_t>(v);
}

constexpr napi_typedarray_type kF32 = napi_float32_array;
constexpr napi_typedarray_type kF64 = napi_float64_array;

// tomoAverageFrames(frames, count, size, method, out); method 0 mean, 1 median.
inline Napi::Value AverageFramesCall(const Napi::CallbackInfo& info) {
  const int64_t count = Count(info[1]), size = Count(info[2]), method = Count(info[3]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (count < 1 || size < 0 || method < 0 || method > 1) return no;
  const float* frames = Data<float>(info[0], kF32, static_cast<uint64_t>(count) * size);
  float* out = Data<float>(info[4], kF32, size);
  if (frames == nullptr || out == nullptr) return no;
  AverageFrames(frames, count, size, static_cast<int>(method), out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoFlatField(data, count, size, first, total, dark, before, after | null, eps, out).
inline Napi::Value FlatFieldCall(const Napi::CallbackInfo& info) {
  const int64_t count = Count(info[1]), size = Count(info[2]), first = Count(info[3]), total = Count(info[4]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (count < 0 || size < 0 || first < 0 || total < 0 || !info[8].IsNumber()) return no;
  const uint64_t n = static_cast<uint64_t>(count) * size;
  const float* data = Data<float>(info[0], kF32, n);
  const float* dark = Data<float>(info[5], kF32, size);
  const float* before = Data<float>(info[6], kF32, size);
  const float* after = info[7].IsNull() ? nullptr : Data<float>(info[7], kF32, size);
  float* out = Data<float>(info[9], kF32, n);
  if (data == nullptr || dark == nullptr || before == nullptr || out == nullptr || (after == nullptr && !info[7].IsNull())) return no;
  FlatField(data, count, size, first, total, dark, before, after, info[8].As<Napi::Number>().DoubleValue(), out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoMinusLog(data, n, lo, out).
inline Napi::Value MinusLogCall(const Napi::CallbackInfo& info) {
  const int64_t n = Count(info[1]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (n < 0 || !info[2].IsNumber()) return no;
  const float* data = Data<float>(info[0], kF32, n);
  float* out = Data<float>(info[3], kF32, n);
  const double lo = info[2].As<Napi::Number>().DoubleValue();
  if (data == nullptr || out == nullptr || !(lo > 0)) return no;
  MinusLog(data, n, lo, out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoDezinger(data, frames, rows, cols, threshold, out); data and out distinct.
inline Napi::Value DezingerCall(const Napi::CallbackInfo& info) {
  const int64_t frames = Count(info[1]), rows = Count(info[2]), cols = Count(info[3]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (frames < 0 || rows < 0 || cols < 0 || !info[4].IsNumber()) return no;
  const uint64_t n = static_cast<uint64_t>(frames) * rows * cols;
  const float* data = Data<float>(info[0], kF32, n);
  float* out = Data<float>(info[5], kF32, n);
  if (data == nullptr || out == nullptr || static_cast<const void*>(data) == static_cast<void*>(out)) return no;
  Dezinger(data, frames, rows, cols, info[4].As<Napi::Number>().DoubleValue(), out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoFilterLines(lines, count, columns, filter, out, stride); line l starts at l * stride.
inline Napi::Value FilterLinesCall(const Napi::CallbackInfo& info) {
  const int64_t count = Count(info[1]), columns = Count(info[2]), stride = Count(info[5]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (count < 0 || columns < 1 || stride < columns || !info[3].IsTypedArray()) return no;
  const int64_t size = static_cast<int64_t>(info[3].As<Napi::TypedArray>().ElementLength());
  if (size < 2 || (size & (size - 1)) != 0 || size / 2 < columns || size > (1 << 26)) return no;
  const float* lines = Data<float>(info[0], kF32, count == 0 ? 0 : static_cast<uint64_t>(count - 1) * stride + columns);
  const double* filter = Data<double>(info[3], kF64, size);
  float* out = Data<float>(info[4], kF32, static_cast<uint64_t>(count) * (size - columns));
  if (lines == nullptr || filter == nullptr || out == nullptr) return no;
  FilterLines(lines, count, columns, stride, filter, size, out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoBackProject(lines, cos, sin, geometry, out); geometry: Float64Array of size, width, margin,
// center, row0, col0, rows, cols, slices, accumulate (0 or 1).
inline Napi::Value BackProjectCall(const Napi::CallbackInfo& info) {
  const auto no = Napi::Boolean::New(info.Env(), false);
  const double* g = Data<double>(info[3], kF64, 10);
  if (g == nullptr || !info[1].IsTypedArray() || (g[9] != 0.0 && g[9] != 1.0)) return no;
  int64_t v[9];
  for (int i = 0; i < 9; i++) {
    if (i == 3) continue;
    if (!(g[i] >= 0 && g[i] <= 1073741824.0) || g[i] != std::floor(g[i])) return no;
    v[i] = static_cast<int64_t>(g[i]);
  }
  const FbpGeometry geo{v[0], v[1], v[2], g[3], v[4], v[5], v[6], v[7]};
  const int64_t slices = v[8];
  const int64_t angles = static_cast<int64_t>(info[1].As<Napi::TypedArray>().ElementLength());
  // Positions are computed in float: keep them well inside float's exact integers.
  if (!std::isfinite(geo.center) || std::fabs(geo.center) > 1e6 || geo.size < 1 || geo.width < 2 || geo.width > (1 << 24) || angles < 1 ||
      geo.row0 + geo.rows > geo.size || geo.col0 + geo.cols > geo.size || slices < 1) {
    return no;
  }
  const float* lines = Data<float>(info[0], kF32, static_cast<uint64_t>(slices) * angles * geo.width);
  const double* cosines = Data<double>(info[1], kF64, angles);
  const double* sines = Data<double>(info[2], kF64, angles);
  float* out = Data<float>(info[4], kF32, static_cast<uint64_t>(slices) * geo.rows * geo.cols);
  if (lines == nullptr || cosines == nullptr || sines == nullptr || out == nullptr) return no;
  BackProject(lines, slices, angles, cosines, sines, geo, g[9] == 1.0, out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoRemoveStripes(sinogram, angles, cols, size, out); size odd, sinogram and out distinct.
inline Napi::Value RemoveStripesCall(const Napi::CallbackInfo& info) {
  const int64_t angles = Count(info[1]), cols = Count(info[2]), size = Count(info[3]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (angles < 0 || angles > 0xffffffffll || cols < 1 || size < 1 || size % 2 == 0) return no;
  const uint64_t n = static_cast<uint64_t>(angles) * cols;
  const float* sino = Data<float>(info[0], kF32, n);
  float* out = Data<float>(info[4], kF32, n);
  if (sino == nullptr || out == nullptr || static_cast<const void*>(sino) == static_cast<void*>(out)) return no;
  RemoveStripes(sino, angles, cols, size, out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoPaganin(data, frames, rows, cols, coefficient, pixelMetres, out); out may be data.
inline Napi::Value PaganinCall(const Napi::CallbackInfo& info) {
  const int64_t frames = Count(info[1]), rows = Count(info[2]), cols = Count(info[3]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  if (frames < 0 || rows < 1 || cols < 1 || rows > (1 << 20) || cols > (1 << 20) || !info[4].IsNumber() || !info[5].IsNumber()) return no;
  const double coefficient = info[4].As<Napi::Number>().DoubleValue(), pixel = info[5].As<Napi::Number>().DoubleValue();
  if (!(coefficient > 0) || !(pixel > 0) || !std::isfinite(coefficient) || !std::isfinite(pixel)) return no;
  const uint64_t n = static_cast<uint64_t>(frames) * rows * cols;
  const float* data = Data<float>(info[0], kF32, n);
  float* out = Data<float>(info[6], kF32, n);
  if (data == nullptr || out == nullptr) return no;
  Paganin(data, frames, rows, cols, coefficient, pixel, out);
  return Napi::Boolean::New(info.Env(), true);
}

// tomoFft2(re, im, rows, cols, inverse); rows and cols powers of two.
inline Napi::Value Fft2Call(const Napi::CallbackInfo& info) {
  const int64_t rows = Count(info[2]), cols = Count(info[3]);
  const auto no = Napi::Boolean::New(info.Env(), false);
  const auto pow2 = [](int64_t v) { return v >= 1 && v <= (int64_t{1} << 26) && (v & (v - 1)) == 0; };
  if (!pow2(rows) || !pow2(cols) || !info[4].IsBoolean()) return no;
  const uint64_t n = static_cast<uint64_t>(rows) * cols;
  double* re = Data<double>(info[0], kF64, n);
  double* im = Data<double>(info[1], kF64, n);
  if (re == nullptr || im == nullptr || info[0].As<Napi::TypedArray>().ElementLength() != n || info[1].As<Napi::TypedArray>().ElementLength() != n) return no;
  Fft2(re, im, rows, cols, info[4].As<Napi::Boolean>().Value());
  return Napi::Boolean::New(info.Env(), true);
}

}  // namespace tomo_napi

/** Adds the tomography kernels to the addon's exports. */
inline void RegisterTomo(Napi::Env env, Napi::Object exports) {
  exports.Set("tomoAverageFrames", Napi::Function::New(env, tomo_napi::AverageFramesCall, "tomoAverageFrames"));
  exports.Set("tomoFlatField", Napi::Function::New(env, tomo_napi::FlatFieldCall, "tomoFlatField"));
  exports.Set("tomoMinusLog", Napi::Function::New(env, tomo_napi::MinusLogCall, "tomoMinusLog"));
  exports.Set("tomoDezinger", Napi::Function::New(env, tomo_napi::DezingerCall, "tomoDezinger"));
  exports.Set("tomoFilterLines", Napi::Function::New(env, tomo_napi::FilterLinesCall, "tomoFilterLines"));
  exports.Set("tomoPaganin", Napi::Function::New(env, tomo_napi::PaganinCall, "tomoPaganin"));
  exports.Set("tomoRemoveStripes", Napi::Function::New(env, tomo_napi::RemoveStripesCall, "tomoRemoveStripes"));
  exports.Set("tomoBackProject", Napi::Function::New(env, tomo_napi::BackProjectCall, "tomoBackProject"));
  exports.Set("tomoFft2", Napi::Function::New(env, tomo_napi::Fft2Call, "tomoFft2"));
}

}  // namespace voxelflow
