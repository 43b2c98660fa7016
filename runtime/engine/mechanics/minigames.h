// Mini-games (LANGUAGE.md §8): minigame_play requests (exists, audience,
// limit, cost in attempts or a currency, policy), then a keyed draw among the
// prizes still in stock; and the attempts blocks give.
#pragma once

#include <string_view>
#include <vector>

#include "runtime/engine/mechanic.h"
#include "runtime/engine/mechanics/common.h"
#include "runtime/engine/random.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

// A play's prize: a keyed draw for (user, event id) weighted by the prizes
// still in `stock` (per prize, -1 unlimited); -1 when none is left. The
// engine's, and a stock owner's elsewhere (daemon/kafka/stock_book.h).
int DrawPrize(const ir::Minigame& game, const std::vector<int64_t>& stock, const KeyedRandom& random,
              std::string_view user, std::string_view event_id);

class Minigames : public Mechanic {
 public:
  struct Player {
    std::vector<std::pair<int32_t, int64_t>> attempts;   // game -> attempts
  };
  explicit Minigames(Kernel& k);

  void NewPlayer(UserState& u);
  bool OnRequest(const Event& e);
  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);   // give attempts
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);
  void Save(core::ByteWriter& w) const;
  void Load(core::ByteReader& r);

  void InternNames();
  // Plays and attempts by game name; prize stock by game and prize name.
  void MigratePlayer(const Minigames& old, const UserState& from, UserState& to, const Migration& mg);
  void Migrate(const Minigames& old, const Migration& mg);
 private:
  Slots<PeriodCount> plays_;                       // per game, against its limit
  std::vector<std::vector<int64_t>> prize_stock_;   // per prize, -1 unlimited
  NameIndex by_name_;
};

}  // namespace questline::engine::mechanics
