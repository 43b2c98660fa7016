// The one replay loop — NDJSON events in, through the engine, actions out —
// shared by `quest run`, `quest test`, the tests and the benchmarks, so that
// what the tests check is what the tools do.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/engine/action.h"
#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"

namespace questline::io {

struct ReplayHooks {
  // A line the reader refused (the replay goes on with the next one).
  std::function<void(const Rejection&)> rejected;
  // Asked before each line: false stops the replay (a writer that failed).
  std::function<bool()> keep_going;
};

struct ReplayOptions {
  // Reading and parsing on a second thread, a few batches of events ahead,
  // while the calling thread interns their strings and runs the engine: the
  // same events, rejections, string ids and actions, in the same order. Auto:
  // when the machine has more than one core; QUESTLINE_READER_THREAD=0 or 1
  // in the environment decides instead.
  enum class ReaderThread { Auto, Off, On };
  ReaderThread reader_thread = ReaderThread::Auto;
  // A partition's log replayed offline (`quest run --owned-elsewhere`): its
  // owners' lines — competition and raffle results, stock answers — go
  // through the gate (result_gate.h) in order with the events; a bad one is
  // a rejection. Read on the calling thread.
  bool owned_elsewhere = false;
};

// Every line of `in`, in order, into `engine` (Events reused); blank lines
// are skipped. Actions go wherever the engine's sink sends them. Returns false
// when `keep_going` stopped it. The hooks run on the calling thread; with a
// reader thread, `keep_going` is asked before each event and each rejection
// (not before blank lines), and the reader's Stats() are complete on return.
bool Replay(std::istream& in, EventReader& reader, engine::Engine& engine, const ReplayHooks& hooks = {},
            const ReplayOptions& options = {});

// The same, for events parsed beforehand: the bench times JSON parsing apart
// from the engine, so it parses once and replays the parsed events on each
// backend. `keep_going` is asked as by Replay (nothing is rejected here).
bool ReplayEvents(const std::vector<core::Event>& events, engine::Engine& engine, const ReplayHooks& hooks = {});

// Actions as NDJSON on a stream, written in pieces of about 64 KiB: memory
// stays bounded however many actions one event or timer produces.
class NdjsonActionSink final : public engine::ActionSink {
 public:
  explicit NdjsonActionSink(std::ostream& out) : out_(out) {}
  ~NdjsonActionSink() override { Flush(); }
  void Write(engine::Action&& action) override;
  // Writes what is buffered; false once the stream has failed (a full disk).
  bool Flush();

 private:
  std::ostream& out_;
  std::string buffer_;
};

// Actions kept as NDJSON lines without their newline (tests, differential runs).
class LineActionSink final : public engine::ActionSink {
 public:
  void Write(engine::Action&& action) override;
  std::vector<std::string> lines;
};

}  // namespace questline::io
