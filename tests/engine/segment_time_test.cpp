// Segments that change with time alone (LANGUAGE.md §5, issue 12 item 2):
// what a scenario cannot say, the timers a quiet player costs. The instants
// each form of time dependence is re-checked at are data:
// tests/engine/scenarios/segment_time.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Deposit(const std::string& id, const std::string& user, const std::string& ts) {
  return Event("deposit", id, user, ts, "\"amount\":10");
}

// A package with one segment, and flows that tag its entries and exits.
std::string WithSegment(const std::string& metrics, const std::string& condition) {
  return "settings { timezone \"UTC\" }\n" + metrics + "\nsegment s = " + condition +
         "\nflow entered { on enter s  tag \"in\" }\nflow left { on exit s  untag \"in\"  tag \"out\" }\n" + kPolicy;
}

}  // namespace

TEST_CASE("a player with nothing coming keeps no re-check", "[engine][segments]") {
  // A broken streak and an empty window never change again: no timer fires for them.
  auto r = RunScenario(WithSegment("metric deps_today = count(deposit) over today", "deps_today >= 1"),
                       Deposit("d1", "a", "2026-12-01T10:00:00Z"), "2027-12-01T00:00:00Z");
  CHECK(r.stats.timers <= 2);   // the midnight that empties the window, and no more
}
