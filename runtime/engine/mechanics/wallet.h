// Points and the other currencies: awards (cut by the rule's cap, blocked by
// policies), deductions, bonuses and imported balances.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Wallet : public Mechanic {
 public:
  explicit Wallet(Kernel& k);

  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);
  void WriteState(const UserState& u, std::string& out) const;

  int32_t CurrencyIndex(const std::string& name) const;   // points is 0; -1: none
  int64_t& Balance(const UserState& u, int32_t currency) const;   // [0] = points
  int64_t& PointsEver(const UserState& u) const;

  void MigratePlayer(const Wallet& old, const UserState& from, UserState& to, const Migration& mg);
 private:
  Slots<int64_t> balances_, points_ever_;
};

}  // namespace questline::engine::mechanics
