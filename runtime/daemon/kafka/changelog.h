// The changelog topic (docs/scale-out.md, "Changelog"): a partition's engine
// state as checkpoints, written inside the partition's transaction with the
// actions and the input offsets, so a checkpoint exists iff its offsets were
// committed. A checkpoint is the engine's snapshot in chunks (a snapshot can
// be far larger than a Kafka message) plus a header naming its generation,
// the input offset it covers and its chunk count; the header is written
// last, so a reader that has the header has every chunk before it. Keys are
// fixed per partition ("checkpoint", "chunk/N"), so compaction keeps the
// newest checkpoint and drops the rest. Between checkpoints, the input topic
// itself is the log: restore replays it from the checkpoint's offset.
//
// Every transaction also writes a progress record ("progress"): the next
// input offset and the transaction's id, which its actions carry in the
// header `questline-txn`. With a broker that keeps Kafka's transactional
// promises the progress record only repeats the committed group offset; with
// librdkafka 2.0.2's mock cluster, which drops offsets sent in transactions
// and shows aborted records (tests/kafka/README.md), it is where a partition
// resumes, and a reader that keeps only actions whose transaction id has a
// progress record reads exactly what read_committed would.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "runtime/daemon/config.h"

namespace questline::daemon::kafka {

struct Checkpoint {
  uint64_t generation = 0;   // counts a partition's checkpoints
  int64_t offset = 0;        // the next input offset: the snapshot covers every input before it
  std::string snapshot;      // Engine::Snapshot
};

// A transaction's id and where its partition resumes after it.
struct Progress {
  uint64_t epoch = 0;     // random per owner's start: ids never repeat across owners
  uint64_t sequence = 0;  // the owner's transactions, from 1
  int64_t next_offset = 0;
  // The engine's clock at the commit. A partition's gate may have moved the
  // clock to a competition window's end and hold the input there
  // (io/result_gate.h): the state at `next_offset` is then the one after that
  // move, which restore repeats (PartitionTask::Start). INT64_MIN: none.
  int64_t clock = INT64_MIN;
};
std::string TransactionId(uint64_t epoch, uint64_t sequence);   // "EPOCH16HEX-SEQ"
constexpr const char* kTransactionHeader = "questline-txn";

// What restore reads of one changelog partition.
struct ChangelogState {
  bool has_checkpoint = false;
  Checkpoint checkpoint;
  bool has_progress = false;
  Progress progress;   // the last one
};

// The biggest chunk: under librdkafka's and the brokers' default message size.
constexpr size_t kChunkBytes = 512 * 1024;

// The records of a checkpoint, (key, value) in the order they are produced:
// the chunks, then the header. Pure, for tests and the fuzzer.
// `prefix` puts another task's records in the same partition under keys of
// their own (a competition owner's, "owner/": owner_task.h).
std::vector<std::pair<std::string, std::string>> EncodeCheckpoint(const Checkpoint& checkpoint,
                                                                  const std::string& prefix = "");
std::string EncodeProgress(const Progress& progress);
// A changelog partition as compaction leaves it (the last value of each key)
// to what restore uses. A checkpoint lacking a chunk is logged and not used;
// a damaged record is false with `error`. Never trusts a size or a count.
bool DecodeChangelog(const std::map<std::string, std::string>& latest, ChangelogState* state, std::string* error,
                     const std::string& prefix = "");

// Produces `checkpoint` to `partition` of the changelog topic through the
// transactional `producer` (a transaction must be open); false with `error`.
bool ProduceCheckpoint(rd_kafka_t* producer, const std::string& topic, int32_t partition,
                       const Checkpoint& checkpoint, std::string* error, const std::string& prefix = "");

// Produces `progress` likewise.
bool ProduceProgress(rd_kafka_t* producer, const std::string& topic, int32_t partition, const Progress& progress,
                     std::string* error, const std::string& prefix = "");

// The newest whole checkpoint and the last progress record of `partition`
// (read_committed, from the beginning to the end of the partition): false
// with `error` when the topic cannot be read or a checkpoint is damaged.
bool ReadChangelog(const KafkaSourceConfig& config, int32_t partition, ChangelogState* out, std::string* error,
                   const std::string& prefix = "");

}  // namespace questline::daemon::kafka
