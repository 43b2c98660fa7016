// Points and the other currencies: awards (cut by the rule's cap, blocked by
// policies), deductions, bonuses and imported balances.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Wallet : public Mechanic {
 public:
  struct Player {
    std::vector<int64_t> balances;   // by currency; [0] = points
    int64_t points_ever = 0;
  };
  using Mechanic::Mechanic;

  void NewPlayer(UserState& u);
  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);
  void WriteState(const UserState& u, std::string& out) const;

  int32_t CurrencyIndex(const std::string& name) const;   // points is 0; -1: none
  int64_t& Balance(UserState& u, int32_t currency);
};

}  // namespace questline::engine::mechanics
