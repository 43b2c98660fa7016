#include "runtime/engine/mechanics/metrics.h"

#include "runtime/engine/aggregates.h"
#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"

namespace questline::engine::mechanics {

Metrics::Metrics(Kernel& k) : Mechanic(k) {
  for (const ir::Metric& m : k_.p.metrics) {
    is_total_.push_back(IsSimpleAggregate(m.aggregate));
    slot_.push_back(int32_t(is_total_.back() ? total_count_++ : window_count_++));
  }
  totals_ = k_.layout.Reserve<AggState::Bucket>(total_count_);
}

void Metrics::NewPlayer(UserState& u) {
  u.metrics.windows.resize(window_count_);
}

void Metrics::Add(int32_t metric, Value argument) {
  const ir::Aggregate& a = k_.p.metrics[size_t(metric)].aggregate;
  const size_t slot = size_t(slot_[size_t(metric)]);
  if (is_total_[size_t(metric)]) AddToTotal(a, totals_.In(k_.user->block)[slot], argument);
  else AddToAggregate(a, k_.user->metrics.windows[slot], argument, k_.now, k_.calendar);
}

Value Metrics::Read(const UserState& u, int32_t metric, int64_t now) const {
  const ir::Aggregate& a = k_.p.metrics[size_t(metric)].aggregate;
  const size_t slot = size_t(slot_[size_t(metric)]);
  if (is_total_[size_t(metric)]) return ReadTotal(a, totals_.In(u.block)[slot]);
  return ReadAggregate(a, u.metrics.windows[slot], now, k_.calendar);
}

int64_t Metrics::ValidUntil(int32_t metric, int64_t now) const {
  if (is_total_[size_t(metric)]) return INT64_MAX;   // lifetime: only an event changes it
  return AggregateValidUntil(k_.p.metrics[size_t(metric)].aggregate,
                             k_.user->metrics.windows[size_t(slot_[size_t(metric)])], now, k_.calendar);
}

void Metrics::WriteState(const UserState& u, std::string& out) const {
  out += ",\"metrics\":{";
  bool first = true;
  for (size_t m = 0; m < k_.p.metrics.size(); ++m) {
    if (k_.p.metrics[m].anonymous) continue;
    if (!first) out += ",";
    first = false;
    AppendJsonString(out, k_.p.metrics[m].name);
    out += ":";
    AppendValue(out, Read(u, int32_t(m), k_.clock), k_.strings);
  }
  out += "}";
}

void Metrics::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  for (const AggState& a : u.metrics.windows) snapshot::PutAgg(w, a);
}

void Metrics::LoadPlayer(UserState& u, core::ByteReader& r) {
  for (AggState& a : u.metrics.windows) snapshot::GetAgg(r, a);
}

// A metric by name whose aggregate is the same (function, event, argument,
// filter, window): the same aggregate is kept the same way (a total or a window).
void Metrics::MigratePlayer(const Metrics& old, const UserState& from, UserState& to, const Migration& mg) {
  for (size_t m = 0; m < old.slot_.size(); ++m) {
    const int32_t n = mg.metrics.New(int32_t(m));
    if (n < 0 || old.is_total_[m] != is_total_[size_t(n)]) continue;
    const size_t a = size_t(old.slot_[m]), b = size_t(slot_[size_t(n)]);
    if (is_total_[size_t(n)]) totals_.In(to.block)[b] = old.totals_.In(from.block)[a];
    else to.metrics.windows[b] = from.metrics.windows[a];
  }
}

}  // namespace questline::engine::mechanics
