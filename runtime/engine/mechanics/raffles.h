// Raffles: tickets blocks give, drawn at the raffle's instant without
// replacement, weighted by tickets.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

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

  // Tickets and whether it was drawn, by raffle name; a draw not yet made is
  // scheduled at the new package's instant.
  void MigratePlayer(const Raffles& old, const UserState& from, UserState& to, const Migration& mg);
  void Migrate(const Raffles& old, const Migration& mg);
  bool MigrateTimer(Timer& t, const Migration& mg) const;
 private:
  enum TimerKind : uint8_t { kDraw };
  void Draw(int32_t raffle);
  std::vector<bool> drawn_;
};

}  // namespace questline::engine::mechanics
