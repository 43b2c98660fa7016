// Engine throughput, interpreter and JIT side by side, on one package: N
// users, M events (default 100,000 and 2,000,000; the casino example). JSON
// parsing is timed apart, once; then each backend gets a fresh engine over
// the same parsed events. Handler time is the time spent inside
// Backend::HandleEvent (an event's metric updates and rules), split into the
// engine calls it makes (effects, metric updates, rule limits: the same C++
// for both backends) and the rest, the handler's own code (conditions,
// amounts, filters: what the JIT compiles). The rest of the engine (missions,
// timers, settle) is also shared C++. The JIT's
// compile time is reported cold (empty object cache), warm (cache hit) and
// from a bundle in memory.
// Usage: engine_bench [USERS] [EVENTS] [PACKAGE_DIR] [both|interp|jit|handlers]
#include <sys/resource.h>
#include <x86intrin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/lower.h"
#include "compiler/jit/backend.h"
#include "compiler/jit/bundle.h"
#include "compiler/jit/compile.h"
#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"

using namespace questline;
using Clock = std::chrono::steady_clock;

namespace {

double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Handler and call times are read with the time-stamp counter: a clock call
// per runtime call would cost more than many of the calls it times. Ticks are
// converted with the rate measured over the whole replay.
uint64_t Ticks() { return __rdtsc(); }

// Forwards to the engine, timing the calls a handler makes into engine C++
// (effects, metric updates, rule limits): the same code on both backends.
class TimingRuntime final : public core::Runtime {
 public:
  explicit TimingRuntime(core::Runtime& rt) : rt_(rt) {}
  core::Value Metric(int32_t id) override { return rt_.Metric(id); }
  bool Segment(int32_t id) override { return rt_.Segment(id); }
  core::Value Profile(int32_t f) override { return rt_.Profile(f); }
  int64_t Balance(int32_t c) override { return rt_.Balance(c); }
  int64_t PointsEver() override { return rt_.PointsEver(); }
  core::Value Level() override { return rt_.Level(); }
  int64_t Now() override { return rt_.Now(); }
  int Hour(int64_t t) override { return rt_.Hour(t); }
  int Weekday(int64_t t) override { return rt_.Weekday(t); }
  uint32_t StringId(int64_t s) override { return rt_.StringId(s); }
  const std::string& StringText(uint32_t id) override { return rt_.StringText(id); }
  uint32_t InternText(const std::string& s) override { return rt_.InternText(s); }
  void CountWarning(const char* w) override { rt_.CountWarning(w); }
  void Effect(const ir::Stmt& s, core::Value v, const std::vector<core::Value>& d) override {
    uint64_t t = Ticks();
    rt_.Effect(s, v, d);
    engine_ticks += Ticks() - t;
  }
  void AddToMetric(int32_t m, core::Value a) override {
    uint64_t t = Ticks();
    rt_.AddToMetric(m, a);
    engine_ticks += Ticks() - t;
  }
  void MetricsDone() override {
    uint64_t t = Ticks();
    rt_.MetricsDone();
    engine_ticks += Ticks() - t;
  }
  bool EnterRule(int32_t r) override {
    uint64_t t = Ticks();
    bool ok = rt_.EnterRule(r);
    engine_ticks += Ticks() - t;
    return ok;
  }
  void LeaveRule() override { rt_.LeaveRule(); }
  uint64_t engine_ticks = 0;

