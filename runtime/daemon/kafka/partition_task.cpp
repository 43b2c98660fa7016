#include "runtime/daemon/kafka/partition_task.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "core/byte_io.h"
#include "runtime/daemon/journal.h"
#include "runtime/daemon/kafka/changelog.h"
#include "runtime/daemon/kafka/standings.h"
#include "runtime/daemon/kafka/stock_book.h"
#include "runtime/daemon/kafka/transaction.h"
#include "runtime/daemon/leaderboard_mirror.h"
#include "runtime/daemon/log.h"
#include "runtime/engine/json_text.h"
#include "runtime/io/action_writer.h"
#include "runtime/io/result_gate.h"

namespace questline::daemon::kafka {
namespace {

constexpr std::string_view kLocalMagic = "QLKP";

engine::EngineOptions OptionsFor(const Config& config) {
  engine::EngineOptions options;
  options.dedupe_window_ms = config.dedup_window_ms;
  // Competitions and stock span partitions: their owners rank windows
  // (standings.h) and keep stock (stock_book.h).
  options.owned_elsewhere = true;
  return options;
}

std::string Hex128(const engine::Hash128& key) {
  std::string out;
  engine::AppendHex64(out, key.hi);
  engine::AppendHex64(out, key.lo);
  return out;
}

}  // namespace

PartitionTask::PartitionTask(const Config& config, PackagePtr package, int32_t partition, int32_t repartitions,
                             LeaderboardMirror* mirror)
    : config_(config), package_(std::move(package)), partition_(partition), repartitions_(repartitions),
      mirror_(mirror) {
  Fresh();
}

void PartitionTask::Fresh() {
  strings_ = std::make_unique<engine::StringPool>();
  engine_ = std::make_unique<engine::Engine>(*package_->program, *package_->backend, *strings_, OptionsFor(config_));
  io::ReaderLimits limits;
  limits.max_line_bytes = size_t(config_.limits.max_event_bytes);
  reader_ = std::make_unique<io::EventReader>(package_->program->schema, *strings_, limits);
  gate_ = std::make_unique<io::ResultGate>(*engine_, *reader_);
  gate_->rejected = [this](int64_t offset, const std::string& reason) {
    ++counters_.rejected;
    if (producing_)
      Log(LogLevel::Warn, "kafka: " + config_.kafka.topic + "[" + std::to_string(partition_) + "] offset " +
                              std::to_string(offset) + ": rejected: " + reason);
  };
  gate_->processed = [this](bool fresh) { ++(fresh ? counters_.events : counters_.duplicates); };
  gate_->applied = [this] { ++counters_.results; };
}

PartitionTask::~PartitionTask() = default;

std::string PartitionTask::LocalPath() const {
  return config_.data_dir + "/kafka/" + config_.kafka.topic + "-" + std::to_string(partition_) + ".snapshot";
}

bool PartitionTask::Start(rd_kafka_t* consumer, std::string* error) {
  const KafkaSourceConfig& k = config_.kafka;
  const std::string name = k.topic + "[" + std::to_string(partition_) + "]";
  // One transactional id per input partition (Kafka Streams' exactly-once
  // v1): whoever owns the partition next fences whoever owned it before.
  producer_ = NewTransactionalProducer(k, k.group + "-" + k.topic + "-" + std::to_string(partition_),
                                       &PartitionTask::OnDelivery, this, error);
  if (!producer_) {
    *error = name + ": " + *error;
    return false;
  }
  // Only now is the committed offset final: the previous owner's open
  // transaction, offsets and all, was aborted or completed by the fence.
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  ChangelogState changelog;
  int64_t committed = 0;
  bool fresh = false;
  if (!ReadChangelog(k, partition_, &changelog, error) ||
      !ResumeOffset(consumer, k.topic, partition_, changelog, &committed, &fresh, error)) {
    *error = name + ": " + *error;
    return false;
  }
  const int64_t base = fresh ? committed : 0;
  epoch_ = NewEpoch();

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
  // The last commit's gate may have moved the clock to a window's end
  // without an event (io/result_gate.h): the same move, its actions and
  // windows committed already.
  if (changelog.has_progress && changelog.progress.next_offset == committed &&
      changelog.progress.clock > engine_->Clock()) {
    engine_->AdvanceTo(changelog.progress.clock);
    engine_->DrainActions();
    engine_->DrainClosedWindows();
    engine_->DrainRaffleEntrants();
    engine_->DrainStockClaims();
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
  gate_->max_held = size_t(config_.kafka.max_held);   // (a replay holds what it must: it cannot read back)
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
  received_ = next_offset_;
  if (next_offset_ >= committed) return true;
  bool gone = false;
  // (Past `committed`, the owners' lines a step before it used: ResultGate::ReplayToCommitted.)
  const bool read = ReadPartition(
      config_.kafka, config_.kafka.topic, partition_, next_offset_, "error",
      [&](const rd_kafka_message_t& m) {
        const bool more = gate_->ReplayToCommitted(
            std::string_view(static_cast<const char*>(m.payload), m.len), m.offset, committed);
        engine_->DrainActions();   // produced already, by the transaction that committed this offset
        engine_->DrainClosedWindows();
        engine_->DrainRaffleEntrants();
        engine_->DrainStockClaims();
        if (m.offset < committed) {
          ++counters_.replayed;
          ++events_since_checkpoint_;
          received_ = m.offset + 1;
          next_offset_ = gate_->Waiting() ? gate_->FirstWaiting() : received_;
        }
        return more;
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
  if (received_ < committed) {
    *error = "the input ends at offset " + std::to_string(received_) + ", before the committed " +
             std::to_string(committed) + " (a leader catching up?)";
    return false;
  }
  if (gate_->WaitsBelow(committed)) {
    *error = "the line at offset " + std::to_string(gate_->FirstWaiting()) +
             " ran before the commit with an owner's answer that is not in the input (yet?)";
    return false;
  }
  // Past `committed` the owners' lines taken are read again live: the
  // gate skips what it applied (and the engine drops repeated results).
  next_offset_ = committed;
  return true;
}

// A message's lines into the gate (one event a message: its offset is the lines').
void PartitionTask::Feed(const rd_kafka_message_t* message) {
  std::string_view payload(static_cast<const char*>(message->payload), message->len);
  while (!payload.empty()) {
    const size_t end = payload.find('\n');
    gate_->Push(payload.substr(0, end), message->offset);
    payload = end == std::string_view::npos ? std::string_view() : payload.substr(end + 1);
  }
}

// Each closed window to its competition's owner, each draw's entrants to
// its raffle's, each claim to its stock's, then the clock to every owner: a
// window's entries come before the clock that says the partition passed
// its end (one producer, in order, per partition).
bool PartitionTask::ProduceToOwners(const HandedOut& out, const std::string& txn, std::string* error) {
  const std::string& topic = config_.kafka.repartition_topic;
  for (const engine::ClosedWindow& window : out.windows) {
    const int32_t owner = RepartitionOf(window.competition, repartitions_);
    for (const std::string& record : Standings::EncodeWindow(window, partition_))
      if (!ProduceInTransaction(producer_.get(), topic, owner, window.competition, record, txn, error)) return false;
  }
  for (const engine::RaffleEntrants& draw : out.draws) {
    const std::string key = "raffle:" + draw.raffle;
    for (const std::string& record : Standings::EncodeRaffle(draw, partition_))
      if (!ProduceInTransaction(producer_.get(), topic, RepartitionOf(key, repartitions_), key, record, txn, error))
        return false;
  }
  const std::vector<engine::StockClaim>& claims = out.claims;
  for (const engine::StockClaim& claim : claims) {
    if (!ProduceInTransaction(producer_.get(), topic, RepartitionOf(claim.stock, repartitions_), claim.stock,
                              StockBook::EncodeClaim(claim, partition_), txn, error))
      return false;
    ++counters_.claims;
  }
  const int64_t clock = engine_->Clock();
  if (clock == clock_sent_ || clock == INT64_MIN) return true;
  const std::string record = Standings::EncodeClock(partition_, clock), key = std::to_string(partition_);
  for (int32_t owner = 0; owner < repartitions_; ++owner)
    if (!ProduceInTransaction(producer_.get(), topic, owner, key, record, txn, error)) return false;
  clock_sent_ = clock;   // (a transaction that aborts restarts the task: sent again)
  return true;
}

PartitionTask::Outcome PartitionTask::Process(const std::vector<rd_kafka_message_t*>& messages, rd_kafka_t* consumer,
                                              std::string* error) {
  // The engine first: the gate may hold the input at a window's end, so
  // the offset committed is the first line held, or past the last.
  for (const rd_kafka_message_t* m : messages) {
    if (m->offset < received_) continue;   // fetched again after an assign: held or run already
    Feed(m);
    ++events_since_checkpoint_;
    received_ = m->offset + 1;
  }
  gate_->Run();
  if (const int64_t from = gate_->TakeRefetch(); from >= 0) {
    received_ = from;   // what the gate could not keep while it waited: read again
    refetch_ = true;
    Log(LogLevel::Debug, "kafka: " + config_.kafka.topic + "[" + std::to_string(partition_) +
                             "]: read again from offset " + std::to_string(from) + " (max_held)");
  }
  const int64_t next = gate_->Waiting() ? gate_->FirstWaiting() : received_;
  std::vector<engine::Action> actions = engine_->DrainActions();
  const HandedOut handed{engine_->DrainClosedWindows(), engine_->DrainRaffleEntrants(), engine_->DrainStockClaims()};
  if (next == next_offset_ && actions.empty() && handed.windows.empty() && handed.draws.empty() &&
      handed.claims.empty() && engine_->Clock() == clock_sent_)
    return Outcome::Committed;   // all held: nothing to say yet
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
  for (engine::Action& a : actions) {
    value.clear();
    io::AppendActionJson(value, a);
    if (!value.empty() && value.back() == '\n') value.pop_back();   // a message is one line, unterminated
    produced = ProduceInTransaction(producer_.get(), actions_topic, partition_, Hex128(a.key), value, txn, error);
    if (!produced) break;
    ++counters_.actions;
  }
  if (produced) produced = ProduceToOwners(handed, txn, error);
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
                               Progress{epoch_, sequence_, next, engine_->Clock()}, error);
  bool fenced = false;
  if (produced && CommitTransaction(producer_.get(), consumer, config_.kafka.topic, partition_, next, error, &fenced)) {
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
