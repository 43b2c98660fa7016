// The order of one event (LANGUAGE.md §11): metrics, then segments
// re-evaluated on them, then rules. The cases a scenario can say are data
// (tests/engine/scenarios/evaluation_order/); an import between two events
// is the engine's API, not a scenario's.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline;
using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}

TEST_CASE("after an import, the next event's rules see the segments made of imported data", "[engine][order]") {
  // Imports run no rule and settle nothing: the player's next event
  // re-evaluates every segment before its rules. Imports are the engine's
  // API (not a scenario's), so this drives an Engine by hand.
  ir::Program program = testing::LowerPackage(std::string(R"(currency gems
segment promo_list = imported
segment promo_fan = promo_list and not profile.self_excluded
segment gem_rich = gems >= 100
rule fan on login where promo_fan { grant bonus "fan" }
rule rich on login where gem_rich { grant bonus "rich" })") + kPolicy);
  HandEngine run(program);
  engine::Engine& engine = run.engine;
  run.Feed(Event("login", "l1", "u", "2026-12-01T10:00:00Z"));   // settles u: in neither segment
  std::string error;
  REQUIRE(engine.ImportSegment(engine.SegmentIndex("promo_list"), {"u"}, &error));
  REQUIRE(engine.ImportBalance("u", engine.CurrencyIndex("gems"), engine::Engine::BalanceOp::Set, 150, &error));
  run.Feed(Event("login", "l2", "u", "2026-12-01T11:00:00Z"));
  std::vector<std::string> bonuses;
  for (const engine::Action& a : engine.DrainActions())
    for (const auto& [key, value] : a.fields)
      if (key == "bonus") bonuses.push_back(a.event + ":" + value.s);
  CHECK(bonuses == std::vector<std::string>{"l2:fan", "l2:rich"});
}
