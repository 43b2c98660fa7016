// EngineHost's snapshots (docs/durability.md, Snapshots): the engine is
// serialised on its own thread — the only pause ingest sees — and the file
// is written by a SnapshotWriter in the background. The journal a snapshot
// makes redundant is dropped only once that snapshot is durable.
#include <chrono>
#include <unistd.h>

#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/log.h"

namespace questline::daemon {
namespace {

std::string Millis(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", seconds * 1000);
  return text;
}

}  // namespace

void EngineHost::MaybeSnapshot() {
  SnapshotWriter::Outcome outcome;
  if (snapshots_.Finished(&outcome)) TakeSnapshotOutcome(outcome);
  if (replaying_ || staged_count_ || inputs_since_snapshot_ < uint64_t(config_.snapshot_every_events)) return;
  // Nor may it cover actions the file sink holds but has not made durable;
  // it is taken at the first input after the sink caught up.
  if (file_open_ && file_.Behind()) return;
  // One write at a time: a snapshot due while the last is still being
  // written waits for it (inputs go on counting; tried at each input).
  if (snapshots_.Busy()) return;
  // A restart from this snapshot would not re-emit the actions before it:
  // every webhook must have them acknowledged first (docs/durability.md).
  // Normally a matter of milliseconds; with a receiver down or far behind,
  // the snapshot is postponed (the journal grows) and tried at each input,
  // waiting again only every tenth of snapshot_every_events inputs so that
  // a slow receiver does not stall every input. Writing the file in the
  // background changes nothing here: the condition is about the actions up
  // to the snapshot's record, all emitted before it is serialised.
  const bool wait = inputs_since_snapshot_ >= snapshot_wait_at_;
  for (auto& webhook : webhooks_)
    if (!webhook->WaitDrained(wait)) {
      if (!snapshot_postponed_)
        Log(LogLevel::Warn, "snapshot postponed: webhook '" + webhook->Name() +
                                "' has actions not yet acknowledged (the journal is kept until it has)");
      snapshot_postponed_ = true;
      if (wait) snapshot_wait_at_ = inputs_since_snapshot_ + std::max<uint64_t>(1, config_.snapshot_every_events / 10);
      return;
    }
  snapshot_wait_at_ = 0;
  snapshot_postponed_ = false;
  inputs_since_snapshot_ = 0;
  const uint64_t seq = journal_.LastSeq();
  if (seq == 0) return;
  // The actions of every record up to `seq` are in the file sink already
  // (flushed, and with fsync group on disk): a restart from this snapshot
  // replays only what follows.
  const auto start = std::chrono::steady_clock::now();
  std::string bytes = engine_->Snapshot();
  AppendCountersTrailer(counters_, missions_, &bytes);
  const double pause = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Log(LogLevel::Info, "snapshot of record " + std::to_string(seq) + ": " + std::to_string(bytes.size()) +
                          " bytes serialised in " + Millis(pause) + " (ingest paused); written in the background");
  // The next record begins a segment of its own, which the drop below keeps.
  std::string error;
  if (!journal_.Rotate(&error)) Log(LogLevel::Error, "journal: " + error);
  snapshots_.Start(seq, std::move(bytes));
}

void EngineHost::TakeSnapshotOutcome(const SnapshotWriter::Outcome& outcome) {
  if (!outcome.ok) {
    Log(LogLevel::Error, "snapshot: " + outcome.error + " (the journal is kept)");
    return;
  }
  Log(LogLevel::Info, "snapshot " + SnapshotPath(config_.data_dir, outcome.seq) + " written in " +
                          Millis(outcome.seconds) + " (in the background)");
  // Two snapshots are kept, so a damaged newest one falls back to the one
  // before; the journal is kept from the older one on. (ListSnapshots also
  // removes temporary files: safe here, no write is in flight.)
  const std::vector<uint64_t> snapshots = ListSnapshots(config_.data_dir);
  for (size_t i = 2; i < snapshots.size(); ++i) ::unlink(SnapshotPath(config_.data_dir, snapshots[i]).c_str());
  if (snapshots.size() >= 2) journal_.DropCoveredBy(snapshots[1]);
}

void EngineHost::FinishSnapshots() {
  SnapshotWriter::Outcome outcome;
  if (snapshots_.Wait(&outcome)) TakeSnapshotOutcome(outcome);
}

}  // namespace questline::daemon
