// recovery_bench (issue 17's bench goals): how long questd takes to come back.
//
// 1. Snapshot of P players (default 1,000,000; examples/casino, one
//    registration each): the time Engine::Snapshot() takes — the pause
//    ingest sees, since serialisation runs on the engine's thread — its size,
//    and the time EngineHost::Recover takes from a data_dir holding only
//    that snapshot (file read, Restore), the daemon's real start path.
// 2. Journal replay: N events (default 200,000; casino players registering,
//    then betting) ingested through EngineHost with `fsync: none`, then a
//    fresh EngineHost's Recover replays them all: events/s. The journal's
//    read, checksum and decode alone (Journal::Replay, nothing applied) is
//    timed apart, to tell the journal's cost from the engine's.
// Prints figures; no goal is asserted (bench/README.md reads them).
// Usage: recovery_bench [PLAYERS] [EVENTS] [PACKAGE (default examples/casino)]
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "runtime/daemon/batch.h"
#include "runtime/daemon/config.h"
#include "runtime/daemon/driver_loader.h"
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/journal.h"
#include "runtime/daemon/log.h"
#include "runtime/engine/engine.h"

using namespace questline;
using Clock = std::chrono::steady_clock;

namespace {

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// This thread's CPU seconds: on a shared machine the wall time also counts
// the time other processes held the cores, so both are printed.
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

std::string Registration(uint64_t player, uint64_t n) {
  char line[320];
  std::snprintf(line, sizeof line,
                "{\"id\":\"r-%llu\",\"type\":\"registration\",\"user\":\"p%llu\",\"ts\":%llu,\"country\":\"SE\","
                "\"language\":\"en\",\"brand\":\"questcasino\",\"affiliate\":\"aff_1\",\"device\":\"mobile\"}\n",
                (unsigned long long)n, (unsigned long long)player, 1796083200000ULL + n);
  return line;
}

std::string Bet(uint64_t player, uint64_t n) {
  char line[320];
  std::snprintf(line, sizeof line,
                "{\"id\":\"b-%llu\",\"type\":\"bet\",\"user\":\"p%llu\",\"ts\":%llu,\"game\":\"aviator\","
                "\"provider\":\"spribe\",\"game_type\":\"crash\",\"amount\":2,\"currency\":\"EUR\","
                "\"device\":\"mobile\",\"lobby\":\"main\",\"jackpot\":false}\n",
                (unsigned long long)n, (unsigned long long)player, 1796083200000ULL + n);
  return line;
}

// A config for `dir` (no listener is opened: only EngineHost runs).
bool MakeConfig(const std::string& package, const std::string& dir, daemon::Config* config) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/questd.yaml";
  std::ofstream(path) << "rules: " << package << "\ndata_dir: " << dir << "/data\nlisten: { http: \"127.0.0.1:0\" }\n"
                      << "engine: jit\nlog_level: warn\n"
                      << "durability: { fsync: none, snapshot_every_events: 1000000000 }\n";
  std::vector<std::string> errors;
  if (daemon::LoadConfig(path, config, &errors)) {
    std::filesystem::create_directories(config->data_dir);
    return true;
  }
  for (const std::string& e : errors) std::fprintf(stderr, "recovery_bench: %s\n", e.c_str());
  return false;
}

struct Loaded {
  daemon::Config config;
  std::unique_ptr<daemon::DriverLoader> loader;
  daemon::PackagePtr package;
};

bool Load(const std::string& package, const std::string& dir, Loaded* out) {
  if (!MakeConfig(package, dir, &out->config)) return false;
  out->loader = std::make_unique<daemon::DriverLoader>(out->config);
  auto loaded = std::make_shared<daemon::Package>();
  daemon::LoadFailure failure;
  if (!out->loader->LoadConfigured(loaded.get(), &failure)) {
    std::fprintf(stderr, "recovery_bench: %s\n", failure.error.c_str());
    return false;
  }
  out->package = std::move(loaded);
  return true;
}

// Feeds `count` lines made by `line(i)` to `host` in batches of 1000.
template <class Line>
void Feed(daemon::EngineHost& host, uint64_t count, Line line) {
  for (uint64_t i = 0; i < count;) {
    std::string body;
    for (uint64_t end = std::min(count, i + 1000); i < end; ++i) body += line(i);
    daemon::Batch batch;
    daemon::SplitNdjson(body, 1, 1 << 16, &batch);
    host.Ingest(batch);
  }
}

