// Calendar periods in a timezone: local days across DST, weeks on week_starts.
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include <date/tz.h>

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

namespace {
constexpr int64_t kDayMs = 86'400'000;

int64_t Ms(date::sys_seconds t) { return int64_t(t.time_since_epoch().count()) * 1000; }

// The reference: the first instant whose local time is at least `local` (ms
// since 1970-01-01 local), found by walking the zone's offset spans forward
// (sys → local, the other direction from the calendar's) from two days before.
// Local time rises within a span, so each span's first candidate is exact.
int64_t FirstInstantAtOrAfter(const date::time_zone* zone, int64_t local) {
  int64_t t = local - 2 * kDayMs;
  for (;;) {
    const date::sys_info info = zone->get_info(date::sys_seconds(std::chrono::seconds(t / 1000)));
    const int64_t offset = int64_t(info.offset.count()) * 1000;
    const int64_t candidate = std::max(t, local - offset);
    if (info.end >= date::sys_seconds::max() || candidate < Ms(info.end)) return candidate;
    t = Ms(info.end);
  }
}
}  // namespace

TEST_CASE("day starts and local times of day match the tz database around every transition", "[calendar][tzdb]") {
  // Every zone, every offset change from 2000 to 2030: the local days before,
  // of and after it, at times of day that land in gaps, overlaps and plain hours.
  const int minutes[] = {0, 30, 60, 120, 150, 180, 600, 1320, 1439};
  const date::sys_seconds from = date::sys_days(date::year(2000) / 1 / 1);
  const date::sys_seconds to = date::sys_days(date::year(2030) / 1 / 1);
  size_t zones = 0, checks = 0;
  for (const date::time_zone& zone : date::get_tzdb().zones) {
    std::vector<int64_t> transitions;
    for (date::sys_seconds t = from;;) {
      const date::sys_info info = zone.get_info(t);
      if (info.end >= to) break;
      transitions.push_back(Ms(info.end));
      t = info.end;
    }
    if (transitions.empty()) continue;
    ++zones;
    const Calendar calendar(std::string(zone.name()), 0);
    std::set<int64_t> days;
    for (int64_t t : transitions)
      for (int64_t d = calendar.LocalDay(t - 1) - 1; d <= calendar.LocalDay(t) + 1; ++d) days.insert(d);
    size_t n = 0;
    for (int64_t day : days) {
      for (int minute : minutes) {
        // Leave the calendar's remembered offset span before, at or after a
        // transition, so both its shortcut and its full lookup are checked.
        ++n;
        const int64_t prime = transitions[n % transitions.size()] + int64_t(n % 3) * 3 * kDayMs - kDayMs;
        (void)calendar.LocalDay(prime);
        const int64_t local = day * kDayMs + int64_t(minute) * 60'000;
        const int64_t want = FirstInstantAtOrAfter(&zone, local);
        INFO(zone.name() << " day " << day << " minute " << minute);
        REQUIRE(calendar.LocalToInstant(day, minute) == want);
        // zoned_time agrees wherever the local time exists (earliest when it is
        // ambiguous); in a gap the answer is where the gap ends.
        const date::local_seconds lt{std::chrono::seconds(local / 1000)};
        const date::local_info li = zone.get_info(lt);
        if (li.result == date::local_info::nonexistent) {
          REQUIRE(want == Ms(li.second.begin));
        } else {
          REQUIRE(want == Ms(date::zoned_time<std::chrono::seconds>(&zone, lt, date::choose::earliest).get_sys_time()));
        }
        ++checks;
      }
      (void)calendar.LocalDay(transitions[n++ % transitions.size()]);
      INFO(zone.name() << " day " << day);
      REQUIRE(calendar.DayStart(day) == FirstInstantAtOrAfter(&zone, day * kDayMs));
      // The first instant of the local day (or of the first day after it, where
      // a whole day is skipped).
      REQUIRE(calendar.LocalDay(calendar.DayStart(day)) >= day);
      REQUIRE(calendar.LocalDay(calendar.DayStart(day) - 1) < day);
    }
  }
  CHECK(zones > 100);
  CHECK(checks > 100'000);
}

TEST_CASE("local times of day on the days clocks change, by example", "[calendar]") {
  const Calendar malta("Europe/Malta", 0), santiago("America/Santiago", 0);
  const int64_t spring = malta.LocalDay(T("2026-03-29T12:00:00Z")), fall = malta.LocalDay(T("2026-10-25T12:00:00Z"));
  CHECK(malta.LocalToInstant(spring, 10 * 60) == T("2026-03-29T08:00:00Z"));
  CHECK(malta.LocalToInstant(spring, 22 * 60) == T("2026-03-29T20:00:00Z"));
  // 02:30 does not exist that night: the gap ends at 03:00 CEST.
  CHECK(malta.LocalToInstant(spring, 2 * 60 + 30) == T("2026-03-29T01:00:00Z"));
  CHECK(malta.LocalToInstant(fall, 10 * 60) == T("2026-10-25T09:00:00Z"));
  // 02:30 happens twice: the earlier, still in summer time.
  CHECK(malta.LocalToInstant(fall, 2 * 60 + 30) == T("2026-10-25T00:30:00Z"));
  // Santiago skips 00:00..01:00 on 2026-09-06: the day starts at 01:00 -03.
  const int64_t skipped = santiago.LocalDay(T("2026-09-06T12:00:00Z"));
  CHECK(santiago.DayStart(skipped) == T("2026-09-06T04:00:00Z"));
  CHECK(santiago.NextPeriodStart(CalendarPeriod::Day, T("2026-09-06T03:10:00Z")) == T("2026-09-06T04:00:00Z"));
}
