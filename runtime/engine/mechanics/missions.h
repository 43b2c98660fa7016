// Missions (LANGUAGE.md §7): hidden → locked → available → started →
// completed | expired, per player, with recurrence, time limits and tasks
// that count only events after their instance started. A generally
// available instance nothing has touched is implicit: no memory, no timer.
#pragma once

#include "runtime/engine/mechanic.h"
#include "runtime/engine/mechanics/common.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

class Missions : public Mechanic {
 public:
  struct Player {
    // Sorted by mission; boxed so that an instance stays put while a reward
    // block gives another mission (which inserts one).
    std::vector<MissionPtr> instances;
  };
  explicit Missions(Kernel& k);

  void NewPlayer(UserState& u);
  bool OnRequest(const Event& e);   // mission_opt_in
  void OnEvent(const Event& e);
  void Settle(SettleRound& round);
  bool OnTimer(const Timer& t);
  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);
  bool Stats(const std::string& name, std::string* out) const;   // Engine::MissionStatsJson

  void InternNames();
  // An instance by mission name keeps its header; each task by name keeps its
  // progress where its aggregate, comparison and threshold are the same.
  void MigratePlayer(const Missions& old, const UserState& from, UserState& to, const Migration& mg);
  bool MigrateTimer(Timer& t, const Migration& mg) const;
 private:
  enum TimerKind : uint8_t { kDeadline, kPeriod };
  // The player's instance of mission m, or null while it is implicit.
  MissionState* Find(int32_t m) const;
  MissionState& InstanceFor(int32_t m);   // made (hidden, no progress) when it is implicit
  void Drop(int32_t m);                   // back to implicit
  bool Implicit(int32_t m) const { return implicit_[size_t(m)]; }
  // The implicit instance of a generally available mission this event counts
  // for, made explicit as Refresh would have started it; null when the
  // player has none now (outside the audience or the active window).
  MissionState* OpenImplicit(int32_t m, core::Frame& frame);
  Value TaskValue(const ir::Task& task, const MissionState& ms, size_t t, int64_t now) const;
  bool Refresh();
  void WakeForDeadline(int64_t deadline);
  void ExpireDue(int64_t timer);
  void StartInstance(int32_t m);
  void Announce(int32_t m);
  void CountEvent(const Event& e);
  void UnlockByEvent(const Event& e);
  void Unlock(int32_t m, bool given);
  void Complete(int32_t m);
  void Expire(int32_t m, const char* why);
  bool HandleOptIn(const Event& e);
  void EmitMission(int32_t m, const char* state);

  // By mission: whether a player's instance is implicit until an event counts
  // for it (generally available, its start known from the calendar), and the
  // others, which every player holds from the start.
  Slots<int64_t> wake_;   // the pending mission timer: the earliest announced deadline
  std::vector<bool> implicit_;
  std::vector<int32_t> explicit_;
  std::vector<std::string> sources_;   // "mission:NAME"
  NameIndex by_name_;
};

}  // namespace questline::engine::mechanics
