#include "compiler/driver/action_diff.h"

#include <unordered_map>

namespace questline::driver {
namespace {

// The field that is a running total, left out of comparisons (action_diff.h).
bool Compared(const std::string& field) { return field != "balance"; }

bool SameValue(const engine::ActionValue& a, const engine::ActionValue& b) {
  return a.kind == b.kind && a.i == b.i && a.s == b.s;
}

const engine::ActionValue* Field(const engine::Action& a, const std::string& name) {
  for (const auto& [n, v] : a.fields)
    if (n == name) return &v;
  return nullptr;
}

// Each action's match key, with its ordinal among the actions sharing the rest.
std::vector<std::pair<std::string, uint64_t>> MatchKeys(const std::vector<engine::Action>& actions) {
  std::unordered_map<std::string, uint64_t> seen;
  std::vector<std::pair<std::string, uint64_t>> keys;
  keys.reserve(actions.size());
  for (const engine::Action& a : actions) {
    std::string key = a.user + '\x1f' + a.event + '\x1f' + a.source + '\x1f' + a.action;
    const uint64_t ordinal = seen[key]++;
    key += '\x1f' + std::to_string(ordinal);
    keys.emplace_back(std::move(key), ordinal);
  }
  return keys;
}

void Tally(ActionDiff& d, const engine::Action& a, ChangeKind kind, int sign) {
  for (GroupDelta* g : {&d.by_source[a.source], &d.by_user[a.user]}) {
    if (sign > 0 && kind == ChangeKind::Added) ++g->added;
    if (sign < 0 && kind == ChangeKind::Removed) ++g->removed;
    if (sign > 0 && kind == ChangeKind::Changed) ++g->changed;
    g->delta.Count(a, sign);
  }
}

}  // namespace

void Impact::Count(const engine::Action& a, int sign) {
  const engine::ActionValue* currency = Field(a, "currency");
  const engine::ActionValue* amount = Field(a, "amount");
  if ((a.action == "award" || a.action == "deduct") && currency && amount) {
    (a.action == "award" ? awarded : deducted)[currency->s] += sign * amount->i;
  } else if (a.action == "bonus") {
    bonuses += sign;
  } else if (a.action == "send") {
    messages += sign;
  } else if (a.action == "mission") {
    const engine::ActionValue* state = Field(a, "state");
    if (state && state->s == "completed") completions += sign;
  }
}

bool Impact::Empty() const {
  for (const auto& m : {awarded, deducted})
    for (const auto& [currency, n] : m)
      if (n) return false;
  return !bonuses && !messages && !completions;
}

std::vector<std::string> ChangedFields(const engine::Action& a, const engine::Action& b) {
  std::vector<std::string> names;
  for (const auto& [name, v] : a.fields) {
    const engine::ActionValue* w = Field(b, name);
    if (Compared(name) && (!w || !SameValue(v, *w))) names.push_back(name);
  }
  for (const auto& [name, v] : b.fields)
    if (Compared(name) && !Field(a, name)) names.push_back(name);
  return names;
}

ActionDiff DiffActions(const std::vector<engine::Action>& old_actions,
                       const std::vector<engine::Action>& new_actions) {
  ActionDiff d;
  const auto old_keys = MatchKeys(old_actions), new_keys = MatchKeys(new_actions);
  std::unordered_map<std::string, size_t> new_at;
  for (size_t i = 0; i < new_keys.size(); ++i) new_at.emplace(new_keys[i].first, i);
  // Added actions are listed after the last matched old action that came
  // before them in the new run: a report reads in event order.
  std::vector<std::vector<size_t>> added_after(old_actions.size() + 1);
  std::vector<size_t> old_of_new(new_actions.size(), SIZE_MAX);
  for (size_t i = 0; i < old_actions.size(); ++i) {
    auto it = new_at.find(old_keys[i].first);
    if (it != new_at.end()) old_of_new[it->second] = i;
  }
  size_t last_old = 0;   // 1 + the old index of the last matched action so far
  for (size_t j = 0; j < new_actions.size(); ++j) {
    if (old_of_new[j] != SIZE_MAX) last_old = old_of_new[j] + 1;
    else added_after[last_old].push_back(j);
  }
  auto emit_added = [&](size_t slot) {
    for (size_t j : added_after[slot]) {
      d.changes.push_back({ChangeKind::Added, nullptr, &new_actions[j], new_keys[j].second});
      Tally(d, new_actions[j], ChangeKind::Added, +1);
    }
  };
  emit_added(0);
  for (size_t i = 0; i < old_actions.size(); ++i) {
    const engine::Action& a = old_actions[i];
    d.old_total.Count(a, +1);
    auto it = new_at.find(old_keys[i].first);
    if (it == new_at.end()) {
      d.changes.push_back({ChangeKind::Removed, &a, nullptr, old_keys[i].second});
      Tally(d, a, ChangeKind::Removed, -1);
    } else {
      const engine::Action& b = new_actions[it->second];
      if (ChangedFields(a, b).empty()) {
        ++d.unchanged;
      } else {
        d.changes.push_back({ChangeKind::Changed, &a, &b, old_keys[i].second});
        Tally(d, a, ChangeKind::Changed, -1);
        Tally(d, b, ChangeKind::Changed, +1);
      }
    }
    emit_added(i + 1);
  }
  for (const engine::Action& b : new_actions) d.new_total.Count(b, +1);
  return d;
}

}  // namespace questline::driver
