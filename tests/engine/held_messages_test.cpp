// Messages held by quiet hours (LANGUAGE.md §10, issue 12 item 5): released
// only when every policy's quiet hours allow, asked again at release, counted
// against the caps of the day they are delivered, and shown in the state
// while held.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kRewards = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Deposit(const std::string& id, const std::string& user, const std::string& ts) {
  return Event("deposit", id, user, ts, "\"amount\":10");
}

std::string OptIn(const std::string& id, const std::string& user, const std::string& ts, bool in) {
  return Event("profile_update", id, user, ts, std::string("\"marketing_opt_in\":") + (in ? "true" : "false"));
}

}  // namespace

TEST_CASE("overlapping quiet hours of two policies hold a message until both allow it", "[engine][messages]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
rule hi on deposit { send sms "hi" }
policy night { quiet_hours 22:00-08:00 for sms }
policy morning { quiet_hours 07:00-09:00 for sms })") + kRewards,
                       Deposit("d1", "a", "2026-12-01T23:00:00Z"), "2026-12-03T00:00:00Z");
  CHECK(r.Count({"\"action\":\"send\"", "\"ts\":\"2026-12-02T09:00:00Z\""}) == 1);
  CHECK(r.Count({"\"action\":\"send\""}) == 1);
}

TEST_CASE("a player who withdrew consent before the release gets nothing", "[engine][messages]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
rule hi on deposit { send sms "hi" }
policy mk { block messages when not profile.marketing_opt_in  quiet_hours 22:00-08:00 })") + kRewards,
                       OptIn("p1", "a", "2026-12-01T20:00:00Z", true) + Deposit("d1", "a", "2026-12-01T23:00:00Z") +
                           OptIn("p2", "a", "2026-12-02T02:00:00Z", false),
                       "2026-12-03T00:00:00Z");
  CHECK(r.Count({"\"action\":\"send\""}) == 0);
  CHECK(r.Count({"\"action\":\"blocked\"", "\"reason\":\"messages_blocked\"", "\"template\":\"hi\"",
                 "\"ts\":\"2026-12-02T08:00:00Z\""}) == 1);
}

TEST_CASE("a cap counts a held message on the day it is delivered", "[engine][messages]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
rule hi on deposit { send push "hi" }
policy mk { cap messages 1 per day  quiet_hours 22:00-08:00 })") + kRewards,
                       Deposit("d1", "a", "2026-12-01T23:00:00Z") + Deposit("d2", "a", "2026-12-02T10:00:00Z"),
                       "2026-12-03T00:00:00Z");
  // The held message is 12-02's one message: the 10:00 one is capped.
  CHECK(r.Count({"\"action\":\"send\"", "\"ts\":\"2026-12-02T08:00:00Z\""}) == 1);
  CHECK(r.Count({"\"action\":\"send\""}) == 1);
  CHECK(r.Count({"\"action\":\"blocked\"", "\"reason\":\"message_cap\"", "\"ts\":\"2026-12-02T10:00:00Z\""}) == 1);
}

TEST_CASE("a message still held at the end of a run shows in the state", "[engine][messages]") {
  auto r = RunScenario(std::string(R"(settings { timezone "UTC" }
rule hi on deposit { send push "hi" }
policy mk { quiet_hours 22:00-08:00 })") + kRewards,
                       Deposit("d1", "a", "2026-12-01T23:00:00Z"));
  CHECK(r.state.find("\"held\":[{\"channel\":\"push\",\"template\":\"hi\",\"release_at\":\"2026-12-02T08:00:00Z\"}]") !=
        std::string::npos);
}
