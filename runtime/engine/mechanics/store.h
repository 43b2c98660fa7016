// The store (LANGUAGE.md §8): store_purchase requests, checked in a fixed
// order (exists, audience, limit, stock, raffle not drawn, policy, balance);
// a rejected purchase changes nothing.
#pragma once

#include "runtime/engine/mechanic.h"
#include "runtime/engine/mechanics/common.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

class Store : public Mechanic {
 public:
  explicit Store(Kernel& k);

  void NewPlayer(UserState& u);
  bool OnRequest(const Event& e);
  void WriteState(const UserState& u, std::string& out) const;
  void Save(core::ByteWriter& w) const;
  void Load(core::ByteReader& r);

  void InternNames();
  // Purchases against limits by item name; stock as CarriedStock moves it.
  void MigratePlayer(const Store& old, const UserState& from, UserState& to, const Migration& mg);
  void Migrate(const Store& old, const Migration& mg);
 private:
  Slots<PeriodCount> purchases_;              // per item, against its limit
  std::vector<int64_t> stock_;                // global, -1 unlimited
  std::vector<std::vector<int32_t>> raffles_;   // per item: the raffles its purchase gives tickets for
  NameIndex by_name_;
};

}  // namespace questline::engine::mechanics
