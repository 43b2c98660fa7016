#include "runtime/engine/mechanics/store.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {
Store::Store(Kernel& k) : Mechanic(k) {
  for (const ir::Item& i : k_.p.items) stock_.push_back(i.stock);
  for (const ir::Item& item : k_.p.items) {
    // The raffles a purchase gives tickets for, in its block and the blocks
    // nested in it (an explicit stack: blocks nest as deep as the source).
    std::vector<int32_t> raffles;
    std::vector<const ir::Block*> stack{&item.on_purchase};
    while (!stack.empty()) {
      const ir::Block* block = stack.back();
      stack.pop_back();
      for (const ir::Stmt& st : *block) {
        if (st.kind == ir::StmtKind::GiveTickets &&
            std::find(raffles.begin(), raffles.end(), st.target) == raffles.end())
          raffles.push_back(st.target);
        stack.push_back(&st.body);
        stack.push_back(&st.else_body);
        for (const auto& branch : st.branches) stack.push_back(&branch.second);
      }
    }
    raffles_.push_back(std::move(raffles));
  }
  purchases_ = k_.layout.Reserve<PeriodCount>(k_.p.items.size());
  InternNames();
}

void Store::NewPlayer(UserState& u) { std::fill_n(purchases_.In(u.block), purchases_.count, PeriodCount{}); }

// store_purchase {item}: exists, audience, per-user limit, stock, raffle not
// drawn, policy, balance.
bool Store::OnRequest(const Event& e) {
  if (e.type != k_.p.store_purchase) return true;
  std::string name;
  const int32_t target = RequestTarget(k_, e, "item", by_name_, &name);
  const std::string source = "item:" + name;
  if (target < 0) return Reject(k_, source, "store_purchase", "unknown_item");
  const size_t i = size_t(target);
  const auto it = k_.p.items.begin() + target;
  core::Frame frame{&e, nullptr, nullptr};
  if (!k_.backend.Test(it->audience, frame, k_)) return Reject(k_, source, "store_purchase", "not_in_audience");
  PeriodCount counter = purchases_.In(k_.user->block)[i];
  if (!WithinLimit(it->limit, counter, k_.calendar, k_.now)) return Reject(k_, source, "store_purchase", "limit_reached");
  // Stock and draws are global: the owner partition's (world.h), or a
  // finite stock's owner elsewhere, asked once the checks after the stock's
  // are known (EngineOptions::owned_elsewhere): a purchase they pass takes
  // a unit; one they refuse only asks whether any is left, for its reason.
  std::vector<int64_t>& stock = k_.Global().m.store.stock_;
  const bool owned_elsewhere = k_.options.owned_elsewhere && stock[i] >= 0;
  if (!owned_elsewhere && stock[i] == 0) return Reject(k_, source, "store_purchase", "out_of_stock");
  int32_t drawn = -1;   // a raffle of the item's drawn already: its tickets would be worthless
  for (int32_t r : raffles_[i])
    if (drawn < 0 && k_.Owner().m.raffles.Drawn(r)) drawn = r;   // changed only in a barrier (world.h): no turn
  const ir::Policy* policy =
      drawn < 0 && it->price > 0 ? k_.m.policies.Blocking(ir::PolicyTarget::Rewards) : nullptr;
  int64_t& balance = k_.m.wallet.Balance(*k_.user, it->currency);
  if (owned_elsewhere) {
    const bool passes = drawn < 0 && policy == nullptr && balance >= it->price;
    const StockAnswer* answer = k_.AskStockOwner(passes ? StockClaim::Kind::Take : StockClaim::Kind::Peek, source);
    if (answer == nullptr) return false;   // the step waits for the owner
    if (!answer->granted) return Reject(k_, source, "store_purchase", "out_of_stock");
  }
  if (drawn >= 0)
    return Reject(k_, source, "store_purchase", "raffle_drawn", {{"raffle", ActionValue::String(k_.p.raffles[size_t(drawn)])}});
  if (policy != nullptr)
    return Reject(k_, source, "store_purchase", "blocked_by_policy", {{"policy", ActionValue::String(policy->name)}});
  if (balance < it->price) return Reject(k_, source, "store_purchase", "insufficient_balance");
  balance -= it->price;
  if (stock[i] > 0 && !owned_elsewhere) --stock[i];
  counter.count += 1;
  purchases_.In(k_.user->block)[i] = counter;
  k_.Emit(source, "purchase", {{"item", ActionValue::String(name)}, {"price", ActionValue::Int(it->price)},
                            {"currency", ActionValue::String(k_.p.currencies[size_t(it->currency)])},
                            {"balance", ActionValue::Int(balance)}});
  k_.RunBlock(it->on_purchase, source);
  return true;
}

void Store::WriteState(const UserState& u, std::string& out) const {
  out += ",\"purchases\":{";
  bool first = true;
  const PeriodCount* purchases = purchases_.In(u.block);
  for (size_t i = 0; i < purchases_.count; ++i) {
    // Against an item's limit, the purchases of its current period only.
    const auto& limit = k_.p.items[i].limit;
    if (purchases[i].count == 0 ||
        (limit && purchases[i].key != k_.calendar.PeriodKey(static_cast<CalendarPeriod>(limit->period), k_.clock)))
      continue;
    if (!first) out += ",";
    first = false;
    AppendJsonString(out, k_.p.items[i].name);
    out += ":" + std::to_string(purchases[i].count);
  }
  out += "}";
}

void Store::Save(core::ByteWriter& w) const {
  for (int64_t left : stock_) w.Signed(left);
}

void Store::Load(core::ByteReader& r) {
  for (int64_t& left : stock_) left = r.Signed();
}

void Store::InternNames() {
  by_name_.clear();
  for (size_t i = 0; i < k_.p.items.size(); ++i) by_name_[k_.strings.Intern(k_.p.items[i].name)] = int32_t(i);
}

void Store::MigratePlayer(const Store& old, const UserState& from, UserState& to, const Migration& mg) {
  CopySlots(mg.items, old.purchases_, from.block, purchases_, to.block);
}

void Store::Migrate(const Store& old, const Migration& mg) {
  for (size_t i = 0; i < old.stock_.size(); ++i)
    if (const int32_t n = mg.items.New(int32_t(i)); n >= 0)
      stock_[size_t(n)] = CarriedStock(old.stock_[i], mg.from.items[i].stock, k_.p.items[size_t(n)].stock);
}

}  // namespace questline::engine::mechanics
