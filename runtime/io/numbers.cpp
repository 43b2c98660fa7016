// Exact text-to-number conversions for ingestion: decimals and timestamps.
#include <limits>

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

bool ParseDecimal(std::string_view text, int64_t* scaled) {
  // JSON grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
  size_t i = 0;
  bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  __int128 value = 0;
  int frac_digits = 0, digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !dot) { dot = true; continue; }
    if (c < '0' || c > '9') break;
    if (dot) ++frac_digits;
    ++digits;
    value = value * 10 + (c - '0');
    if (value > (__int128)std::numeric_limits<int64_t>::max() * 1'000'000) return false;
  }
  if (digits == 0) return false;
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool neg_exp = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    int e = 0, n = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && n < 4; ++i, ++n) e = e * 10 + (text[i] - '0');
    if (n == 0) return false;
    exponent = neg_exp ? -e : e;
  }
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
  if (i != text.size()) return false;
  int shift = 6 - frac_digits + exponent;   // value * 10^shift
  for (; shift > 0; --shift) {
    value *= 10;
    if (value > std::numeric_limits<int64_t>::max()) return false;
  }
  for (; shift < 0; ++shift) {
    if (value % 10 != 0) return false;   // more than 6 fractional digits: not exact
    value /= 10;
  }
  if (value > std::numeric_limits<int64_t>::max()) return false;
  *scaled = int64_t(negative ? -value : value);
  return true;
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
