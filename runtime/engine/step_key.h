// Where a step falls in the order one kernel takes them (world.h): the input
// it happens at; before the input, the timers due by its time (TimerLater:
// by deadline, the global ones first, then by user id, then as scheduled);
// then the input itself. Threads running the partitions of a world compare
// keys to take turns at the global state, and the actions of the partitions
// merge by key into the one sequence of one kernel.
#pragma once

#include <cstdint>
#include <string>

namespace questline::engine {

struct StepKey {
  uint64_t input = 0;
  uint8_t phase = 0;                  // 0: a timer due before the input, 1: the input
  int64_t deadline = INT64_MIN;       // a timer's
  bool player = false;                // a player's timer (after the global ones at a deadline)
  const std::string* user = nullptr;  // a player's timer: its user id (interned: it never moves)
  uint64_t seq = 0;                   // a timer's, within its partition (or the world's globals)
};

inline bool Before(const StepKey& a, const StepKey& b) {
  if (a.input != b.input) return a.input < b.input;
  if (a.phase != b.phase) return a.phase < b.phase;
  if (a.phase == 1) return false;
  if (a.deadline != b.deadline) return a.deadline < b.deadline;
  if (a.player != b.player) return b.player;
  if (a.player && a.user != b.user && *a.user != *b.user) return *a.user < *b.user;
  return a.seq < b.seq;
}

}  // namespace questline::engine
