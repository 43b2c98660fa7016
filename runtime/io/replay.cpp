#include "runtime/io/replay.h"

#include <cstdlib>
#include <cstring>
#include <thread>

#include "runtime/io/action_writer.h"
#include "runtime/io/competition_result.h"
#include "runtime/io/replay_threaded.h"

namespace questline::io {
namespace {

bool UseReaderThread(ReplayOptions::ReaderThread choice) {
  if (choice != ReplayOptions::ReaderThread::Auto) return choice == ReplayOptions::ReaderThread::On;
  if (const char* env = std::getenv("QUESTLINE_READER_THREAD")) return std::strcmp(env, "0") != 0;
  return std::thread::hardware_concurrency() > 1;
}

}  // namespace

bool Replay(std::istream& in, EventReader& reader, engine::Engine& engine, const ReplayHooks& hooks,
            const ReplayOptions& options) {
  if (!options.competition_results && UseReaderThread(options.reader_thread)) return ReplayWithReaderThread(in, reader, engine, hooks);
  std::string line, reason;
  core::Event event;   // reused: its vectors and strings keep their capacity
  uint64_t line_no = 0;
  engine::CompetitionResult result;
  while (std::getline(in, line)) {
    ++line_no;
    if (hooks.keep_going && !hooks.keep_going()) return false;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (options.competition_results && IsCompetitionResultLine(line)) {
      engine.Flush();
      if (!ParseCompetitionResultLine(line, &result, &reason) || !engine.ApplyResult(result, &reason))
        if (hooks.rejected) hooks.rejected({line_no, reason});
      continue;
    }
    if (!reader.ParseLine(line, line_no, &event, &reason)) {
      if (hooks.rejected) hooks.rejected({line_no, reason});
      continue;
    }
    engine.Process(event);
  }
  engine.Flush();   // partitions on threads: the last batch's actions
  return !hooks.keep_going || hooks.keep_going();
}

bool ReplayEvents(const std::vector<core::Event>& events, engine::Engine& engine, const ReplayHooks& hooks) {
  for (const core::Event& event : events) {
    if (hooks.keep_going && !hooks.keep_going()) return false;
    engine.Process(event);
  }
  engine.Flush();
  return !hooks.keep_going || hooks.keep_going();
}

void NdjsonActionSink::Write(engine::Action&& action) {
  AppendActionJson(buffer_, action);
  if (buffer_.size() >= 64 * 1024) Flush();
}

bool NdjsonActionSink::Flush() {
  if (!buffer_.empty()) out_.write(buffer_.data(), std::streamsize(buffer_.size()));
  buffer_.clear();
  return bool(out_);
}

void LineActionSink::Write(engine::Action&& action) {
  std::string line;
  AppendActionJson(line, action);
  line.pop_back();   // the newline
  lines.push_back(std::move(line));
}

}  // namespace questline::io
