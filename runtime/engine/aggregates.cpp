#include "runtime/engine/aggregates.h"

#include <algorithm>

namespace questline::engine {
namespace {

constexpr int64_t kSecond = 1000, kMinute = 60'000, kHour = 3'600'000, kDay = 86'400'000;

int64_t BucketWidth(int64_t window) {
  return window >= kDay ? kHour : window >= kHour ? kMinute : kSecond;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

CalendarPeriod CalendarOf(ir::Window w) {
  return w == ir::Window::Today ? CalendarPeriod::Day
         : w == ir::Window::ThisWeek ? CalendarPeriod::Week : CalendarPeriod::Month;
}

int64_t KeyOf(const ir::Aggregate& a, int64_t t, const Calendar& cal) {
  switch (a.window) {
    case ir::Window::Lifetime: return 0;
    case ir::Window::Last: return FloorDiv(t, BucketWidth(a.length_ms));
    default: return cal.PeriodKey(CalendarOf(a.window), t);
  }
}

// Whether a bucket still counts at `now`.
bool Live(const ir::Aggregate& a, int64_t key, int64_t now, const Calendar& cal) {
  switch (a.window) {
    case ir::Window::Lifetime: return true;
    case ir::Window::Last: {
      int64_t w = BucketWidth(a.length_ms);
      return SaturatingMul(key + 1, w) > SaturatingAdd(now, -a.length_ms);
    }
    default: return key == cal.PeriodKey(CalendarOf(a.window), now);
  }
}

bool IsPeriodic(ir::AggregateFn fn) {
  return fn == ir::AggregateFn::DistinctDays || fn == ir::AggregateFn::StreakDays ||
         fn == ir::AggregateFn::StreakWeeks;
}

// Buckets folded into one reading. The argument's kind is the result's
// (sema), so the accumulator is one word.
struct Fold {
  int64_t count = 0, sum = 0, acc = 0;
  bool found = false;
  void Add(ir::AggregateFn fn, const AggState::Bucket& b) {
    count += b.count;
    if (!b.has_acc) return;
    switch (fn) {
      case ir::AggregateFn::Sum:
      case ir::AggregateFn::Avg: sum = __builtin_add_overflow(sum, b.acc, &sum) ? INT64_MAX : sum; break;
      case ir::AggregateFn::Min: acc = found && acc <= b.acc ? acc : b.acc; break;
      case ir::AggregateFn::Max: acc = found && acc >= b.acc ? acc : b.acc; break;
      case ir::AggregateFn::First: acc = found ? acc : b.acc; break;
      default: acc = b.acc; break;   // Last
    }
    found = true;
  }
};

// The value of a folded count, sum, avg, min, max, first or last.
Value Finish(const ir::Aggregate& a, const Fold& f) {
  const ValueKind kind = a.result;
  switch (a.fn) {
    case ir::AggregateFn::Count: return Value::Int(f.count);
    case ir::AggregateFn::Sum: return Value{f.sum, kind, false};
    case ir::AggregateFn::Avg: {
      if (f.count == 0) return Value::None(ValueKind::Decimal);
      // The sum of a decimal field is scaled already; an int field's is not.
      __int128 scaled = a.argument_kind == ValueKind::Decimal ? __int128(f.sum) : __int128(f.sum) * kDecimalScale;
      return Value::Decimal(int64_t(scaled / f.count));
    }
    default: return f.found ? Value{f.acc, kind, false} : Value::None(kind);   // min, max, first, last
  }
}

// Adds one event's argument to a bucket.
void AddToBucket(ir::AggregateFn fn, AggState::Bucket& b, Value arg) {
  b.count += 1;
  if (arg.none) return;
  int64_t& acc = b.acc;
  const bool had = b.has_acc;
  switch (fn) {
    case ir::AggregateFn::Sum:
    case ir::AggregateFn::Avg:
      acc = __builtin_add_overflow(acc, arg.i, &acc) ? (arg.i > 0 ? INT64_MAX : INT64_MIN) : acc;
      break;
    case ir::AggregateFn::Min: acc = had && acc <= arg.i ? acc : arg.i; break;
    case ir::AggregateFn::Max: acc = had && acc >= arg.i ? acc : arg.i; break;
    case ir::AggregateFn::First: acc = had ? acc : arg.i; break;
    default: acc = arg.i; break;   // Last; count and top keep nothing here
  }
  b.has_acc = true;
}

// The value at `now`, from the buckets.
Value ComputeAggregate(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal) {
  const ValueKind kind = a.result;
  switch (a.fn) {
    case ir::AggregateFn::DistinctDays: {
      int64_t n = 0;
      for (int64_t d : s.periods) {
        int64_t start = cal.DayStart(d);
        bool live = a.window == ir::Window::Lifetime ||
                    (a.window == ir::Window::Last ? cal.DayStart(d + 1) > SaturatingAdd(now, -a.length_ms)
                                                  : cal.PeriodKey(CalendarOf(a.window), start) ==
                                                        cal.PeriodKey(CalendarOf(a.window), now));
        n += live && start <= now;
      }
      return Value::Int(n);
    }
    case ir::AggregateFn::StreakDays:
    case ir::AggregateFn::StreakWeeks: {
      // Consecutive periods with an event, ending in the current or previous one.
      int64_t current = a.fn == ir::AggregateFn::StreakWeeks ? cal.LocalWeek(now) : cal.LocalDay(now);
      auto it = std::upper_bound(s.periods.begin(), s.periods.end(), current);
      if (it == s.periods.begin()) return Value::Int(0);
      --it;
      if (*it < current - 1) return Value::Int(0);
      int64_t n = 1;
      while (it != s.periods.begin() && *(it - 1) == *it - 1) { --it; ++n; }
      return Value::Int(n);
    }
    default: break;
  }
  if (a.fn != ir::AggregateFn::Top) {
    Fold fold;
    for (const AggState::Bucket& b : s.buckets)
      if (Live(a, b.key, now, cal)) fold.Add(a.fn, b);
    return Finish(a, fold);
  }
  // Most frequent value. A tie goes to the value that reached the count
  // first (LANGUAGE.md §4): with N counted events, its N-th is its latest,
  // so the earliest latest add wins. Interned ids would make the winner
  // depend on the package's literals and on other players' events.
  struct Total { int64_t value, count, last; };
  std::vector<Total> totals;
  for (const auto& e : s.top) {
    if (!Live(a, e.key, now, cal)) continue;
    auto t = std::find_if(totals.begin(), totals.end(), [&](const Total& x) { return x.value == e.value; });
    if (t == totals.end()) {
      totals.push_back({e.value, e.count, e.last});
    } else {
      t->count += e.count;
      t->last = std::max(t->last, e.last);
    }
  }
  if (totals.empty()) return Value::None(kind);
  auto best = std::min_element(totals.begin(), totals.end(), [](const Total& x, const Total& y) {
    return x.count != y.count ? x.count > y.count : x.last < y.last;
  });
  return Value{best->value, kind, false};
}

// The first instant after `now` at which a read can differ with no new event:
// the oldest live bucket leaving a sliding window; for calendar windows, day
// counts and streaks, the next change of local day (calendar periods only
// change with it), found from the zone's offset span rather than from
// DayStart(day + 1): where clocks fall back across midnight the day is
// entered twice, and the second time its start is already past.
int64_t ValidUntil(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal) {
  // Near the ends of time the instants below overflow: remember nothing.
  if (now > INT64_MAX - 2 * kDay || now < INT64_MIN + 2 * kDay) return now;
  if (IsPeriodic(a.fn)) {
    int64_t until = cal.NextDayChange(now);
    if (a.fn == ir::AggregateFn::DistinctDays) {
      for (int64_t d : s.periods) {   // the read's own instants: a day counts from DayStart(d) on
        const int64_t start = cal.DayStart(d);
        if (start > now) until = std::min(until, start);
        if (a.window != ir::Window::Last) continue;
        const int64_t leaves = SaturatingAdd(cal.DayStart(d + 1), a.length_ms);
        if (leaves > now) until = std::min(until, leaves);
      }
    }
    return until;
  }
  switch (a.window) {
    case ir::Window::Lifetime: return INT64_MAX;
    case ir::Window::Last: {
      // Buckets are sorted and liveness falls with age: the first live one leaves first.
      const int64_t w = BucketWidth(a.length_ms);
      for (const AggState::Bucket& b : s.buckets)
        if (Live(a, b.key, now, cal)) return SaturatingAdd(SaturatingMul(b.key + 1, w), a.length_ms);
      return INT64_MAX;
    }
    default: return cal.NextDayChange(now);
  }
}

}  // namespace

void AddToAggregate(const ir::Aggregate& a, AggState& s, Value arg, int64_t t, const Calendar& cal) {
  s.read_until = INT64_MIN;
  if (IsPeriodic(a.fn)) {
    int64_t p = a.fn == ir::AggregateFn::StreakWeeks ? cal.LocalWeek(t) : cal.LocalDay(t);
    auto it = std::lower_bound(s.periods.begin(), s.periods.end(), p);
    if (it == s.periods.end() || *it != p) s.periods.insert(it, p);
    return;
  }
  const int64_t key = KeyOf(a, t, cal);
  // Drop buckets no window can see again (calendar windows keep only the current one).
  auto live = s.buckets.begin();
  while (live != s.buckets.end() && !Live(a, live->key, t, cal)) ++live;
  s.buckets.erase(s.buckets.begin(), live);
  s.top.erase(std::remove_if(s.top.begin(), s.top.end(),
                             [&](const AggState::TopEntry& e) { return !Live(a, e.key, t, cal); }),
              s.top.end());
  auto it = std::lower_bound(s.buckets.begin(), s.buckets.end(), key,
                             [](const AggState::Bucket& b, int64_t k) { return b.key < k; });
  if (it == s.buckets.end() || it->key != key) {
    AggState::Bucket b;
    b.key = key;
    it = s.buckets.insert(it, b);
  }
  AddToBucket(a.fn, *it, arg);
  if (a.fn == ir::AggregateFn::Top && !arg.none) {
    // This add's order: after every kept one (only kept entries are compared).
    int64_t order = 0;
    for (const AggState::TopEntry& x : s.top) order = std::max(order, x.last + 1);
    auto e = std::find_if(s.top.begin(), s.top.end(),
                          [&](const AggState::TopEntry& x) { return x.key == key && x.value == arg.i; });
    if (e == s.top.end()) {
      s.top.push_back({key, arg.i, 1, order});
    } else {
      e->count += 1;
      e->last = order;
    }
  }
}

bool IsSimpleAggregate(const ir::Aggregate& a) {
  return a.window == ir::Window::Lifetime && !IsPeriodic(a.fn) && a.fn != ir::AggregateFn::Top;
}

void AddToTotal(const ir::Aggregate& a, AggState::Bucket& total, Value argument) {
  AddToBucket(a.fn, total, argument);
}

Value ReadTotal(const ir::Aggregate& a, const AggState::Bucket& total) {
  Fold fold;
  fold.Add(a.fn, total);
  return Finish(a, fold);
}

Value ReadAggregate(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal) {
  if (now >= s.read_from && now < s.read_until) return s.read;
  s.read = ComputeAggregate(a, s, now, cal);
  s.read_from = now;
  s.read_until = ValidUntil(a, s, now, cal);
  return s.read;
}


int64_t AggregateValidUntil(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal) {
  if (a.fn == ir::AggregateFn::StreakDays || a.fn == ir::AggregateFn::StreakWeeks) {
    const int64_t current = a.fn == ir::AggregateFn::StreakWeeks ? cal.LocalWeek(now) : cal.LocalDay(now);
    if (s.periods.empty() || s.periods.back() < current - 1) return INT64_MAX;   // broken: stays 0
  } else if (a.fn == ir::AggregateFn::DistinctDays) {
    if (a.window == ir::Window::Lifetime &&
        (s.periods.empty() || cal.DayStart(s.periods.back()) <= now))
      return INT64_MAX;   // every day counted already counts
  } else if (a.window == ir::Window::Lifetime) {
    return INT64_MAX;
  } else if (a.window != ir::Window::Last) {
    // A calendar window keeps only its current period's bucket (the last).
    const bool bucket = !s.buckets.empty() && Live(a, s.buckets.back().key, now, cal);
    const bool top = std::any_of(s.top.begin(), s.top.end(),
                                 [&](const AggState::TopEntry& e) { return Live(a, e.key, now, cal); });
    if (!bucket && !top) return INT64_MAX;   // nothing left in the window: empty until the next add
  }
  return ValidUntil(a, s, now, cal);
}

}  // namespace questline::engine
