#include "runtime/engine/mechanics/raffles.h"

#include <algorithm>
#include <utility>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"
#include "runtime/engine/mechanics/common.h"

namespace questline::engine::mechanics {

Raffles::Raffles(Kernel& k) : Mechanic(k) {
  for (size_t r = 0; r < k_.p.raffle_table.size(); ++r)
    k_.ScheduleGlobal(k_.p.raffle_table[r].draw_at, MechanicId::raffles, kDraw, int32_t(r), 0);
  drawn_.assign(std::max(k_.p.raffle_table.size(), k_.p.raffles.size()), false);
  awaiting_.assign(drawn_.size(), INT64_MIN);
}

bool Raffles::OnTimer(const Timer& t) {
  Draw(t.a);
  return false;
}

bool Raffles::Effect(const ir::Stmt& s, Value value, const std::vector<Value>&) {
  if (s.kind != ir::StmtKind::GiveTickets) return false;
  if (value.none || value.i <= 0) return true;
  // Global, the owner's; only a draw changes it, in a barrier with every
  // partition stopped (world.h): reading it takes no turn.
  if (k_.Owner().m.raffles.drawn_[size_t(s.target)]) {   // worthless: the draw is over
    k_.CountWarning("tickets_after_draw");
    return true;
  }
  GiveCounted(k_, k_.user->raffles.tickets, s.target, value.i, "tickets", "raffle", k_.p.raffles[size_t(s.target)]);
  return true;
}

std::vector<RaffleWin> DrawRaffle(const ir::Raffle& raffle, std::vector<int64_t> tickets, const KeyedRandom& random,
                                  std::string_view event_id) {
  const std::string source = "raffle:" + raffle.name;
  std::vector<int64_t> won(tickets.size(), 0);
  std::vector<std::vector<int64_t>> won_by_prize(tickets.size(), std::vector<int64_t>(raffle.prizes.size(), 0));
  std::vector<RaffleWin> wins;
  uint64_t draw = 0;
  for (size_t p = 0; p < raffle.prizes.size(); ++p) {
    const ir::RafflePrize& prize = raffle.prizes[p];
    for (int64_t n = 0; n < prize.count; ++n) {
      std::vector<int64_t> weights;
      for (size_t e = 0; e < tickets.size(); ++e) {
        bool eligible = (prize.max_per_user == 0 || won_by_prize[e][p] < prize.max_per_user) &&
                        (raffle.max_prizes_per_user == 0 || won[e] < raffle.max_prizes_per_user);
        weights.push_back(eligible ? tickets[e] : 0);
      }
      const int winner = random.Weighted(weights, source, event_id, draw++);
      if (winner < 0) break;   // no eligible ticket left
      --tickets[size_t(winner)];   // the drawn ticket leaves the drum
      ++won[size_t(winner)];
      ++won_by_prize[size_t(winner)][p];
      wins.push_back({size_t(winner), p});
    }
  }
  return wins;
}

// The draw (DrawRaffle) among the players in the audience, each winner's
// action and prize block run as the ticket is drawn.
void Raffles::Draw(int32_t r) {
  const ir::Raffle& raffle = k_.p.raffle_table[size_t(r)];
  drawn_[size_t(r)] = true;
  const std::string source = "raffle:" + raffle.name;
  struct Entrant { UserState* user; int64_t tickets; };
  std::vector<Entrant> entrants;
  const std::vector<Kernel*> partitions = k_.Partitions();   // every player, in whichever partition (world.h)
  for (Kernel* partition : partitions) {
    for (UserState& u : partition->users) {
      auto t = std::find_if(u.raffles.tickets.begin(), u.raffles.tickets.end(), [&](auto& x) { return x.first == r; });
      if (t == u.raffles.tickets.end() || t->second <= 0) continue;
      Kernel& player = k_.Hand(u.user);
      core::Frame frame{nullptr, nullptr, nullptr};
      const bool in_audience = player.backend.Test(raffle.audience, frame, player);
      k_.Return(player);
      if (in_audience) entrants.push_back({&u, t->second});
    }
  }
  // Users in id order: the draw does not depend on who arrived first.
  std::sort(entrants.begin(), entrants.end(), [&](const Entrant& a, const Entrant& b) {
    return k_.strings.Get(a.user->user) < k_.strings.Get(b.user->user);
  });
  if (k_.options.owned_elsewhere) {   // drawn by the raffle's owner, among every partition's entrants
    RaffleEntrants out{raffle.name, raffle.draw_at, {}};
    for (const Entrant& e : entrants) out.tickets.emplace_back(k_.strings.Get(e.user->user), e.tickets);
    if (!out.tickets.empty()) {
      awaiting_[size_t(r)] = raffle.draw_at;
      handed_out_.push_back(std::move(out));
    }
    entrants.clear();
  }
  std::vector<int64_t> tickets;
  for (const Entrant& e : entrants) tickets.push_back(e.tickets);
  // A prize's block cannot change the draw: the raffle is drawn, so tickets
  // given now are worthless, and the drum is the tickets above.
  for (const RaffleWin& win : DrawRaffle(raffle, std::move(tickets), k_.random, k_.event_id)) {
    const ir::RafflePrize& prize = raffle.prizes[win.prize];
    Kernel& player = k_.Hand(entrants[win.entrant].user->user);
    player.Emit(source, "raffle", {{"raffle", ActionValue::String(raffle.name)}, {"prize", ActionValue::String(prize.name)}});
    player.RunBlock(prize.body, source);
    player.SettleStep(nullptr);
    k_.Return(player);
  }
  // Drawn: every ticket of this raffle is spent, won or not.
  for (Kernel* partition : partitions)
    for (UserState& u : partition->users)
      u.raffles.tickets.erase(
          std::remove_if(u.raffles.tickets.begin(), u.raffles.tickets.end(), [&](auto& t) { return t.first == r; }),
          u.raffles.tickets.end());
  k_.user = nullptr;
}

int32_t Raffles::Index(const std::string& name) const {
  for (size_t r = 0; r < k_.p.raffle_table.size(); ++r)
    if (k_.p.raffle_table[r].name == name) return int32_t(r);
  return -1;
}

int32_t Raffles::PrizeIndex(int32_t raffle, const std::string& prize) const {
  const auto& prizes = k_.p.raffle_table[size_t(raffle)].prizes;
  for (size_t p = 0; p < prizes.size(); ++p)
    if (prizes[p].name == prize) return int32_t(p);
  return -1;
}

std::vector<RaffleEntrants> Raffles::TakeHandedOut() { return std::exchange(handed_out_, {}); }

// One ticket drawn by the owner, as one engine's draw pays it.
void Raffles::ApplyWin(int32_t raffle, int32_t prize) {
  const ir::Raffle& r = k_.p.raffle_table[size_t(raffle)];
  const std::string source = "raffle:" + r.name;
  k_.Emit(source, "raffle", {{"raffle", ActionValue::String(r.name)}, {"prize", ActionValue::String(r.prizes[size_t(prize)].name)}});
  k_.RunBlock(r.prizes[size_t(prize)].body, source);
}

void Raffles::ResultsDone(int32_t raffle, int64_t draw_at) {
  if (awaiting_[size_t(raffle)] == draw_at) awaiting_[size_t(raffle)] = INT64_MIN;
}

int64_t Raffles::NextHandOut() const {
  int64_t next = INT64_MAX;
  if (!k_.options.owned_elsewhere) return next;
  for (size_t r = 0; r < k_.p.raffle_table.size(); ++r)
    if (!drawn_[r]) next = std::min(next, k_.p.raffle_table[r].draw_at);
  return next;
}

size_t Raffles::AwaitedDraws() const {
  return size_t(std::count_if(awaiting_.begin(), awaiting_.end(), [](int64_t at) { return at != INT64_MIN; }));
}

bool Raffles::Awaits(const std::string& name, int64_t draw_at) const {
  const int32_t r = Index(name);
  return r >= 0 && draw_at != INT64_MIN && awaiting_[size_t(r)] == draw_at;
}

void Raffles::WriteState(const UserState& u, std::string& out) const {
  out += ",\"tickets\":{";
  for (size_t t = 0; t < u.raffles.tickets.size(); ++t) {
    if (t) out += ",";
    AppendJsonString(out, k_.p.raffles[size_t(u.raffles.tickets[t].first)]);
    out += ":" + std::to_string(u.raffles.tickets[t].second);
  }
  out += "}";
}

void Raffles::SavePlayer(const UserState& u, core::ByteWriter& w) const { snapshot::PutCounts(w, u.raffles.tickets); }
void Raffles::LoadPlayer(UserState& u, core::ByteReader& r) { snapshot::GetCounts(r, u.raffles.tickets); }

void Raffles::Save(core::ByteWriter& w) const {
  for (size_t i = 0; i < drawn_.size(); ++i) {
    w.Unsigned(drawn_[i]);
    w.Signed(awaiting_[i]);
  }
}

void Raffles::Load(core::ByteReader& r) {
  for (size_t i = 0; i < drawn_.size(); ++i) {
    drawn_[i] = r.Unsigned() != 0;
    awaiting_[i] = r.Signed();
  }
}

void Raffles::MigratePlayer(const Raffles&, const UserState& from, UserState& to, const Migration& mg) {
  to.raffles.tickets.clear();
  for (const auto& [raffle, count] : from.raffles.tickets)
    if (const int32_t n = mg.raffles.New(raffle); n >= 0) to.raffles.tickets.emplace_back(n, count);
  std::sort(to.raffles.tickets.begin(), to.raffles.tickets.end());
}

void Raffles::Migrate(const Raffles& old, const Migration& mg) {
  for (size_t r = 0; r < k_.p.raffle_table.size(); ++r) {
    const int32_t was = mg.raffles.Old(int32_t(r));
    drawn_[r] = was >= 0 && old.drawn_[size_t(was)];
    // A kept draw keeps its timer (MigrateTimer), and so its place among timers due at the same instant.
    const bool moved = was < 0 || mg.from.raffle_table[size_t(was)].draw_at != k_.p.raffle_table[r].draw_at;
    if (!drawn_[r] && moved) k_.ScheduleGlobal(k_.p.raffle_table[r].draw_at, MechanicId::raffles, kDraw, int32_t(r), 0);
  }
}

bool Raffles::MigrateTimer(Timer& t, const Migration& mg) const {
  t.a = mg.raffles.New(t.a);
  return t.a >= 0 && t.deadline == k_.p.raffle_table[size_t(t.a)].draw_at;
}

}  // namespace questline::engine::mechanics