 private:
  core::Runtime& rt_;
};

// Answers a handler's engine calls with constants and does nothing for
// effects: with it, a loop over HandleEvent times the handler's own code
// alone — what the JIT compiles — on both backends.
class StubRuntime final : public core::Runtime {
 public:
  StubRuntime(const ir::Program& p, engine::StringPool& strings) : strings_(strings) {
    for (const std::string& s : p.strings) literal_ids_.push_back(strings.Intern(s));
  }
  core::Value Metric(int32_t) override { return core::Value::Int(0); }
  bool Segment(int32_t) override { return false; }
  core::Value Profile(int32_t) override { return core::Value{}; }
  int64_t Balance(int32_t) override { return 0; }
  int64_t PointsEver() override { return 0; }
  core::Value Level() override { return core::Value::None(core::ValueKind::String); }
  int64_t Now() override { return 0; }
  int Hour(int64_t) override { return 0; }
  int Weekday(int64_t) override { return 0; }
  uint32_t StringId(int64_t s) override { return literal_ids_[size_t(s)]; }
  const std::string& StringText(uint32_t id) override { return strings_.Get(id); }
  uint32_t InternText(const std::string& s) override { return strings_.Intern(s); }
  void CountWarning(const char*) override {}
  void Effect(const ir::Stmt&, core::Value, const std::vector<core::Value>&) override { ++effects; }
  void AddToMetric(int32_t, core::Value) override {}
  void MetricsDone() override {}
  bool EnterRule(int32_t) override { return true; }
  void LeaveRule() override {}
  uint64_t effects = 0;

 private:
  engine::StringPool& strings_;
  std::vector<uint32_t> literal_ids_;
};

// Seconds per event for `backend`'s handlers over `events`, engine stubbed.
double HandlersAlone(const ir::Program& program, const core::Backend& backend, engine::StringPool& strings,
                     const std::vector<core::Event>& events, uint64_t* effects) {
  StubRuntime stub(program, strings);
  auto t = Clock::now();
  for (const core::Event& e : events) backend.HandleEvent(e, stub);
  *effects = stub.effects;
  return MsSince(t) / 1000 / double(events.size());
}

// Delegates to a backend and times its event handlers, apart from the engine
// calls they make.
class TimedBackend final : public core::Backend {
 public:
  explicit TimedBackend(const core::Backend& inner) : inner_(inner) {}
  core::Value Eval(ir::ExprRef e, core::Frame& f, core::Runtime& rt) const override { return inner_.Eval(e, f, rt); }
  bool Test(ir::ExprRef e, core::Frame& f, core::Runtime& rt) const override { return inner_.Test(e, f, rt); }
  void Run(const ir::Block& b, core::Frame& f, core::Runtime& rt) const override { inner_.Run(b, f, rt); }
  void HandleEvent(const core::Event& e, core::Runtime& rt) const override {
    TimingRuntime timing(rt);
    uint64_t t = Ticks();
    inner_.HandleEvent(e, timing);
    handler_ticks += Ticks() - t;
    engine_ticks += timing.engine_ticks;
  }
  mutable uint64_t handler_ticks = 0, engine_ticks = 0;

