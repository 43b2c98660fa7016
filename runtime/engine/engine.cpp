// Engine's API over the kernel and its mechanics.
#include "runtime/engine/engine.h"

#include <algorithm>
#include <utility>

#include "runtime/engine/kernel.h"
#include "runtime/engine/world.h"

namespace questline::engine {

Engine::Engine(const ir::Program& program, const core::Backend& backend, StringPool& strings, EngineOptions options) {
  if (options.partitions > 1) {
    world_ = std::make_unique<World>(program, backend, strings, options, options.partitions);
    owner_ = &world_->Owner();
  } else {
    k_ = std::make_unique<Kernel>(program, backend, strings, options);
    owner_ = k_.get();
  }
}
Engine::~Engine() = default;

void EngineStats::Add(const EngineStats& s) {
  events += s.events;
  duplicates += s.duplicates;
  late += s.late;
  timers += s.timers;
  imports += s.imports;
  runtime_errors += s.runtime_errors;
  for (const auto& [what, count] : s.warnings) warnings[what] += count;
  for (const auto& [what, count] : s.actions) actions[what] += count;
  for (size_t r = 0; r < s.rule_fires.size() && r < rule_fires.size(); ++r) rule_fires[r] += s.rule_fires[r];
}

bool Engine::Process(const Event& event) { return world_ ? world_->Process(event) : k_->Process(event); }
std::vector<ClosedWindow> Engine::DrainClosedWindows() {
  if (world_) world_->Flush();
  return owner_->m.competitions.TakeClosed();
}
bool Engine::ApplyResult(const CompetitionResult& result, std::string* error) {
  if (world_ || !k_->options.owned_elsewhere) {
    *error = "this engine ranks its competitions itself (owned_elsewhere is off)";
    return false;
  }
  return k_->ApplyResult(result, error);
}
std::vector<RaffleEntrants> Engine::DrainRaffleEntrants() {
  if (world_) world_->Flush();
  return owner_->m.raffles.TakeHandedOut();
}
bool Engine::ApplyRaffleResult(const RaffleResult& result, std::string* error) {
  if (world_ || !k_->options.owned_elsewhere) {
    *error = "this engine draws its raffles itself (owned_elsewhere is off)";
    return false;
  }
  return k_->ApplyRaffleResult(result, error);
}
int64_t Engine::NextHandOut() const {
  return std::min(owner_->m.competitions.NextHandOut(), owner_->m.raffles.NextHandOut());
}
bool Engine::AwaitingResults() const { return AwaitedWindows() > 0; }
int32_t Engine::CompetitionIndex(const std::string& name) const { return owner_->m.competitions.Index(name); }
int32_t Engine::RaffleIndex(const std::string& name) const { return owner_->m.raffles.Index(name); }
size_t Engine::AwaitedWindows() const {
  return owner_->m.competitions.AwaitedWindows() + owner_->m.raffles.AwaitedDraws();
}
bool Engine::AwaitsRaffle(const std::string& raffle, int64_t draw_at) const {
  return owner_->m.raffles.Awaits(raffle, draw_at);
}
bool Engine::Awaits(const std::string& competition, int64_t window_end) const {
  return owner_->m.competitions.Awaits(competition, window_end);
}
std::vector<StockClaim> Engine::DrainStockClaims() {
  if (world_) return {};
  return std::exchange(k_->stock_claims, {});
}
bool Engine::AwaitingStock() const { return k_ && k_->awaited_stock.has_value(); }
bool Engine::AwaitsStock(const StockAnswer& answer) const {
  return AwaitingStock() && k_->awaited_stock->stock == answer.stock && k_->awaited_stock->user == answer.user &&
         k_->awaited_stock->event == answer.event;
}
bool Engine::ProcessWithStock(const Event& event, const StockAnswer& answer, std::string* error) {
  if (!AwaitsStock(answer) || event.id != answer.event || k_->strings.Get(event.User()) != answer.user) {
    *error = "no step awaits the stock answer for " + answer.stock + ", user " + answer.user + ", event " + answer.event;
    return false;
  }
  return k_->ProcessWithStock(event, answer);
}
void Engine::Flush() {
  if (world_) world_->Flush();
}
void Engine::AdvanceTo(int64_t t) {
  if (world_) world_->AdvanceTo(t);
  else k_->AdvanceTo(t);
}
void Engine::SetSink(ActionSink* sink) {
  if (world_) world_->Flush();
  owner_->sink = sink;
}   // the world's actions are the owner's
std::string Engine::StateJson() const { return world_ ? world_->StateJson() : k_->StateJson(); }

bool Engine::UserStateJson(const std::string& user, std::string* out) const {
  if (world_) return world_->UserStateJson(user, out);
  const int64_t found = k_->strings.Find(user);
  const size_t id = size_t(found);
  if (found < 0 || id >= k_->user_slot.size() || k_->user_slot[id] == 0) return false;
  out->clear();
  k_->PrepareState();
  k_->WritePlayer(k_->users[k_->user_slot[id] - 1], *out);
  return true;
}

// The global state is the owner's (world.h): rankings and mission counts read it there.
bool Engine::LeaderboardJson(const std::string& name, size_t top, std::string* out) const {
  if (world_) world_->Flush();
  return owner_->m.competitions.Ranking(name, top, out);
}

ScoreStep Engine::VisitScores(ScoreStep since, const std::function<void(const ScoreChange&)>& visit) const {
  if (world_) world_->Flush();
  return owner_->m.competitions.VisitScores(since, visit);
}

bool Engine::MissionStatsJson(const std::string& name, std::string* out) const {
  if (world_) world_->Flush();
  return owner_->m.missions.Stats(name, out);
}
const EngineStats& Engine::Stats() const { return world_ ? world_->Stats() : k_->stats; }
int64_t Engine::Clock() const {
  if (world_) world_->Flush();
  return world_ ? world_->Clock() : k_->clock;
}
std::string Engine::Snapshot() const { return world_ ? world_->Snapshot() : k_->Save(); }
bool Engine::Restore(std::string_view bytes, std::string* error) {
  return world_ ? world_->Restore(bytes, error) : k_->Load(bytes, error);
}

std::vector<Action> Engine::DrainActions() {
  if (world_) world_->Flush();
  std::vector<Action> out;
  out.swap(owner_->actions);
  owner_->actions.reserve(out.size());   // the next step likely emits as many: no growing, no moving
  return out;
}

int32_t Engine::SegmentIndex(const std::string& name) const { return owner_->m.segments.Index(name); }
int32_t Engine::CurrencyIndex(const std::string& name) const { return owner_->m.wallet.CurrencyIndex(name); }

// Imports (INTERFACES.md §6): inputs like events, applied in the order they
// arrive, so a replay of the same imports and events gives the same bytes.
// An import changes state only: it emits no action and runs no rule or flow;
// the player's next event or timer reads the new state.
bool Engine::ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error) {
  if (world_ ? !world_->ImportSegment(segment, users, error) : !k_->m.segments.Import(segment, users, error))
    return false;
  ++owner_->stats.imports;
  return true;
}

// add and set as given; deduct takes at most the balance, like the
// language's `deduct` (a balance never goes negative). Balances only:
// points_ever (and so the level) counts points earned, not imported.
bool Engine::ImportBalance(const std::string& user, int32_t currency, BalanceOp op, int64_t amount,
                           std::string* error) {
  if (currency < 0 || size_t(currency) >= owner_->p.currencies.size()) {
    *error = "no such currency";
    return false;
  }
  if (amount < 0) {
    *error = "the amount must not be negative";
    return false;
  }
  if (world_) world_->Flush();
  const uint32_t id = owner_->strings.Intern(user);
  Kernel& k = world_ ? world_->PartitionOf(id) : *k_;
  UserState& u = k.UserFor(id);
  k.m.segments.MarkStale(u);   // segments reading the balance (MetricsDone)
  int64_t& balance = k.m.wallet.Balance(u, currency);
  switch (op) {
    case BalanceOp::Add: balance = SaturatingAdd(balance, amount); break;
    case BalanceOp::Deduct: balance -= std::min(amount, balance); break;
    case BalanceOp::Set: balance = amount; break;
  }
  ++owner_->stats.imports;
  return true;
}

}  // namespace questline::engine
