// Exact text-to-number conversions for ingestion: decimals and timestamps.
#include <algorithm>
#include <limits>
#include <string>

#include "runtime/engine/json_text.h"
#include "runtime/io/event_reader.h"
#include "stdlib/civil_time.h"

namespace questline::io {
namespace {

bool Digits(std::string_view t, size_t at, size_t n, int* out) {
  if (at + n > t.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    v = v * 10 + (t[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

// Fractional digits of the engine's fixed point (kDecimalScale = 10^digits).
constexpr int ScaleDigits(int64_t scale) { return scale <= 1 ? 0 : 1 + ScaleDigits(scale / 10); }
constexpr int kScaleDigits = ScaleDigits(core::kDecimalScale);

DecimalStatus ReadDecimal(std::string_view text, int64_t* scaled) {
  // JSON grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?  — read as its
  // significant digits times a power of ten, so no length or exponent
  // overflows an intermediate.
  size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  std::string digits;        // significant digits, leading zeros dropped
  int64_t exp10 = 0;         // value = digits * 10^exp10
  int seen = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !dot) { dot = true; continue; }
    if (c < '0' || c > '9') break;
    ++seen;
    if (dot) --exp10;
    if (c != '0' || !digits.empty()) digits.push_back(c);
  }
  if (seen == 0) return DecimalStatus::Malformed;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool neg_exp = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    int64_t e = 0;
    int n = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++n)
      e = std::min<int64_t>(e * 10 + (text[i] - '0'), 1'000'000);   // beyond any scale either way
    if (n == 0) return DecimalStatus::Malformed;
    exp10 += neg_exp ? -e : e;
  }
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
  if (i != text.size()) return DecimalStatus::Malformed;
  if (digits.empty()) {
    *scaled = 0;
    return DecimalStatus::Exact;
  }
  constexpr int kMaxDigits = std::numeric_limits<int64_t>::digits10 + 1;   // 19
  const int64_t shift = exp10 + kScaleDigits;           // scaled = digits * 10^shift
  const int64_t keep = int64_t(digits.size()) + shift;  // digits before the scaled point
  if (keep > kMaxDigits) return DecimalStatus::OutOfRange;
  __int128 value = 0;
  for (int64_t k = 0; k < keep; ++k) value = value * 10 + (k < int64_t(digits.size()) ? digits[size_t(k)] - '0' : 0);
  bool rounded = false;
  if (keep < int64_t(digits.size())) {
    // Dropped digits: round half-even on the first, the rest break a tie.
    const size_t from = size_t(std::max<int64_t>(keep, 0));
    const char first = keep >= 0 ? digits[from] : '0';
    const size_t rest_from = keep >= 0 ? from + 1 : 0;
    const bool rest = digits.find_first_not_of('0', rest_from) != std::string::npos;
    rounded = first != '0' || rest;
    if (first > '5' || (first == '5' && (rest || value % 2 == 1))) value += 1;
  }
  if (value > std::numeric_limits<int64_t>::max()) return DecimalStatus::OutOfRange;
  *scaled = int64_t(negative ? -value : value);
  return rounded ? DecimalStatus::Rounded : DecimalStatus::Exact;
}

bool ParseDecimal(std::string_view text, int64_t* scaled) {
  return ReadDecimal(text, scaled) == DecimalStatus::Exact;
}

std::string DecimalRange() {
  std::string bound;
  engine::AppendDecimal(bound, std::numeric_limits<int64_t>::max());
  return "out of range: decimals hold at most \u00b1" + bound;
}

bool ParseTimestamp(std::string_view t, int64_t* ms) {
  int y, mo, d, h, mi, s;
  if (t.size() < 20 || !Digits(t, 0, 4, &y) || t[4] != '-' || !Digits(t, 5, 2, &mo) || t[7] != '-' ||
      !Digits(t, 8, 2, &d) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !Digits(t, 11, 2, &h) ||
      t[13] != ':' || !Digits(t, 14, 2, &mi) || t[16] != ':' || !Digits(t, 17, 2, &s))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > stdlib::DaysInMonth(y, mo) || h > 23 || mi > 59 || s > 60)
    return false;
  size_t i = 19;
  int millis = 0;
  if (i < t.size() && t[i] == '.') {
    int n = 0;
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++n)
      if (n < 3) millis = millis * 10 + (t[i] - '0');
    if (n == 0) return false;
    for (; n < 3; ++n) millis *= 10;
  }
  int offset = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int oh, om;
    if (!Digits(t, i + 1, 2, &oh) || i + 3 >= t.size() || t[i + 3] != ':' || !Digits(t, i + 4, 2, &om) ||
        oh > 23 || om > 59)
      return false;
    offset = (oh * 60 + om) * (t[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return false;
  }
  if (i != t.size()) return false;
  int64_t days = stdlib::DaysFromCivil(y, unsigned(mo), unsigned(d));
  *ms = ((days * 24 + h) * 60 + mi - offset) * 60'000 + int64_t(s < 60 ? s : 59) * 1000 + millis;
  return true;
}

}  // namespace questline::io
