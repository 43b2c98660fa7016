#include "runtime/daemon/engine_host.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <unistd.h>

#include "runtime/daemon/log.h"
#include "runtime/daemon/package_store.h"
#include "runtime/io/csv_import.h"

namespace questline::daemon {
namespace {

engine::EngineOptions OptionsFor(const Config& config) {
  engine::EngineOptions options;
  options.dedupe_window_ms = config.dedup_window_ms;
  options.partitions = size_t(config.partitions);   // the engine's own threads (docs/engine.md, "Partitions")
  return options;
}

io::ReaderLimits ReaderLimitsFor(const Config& config) {
  io::ReaderLimits limits;
  limits.max_line_bytes = size_t(config.limits.max_event_bytes);
  return limits;
}

void Counter(std::string& out, const char* name, const char* help, uint64_t value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
         std::to_string(value) + "\n";
}

}  // namespace

int64_t WallClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

EngineHost::EngineHost(PackagePtr configured, PackageLoader& loader, const Config& config)
    : configured_(configured), loader_(loader), package_(std::move(configured)), config_(config),
      tee_(missions_), snapshots_(config.data_dir, config.fsync != "none") {
  Build();
}

void EngineHost::Build() {
  reader_.reset();
  engine_.reset();
  strings_ = std::make_unique<engine::StringPool>();
  engine_ = std::make_unique<engine::Engine>(*package_->program, *package_->backend, *strings_, OptionsFor(config_));
  if (config_.partitions > 1)
    Log(LogLevel::Info, "the players split over " + std::to_string(config_.partitions) +
                            " partitions, each on a thread of its own (docs/engine.md, \"Partitions\")");
  NewReader();
  engine_->SetSink(&tee_);
}

void EngineHost::NewReader() {
  reader_ = std::make_unique<io::EventReader>(package_->program->schema, *strings_, ReaderLimitsFor(config_));
}

uint64_t EngineHost::RestoreSnapshot() {
  for (uint64_t seq : ListSnapshots(config_.data_dir)) {
    std::string bytes, why;
    const std::string path = SnapshotPath(config_.data_dir, seq);
    if (!ReadWholeFile(path, &bytes)) {
      Log(LogLevel::Warn, "snapshot " + path + " cannot be read; trying the one before");
      continue;
    }
    // The daemon's counters at the snapshot's record (durable_counters.h).
    if (!TakeCountersTrailer(&bytes, &counters_, &missions_)) {
      Log(LogLevel::Warn, "snapshot " + path + " has a damaged counters trailer; trying the one before; renamed " +
                              path + ".bad");
      ::rename(path.c_str(), (path + ".bad").c_str());
      continue;
    }
    // Restore needs an engine of the program the snapshot was taken with.
    uint64_t hash = 0;
    if (engine::Engine::SnapshotProgramHash(bytes, &hash) && hash != package_->hash) {
      PackagePtr package = FindPackage(hash, &why);
      if (!package) {
        Log(LogLevel::Warn, "snapshot " + path + " was taken with package " + HashHex(hash) + ", which cannot be loaded (" +
                                why + "); trying the one before");
        continue;
      }
      package_ = std::move(package);
      Build();
    }
    if (engine_->Restore(bytes, &why)) {
      Log(LogLevel::Info, "restored " + path + " (package " + HashHex(package_->hash) + ")");
      return seq;
    }
    // Set aside (not deleted: it may tell what went wrong), so that it is
    // not counted among the two snapshots kept.
    Log(LogLevel::Warn, "snapshot " + path + " refused (" + why + "); trying the one before; renamed " + path + ".bad");
    ::rename(path.c_str(), (path + ".bad").c_str());
    Build();
  }
  // The journal from its start: its first Reload record names the program.
  counters_ = IngestCounters{};
  missions_ = MissionStats{};
  if (package_ != configured_) {
    package_ = configured_;
    Build();
  }
  return 0;
}

bool EngineHost::Recover(std::string* error) {
  const bool sync = config_.fsync != "none";
  if (!journal_.Open(config_.data_dir, sync, error)) return false;
  // Every package that runs is stored, so every snapshot's can be found.
  if (!StorePackage(config_.data_dir, *configured_, sync, error)) return false;
  const uint64_t after = RestoreSnapshot();
  pristine_ = after == 0;
  replaying_ = true;
  uint64_t replayed = 0;
  const bool ok = journal_.Replay(after, [&](const JournalRecord& record) {
    if (!replay_error_.empty()) return;   // the engine cannot go on past a record it could not apply
    Apply(record);
    ++replayed;
    // Counted towards the next snapshot as when first applied.
    // (imports and clock advances count themselves).
    if (record.kind == RecordKind::Events) inputs_since_snapshot_ += record.lines.size();
  }, error);
  replaying_ = false;
  if (!ok) return false;
  if (!replay_error_.empty()) {
    *error = replay_error_;
    return false;
  }
  if (replayed) Log(LogLevel::Info, "replayed " + std::to_string(replayed) + " journal records");
  if (!FlushSinks(error)) {
    *error = "the actions replayed could not be written to the file sink: " + *error;
    return false;
  }
  if (journal_.LastSeq() == 0) {
    // A fresh data_dir: its journal begins with the package it starts with,
    // so that a restart with other rules replays it with this one.
    JournalRecord record;
    record.kind = RecordKind::Reload;
    record.package = package_->hash;
    if (!Journaled(std::move(record), error)) return false;
  } else if (package_->hash != configured_->hash) {
    // The rules were changed while questd was stopped: a restart is a reload.
    const ReloadResult result = Reload(configured_);
    if (result.status == ReloadResult::Status::Reloaded)
      Log(LogLevel::Info, "the configured rules differ from the package recovered (" + HashHex(result.previous) +
                              "): reloaded to " + HashHex(result.package));
    else
      Log(LogLevel::Error, "the configured rules differ from the package recovered, and the reload to them failed (" +
                               result.error + "); still running " + HashHex(package_->hash));
  }
  MaybeSnapshot();
  return true;
}

bool EngineHost::Journaled(JournalRecord record, std::string* error) {
  pristine_ = false;
  if (replaying_) return true;
  Commit();   // the batches staged before this input come first, in the journal and the engine
  if (!journal_.Append(record, error)) {
    Log(LogLevel::Error, *error + "; the input is refused");
    return false;
  }
  return true;
}

void EngineHost::Apply(const JournalRecord& record) {
  if (record.kind != RecordKind::Reload) pristine_ = false;
  switch (record.kind) {
    case RecordKind::Events: {
      IngestResult result;
      ProcessLines(record.lines, &result);
      CountEvents(result, record.lines.size(), record.rejected);
      break;
    }
    case RecordKind::ImportSegment: ImportSegment(record.name, record.body); break;
    case RecordKind::ImportBalances: ImportBalances(record.body); break;
    case RecordKind::Advance: AdvanceClock(record.ms); break;
    case RecordKind::Reload: ApplyReload(record.package); break;
  }
}

bool EngineHost::OpenSinks(std::string* error) {
  // One file sink (the first; docs/daemon.md) and every webhook. Each
  // webhook starts sending at once: what the replay re-emits goes out
  // while the rest of the journal is read.
  for (const SinkConfig& sink : config_.sinks) {
    if (sink.type == "file" && !file_open_) {
      if (!file_.Open(sink.path, config_.fsync != "none", error)) return false;
      file_open_ = true;
      tee_.Add(&file_);
    } else if (sink.type == "webhook") {
      webhooks_.push_back(std::make_unique<WebhookSink>(sink, config_.data_dir));
      if (!webhooks_.back()->Open(error)) return false;
      tee_.Add(webhooks_.back().get());
    }
  }
  return true;
}

bool EngineHost::WebhooksHaveRoom(bool wait, std::string* why) {
  for (auto& webhook : webhooks_)
    if (!webhook->WaitForRoom(wait)) {
      webhook->CountRefusal();
      *why = "sink backlog: webhook '" + webhook->Name() +
             "' has queue_max actions not yet acknowledged by its receiver; nothing applied, retry later";
      return false;
    }
  return true;
}

bool EngineHost::SinksReady(bool wait, std::string* why) {
  if (!WebhooksHaveRoom(wait, why)) return false;
  if (!file_open_ || !file_.Behind() || FlushSinks(why)) return true;
  *why += "; the actions of an earlier input are not yet in the action file: nothing applied, retry later";
  return false;
}

bool EngineHost::FlushSinks(std::string* error) {
  engine_->Flush();   // partitions on threads: the batch's actions reach the sinks now
  // A webhook needs no flush: its actions are safe in the journal until
  // their receiver acknowledges them.
  if (!file_open_ || file_.Flush(error)) return true;
  ++sink_failures_;
  Log(LogLevel::Error, "the actions could not be written to the file sink: " + *error);
  return false;
}

void EngineHost::AdvanceClock(int64_t now_ms) {
  if (!replaying_) Commit();   // the clock is judged after the batches staged before it
  if (now_ms <= engine_->Clock()) return;
  std::string backlog;
  if (!replaying_ && !SinksReady(false, &backlog)) return;   // time waits for the next tick
  JournalRecord record;
  record.kind = RecordKind::Advance;
  record.ms = now_ms;
  std::string error;
  if (!Journaled(std::move(record), &error)) return;   // not durable: time waits for the next tick
  engine_->AdvanceTo(now_ms);
  FlushSinks(&error);
  ++inputs_since_snapshot_;
  MaybeSnapshot();
}

bool EngineHost::UserState(const std::string& user, std::string* out) const {
  return engine_->UserStateJson(user, out);
}

bool EngineHost::HasCompetition(const std::string& name) const {
  return std::any_of(package_->program->competitions.begin(), package_->program->competitions.end(),
                     [&](const ir::Competition& c) { return c.name == name; });
}

std::string EngineHost::Leaderboard(const std::string& name, size_t top) const {
  std::string out;
  engine_->LeaderboardJson(name, top, &out);   // HasCompetition was asked first
  return out;
}

bool EngineHost::HasMission(const std::string& name) const {
  return std::any_of(package_->program->missions.begin(), package_->program->missions.end(),
                     [&](const ir::Mission& m) { return m.name == name; });
}

std::string EngineHost::MissionStatsJson(const std::string& name) const {
  std::vector<std::string> tasks;
  for (const ir::Mission& m : package_->program->missions)
    if (m.name == name)
      for (const ir::Task& t : m.tasks) tasks.push_back(t.name);
  return missions_.Json(name, tasks);
}

ImportResult EngineHost::ImportSegment(const std::string& segment, const std::string& csv) {
  ImportResult result;
  const int32_t index = engine_->SegmentIndex(segment);
  if (index < 0) {
    result.status = ImportResult::Status::UnknownName;
    result.error = "the package has no segment '" + segment + "'";
    return result;
  }
  std::istringstream in(csv);
  std::vector<std::string> users;
  io::ReadSegmentCsv(in, &users, &result.rejected);
  if (!result.rejected.empty()) {
    result.status = ImportResult::Status::BadRows;
    return result;
  }
  if (!replaying_ && !SinksReady(true, &result.error)) {
    result.status = ImportResult::Status::Unavailable;
    return result;
  }
  JournalRecord record;
  record.kind = RecordKind::ImportSegment;
  record.name = segment;
  record.body = csv;
  if (!Journaled(std::move(record), &result.error)) {
    result.status = ImportResult::Status::Unavailable;
    return result;
  }
  ++inputs_since_snapshot_;
  if (!engine_->ImportSegment(index, users, &result.error)) {
    result.status = ImportResult::Status::Refused;
    return result;
  }
  result.applied = users.size();
  ++counters_.imports;
  FlushSinks(&result.sink_error);
  MaybeSnapshot();
  return result;
}

ImportResult EngineHost::ImportBalances(const std::string& csv) {
  ImportResult result;
  std::istringstream in(csv);
  std::vector<io::BalanceRow> rows;
  io::ReadBalancesCsv(in, &rows, &result.rejected);
  // Currencies are the package's: all checked before any row applies.
  for (const io::BalanceRow& row : rows)
    if (engine_->CurrencyIndex(row.currency) < 0)
      result.rejected.push_back({row.line, "unknown currency '" + row.currency + "'"});
  SortByLine(&result.rejected);
  if (!result.rejected.empty()) {
    result.status = ImportResult::Status::BadRows;
    return result;
  }
  if (!replaying_ && !SinksReady(true, &result.error)) {
    result.status = ImportResult::Status::Unavailable;
    return result;
  }
  JournalRecord record;
  record.kind = RecordKind::ImportBalances;
  record.body = csv;
  if (!Journaled(std::move(record), &result.error)) {
    result.status = ImportResult::Status::Unavailable;
    return result;
  }
  ++inputs_since_snapshot_;
  for (const io::BalanceRow& row : rows) {
    std::string error;
    if (engine_->ImportBalance(row.user, engine_->CurrencyIndex(row.currency), row.op, row.amount, &error)) {
      ++result.applied;
      ++counters_.imports;
    } else {
      result.rejected.push_back({row.line, error});
    }
  }
  if (!result.rejected.empty()) result.status = ImportResult::Status::BadRows;
  FlushSinks(&result.sink_error);
  MaybeSnapshot();
  return result;
}

void EngineHost::AppendMetrics(std::string& out) const {
  const engine::EngineStats& s = engine_->Stats();
  Counter(out, "questd_events_received_total", "Event lines received over HTTP and TCP.", counters_.received);
  Counter(out, "questd_events_accepted_total", "Events processed by the engine.", counters_.accepted);
  Counter(out, "questd_events_rejected_total", "Event lines rejected (bad JSON, unknown type, wrong field, too long).",
          counters_.rejected);
  Counter(out, "questd_events_duplicate_total", "Events skipped as duplicates of an id seen within dedup_window.",
          counters_.duplicates);
  Counter(out, "questd_events_late_total", "Events older than the engine clock, processed at the clock.", s.late);
  Counter(out, "questd_timers_fired_total", "Engine timers fired.", s.timers);
  Counter(out, "questd_imports_total", "Segment lists and balance rows imported.", counters_.imports);
  Counter(out, "questd_sink_failures_total", "Batches whose actions could not be written to the sink.",
          sink_failures_);
  out += "# HELP questd_reloads_total Reloads (POST /v1/reload, SIGHUP, a restart with other rules), by outcome.\n"
         "# TYPE questd_reloads_total counter\n";
  for (const auto& [result, n] : {std::pair{"ok", reloads_ok_}, {"refused", reloads_refused_}, {"failed", reloads_failed_}})
    out += std::string("questd_reloads_total{result=\"") + result + "\"} " + std::to_string(n) + "\n";
  out += "# HELP questd_package_info The package running: its hash (Engine::ProgramHash), as in data_dir/packages/.\n"
         "# TYPE questd_package_info gauge\nquestd_package_info{package=\"" + HashHex(package_->hash) + "\"} 1\n";
  out += "# HELP questd_actions_total Actions emitted, by kind.\n# TYPE questd_actions_total counter\n";
  for (const auto& [kind, n] : s.actions)
    out += "questd_actions_total{kind=\"" + kind + "\"} " + std::to_string(n) + "\n";
  out += "# HELP questd_rule_fires_total Rule bodies run, by rule.\n# TYPE questd_rule_fires_total counter\n";
  for (size_t r = 0; r < s.rule_fires.size() && r < package_->program->rules.size(); ++r)
    out += "questd_rule_fires_total{rule=\"" + package_->program->rules[r].name + "\"} " + std::to_string(s.rule_fires[r]) + "\n";
  AppendWebhookMetrics(out);
  out += "# HELP questd_engine_clock_seconds The engine's clock (event time), in Unix seconds.\n"
         "# TYPE questd_engine_clock_seconds gauge\nquestd_engine_clock_seconds " +
         std::to_string(engine_->Clock() == INT64_MIN ? 0 : engine_->Clock() / 1000) + "\n";
}

void EngineHost::AppendWebhookMetrics(std::string& out) const {
  if (webhooks_.empty()) return;
  std::vector<WebhookSink::Counters> counters;
  for (const auto& webhook : webhooks_) counters.push_back(webhook->Read());
  auto family = [&](const char* name, const char* type, const char* help, uint64_t WebhookSink::Counters::*field) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    for (size_t i = 0; i < webhooks_.size(); ++i)
      out += std::string(name) + "{sink=\"" + webhooks_[i]->Name() + "\"} " + std::to_string(counters[i].*field) + "\n";
  };
  using C = WebhookSink::Counters;
  family("questd_webhook_requests_total", "counter", "Webhook POSTs sent (each attempt).", &C::requests);
  family("questd_webhook_acked_actions_total", "counter", "Actions acknowledged by the receiver (2xx).", &C::acked);
  family("questd_webhook_retries_total", "counter", "Failed webhook attempts retried after a backoff.", &C::retries);
  family("questd_webhook_dead_lettered_actions_total", "counter", "Actions written to the dead-letter file.",
         &C::dead_lettered);
  family("questd_webhook_backlog_refusals_total", "counter",
         "Inputs refused (503) because the webhook queue stayed full for backlog_wait.", &C::refusals);
  family("questd_webhook_queue_depth", "gauge", "Actions queued and not yet acknowledged or dead-lettered.",
         &C::depth);
  family("questd_webhook_acked_seq", "gauge", "The seq of the last action acknowledged or dead-lettered.",
         &C::acked_seq);
}

}  // namespace questline::daemon
