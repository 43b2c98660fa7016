// Calendar periods in the package's timezone (settings.timezone), weeks
// starting on settings.week_starts. All instants are epoch milliseconds (UTC);
// a "day index" counts local calendar days since 1970-01-01.
#pragma once

#include <cstdint>
#include <string>

namespace date { class time_zone; }

namespace questline::engine {

enum class CalendarPeriod : uint8_t { Forever, Day, Week, Month };

// True when `timezone` names a zone of the tz database (or is "UTC"): sema
// checks a package's, but a bundle's program comes from a file.
bool KnownTimezone(const std::string& timezone);

class Calendar {
 public:
  // Throws std::runtime_error for an unknown zone (sema has already checked it).
  Calendar(const std::string& timezone, int week_starts);

  int64_t LocalDay(int64_t t) const;          // local calendar day index
  int LocalMinute(int64_t t) const;           // minutes since local midnight
  int Weekday(int64_t t) const;               // 0 = mon
  int Hour(int64_t t) const;
  int64_t LocalWeek(int64_t t) const;         // week index (weeks start on week_starts)
  int64_t LocalMonth(int64_t t) const;        // months since 1970-01
  // A key that changes exactly when the period does (0 for Forever).
  int64_t PeriodKey(CalendarPeriod p, int64_t t) const;
  // The first instant of the next period after t.
  int64_t NextPeriodStart(CalendarPeriod p, int64_t t) const;
  // The first instant of the period containing t (INT64_MIN for Forever).
  int64_t PeriodStart(CalendarPeriod p, int64_t t) const;
  // The first instant whose LocalDay is `day`: LocalToInstant(day, 0), so the
  // end of the clocks' gap where midnight is skipped, the first midnight where
  // it happens twice (and the next day's start where a whole day is skipped).
  int64_t DayStart(int64_t day) const;
  // Local date `day` at `minute` past local midnight, as an instant: the one
  // conversion of a local time of day (windows, `every … at`, quiet hours, day
  // starts). A time that happens twice (clocks fell back) gives the earlier
  // instant; a time that does not happen (in the gap clocks sprang over) gives
  // the instant the gap ends, the first valid local time after it. Both are
  // the first instant whose local time is at least day + minute.
  int64_t LocalToInstant(int64_t day, int minute) const;
  // The first instant after t at which LocalDay can change: the next local
  // midnight while t's offset holds, else the offset's next change.
  int64_t NextDayChange(int64_t t) const;

 private:
  int64_t Offset(int64_t t) const;            // local minus UTC, ms
  const date::time_zone* zone_ = nullptr;     // null: UTC
  int week_starts_ = 0;
  // The zone's offset is constant between transitions: remember the last span.
  mutable int64_t span_begin_ = 1, span_end_ = 0, span_offset_ = 0;
  // The last key asked for, per period: every mission, cap and limit asks at
  // the same instant.
  mutable int64_t key_at_[4] = {INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN}, key_[4] = {};
};

}  // namespace questline::engine
