// Raffles: tickets blocks give, drawn at the raffle's instant without
// replacement, weighted by tickets.
#pragma once

#include <string_view>
#include <vector>

#include "runtime/engine/engine.h"
#include "runtime/engine/mechanic.h"
#include "runtime/engine/random.h"

namespace questline::engine::mechanics {

// One engine's draw of `raffle` at `event_id` (its draw timer's) among
// `tickets`, the entrants' in user id order: without replacement, weighted
// by tickets, honouring a prize's max_per_user and the raffle's
// max_prizes_per_user. The winners in draw order. The engine's, and a
// raffle's owner's elsewhere (daemon/kafka/standings.h).
struct RaffleWin {
  size_t entrant, prize;
};
std::vector<RaffleWin> DrawRaffle(const ir::Raffle& raffle, std::vector<int64_t> tickets, const KeyedRandom& random,
                                  std::string_view event_id);

class Raffles : public Mechanic {
 public:
  struct Player {
    std::vector<std::pair<int32_t, int64_t>> tickets;   // raffle -> tickets
  };
  explicit Raffles(Kernel& k);

  bool OnTimer(const Timer& t);
  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);   // give tickets
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);
  void Save(core::ByteWriter& w) const;
  void Load(core::ByteReader& r);

  bool Drawn(int32_t raffle) const { return drawn_[size_t(raffle)]; }

  // EngineOptions::owned_elsewhere: a draw hands its entrants out (until
  // TakeHandedOut) and awaits its wins, each applied to the step's player
  // (ApplyWin), until the owner's `done` (ResultsDone).
  int32_t Index(const std::string& name) const;                         // -1: none
  int32_t PrizeIndex(int32_t raffle, const std::string& prize) const;   // -1: none
  std::vector<RaffleEntrants> TakeHandedOut();
  void ApplyWin(int32_t raffle, int32_t prize);
  void ResultsDone(int32_t raffle, int64_t draw_at);
  int64_t NextHandOut() const;   // the earliest draw still to come (INT64_MAX: none, or not owned elsewhere)
  size_t AwaitedDraws() const;
  bool Awaits(const std::string& name, int64_t draw_at) const;

  // Tickets and whether it was drawn, by raffle name; a draw not yet made is
  // scheduled at the new package's instant.
  void MigratePlayer(const Raffles& old, const UserState& from, UserState& to, const Migration& mg);
  void Migrate(const Raffles& old, const Migration& mg);
  bool MigrateTimer(Timer& t, const Migration& mg) const;
 private:
  enum TimerKind : uint8_t { kDraw };
  void Draw(int32_t raffle);
  std::vector<bool> drawn_;
  std::vector<int64_t> awaiting_;               // per raffle: the draw awaited (its instant), else INT64_MIN
  std::vector<RaffleEntrants> handed_out_;      // until TakeHandedOut (not in snapshots: taken every batch)
};

}  // namespace questline::engine::mechanics
