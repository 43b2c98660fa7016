// The pieces of per-player state several mechanics build on (player.h
// assembles a player from each mechanic's part): plain data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/engine/action.h"
#include "runtime/engine/core_names.h"

namespace questline::engine {

// The running state of one aggregate (a metric, or a task of one mission instance).
struct AggState {
  // 32 bytes: a player keeps hundreds of these, and reads scan them.
  struct Bucket {
    int64_t key = 0;
    int64_t count = 0;        // matching events
    int64_t acc = 0;          // the function's own: sum (sum, avg), min, max, first or last argument
    bool has_acc = false;     // an argument that was not none arrived (min … last are none until then)
  };
  // `last` orders the entries' latest adds (ties go to the value that reached its count first).
  struct TopEntry { int64_t key; int64_t value; int64_t count; int64_t last; };
  std::vector<Bucket> buckets;        // ascending key; windowed ones pruned as time passes
  std::vector<TopEntry> top;          // `top`: counts per value per bucket
  std::vector<int64_t> periods;       // distinct_days / streaks: sorted day or week indices
  // The last read, and the instants [from, until) it holds for: segments and
  // badges re-read the same windows after every event and timer, and the
  // buckets are the coldest memory a read touches. Not state: any add clears it.
  mutable Value read;
  mutable int64_t read_from = INT64_MAX, read_until = INT64_MIN;
};

enum class MissionPhase : uint8_t { Hidden, Locked, Available, Started, Completed, Expired };

// One task's progress in a mission instance, 32 bytes. A task over the
// whole instance with count, sum, avg, min, max, first or last (nearly every
// task) keeps its one bucket here; a windowed, periodic or `top` task keeps
// an AggState in MissionState::windows instead.
struct TaskState {
  int64_t count = 0, acc = 0;                   // AggState::Bucket, without its key
  int64_t threshold = 0;                        // as last evaluated (dynamic ones read metrics)
  ValueKind threshold_kind = ValueKind::Int;
  bool threshold_none = true, has_acc = false, done = false;

  AggState::Bucket Total() const { return {0, count, acc, has_acc}; }
  void SetTotal(const AggState::Bucket& b) { count = b.count, acc = b.acc, has_acc = b.has_acc; }
  Value Threshold() const { return {threshold, threshold_kind, threshold_none}; }
  void SetThreshold(Value v) { threshold = v.i, threshold_kind = v.kind, threshold_none = v.none; }
};

// A player's instance of one mission. Players hold one only for a mission
// that can tell them something (unlock, opt-in, `given`, a time limit that
// runs from their arrival) or that an event has counted for: a generally
// available instance nothing has touched is implicit (docs/engine.md).
// One allocation: the tasks follow the header (MissionState::Make), since
// a player holds dozens of instances and two allocations each were half of
// the engine's memory at operator scale.
struct MissionState;
struct MissionDeleter { void operator()(MissionState* ms) const; };
using MissionPtr = std::unique_ptr<MissionState, MissionDeleter>;

struct MissionState {
  int32_t mission = -1;               // index in ir::Program::missions
  MissionPhase phase = MissionPhase::Hidden;
  bool unlocked = false;              // the unlock condition has happened (or `give mission`)
  bool given = false;                 // `give mission`: featured for this user whatever the audience
  // A generally available instance is silent until an event counts for it:
  // no `started`, no deadline timer, no `expired` without progress.
  bool announced = true;
  bool new_period = false;            // recurring: the next instance is this period's (starts at its start)
  uint16_t task_count = 0;
  int64_t unlocked_at = INT64_MIN;    // when the unlock (or `give`) happened
  uint64_t start_seq = 0;             // events after this sequence number count
  int64_t period_key = INT64_MIN;     // recurring: the period of the current instance
  int64_t deadline = INT64_MAX;       // time_limit or end of `active`
  int64_t completions = 0;
  uint64_t completed_seq = 0;         // the event that completed the last instance
  int64_t period_wake = INT64_MIN;    // catching up: the pending timer that starts the horizon's period
  std::unique_ptr<AggState[]> windows;   // by task, only for a mission with a task that is not simple

  // The tasks, stored after the header.
  struct Span {
    TaskState* first;
    size_t count;
    TaskState* begin() const { return first; }
    TaskState* end() const { return first + count; }
    size_t size() const { return count; }
    bool empty() const { return count == 0; }
    TaskState& operator[](size_t i) const { return first[i]; }
  };
  Span Tasks() const { return {reinterpret_cast<TaskState*>(const_cast<MissionState*>(this) + 1), task_count}; }

  static MissionPtr Make(int32_t mission, size_t tasks, bool windows);
};
static_assert(sizeof(MissionState) % alignof(TaskState) == 0, "tasks follow the header");

// A flow instance: where it is (an op index of ir::Flow::ops) and what it waits for.
struct FlowState {
  int32_t flow = -1;                  // index in ir::Program::flows
  bool running = false;
  int32_t pc = 0;
  int32_t waiting_event = -1;         // WaitFor: the event type, or -1
  int64_t deadline = 0;               // Wait: wake-up; WaitFor: timeout (exclusive)
  uint64_t token = 0;                 // invalidates timers of an earlier instance or step
  int64_t last_entry = INT64_MIN;     // for `reenter after`
  std::vector<Value> locals;
  // The events the steps read (LANGUAGE.md §9): the trigger as it was at
  // entry, and what each `wait for` received (by its op index).
  Event trigger;
  std::vector<std::pair<int32_t, Event>> received;
};

// A count in a calendar period (purchases, plays, messages against a limit).
struct PeriodCount {
  int64_t key = INT64_MIN;   // the period counted in
  int64_t count = 0;
};

struct RuleCounters {
  int64_t cap_key = INT64_MIN, capped = 0;      // awarded in the cap's period
  int64_t limit_key = INT64_MIN, fired = 0;     // firings in the limit's period
};

// A message quiet hours hold: produced now, delivered at `release_at` if the
// policies still allow it then (consent, caps of the delivery day).
struct HeldMessage {
  uint64_t id = 0;                    // the release timer's
  int64_t release_at = 0;
  int32_t channel = 0;
  std::string template_name;
  Action send;                        // the `send` action as produced (its key is kept)
};


}  // namespace questline::engine
