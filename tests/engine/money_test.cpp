// Money and competitions (LANGUAGE.md §8, §10) are data:
// tests/engine/scenarios/money/. What stays here is what a scenario file
// cannot say: that an action has no such field (a scenario matches fields by
// value). It runs the scenario's own package and events.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "compiler/driver/scenario.h"
#include "runtime/engine/json_text.h"
#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a cancellation with nothing paid carries no refund", "[engine][money]") {
  const std::string dir = std::string(QUESTLINE_SOURCE_DIR) + "/tests/engine/scenarios/money/";
  questline::driver::Scenario scenario;
  std::ostringstream report;
  int problems = 0;
  REQUIRE(questline::driver::ParseScenario(ReadFile(dir + "cancellations.test.yaml"), "cancellations.test.yaml",
                                           &scenario, report, &problems));
  REQUIRE(scenario.until);
  std::string events, until;
  for (const std::string& line : scenario.events) events += line + "\n";
  questline::engine::AppendTime(until, *scenario.until);   // quoted: "2026-12-08T00:00:00Z"
  auto r = RunScenario(ReadFile(dir + scenario.package), events, until.substr(1, until.size() - 2));
  CHECK(r.Count({"\"state\":\"cancelled\""}) == 2);   // the free tournament's and the leaderboard's
  CHECK(r.Count({"\"state\":\"cancelled\"", "\"refund\""}) == 0);
}
