#include "runtime/io/replay.h"

#include <cstdlib>
#include <cstring>
#include <thread>

#include "runtime/io/action_writer.h"
#include "runtime/io/result_gate.h"
#include "runtime/io/replay_threaded.h"

namespace questline::io {
namespace {

bool UseReaderThread(ReplayOptions::ReaderThread choice) {
  if (choice != ReplayOptions::ReaderThread::Auto) return choice == ReplayOptions::ReaderThread::On;
  if (const char* env = std::getenv("QUESTLINE_READER_THREAD")) return std::strcmp(env, "0") != 0;
  return std::thread::hardware_concurrency() > 1;
}

// A partition's log, the owners' lines and all, through the gate
// (result_gate.h). What the engine hands out goes nowhere: the answers are
// in the log.
bool ReplayGated(std::istream& in, EventReader& reader, engine::Engine& engine, const ReplayHooks& hooks) {
  ResultGate gate(engine, reader);
  gate.rejected = [&](int64_t position, const std::string& reason) {
    if (hooks.rejected) hooks.rejected({uint64_t(position), reason});
  };
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    if (hooks.keep_going && !hooks.keep_going()) return false;
    gate.Push(line, int64_t(++line_no));
    gate.Run();
    engine.DrainClosedWindows();
    engine.DrainRaffleEntrants();
    engine.DrainStockClaims();
  }
  if (gate.Waiting() && hooks.rejected)
    hooks.rejected({uint64_t(gate.FirstWaiting()),
                    "waits, with the " + std::to_string(gate.Held()) + " lines after it, for " +
                        (engine.AwaitingStock() ? "the answer of a stock's owner" : "the results of a draw or a window") +
                        " that the log does not hold"});
  return !hooks.keep_going || hooks.keep_going();
}

}  // namespace

bool Replay(std::istream& in, EventReader& reader, engine::Engine& engine, const ReplayHooks& hooks,
            const ReplayOptions& options) {
  if (options.owned_elsewhere) return ReplayGated(in, reader, engine, hooks);
  if (UseReaderThread(options.reader_thread)) return ReplayWithReaderThread(in, reader, engine, hooks);
  std::string line, reason;
  core::Event event;   // reused: its vectors and strings keep their capacity
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (hooks.keep_going && !hooks.keep_going()) return false;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
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
