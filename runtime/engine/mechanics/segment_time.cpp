// Segments that change with time alone (LANGUAGE.md §5): a segment reading
// `now`, `hour(now)`, a sliding or calendar window can change with no event
// at all. After each settle the engine finds, for each such segment, the next
// instant its condition can change for this player and keeps one pending
// re-check per player at the earliest of them: a player who stopped playing
// still leaves `active` and enters `sleeping`, and their `on exit` / `on
// enter` flows run then.
//
// A condition is piecewise constant in time between breakpoints: the instant
// a window's oldest bucket leaves it (or the day changes, for calendar
// windows), the next local hour for `hour(now)`, the next local day for
// `weekday(now)`, and the instants where a comparison linear in `now` (`now -
// x > 7d`, `x < now - 7d`, `now > x + 3d * 2`) crosses over. The search walks
// these breakpoints in order and evaluates the whole condition at each, so a
// breakpoint that changes nothing costs an evaluation, never a wrong answer.
#include <algorithm>

#include "runtime/engine/aggregates.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/mechanics/segments.h"

namespace questline::engine::mechanics {
namespace {

constexpr int kUnknown = INT32_MIN;    // a use of `now` that is not linear
constexpr int kMaxDepth = 256;         // expression nesting and fn calls (the parser allows less)
constexpr int kSearchSteps = 64;       // breakpoints evaluated per segment at a re-check

bool IsComparison(ir::NodeKind k) {
  return k == ir::NodeKind::Lt || k == ir::NodeKind::Le || k == ir::NodeKind::Gt || k == ir::NodeKind::Ge ||
         k == ir::NodeKind::Eq || k == ir::NodeKind::Ne;
}

int AddCoefficients(int a, int b) { return a == kUnknown || b == kUnknown ? kUnknown : a + b; }

// The next local hour boundary after t (zones with half-hour offsets too).
int64_t NextLocalHour(const Calendar& cal, int64_t t) {
  const int64_t into_minute = ((t % 60'000) + 60'000) % 60'000;
  return t - into_minute + int64_t(60 - cal.LocalMinute(t) % 60) * 60'000;
}

}  // namespace

// Whether `e` can change with time: `now`, a windowed or day-counting metric,
// a time-dependent segment, through fn bodies too.
bool Segments::ReadsTime(ir::ExprRef e, int depth) const {
  if (e < 0 || depth > kMaxDepth) return depth > kMaxDepth;
  std::vector<ir::ExprRef> stack{e};
  while (!stack.empty()) {
    const ir::Node& n = k_.p.At(stack.back());
    stack.pop_back();
    switch (n.kind) {
      case ir::NodeKind::Now: return true;
      case ir::NodeKind::Metric: {
        const ir::Aggregate& a = k_.p.metrics[size_t(n.a)].aggregate;
        if (a.window != ir::Window::Lifetime || a.fn == ir::AggregateFn::StreakDays ||
            a.fn == ir::AggregateFn::StreakWeeks || a.fn == ir::AggregateFn::DistinctDays)
          return true;
        break;
      }
      case ir::NodeKind::Call:
        if (ReadsTime(k_.p.fns[size_t(n.a)].body, depth + 1)) return true;
        break;
      default: break;
    }
    for (uint32_t i = 0; i < n.count; ++i) stack.push_back(k_.p.Child(n, i));
  }
  return false;
}

// d(e)/d(now): 0 for what does not read `now`, ±1 for `now ± x`, kUnknown
// for anything else (`min(now, x)`, `now * 2`).
int Segments::NowCoefficient(ir::ExprRef e, const std::vector<int>& params, int depth) const {
  if (depth > kMaxDepth) return kUnknown;
  const ir::Node& n = k_.p.At(e);
  auto child = [&](uint32_t i) { return NowCoefficient(k_.p.Child(n, i), params, depth + 1); };
  switch (n.kind) {
    case ir::NodeKind::Now: return 1;
    case ir::NodeKind::Param: return size_t(n.a) < params.size() ? params[size_t(n.a)] : 0;
    case ir::NodeKind::Add: return AddCoefficients(child(0), child(1));
    case ir::NodeKind::Sub: {
      const int b = child(1);
      return AddCoefficients(child(0), b == kUnknown ? kUnknown : -b);
    }
    case ir::NodeKind::Neg: {
      const int a = child(0);
      return a == kUnknown ? kUnknown : -a;
    }
    case ir::NodeKind::Widen: return child(0);
    case ir::NodeKind::Mul: {
      const int a = child(0), b = child(1);
      if (a == 0 && b == 0) return 0;
      // A linear side times a small constant stays linear.
      const ir::Node& other = k_.p.At(k_.p.Child(n, a == 0 ? 0 : 1));
      const int lin = a == 0 ? b : a;
      if (lin != kUnknown && other.kind == ir::NodeKind::Const && !other.none && other.type == ValueKind::Int &&
          other.imm > -1000 && other.imm < 1000 && (a == 0 || b == 0))
        return lin * int(other.imm);
      return kUnknown;
    }
    case ir::NodeKind::Call: {
      std::vector<int> args;
      for (uint32_t i = 0; i < n.count; ++i) args.push_back(child(i));
      return NowCoefficient(k_.p.fns[size_t(n.a)].body, args, depth + 1);
    }
    default: break;
  }
  for (uint32_t i = 0; i < n.count; ++i)
    if (child(i) != 0) return kUnknown;
  return 0;
}

// The first breakpoint of `e` after t, evaluated at t (k_.now == t); `frame`
// carries a fn's parameters, `params` their coefficients.
int64_t Segments::NextBreakpoint(ir::ExprRef e, core::Frame& frame, const std::vector<int>& params, int64_t t,
                               int depth) {
  int64_t next = INT64_MAX;
  if (e < 0 || depth > kMaxDepth) return next;
  auto candidate = [&](int64_t at) {
    if (at > t && at < next) next = at;
  };
  std::vector<ir::ExprRef> stack{e};
  while (!stack.empty()) {
    const ir::ExprRef ref = stack.back();
    stack.pop_back();
    const ir::Node& n = k_.p.At(ref);
    if (n.kind == ir::NodeKind::Metric) {
      candidate(k_.m.metrics.ValidUntil(n.a, t));
    } else if (n.kind == ir::NodeKind::Builtin && n.count == 1 && NowCoefficient(k_.p.Child(n, 0), params, 0) != 0) {
      const auto fn = static_cast<ir::BuiltinFn>(n.a);
      if (fn == ir::BuiltinFn::Hour) candidate(NextLocalHour(k_.calendar, t));
      if (fn == ir::BuiltinFn::Weekday) candidate(k_.calendar.NextDayChange(t));
    } else if (IsComparison(n.kind) && n.count == 2) {
      const int c = AddCoefficients(NowCoefficient(k_.p.Child(n, 0), params, 0),
                                    [&] {
                                      const int b = NowCoefficient(k_.p.Child(n, 1), params, 0);
                                      return b == kUnknown ? kUnknown : -b;
                                    }());
      if (c == kUnknown) {
        candidate(NextLocalHour(k_.calendar, t));   // not linear in now: look again every local hour
      } else if (c != 0) {
        const Value l = k_.backend.Eval(k_.p.Child(n, 0), frame, k_);
        const Value r = k_.backend.Eval(k_.p.Child(n, 1), frame, k_);
        if (!l.none && !r.none) {
          // l - r + c * (t' - t) crosses 0 at t' = t + (r - l) / c: the
          // comparison changes at the integer instants around that root.
          const __int128 num = __int128(r.i) - __int128(l.i);
          __int128 floor = num / c;
          if ((num % c != 0) && ((num < 0) != (c < 0))) --floor;
          for (__int128 k = floor; k <= floor + 2; ++k) {
            const __int128 at = __int128(t) + k;
            if (at > t && at < __int128(INT64_MAX)) candidate(int64_t(at));
          }
        }
      }
    } else if (n.kind == ir::NodeKind::Call) {
      // A fn body's breakpoints, with its parameters bound to the arguments at t.
      std::vector<Value> args;
      std::vector<int> coefficients;
      for (uint32_t i = 0; i < n.count; ++i) {
        args.push_back(k_.backend.Eval(k_.p.Child(n, i), frame, k_));
        coefficients.push_back(NowCoefficient(k_.p.Child(n, i), params, 0));
      }
      core::Frame inner{frame.event, nullptr, args.data()};
      candidate(NextBreakpoint(k_.p.fns[size_t(n.a)].body, inner, coefficients, t, depth + 1));
    }
    for (uint32_t i = 0; i < n.count; ++i) stack.push_back(k_.p.Child(n, i));
  }
  return next;
}

// The next instant segment `s` changes for this player, INT64_MAX if none is
// coming; after kSearchSteps quiet breakpoints, the last of them (the search
// goes on from there). Without `search`, only the first breakpoint, unasked:
// an active player's next event usually comes first, and the search then
// runs only for players who went quiet, at the re-check that finds them so.
// Breakpoints at or after `bound` are not looked at: an earlier change of
// another segment is already known, and one re-check then looks again.
int64_t Segments::NextChange(int32_t s, bool search, int64_t bound) {
  const ir::Segment& seg = k_.p.segments[size_t(s)];
  const bool member = Member(s);
  if (!search) {
    core::Frame frame{nullptr, nullptr, nullptr};
    k_.speculating = true;
    const int64_t next = NextBreakpoint(seg.condition, frame, {}, k_.now, 0);
    k_.speculating = false;
    return seg.locked_at && next >= *seg.locked_at ? INT64_MAX : next;
  }
  const int64_t saved = k_.now;
  k_.speculating = true;   // evaluations at future instants count no warnings
  core::Frame frame{nullptr, nullptr, nullptr};
  int64_t t = k_.now, found = INT64_MAX;
  for (int step = 0; step < kSearchSteps; ++step) {
    k_.now = t;
    const int64_t next = NextBreakpoint(seg.condition, frame, {}, t, 0);
    if (next >= bound || (seg.locked_at && next >= *seg.locked_at)) break;
    k_.now = next;
    if (k_.backend.Test(seg.condition, frame, k_) != member || step == kSearchSteps - 1) {
      found = next;
      break;
    }
    t = next;
  }
  k_.now = saved;
  k_.speculating = false;
  return found;
}

void Segments::ScheduleRecheck(bool search) {
  int64_t& recheck = *recheck_.In(k_.user->block);
  int64_t next = INT64_MAX;
  for (size_t s = 0; s < k_.p.segments.size(); ++s) {
    const ir::Segment& seg = k_.p.segments[s];
    if (!reads_time_[s] || seg.imported || seg.condition < 0) continue;
    if (seg.locked_at && k_.now >= *seg.locked_at) continue;
    next = std::min(next, NextChange(int32_t(s), search, std::min(next, recheck)));
  }
  if (next == INT64_MAX || next >= recheck) return;
  recheck = next;   // one pending re-check: an earlier one replaces it
  k_.Schedule(next, MechanicId::segments, kRecheck, -1, 0);
}

}  // namespace questline::engine::mechanics
