// Flows (LANGUAGE.md §9, issue 12 items 3 and 4): steps read the trigger as
// it was at entry, after waits too, and a flow's statements take effect at
// once, like a rule's: levels, badges, segments, unlocked missions and the
// flows those trigger settle in the same step.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Deposit(const std::string& id, const std::string& user, const std::string& ts, const std::string& amount,
                    bool first = false) {
  return Event("deposit", id, user, ts,
               "\"amount\":" + amount + ",\"first\":" + (first ? "true" : "false"));
}

}  // namespace

TEST_CASE("a flow's steps read the trigger's fields after a wait and after a wait for another event",
          "[engine][flows]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
flow welcome {
  on deposit
  wait 1d
  if deposit.amount >= 20 { grant bonus "big_after_wait" } else { grant bonus "small_after_wait" }
  wait for bet within 3d { grant bonus "bet_seen" }
  if deposit.amount >= 20 { grant bonus "big_after_bet" }
  if deposit.first { grant bonus "first_after_bet" }
})") + kPolicy,
                       Deposit("d1", "a", "2026-12-01T10:00:00Z", "50", true) +
                           Bet("b1", "a", "2026-12-03T10:00:00Z", "5"),
                       "2026-12-10T00:00:00Z");
  CHECK(r.Count({"\"bonus\":\"big_after_wait\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"small_after_wait\""}) == 0);
  CHECK(r.Count({"\"bonus\":\"bet_seen\""}) == 1);
  // After `wait for bet`, `deposit.amount` is still the deposit's 50, not the bet's 5.
  CHECK(r.Count({"\"bonus\":\"big_after_bet\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"first_after_bet\""}) == 1);
}

TEST_CASE("a wait for's body reads the event it received", "[engine][flows]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
flow f {
  on deposit
  wait for bet where bet.amount >= 10 within 3d { if bet.amount >= 100 { grant bonus "high_roller" } }
})") + kPolicy,
                       Deposit("d1", "a", "2026-12-01T10:00:00Z", "5") + Bet("b1", "a", "2026-12-01T11:00:00Z", "150"));
  CHECK(r.Count({"\"bonus\":\"high_roller\""}) == 1);
}

TEST_CASE("a flow's award settles at once: level, badge and segment, and the flows they trigger", "[engine][flows]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
level bronze { at 0 }
level silver { at 100 }
badge hundred { when points >= 100 }
segment rich = points >= 100
flow gift { on deposit  award points 100 }
flow rich_welcome { on enter rich  grant bonus "rich_welcome" }
mission m { unlock on deposit  task t "bet" { count(bet) >= 1 }  reward { grant bonus "m_done" } }
flow unlocker { on registration  unlock mission m })") + kPolicy,
                       Deposit("d1", "a", "2026-12-01T10:00:00Z", "5") +
                           Event("registration", "r1", "b", "2026-12-01T10:00:00Z",
                                 R"("country":"MT","language":"en","brand":"q","affiliate":"","device":"mobile")") +
                           Bet("b1", "b", "2026-12-01T11:00:00Z", "5"));
  // All at the deposit's own instant, not at a later event.
  CHECK(r.Count({"\"user\":\"a\"", "\"level\":\"silver\"", "\"ts\":\"2026-12-01T10:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"badge\":\"hundred\"", "\"ts\":\"2026-12-01T10:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"rich_welcome\"", "\"ts\":\"2026-12-01T10:00:00Z\""}) == 1);
  CHECK(r.state.find("\"segments\":[\"rich\"]") != std::string::npos);
  // A mission a flow unlocks starts in that step: the next bet counts and completes it.
  CHECK(r.Count({"\"user\":\"b\"", "\"bonus\":\"m_done\""}) == 1);
}

TEST_CASE("a segment entered through a scheduled flow's award runs its on enter flow", "[engine][flows]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
segment rich = points >= 100
flow daily_gift { every day at 10:00  award points 100 }
flow rich_welcome { on enter rich  grant bonus "rich_welcome" })") + kPolicy,
                       Bet("b1", "a", "2026-12-01T08:00:00Z", "5"), "2026-12-02T00:00:00Z");
  CHECK(r.Count({"\"user\":\"a\"", "\"bonus\":\"rich_welcome\"", "\"ts\":\"2026-12-01T10:00:00Z\""}) == 1);
}
