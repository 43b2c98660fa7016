// Requests the engine answers (LANGUAGE.md §8): store purchases and mini-game
// plays, checked in a fixed order; a rejected request changes no state. And
// raffle draws, a timer at the raffle's instant.
#include <algorithm>

#include "runtime/engine/engine.h"

namespace questline::engine {
namespace {

bool WithinLimit(const std::optional<ir::Bound>& limit, std::pair<int64_t, int64_t>& counter,
                 const Calendar& cal, int64_t now) {
  if (!limit) return true;
  int64_t key = cal.PeriodKey(static_cast<CalendarPeriod>(limit->period), now);
  if (key != counter.first) counter = {key, 0};
  return counter.second < limit->amount;
}

}  // namespace

int32_t Engine::RequestTarget(const Event& e, const std::unordered_map<uint32_t, int32_t>& by_name,
                              std::string* name) const {
  const int32_t field = request_field_[size_t(e.type)];
  if (field < 0 || e.fields[size_t(field)].none) return -1;
  const uint32_t id = uint32_t(e.fields[size_t(field)].i);
  *name = strings_.Get(id);
  auto it = by_name.find(id);
  return it == by_name.end() ? -1 : it->second;
}

bool Engine::Reject(const std::string& source, const char* request, const char* reason,
                    std::vector<std::pair<std::string, ActionValue>> fields) {
  fields.insert(fields.begin(), {{"request", ActionValue::String(request)}, {"reason", ActionValue::String(reason)}});
  Emit(source, "rejected", std::move(fields));
  return false;
}

const ir::Policy* Engine::PaidRequestBlocked() { return BlockingPolicy(ir::PolicyTarget::Rewards); }

// store_purchase {item}: exists, audience, per-user limit, stock, raffle not
// drawn, policy, balance.
bool Engine::HandlePurchase(const Event& e) {
  std::string name;
  const int32_t target = RequestTarget(e, item_by_name_, &name);
  const std::string source = "item:" + name;
  if (target < 0) return Reject(source, "store_purchase", "unknown_item");
  const size_t i = size_t(target);
  const auto it = p_.items.begin() + target;
  core::Frame frame{&e, nullptr, nullptr};
  if (!backend_.Test(it->audience, frame, *this)) return Reject(source, "store_purchase", "not_in_audience");
  auto counter = user_->item_counts[i];
  if (!WithinLimit(it->limit, counter, calendar_, now_)) return Reject(source, "store_purchase", "limit_reached");
  if (item_stock_[i] == 0) return Reject(source, "store_purchase", "out_of_stock");
  for (int32_t r : item_raffles_[i])   // its tickets would be worthless
    if (raffle_drawn_[size_t(r)])
      return Reject(source, "store_purchase", "raffle_drawn", {{"raffle", ActionValue::String(p_.raffles[size_t(r)])}});
  if (it->price > 0)
    if (const ir::Policy* policy = PaidRequestBlocked())
      return Reject(source, "store_purchase", "blocked_by_policy", {{"policy", ActionValue::String(policy->name)}});
  int64_t& balance = user_->balances[size_t(it->currency)];
  if (balance < it->price) return Reject(source, "store_purchase", "insufficient_balance");
  balance -= it->price;
  if (item_stock_[i] > 0) --item_stock_[i];
  counter.second += 1;
  user_->item_counts[i] = counter;
  Emit(source, "purchase", {{"item", ActionValue::String(name)}, {"price", ActionValue::Int(it->price)},
                            {"currency", ActionValue::String(p_.currencies[size_t(it->currency)])},
                            {"balance", ActionValue::Int(balance)}});
  RunBlock(it->on_purchase, source);
  return true;
}

// minigame_play {game}: exists, audience, per-user limit, cost (attempts or a
// currency), policy, then a keyed draw among the prizes still in stock.
bool Engine::HandlePlay(const Event& e) {
  std::string name;
  const int32_t target = RequestTarget(e, game_by_name_, &name);
  const std::string source = "minigame:" + name;
  if (target < 0) return Reject(source, "minigame_play", "unknown_game");
  const size_t g = size_t(target);
  const auto it = p_.games.begin() + target;
  core::Frame frame{&e, nullptr, nullptr};
  if (!backend_.Test(it->audience, frame, *this)) return Reject(source, "minigame_play", "not_in_audience");
  auto counter = user_->game_counts[g];
  if (!WithinLimit(it->limit, counter, calendar_, now_)) return Reject(source, "minigame_play", "limit_reached");
  if (it->cost > 0)
    if (const ir::Policy* policy = PaidRequestBlocked())
      return Reject(source, "minigame_play", "blocked_by_policy", {{"policy", ActionValue::String(policy->name)}});
  int64_t* pay_from = nullptr;
  if (it->cost_currency >= 0) {
    pay_from = &user_->balances[size_t(it->cost_currency)];
  } else {
    auto a = std::find_if(user_->attempts.begin(), user_->attempts.end(), [&](auto& x) { return x.first == int32_t(g); });
    if (a != user_->attempts.end()) pay_from = &a->second;
  }
  if (it->cost > 0 && (pay_from == nullptr || *pay_from < it->cost))
    return Reject(source, "minigame_play", it->cost_currency >= 0 ? "insufficient_balance" : "no_attempts");
  std::vector<int64_t> weights;
  for (size_t p = 0; p < it->prizes.size(); ++p)
    weights.push_back(prize_stock_[g][p] == 0 ? 0 : it->prizes[p].weight);   // an empty stock drops out
  int prize = random_.Weighted(weights, strings_.Get(user_->user), event_id_, 0);
  if (prize < 0) return Reject(source, "minigame_play", "no_prize_left");
  if (pay_from) *pay_from -= it->cost;
  counter.second += 1;
  user_->game_counts[g] = counter;
  if (prize_stock_[g][size_t(prize)] > 0) --prize_stock_[g][size_t(prize)];
  const ir::GamePrize& won = it->prizes[size_t(prize)];
  std::vector<std::pair<std::string, ActionValue>> fields = {{"game", ActionValue::String(name)},
                                                             {"prize", ActionValue::String(won.name)}};
  if (pay_from && it->cost > 0) {   // what the play cost, and what is left
    fields.push_back({"cost", ActionValue::Int(it->cost)});
    fields.push_back({"currency", ActionValue::String(it->cost_currency >= 0 ? p_.currencies[size_t(it->cost_currency)]
                                                                             : std::string("attempts"))});
    fields.push_back({"balance", ActionValue::Int(*pay_from)});
  }
  Emit(source, "minigame", std::move(fields));
  RunBlock(won.body, source);
  return true;
}

// Draws without replacement, weighted by tickets, honouring a prize's
// max_per_user and the raffle's max_prizes_per_user.
void Engine::DrawRaffle(int32_t r) {
  const ir::Raffle& raffle = p_.raffle_table[size_t(r)];
  raffle_drawn_[size_t(r)] = true;
  const std::string source = "raffle:" + raffle.name;
  struct Entrant { UserState* user; int64_t tickets; int64_t won = 0; std::vector<int64_t> won_by_prize; };
  std::vector<Entrant> entrants;
  for (UserState& u : users_) {
    auto t = std::find_if(u.tickets.begin(), u.tickets.end(), [&](auto& x) { return x.first == r; });
    if (t == u.tickets.end() || t->second <= 0) continue;
    user_ = &u;
    core::Frame frame{nullptr, nullptr, nullptr};
    if (!backend_.Test(raffle.audience, frame, *this)) continue;
    entrants.push_back({&u, t->second, 0, std::vector<int64_t>(raffle.prizes.size(), 0)});
  }
  // Users in id order: the draw does not depend on who arrived first.
  std::sort(entrants.begin(), entrants.end(), [&](const Entrant& a, const Entrant& b) {
    return strings_.Get(a.user->user) < strings_.Get(b.user->user);
  });
  uint64_t draw = 0;
  for (size_t p = 0; p < raffle.prizes.size(); ++p) {
    const ir::RafflePrize& prize = raffle.prizes[p];
    for (int64_t n = 0; n < prize.count; ++n) {
      std::vector<int64_t> weights;
      for (const Entrant& e : entrants) {
        bool eligible = (prize.max_per_user == 0 || e.won_by_prize[p] < prize.max_per_user) &&
                        (raffle.max_prizes_per_user == 0 || e.won < raffle.max_prizes_per_user);
        weights.push_back(eligible ? e.tickets : 0);
      }
      int winner = random_.Weighted(weights, source, event_id_, draw++);
      if (winner < 0) break;   // no eligible ticket left
      Entrant& e = entrants[size_t(winner)];
      --e.tickets;             // the drawn ticket leaves the drum
      ++e.won;
      ++e.won_by_prize[p];
      user_ = e.user;
      Emit(source, "raffle", {{"raffle", ActionValue::String(raffle.name)}, {"prize", ActionValue::String(prize.name)}});
      RunBlock(prize.body, source);
      SettleStep(nullptr);
    }
  }
  // Drawn: every ticket of this raffle is spent, won or not.
  for (UserState& u : users_)
    u.tickets.erase(std::remove_if(u.tickets.begin(), u.tickets.end(), [&](auto& t) { return t.first == r; }),
                    u.tickets.end());
  user_ = nullptr;
}

}  // namespace questline::engine
