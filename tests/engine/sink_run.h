// An engine of its own (strings, reader, an NDJSON sink) fed lines of a
// feed, for tests that compare whole runs: snapshots, reloads.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/engine/scenario.h"

namespace questline::testing {

struct SinkRun {
  // `partitions`: players split over that many, on threads (world.h).
  SinkRun(const ir::Program& program, const core::Backend& backend, size_t partitions = 1)
      : engine(program, backend, strings, Options(partitions)),
        reader(std::make_unique<io::EventReader>(program.schema, strings)),
        sink(out) {
    engine.SetSink(&sink);
  }
  void Feed(const std::vector<std::string>& lines, size_t from, size_t to) {
    std::string text;
    for (size_t i = from; i < to; ++i) text += lines[i] + "\n";
    std::istringstream in(text);
    io::ReplayHooks hooks;
    REQUIRE(io::Replay(in, *reader, engine, hooks));
  }
  void Reload(const ir::Program& program, const core::Backend& backend) {
    std::string error;
    REQUIRE(engine.Reload(program, backend, &error));
    reader = std::make_unique<io::EventReader>(program.schema, strings);
  }
  std::string Output() {
    engine.AdvanceTo(1'800'000'000'000);   // 2027-01-15: every timer up to then
    REQUIRE(sink.Flush());
    return out.str() + engine.StateJson();
  }
  static engine::EngineOptions Options(size_t partitions) {
    engine::EngineOptions options;
    options.partitions = partitions;
    return options;
  }
  engine::StringPool strings;
  engine::Engine engine;
  std::unique_ptr<io::EventReader> reader;
  std::ostringstream out;
  io::NdjsonActionSink sink;
};

}  // namespace questline::testing
