// Flows over thousands of generated players: holdout and split shares are
// statistical bounds, not exact actions. The other flow cases are data:
// tests/engine/scenarios/flows/.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}  // namespace

TEST_CASE("a holdout share stays within statistical bounds over 10,000 users", "[engine][flows]") {
  std::string events;
  for (int u = 0; u < 10000; ++u) events += Event("registration", "r" + std::to_string(u), "u" + std::to_string(u), "2026-12-01T10:00:00Z");
  auto r = RunScenario(std::string(R"(flow welcome { on registration  holdout 10%  grant bonus "fs" })") + kPolicy, events);
  size_t control = r.Count({"\"control\":true"});
  size_t treated = r.Count({"\"bonus\":\"fs\""});
  CHECK(control + treated == 10000);
  // 10% of 10,000: the standard deviation is 30; allow four of them.
  CHECK(control > 880);
  CHECK(control < 1120);
  // Sticky: the same users are held out on a replay.
  auto again = RunScenario(std::string(R"(flow welcome { on registration  holdout 10%  grant bonus "fs" })") + kPolicy, events);
  CHECK(again.actions == r.actions);
}

TEST_CASE("a split is sticky per user and honours its shares", "[engine][flows]") {
  std::string events;
  for (int u = 0; u < 2000; ++u) events += Event("registration", "r" + std::to_string(u), "u" + std::to_string(u), "2026-12-01T10:00:00Z");
  auto r = RunScenario(std::string(R"(flow ab {
  on registration
  split { 25%: { grant bonus "a" } 75%: { grant bonus "b" } }
  grant bonus "after"
})") + kPolicy, events);
  size_t a = r.Count({"\"bonus\":\"a\""}), b = r.Count({"\"bonus\":\"b\""});
  CHECK(a + b == 2000);
  CHECK(a > 400);
  CHECK(a < 600);
  CHECK(r.Count({"\"bonus\":\"after\""}) == 2000);
}
