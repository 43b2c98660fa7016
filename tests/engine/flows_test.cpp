// Flows: triggers, holdout, waits, `wait for` timeouts, splits.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
const char* kWaitFor = R"(flow nudge {
  on registration
  award points 1
  wait for deposit within 3d { award points 100 } timeout { award points 7 }
})";
}  // namespace

TEST_CASE("wait for: an event strictly before start + D runs the body", "[engine][flows]") {
  auto r = RunScenario(std::string(kWaitFor) + kPolicy,
                       Event("registration", "r1", "u", "2026-12-01T10:00:00Z") +
                           Event("deposit", "d1", "u", "2026-12-04T09:59:59.999Z", R"("amount":5)"));
  CHECK(r.Count({"\"event\":\"d1\"", "\"amount\":100"}) == 1);
  CHECK(r.Count({"\"amount\":7"}) == 0);
  CHECK(r.Count({"\"state\":\"exited\""}) == 1);
}

TEST_CASE("wait for: an event exactly at start + D is too late: the timeout runs", "[engine][flows]") {
  auto r = RunScenario(std::string(kWaitFor) + kPolicy,
                       Event("registration", "r1", "u", "2026-12-01T10:00:00Z") +
                           Event("deposit", "d1", "u", "2026-12-04T10:00:00Z", R"("amount":5)"));
  CHECK(r.Count({"\"amount\":7", "\"ts\":\"2026-12-04T10:00:00Z\"", "\"event\":\"timer:"}) == 1);
  CHECK(r.Count({"\"amount\":100"}) == 0);
}

TEST_CASE("wait D resumes when --until passes it", "[engine][flows]") {
  auto pkg = std::string(R"(flow later { on registration  wait 1d  grant bonus "next_day" })") + kPolicy;
  auto events = Event("registration", "r1", "u", "2026-12-01T10:00:00Z");
  auto waiting = RunScenario(pkg, events, "2026-12-02T09:00:00Z");
  CHECK(waiting.Count({"\"bonus\":\"next_day\""}) == 0);
  // A waiting instance is state: its flow, step and wake-up time.
  CHECK(waiting.state.find("\"flows\":[{\"flow\":\"later\",\"step\":0,\"waiting_until\":\"2026-12-02T10:00:00Z\"}]") !=
        std::string::npos);
  CHECK(RunScenario(pkg, events, "2026-12-02T10:00:00Z").Count({"\"bonus\":\"next_day\"", "\"ts\":\"2026-12-02T10:00:00Z\""}) == 1);
}

TEST_CASE("a segment entry triggers its flow exactly once", "[engine][flows]") {
  auto r = RunScenario(std::string(R"(segment depositor = count(deposit) >= 2
flow welcome_depositor { on enter depositor  grant bonus "thanks" }
flow lost { on exit depositor  grant bonus "never" })") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":5)") +
                           Event("deposit", "d2", "u", "2026-12-01T11:00:00Z", R"("amount":5)") +
                           Event("deposit", "d3", "u", "2026-12-01T12:00:00Z", R"("amount":5)") +
                           Event("deposit", "d4", "u", "2026-12-01T13:00:00Z", R"("amount":5)"));
  CHECK(r.Count({"\"bonus\":\"thanks\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"thanks\"", "\"event\":\"d2\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"never\""}) == 0);
}

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

TEST_CASE("scheduled flows run for every player at the local time", "[engine][flows]") {
  auto r = RunScenario(std::string(R"(settings { timezone "Europe/Malta" }
flow daily_tip { every day at 10:00  audience profile.marketing_opt_in  send inbox "tip" }
policy consent { block messages when not profile.marketing_opt_in })") + kPolicy,
                       Event("profile_update", "p1", "yes", "2026-12-01T08:00:00Z", R"("marketing_opt_in":true)") +
                           Event("profile_update", "p2", "no", "2026-12-01T08:00:00Z"),
                       "2026-12-03T00:00:00Z");
  // 10:00 in Malta is 09:00 UTC in December; two days pass.
  CHECK(r.Count({"\"user\":\"yes\"", "\"template\":\"tip\"", "\"ts\":\"2026-12-01T09:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"yes\"", "\"template\":\"tip\"", "\"ts\":\"2026-12-02T09:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"no\"", "\"template\":\"tip\""}) == 0);
}

TEST_CASE("a silent player enters a time-dependent segment when the clock passes it", "[engine][flows]") {
  auto r = RunScenario(std::string(R"(metric last_deposit = last(deposit.ts)
segment sleeping = has(last_deposit) and now - last_deposit > 7d
flow reactivation { on enter sleeping  grant bonus "we_miss_you" })") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":5)"),
                       "2026-12-20T00:00:00Z");
  // No event after d1: the timer at d1 + 7d + 1ms puts the player in the segment.
  CHECK(r.Count({"\"bonus\":\"we_miss_you\"", "\"ts\":\"2026-12-08T10:00:00.001Z\""}) == 1);
  CHECK(r.state.find("\"segments\":[\"sleeping\"]") != std::string::npos);
}
