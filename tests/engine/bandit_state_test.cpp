// A bandit's state (the models, the decisions waiting for their reward) is
// engine state like any other: an engine restored from a snapshot, or
// reloaded to the same package, in the middle of the learning goes on
// deciding and learning exactly as the one that was not interrupted, on
// both backends.
#include <catch2/catch.hpp>

#include "compiler/driver/backend_choice.h"
#include "tests/engine/sink_run.h"

using namespace questline;

namespace {

const char* kPackage = R"(
flow offer {
  on registration
  choose by bandit reward deposit within 30m context (profile.country, hour(now)) policy thompson {
    arm spins    { grant bonus "spins" }
    arm cashback { grant bonus "cashback" }
    arm points   { award points 100 }
  }
}
policy rg { block rewards when profile.self_excluded  block messages when not profile.marketing_opt_in }
)";

// Registrations a minute apart; a deposit 10 s later for a fixed share of
// players (which arm they got does not matter for the state's identity).
std::vector<std::string> Feed() {
  std::vector<std::string> lines;
  const char* countries[] = {"MT", "DE", "SE"};
  for (int i = 0; i < 600; ++i) {
    const int64_t ts = 1'767'225'600'000 + int64_t(i) * 60'000;
    lines.push_back("{\"type\":\"registration\",\"id\":\"r" + std::to_string(i) + "\",\"user\":\"p" +
                    std::to_string(i) + "\",\"ts\":" + std::to_string(ts) + ",\"country\":\"" + countries[i % 3] + "\"}");
    if (i % 3 == (i / 3) % 3)
      lines.push_back("{\"type\":\"deposit\",\"id\":\"d" + std::to_string(i) + "\",\"user\":\"p" + std::to_string(i) +
                      "\",\"ts\":" + std::to_string(ts + 10'000) + ",\"amount\":20}");
  }
  return lines;
}

}  // namespace

TEST_CASE("a bandit's models and pending decisions survive a snapshot and a reload", "[engine][bandit]") {
  const std::vector<std::string> lines = Feed();
  const ir::Program program = testing::LowerPackage(kPackage);
  const ir::Program again = testing::LowerPackage(kPackage);
  for (driver::EngineKind kind : {driver::EngineKind::Interp, driver::EngineKind::Jit}) {
    INFO("backend " << (kind == driver::EngineKind::Jit ? "jit" : "interp"));
    std::ostringstream warnings;
    auto backend = driver::MakeBackend(program, kind, "test", warnings);
    auto next_backend = driver::MakeBackend(again, kind, "test", warnings);
    testing::SinkRun whole(program, *backend);
    whole.Feed(lines, 0, lines.size());
    const std::string expected = whole.Output();
    REQUIRE(expected.find("\"action\":\"bandit_reward\"") != std::string::npos);
    for (size_t cut : {size_t(1), lines.size() / 3, lines.size() - 2}) {
      INFO("cut after " << cut << " lines");
      testing::SinkRun before(program, *backend);
      before.Feed(lines, 0, cut);
      REQUIRE(before.sink.Flush());
      testing::SinkRun after(program, *backend);
      std::string error;
      REQUIRE(after.engine.Restore(before.engine.Snapshot(), &error));
      after.Feed(lines, cut, lines.size());
      CHECK(before.out.str() + after.Output() == expected);

      testing::SinkRun reloaded(program, *backend);
      reloaded.Feed(lines, 0, cut);
      reloaded.Reload(again, *next_backend);
      reloaded.Feed(lines, cut, lines.size());
      CHECK(reloaded.Output() == expected);
    }
  }
}
