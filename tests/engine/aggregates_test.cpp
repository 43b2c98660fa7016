// Window reads against a model that keeps every add whole, and remembered
// reads (AggState::read, kept until the instant a read can change) against
// fresh ones: every aggregate function over every window, across DST, month
// ends, long silences and missing arguments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "runtime/engine/aggregates.h"

namespace {

using questline::engine::AggState;
using questline::engine::Calendar;
using questline::engine::CalendarPeriod;
using questline::core::Value;
using questline::core::ValueKind;
namespace ir = questline::ir;

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

Value Fresh(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal) {
  AggState copy = s;
  copy.read_until = INT64_MIN;
  return ReadAggregate(a, copy, now, cal);
}

struct Add { int64_t t; Value arg; };

// Whether an event at `t` still counts at `now`, from LANGUAGE.md's windows:
// a sliding window counts a bucket (an hour, a minute or a second wide) while
// its end is inside the window; a calendar window counts its current period.
bool Counts(const ir::Aggregate& a, int64_t t, int64_t now, const Calendar& cal) {
  auto floor_div = [](int64_t x, int64_t y) { return x >= 0 ? x / y : -((-x + y - 1) / y); };
  switch (a.window) {
    case ir::Window::Lifetime: return true;
    case ir::Window::Last: {
      const int64_t w = a.length_ms >= kDay ? kHour : a.length_ms >= kHour ? kMinute : 1000;
      return (floor_div(t, w) + 1) * w > now - a.length_ms;
    }
    default: {
      const CalendarPeriod p = a.window == ir::Window::Today      ? CalendarPeriod::Day
                               : a.window == ir::Window::ThisWeek ? CalendarPeriod::Week
                                                                  : CalendarPeriod::Month;
      return cal.PeriodKey(p, t) == cal.PeriodKey(p, now);
    }
  }
}

// The value from every add kept whole, for the functions over buckets.
Value Reference(const ir::Aggregate& a, const std::vector<Add>& adds, int64_t now, const Calendar& cal) {
  int64_t count = 0, sum = 0;
  std::vector<int64_t> args;   // non-none arguments, oldest first
  for (const Add& x : adds) {
    if (!Counts(a, x.t, now, cal)) continue;
    ++count;
    if (x.arg.none) continue;
    sum += x.arg.i;
    args.push_back(x.arg.i);
  }
  const ValueKind kind = a.result;
  switch (a.fn) {
    case ir::AggregateFn::Count: return Value::Int(count);
    case ir::AggregateFn::Sum: return Value{sum, kind, false};
    case ir::AggregateFn::Avg:
      return count == 0 ? Value::None(ValueKind::Decimal) : Value::Decimal(sum / count);   // decimal arguments
    case ir::AggregateFn::Min:
      return args.empty() ? Value::None(kind) : Value{*std::min_element(args.begin(), args.end()), kind, false};
    case ir::AggregateFn::Max:
      return args.empty() ? Value::None(kind) : Value{*std::max_element(args.begin(), args.end()), kind, false};
    case ir::AggregateFn::First: return args.empty() ? Value::None(kind) : Value{args.front(), kind, false};
    case ir::AggregateFn::Last: return args.empty() ? Value::None(kind) : Value{args.back(), kind, false};
    case ir::AggregateFn::Top: {
      // Ties: the value that reached the count first, i.e. whose last add is earliest.
      std::map<int64_t, std::pair<int64_t, size_t>> n;   // value → count, index of its last add
      for (size_t i = 0; i < args.size(); ++i) n[args[i]] = {n[args[i]].first + 1, i};
      if (n.empty()) return Value::None(kind);
      auto best = n.begin();
      for (auto it = n.begin(); it != n.end(); ++it)
        if (it->second.first > best->second.first ||
            (it->second.first == best->second.first && it->second.second < best->second.second))
          best = it;
      return Value{best->first, kind, false};
    }
    default: return Value::None(kind);
  }
}

// Adds and reads at random instants moving forward by seconds to weeks;
// returns how many reads were answered from the remembered value.
int Walk(const ir::Aggregate& a, uint32_t seed, const char* zone, int64_t start, int64_t max_jump) {
  const Calendar cal(zone, 0);
  std::mt19937 rng(seed);
  AggState s;
  std::vector<Add> adds;
  const bool periodic = a.fn >= ir::AggregateFn::DistinctDays;
  int64_t now = start;
  int remembered = 0;
  for (int step = 0; step < 400; ++step) {
    const int64_t jumps[] = {1000, 17 * kMinute, kHour, 5 * kHour, kDay, 3 * kDay + 7, 9 * kDay};
    now += std::min<int64_t>(jumps[rng() % 7] / int64_t(1 + rng() % 3), max_jump);
    if (rng() % 3 == 0) {
      Value arg = a.argument_kind == ValueKind::String ? Value::String(rng() % 4)
                                                       : Value{int64_t(rng() % 5000) - 100, a.argument_kind, false};
      if (rng() % 6 == 0) arg = Value::None(a.argument_kind);   // a missing optional field
      AddToAggregate(a, s, arg, now, cal);
      adds.push_back({now, arg});
      continue;
    }
    const bool was_remembered = now >= s.read_from && now < s.read_until;
    const Value got = ReadAggregate(a, s, now, cal);
    const Value want = Fresh(a, s, now, cal);
    INFO(zone << " fn " << int(a.fn) << " window " << int(a.window) << " length " << a.length_ms << " step " << step);
    REQUIRE(got.none == want.none);
    REQUIRE(got.kind == want.kind);
    REQUIRE(got.i == want.i);
    if (!periodic) {
      const Value model = Reference(a, adds, now, cal);
      REQUIRE(got.none == model.none);
      REQUIRE(got.kind == model.kind);
      if (!got.none) REQUIRE(got.i == model.i);
    }
    remembered += was_remembered;
  }
  return remembered;
}

}  // namespace

