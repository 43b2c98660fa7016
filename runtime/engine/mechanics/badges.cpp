#include "runtime/engine/mechanics/badges.h"

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {

Badges::Badges(Kernel& k) : Mechanic(k) {
  for (const ir::Badge& b : k_.p.badges) sources_.push_back("badge:" + b.name);
  earned_ = k_.layout.ReserveBits(k_.p.badges.size());
}

void Badges::Settle(SettleRound& round) {
  if (round.conditions_agree) return;
  const PlayerBlock& block = k_.user->block;
  core::Frame frame{k_.event, nullptr, nullptr};
  for (size_t b = 0; b < k_.p.badges.size(); ++b) {
    if (earned_.Test(block, b) || !k_.backend.Test(k_.p.badges[b].when, frame, k_)) continue;
    earned_.Set(block, b, true);
    k_.Emit(sources_[b], "badge", {{"badge", ActionValue::String(k_.p.badges[b].name)}});
    k_.RunBlock(k_.p.badges[b].on_earn, sources_[b]);
    round.changed = round.conditions_moved = true;
  }
}

void Badges::WriteState(const UserState& u, std::string& out) const {
  out += ",\"badges\":[";
  bool first = true;
  for (size_t b = 0; b < earned_.count; ++b)
    if (earned_.Test(u.block, b)) {
      if (!first) out += ",";
      first = false;
      AppendJsonString(out, k_.p.badges[b].name);
    }
  out += "]";
}

void Badges::MigratePlayer(const Badges& old, const UserState& from, UserState& to, const Migration& mg) {
  CopyBits(mg.badges, old.earned_, from.block, earned_, to.block);
}

}  // namespace questline::engine::mechanics
