#include "compiler/syntax/literals.h"

#include <limits>

#include "compiler/syntax/ast.h"
#include "stdlib/civil_time.h"

namespace questline::syntax {
namespace {

constexpr int64_t kScale = ast::kDecimalScale;
constexpr size_t kDigits = size_t(ast::kDecimalDigits);

// Digits with optional `_` separators; false on overflow.
bool ParseDigits(std::string_view text, int64_t* out, std::string* why) {
  int64_t value = 0;
  bool any = false;
  for (char c : text) {
    if (c == '_') continue;
    if (c < '0' || c > '9') {
      *why = "unexpected character in number";
      return false;
    }
    if (value > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) {
      *why = "number does not fit in 64 bits";
      return false;
    }
    value = value * 10 + (c - '0');
    any = true;
  }
  if (!any) {
    *why = "empty number";
    return false;
  }
  *out = value;
  return true;
}

bool Fixed2(std::string_view text, size_t pos, int* out) {
  if (pos + 2 > text.size()) return false;
  char a = text[pos], b = text[pos + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  *out = (a - '0') * 10 + (b - '0');
  return true;
}

}  // namespace

bool DecodeInt(std::string_view text, int64_t* out, std::string* why) {
  return ParseDigits(text, out, why);
}

bool DecodeDecimal(std::string_view text, int64_t* out, std::string* why) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    int64_t whole;
    if (!ParseDigits(text, &whole, why)) return false;
    if (whole > std::numeric_limits<int64_t>::max() / kScale) {
      *why = "decimal out of range";
      return false;
    }
    *out = whole * kScale;
    return true;
  }
  int64_t whole, frac;
  std::string_view frac_text = text.substr(dot + 1);
  size_t frac_digits = 0;
  for (char c : frac_text) frac_digits += c != '_';
  if (frac_digits > kDigits) {
    *why = "decimals have at most " + std::to_string(kDigits) + " fractional digits";
    return false;
  }
  if (!ParseDigits(text.substr(0, dot), &whole, why) || !ParseDigits(frac_text, &frac, why))
    return false;
  for (size_t i = frac_digits; i < kDigits; ++i) frac *= 10;
  if (whole > (std::numeric_limits<int64_t>::max() - frac) / kScale) {
    *why = "decimal out of range";
    return false;
  }
  *out = whole * kScale + frac;
  return true;
}

bool DecodeDuration(std::string_view text, int64_t* out, std::string* why) {
  size_t unit_at = text.find_first_not_of("0123456789_");
  if (unit_at == std::string_view::npos) {
    *why = "duration has no unit";
    return false;
  }
  std::string_view unit = text.substr(unit_at);
  int64_t per;
  if (unit == "ms") per = 1;
  else if (unit == "s") per = 1000;
  else if (unit == "m") per = 60'000;
  else if (unit == "h") per = 3'600'000;
  else if (unit == "d") per = 86'400'000;
  else if (unit == "w") per = 7 * 86'400'000LL;
  else {
    *why = "unknown duration unit";
    return false;
  }
  int64_t n;
  if (!ParseDigits(text.substr(0, unit_at), &n, why)) return false;
  if (n > std::numeric_limits<int64_t>::max() / per) {
    *why = "duration out of range";
    return false;
  }
  *out = n * per;
  return true;
}

bool DecodePercent(std::string_view text, int64_t* out, std::string* why) {
  if (text.empty() || text.back() != '%') {
    *why = "percentage must end with %";
    return false;
  }
  return DecodeDecimal(text.substr(0, text.size() - 1), out, why);
}

bool DecodeTimeOfDay(std::string_view text, int64_t* out, std::string* why) {
  size_t colon = text.find(':');
  int64_t h, m;
  if (colon == std::string_view::npos || !ParseDigits(text.substr(0, colon), &h, why) ||
      !ParseDigits(text.substr(colon + 1), &m, why)) {
    *why = "expected a time of day such as 10:00";
    return false;
  }
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    *why = "time of day out of range (00:00 to 24:00)";
    return false;
  }
  *out = h * 60 + m;
  return true;
}

