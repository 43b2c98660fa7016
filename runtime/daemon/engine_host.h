// Everything the engine's thread owns: the one Engine, its string pool, the
// event reader and the sinks. Every method runs on that thread only (the
// EngineWorker's), in the order requests arrived, so the daemon's results
// are those of an offline `quest run` of the same inputs in the same order.
// No Asio and no HTTP here: answers are plain data for the caller to encode.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/ir/program.h"
#include "runtime/daemon/batch.h"
#include "runtime/daemon/config.h"
#include "runtime/daemon/durable_counters.h"
#include "runtime/daemon/file_sink.h"
#include "runtime/daemon/journal.h"
#include "runtime/daemon/mission_stats.h"
#include "runtime/daemon/package.h"
#include "runtime/daemon/snapshot_writer.h"
#include "runtime/daemon/webhook_sink.h"
#include "runtime/engine/engine.h"
#include "runtime/io/csv_import.h"
#include "runtime/io/event_reader.h"

namespace questline::daemon {

struct IngestResult {
  uint64_t accepted = 0, duplicates = 0;
  std::vector<io::Rejection> rejected;   // in line order
  // Each set is a 503 (docs/durability.md, Faults):
  std::string refused;         // not taken (a webhook's queue stayed full, the file sink cannot write): nothing applied
  std::string journal_error;   // the batch could not be journaled: nothing of it applied
  std::string sink_error;      // journaled and applied, its actions not yet durable in the file sink
};

struct ImportResult {
  enum class Status { Applied, BadRows, UnknownName, Refused, Unavailable } status = Status::Applied;
  uint64_t applied = 0;
  std::vector<io::Rejection> rejected;   // bad rows, by line
  std::string error;                     // UnknownName, Refused, Unavailable (not journaled)
  std::string sink_error;                // Applied, but its actions are not yet durable in the file sink (503)
};

// A reload's outcome (docs/daemon.md, Reload).
struct ReloadResult {
  enum class Status { Reloaded, Unchanged, Refused, Failed } status = Status::Reloaded;
  uint64_t package = 0, previous = 0;
  std::string error;              // Refused, Failed
  std::string diagnostics_json;   // Refused by the compiler: a JSON array
};

// Now, in Unix milliseconds (clock: wall, limits.max_future).
int64_t WallClockMs();

class EngineHost {
 public:
  // `configured`: the package the configuration names; `loader` reads the
  // stored ones recovery needs.
  EngineHost(PackagePtr configured, PackageLoader& loader, const Config& config);
  EngineHost(const EngineHost&) = delete;
  EngineHost& operator=(const EngineHost&) = delete;

  // Opens the configured sinks; false with `error` when one cannot be.
  bool OpenSinks(std::string* error);
  // At start, before listening, after OpenSinks (docs/durability.md): the
  // newest snapshot Restore accepts (else the one before, else none), then
  // every journal record after it, through the same calls as when it was
  // first applied; actions the file sink already holds are not written again,
  // nor those a webhook's receiver has acknowledged.
  // The snapshot's program is the one it was taken with (data_dir/packages/),
  // a Reload record swaps programs where it was journaled, and a configured
  // package that differs from the one running at the end is reloaded to.
  bool Recover(std::string* error);

  // Between two inputs: the engine goes on with `next` (stored, journaled,
  // then Engine::Reload). Unchanged when `next` is the package running.
  ReloadResult Reload(PackagePtr next);
  // A reload whose package could not be loaded: counted, nothing changes.
  ReloadResult RefuseReload(const LoadFailure& failure);
  uint64_t PackageHash() const { return package_->hash; }

  // Group commit (docs/durability.md). The batch's lines are parsed and
  // judged and its record written to the journal, not yet synced; `done`
  // gets the result once the group the batch joined is durable and applied
  // (Commit), or at once when it is refused before the journal (webhook
  // backlog, a failed write). Its pre-rejected lines are reported with the
  // reader's rejections, by line. With `fsync: always` the batch is
  // committed at once, alone.
  using IngestDone = std::function<void(IngestResult)>;
  void Stage(const Batch& batch, IngestDone done);
  // One fdatasync for every record staged, then each batch applied in
  // journal order, one flush of the file sink, every `done` called. Every
  // other input (import, clock advance, reload) commits first, so the
  // engine applies records in journal order.
  void Commit();
  // `schedule` is called when a batch is staged into an empty group: it
  // should run Commit after the requests already queued, so that they join
  // the group (Serve posts it to the EngineWorker).
  void OnFirstStaged(std::function<void()> schedule) { schedule_commit_ = std::move(schedule); }
  // Stage and Commit at once: a group of one.
  IngestResult Ingest(const Batch& batch);
  // Shutdown: waits for a snapshot being written, then drops what it covers.
  void FinishSnapshots();
  // Wall clock mode: the engine's clock to `now_ms` (timers due fire), never back.
  void AdvanceClock(int64_t now_ms);

