#include "runtime/daemon/engine_host.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "runtime/daemon/log.h"
#include "runtime/io/csv_import.h"

namespace questline::daemon {
namespace {

engine::EngineOptions OptionsFor(const Config& config) {
  engine::EngineOptions options;
  options.dedupe_window_ms = config.dedup_window_ms;
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

bool ByLine(const io::Rejection& a, const io::Rejection& b) { return a.line < b.line; }



}  // namespace

int64_t WallClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

EngineHost::EngineHost(const ir::Program& program, const core::Backend& backend, const Config& config)
    : program_(program),
      config_(config),
      engine_(program, backend, strings_, OptionsFor(config)),
      reader_(program.schema, strings_, ReaderLimitsFor(config)),
      tee_(missions_, file_) {
  engine_.SetSink(&tee_);
}

bool EngineHost::OpenSinks(std::string* error) {
  // Config validation let only file sinks through (docs/daemon.md); the
  // slice writes to the first one.
  for (const SinkConfig& sink : config_.sinks)
    if (sink.type == "file") return file_.Open(sink.path, error);
  return true;
}

bool EngineHost::FlushSinks() {
  if (file_.Flush(config_.fsync != "none")) return true;
  ++sink_failures_;
  Log(LogLevel::Error, "the actions could not be written to the file sink (a full disk?)");
  return false;
}

IngestResult EngineHost::Ingest(const Batch& batch) {
  IngestResult result;
  result.rejected = batch.rejected;
  std::string reason;
  const int64_t max_future = config_.limits.max_future_ms;
  const int64_t latest = max_future ? WallClockMs() + max_future : INT64_MAX;
  for (const BatchLine& line : batch.lines) {
    // Parse, judge, then intern (EventReader::ParseLine in two halves): a
    // line refused here must not give its strings ids, or the ids of the
    // events after it would differ from an offline run of those events.
    pending_.Clear();
    if (!reader_.Parse(line.text, line.line, &event_, &pending_, 0, &reason)) {
      result.rejected.push_back({line.line, reason});
      continue;
    }
    if (event_.Ts() > latest) {
      result.rejected.push_back({line.line, "ts is more than limits.max_future (" + std::to_string(max_future / 1000) +
                                                " s) ahead of the wall clock"});
      continue;
    }
    size_t next = 0;
    reader_.Intern(pending_, &next, 0, &event_);
    const uint64_t duplicates_before = engine_.Stats().duplicates;
    engine_.Process(event_);
    if (engine_.Stats().duplicates != duplicates_before) ++result.duplicates;
    else ++result.accepted;
  }
  std::stable_sort(result.rejected.begin(), result.rejected.end(), ByLine);
  received_ += batch.lines.size() + batch.rejected.size();
  accepted_ += result.accepted;
  duplicates_ += result.duplicates;
  rejected_ += result.rejected.size();
  result.sink_ok = FlushSinks();
  return result;
}

void EngineHost::AdvanceClock(int64_t now_ms) {
  if (now_ms <= engine_.Clock()) return;
  engine_.AdvanceTo(now_ms);
  FlushSinks();
}

bool EngineHost::UserState(const std::string& user, std::string* out) const {
  return engine_.UserStateJson(user, out);
}

bool EngineHost::HasCompetition(const std::string& name) const {
  return std::any_of(program_.competitions.begin(), program_.competitions.end(),
                     [&](const ir::Competition& c) { return c.name == name; });
}

std::string EngineHost::Leaderboard(const std::string& name, size_t top) const {
  std::string out;
  engine_.LeaderboardJson(name, top, &out);   // HasCompetition was asked first
  return out;
}

bool EngineHost::HasMission(const std::string& name) const {
  return std::any_of(program_.missions.begin(), program_.missions.end(),
                     [&](const ir::Mission& m) { return m.name == name; });
}

std::string EngineHost::MissionStatsJson(const std::string& name) const {
  std::vector<std::string> tasks;
  for (const ir::Mission& m : program_.missions)
    if (m.name == name)
      for (const ir::Task& t : m.tasks) tasks.push_back(t.name);
  return missions_.Json(name, tasks);
}

ImportResult EngineHost::ImportSegment(const std::string& segment, const std::string& csv) {
  ImportResult result;
  const int32_t index = engine_.SegmentIndex(segment);
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
  if (!engine_.ImportSegment(index, users, &result.error)) {
    result.status = ImportResult::Status::Refused;
    return result;
  }
  result.applied = users.size();
  ++imports_;
  return result;
}

ImportResult EngineHost::ImportBalances(const std::string& csv) {
  ImportResult result;
  std::istringstream in(csv);
  std::vector<io::BalanceRow> rows;
  io::ReadBalancesCsv(in, &rows, &result.rejected);
  // Currencies are the package's: all checked before any row applies.
  for (const io::BalanceRow& row : rows)
    if (engine_.CurrencyIndex(row.currency) < 0)
      result.rejected.push_back({row.line, "unknown currency '" + row.currency + "'"});
  std::stable_sort(result.rejected.begin(), result.rejected.end(), ByLine);
  if (!result.rejected.empty()) {
    result.status = ImportResult::Status::BadRows;
    return result;
  }
  for (const io::BalanceRow& row : rows) {
    std::string error;
    if (engine_.ImportBalance(row.user, engine_.CurrencyIndex(row.currency), row.op, row.amount, &error)) {
      ++result.applied;
      ++imports_;
    } else {
      result.rejected.push_back({row.line, error});
    }
  }
  if (!result.rejected.empty()) result.status = ImportResult::Status::BadRows;
  return result;
}

void EngineHost::AppendMetrics(std::string& out) const {
  const engine::EngineStats& s = engine_.Stats();
  Counter(out, "questd_events_received_total", "Event lines received over HTTP and TCP.", received_);
  Counter(out, "questd_events_accepted_total", "Events processed by the engine.", accepted_);
  Counter(out, "questd_events_rejected_total", "Event lines rejected (bad JSON, unknown type, wrong field, too long).",
          rejected_);
  Counter(out, "questd_events_duplicate_total", "Events skipped as duplicates of an id seen within dedup_window.",
          duplicates_);
  Counter(out, "questd_events_late_total", "Events older than the engine clock, processed at the clock.", s.late);
  Counter(out, "questd_timers_fired_total", "Engine timers fired.", s.timers);
  Counter(out, "questd_imports_total", "Segment lists and balance rows imported.", imports_);
  Counter(out, "questd_sink_failures_total", "Batches whose actions could not be written to the sink.",
          sink_failures_);
  out += "# HELP questd_actions_total Actions emitted, by kind.\n# TYPE questd_actions_total counter\n";
  for (const auto& [kind, n] : s.actions)
    out += "questd_actions_total{kind=\"" + kind + "\"} " + std::to_string(n) + "\n";
  out += "# HELP questd_rule_fires_total Rule bodies run, by rule.\n# TYPE questd_rule_fires_total counter\n";
  for (size_t r = 0; r < s.rule_fires.size() && r < program_.rules.size(); ++r)
    out += "questd_rule_fires_total{rule=\"" + program_.rules[r].name + "\"} " + std::to_string(s.rule_fires[r]) + "\n";
  out += "# HELP questd_engine_clock_seconds The engine's clock (event time), in Unix seconds.\n"
         "# TYPE questd_engine_clock_seconds gauge\nquestd_engine_clock_seconds " +
         std::to_string(engine_.Clock() == INT64_MIN ? 0 : engine_.Clock() / 1000) + "\n";
}

}  // namespace questline::daemon
