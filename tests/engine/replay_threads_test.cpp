// io::Replay with a reader thread (issue 15 §3) against the single-thread
// replay: the same actions, rejections in the same place among them, the same
// string ids, state and warnings.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "runtime/io/action_writer.h"
#include "tests/engine/scenario.h"

using namespace questline;

namespace {

// Actions and rejections in one log, in the order the replay reported them.
class LogSink final : public engine::ActionSink {
 public:
  explicit LogSink(std::vector<std::string>& log) : log_(log) {}
  void Write(engine::Action&& action) override {
    std::string line;
    io::AppendActionJson(line, action);
    log_.push_back(std::move(line));
  }

 private:
  std::vector<std::string>& log_;
};

struct Outcome {
  std::vector<std::string> log;
  std::string state;
  std::vector<std::string> strings;   // by id
  io::ReadStats reader_stats;
  uint64_t events = 0;
  bool finished = false;
};

Outcome Run(const ir::Program& program, const std::string& events, io::ReplayOptions::ReaderThread thread,
            size_t stop_after = SIZE_MAX) {
  interp::Interpreter backend(program);
  engine::StringPool strings;
  engine::Engine engine(program, backend, strings);
  io::EventReader reader(program.schema, strings);
  Outcome out;
  LogSink sink(out.log);
  engine.SetSink(&sink);
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection& r) { out.log.push_back("rejected " + std::to_string(r.line) + ": " + r.reason); };
  hooks.keep_going = [&] { return engine.Stats().events < stop_after; };
  std::istringstream in(events);
  io::ReplayOptions options;
  options.reader_thread = thread;
  out.finished = io::Replay(in, reader, engine, hooks, options);
  out.state = engine.StateJson();
  for (uint32_t id = 0; id < strings.Size(); ++id) out.strings.push_back(strings.Get(id));
  out.reader_stats = reader.Stats();
  out.events = engine.Stats().events;
  return out;
}

ir::Program Casino() {
  driver::FrontEnd fe;
  std::string error;
  const std::string dir = std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino";
  REQUIRE(driver::LoadPackage({dir}, &fe.sources, &error));
  driver::RunFrontEnd(fe);
  REQUIRE(fe.ok());
  return ir::LowerToIr(fe.package);
}

// The casino example's events with bad lines, blank lines and unknown union
// values interleaved: several batches of the reader thread, rejections in most.
std::string EventsWithRejections() {
  std::ifstream file(std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino/events.ndjson");
  const char* bad[] = {
      "not json",
      R"({"id":"x1","type":"withdrawl","user":"u001","ts":0})",
      R"({"id":"x2","type":"deposit","user":"u_rejected_only","ts":"2026-12-01T10:00:00Z","amount":"lots"})",
      "",
      R"({"id":"x3","type":"bet","user":"u002","ts":"2026-12-01T10:00:00Z","amount":1,"game_type":"plinko_new"} trailing)",
      "   \t",
      R"([1,2,3])",
  };
  std::string out, line;
  for (size_t n = 0; std::getline(file, line); ++n) {
    out += line + "\n";
    if (n % 7 == 3) out += std::string(bad[(n / 7) % (sizeof(bad) / sizeof(*bad))]) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a replay with a reader thread equals the replay on one thread", "[engine][io][replay]") {
  const ir::Program program = Casino();
  const std::string events = EventsWithRejections();
  const Outcome one = Run(program, events, io::ReplayOptions::ReaderThread::Off);
  const Outcome two = Run(program, events, io::ReplayOptions::ReaderThread::On);
  REQUIRE(one.finished);
  REQUIRE(two.finished);
  CHECK(one.events > 5000);
  const auto rejections =
      std::count_if(one.log.begin(), one.log.end(), [](const std::string& s) { return s.rfind("rejected", 0) == 0; });
  CHECK(rejections > 500);
  CHECK(one.log.size() - size_t(rejections) > 1000);   // actions, the rejections among them
  CHECK(one.log == two.log);
  CHECK(one.state == two.state);
  CHECK(one.strings == two.strings);
  CHECK(one.reader_stats.missing_fields == two.reader_stats.missing_fields);
  CHECK(one.reader_stats.warnings == two.reader_stats.warnings);
  // A rejected line's strings are never interned, on either path.
  CHECK(std::find(one.strings.begin(), one.strings.end(), "u_rejected_only") == one.strings.end());
}

TEST_CASE("keep_going stops a replay with a reader thread", "[engine][io][replay]") {
  const ir::Program program = Casino();
  const std::string events = EventsWithRejections();
  const Outcome stopped = Run(program, events, io::ReplayOptions::ReaderThread::On, 100);
  CHECK_FALSE(stopped.finished);
  CHECK(stopped.events == 100);
  const Outcome one = Run(program, events, io::ReplayOptions::ReaderThread::Off, 100);
  CHECK_FALSE(one.finished);
  CHECK(one.events == 100);
  CHECK(one.state == stopped.state);
}
