// Metrics: aggregates of a player's events over time windows. A simple
// lifetime metric (count, sum, avg, min, max, first, last) is one bucket;
// windows, day counts, streaks and `top` keep an AggState.
#pragma once

#include "runtime/engine/mechanic.h"
#include "runtime/engine/state.h"

namespace questline::engine::mechanics {

class Metrics : public Mechanic {
 public:
  struct Player {
    std::vector<AggState> windows;          // by slot: the metrics that are not simple lifetime ones
  };
  explicit Metrics(Kernel& k);

  void NewPlayer(UserState& u);
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);

  void Add(int32_t metric, Value argument);
  // A metric of `u` at `now` (ValidUntil: when it can next change alone).
  Value Read(const UserState& u, int32_t metric, int64_t now) const;
  int64_t ValidUntil(int32_t metric, int64_t now) const;

  void MigratePlayer(const Metrics& old, const UserState& from, UserState& to, const Migration& mg);
 private:
  Slots<AggState::Bucket> totals_;   // by slot: the simple lifetime metrics
  std::vector<bool> is_total_;     // by metric: in totals_ (else Player::windows)
  std::vector<int32_t> slot_;
  size_t total_count_ = 0, window_count_ = 0;
};

}  // namespace questline::engine::mechanics