  bool UserState(const std::string& user, std::string* out) const;
  bool HasCompetition(const std::string& name) const;
  std::string Leaderboard(const std::string& name, size_t top) const;
  bool HasMission(const std::string& name) const;
  std::string MissionStatsJson(const std::string& name) const;

  // CSV bodies (INTERFACES.md §6). All or nothing: a bad row refuses the
  // whole import, as `quest run --import-…` does, since a half-imported list
  // or wallet would quietly pay the wrong players.
  ImportResult ImportSegment(const std::string& segment, const std::string& csv);
  ImportResult ImportBalances(const std::string& csv);

  // The engine's part of /metrics in the Prometheus text format.
  void AppendMetrics(std::string& out) const;

 private:
  // Counts actions for /v1/missions/…/stats, then hands each to every sink
  // opened (the last one takes it by move).
  class Tee final : public engine::ActionSink {
   public:
    explicit Tee(MissionStats& stats) : stats_(stats) {}
    void Add(engine::ActionSink* sink) { sinks_.push_back(sink); }
    void Write(engine::Action&& action) override {
      stats_.Count(action);
      for (size_t i = 0; i + 1 < sinks_.size(); ++i) sinks_[i]->Write(engine::Action(action));
      if (!sinks_.empty()) sinks_.back()->Write(std::move(action));
    }

   private:
    MissionStats& stats_;
    std::vector<engine::ActionSink*> sinks_;
  };
  // The file sink's Flush; false with `error` (the input is applied all the same).
  bool FlushSinks(std::string* error);
  // Before an input is taken: WebhooksHaveRoom, and a file sink that a
  // failed flush left behind writes it out first (else `why`, a 503).
  bool SinksReady(bool wait, std::string* why);
  // Backpressure: before an input is taken, every webhook's queue has room
  // (waiting up to its backlog_wait when `wait`); false with `why` otherwise.
  bool WebhooksHaveRoom(bool wait, std::string* why);
  void AppendWebhookMetrics(std::string& out) const;
  // A fresh pool, engine and reader (a failed Restore leaves an engine half-built).
  void Build();
  // The event reader for the running package's schema, into the engine's pool.
  void NewReader();
  // The journal's record, then the engine: false with `error` when the
  // record could not be made durable (the input must not be applied).
  bool Journaled(JournalRecord record, std::string* error);
  void Apply(const JournalRecord& record);
  // Replay of a Reload record: its package from data_dir/packages/.
  void ApplyReload(uint64_t hash);
  // The package named `hash`: the configured one, else a stored one.
  PackagePtr FindPackage(uint64_t hash, std::string* error);
  // The snapshots, newest first, restored with their own programs: the seq
  // of the one restored, 0 for none.
  uint64_t RestoreSnapshot();
  // A journaled batch's lines, parsed, interned and processed one by one (replay).
  void ProcessLines(const std::vector<std::string>& lines, IngestResult* result);
  void ProcessOne(const core::Event& event, IngestResult* result);
  // The counters an Events record adds, live and in the replay alike.
  void CountEvents(const IngestResult& result, uint64_t handed, uint64_t rejected);
  void MaybeSnapshot();
  // A background snapshot write that has ended: logged, and when durable the
  // snapshots and journal segments it makes redundant are removed.
  void TakeSnapshotOutcome(const SnapshotWriter::Outcome& outcome);

  const PackagePtr configured_;
  PackageLoader& loader_;
  PackagePtr package_;   // the one the engine runs
  const Config& config_;
  std::unique_ptr<engine::StringPool> strings_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<io::EventReader> reader_;
  Journal journal_;
  bool replaying_ = false;
  // Nothing applied to the engine yet: a Reload record rebuilds it (the
  // journal of a fresh data_dir begins with the package it started with).
  bool pristine_ = true;
  std::string replay_error_;
  uint64_t inputs_since_snapshot_ = 0;
  FileSink file_;
  bool file_open_ = false;
  std::vector<std::unique_ptr<WebhookSink>> webhooks_;
  bool snapshot_postponed_ = false;   // logged once per postponement
  uint64_t snapshot_wait_at_ = 0;      // a postponed snapshot waits for the webhooks again from here
  MissionStats missions_;
  Tee tee_;
  core::Event event_;   // reused: its vectors keep their capacity
  io::PendingStrings pending_;
  // A batch written to the journal and waiting for the group's fdatasync:
  // its events parsed, their strings not yet interned (that happens in
  // journal order, at Commit). Entries are reused across groups, so their
  // vectors keep their capacity.
  struct Staged {
    std::vector<core::Event> events;
    io::PendingStrings pending;
    size_t handed = 0;
    IngestResult result;
    IngestDone done;
  };
  std::vector<Staged> staged_;
  size_t staged_count_ = 0;
  std::function<void()> schedule_commit_;
  SnapshotWriter snapshots_;
  IngestCounters counters_;   // carried by snapshots (durable_counters.h)
  uint64_t sink_failures_ = 0;
  uint64_t reloads_ok_ = 0, reloads_refused_ = 0, reloads_failed_ = 0;
};

}  // namespace questline::daemon
