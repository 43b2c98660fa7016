// Segments: membership by condition (re-evaluated after the metrics that move
// them and in every settle round), by import, and by time alone (a player
// who went quiet still leaves `active`: segment_time.cpp).
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Segments : public Mechanic {
 public:
  explicit Segments(Kernel& k);

  void NewPlayer(UserState& u);
  void BeginStep() { changes.clear(); }
  void Settle(SettleRound& round);
  void EndStep();
  bool OnTimer(const Timer& t);
  void WriteState(const UserState& u, std::string& out) const;

  bool Member(int32_t s) const;   // the step's player
  // Segments may not match what they read: a new player (never settled) or
  // an import. The next MetricsDone re-evaluates them all; a settle clears it.
  void MarkStale(const UserState& u) const;
  void MetricsDone();   // the segments this event's metrics moved
  int32_t Index(const std::string& name) const;   // -1: none
  bool Import(int32_t segment, const std::vector<std::string>& users, std::string* error);

  // (segment, entered) of this step, for flows.
  std::vector<std::pair<int32_t, bool>> changes;

  // Membership by name, re-evaluated at the player's next step (stale);
  // the pending re-check stays.
  void MigratePlayer(const Segments& old, const UserState& from, UserState& to, const Migration& mg);
  bool MigrateTimer(Timer&, const Migration&) const { return true; }
 private:
  enum TimerKind : uint8_t { kRecheck };
  bool Update(size_t segment, core::Frame& frame);   // true when its membership changed
  void PlanAfterMetrics();
  // segment_time.cpp: segments that change with time alone.
  bool ReadsTime(ir::ExprRef e, int depth) const;
  int NowCoefficient(ir::ExprRef e, const std::vector<int>& params, int depth) const;
  int64_t NextBreakpoint(ir::ExprRef e, core::Frame& frame, const std::vector<int>& params, int64_t t, int depth);
  int64_t NextChange(int32_t segment, bool search, int64_t bound);
  void ScheduleRecheck(bool search);

  Bits member_, stale_;
  Slots<int64_t> recheck_;   // a pending re-evaluation of time-dependent segments
  // By segment: whether its condition can change with time alone (found once).
  std::vector<bool> reads_time_;
  // What MetricsDone re-evaluates, segments read before those reading them:
  // by event type, the segments its metrics can move; every segment, for a
  // player whose segments are stale.
  std::vector<std::vector<int32_t>> after_metrics_;
  std::vector<int32_t> in_order_;
  bool recheck_due_ = false;   // this step is a player's re-check: search ahead
};

}  // namespace questline::engine::mechanics
