// Updating and reading aggregates over time windows (LANGUAGE.md §4):
// lifetime, sliding `last D` (hour buckets for windows of a day or more,
// minute buckets for an hour or more, second buckets below) and calendar
// windows in the package's timezone.
#pragma once

#include "core/ir/program.h"
#include "runtime/engine/calendar.h"
#include "runtime/engine/state.h"

namespace questline::engine {

// Adds one matching event (its argument value, or an empty value for count-like
// aggregates) at time `t`.
void AddToAggregate(const ir::Aggregate& a, AggState& s, Value argument, int64_t t, const Calendar& cal);
// The aggregate's value at time `now`; none for an empty min/max/avg/first/last/top.
Value ReadAggregate(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal);
// The first instant after `now` at which the read can differ with no new
// event, INT64_MAX when it never will (a lifetime aggregate, a window with
// nothing left in it, a streak already broken).
int64_t AggregateValidUntil(const ir::Aggregate& a, const AggState& s, int64_t now, const Calendar& cal);


// Lifetime count, sum, avg, min, max, first and last: one bucket holds them,
// so a mission task over its whole instance keeps just that (TaskState).
bool IsSimpleAggregate(const ir::Aggregate& a);
void AddToTotal(const ir::Aggregate& a, AggState::Bucket& total, Value argument);
Value ReadTotal(const ir::Aggregate& a, const AggState::Bucket& total);

}  // namespace questline::engine
