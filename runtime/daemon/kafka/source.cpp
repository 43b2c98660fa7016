#include "runtime/daemon/kafka/source.h"

#include <chrono>
#include <thread>
#include <unistd.h>
#include <vector>

#include "runtime/daemon/log.h"

namespace questline::daemon::kafka {
namespace {

constexpr int kRetryMs = 2000;
constexpr int kLingerMs = 20;

void Add(PartitionCounters& to, const PartitionCounters& c) {
  to.events += c.events;
  to.rejected += c.rejected;
  to.duplicates += c.duplicates;
  to.actions += c.actions;
  to.transactions += c.transactions;
  to.aborted += c.aborted;
  to.checkpoints += c.checkpoints;
  to.replayed += c.replayed;
  to.results += c.results;
  to.claims += c.claims;
}

void Add(OwnerCounters& to, const OwnerCounters& c) {
  to.records += c.records;
  to.rejected += c.rejected;
  to.results += c.results;
  to.answers += c.answers;
  to.transactions += c.transactions;
  to.aborted += c.aborted;
  to.replayed += c.replayed;
}

std::string Label(const std::string& topic, int32_t partition) {
  return topic + "[" + std::to_string(partition) + "]";
}

}  // namespace

Source::Source(const Config& config, PackagePtr package) : config_(config), package_(std::move(package)) {}
Source::~Source() = default;

bool Source::Open(std::string* error) {
  const KafkaSourceConfig& k = config_.kafka;
  if (!k.redis.empty()) {
    mirror_ = LeaderboardMirror::Connect(k.redis, k.redis_prefix, error);
    if (!mirror_) {
      *error = "source.redis: " + *error;
      return false;
    }
  }
  rd_kafka_conf_t* conf = NewConf(k, "questd-" + std::to_string(::getpid()), error);
  if (conf == nullptr) return false;
  // Offsets are committed only inside the partitions' transactions; what
  // aborted transactions wrote is never read. Each partition is assigned at
  // its task's offset, so an offset gone from the log is an error, never a
  // silent jump.
  if (!SetAll(conf,
              {{"group.id", k.group}, {"enable.auto.commit", "false"}, {"enable.auto.offset.store", "false"},
               {"isolation.level", "read_committed"}, {"auto.offset.reset", "error"},
               {"session.timeout.ms", std::to_string(k.session_timeout_ms)},
               {"fetch.wait.max.ms", std::to_string(k.fetch_wait_ms)},
               {"heartbeat.interval.ms", std::to_string(std::max<int64_t>(k.session_timeout_ms / 5, 100))}},
              error))
    return false;
  rd_kafka_conf_set_rebalance_cb(conf, &Source::OnRebalance);
  rd_kafka_conf_set_opaque(conf, this);
  consumer_ = NewHandle(RD_KAFKA_CONSUMER, conf, error);
  if (!consumer_) return false;
  rd_kafka_poll_set_consumer(consumer_.get());

  // The partition counts the design depends on (docs/scale-out.md): the
  // actions of input partition p go to actions partition p, its
  // checkpoints to changelog partition p.
  const int32_t inputs = PartitionCount(consumer_.get(), k.topic, 10'000, error);
  if (inputs < 0) return false;
  const int32_t actions = PartitionCount(consumer_.get(), k.actions_topic, 10'000, error);
  if (actions < 0) return false;
  const int32_t changelog = PartitionCount(consumer_.get(), k.changelog_topic, 10'000, error);
  if (changelog < 0) return false;
  if (actions < inputs || changelog < inputs) {
    *error = "source: " + k.actions_topic + " has " + std::to_string(actions) + " partitions and " +
             k.changelog_topic + " " + std::to_string(changelog) + "; each needs at least the " +
             std::to_string(inputs) + " of " + k.topic;
    return false;
  }
  // The competitions' owners: one per partition of the repartition topic,
  // each writing its checkpoints to the changelog partition of its number.
  const int32_t repartitions = PartitionCount(consumer_.get(), k.repartition_topic, 10'000, error);
  if (repartitions < 0) return false;
  if (repartitions > changelog) {
    *error = "source: " + k.repartition_topic + " has " + std::to_string(repartitions) + " partitions, more than the " +
             std::to_string(changelog) + " of " + k.changelog_topic + " its owners checkpoint to";
    return false;
  }
  inputs_ = inputs;
  repartitions_ = repartitions;
  // One group over both topics, as a Kafka Streams application with a
  // repartition topic: the group spreads the owners like the partitions.
  PartitionList topics(rd_kafka_topic_partition_list_new(2));
  rd_kafka_topic_partition_list_add(topics.get(), k.topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_topic_partition_list_add(topics.get(), k.repartition_topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics.get())) {
    *error = "subscribe to " + k.topic + " and " + k.repartition_topic + ": " + rd_kafka_err2str(err);
    return false;
  }
  Log(LogLevel::Info, "kafka: member of group " + k.group + " on " + k.topic + " (" + std::to_string(inputs) +
                          " partitions) and " + k.repartition_topic + " (" + std::to_string(repartitions) +
                          ") at " + k.brokers);
  return true;
}

void Source::OnRebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                         void* opaque) {
  auto* self = static_cast<Source*>(opaque);
  ++self->generation_;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) self->Assigned(partitions);
  else self->Revoked();
}

void Source::Assigned(const rd_kafka_topic_partition_list_t* partitions) {
  ++rebalances_;
  for (int i = 0; i < partitions->cnt; ++i) {
    const Unit unit{partitions->elems[i].topic == config_.kafka.repartition_topic, partitions->elems[i].partition};
    if (!Take(unit)) {
      std::lock_guard<std::timed_mutex> lock(mutex_);
      waiting_.insert(unit);
    }
  }
  Assign();
  Publish();
}

void Source::Revoked() {
  ++rebalances_;
  std::lock_guard<std::timed_mutex> lock(mutex_);
  // No transaction is open between two polls: each task's state is at its committed offset.
  for (auto& [partition, task] : tasks_) {
    task->SaveLocal();
    Add(gone_, task->Counters());
  }
  for (auto& [partition, owner] : owners_) Add(owners_gone_, owner->Counters());
  if (!tasks_.empty() || !owners_.empty() || !waiting_.empty())
    Log(LogLevel::Info, "kafka: partitions revoked: " + std::to_string(tasks_.size()) + " and " +
                            std::to_string(owners_.size()) + " competition owners");
  tasks_.clear();
  owners_.clear();
  waiting_.clear();
  Publish();
  rd_kafka_assign(consumer_.get(), nullptr);
}

const std::string& Source::TopicOf(const Unit& unit) const {
  return unit.first ? config_.kafka.repartition_topic : config_.kafka.topic;
}

bool Source::Take(const Unit& unit) {
  const int32_t partition = unit.second;
  std::string error;
  // Started outside the lock (a Start may wait long for a broker), kept under it.
  auto start = [&](auto task, auto& tasks, auto& gone) {
    const bool started = task->Start(consumer_.get(), &error);
    std::lock_guard<std::timed_mutex> lock(mutex_);
    if (!started) {
      Add(gone, task->Counters());
      return false;
    }
    waiting_.erase(unit);
    tasks[partition] = std::move(task);
    return true;
  };
  if (unit.first ? start(std::make_unique<OwnerTask>(config_, package_, partition, inputs_), owners_, owners_gone_)
                 : start(std::make_unique<PartitionTask>(config_, package_, partition, repartitions_, mirror_.get()),
                         tasks_, gone_))
    return true;
  Log(LogLevel::Error, "kafka: cannot take " + Label(TopicOf(unit), partition) + ": " + error + " (retrying)");
  return false;
}

void Source::Assign() {
  PartitionList list(rd_kafka_topic_partition_list_new(int(tasks_.size() + owners_.size()) + 1));
  {
    std::lock_guard<std::timed_mutex> lock(mutex_);
    for (auto& [partition, task] : tasks_)
      rd_kafka_topic_partition_list_add(list.get(), config_.kafka.topic.c_str(), partition)->offset = task->NextOffset();
    for (auto& [partition, owner] : owners_)
      rd_kafka_topic_partition_list_add(list.get(), config_.kafka.repartition_topic.c_str(), partition)->offset =
          owner->NextOffset();
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list.get()))
    Log(LogLevel::Error, std::string("kafka: assign: ") + rd_kafka_err2str(err));
}

// One partition a round: a Start may wait long for a broker, and the
// consumer must be polled meanwhile (max.poll.interval.ms).
void Source::RetryWaiting() {
  if (waiting_.empty()) return;
  if (Take(*waiting_.begin())) Assign();
}

void Source::Run() {
  const size_t max_batch = size_t(config_.kafka.max_batch);
  std::vector<rd_kafka_message_t*> polled;
  std::map<Unit, std::vector<rd_kafka_message_t*>> by_partition;
  auto last_retry = std::chrono::steady_clock::now();
  while (!stop_) {
    if (std::chrono::steady_clock::now() - last_retry > std::chrono::milliseconds(kRetryMs)) {
      last_retry = std::chrono::steady_clock::now();
      RetryWaiting();
    }
    const uint64_t generation = generation_;
    // A batch: up to max_batch messages, gathered for at most kLingerMs
    // after the first. A transaction costs a few round trips whatever its
    // size, so under load batches are large and transactions few; when idle
    // the first message waits kLingerMs at most.
    polled.clear();
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), 100);
    const auto linger_end = std::chrono::steady_clock::now() + std::chrono::milliseconds(kLingerMs);
    while (m != nullptr) {
      polled.push_back(m);
      if (polled.size() >= max_batch) break;
      m = rd_kafka_consumer_poll(consumer_.get(), 0);
      while (m == nullptr && std::chrono::steady_clock::now() < linger_end)
        m = rd_kafka_consumer_poll(consumer_.get(), 1);
    }
    if (generation != generation_) {
      // A rebalance ran inside the polls: what was gathered before it may
      // be fetched again after it. Drop it all and fetch again from the
      // tasks' offsets.
      for (rd_kafka_message_t* msg : polled) rd_kafka_message_destroy(msg);
      if (!polled.empty()) Assign();
      Publish();
      continue;
    }
    by_partition.clear();
    bool reassign = false;
    for (rd_kafka_message_t* msg : polled) {
      const Unit unit{msg->rkt != nullptr && rd_kafka_topic_name(msg->rkt) == config_.kafka.repartition_topic,
                      msg->partition};
      if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        by_partition[unit].push_back(msg);
      } else if (msg->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
        reassign |= OffsetLost(unit);
      } else if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        Log(LogLevel::Warn, std::string("kafka: ") + rd_kafka_message_errstr(msg));
      }
    }
    for (auto& [unit, messages] : by_partition) {
      std::unique_lock<std::timed_mutex> lock(mutex_);
      const int64_t next = NextOffset(unit);
      if (next < 0) continue;   // given up in this round: its messages are read again by the next owner
      // Strictly after the task's offset and increasing: what was fetched
      // before an assign moved the position is processed already; a gap
      // forward is a control record.
      std::vector<rd_kafka_message_t*> batch;
      int64_t last = next - 1;
      for (rd_kafka_message_t* msg : messages)
        if (msg->offset > last) {
          batch.push_back(msg);
          last = msg->offset;
        }
      if (batch.empty()) continue;
      std::string error;
      const int32_t partition = unit.second;
      PartitionTask::Outcome outcome;
      if (unit.first) {
        outcome = owners_[partition]->Process(batch, consumer_.get(), &error);
        if (outcome != PartitionTask::Outcome::Committed) {
          Add(owners_gone_, owners_[partition]->Counters());
          owners_.erase(partition);
        }
      } else {
        outcome = tasks_[partition]->Process(batch, consumer_.get(), &error);
        if (outcome == PartitionTask::Outcome::Committed && tasks_[partition]->TakeRefetch())
          reassign = true;   // fetched again from its offset (Assign)
        if (outcome != PartitionTask::Outcome::Committed) {
          Add(gone_, tasks_[partition]->Counters());
          tasks_.erase(partition);
        }
      }
      if (outcome == PartitionTask::Outcome::Committed) continue;
      // The task ran ahead of what was committed: start it again. Fenced
      // too: a transaction that outlived its timeout is fenced by the
      // coordinator, and the partition is still ours; if another member
      // owns it now, the rebalance under way takes it away.
      Log(LogLevel::Warn, "kafka: " + Label(TopicOf(unit), partition) +
                              (outcome == PartitionTask::Outcome::Fenced ? ": fenced (" : ": transaction aborted (") +
                              error + "); restoring it");
      ++restarts_;
      waiting_.insert(unit);
      reassign = true;
    }
    for (rd_kafka_message_t* msg : polled) rd_kafka_message_destroy(msg);
    if (reassign) {
      RetryWaiting();
      Assign();
    }
    {
      std::lock_guard<std::timed_mutex> lock(mutex_);
      Publish();
    }
  }
  // Leaving the group revokes every partition (Revoked: local snapshots).
  rd_kafka_consumer_close(consumer_.get());
  Log(LogLevel::Info, "kafka: left group " + config_.kafka.group);
}

