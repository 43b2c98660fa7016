// Two runs' actions, matched and compared (quest diff). An action is matched
// by (user, triggering event, source, action kind, ordinal among the actions
// of that user, event, source and kind). The engine's own `key` hashes the
// ordinal within the whole step, so one action more early in a step would
// shift every later key of the step and show unchanged actions as removed
// and added; this key keeps them matched.
//
// Matched actions differ when a field other than `balance` does: a balance
// is the running total, so one changed award would otherwise mark every
// later award of the player as changed too.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/engine/action.h"

namespace questline::driver {

enum class ChangeKind : uint8_t { Added, Removed, Changed };

struct ActionChange {
  ChangeKind kind;
  const engine::Action* old_action = nullptr;   // null when added
  const engine::Action* new_action = nullptr;   // null when removed
  uint64_t ordinal = 0;
};

// The economic side of one run, or of one group's delta: what was credited.
struct Impact {
  std::map<std::string, int64_t> awarded;   // by currency
  std::map<std::string, int64_t> deducted;
  int64_t bonuses = 0, messages = 0, completions = 0;
  void Count(const engine::Action& a, int sign);
  bool Empty() const;
};

// Per source (rule:…, mission:…, flow:…) or per player.
struct GroupDelta {
  int64_t added = 0, removed = 0, changed = 0;
  Impact delta;                             // new minus old
};

struct ActionDiff {
  std::vector<ActionChange> changes;        // old's order, each added one after the last old one before it
  uint64_t unchanged = 0;
  Impact old_total, new_total;
  std::map<std::string, GroupDelta> by_source, by_user;
  bool Differs() const { return !changes.empty(); }
};

ActionDiff DiffActions(const std::vector<engine::Action>& old_actions,
                       const std::vector<engine::Action>& new_actions);

// The fields that differ between two matched actions, `balance` aside.
std::vector<std::string> ChangedFields(const engine::Action& a, const engine::Action& b);

}  // namespace questline::driver