bool DecodeInstant(std::string_view t, int64_t* out, std::string* why) {
  // YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM); the lexer guarantees the shape.
  int y1, y2, mo, d, h, mi, s = 0;
  if (!Fixed2(t, 0, &y1) || !Fixed2(t, 2, &y2) || !Fixed2(t, 5, &mo) || !Fixed2(t, 8, &d) ||
      !Fixed2(t, 11, &h) || !Fixed2(t, 14, &mi)) {
    *why = "malformed instant";
    return false;
  }
  size_t pos = 16;
  int64_t ms = 0;
  if (pos < t.size() && t[pos] == ':') {
    if (!Fixed2(t, pos + 1, &s)) {
      *why = "malformed seconds";
      return false;
    }
    pos += 3;
    if (pos < t.size() && t[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
        if (digits < 3) ms = ms * 10 + (t[pos] - '0');
        ++digits;
        ++pos;
      }
      for (int i = digits; i < 3; ++i) ms *= 10;
    }
  }
  int64_t offset_min = 0;
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int oh, om;
    if (!Fixed2(t, pos + 1, &oh) || !Fixed2(t, pos + 4, &om) || oh > 23 || om > 59) {
      *why = "malformed UTC offset";
      return false;
    }
    offset_min = (oh * 60 + om) * (t[pos] == '-' ? -1 : 1);
  }
  int64_t year = y1 * 100 + y2;
  if (mo < 1 || mo > 12) {
    *why = "month out of range";
    return false;
  }
  if (d < 1 || d > stdlib::DaysInMonth(year, mo)) {
    *why = "day out of range for the month";
    return false;
  }
  if (h > 23 || mi > 59 || s > 59) {
    *why = "time out of range";
    return false;
  }
  int64_t days = stdlib::DaysFromCivil(year, unsigned(mo), unsigned(d));
  *out = ((days * 24 + h) * 60 + mi - offset_min) * 60'000 + s * 1000 + ms;
  return true;
}

namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(char(cp));
  } else if (cp < 0x800) {
    out->push_back(char(0xC0 | (cp >> 6)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(char(0xE0 | (cp >> 12)));
    out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(char(0xF0 | (cp >> 18)));
    out->push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

bool DecodeString(std::string_view text, std::string* out, std::string* why,
                  size_t* error_offset) {
  out->clear();
  // text includes both quotes.
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    *error_offset = i;
    char e = i + 1 < text.size() - 1 ? text[i + 1] : '\0';
    switch (e) {
      case '"': out->push_back('"'); ++i; continue;
      case '\\': out->push_back('\\'); ++i; continue;
      case 'n': out->push_back('\n'); ++i; continue;
      case 't': out->push_back('\t'); ++i; continue;
      case 'u': {
        size_t close = text.find('}', i);
        if (i + 2 >= text.size() || text[i + 2] != '{' || close == std::string_view::npos ||
            close == i + 3 || close > i + 9) {
          *why = "expected \\u{…} with 1 to 6 hex digits";
          return false;
        }
        uint32_t cp = 0;
        for (size_t k = i + 3; k < close; ++k) {
          char h = text[k];
          int v = h >= '0' && h <= '9' ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
          if (v < 0) {
            *why = "expected hex digits in \\u{…}";
            return false;
          }
          cp = cp * 16 + uint32_t(v);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          *why = "\\u{…} is not a Unicode scalar value";
          return false;
        }
        AppendUtf8(cp, out);
        i = close;
        continue;
      }
      default:
        *why = "unknown escape; use \\\" \\\\ \\n \\t or \\u{…}";
        return false;
    }
  }
  return true;
}

int WeekdayIndex(std::string_view text) {
  static const char* kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int i = 0; i < 7; ++i)
    if (text == kNames[i]) return i;
  return -1;
}

}  // namespace questline::syntax
