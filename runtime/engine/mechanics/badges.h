// Badges: earned once, when their condition first holds.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Badges : public Mechanic {
 public:
  struct Player {
    std::vector<bool> earned;
  };
  explicit Badges(Kernel& k);

  void NewPlayer(UserState& u);
  void Settle(SettleRound& round);
  void WriteState(const UserState& u, std::string& out) const;

 private:
  std::vector<std::string> sources_;   // "badge:NAME"
};

}  // namespace questline::engine::mechanics
