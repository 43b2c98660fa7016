// Snapshots (Engine::Snapshot / Restore, docs/engine.md): an engine restored
// from a snapshot taken after any event goes on exactly as the one that took
// it — the same actions and the same state, to the byte, on both backends —
// and damaged or foreign bytes are refused with a reason, never read.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "compiler/driver/backend_choice.h"
#include "tests/engine/sink_run.h"

using namespace questline;

namespace {

struct Casino {
  ir::Program program;
  std::vector<std::string> lines;
};

const Casino& LoadCasino() {
  static const Casino casino = [] {
    Casino c;
    const std::string dir = std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino";
    driver::FrontEnd fe;
    std::string error;
    if (!driver::LoadPackage({dir}, &fe.sources, &error)) throw std::runtime_error(error);
    c.program = testing::LowerLoaded(fe);
    std::ifstream in(dir + "/events.ndjson");
    for (std::string line; std::getline(in, line);) c.lines.push_back(line);
    return c;
  }();
  return casino;
}

using Run = testing::SinkRun;

}  // namespace

TEST_CASE("an engine restored from a snapshot goes on as the one that took it", "[engine][snapshot]") {
  const Casino& casino = LoadCasino();
  for (driver::EngineKind kind : {driver::EngineKind::Interp, driver::EngineKind::Jit}) {
    std::ostringstream warnings;
    auto backend = driver::MakeBackend(casino.program, kind, "test", warnings);
    Run whole(casino.program, *backend);
    whole.Feed(casino.lines, 0, casino.lines.size());
    const std::string expected = whole.Output();
    REQUIRE(expected.size() > 100'000);
    for (size_t cut : {size_t(0), size_t(1), size_t(777), casino.lines.size() / 2, casino.lines.size() - 1}) {
      INFO("backend " << (kind == driver::EngineKind::Jit ? "jit" : "interp") << ", cut after " << cut << " events");
      Run before(casino.program, *backend);
      before.Feed(casino.lines, 0, cut);
      REQUIRE(before.sink.Flush());
      const std::string snapshot = before.engine.Snapshot();
      Run after(casino.program, *backend);
      std::string error;
      REQUIRE(after.engine.Restore(snapshot, &error));
      CHECK(after.engine.Snapshot() == snapshot);   // nothing lost or added on the way
      after.Feed(casino.lines, cut, casino.lines.size());
      CHECK(before.out.str() + after.Output() == expected);
    }
  }
}

// A world's snapshot is one kernel's format (snapshot.cpp): taken on N
// partitions, it restores on M and goes on as the one engine would.
TEST_CASE("a snapshot taken on some partitions restores on any number", "[engine][snapshot][partitions]") {
  const Casino& casino = LoadCasino();
  std::ostringstream warnings;
  auto backend = driver::MakeBackend(casino.program, driver::EngineKind::Interp, "test", warnings);
  Run whole(casino.program, *backend);
  whole.Feed(casino.lines, 0, casino.lines.size());
  const std::string expected = whole.Output();
  const size_t cut = casino.lines.size() / 2;
  for (auto [took, restored] : {std::pair<size_t, size_t>{3, 3}, {3, 1}, {1, 4}, {2, 5}}) {
    INFO("taken on " << took << " partitions, restored on " << restored);
    Run before(casino.program, *backend, took);
    before.Feed(casino.lines, 0, cut);
    REQUIRE(before.sink.Flush());
    const std::string snapshot = before.engine.Snapshot();
    Run after(casino.program, *backend, restored);
    std::string error;
    REQUIRE(after.engine.Restore(snapshot, &error));
    after.Feed(casino.lines, cut, casino.lines.size());
    CHECK(before.out.str() + after.Output() == expected);
  }
}

TEST_CASE("a damaged, truncated or foreign snapshot is refused with a reason", "[engine][snapshot]") {
  const Casino& casino = LoadCasino();
  interp::Interpreter backend(casino.program);
  Run source(casino.program, backend);
  source.Feed(casino.lines, 0, 2000);
  const std::string snapshot = source.engine.Snapshot();
  std::string error;
  {
    Run fresh(casino.program, backend);
    std::string flipped = snapshot;
    flipped[flipped.size() / 2] ^= 0x20;
    CHECK_FALSE(fresh.engine.Restore(flipped, &error));
    CHECK(error.find("checksum") != std::string::npos);
  }
  for (size_t size : {size_t(0), size_t(5), snapshot.size() / 3, snapshot.size() - 1}) {
    Run fresh(casino.program, backend);
    CHECK_FALSE(fresh.engine.Restore(snapshot.substr(0, size), &error));
  }
  {
    ir::Program other = testing::LowerPackage("rule r on login { award points 1 }");
    interp::Interpreter other_backend(other);
    engine::StringPool strings;
    engine::Engine fresh(other, other_backend, strings);
    CHECK_FALSE(fresh.Restore(snapshot, &error));
    CHECK(error.find("another program") != std::string::npos);
  }
  {
    Run used(casino.program, backend);
    used.Feed(casino.lines, 0, 1);
    CHECK_FALSE(used.engine.Restore(snapshot, &error));
    CHECK(error.find("fresh engine") != std::string::npos);
  }
}