int SnapshotBench(const std::string& package, const std::string& dir, uint64_t players) {
  Loaded l;
  if (!Load(package, dir, &l)) return 1;
  // The engine alone, as EngineHost runs it, to time Snapshot and Restore.
  engine::StringPool strings;
  engine::Engine built(*l.package->program, *l.package->backend, strings);
  io::EventReader reader(l.package->program->schema, strings);
  auto start = Clock::now();
  for (uint64_t i = 0; i < players;) {
    std::string chunk;
    for (uint64_t end = std::min(players, i + 100000); i < end; ++i) chunk += Registration(i, i);
    std::istringstream in(chunk);
    std::vector<core::Event> events;
    std::vector<io::Rejection> rejections;
    reader.ReadAll(in, &events, &rejections);
    if (!rejections.empty()) {
      std::fprintf(stderr, "recovery_bench: line %llu: %s\n", (unsigned long long)rejections[0].line,
                   rejections[0].reason.c_str());
      return 1;
    }
    for (const core::Event& e : events) built.Process(e);
    built.DrainActions();   // no sink: the actions wait in the engine
  }
  std::printf("built %llu players in %.1f s\n", (unsigned long long)players, SecondsSince(start));
  start = Clock::now();
  double cpu = CpuSeconds();
  const std::string bytes = built.Snapshot();
  const double pause = SecondsSince(start);
  std::printf("snapshot: %.1f MB, serialised in %.0f ms wall, %.0f ms CPU (the ingest pause; the write runs in the "
              "background)\n", double(bytes.size()) / 1e6, pause * 1000, (CpuSeconds() - cpu) * 1000);
  std::string error;
  start = Clock::now();
  if (!daemon::WriteSnapshot(l.config.data_dir, 1, bytes, true, &error)) {
    std::fprintf(stderr, "recovery_bench: %s\n", error.c_str());
    return 1;
  }
  std::printf("snapshot file written, fsync'ed and renamed in %.0f ms (off the engine's thread in questd)\n",
              SecondsSince(start) * 1000);
  {
    engine::StringPool fresh_strings;
    engine::Engine fresh(*l.package->program, *l.package->backend, fresh_strings);
    start = Clock::now();
    cpu = CpuSeconds();
    if (!fresh.Restore(bytes, &error)) {
      std::fprintf(stderr, "recovery_bench: Restore: %s\n", error.c_str());
      return 1;
    }
    std::printf("Engine::Restore alone: %.0f ms wall, %.0f ms CPU\n", SecondsSince(start) * 1000,
                (CpuSeconds() - cpu) * 1000);
  }
  // The daemon's own start path: a data_dir holding the snapshot only.
  daemon::EngineHost host(l.package, *l.loader, l.config);
  start = Clock::now();
  cpu = CpuSeconds();
  if (!host.Recover(&error)) {
    std::fprintf(stderr, "recovery_bench: Recover: %s\n", error.c_str());
    return 1;
  }
  std::printf("recovery of a %llu-player snapshot (EngineHost::Recover: read, Restore): %.0f ms wall, %.0f ms CPU\n",
              (unsigned long long)players, SecondsSince(start) * 1000, (CpuSeconds() - cpu) * 1000);
  return 0;
}

int ReplayBench(const std::string& package, const std::string& dir, uint64_t events) {
  Loaded l;
  if (!Load(package, dir, &l)) return 1;
  const uint64_t players = std::max<uint64_t>(1, std::min<uint64_t>(10000, events / 10));
  std::string error;
  {
    daemon::EngineHost host(l.package, *l.loader, l.config);
    if (!host.Recover(&error)) {
      std::fprintf(stderr, "recovery_bench: %s\n", error.c_str());
      return 1;
    }
    const auto start = Clock::now();
    Feed(host, events, [&](uint64_t i) { return i < players ? Registration(i, i) : Bet(i % players, i); });
    std::printf("ingested %llu events through EngineHost (fsync: none) in %.2f s: %.0f events/s\n",
                (unsigned long long)events, SecondsSince(start), double(events) / SecondsSince(start));
  }
  {
    daemon::Journal journal;
    uint64_t lines = 0;
    auto start = Clock::now();
    const double cpu = CpuSeconds();
    if (!journal.Open(l.config.data_dir, false, &error) ||
        !journal.Replay(0, [&](const daemon::JournalRecord& r) { lines += r.lines.size(); }, &error)) {
      std::fprintf(stderr, "recovery_bench: %s\n", error.c_str());
      return 1;
    }
    const double seconds = SecondsSince(start);
    const double used = CpuSeconds() - cpu;
    std::printf("journal read, checksummed and decoded (nothing applied): %llu events in %.0f ms wall (%.0f events/s), "
                "%.0f ms CPU (%.0f events/s)\n", (unsigned long long)lines, seconds * 1000, double(lines) / seconds,
                used * 1000, double(lines) / used);
  }
  daemon::EngineHost host(l.package, *l.loader, l.config);
  const auto start = Clock::now();
  const double cpu = CpuSeconds();
  if (!host.Recover(&error)) {
    std::fprintf(stderr, "recovery_bench: Recover: %s\n", error.c_str());
    return 1;
  }
  const double seconds = SecondsSince(start), used = CpuSeconds() - cpu;
  std::printf("journal replay (EngineHost::Recover of %llu events, no snapshot): %.2f s wall (%.0f events/s), "
              "%.2f s CPU (%.0f events/s)\n", (unsigned long long)events, seconds, double(events) / seconds, used,
              double(events) / used);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t players = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const uint64_t events = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200000;
  const std::string package = argc > 3 ? argv[3] : "examples/casino";
  daemon::SetLogLevel("warn");
  const std::string dir = (std::filesystem::temp_directory_path() / ("recovery_bench." + std::to_string(::getpid()))).string();
  int status = ReplayBench(package, dir + "/replay", events);
  if (status == 0) status = SnapshotBench(package, dir + "/snapshot", players);
  std::filesystem::remove_all(dir);
  return status;
}