TEST_CASE("a remembered window read always equals a fresh one", "[aggregates]") {
  const ir::AggregateFn fns[] = {ir::AggregateFn::Count, ir::AggregateFn::Sum,       ir::AggregateFn::Min,
                                 ir::AggregateFn::Max,   ir::AggregateFn::Avg,       ir::AggregateFn::First,
                                 ir::AggregateFn::Last,  ir::AggregateFn::Top,       ir::AggregateFn::DistinctDays,
                                 ir::AggregateFn::StreakDays, ir::AggregateFn::StreakWeeks};
  struct W { ir::Window window; int64_t length; };
  const W windows[] = {{ir::Window::Lifetime, 0},      {ir::Window::Last, 30'000},   {ir::Window::Last, 90 * kMinute},
                       {ir::Window::Last, 36 * kHour}, {ir::Window::Last, 7 * kDay}, {ir::Window::Today, 0},
                       {ir::Window::ThisWeek, 0},      {ir::Window::ThisMonth, 0}};
  int remembered = 0;
  uint32_t seed = 1;
  for (ir::AggregateFn fn : fns) {
    for (const W& w : windows) {
      ir::Aggregate a;
      a.fn = fn;
      a.window = w.window;
      a.length_ms = w.length;
      a.argument_kind = fn == ir::AggregateFn::Top ? ValueKind::String : ValueKind::Decimal;
      a.result = fn == ir::AggregateFn::Count || fn >= ir::AggregateFn::DistinctDays ? ValueKind::Int
                 : fn == ir::AggregateFn::Avg                                         ? ValueKind::Decimal
                                                                                      : a.argument_kind;
      // Malta from nine days before DST starts; Amman around 2021's fall-back
      // (01:00 → 00:00 at +3 → +2, where DayStart's midnight is an hour late),
      // in small steps so reads land inside the repeated hour.
      remembered += Walk(a, seed++, "Europe/Malta", 1'774'000'000'000, 9 * kDay);
      remembered += Walk(a, seed++, "Asia/Amman", 1'635'292'800'000, 2 * kHour);
    }
  }
  // The memo is used, not only correct.
  CHECK(remembered > 1000);
}

TEST_CASE("a day window read is not remembered past a midnight that clocks fall back across",
          "[aggregates]") {
  // Amman, 2021-10-29: clocks went from 01:00 (+3) back to 00:00 (+2), so the
  // local day began at 21:00Z; a card deposit at 23:00 local no longer counts at 00:30.
  const Calendar cal("Asia/Amman", 0);
  ir::Aggregate today;
  today.fn = ir::AggregateFn::Count;
  today.window = ir::Window::Today;
  AggState s;
  const int64_t deposit = 1'635'451'200'000;   // 2021-10-28T20:00Z, 23:00 local
  AddToAggregate(today, s, Value{}, deposit, cal);
  CHECK(ReadAggregate(today, s, deposit, cal).i == 1);
  CHECK(ReadAggregate(today, s, deposit + 90 * kMinute, cal).i == 0);   // 21:30Z, 00:30 local
}

TEST_CASE("a day counted from DayStart on is not remembered as uncounted past it", "[aggregates]") {
  // Amman again: a login at 21:30Z is on local day 29 October, whose DayStart
  // (22:00Z, an hour late) is still ahead; distinct_days counts it from then.
  const Calendar cal("Asia/Amman", 0);
  ir::Aggregate days;
  days.fn = ir::AggregateFn::DistinctDays;
  days.window = ir::Window::Lifetime;
  AggState s;
  const int64_t login = 1'635'456'600'000;   // 2021-10-28T21:30Z
  AddToAggregate(days, s, Value{}, login, cal);
  const int64_t before = ReadAggregate(days, s, login, cal).i;
  AggState fresh = s;
  fresh.read_until = INT64_MIN;
  CHECK(ReadAggregate(days, s, login + kHour, cal).i == ReadAggregate(days, fresh, login + kHour, cal).i);
  CHECK(before <= ReadAggregate(days, s, login + kHour, cal).i);
}
