#include "runtime/engine/mechanics/levels.h"

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {

Levels::Levels(Kernel& k) : Mechanic(k) {
  for (const ir::Level& l : k_.p.levels) sources_.push_back("level:" + l.name);
  ids_.assign(k_.p.levels.size(), UINT32_MAX);
  level_ = k_.layout.Reserve<int32_t>(1);
}

void Levels::NewPlayer(UserState& u) { Level(u) = -1; }

int32_t& Levels::Level(const UserState& u) const { return *level_.In(u.block); }

void Levels::Settle(SettleRound& round) {
  if (round.conditions_agree) return;
  UserState& u = *k_.user;
  int32_t& level = Level(u);
  while (size_t(level + 1) < k_.p.levels.size() && k_.m.wallet.PointsEver(u) >= k_.p.levels[size_t(level + 1)].at) {
    const size_t l = size_t(++level);
    // The level `at 0` is where everyone starts: reaching it is no news.
    if (k_.p.levels[l].at > 0 || l > 0)
      k_.Emit(sources_[l], "level_up", {{"level", ActionValue::String(k_.p.levels[l].name)}});
    k_.RunBlock(k_.p.levels[l].on_reach, sources_[l]);
    round.changed = round.conditions_moved = true;
  }
}

Value Levels::Current() {
  const int32_t level = Level(*k_.user);
  if (level < 0) return Value::None(ValueKind::String);
  uint32_t& id = ids_[size_t(level)];
  if (id == UINT32_MAX) id = k_.strings.Intern(k_.p.levels[size_t(level)].name);
  return Value::String(id);
}

void Levels::WriteState(const UserState& u, std::string& out) const {
  out += ",\"level\":";
  if (Level(u) < 0) out += "null";
  else AppendJsonString(out, k_.p.levels[size_t(Level(u))].name);
}

// The level by name. A player whose level is gone takes the highest level of
// the new ladder their points_ever reach, without a level_up: nothing was
// reached, the ladder moved.
void Levels::MigratePlayer(const Levels& old, const UserState& from, UserState& to, const Migration& mg) {
  const int32_t was = old.Level(from);
  int32_t& level = Level(to);
  level = mg.levels.New(was);
  if (was < 0 || level >= 0) return;
  const int64_t points = k_.m.wallet.PointsEver(to);
  for (size_t l = 0; l < k_.p.levels.size() && k_.p.levels[l].at <= points; ++l) level = int32_t(l);
}

}  // namespace questline::engine::mechanics
