#include "runtime/engine/mechanics/rules.h"

#include <algorithm>

#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"

namespace questline::engine::mechanics {

Rules::Rules(Kernel& k) : Mechanic(k) {
  for (const ir::Rule& r : k_.p.rules) sources_.push_back("rule:" + r.name);
  k_.stats.rule_fires.assign(k_.p.rules.size(), 0);
}

// A rule whose condition held: its limit counts this firing (or refuses it),
// and its body's awards are cut by its cap (Capped) until Leave.
bool Rules::Enter(int32_t r) {
  const ir::Rule& rule = k_.p.rules[size_t(r)];
  // Counters only for a rule with something to count, made at its first firing.
  RuleCounters* c = nullptr;
  if (rule.cap || rule.limit) {
    auto& list = k_.user->rules.counters;
    auto at = std::lower_bound(list.begin(), list.end(), r,
                               [](const std::pair<int32_t, RuleCounters>& x, int32_t key) { return x.first < key; });
    if (at == list.end() || at->first != r) at = list.insert(at, {r, RuleCounters{}});
    c = &at->second;   // stays put until Leave: rules do not nest
  }
  if (rule.limit) {
    int64_t key = k_.calendar.PeriodKey(static_cast<CalendarPeriod>(rule.limit->period), k_.now);
    if (key != c->limit_key) {
      c->limit_key = key;
      c->fired = 0;
    }
    if (c->fired >= rule.limit->amount) {
      if (k_.options.tracer) k_.options.tracer->RuleHeld(r, false);
      return false;
    }
    ++c->fired;
  }
  ++k_.stats.rule_fires[size_t(r)];
  if (k_.options.tracer) {
    k_.options.tracer->RuleHeld(r, true);
    k_.options.tracer->SpanBegin(TraceSpan::Rule, r);
  }
  running_ = r;
  rule_ = &rule;
  counters_ = c;
  k_.source = &sources_[size_t(r)];
  return true;
}

void Rules::Leave() {
  if (k_.options.tracer && running_ >= 0) k_.options.tracer->SpanEnd(TraceSpan::Rule, running_);
  running_ = -1;
  rule_ = nullptr;
  counters_ = nullptr;
}

bool Rules::CapApplies(int32_t currency) const {
  return rule_ && rule_->cap && rule_->cap->currency == currency && counters_;
}

int64_t Rules::Capped(int32_t currency, int64_t amount) {
  if (!CapApplies(currency)) return amount;
  RuleCounters& c = *counters_;
  int64_t key = k_.calendar.PeriodKey(static_cast<CalendarPeriod>(rule_->cap->period), k_.now);
  if (key != c.cap_key) {
    c.cap_key = key;
    c.capped = 0;
  }
  const int64_t left = std::min(amount, rule_->cap->amount - c.capped);
  if (left < amount && k_.options.tracer) k_.options.tracer->CapHit(running_, currency, amount, left);
  return left;
}

void Rules::CountAward(int32_t currency, int64_t amount) {
  if (CapApplies(currency)) counters_->capped = SaturatingAdd(counters_->capped, amount);
}

void Rules::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  w.Unsigned(u.rules.counters.size());
  for (const auto& [rule, c] : u.rules.counters) {
    w.Signed(rule);
    w.Signed(c.cap_key);
    w.Signed(c.capped);
    w.Signed(c.limit_key);
    w.Signed(c.fired);
  }
}

void Rules::LoadPlayer(UserState& u, core::ByteReader& r) {
  u.rules.counters.resize(r.Count());
  for (auto& [rule, c] : u.rules.counters) {
    rule = int32_t(r.Signed());
    if (rule < 0 || size_t(rule) >= k_.p.rules.size()) r.Fail();
    c.cap_key = r.Signed();
    c.capped = r.Signed();
    c.limit_key = r.Signed();
    c.fired = r.Signed();
  }
}

// Cap and limit counters by rule name, where the cap and limit are the same.
void Rules::MigratePlayer(const Rules&, const UserState& from, UserState& to, const Migration& mg) {
  auto& list = to.rules.counters;
  list.clear();
  for (const auto& [rule, counters] : from.rules.counters)
    if (const int32_t n = mg.rules.New(rule); n >= 0) list.emplace_back(n, counters);
  std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
}

}  // namespace questline::engine::mechanics