int64_t Source::NextOffset(const Unit& unit) {
  if (unit.first) {
    auto it = owners_.find(unit.second);
    return it == owners_.end() ? -1 : it->second->NextOffset();
  }
  auto it = tasks_.find(unit.second);
  return it == tasks_.end() ? -1 : it->second->NextOffset();
}

bool Source::OffsetLost(const Unit& unit) {
  const int32_t partition = unit.second;
  int64_t next = -1;
  {
    std::lock_guard<std::timed_mutex> lock(mutex_);
    next = NextOffset(unit);
  }
  int64_t low = 0, high = 0;
  const rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(consumer_.get(), TopicOf(unit).c_str(), partition, &low, &high, 5000);
  // An empty partition, or one a leader change made briefly unsure, may be
  // reported out of range while the offset is in the log: fetch again.
  if (next >= 0 && err == RD_KAFKA_RESP_ERR_NO_ERROR && next >= low && next <= high) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));   // not a busy loop while it settles
    return true;
  }
  Log(LogLevel::Error, "kafka: " + Label(TopicOf(unit), partition) + ": offset " + std::to_string(next) +
                           " is no longer in the topic (it starts at " + std::to_string(low) +
                           ", retention): the partition stops here rather than skip events (docs/scale-out.md, runbook)");
  return false;
}

