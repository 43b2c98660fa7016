#include "runtime/engine/mechanics/minigames.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"

namespace questline::engine::mechanics {
Minigames::Minigames(Kernel& k) : Mechanic(k) {
  for (const ir::Minigame& g : k_.p.games) {
    prize_stock_.emplace_back();
    for (const ir::GamePrize& prize : g.prizes) prize_stock_.back().push_back(prize.stock);
  }
  plays_ = k_.layout.Reserve<PeriodCount>(k_.p.games.size());
  InternNames();
}

void Minigames::InternNames() {
  by_name_.clear();
  for (size_t i = 0; i < k_.p.games.size(); ++i) by_name_[k_.strings.Intern(k_.p.games[i].name)] = int32_t(i);
}

void Minigames::NewPlayer(UserState& u) { std::fill_n(plays_.In(u.block), plays_.count, PeriodCount{}); }

// minigame_play {game}: exists, audience, per-user limit, cost (attempts or a
// currency), policy, then a keyed draw among the prizes still in stock.
bool Minigames::OnRequest(const Event& e) {
  if (e.type != k_.p.minigame_play) return true;
  std::string name;
  const int32_t target = RequestTarget(k_, e, "game", by_name_, &name);
  const std::string source = "minigame:" + name;
  if (target < 0) return Reject(k_, source, "minigame_play", "unknown_game");
  const size_t g = size_t(target);
  const auto it = k_.p.games.begin() + target;
  core::Frame frame{&e, nullptr, nullptr};
  if (!k_.backend.Test(it->audience, frame, k_)) return Reject(k_, source, "minigame_play", "not_in_audience");
  PeriodCount counter = plays_.In(k_.user->block)[g];
  if (!WithinLimit(it->limit, counter, k_.calendar, k_.now)) return Reject(k_, source, "minigame_play", "limit_reached");
  if (it->cost > 0)
    if (const ir::Policy* policy = k_.m.policies.Blocking(ir::PolicyTarget::Rewards))
      return Reject(k_, source, "minigame_play", "blocked_by_policy", {{"policy", ActionValue::String(policy->name)}});
  int64_t* pay_from = nullptr;
  if (it->cost_currency >= 0) {
    pay_from = &k_.m.wallet.Balance(*k_.user, it->cost_currency);
  } else {
    auto a = std::find_if(k_.user->minigames.attempts.begin(), k_.user->minigames.attempts.end(), [&](auto& x) { return x.first == int32_t(g); });
    if (a != k_.user->minigames.attempts.end()) pay_from = &a->second;
  }
  if (it->cost > 0 && (pay_from == nullptr || *pay_from < it->cost))
    return Reject(k_, source, "minigame_play", it->cost_currency >= 0 ? "insufficient_balance" : "no_attempts");
  // Global: the owner partition's (world.h), or, when a prize's stock is
  // finite, the stock's owner elsewhere draws (EngineOptions::owned_elsewhere).
  std::vector<int64_t>& stock = k_.Global().m.minigames.prize_stock_[g];
  const bool owned_elsewhere =
      k_.options.owned_elsewhere && std::any_of(stock.begin(), stock.end(), [](int64_t left) { return left >= 0; });
  int prize = -1;
  if (owned_elsewhere) {
    const StockAnswer* answer = k_.AskStockOwner(StockClaim::Kind::Draw, source);
    if (answer == nullptr) return false;   // the step waits for the owner
    for (size_t p = 0; p < it->prizes.size() && answer->granted; ++p)
      if (it->prizes[p].name == answer->prize) prize = int(p);
  } else {
    prize = DrawPrize(*it, stock, k_.random, k_.strings.Get(k_.user->user), k_.event_id);
  }
  if (prize < 0) return Reject(k_, source, "minigame_play", "no_prize_left");
  if (pay_from) *pay_from -= it->cost;
  counter.count += 1;
  plays_.In(k_.user->block)[g] = counter;
  if (stock[size_t(prize)] > 0 && !owned_elsewhere) --stock[size_t(prize)];
  const ir::GamePrize& won = it->prizes[size_t(prize)];
  std::vector<std::pair<std::string, ActionValue>> fields = {{"game", ActionValue::String(name)},
                                                             {"prize", ActionValue::String(won.name)}};
  if (pay_from && it->cost > 0) {   // what the play cost, and what is left
    fields.push_back({"cost", ActionValue::Int(it->cost)});
    fields.push_back({"currency", ActionValue::String(it->cost_currency >= 0 ? k_.p.currencies[size_t(it->cost_currency)]
                                                                             : std::string("attempts"))});
    fields.push_back({"balance", ActionValue::Int(*pay_from)});
  }
  k_.Emit(source, "minigame", std::move(fields));
  k_.RunBlock(won.body, source);
  return true;
}

int DrawPrize(const ir::Minigame& game, const std::vector<int64_t>& stock, const KeyedRandom& random,
              std::string_view user, std::string_view event_id) {
  std::vector<int64_t> weights;
  for (size_t p = 0; p < game.prizes.size(); ++p)
    weights.push_back(stock[p] == 0 ? 0 : game.prizes[p].weight);   // an empty stock drops out
  return random.Weighted(weights, user, event_id, 0);
}

bool Minigames::Effect(const ir::Stmt& s, Value value, const std::vector<Value>&) {
  if (s.kind != ir::StmtKind::GiveAttempts) return false;
  if (value.none || value.i <= 0) return true;
  GiveCounted(k_, k_.user->minigames.attempts, s.target, value.i, "attempts", "game", k_.p.minigames[size_t(s.target)]);
  return true;
}

void Minigames::WriteState(const UserState& u, std::string& out) const {
  out += ",\"attempts\":{";
  for (size_t a = 0; a < u.minigames.attempts.size(); ++a) {
    if (a) out += ",";
    AppendJsonString(out, k_.p.minigames[size_t(u.minigames.attempts[a].first)]);
    out += ":" + std::to_string(u.minigames.attempts[a].second);
  }
  out += "}";
}

void Minigames::SavePlayer(const UserState& u, core::ByteWriter& w) const { snapshot::PutCounts(w, u.minigames.attempts); }
void Minigames::LoadPlayer(UserState& u, core::ByteReader& r) { snapshot::GetCounts(r, u.minigames.attempts); }

void Minigames::Save(core::ByteWriter& w) const {
  for (const std::vector<int64_t>& stock : prize_stock_)
    for (int64_t left : stock) w.Signed(left);
}

void Minigames::Load(core::ByteReader& r) {
  for (std::vector<int64_t>& stock : prize_stock_)
    for (int64_t& left : stock) left = r.Signed();
}

void Minigames::MigratePlayer(const Minigames& old, const UserState& from, UserState& to, const Migration& mg) {
  CopySlots(mg.games, old.plays_, from.block, plays_, to.block);
  to.minigames.attempts.clear();
  for (const auto& [game, count] : from.minigames.attempts)
    if (const int32_t n = mg.games.New(game); n >= 0) to.minigames.attempts.emplace_back(n, count);
  std::sort(to.minigames.attempts.begin(), to.minigames.attempts.end());
}

void Minigames::Migrate(const Minigames& old, const Migration& mg) {
  for (size_t g = 0; g < old.prize_stock_.size(); ++g) {
    const int32_t n = mg.games.New(int32_t(g));
    if (n < 0) continue;
    const auto& before = mg.from.games[g].prizes;
    const auto& after = k_.p.games[size_t(n)].prizes;
    for (size_t p = 0; p < after.size(); ++p)
      for (size_t q = 0; q < before.size(); ++q)
        if (before[q].name == after[p].name)
          prize_stock_[size_t(n)][p] = CarriedStock(old.prize_stock_[g][q], before[q].stock, after[p].stock);
  }
}

}  // namespace questline::engine::mechanics