 private:
  const core::Backend& inner_;
};

std::vector<std::string> MonthOfPlay(int users, int count) {
  // Bets dominate, as in production.
  std::mt19937_64 rng(42);
  const char* games[] = {"\"book_of_dead\",\"provider\":\"playngo\",\"game_type\":\"slots\"",
                         "\"lightning\",\"provider\":\"evolution\",\"game_type\":\"live_casino\"",
                         "\"aviator\",\"provider\":\"spribe\",\"game_type\":\"crash\""};
  std::vector<std::string> lines;
  lines.reserve(size_t(count));
  const int64_t start = 1796083200000;   // 2026-12-01T00:00:00Z
  for (int i = 0; i < count; ++i) {
    int64_t ts = start + int64_t(i) * (30LL * 86'400'000 / count);
    std::string head = "{\"id\":\"" + std::to_string(i) + "\",\"user\":\"u" + std::to_string(rng() % uint64_t(users)) +
                       "\",\"ts\":" + std::to_string(ts) + ",";
    int kind = int(rng() % 100);
    if (kind < 80)
      lines.push_back(head + "\"type\":\"bet\",\"game\":" + games[rng() % 3] + ",\"amount\":" +
                      std::to_string(1 + rng() % 50) + ".5,\"currency\":\"EUR\",\"device\":\"mobile\"}");
    else if (kind < 90)
      lines.push_back(head + "\"type\":\"login\",\"device\":\"mobile\",\"ip_country\":\"MT\"}");
    else
      lines.push_back(head + "\"type\":\"deposit\",\"amount\":" + std::to_string(10 + rng() % 200) +
                      ",\"currency\":\"EUR\",\"method\":\"card\"}");
  }
  return lines;
}

struct RunFigures {
  double engine_s = 0, handler_s = 0, calls_s = 0;   // calls: engine C++ inside handlers
  size_t actions = 0;
  double CodeSeconds() const { return handler_s - calls_s; }
};

// Counts the actions and drops them: the bench times the engine, not a writer,
// and holding a month of actions would swell the peak RSS it reports.
class CountingSink final : public engine::ActionSink {
 public:
  void Write(engine::Action&&) override { ++count; }
  size_t count = 0;
};

RunFigures Replay(const ir::Program& program, const core::Backend& backend, engine::StringPool& strings,
                  const std::vector<core::Event>& events) {
  TimedBackend timed(backend);
  engine::Engine engine(program, timed, strings);
  CountingSink sink;
  engine.SetSink(&sink);
  RunFigures f;
  auto t = Clock::now();
  const uint64_t ticks = Ticks();
  io::ReplayEvents(events, engine);   // the parsed events: JSON parsing is timed apart
  f.actions = sink.count;
  f.engine_s = MsSince(t) / 1000;
  const double seconds_per_tick = f.engine_s / double(Ticks() - ticks);
  f.handler_s = double(timed.handler_ticks) * seconds_per_tick;
  f.calls_s = double(timed.engine_ticks) * seconds_per_tick;
  return f;
}

void Print(const char* name, const RunFigures& f, size_t n) {
  const double us = 1e6 / double(n);
  std::printf("%-7s engine %7.2f s %8.0f events/s %8.2f us/event | handlers %7.3f us/event = code %7.3f + effects %7.3f"
              " | %zu actions\n",
              name, f.engine_s, double(n) / f.engine_s, f.engine_s * us, f.handler_s * us, f.CodeSeconds() * us,
              f.calls_s * us, f.actions);
}

}  // namespace

