#include "runtime/daemon/kafka/partition_task.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "core/byte_io.h"
#include "runtime/daemon/journal.h"
#include "runtime/daemon/kafka/changelog.h"
#include "runtime/daemon/leaderboard_mirror.h"
#include "runtime/daemon/log.h"
#include "runtime/engine/json_text.h"
#include "runtime/io/action_writer.h"

namespace questline::daemon::kafka {
namespace {

constexpr int kTxnTimeoutMs = 60'000;
// Under transaction.timeout.ms, with room for the checkpoint and the commit.
constexpr int kFlushMs = 30'000;
constexpr std::string_view kLocalMagic = "QLKP";

engine::EngineOptions OptionsFor(const Config& config) {
  engine::EngineOptions options;
  options.dedupe_window_ms = config.dedup_window_ms;
  return options;
}

std::string Hex128(const engine::Hash128& key) {
  std::string out;
  engine::AppendHex64(out, key.hi);
  engine::AppendHex64(out, key.lo);
  return out;
}

}  // namespace

PartitionTask::PartitionTask(const Config& config, PackagePtr package, int32_t partition, LeaderboardMirror* mirror)
    : config_(config), package_(std::move(package)), partition_(partition), mirror_(mirror) {
  Fresh();
}

void PartitionTask::Fresh() {
  strings_ = std::make_unique<engine::StringPool>();
  engine_ = std::make_unique<engine::Engine>(*package_->program, *package_->backend, *strings_, OptionsFor(config_));
  io::ReaderLimits limits;
  limits.max_line_bytes = size_t(config_.limits.max_event_bytes);
  reader_ = std::make_unique<io::EventReader>(package_->program->schema, *strings_, limits);
}

PartitionTask::~PartitionTask() = default;

std::string PartitionTask::LocalPath() const {
  return config_.data_dir + "/kafka/" + config_.kafka.topic + "-" + std::to_string(partition_) + ".snapshot";
}

bool PartitionTask::Start(rd_kafka_t* consumer, std::string* error) {
  const KafkaSourceConfig& k = config_.kafka;
  const std::string name = k.topic + "[" + std::to_string(partition_) + "]";
  rd_kafka_conf_t* conf = NewConf(k, "questd-" + name, error);
  if (conf == nullptr) return false;
  // One transactional id per input partition (Kafka Streams' exactly-once
  // v1): whoever owns the partition next fences whoever owned it before.
  const std::string txn_id = k.group + "-" + k.topic + "-" + std::to_string(partition_);
  if (!SetAll(conf,
              {{"transactional.id", txn_id}, {"enable.idempotence", "true"},
               {"transaction.timeout.ms", std::to_string(kTxnTimeoutMs)}, {"linger.ms", "2"}},
              error))
    return false;
  rd_kafka_conf_set_dr_msg_cb(conf, &PartitionTask::OnDelivery);
  rd_kafka_conf_set_opaque(conf, this);
  producer_ = NewHandle(RD_KAFKA_PRODUCER, conf, error);
  if (!producer_) return false;
  if (rd_kafka_error_t* e = rd_kafka_init_transactions(producer_.get(), kTxnTimeoutMs)) {
    *error = name + ": init transactions: " + Take(e);
    return false;
  }
  // Only now is the committed offset final: the previous owner's open
  // transaction, offsets and all, was aborted or completed by the fence.
  PartitionList wanted(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(wanted.get(), k.topic.c_str(), partition_);
  rd_kafka_resp_err_t err = rd_kafka_committed(consumer, wanted.get(), kTxnTimeoutMs);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) err = wanted->elems[0].err;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    *error = name + ": committed offset: " + rd_kafka_err2str(err);
    return false;
  }
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  ChangelogState changelog;
  if (!ReadChangelog(k, partition_, &changelog, error)) {
    *error = name + ": " + *error;
    return false;
  }
  // Both were written by the same transactions: the larger is where the
  // last committed one left off (the mock keeps only the progress record).
  int64_t committed = std::max<int64_t>(wanted->elems[0].offset, 0), base = 0;
  if (changelog.has_progress) committed = std::max(committed, changelog.progress.next_offset);
  if (wanted->elems[0].offset < 0 && !changelog.has_progress) {
    // Never committed: from the oldest event the topic still holds.
    int64_t low = 0, high = 0;
    err = rd_kafka_query_watermark_offsets(consumer, k.topic.c_str(), partition_, &low, &high, kTxnTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      *error = name + ": watermarks: " + rd_kafka_err2str(err);
      return false;
    }
    committed = base = low;
  }
  std::random_device entropy;
  epoch_ = (uint64_t(entropy()) << 32) ^ entropy() ^ uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());

  // The newest state at or before `committed`: a local snapshot, else the changelog.
  int64_t from = base;
  std::string bytes, local;
  if (ReadWholeFile(LocalPath(), &bytes)) {
    core::ByteReader r(bytes);
    const bool header = r.Raw(kLocalMagic.size()) == kLocalMagic;
    const int64_t offset = r.Signed();
    const uint64_t generation = r.Fixed64();
    if (header && r.ok() && offset <= committed) {
      local = std::string(r.Raw(r.Remaining()));
      if (RestoreFrom(local, offset, "local snapshot")) {
        from = offset;
        generation_ = generation;
      }
    }
  }
  const Checkpoint& checkpoint = changelog.checkpoint;
  if (changelog.has_checkpoint) generation_ = std::max(generation_, checkpoint.generation);
  if (changelog.has_checkpoint && checkpoint.offset > from && checkpoint.offset <= committed) {
    const int64_t local_offset = from;
    if (from != base) Fresh();   // the local one is older: the changelog's replaces it
    if (RestoreFrom(checkpoint.snapshot, checkpoint.offset, "changelog checkpoint")) {
      from = checkpoint.offset;
    } else if (local_offset != base && !RestoreFrom(local, local_offset, "local snapshot")) {
      from = base;   // (it restored a moment ago; only memory could fail it now)
    }
  }
  next_offset_ = from;
  const auto restored = Clock::now();
  if (!ReplayTo(committed, error)) {
    *error = name + ": " + *error;
    return false;
  }
  auto seconds = [](Clock::duration d) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", std::chrono::duration<double>(d).count());
    return std::string(text);
  };
  // Machine-read by bench/kafka_bench.py: keep the shape.
  Log(LogLevel::Info, "kafka: " + name + " taken in " + seconds(Clock::now() - started) + ": state at offset " +
                          std::to_string(from) + " (changelog and snapshot " + seconds(restored - started) + "), " +
                          std::to_string(counters_.replayed) + " events replayed to " + std::to_string(committed) +
                          " (" + seconds(Clock::now() - restored) + ")");
  producing_ = true;
  Mirror();   // everything: the mirror may have missed the previous owner's last commit
  return true;
}

