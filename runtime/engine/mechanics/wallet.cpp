#include "runtime/engine/mechanics/wallet.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {

Wallet::Wallet(Kernel& k) : Mechanic(k) {
  balances_ = k_.layout.Reserve<int64_t>(k_.p.currencies.size());
  points_ever_ = k_.layout.Reserve<int64_t>(1);
}

int32_t Wallet::CurrencyIndex(const std::string& name) const {
  for (size_t c = 0; c < k_.p.currencies.size(); ++c)
    if (k_.p.currencies[c] == name) return int32_t(c);
  return -1;
}

int64_t& Wallet::Balance(const UserState& u, int32_t currency) const { return balances_.In(u.block)[currency]; }
int64_t& Wallet::PointsEver(const UserState& u) const { return *points_ever_.In(u.block); }

bool Wallet::Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data) {
  const std::string& currency = s.target >= 0 && size_t(s.target) < k_.p.currencies.size()
                                    ? k_.p.currencies[size_t(s.target)] : k_.p.currencies[0];
  switch (s.kind) {
    case ir::StmtKind::Award: {
      const int64_t asked = value.none ? 0 : value.i;
      int64_t amount = k_.m.rules.Capped(s.target, asked);   // cut to what the rule's cap leaves
      if (amount <= 0 || k_.m.policies.Blocks(ir::PolicyTarget::Rewards, "award",
                                              {{"currency", ActionValue::String(currency)},
                                               {"amount", ActionValue::Int(amount)}}))
        return true;
      int64_t& balance = Balance(*k_.user, s.target);
      // Balances saturate at int64 max: the action reports what was credited,
      // not what was asked, and the cut is counted so that a run shows it.
      const int64_t credited = SaturatingAdd(balance, amount) - balance;
      if (credited < amount) {
        k_.CountWarning("award_saturated");
        amount = credited;
        if (amount <= 0) return true;
      }
      k_.m.rules.CountAward(s.target, amount);
      balance += amount;
      if (s.target == 0) {
        int64_t& ever = PointsEver(*k_.user);
        ever = SaturatingAdd(ever, amount);
        k_.m.competitions.ScorePoints(amount);
      }
      k_.Emit(*k_.source, "award", {{"currency", ActionValue::String(currency)},
                                    {"amount", ActionValue::Int(amount)}, {"balance", ActionValue::Int(balance)}});
      return true;
    }
    case ir::StmtKind::Deduct: {
      int64_t& balance = Balance(*k_.user, s.target);
      int64_t amount = std::min(value.none ? 0 : value.i, balance);
      if (amount <= 0) return true;
      balance -= amount;
      k_.Emit(*k_.source, "deduct", {{"currency", ActionValue::String(currency)},
                                     {"amount", ActionValue::Int(amount)}, {"balance", ActionValue::Int(balance)}});
      return true;
    }
    case ir::StmtKind::GrantBonus: {
      const std::string bonus = value.none ? std::string() : k_.strings.Get(uint32_t(value.i));
      if (k_.m.policies.Blocks(ir::PolicyTarget::Rewards, "bonus", {{"bonus", ActionValue::String(bonus)}}))
        return true;
      k_.Emit(*k_.source, "bonus", {{"bonus", ActionValue::String(bonus)}});
      return true;
    }
    default: return false;
  }
}

void Wallet::WriteState(const UserState& u, std::string& out) const {
  const int64_t* balances = balances_.In(u.block);
  out += ",\"points\":" + std::to_string(balances[0]) + ",\"points_ever\":" + std::to_string(PointsEver(u));
  out += ",\"balances\":{";
  for (size_t c = 1; c < balances_.count; ++c) {
    if (c > 1) out += ",";
    AppendJsonString(out, k_.p.currencies[c]);
    out += ":" + std::to_string(balances[c]);
  }
  out += "}";
}

// Balances by currency name; points_ever as it was (levels read it).
void Wallet::MigratePlayer(const Wallet& old, const UserState& from, UserState& to, const Migration& mg) {
  CopySlots(mg.currencies, old.balances_, from.block, balances_, to.block);
  *points_ever_.In(to.block) = *old.points_ever_.In(from.block);
}

}  // namespace questline::engine::mechanics
