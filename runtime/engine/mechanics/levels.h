// Levels by points ever earned: each one reached once, in order, its block run.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Levels : public Mechanic {
 public:
  explicit Levels(Kernel& k);

  void NewPlayer(UserState& u);

  void Settle(SettleRound& round);
  void WriteState(const UserState& u, std::string& out) const;
  Value Current();   // the player's level name, for conditions
  int32_t& Level(const UserState& u) const;   // -1: none yet

  void MigratePlayer(const Levels& old, const UserState& from, UserState& to, const Migration& mg);
 private:
  Slots<int32_t> level_;
  std::vector<std::string> sources_;   // "level:NAME"
  std::vector<uint32_t> ids_;          // interned on first read, as ever: ids order `top`'s ties
};

}  // namespace questline::engine::mechanics