bool PartitionTask::RestoreFrom(const std::string& snapshot, int64_t offset, const char* what) {
  std::string why;
  if (engine_->Restore(snapshot, &why)) return true;
  Log(LogLevel::Warn, "kafka: " + config_.kafka.topic + "[" + std::to_string(partition_) + "]: the " + what +
                          " at offset " + std::to_string(offset) + " is not usable (" + why + "); going further back");
  Fresh();   // a failed Restore leaves the engine half-built
  return false;
}

bool PartitionTask::ReplayTo(int64_t committed, std::string* error) {
  if (next_offset_ >= committed) return true;
  bool gone = false;
  const bool read = ReadPartition(
      config_.kafka, config_.kafka.topic, partition_, next_offset_, "error",
      [&](const rd_kafka_message_t& m) {
        if (m.offset >= committed) return false;
        Feed(&m);
        engine_->DrainActions();   // produced already, by the transaction that committed this offset
        ++counters_.replayed;
        ++events_since_checkpoint_;
        next_offset_ = m.offset + 1;
        return next_offset_ < committed;
      },
      error, &gone);
  if (!read) {
    if (gone)
      *error = "the input from offset " + std::to_string(next_offset_) +
               " is no longer in the topic (retention), and no newer state covers it: the input's retention "
               "must outlast checkpoint_every events (docs/scale-out.md)";
    return false;
  }
  // The message at committed - 1 was processed by the transaction that
  // committed `committed`: ending before it is a log not caught up yet (a
  // new leader's), never a reason to skip events. Start again later.
  if (next_offset_ < committed) {
    *error = "the input ends at offset " + std::to_string(next_offset_) + ", before the committed " +
             std::to_string(committed) + " (a leader catching up?)";
    return false;
  }
  return true;
}

