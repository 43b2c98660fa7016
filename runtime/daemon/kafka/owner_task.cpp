#include "runtime/daemon/kafka/owner_task.h"

#include "runtime/daemon/kafka/changelog.h"
#include "runtime/daemon/kafka/transaction.h"
#include "runtime/daemon/log.h"
#include "core/byte_io.h"
#include "runtime/io/owner_lines.h"

namespace questline::daemon::kafka {

OwnerTask::OwnerTask(const Config& config, PackagePtr package, int32_t partition, int32_t inputs)
    : config_(config), package_(std::move(package)), partition_(partition), standings_(*package_->program, inputs),
      stock_(*package_->program, inputs, config.dedup_window_ms) {}

std::string OwnerTask::SaveState() const {
  core::ByteWriter w;
  w.Bytes(standings_.Save());
  w.Bytes(stock_.Save());
  return w.Take();
}

bool OwnerTask::LoadState(std::string_view bytes, std::string* error) {
  core::ByteReader r(bytes);
  const std::string standings = r.Bytes(), stock = r.Bytes();
  if (!r.ok() || !r.AtEnd()) {
    *error = "a damaged owner checkpoint";
    return false;
  }
  // Both or neither: the stock book into a copy first (the standings' Load
  // changes nothing when it fails).
  StockBook book = stock_;
  if (!book.Load(stock, error) || !standings_.Load(standings, error)) return false;
  stock_ = std::move(book);
  return true;
}

bool OwnerTask::Start(rd_kafka_t* consumer, std::string* error) {
  const KafkaSourceConfig& k = config_.kafka;
  const std::string name = k.repartition_topic + "[" + std::to_string(partition_) + "]";
  producer_ = NewTransactionalProducer(k, k.group + "-" + k.repartition_topic + "-" + std::to_string(partition_),
                                       &OwnerTask::OnDelivery, this, error);
  ChangelogState changelog;
  int64_t committed = 0;
  bool fresh = false;
  if (!producer_ || !ReadChangelog(k, partition_, &changelog, error, kChangelogPrefix) ||
      !ResumeOffset(consumer, k.repartition_topic, partition_, changelog, &committed, &fresh, error)) {
    *error = name + ": " + *error;
    return false;
  }
  epoch_ = NewEpoch();
  // Every transaction writes a checkpoint, so it is at the committed offset
  // unless it is a visible leftover of an abort (the mock): then the whole
  // topic is replayed (the repartition topic is its own log).
  next_offset_ = committed;
  if (changelog.has_checkpoint) generation_ = changelog.checkpoint.generation;
  std::string why;
  const bool restored = changelog.has_checkpoint && changelog.checkpoint.offset <= committed &&
                        LoadState(changelog.checkpoint.snapshot, &why);
  if (restored) {
    next_offset_ = changelog.checkpoint.offset;
  } else if (!fresh) {
    if (!why.empty()) Log(LogLevel::Warn, "kafka: " + name + ": the checkpoint is not usable (" + why + ")");
    int64_t high = 0;
    if (rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(consumer, k.repartition_topic.c_str(), partition_,
                                                                   &next_offset_, &high, kTxnTimeoutMs)) {
      *error = name + ": watermarks: " + rd_kafka_err2str(err);
      return false;
    }
  }
  if (next_offset_ < committed) {
    const bool read = ReadPartition(
        k, k.repartition_topic, partition_, next_offset_, "error",
        [&](const rd_kafka_message_t& m) {
          if (m.offset >= committed) return false;
          Feed(m, false, "", error);
          ++counters_.replayed;
          next_offset_ = m.offset + 1;
          return next_offset_ < committed;
        },
        error);
    if (!read || next_offset_ < committed) {
      if (read) *error = "the topic ends at offset " + std::to_string(next_offset_) + ", before the committed " +
                         std::to_string(committed);
      *error = name + ": " + *error;
      return false;
    }
  }
  Log(LogLevel::Info, "kafka: " + name + " owned: competitions ranked and stock kept here, " +
                          std::to_string(standings_.PendingWindows()) + " windows waiting, " +
                          std::to_string(counters_.replayed) + " records replayed to " + std::to_string(committed));
  return true;
}

bool OwnerTask::Feed(const rd_kafka_message_t& m, bool produce, const std::string& txn, std::string* error) {
  ++counters_.records;
  std::string why;
  results_.clear();
  const std::string_view record(static_cast<const char*>(m.payload), m.len);
  std::string line;
  auto reject = [&] {   // a record no one can use: counted, logged, passed over
    ++counters_.rejected;
    if (produce)
      Log(LogLevel::Warn, "kafka: " + config_.kafka.repartition_topic + "[" + std::to_string(partition_) +
                              "] offset " + std::to_string(m.offset) + ": rejected: " + why);
    return true;
  };
  if (StockBook::IsClaim(record)) {
    PlacedAnswer placed;
    if (!stock_.Apply(record, standings_.LowestClock(), &placed, &why)) return reject();
    if (!why.empty() && produce)   // refused: answered all the same, so that its partition goes on
      Log(LogLevel::Warn, "kafka: " + config_.kafka.repartition_topic + "[" + std::to_string(partition_) +
                              "] offset " + std::to_string(m.offset) + ": " + why);
    if (!produce) return true;
    io::AppendStockAnswerLine(line, placed.answer);
    ++counters_.answers;
    return ProduceInTransaction(producer_.get(), config_.kafka.topic, placed.partition, placed.answer.user, line, txn,
                                error);
  }
  if (!standings_.Apply(record, &results_, &why)) return reject();
  if (!produce) return true;
  for (const PlacedResult& placed : results_) {
    line.clear();
    if (placed.is_raffle) io::AppendRaffleResultLine(line, placed.raffle);
    else io::AppendCompetitionResultLine(line, placed.result);
    const std::string& user = placed.is_raffle ? placed.raffle.user : placed.result.user;
    if (!ProduceInTransaction(producer_.get(), config_.kafka.topic, placed.partition, user, line, txn, error))
      return false;
    counters_.results += !(placed.is_raffle ? placed.raffle.done : placed.result.done);
  }
  return true;
}

PartitionTask::Outcome OwnerTask::Process(const std::vector<rd_kafka_message_t*>& messages, rd_kafka_t* consumer,
                                          std::string* error) {
  if (messages.empty()) return PartitionTask::Outcome::Committed;
  if (rd_kafka_error_t* e = rd_kafka_begin_transaction(producer_.get())) {
    *error = "begin transaction: " + Take(e);
    return PartitionTask::Outcome::Failed;
  }
  ++sequence_;
  delivery_failures_ = 0;
  const std::string txn = TransactionId(epoch_, sequence_);
  bool produced = true;
  for (const rd_kafka_message_t* m : messages)
    if (!(produced = Feed(*m, true, txn, error))) break;
  const int64_t next = messages.back()->offset + 1;
  if (produced) {
    const rd_kafka_resp_err_t err = rd_kafka_flush(producer_.get(), kFlushMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || delivery_failures_ > 0) {
      *error = err != RD_KAFKA_RESP_ERR_NO_ERROR ? std::string("flush the results: ") + rd_kafka_err2str(err)
                                                 : "a result was not delivered";
      produced = false;
    }
  }
  // A checkpoint when no window waits (the standings are a few clocks), or
  // every checkpoint_every records while windows of many players wait;
  // between two, restore replays this topic (its own log).
  const std::string& changelog = config_.kafka.changelog_topic;
  records_since_checkpoint_ += messages.size();
  const bool checkpoint_due = standings_.PendingWindows() == 0 ||
                              records_since_checkpoint_ >= uint64_t(config_.kafka.checkpoint_every);
  Checkpoint checkpoint{generation_ + 1, next, {}};
  if (produced && checkpoint_due) {
    checkpoint.snapshot = SaveState();
    produced = ProduceCheckpoint(producer_.get(), changelog, partition_, checkpoint, error, kChangelogPrefix);
  }
  if (produced)
    produced = ProduceProgress(producer_.get(), changelog, partition_, Progress{epoch_, sequence_, next}, error,
                               kChangelogPrefix);
  bool fenced = false;
  if (produced &&
      CommitTransaction(producer_.get(), consumer, config_.kafka.repartition_topic, partition_, next, error, &fenced)) {
    next_offset_ = next;
    if (checkpoint_due) {
      generation_ = checkpoint.generation;
      records_since_checkpoint_ = 0;
    }
    ++counters_.transactions;
    return PartitionTask::Outcome::Committed;
  }
  ++counters_.aborted;
  if (!fenced) {
    if (rd_kafka_error_t* e = rd_kafka_abort_transaction(producer_.get(), -1)) {
      const bool fatal = rd_kafka_error_is_fatal(e);
      *error += "; abort: " + Take(e);
      if (fatal) return PartitionTask::Outcome::Fenced;
    }
  }
  return fenced ? PartitionTask::Outcome::Fenced : PartitionTask::Outcome::Failed;
}

void OwnerTask::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) ++static_cast<OwnerTask*>(opaque)->delivery_failures_;
}

}  // namespace questline::daemon::kafka
