// One partition of the repartition topic owned by this questd: the owner of
// the competitions and stocks that hash to it (docs/scale-out.md, "Global
// mechanics"). Its Standings take the closed windows and clocks the input
// partitions send; a window every partition has passed is ranked, and each
// player's result is produced into the events topic, in the player's
// partition, where it is an input in order (PartitionTask feeds it to
// Engine::ApplyResult). Its StockBook answers stock claims the same way
// (Engine::ProcessWithStock). Each batch is one transaction: the results and
// answers, the owner's state as a checkpoint in the changelog (partition =
// this partition, keys under "owner/") when one is due, the progress record
// and the repartition offsets. Runs on the source's thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "runtime/daemon/config.h"
#include "runtime/daemon/kafka/client.h"
#include "runtime/daemon/kafka/partition_task.h"
#include "runtime/daemon/kafka/standings.h"
#include "runtime/daemon/kafka/stock_book.h"
#include "runtime/daemon/package.h"

namespace questline::daemon::kafka {

struct OwnerCounters {
  uint64_t records = 0, rejected = 0, results = 0, answers = 0, transactions = 0, aborted = 0, replayed = 0;
};

class OwnerTask {
 public:
  static constexpr const char* kChangelogPrefix = "owner/";

  // `inputs`: the events topic's partitions, every one of which must pass a
  // window's end before it is ranked.
  OwnerTask(const Config& config, PackagePtr package, int32_t partition, int32_t inputs);
  OwnerTask(const OwnerTask&) = delete;
  OwnerTask& operator=(const OwnerTask&) = delete;

  // As PartitionTask::Start: fence, resume offset, the standings from the
  // changelog's checkpoint, the records after it replayed (their results
  // were produced by the transactions that committed them).
  bool Start(rd_kafka_t* consumer, std::string* error);
  int64_t NextOffset() const { return next_offset_; }
  int32_t Partition() const { return partition_; }
  size_t PendingWindows() const { return standings_.PendingWindows(); }
  PartitionTask::Outcome Process(const std::vector<rd_kafka_message_t*>& messages, rd_kafka_t* consumer,
                                 std::string* error);
  const OwnerCounters& Counters() const { return counters_; }

 private:
  // One record into the standings or the stock book; its results or
  // answer, when `produce`, into the transaction.
  bool Feed(const rd_kafka_message_t& m, bool produce, const std::string& txn, std::string* error);
  // The standings and the stock book as one checkpoint, and back.
  std::string SaveState() const;
  bool LoadState(std::string_view bytes, std::string* error);
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);

  const Config& config_;
  PackagePtr package_;
  const int32_t partition_;
  Standings standings_;
  StockBook stock_;
  Handle producer_;
  int64_t next_offset_ = 0;
  uint64_t epoch_ = 0, sequence_ = 0, generation_ = 0;
  uint64_t delivery_failures_ = 0;
  uint64_t records_since_checkpoint_ = 0;
  std::vector<PlacedResult> results_;
  OwnerCounters counters_;
};

}  // namespace questline::daemon::kafka