void PartitionTask::Feed(const rd_kafka_message_t* message) {
  std::string_view payload(static_cast<const char*>(message->payload), message->len);
  std::string reason;
  uint64_t line_no = 0;
  while (!payload.empty()) {
    const size_t end = payload.find('\n');
    const std::string_view line = payload.substr(0, end);
    payload = end == std::string_view::npos ? std::string_view() : payload.substr(end + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!reader_->ParseLine(line, line_no, &event_, &reason)) {
      ++counters_.rejected;
      if (producing_)
        Log(LogLevel::Warn, "kafka: " + config_.kafka.topic + "[" + std::to_string(partition_) + "] offset " +
                                std::to_string(message->offset) + " line " + std::to_string(line_no) + ": rejected: " +
                                reason);
      continue;
    }
    const uint64_t duplicates = engine_->Stats().duplicates;
    engine_->Process(event_);
    if (engine_->Stats().duplicates != duplicates) ++counters_.duplicates;
    else ++counters_.events;
  }
}

PartitionTask::Outcome PartitionTask::Process(const std::vector<rd_kafka_message_t*>& messages, rd_kafka_t* consumer,
                                              std::string* error) {
  if (messages.empty()) return Outcome::Committed;
  if (rd_kafka_error_t* e = rd_kafka_begin_transaction(producer_.get())) {
    *error = "begin transaction: " + Take(e);
    return Outcome::Failed;
  }
  ++sequence_;
  delivery_failures_ = 0;
  const std::string txn = TransactionId(epoch_, sequence_);
  const std::string& actions_topic = config_.kafka.actions_topic;
  std::string value;
  bool produced = true;
  for (const rd_kafka_message_t* m : messages) {
    Feed(m);
    ++events_since_checkpoint_;
    for (engine::Action& a : engine_->DrainActions()) {
      value.clear();
      io::AppendActionJson(value, a);
      if (!value.empty() && value.back() == '\n') value.pop_back();   // a message is one line, unterminated
      const std::string key = Hex128(a.key);
      for (;;) {
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer_.get(), RD_KAFKA_V_TOPIC(actions_topic.c_str()), RD_KAFKA_V_PARTITION(partition_),
            RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(value.data(), value.size()),
            RD_KAFKA_V_HEADER(kTransactionHeader, txn.data(), ssize_t(txn.size())),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          *error = std::string("produce an action: ") + rd_kafka_err2str(err);
          produced = false;
          break;
        }
        rd_kafka_poll(producer_.get(), 50);
      }
      if (!produced) break;
      ++counters_.actions;
    }
    if (!produced) break;
  }
  const int64_t next = messages.back()->offset + 1;
  // Every action delivered before the progress record is produced, so a
  // progress record seen means all of its transaction's actions are there
  // too, even on a cluster that shows what an abort should hide.
  if (produced) {
    const rd_kafka_resp_err_t err = rd_kafka_flush(producer_.get(), kFlushMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || delivery_failures_ > 0) {
      *error = err != RD_KAFKA_RESP_ERR_NO_ERROR ? std::string("flush the actions: ") + rd_kafka_err2str(err)
                                                 : "an action was not delivered";
      produced = false;
    }
  }
  if (produced && events_since_checkpoint_ >= uint64_t(config_.kafka.checkpoint_every)) {
    Checkpoint checkpoint{generation_ + 1, next, engine_->Snapshot()};
    produced = ProduceCheckpoint(producer_.get(), config_.kafka.changelog_topic, partition_, checkpoint, error);
    if (produced) {
      generation_ = checkpoint.generation;
      events_since_checkpoint_ = 0;
      ++counters_.checkpoints;
    }
  }
  if (produced)
    produced = ProduceProgress(producer_.get(), config_.kafka.changelog_topic, partition_,
                               Progress{epoch_, sequence_, next}, error);
  bool fenced = false;
  if (produced && Commit(consumer, next, error, &fenced)) {
    next_offset_ = next;
    ++counters_.transactions;
    Mirror();
    if (events_since_checkpoint_ == 0) SaveLocal();   // a checkpoint was just committed
    return Outcome::Committed;
  }
  ++counters_.aborted;
  last_error_ = *error;
  if (!fenced) {
    if (rd_kafka_error_t* e = rd_kafka_abort_transaction(producer_.get(), -1)) {
      const bool fatal = rd_kafka_error_is_fatal(e);
      *error += "; abort: " + Take(e);
      if (fatal) return Outcome::Fenced;
    }
  }
  return fenced ? Outcome::Fenced : Outcome::Failed;
}

