// Runtime values: 16 bytes, no heap. Strings (and union members) are interned
// to integer ids at ingestion so every comparison on the hot path is an integer
// compare. Decimal and Percent are fixed point, scaled by kDecimalScale.
#pragma once

#include <cstdint>

namespace questline::core {

// Eight fractional digits, so that crypto amounts (0.00012345 BTC) are exact;
// int64 then holds ±92 233 720 368.54775807, enough for money. (__int128
// would cost every value 8 more bytes and the JIT its 64-bit arithmetic.)
inline constexpr int64_t kDecimalScale = 100'000'000;
inline constexpr int kDecimalDigits = 8;

enum class ValueKind : uint8_t { Bool, Int, Decimal, String, Time, Duration, Percent };

struct Value {
  int64_t i = 0;           // payload; String: the interned id
  ValueKind kind = ValueKind::Int;
  bool none = false;       // empty min/max/avg/first/last/top, or a missing value

  static Value Bool(bool b) { return {b ? 1 : 0, ValueKind::Bool, false}; }
  static Value Int(int64_t v) { return {v, ValueKind::Int, false}; }
  static Value Decimal(int64_t scaled) { return {scaled, ValueKind::Decimal, false}; }
  static Value String(uint32_t id) { return {int64_t(id), ValueKind::String, false}; }
  static Value Time(int64_t ms) { return {ms, ValueKind::Time, false}; }
  static Value Duration(int64_t ms) { return {ms, ValueKind::Duration, false}; }
  static Value None(ValueKind kind) { return {0, kind, true}; }
};

// Balances, scores and counts saturate like the language's arithmetic: a
// package may award amounts near the int64 bounds, and wrapping would turn a
// fortune into a debt.
inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}
inline int64_t SaturatingMul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? ((a < 0) != (b < 0) ? INT64_MIN : INT64_MAX) : r;
}

}  // namespace questline::core
