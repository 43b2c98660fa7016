// A world of partitions: the players split over N kernels by a stable hash
// of their user id, each kernel holding its players, their timers and its
// step's context, and the first kernel (the owner) the global state:
// competitions, stock, bandit models, raffle draws and the sequence of
// actions; the world holds the global timers (docs/engine.md, "Partitions").
//
// The order is one kernel's, so a world gives the bytes of one kernel: each
// input's due timers by TimerLater across the partitions, then the input in
// its player's partition. On threads (the default, without a tracer) each
// partition runs on its own thread over a batch of inputs, in that order
// for its own steps, and three rules keep the whole in one kernel's order:
//
// - **Turns.** A step that touches the global state (Kernel::Global) waits
//   until every other partition has passed its key (StepKey): the global
//   state sees the steps in key order.
// - **Barriers.** A global step (a close paying prizes, a draw, a scheduled
//   flow) touches other partitions' players. Every instant where one can
//   happen is known in advance — a global timer, or a window boundary of a
//   competition (Competitions::NextBoundary), where a close or a start may
//   have been scheduled — so no partition starts a step at or after the next
//   such instant until all have reached it; then the world fires the global
//   timers due there, alone.
// - **Merge.** Each partition's actions wait in its outbox with their step's
//   key and are numbered when the batch ends, by key: one kernel's sequence.
//
// Without threads the partitions run one after the other, in the same order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/backend.h"
#include "core/event.h"
#include "core/ir/program.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/step_key.h"
#include "runtime/engine/strings.h"

namespace questline::engine {

class World {
 public:
  World(const ir::Program& program, const core::Backend& backend, StringPool& strings, EngineOptions options,
        size_t partitions);
  ~World();

  // The partition of a user id: FNV-1a 64 of its bytes, modulo N, the same
  // on every machine and in every run.
  static size_t PartitionIndex(std::string_view user, size_t partitions);

  Kernel& Owner() { return *kernels_[0]; }
  std::vector<Kernel*> Partitions() const;
  Kernel& PartitionOf(uint32_t user);

  bool Process(const Event& e);   // false: a duplicate
  void AdvanceTo(int64_t t);
  // Reload (Engine::Reload): this fresh world takes over `old`'s players,
  // partition by partition, and its global state and timers on the owner.
  void MigrateFrom(World& old);
  std::vector<Timer> PendingGlobals();
  // Runs the inputs waiting for a batch (on threads) and delivers their actions.
  void Flush();
  std::string StateJson();
  bool UserStateJson(const std::string& user, std::string* out);
  bool ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error);
  const EngineStats& Stats();   // every partition's, summed
  int64_t Clock() const { return clock_; }
  // One kernel's snapshot format, whatever the partitions (snapshot.cpp).
  std::string Snapshot();
  bool Restore(std::string_view bytes, std::string* error);
  void ClearGlobals(uint64_t seq);
  void RestoreGlobal(const Timer& t);

  // For the kernels.
  void ScheduleGlobal(const Kernel& from, int64_t deadline, MechanicId owner, uint8_t kind, int32_t a, uint64_t b);
  void WaitTurn(Kernel& k);

 private:
  // One input of a batch: an event (its index in events_) or a clock advance.
  struct Input {
    int64_t event;       // -1: an advance
    int64_t ts;          // the event's time, or the advance's
    int64_t clock;       // the world's clock once it is taken
    size_t partition;    // the event's player's
  };
  static constexpr size_t kBatch = 1024;

  void SyncClocks(int64_t t);
  void AdvanceAlone(int64_t t);                // without threads
  void RunBatch();
  void Work(size_t partition);                 // a partition's thread
  void RunPartition(size_t partition);         // one batch
  // Before partition `i`'s step `key` at instant `now`: publish it, and wait
  // at the barrier if `now` is at or after it.
  // True when it waited at a barrier (whose steps may have changed the partition).
  bool Enter(size_t i, const StepKey& key, int64_t now);
  static void Begin(Kernel& k, const StepKey& key, int64_t clock, int64_t horizon);
  void RunBarrier();                           // under mutex_, every partition parked or done
  int64_t NextBarrier(int64_t after);
  bool TopGlobal(Timer* t);
  void Merge();

  std::vector<std::unique_ptr<Kernel>> kernels_;
  int64_t clock_ = INT64_MIN;
  EngineStats stats_;
  bool threaded_ = false;

  // The world's global timers (closes, starts, draws, scheduled flows).
  std::mutex globals_mutex_;
  TimerQueue globals_;
  uint64_t global_seq_ = 0;

  // The batch being gathered, then run.
  std::vector<Event> events_;
  std::vector<Input> inputs_;
  int64_t batch_clock_ = INT64_MIN;   // the clock when the batch began
  bool started_ = false;
  bool migrating_ = false;   // MigrateFrom: only the owner schedules global timers

  // The threads and what they share while a batch runs (under mutex_).
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;   // workers: a batch, or the end
  std::condition_variable step_;   // partitions: a frontier moved, a barrier ran
  std::condition_variable done_;   // the caller: every partition finished
  uint64_t generation_ = 0;
  size_t finished_ = 0;
  bool stopping_ = false;
  std::vector<StepKey> frontier_;
  std::vector<uint8_t> parked_, ended_;
  size_t turn_waiters_ = 0;
  uint64_t barrier_runs_ = 0;
  std::atomic<int64_t> barrier_{INT64_MAX};   // the next instant a global step may be due
  std::atomic<bool> running_{false};     // a batch runs on the threads
  std::atomic<bool> exclusive_{false};   // a barrier's global steps run: no turns to take
};

}  // namespace questline::engine
