// Calendar periods in a timezone: local days across DST, weeks on week_starts.
#include <catch2/catch.hpp>

#include "runtime/engine/calendar.h"
#include "runtime/io/event_reader.h"

using questline::engine::Calendar;
using questline::engine::CalendarPeriod;

namespace {
int64_t T(const char* text) {
  int64_t ms = 0;
  REQUIRE(questline::io::ParseTimestamp(text, &ms));
  return ms;
}
}  // namespace

TEST_CASE("local days follow the zone's offset, DST included", "[calendar]") {
  Calendar malta("Europe/Malta", 0);
  // 23:30 UTC in winter is 00:30 the next day in Malta (UTC+1).
  CHECK(malta.LocalDay(T("2026-12-01T23:30:00Z")) == malta.LocalDay(T("2026-12-02T10:00:00Z")));
  CHECK(malta.LocalMinute(T("2026-12-01T23:30:00Z")) == 30);
  // Summer time (UTC+2): 22:30 UTC is 00:30 local.
  CHECK(malta.LocalMinute(T("2026-07-01T22:30:00Z")) == 30);
  // DST starts 2026-03-29 01:00 UTC: local midnight of 03-30 is 22:00 UTC on 03-29.
  CHECK(malta.DayStart(malta.LocalDay(T("2026-03-30T12:00:00Z"))) == T("2026-03-29T22:00:00Z"));
  CHECK(malta.NextPeriodStart(CalendarPeriod::Day, T("2026-03-29T12:00:00Z")) == T("2026-03-29T22:00:00Z"));
}

TEST_CASE("weeks start on the configured weekday", "[calendar]") {
  Calendar monday("UTC", 0), sunday("UTC", 6);
  // 2026-12-06 is a Sunday, 2026-12-07 a Monday.
  CHECK(monday.Weekday(T("2026-12-06T12:00:00Z")) == 6);
  CHECK(monday.LocalWeek(T("2026-12-06T12:00:00Z")) != monday.LocalWeek(T("2026-12-07T12:00:00Z")));
  CHECK(sunday.LocalWeek(T("2026-12-06T12:00:00Z")) == sunday.LocalWeek(T("2026-12-07T12:00:00Z")));
  CHECK(sunday.LocalWeek(T("2026-12-05T12:00:00Z")) != sunday.LocalWeek(T("2026-12-06T12:00:00Z")));
  CHECK(monday.NextPeriodStart(CalendarPeriod::Week, T("2026-12-03T12:00:00Z")) == T("2026-12-07T00:00:00Z"));
  CHECK(monday.NextPeriodStart(CalendarPeriod::Month, T("2026-12-03T12:00:00Z")) == T("2027-01-01T00:00:00Z"));
  CHECK(monday.PeriodKey(CalendarPeriod::Month, T("2026-12-31T23:59:59Z")) !=
        monday.PeriodKey(CalendarPeriod::Month, T("2027-01-01T00:00:00Z")));
}

TEST_CASE("a remembered period key is never another instant's or period's", "[calendar]") {
  const Calendar memo("Europe/Malta", 0);
  const CalendarPeriod periods[] = {CalendarPeriod::Day, CalendarPeriod::Week, CalendarPeriod::Month,
                                    CalendarPeriod::Day};
  int64_t t = T("2026-03-28T21:59:59Z");
  for (int step = 0; step < 200; ++step, t += (step % 3 ? 1 : 3'600'000) * int64_t(step % 5)) {
    for (CalendarPeriod p : periods) {
      const Calendar fresh("Europe/Malta", 0);
      INFO("step " << step << " period " << int(p));
      CHECK(memo.PeriodKey(p, t) == fresh.PeriodKey(p, t));
    }
  }
}
