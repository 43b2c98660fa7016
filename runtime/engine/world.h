// A world of partitions: the players split over N kernels by a stable hash
// of their user id, each kernel holding its players, their timers and its
// step's context, and the first kernel (the owner) the global state:
// competitions, stock, bandit models, raffle draws, global timers and the
// one sequence of actions (docs/daemon.md, "Partitions").
//
// This slice runs the partitions on the caller's thread, every step in the
// order one kernel would take it — each input's due timers by TimerLater
// across the partitions, then the input in its player's partition — so a
// world gives the bytes of one kernel by construction, which `quest run
// --partitions N` and tests/engine/partitions_test.sh check. It is the
// layout threads will run: a partition touches another's players only in a
// global step (a close, a draw, a scheduled flow), through Kernel::Hand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/backend.h"
#include "core/event.h"
#include "core/ir/program.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/strings.h"

namespace questline::engine {

class Kernel;

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

  void Process(const Event& e);
  void AdvanceTo(int64_t t);
  std::string StateJson();
  bool UserStateJson(const std::string& user, std::string* out);
  bool ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error);
  const EngineStats& Stats();   // every partition's, summed
  int64_t Clock() const { return clock_; }

 private:
  void SyncClocks(int64_t t);

  std::vector<std::unique_ptr<Kernel>> kernels_;
  int64_t clock_ = INT64_MIN;
  EngineStats stats_;
};

}  // namespace questline::engine
