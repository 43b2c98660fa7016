// Engine throughput on the casino example: N users, M events (default 100,000
// and 2,000,000). JSON parsing and the engine are timed apart; peak memory is
// reported per user. Usage: engine_bench [USERS] [EVENTS] [PACKAGE_DIR]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/lower.h"
#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"

using namespace questline;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int users = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const int count = argc > 2 ? std::atoi(argv[2]) : 2'000'000;
  const std::string dir = argc > 3 ? argv[3] : "examples/casino";

  driver::FrontEnd fe;
  std::string error;
  if (!driver::LoadPackage({dir}, &fe.sources, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  driver::RunFrontEnd(fe);
  if (!fe.ok()) return 1;
  ir::Program program = ir::LowerToIr(fe.package);

  // A month of play: bets dominate, as in production.
  std::mt19937_64 rng(42);
  const char* games[] = {"\"book_of_dead\",\"provider\":\"playngo\",\"game_type\":\"slots\"",
                         "\"lightning\",\"provider\":\"evolution\",\"game_type\":\"live_casino\"",
                         "\"aviator\",\"provider\":\"spribe\",\"game_type\":\"crash\""};
  std::vector<std::string> lines;
  lines.reserve(size_t(count));
  const int64_t start = 1796083200000;   // 2026-12-01T00:00:00Z
  for (int i = 0; i < count; ++i) {
    int64_t ts = start + int64_t(i) * (30LL * 86'400'000 / count);
    std::string user = "u" + std::to_string(rng() % uint64_t(users));
    std::string id = std::to_string(i);
    int kind = int(rng() % 100);
    if (kind < 80) {
      lines.push_back("{\"id\":\"" + id + "\",\"type\":\"bet\",\"user\":\"" + user + "\",\"ts\":" + std::to_string(ts) +
                      ",\"game\":" + games[rng() % 3] + ",\"amount\":" + std::to_string(1 + rng() % 50) +
                      ".5,\"currency\":\"EUR\",\"device\":\"mobile\"}");
    } else if (kind < 90) {
      lines.push_back("{\"id\":\"" + id + "\",\"type\":\"login\",\"user\":\"" + user + "\",\"ts\":" + std::to_string(ts) +
                      ",\"device\":\"mobile\",\"ip_country\":\"MT\"}");
    } else {
      lines.push_back("{\"id\":\"" + id + "\",\"type\":\"deposit\",\"user\":\"" + user + "\",\"ts\":" + std::to_string(ts) +
                      ",\"amount\":" + std::to_string(10 + rng() % 200) + ",\"currency\":\"EUR\",\"method\":\"card\"}");
    }
  }

  engine::StringPool strings;
  io::EventReader reader(program.schema, strings);
  std::vector<engine::Event> events(lines.size());
  auto t0 = Clock::now();
  std::string reason;
  for (size_t i = 0; i < lines.size(); ++i)
    if (!reader.ParseLine(lines[i], i + 1, &events[i], &reason)) {
      std::fprintf(stderr, "line %zu: %s\n", i + 1, reason.c_str());
      return 1;
    }
  auto t1 = Clock::now();
  lines.clear();
  lines.shrink_to_fit();

  interp::Interpreter backend(program);
  engine::Engine engine(program, backend, strings);
  size_t actions = 0;
  auto t2 = Clock::now();
  for (const engine::Event& e : events) {
    engine.Process(e);
    actions += engine.DrainActions().size();
  }
  auto t3 = Clock::now();

  double parse_s = std::chrono::duration<double>(t1 - t0).count();
  double engine_s = std::chrono::duration<double>(t3 - t2).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("package        %s (%zu rules, %zu metrics, %zu missions)\n", dir.c_str(), program.rules.size(),
              program.metrics.size(), program.missions.size());
  std::printf("events         %d over %d users, %zu actions\n", count, users, actions);
  std::printf("json parsing   %.2f s  %.0f events/s\n", parse_s, count / parse_s);
  std::printf("engine (interp) %.2f s  %.0f events/s  %.2f us/event\n", engine_s, count / engine_s,
              engine_s * 1e6 / count);
  std::printf("peak RSS       %.1f MiB (%.1f KiB per user, events held in memory included)\n",
              usage.ru_maxrss / 1024.0, double(usage.ru_maxrss) / users);
  return 0;
}