bool Source::HasCompetition(const std::string& name) const {
  for (const auto& c : package_->program->competitions)
    if (c.name == name) return true;
  return false;
}

bool Source::UserState(const std::string& user, std::string* out, bool* busy) {
  *busy = false;
  std::unique_lock<std::timed_mutex> lock(mutex_, std::chrono::seconds(2));
  if (!lock.owns_lock()) {
    *busy = true;
    return false;
  }
  for (auto& [partition, task] : tasks_)
    if (task->UserState(user, out)) return true;
  return false;
}

void Source::Publish() {
  std::vector<PartitionStatus> status;
  PartitionCounters total = gone_;
  for (auto& [partition, task] : tasks_) {
    status.push_back({partition, task->NextOffset(), task->Held(), task->Counters()});
    Add(total, task->Counters());
  }
  std::vector<OwnerStatus> owners;
  OwnerCounters owner_total = owners_gone_;
  for (auto& [partition, owner] : owners_) {
    owners.push_back({partition, owner->NextOffset(), owner->PendingWindows(), owner->Counters()});
    Add(owner_total, owner->Counters());
  }
  std::lock_guard<std::mutex> lock(status_mutex_);
  status_ = std::move(status);
  owner_status_ = std::move(owners);
  owner_total_ = owner_total;
  status_waiting_.assign(waiting_.begin(), waiting_.end());
  status_total_ = total;
}

