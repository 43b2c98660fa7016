// One Kafka partition owned by this questd (docs/scale-out.md): its own
// engine and string pool, and its own transactional producer, whose
// transactional id names the partition, so a new owner's InitTransactions
// fences the old one and aborts what it left open. Each batch of the
// partition's events is one transaction: the actions (to the same partition
// of the actions topic, in order), a changelog checkpoint when one is due,
// and the input offsets. Runs on the source's thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "runtime/daemon/config.h"
#include "runtime/daemon/kafka/client.h"
#include "runtime/daemon/package.h"
#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/result_gate.h"

namespace questline::daemon {
class LeaderboardMirror;
}

namespace questline::daemon::kafka {

struct PartitionCounters {
  uint64_t events = 0, rejected = 0, duplicates = 0, actions = 0;
  uint64_t transactions = 0, aborted = 0, checkpoints = 0;
  uint64_t replayed = 0;   // events replayed at restore, their actions not produced again
  uint64_t results = 0;    // competition results applied (an owner's, standings.h)
  uint64_t claims = 0;     // stock claims produced (stock_book.h)
};

class PartitionTask {
 public:
  // `repartitions`: the repartition topic's partitions, where closed
  // competition windows and this partition's clock go (standings.h), and
  // its stock claims (stock_book.h).
  PartitionTask(const Config& config, PackagePtr package, int32_t partition, int32_t repartitions,
                LeaderboardMirror* mirror);
  ~PartitionTask();
  PartitionTask(const PartitionTask&) = delete;
  PartitionTask& operator=(const PartitionTask&) = delete;

  // Taking the partition over: the producer (InitTransactions fences the
  // previous owner), the committed offset, the newest of the local snapshot
  // and the changelog checkpoint, then the input replayed from there to the
  // committed offset. False with `error` (the partition stays unowned).
  bool Start(rd_kafka_t* consumer, std::string* error);
  // The input offset to consume from.
  int64_t NextOffset() const { return next_offset_; }
  // Lines read and held at a competition window's end, waiting for its results (io/result_gate.h).
  size_t Held() const { return gate_->Held(); }
  // After a Process: the partition must be fetched again from NextOffset
  // (the gate dropped lines while it waited: max_held). Taking it clears it.
  bool TakeRefetch() { return std::exchange(refetch_, false); }
  int32_t Partition() const { return partition_; }

  enum class Outcome { Committed, Failed, Fenced };
  // One transaction over `messages` (this partition's, in offset order).
  // Failed: aborted, and this engine has run ahead of what is committed, so
  // the caller drops the task and starts the partition again. Fenced:
  // another instance owns the partition now.
  Outcome Process(const std::vector<rd_kafka_message_t*>& messages, rd_kafka_t* consumer, std::string* error);
  // Giving the partition up (revoked, shutdown): the state at NextOffset as
  // a local snapshot, for a faster Start if it comes back to this machine.
  void SaveLocal();

  bool UserState(const std::string& user, std::string* out) const { return engine_->UserStateJson(user, out); }
  const PartitionCounters& Counters() const { return counters_; }
  const std::string& LastError() const { return last_error_; }

 private:
  // A new pool, engine and reader: nothing processed yet.
  void Fresh();
  bool RestoreFrom(const std::string& snapshot, int64_t offset, const char* what);
  bool ReplayTo(int64_t committed, std::string* error);
  // One message's lines into the gate, which runs them into the engine (a bad one counted and logged).
  void Feed(const rd_kafka_message_t* message);
  // What this transaction's steps handed out to the owners: closed
  // windows, raffle draws' entrants, stock claims.
  struct HandedOut {
    std::vector<engine::ClosedWindow> windows;
    std::vector<engine::RaffleEntrants> draws;
    std::vector<engine::StockClaim> claims;
  };
  // What was handed out, and the clock, to the owners in the repartition
  // topic; false with `error`.
  bool ProduceToOwners(const HandedOut& out, const std::string& txn, std::string* error);
  void Mirror();
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  std::string LocalPath() const;

  const Config& config_;
  PackagePtr package_;
  const int32_t partition_;
  const int32_t repartitions_;
  LeaderboardMirror* mirror_;
  std::unique_ptr<engine::StringPool> strings_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<io::EventReader> reader_;
  std::unique_ptr<io::ResultGate> gate_;
  Handle producer_;
  int64_t next_offset_ = 0;                 // committed: the first line the gate holds, or past the last
  int64_t received_ = 0;                    // past the last message taken into the gate
  bool refetch_ = false;
  uint64_t epoch_ = 0;                      // this owner's transaction ids (changelog.h, Progress)
  uint64_t sequence_ = 0;
  uint64_t delivery_failures_ = 0;          // delivery reports with an error, counted by OnDelivery
  uint64_t generation_ = 0;                 // of the last checkpoint
  uint64_t events_since_checkpoint_ = 0;
  engine::ScoreStep mirrored_;              // Engine::VisitScores' step mirrored so far
  bool producing_ = false;                  // false while replaying: actions are dropped
  int64_t clock_sent_ = INT64_MIN;          // the clock last produced to the repartition topic
  std::vector<engine::Action> pending_;     // the open transaction's actions
  PartitionCounters counters_;
  std::string last_error_;
};

}  // namespace questline::daemon::kafka
