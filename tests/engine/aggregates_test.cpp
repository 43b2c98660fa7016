// A window read is remembered until the instant it can change (AggState::read):
// every remembered answer must equal a fresh computation, for every aggregate
// function over every window, across DST, month ends and long silences.
#include <catch2/catch.hpp>

#include <random>

#include "runtime/engine/aggregates.h"

namespace {

using questline::engine::AggState;
using questline::engine::Calendar;
using questline::engine::Value;
using questline::engine::ValueKind;
namespace ir = questline::ir;

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

Value Fresh(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal) {
  AggState copy = s;
  copy.read_until = INT64_MIN;
  return ReadAggregate(a, copy, now, cal);
}

// Adds and reads at random instants moving forward by seconds to weeks;
// returns how many reads were answered from the remembered value.
int Walk(const ir::Aggregate& a, uint32_t seed) {
  const Calendar cal("Europe/Malta", 0);
  std::mt19937 rng(seed);
  AggState s;
  int64_t now = 1'774'000'000'000;   // 2026-03-20, nine days before DST starts
  int remembered = 0;
  for (int step = 0; step < 400; ++step) {
    const int64_t jumps[] = {1000, 17 * kMinute, kHour, 5 * kHour, kDay, 3 * kDay + 7, 9 * kDay};
    now += jumps[rng() % 7] / (1 + rng() % 3);
    if (rng() % 3 == 0) {
      Value arg = a.argument_kind == ValueKind::String ? Value::String(rng() % 4)
                                                       : Value{int64_t(rng() % 5000) - 100, a.argument_kind, false};
      AddToAggregate(a, s, arg, now, cal);
      continue;
    }
    const bool was_remembered = now >= s.read_from && now < s.read_until;
    const Value got = ReadAggregate(a, s, now, cal);
    const Value want = Fresh(a, s, now, cal);
    INFO("fn " << int(a.fn) << " window " << int(a.window) << " length " << a.length_ms << " step " << step);
    REQUIRE(got.none == want.none);
    REQUIRE(got.kind == want.kind);
    REQUIRE(got.i == want.i);
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
      remembered += Walk(a, seed++);
    }
  }
  // The memo is used, not only correct.
  CHECK(remembered > 1000);
}