std::string Source::StatusJson() {
  std::lock_guard<std::mutex> lock(status_mutex_);
  std::string out = "{\"group\":\"" + config_.kafka.group + "\",\"topic\":\"" + config_.kafka.topic +
                    "\",\"partitions\":[";
  bool first = true;
  for (const PartitionStatus& p : status_) {
    const PartitionCounters& c = p.counters;
    out += first ? "" : ",";
    first = false;
    out += "{\"partition\":" + std::to_string(p.partition) + ",\"next_offset\":" + std::to_string(p.next_offset) +
           ",\"events\":" + std::to_string(c.events) + ",\"replayed\":" + std::to_string(c.replayed) +
           ",\"actions\":" + std::to_string(c.actions) + ",\"transactions\":" + std::to_string(c.transactions) +
           ",\"checkpoints\":" + std::to_string(c.checkpoints) + ",\"results\":" + std::to_string(c.results) +
           ",\"claims\":" + std::to_string(c.claims) + ",\"held\":" + std::to_string(p.held) + "}";
  }
  out += "],\"owners\":[";
  first = true;
  for (const OwnerStatus& o : owner_status_) {
    out += first ? "" : ",";
    first = false;
    out += "{\"partition\":" + std::to_string(o.partition) + ",\"next_offset\":" + std::to_string(o.next_offset) +
           ",\"pending_windows\":" + std::to_string(o.pending) + ",\"records\":" + std::to_string(o.counters.records) +
           ",\"results\":" + std::to_string(o.counters.results) +
           ",\"answers\":" + std::to_string(o.counters.answers) + "}";
  }
  out += "],\"waiting\":[";
  first = true;
  for (const Unit& unit : status_waiting_) {
    out += first ? "\"" : ",\"";
    out += Label(TopicOf(unit), unit.second) + "\"";
    first = false;
  }
  return out + "]}\n";
}

