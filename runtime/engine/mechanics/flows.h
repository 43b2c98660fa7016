// Flows (LANGUAGE.md §9): triggers, audience, holdout, re-entry, and the
// step machine over ir::Flow::ops. A waiting instance is an op index, a
// deadline and a timer token: plain data.
#pragma once

#include "runtime/engine/mechanic.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

class Flows : public Mechanic {
 public:
  struct Player {
    // Sorted by flow: the flows the player has entered (or been held out of).
    std::vector<std::unique_ptr<FlowState>> instances;
  };
  explicit Flows(Kernel& k);

  void Start(int64_t t);   // scheduled flows count from the first event's time
  void AfterSettle(const Event* e, uint64_t settled);
  bool OnTimer(const Timer& t);
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);

  // A flow the player is in, by name, where the flow and the events are the
  // very same (SameFlow); its timers follow it. A scheduled flow the package
  // adds is scheduled from the clock.
  void MigratePlayer(const Flows& old, const UserState& from, UserState& to, const Migration& mg);
  void Migrate(const Flows& old, const Migration& mg);
  bool MigrateTimer(Timer& t, const Migration& mg) const;
 private:
  enum TimerKind : uint8_t { kWake, kSchedule };
  FlowState* Find(int32_t flow) const;
  FlowState& InstanceFor(int32_t flow);
  void Enter(int32_t flow);
  void Continue(int32_t flow);
  void ResumeWaiting(const Event& e);
  void Trigger(const Event* e);
  // Flows this step triggers, then what they change settled, to a fixpoint.
  void Run(const Event* e, uint64_t blocks_before);
  void ScheduleFlow(int32_t flow, int64_t after);
  void FireSchedule(int32_t flow);
  uint64_t StickyBucket(const std::string& salt) const;   // [0, 100%) scaled by kDecimalScale

  std::vector<std::string> sources_;   // "flow:NAME"
};

}  // namespace questline::engine::mechanics
