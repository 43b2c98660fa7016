// NDJSON ingestion alone (issue 15 §3): EventReader::ParseLine over an event
// file held in memory, one Event reused, on the calling thread — the parse-only
// events/s of one core. Each pass gets a fresh string pool, as a `quest run`
// does; the best pass is the figure (the sandbox is shared).
// Usage: ingest_bench EVENTS_FILE [PACKAGE_DIR] [PASSES]
// (engine_bench with QUESTLINE_BENCH_EVENTS=FILE writes the casino events.)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/json_line.h"

using namespace questline;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ingest_bench EVENTS_FILE [PACKAGE_DIR] [PASSES]\n");
    return 2;
  }
  const std::string dir = argc > 2 ? argv[2] : "examples/casino";
  const int passes = argc > 3 ? std::atoi(argv[3]) : 3;
  int exit_code = 0;
  const std::optional<ir::Program> lowered = driver::CompileToIr({dir}, "ingest_bench", std::cerr, &exit_code);
  if (!lowered) return exit_code;
  const ir::Program& program = *lowered;

  std::ifstream file(argv[1], std::ios::binary | std::ios::ate);
  std::string text(size_t(file.tellg()), '\0');
  file.seekg(0);
  file.read(text.data(), std::streamsize(text.size()));
  std::vector<std::string_view> lines;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    lines.push_back(std::string_view(text).substr(at, end - at));
    at = end + 1;
  }

  double best = 0;
  for (int pass = 0; pass < passes; ++pass) {
    engine::StringPool strings;
    io::EventReader reader(program.schema, strings);
    core::Event event;
    std::string reason;
    size_t rejected = 0;
    const auto start = Clock::now();
    for (size_t i = 0; i < lines.size(); ++i)
      if (!reader.ParseLine(lines[i], i + 1, &event, &reason)) ++rejected;
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    const double rate = double(lines.size()) / s;
    best = std::max(best, rate);
    std::printf("pass %d: %zu lines (%zu rejected, %.0f MB) in %.2f s: %.0f events/s, %.0f MB/s; %zu strings interned\n",
                pass + 1, lines.size(), rejected, double(text.size()) / 1e6, s, rate, double(text.size()) / 1e6 / s,
                strings.Size());
  }
  std::printf("best      %.0f events/s\n", best);

  // Where the time goes: the JSON alone (checked and split into fields, no
  // schema, no interning).
  io::JsonLine json;
  std::string reason;
  const auto start = Clock::now();
  for (std::string_view line : lines) json.Parse(line, &reason);
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("JSON only %.0f events/s (%.0f ns/event; the rest of ParseLine is typing and interning)\n",
              double(lines.size()) / s, s * 1e9 / double(lines.size()));
  return 0;
}
