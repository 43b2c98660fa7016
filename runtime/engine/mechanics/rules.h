// Rules' per-player counters: a limit on firings and a cap on what a rule
// awards, per period. The rules themselves run in the backend's handler; it
// calls Enter and Leave around a rule's body.
#pragma once

#include "runtime/engine/mechanic.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

class Rules : public Mechanic {
 public:
  struct Player {
    // Sorted by rule: only the capped or limited rules that fired for the player.
    std::vector<std::pair<int32_t, RuleCounters>> counters;
  };
  explicit Rules(Kernel& k);

  bool Enter(int32_t rule);   // false: its limit refuses this firing
  void Leave();
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);
  // An award of `amount` in `currency` by the running rule: what its cap leaves.
  int64_t Capped(int32_t currency, int64_t amount);
  void CountAward(int32_t currency, int64_t amount);   // what was credited

  void MigratePlayer(const Rules& old, const UserState& from, UserState& to, const Migration& mg);
 private:
  bool CapApplies(int32_t currency) const;
  std::vector<std::string> sources_;   // "rule:NAME"
  const ir::Rule* rule_ = nullptr;     // the rule whose cap applies
  int32_t running_ = -1;               // its index, for the tracer
  RuleCounters* counters_ = nullptr;
};

}  // namespace questline::engine::mechanics
