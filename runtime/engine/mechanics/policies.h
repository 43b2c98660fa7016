// Policies (LANGUAGE.md §10): what blocks rewards and messages, message caps
// per period, and quiet hours that hold a message until they end.
#pragma once

#include "runtime/engine/mechanic.h"
#include "runtime/engine/mechanics/common.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

class Policies : public Mechanic {
 public:
  struct Player {
    std::vector<HeldMessage> held;                             // waiting for quiet hours to end
  };
  explicit Policies(Kernel& k);

  void NewPlayer(UserState& u);
  bool OnTimer(const Timer& t);
  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);   // send
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);
  void Save(core::ByteWriter& w) const;
  void Load(core::ByteReader& r);

  // The policy that blocks `target` for the player now, or null.
  const ir::Policy* Blocking(ir::PolicyTarget target);
  // Emits `blocked` naming the action and what it would have given or sent.
  bool Blocks(ir::PolicyTarget target, const char* action, Fields blocked = {});

  // Message-cap counts by policy name (same caps); held messages and their
  // release timers as they are.
  void MigratePlayer(const Policies& old, const UserState& from, UserState& to, const Migration& mg);
  void Migrate(const Policies& old, const Migration&) { held_seq_ = old.held_seq_; }
  bool MigrateTimer(Timer&, const Migration&) const { return true; }
 private:
  enum TimerKind : uint8_t { kRelease };
  // Message caps for the current period: true when one is reached (the
  // `blocked` action is emitted); CountMessage counts a delivered message.
  bool CapReached(const Fields& what);
  void CountMessage();
  // The first instant at or after t that no policy's quiet hours cover for
  // `channel`, INT64_MIN when t is not quiet.
  int64_t QuietUntil(int32_t channel, int64_t t) const;
  void Release(uint64_t id);

  Slots<PeriodCount> sent_;   // per message cap
  uint64_t held_seq_ = 0;   // ids of held messages
};

}  // namespace questline::engine::mechanics