void Source::AppendMetrics(std::string& out) {
  std::lock_guard<std::mutex> lock(status_mutex_);
  const PartitionCounters& total = status_total_;
  auto counter = [&](const char* name, const char* help, uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(value) + "\n";
  };
  counter("questd_kafka_events_total", "Events from Kafka processed in committed or aborted transactions.", total.events);
  counter("questd_kafka_rejected_total", "Kafka messages' lines rejected (malformed or unknown events).", total.rejected);
  counter("questd_kafka_duplicates_total", "Events from Kafka dropped as duplicates.", total.duplicates);
  counter("questd_kafka_actions_total", "Actions produced to the actions topic.", total.actions);
  counter("questd_kafka_transactions_total", "Transactions committed.", total.transactions);
  counter("questd_kafka_aborted_total", "Transactions aborted.", total.aborted);
  counter("questd_kafka_checkpoints_total", "Changelog checkpoints written.", total.checkpoints);
  counter("questd_kafka_replayed_total", "Events replayed to restore a partition.", total.replayed);
  counter("questd_kafka_results_applied_total", "Competition results applied to players.", total.results);
  counter("questd_kafka_standings_records_total", "Repartition records taken by the competition owners.",
          owner_total_.records);
  counter("questd_kafka_standings_rejected_total", "Repartition records rejected (malformed).", owner_total_.rejected);
  counter("questd_kafka_standings_results_total", "Competition results produced by the owners.", owner_total_.results);
  counter("questd_kafka_stock_claims_total", "Stock claims sent to the stock owners (purchases and plays that waited).",
          total.claims);
  counter("questd_kafka_stock_answers_total", "Stock claims answered by the owners.", owner_total_.answers);
  counter("questd_kafka_rebalances_total", "Partition assignments and revocations.", rebalances_);
  counter("questd_kafka_restarts_total", "Partitions restored after an aborted or fenced transaction.", restarts_);
  out += "# HELP questd_kafka_partition_next_offset The next input offset of each partition this instance owns.\n"
         "# TYPE questd_kafka_partition_next_offset gauge\n";
  for (const PartitionStatus& p : status_)
    out += "questd_kafka_partition_next_offset{partition=\"" + std::to_string(p.partition) + "\"} " +
           std::to_string(p.next_offset) + "\n";
  out += "# HELP questd_kafka_partition_held_lines Lines a partition holds at a competition window's end, "
         "waiting for the window's results.\n# TYPE questd_kafka_partition_held_lines gauge\n";
  for (const PartitionStatus& p : status_)
    out += "questd_kafka_partition_held_lines{partition=\"" + std::to_string(p.partition) + "\"} " +
           std::to_string(p.held) + "\n";
  out += "# HELP questd_kafka_partitions_owned Partitions this instance owns and runs.\n"
         "# TYPE questd_kafka_partitions_owned gauge\nquestd_kafka_partitions_owned " +
         std::to_string(status_.size()) + "\n";
  out += "# HELP questd_kafka_owned_competition_partitions Repartition partitions this instance owns.\n"
         "# TYPE questd_kafka_owned_competition_partitions gauge\nquestd_kafka_owned_competition_partitions " +
         std::to_string(owner_status_.size()) + "\n";
}

}  // namespace questline::daemon::kafka