int main(int argc, char** argv) {
  const int users = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const int count = argc > 2 ? std::atoi(argv[2]) : 2'000'000;
  const std::string dir = argc > 3 ? argv[3] : "examples/casino";
  const std::string which = argc > 4 ? argv[4] : "both";

  driver::FrontEnd fe;
  std::string error;
  if (!driver::LoadPackage({dir}, &fe.sources, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  driver::RunFrontEnd(fe);
  if (!fe.ok()) return 1;
  const ir::Program program = ir::LowerToIr(fe.package);
  std::printf("package   %s (%zu rules, %zu metrics, %zu segments, %zu missions)\n", dir.c_str(),
              program.rules.size(), program.metrics.size(), program.segments.size(), program.missions.size());

  // The JIT's start-up costs: cold compile, warm (cache hit), from a bundle.
  const std::string cache = (std::filesystem::temp_directory_path() / "questline-bench-cache").string();
  std::filesystem::remove_all(cache);
  jit::CompileOptions options;
  options.cache_dir = cache;
  if (const char* opt = std::getenv("QUESTLINE_BENCH_OPT")) options.opt_level = std::atoi(opt);   // 0, 1 (default), 2
  std::vector<std::string> objects;
  jit::CompileReport cold, warm;
  if (!jit::CompileProgram(program, options, &objects, &cold, &error)) {
    std::fprintf(stderr, "jit: %s\n", error.c_str());
    return 1;
  }
  auto link_start = Clock::now();
  std::unique_ptr<jit::NativeBackend> native = jit::NativeBackend::Load(program, objects, &error);
  const double link_ms = MsSince(link_start);
  if (!native) {
    std::fprintf(stderr, "jit: %s\n", error.c_str());
    return 1;
  }
  auto warm_start = Clock::now();
  jit::CompileProgram(program, options, &objects, &warm, &error);
  auto warm_backend = jit::NativeBackend::Load(program, objects, &error);
  const double warm_ms = MsSince(warm_start);
  const std::string bundle_bytes = jit::EncodeBundle(program, objects, options.opt_level);
  auto bundle_start = Clock::now();
  jit::Bundle bundle;
  if (!jit::DecodeBundle(bundle_bytes, &bundle, &error)) {
    std::fprintf(stderr, "bundle: %s\n", error.c_str());
    return 1;
  }
  auto bundle_backend = jit::NativeBackend::Load(bundle.program, bundle.objects, &error);
  const double bundle_ms = MsSince(bundle_start);
  std::filesystem::remove_all(cache);
  std::printf("jit cold  %.1f ms: IR->LLVM %.1f, optimise %.1f, codegen %.1f (summed over %zu modules, %zu functions); "
              "link %.1f ms\n",
              cold.total_ms, cold.generate_ms, cold.optimise_ms, cold.codegen_ms, cold.modules, cold.functions, link_ms);
  std::printf("jit warm  %.1f ms (object cache hit + link)\n", warm_ms);
  std::printf("bundle    %.1f ms (decode %zu KiB + link)\n", bundle_ms, bundle_bytes.size() / 1024);

  const std::vector<std::string> lines = MonthOfPlay(users, count);
  if (const char* out = std::getenv("QUESTLINE_BENCH_EVENTS")) {   // the same events, for `quest run`
    std::ofstream file(out, std::ios::binary);
    for (const std::string& line : lines) file << line << '\n';
  }
  engine::StringPool strings;
  io::EventReader reader(program.schema, strings);
  std::vector<core::Event> events(lines.size());
  auto parse_start = Clock::now();
  std::string reason;
  for (size_t i = 0; i < lines.size(); ++i)
    if (!reader.ParseLine(lines[i], i + 1, &events[i], &reason)) {
      std::fprintf(stderr, "line %zu: %s\n", i + 1, reason.c_str());
      return 1;
    }
  const double parse_s = MsSince(parse_start) / 1000;
  std::printf("events    %d over %d users; JSON parsing %.2f s, %.0f events/s\n", count, users, parse_s,
              count / parse_s);

  RunFigures fi, fj;
  if (which == "both" || which == "interp") {
    interp::Interpreter interpreter(program);
    fi = Replay(program, interpreter, strings, events);
    Print("interp", fi, events.size());
  }
  if (which == "both" || which == "jit") {
    fj = Replay(program, *native, strings, events);
    Print("jit", fj, events.size());
  }
  if (which == "both" || which == "handlers") {
    interp::Interpreter interpreter(program);
    uint64_t ei = 0, ej = 0;
    const double hi = HandlersAlone(program, interpreter, strings, events, &ei);
    const double hj = HandlersAlone(program, *native, strings, events, &ej);
    std::printf("handlers alone (engine calls stubbed, %llu effects each): interp %.3f us/event, jit %.3f us/event, "
                "%.2fx\n", (unsigned long long)ei, hi * 1e6, hj * 1e6, hi / hj);
    if (ei != ej) std::printf("WARNING: the backends ran different effects (%llu vs %llu)\n", (unsigned long long)ei,
                              (unsigned long long)ej);
  }
  if (which == "both")
    std::printf("speed-up  engine %.2fx, handlers %.2fx, handler code (handlers without the engine calls) %.2fx\n",
                fi.engine_s / fj.engine_s, fi.handler_s / fj.handler_s, fi.CodeSeconds() / fj.CodeSeconds());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS  %.1f MiB (%.1f KiB per user; parsed events held in memory included)\n",
              usage.ru_maxrss / 1024.0, double(usage.ru_maxrss) / users);
  return 0;
}
