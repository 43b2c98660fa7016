// Segments that change with time alone (LANGUAGE.md §5, issue 12 item 2):
// every form of time dependence is re-evaluated at the instant it can change,
// with no event, and the segment's `on enter`/`on exit` flows run then.
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

TEST_CASE("a sliding window segment is left when the window passes, and its on-exit flow runs", "[engine][segments]") {
  auto r = RunScenario(WithSegment("metric bets_7d = count(bet) over last 7d", "bets_7d >= 1"),
                       Bet("b1", "a", "2026-12-01T10:30:00Z", "1"), "2026-12-20T00:00:00Z");
  // The bet's hour bucket leaves the 7-day window at 12-08 11:00.
  CHECK(r.Count({"\"user\":\"a\"", "\"flow\":\"left\"", "\"state\":\"entered\"", "\"ts\":\"2026-12-08T11:00:00Z\""}) == 1);
  CHECK(r.state.find("\"segments\":[]") != std::string::npos);
  CHECK(r.state.find("\"tags\":[\"out\"]") != std::string::npos);
}

TEST_CASE("every form of `now` arithmetic re-checks at its own instant", "[engine][segments]") {
  const std::string metric = "metric last_dep = last(deposit.ts)";
  const char* forms[] = {
      "has(last_dep) and last_dep < now - 7d",          // x < now - D
      "has(last_dep) and now > last_dep + 7d",          // now > x + D
      "has(last_dep) and now - last_dep > 3d * 2 + 1d", // scaled durations
      "has(last_dep) and not (now - last_dep <= 7d)",   // under not
  };
  for (const char* form : forms) {
    INFO(form);
    auto r = RunScenario(WithSegment(metric, form), Deposit("d1", "a", "2026-12-01T10:00:00Z"), "2026-12-20T00:00:00Z");
    // 7 days after the deposit, plus the millisecond a strict comparison needs.
    CHECK(r.Count({"\"flow\":\"entered\"", "\"state\":\"entered\"", "\"ts\":\"2026-12-08T10:00:00.001Z\""}) == 1);
  }
}

TEST_CASE("hour(now) and calendar windows change segments with no event", "[engine][segments]") {
  // Evenings: the segment is entered at 20:00 and left at midnight, every day, for a known player.
  auto evening = RunScenario(WithSegment("", "hour(now) >= 20"), Deposit("d1", "a", "2026-12-01T10:00:00Z"),
                             "2026-12-02T12:00:00Z");
  CHECK(evening.Count({"\"flow\":\"entered\"", "\"state\":\"entered\"", "\"ts\":\"2026-12-01T20:00:00Z\""}) == 1);
  CHECK(evening.Count({"\"flow\":\"left\"", "\"state\":\"entered\"", "\"ts\":\"2026-12-02T00:00:00Z\""}) == 1);
  // `over today` empties at midnight: the depositor of the day leaves then.
  auto today = RunScenario(WithSegment("metric deps_today = count(deposit) over today", "deps_today >= 1"),
                           Deposit("d1", "a", "2026-12-01T10:00:00Z"), "2026-12-05T00:00:00Z");
  CHECK(today.Count({"\"flow\":\"left\"", "\"state\":\"entered\"", "\"ts\":\"2026-12-02T00:00:00Z\""}) == 1);
  CHECK(today.state.find("\"segments\":[]") != std::string::npos);
}

TEST_CASE("a time comparison inside a fn is re-checked too", "[engine][segments]") {
  auto r = RunScenario(WithSegment("metric last_dep = last(deposit.ts)\nfn lapsed(t: time) -> bool = t < now - 2d",
                                   "has(last_dep) and lapsed(last_dep)"),
                       Deposit("d1", "a", "2026-12-01T10:00:00Z"), "2026-12-10T00:00:00Z");
  CHECK(r.Count({"\"flow\":\"entered\"", "\"state\":\"entered\"", "\"ts\":\"2026-12-03T10:00:00.001Z\""}) == 1);
}

TEST_CASE("a player with nothing coming keeps no re-check", "[engine][segments]") {
  // A broken streak and an empty window never change again: no timer fires for them.
  auto r = RunScenario(WithSegment("metric deps_today = count(deposit) over today", "deps_today >= 1"),
                       Deposit("d1", "a", "2026-12-01T10:00:00Z"), "2027-12-01T00:00:00Z");
  CHECK(r.stats.timers <= 2);   // the midnight that empties the window, and no more
}