bool PartitionTask::Commit(rd_kafka_t* consumer, int64_t next, std::string* error, bool* fenced) {
  // Each step's retriable errors (a timeout while a broker is down) are
  // retried as librdkafka documents, the offsets before the commit, so the
  // transaction never commits without them; an abortable error aborts; a
  // fatal one is a fence. -1: the transaction's remaining time.
  constexpr int kAttempts = 5;
  PartitionList offsets(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(offsets.get(), config_.kafka.topic.c_str(), partition_)->offset = next;
  rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata(consumer);
  rd_kafka_error_t* e = nullptr;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    e = rd_kafka_send_offsets_to_transaction(producer_.get(), offsets.get(), group, -1);
    if (e == nullptr || !rd_kafka_error_is_retriable(e)) break;
    if (attempt + 1 < kAttempts) rd_kafka_error_destroy(e);
  }
  rd_kafka_consumer_group_metadata_destroy(group);
  for (int attempt = 0; e == nullptr && attempt < kAttempts; ++attempt) {
    e = rd_kafka_commit_transaction(producer_.get(), -1);
    if (e == nullptr) return true;
    if (!rd_kafka_error_is_retriable(e)) break;
    if (attempt + 1 < kAttempts) {
      rd_kafka_error_destroy(e);
      e = nullptr;
    }
  }
  *fenced = rd_kafka_error_is_fatal(e);
  *error = "commit: " + Take(e);
  return false;
}

void PartitionTask::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) ++static_cast<PartitionTask*>(opaque)->delivery_failures_;
}

void PartitionTask::Mirror() {
  if (mirror_ == nullptr) return;
  std::vector<ScoreUpdate> updates;
  const engine::ScoreStep step = engine_->VisitScores(mirrored_, [&](const engine::ScoreChange& c) {
    updates.push_back(ScoreUpdate{c.competition, c.window_start, c.user, c.score});
  });
  if (updates.empty()) {
    mirrored_ = step;
    return;
  }
  std::string error;
  if (mirror_->Put(updates, &error)) {
    mirrored_ = step;   // else the same entries (and newer) go with the next commit
  } else {
    Log(LogLevel::Warn, "kafka: the leaderboard mirror lags: " + error);
  }
}

void PartitionTask::SaveLocal() {
  core::ByteWriter w;
  w.Raw(kLocalMagic);
  w.Signed(next_offset_);
  w.Fixed64(generation_);
  w.Raw(engine_->Snapshot());
  const std::string dir = config_.data_dir + "/kafka";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string error;
  if (!WriteFileDurably(dir, LocalPath(), w.Data(), true, "kafka.snapshot", &error))
    Log(LogLevel::Warn, "kafka: local snapshot: " + error);
}

}  // namespace questline::daemon::kafka
