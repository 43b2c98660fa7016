#include "runtime/engine/json_text.h"

#include <cstdio>

#include "runtime/engine/core_names.h"
#include "stdlib/json_text.h"

namespace questline::engine {

void AppendJsonString(std::string& out, std::string_view s) { stdlib::AppendJsonString(out, s); }

void AppendDecimal(std::string& out, int64_t scaled) {
  uint64_t mag = scaled < 0 ? uint64_t(0) - uint64_t(scaled) : uint64_t(scaled);
  if (scaled < 0) out.push_back('-');
  out += std::to_string(mag / uint64_t(kDecimalScale));
  uint64_t frac = mag % uint64_t(kDecimalScale);
  if (frac == 0) return;
  std::string digits = std::to_string(frac);
  digits.insert(0, size_t(kDecimalDigits) - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  out += "." + digits;
}

void AppendTime(std::string& out, int64_t ms) {
  // Floor division without an intermediate that could overflow near the int64
  // bounds (a saturated time is still printed, as a far-off year).
  int64_t days = ms / 86'400'000, rem = ms % 86'400'000;
  if (rem < 0) {
    days -= 1;
    rem += 86'400'000;
  }
  // civil_from_days (Howard Hinnant)
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = unsigned(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = int64_t(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  int h = int(rem / 3'600'000), mi = int(rem / 60'000 % 60), s = int(rem / 1000 % 60), milli = int(rem % 1000);
  if (milli)
    std::snprintf(buf, sizeof buf, "\"%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ\"", (long long)y, m, d, h, mi, s, milli);
  else
    std::snprintf(buf, sizeof buf, "\"%04lld-%02u-%02uT%02d:%02d:%02dZ\"", (long long)y, m, d, h, mi, s);
  out += buf;
}

// Every action carries one: snprintf's format parsing was 7% of engine time.
void AppendHex64(std::string& out, uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char digits[16];
  for (int i = 15; i >= 0; --i, v >>= 4) digits[i] = kDigits[v & 15];
  out.append(digits, sizeof digits);
}

void AppendValue(std::string& out, const Value& v, const StringPool& strings) {
  if (v.none) {
    out += "null";
    return;
  }
  switch (v.kind) {
    case ValueKind::Bool: out += v.i ? "true" : "false"; break;
    case ValueKind::Decimal:
    case ValueKind::Percent: AppendDecimal(out, v.i); break;
    case ValueKind::String: AppendJsonString(out, strings.Get(uint32_t(v.i))); break;
    case ValueKind::Time: AppendTime(out, v.i); break;
    default: out += std::to_string(v.i); break;
  }
}

}  // namespace questline::engine
