// EngineHost's event ingest with group commit (docs/durability.md, Group
// commit): the batches of the requests queued together are written to the
// journal one after another, made durable by one fdatasync, then applied in
// journal order and answered. Nothing is answered before its record is
// durable, and the engine applies records in journal order, so the results
// are those of `quest run` of the same inputs in the same order.
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/log.h"

namespace questline::daemon {

IngestResult EngineHost::Ingest(const Batch& batch) {
  IngestResult out;
  Stage(batch, [&out](IngestResult result) { out = std::move(result); });
  Commit();
  return out;
}

void EngineHost::Stage(const Batch& batch, IngestDone done) {
  IngestResult result;
  // Before anything is journaled: once journaled, all of an input's
  // actions must go into the queues, and a file sink that a failed flush
  // left behind writes out what it holds first (docs/durability.md, Faults).
  if (!SinksReady(true, &result.refused)) return done(std::move(result));
  // A new segment begins only with nothing unsynced in the old one.
  if (journal_.NeedsRotate()) Commit();
  if (staged_.size() <= staged_count_) staged_.emplace_back();
  Staged& staged = staged_[staged_count_];
  result.rejected = batch.rejected;
  std::string reason;
  const int64_t max_future = config_.limits.max_future_ms;
  const int64_t latest = max_future ? WallClockMs() + max_future : INT64_MAX;
  // First every line is parsed and judged, without interning (a line
  // refused here must not give its strings ids, or the ids of the events
  // after it would differ from an offline run of those events); the lines
  // that pass are journaled; only at Commit, once durable, are their strings
  // interned and the events processed, one at a time in order, as
  // `quest run` (and the journal's replay, ProcessLines) interleaves them.
  size_t handed = 0;
  staged.pending.Clear();
  JournalRecord record;
  record.kind = RecordKind::Events;
  for (const BatchLine& line : batch.lines) {
    if (staged.events.size() <= handed) staged.events.emplace_back();
    core::Event& event = staged.events[handed];
    if (!reader_->Parse(line.text, line.line, &event, &staged.pending, uint32_t(handed), &reason)) {
      result.rejected.push_back({line.line, reason});   // Parse left nothing in pending
      continue;
    }
    if (event.Ts() > latest) {
      auto& refs = staged.pending.refs;
      while (!refs.empty() && refs.back().event == handed) refs.pop_back();
      result.rejected.push_back({line.line, "ts is more than limits.max_future (" + std::to_string(max_future / 1000) +
                                                " s) ahead of the wall clock"});
      continue;
    }
    ++handed;
    record.lines.emplace_back(line.text);
  }
  SortByLine(&result.rejected);
  if (record.lines.empty() && result.rejected.empty()) return done(std::move(result));
  // Journaled even with every line refused: the record carries the count,
  // so that the counters survive a restart (durable_counters.h).
  record.rejected = result.rejected.size();
  pristine_ = false;
  if (!journal_.Write(record, &result.journal_error)) {
    Log(LogLevel::Error, result.journal_error + "; the input is refused");
    return done(std::move(result));
  }
  staged.handed = handed;
  staged.result = std::move(result);
  staged.done = std::move(done);
  ++staged_count_;
  if (config_.fsync == "always" || !schedule_commit_) return Commit();
  if (staged_count_ == 1) schedule_commit_();
}

void EngineHost::Commit() {
  if (staged_count_ == 0) return;
  const size_t count = staged_count_;
  staged_count_ = 0;   // a `done` may stage again (Ingest's does not; none must see this group)
  std::string error;
  if (!journal_.Sync(&error)) {
    Log(LogLevel::Error, error + "; " + std::to_string(count) + " inputs refused");
    for (size_t s = 0; s < count; ++s) {
      staged_[s].result.journal_error = error;
      staged_[s].done(std::move(staged_[s].result));
      staged_[s].done = nullptr;
    }
    return;
  }
  for (size_t s = 0; s < count; ++s) {
    Staged& staged = staged_[s];
    size_t next = 0;
    for (size_t i = 0; i < staged.handed; ++i) {
      reader_->Intern(staged.pending, &next, uint32_t(i), &staged.events[i]);
      ProcessOne(staged.events[i], &staged.result);
    }
    CountEvents(staged.result, staged.handed, staged.result.rejected.size());
    inputs_since_snapshot_ += staged.handed;
  }
  // One flush (and fdatasync) of the file sink for the whole group. If it
  // fails, every input of the group is applied (journaled) and answered 503:
  // the sink holds the group's actions and writes them before the next
  // input is taken (SinksReady).
  std::string sink_error;
  FlushSinks(&sink_error);
  for (size_t s = 0; s < count; ++s) {
    staged_[s].result.sink_error = sink_error;
    staged_[s].done(std::move(staged_[s].result));
    staged_[s].done = nullptr;
  }
  MaybeSnapshot();
}

void EngineHost::CountEvents(const IngestResult& result, uint64_t handed, uint64_t rejected) {
  counters_.received += handed + rejected;
  counters_.rejected += rejected;
  counters_.accepted += result.accepted;
  counters_.duplicates += result.duplicates;
}

void EngineHost::ProcessOne(const core::Event& event, IngestResult* result) {
  if (engine_->Process(event)) ++result->accepted;
  else ++result->duplicates;
}

void EngineHost::ProcessLines(const std::vector<std::string>& lines, IngestResult* result) {
  std::string reason;
  for (size_t i = 0; i < lines.size(); ++i) {
    pending_.Clear();
    // Judged before it was journaled: it parses.
    if (!reader_->Parse(lines[i], i + 1, &event_, &pending_, 0, &reason)) continue;
    size_t next = 0;
    reader_->Intern(pending_, &next, 0, &event_);
    ProcessOne(event_, result);
  }
}

}  // namespace questline::daemon
