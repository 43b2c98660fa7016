// questd fed by Kafka (issue 20, docs/scale-out.md): one member of a
// consumer group over the events topic. The group hands this instance some
// of the topic's partitions; each is a PartitionTask with its own engine and
// transactional producer. One thread (Run) polls, splits each poll by
// partition and runs one transaction per partition; rebalances happen inside
// the poll, on the same thread. The HTTP thread reads state under `mutex_`.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>
#include <string>

#include "runtime/daemon/config.h"
#include "runtime/daemon/kafka/client.h"
#include "runtime/daemon/kafka/owner_task.h"
#include "runtime/daemon/kafka/partition_task.h"
#include "runtime/daemon/leaderboard_mirror.h"
#include "runtime/daemon/package.h"

namespace questline::daemon::kafka {

class Source {
 public:
  Source(const Config& config, PackagePtr package);
  ~Source();

  // The mirror (when configured), the consumer, the topics' partition counts
  // checked, the subscription. False with `error`.
  bool Open(std::string* error);
  // Polls and processes until Stop; then gives every partition up (local
  // snapshots) and leaves the group.
  void Run();
  void Stop() { stop_ = true; }

  // For the HTTP thread.
  // False with `*busy` when a transaction held the engines for 2 s.
  bool UserState(const std::string& user, std::string* out, bool* busy);
  bool HasCompetition(const std::string& name) const;
  // {"member","partitions":[{"partition","next_offset","events",…}]}
  std::string StatusJson();
  void AppendMetrics(std::string& out);

 private:
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                          void* opaque);
  void Assigned(const rd_kafka_topic_partition_list_t* partitions);
  void Revoked();
  // What a task owns: a partition of the events (owner false) or of the
  // repartition topic (owner true: a competition owner).
  using Unit = std::pair<bool, int32_t>;
  const std::string& TopicOf(const Unit& unit) const;
  // A task for `unit`, started; false (and it waits for a retry) when it cannot be.
  bool Take(const Unit& unit);
  // The consumer's assignment: every started task at its next offset.
  void Assign();
  void RetryWaiting();
  // The consumer found `partition`'s offset out of range: true when it is
  // in the log after all (fetch again), false (logged) when events are gone.
  bool OffsetLost(const Unit& unit);
  int64_t NextOffset(const Unit& unit);   // -1: no task

  const Config& config_;
  PackagePtr package_;
  std::unique_ptr<LeaderboardMirror> mirror_;
  Handle consumer_;
  std::atomic<bool> stop_{false};
  // tasks_ and their engines. Held by the source's thread while a batch is
  // processed (a transaction may take long with a broker down): the HTTP
  // thread only tries it, for a player's state, for a bounded time.
  std::timed_mutex mutex_;
  std::map<int32_t, std::unique_ptr<PartitionTask>> tasks_;
  std::map<int32_t, std::unique_ptr<OwnerTask>> owners_;
  std::set<Unit> waiting_;      // assigned, not started yet (a broker down, …)
  PartitionCounters gone_;      // the counters of tasks given up, so totals never go back
  OwnerCounters owners_gone_;
  int32_t inputs_ = 0, repartitions_ = 0;   // the partition counts of the events and repartition topics
  // What /metrics and /v1/kafka show, copied after each change under its
  // own short lock, so they never wait for a transaction.
  struct PartitionStatus {
    int32_t partition;
    int64_t next_offset;
    size_t held;
    PartitionCounters counters;
  };
  void Publish();   // from tasks_ (held), into the status below
  std::mutex status_mutex_;
  struct OwnerStatus {
    int32_t partition;
    int64_t next_offset;
    size_t pending;
    OwnerCounters counters;
  };
  std::vector<PartitionStatus> status_;
  std::vector<OwnerStatus> owner_status_;
  std::vector<Unit> status_waiting_;
  PartitionCounters status_total_;
  OwnerCounters owner_total_;
  std::atomic<uint64_t> rebalances_{0}, restarts_{0};
  std::atomic<uint64_t> generation_{0};   // rebalances seen: a batch collected across one is dropped
};

}  // namespace questline::daemon::kafka
