// What a scenario file cannot see: the engine's duplicate and late counts.
// The rules' actions are data: tests/engine/scenarios/rules/.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}

TEST_CASE("a duplicate event id is ignored and counted", "[engine]") {
  auto r = RunScenario(std::string("rule r on deposit { award points 10 }") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":10)"));
  CHECK(r.stats.duplicates == 1);
}

TEST_CASE("a late event is processed at the clock", "[engine]") {
  auto r = RunScenario(std::string("rule r on deposit { award points 10 }") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-02T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d0", "u", "2026-12-01T10:00:00Z", R"("amount":10)"));
  CHECK(r.stats.late == 1);
}
