// Badges: earned once, when their condition first holds.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Badges : public Mechanic {
 public:
  explicit Badges(Kernel& k);

  void Settle(SettleRound& round);
  void WriteState(const UserState& u, std::string& out) const;

  void MigratePlayer(const Badges& old, const UserState& from, UserState& to, const Migration& mg);
 private:
  Bits earned_;
  std::vector<std::string> sources_;   // "badge:NAME"
};

}  // namespace questline::engine::mechanics
