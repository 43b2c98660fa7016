// Calendar arithmetic shared by the compiler (instant literals) and the
// runtime (event timestamps): proleptic Gregorian, UTC, no time zones.
#pragma once

#include <cstdint>

namespace questline::stdlib {

inline bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
}

// Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil).
inline int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The instants Questline accepts: years 0000 to 9999, the ones RFC 3339 can
// write. Event timestamps (epoch milliseconds too), `--until` and instant
// clauses outside them are rejected, so that `ts + duration` and the
// calendar's period arithmetic stay far from the int64 bounds.
inline constexpr int64_t kMinInstantMs = -62'167'219'200'000;   // 0000-01-01T00:00:00.000Z
inline constexpr int64_t kMaxInstantMs = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
inline bool InstantInRange(int64_t ms) { return ms >= kMinInstantMs && ms <= kMaxInstantMs; }

}  // namespace questline::stdlib
