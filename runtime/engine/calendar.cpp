#include "runtime/engine/calendar.h"

#include <algorithm>

#include <date/tz.h>


namespace questline::engine {
namespace {

constexpr int64_t kDay = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

bool KnownTimezone(const std::string& timezone) {
  if (timezone == "UTC") return true;
  try {
    date::locate_zone(timezone);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

Calendar::Calendar(const std::string& timezone, int week_starts) : week_starts_(week_starts) {
  if (timezone != "UTC") zone_ = date::locate_zone(timezone);
}

int64_t Calendar::Offset(int64_t t) const {
  if (zone_ == nullptr) return 0;
  if (t >= span_begin_ && t < span_end_) return span_offset_;
  auto info = zone_->get_info(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(t)));
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  span_begin_ = info.begin <= date::sys_seconds::min() ? INT64_MIN
                                                        : duration_cast<milliseconds>(info.begin.time_since_epoch()).count();
  span_end_ = info.end >= date::sys_seconds::max() ? INT64_MAX
                                                    : duration_cast<milliseconds>(info.end.time_since_epoch()).count();
  span_offset_ = duration_cast<milliseconds>(info.offset).count();
  return span_offset_;
}

int64_t Calendar::LocalDay(int64_t t) const { return FloorDiv(t + Offset(t), kDay); }

int64_t Calendar::NextDayChange(int64_t t) const {
  const int64_t offset = Offset(t);   // leaves t's span cached
  const int64_t midnight = (FloorDiv(t + offset, kDay) + 1) * kDay - offset;
  return zone_ == nullptr ? midnight : std::min(midnight, span_end_);
}

int Calendar::LocalMinute(int64_t t) const {
  int64_t local = t + Offset(t);
  return int((local - FloorDiv(local, kDay) * kDay) / 60'000);
}

int Calendar::Hour(int64_t t) const { return LocalMinute(t) / 60; }

// 1970-01-01 was a Thursday (3 with Monday = 0).
int Calendar::Weekday(int64_t t) const { return int(((LocalDay(t) + 3) % 7 + 7) % 7); }

int64_t Calendar::LocalWeek(int64_t t) const {
  // Shift so that the week's first day maps to the start of a 7-day block.
  return FloorDiv(LocalDay(t) + 3 - week_starts_, 7);
}

int64_t Calendar::LocalMonth(int64_t t) const {
  date::sys_days days{date::days(LocalDay(t))};
  date::year_month_day ymd{days};
  return (int(ymd.year()) - 1970) * 12 + int(unsigned(ymd.month())) - 1;
}

int64_t Calendar::PeriodKey(CalendarPeriod p, int64_t t) const {
  const size_t i = static_cast<size_t>(p) & 3;
  if (key_at_[i] == t && t != INT64_MIN) return key_[i];   // INT64_MIN: nothing remembered yet
  int64_t key = 0;
  switch (p) {
    case CalendarPeriod::Forever: key = 0; break;
    case CalendarPeriod::Day: key = LocalDay(t); break;
    case CalendarPeriod::Week: key = LocalWeek(t); break;
    case CalendarPeriod::Month: key = LocalMonth(t); break;
  }
  key_at_[i] = t;
  key_[i] = key;
  return key;
}

int64_t Calendar::DayStart(int64_t day) const { return LocalToInstant(day, 0); }

int64_t Calendar::LocalToInstant(int64_t day, int minute) const {
  const int64_t local = day * kDay + int64_t(minute) * 60'000;
  if (zone_ == nullptr) return local;
  // The remembered offset span answers when the instant it gives lies inside
  // it and at least two days after its start: no earlier span can then show
  // the same local time (that would take clocks falling back two days), and a
  // time in a gap never lands inside a span. Callers walk day by day.
  const int64_t guess = local - span_offset_;
  if (guess >= span_begin_ && guess < span_end_ && (span_begin_ == INT64_MIN || guess - span_begin_ >= 2 * kDay))
    return guess;
  using std::chrono::seconds;
  const date::local_info info = zone_->get_info(date::local_seconds(seconds(FloorDiv(local, 1000))));
  int64_t t;
  if (info.result == date::local_info::nonexistent) {
    // In the gap: where it ends (date::choose has no such choice).
    t = int64_t(info.second.begin.time_since_epoch().count()) * 1000;
  } else {
    // Unique, or the earlier of two (`first` is the earlier span).
    t = local - int64_t(info.first.offset.count()) * 1000;
  }
  Offset(t);   // remember t's span for the next day's question
  return t;
}

int64_t Calendar::NextPeriodStart(CalendarPeriod p, int64_t t) const {
  int64_t day = LocalDay(t);
  switch (p) {
    case CalendarPeriod::Forever: return INT64_MAX;
    case CalendarPeriod::Day: return DayStart(day + 1);
    case CalendarPeriod::Week: {
      int64_t first = LocalWeek(t) * 7 - 3 + week_starts_;
      return DayStart(first + 7);
    }
    case CalendarPeriod::Month: {
      date::year_month_day ymd{date::sys_days{date::days(day)}};
      auto next = date::year_month{ymd.year(), ymd.month()} + date::months(1);
      date::sys_days first{next / date::day(1)};
      return DayStart(first.time_since_epoch().count());
    }
  }
  return INT64_MAX;
}

int64_t Calendar::PeriodStart(CalendarPeriod p, int64_t t) const {
  const int64_t day = LocalDay(t);
  switch (p) {
    case CalendarPeriod::Forever: return INT64_MIN;
    case CalendarPeriod::Day: return DayStart(day);
    case CalendarPeriod::Week: return DayStart(LocalWeek(t) * 7 - 3 + week_starts_);
    case CalendarPeriod::Month: {
      date::year_month_day ymd{date::sys_days{date::days(day)}};
      date::sys_days first{date::year_month{ymd.year(), ymd.month()} / date::day(1)};
      return DayStart(first.time_since_epoch().count());
    }
  }
  return INT64_MIN;
}

}  // namespace questline::engine
