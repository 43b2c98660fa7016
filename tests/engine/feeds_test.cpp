// Real feeds (issue 13 items 1 and 2): a provider's new game type, amounts
// with more digits than a decimal holds, fields feeds leave out, and a
// registration that fills the profile. Each case failed on the engine before
// these rules; every one runs on both backends.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

}  // namespace

TEST_CASE("a game type the package does not declare keeps the bet, equals no member, and is counted",
          "[engine][feeds]") {
  auto r = RunScenario(std::string(R"(
rule wager on bet { award points floor(bet.amount) }
rule crash on bet where bet.game_type == "crash" { award points 1000 }
rule not_slots on bet where bet.game_type != "slots" { award points 7 }
rule fav on bet where top(bet.game_type) == "slots" { award points 100000 }
)") + kPolicy,
                       Bet("b1", "u", "2026-12-01T10:00:00Z", "12", "crash_x") +
                           Bet("b2", "u", "2026-12-01T10:01:00Z", "5", "crash_x") +
                           Bet("b3", "u", "2026-12-01T10:02:00Z", "3", "mines"));
  CHECK(r.rejections.empty());
  CHECK(r.stats.events == 3);
  // The wager counts; the new type is not "crash", and is not "slots" either.
  CHECK(r.Count({"\"source\":\"rule:wager\""}) == 3);
  CHECK(r.Count({"\"source\":\"rule:crash\""}) == 0);
  CHECK(r.Count({"\"source\":\"rule:not_slots\""}) == 3);
  CHECK(r.Count({"\"source\":\"rule:fav\""}) == 0);
  CHECK(r.reader_stats.warnings.at("unknown_union_value:bet.game_type=crash_x") == 2);
  CHECK(r.reader_stats.warnings.at("unknown_union_value:bet.game_type=mines") == 1);
  CHECK(r.reader_stats.missing_fields == 0);
}

TEST_CASE("fields feeds often omit take documented defaults and count no warning", "[engine][feeds]") {
  auto r = RunScenario(std::string(R"(
rule firsts on deposit where deposit.first { award points 50 }
rule any on deposit where not deposit.first and deposit.method == "" { award points 1 }
rule mobile on bet where bet.device == "mobile" { award points 9 }
rule spin on bet { award points 2 }
)") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":20)") +
                           Event("bet", "b1", "u", "2026-12-01T10:01:00Z",
                                 R"("game":"book","game_type":"slots","amount":1)") +
                           Event("login", "l1", "u", "2026-12-01T10:02:00Z"));
  CHECK(r.rejections.empty());
  CHECK(r.reader_stats.missing_fields == 0);
  CHECK(r.Count({"\"source\":\"rule:firsts\""}) == 0);
  CHECK(r.Count({"\"source\":\"rule:any\""}) == 1);
  CHECK(r.Count({"\"source\":\"rule:mobile\""}) == 0);
  CHECK(r.Count({"\"source\":\"rule:spin\""}) == 1);
}

TEST_CASE("extra fractional digits round half-even with a warning; out-of-range amounts say so",
          "[engine][feeds]") {
  auto r = RunScenario(std::string(R"(
rule big on deposit where deposit.amount > 0 { send inbox "got" { amount: deposit.amount } }
)") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":0.000123455)") +
                           Event("deposit", "d2", "u", "2026-12-01T10:01:00Z", R"("amount":1e30)") +
                           Event("deposit", "d3", "u", "2026-12-01T10:02:00Z", R"("amount":123456789012345678901)"));
  CHECK(r.Count({"\"source\":\"rule:big\""}) == 1);
  CHECK(r.reader_stats.warnings.at("decimal_rounded:deposit.amount") == 1);
  REQUIRE(r.rejections.size() == 2);
  for (const auto& rej : r.rejections) {
    INFO(rej.reason);
    CHECK(rej.reason.rfind("field 'amount' is out of range: decimals hold at most \u00b1", 0) == 0);
  }
}

TEST_CASE("a registration sets the profile fields it carries and registered_at", "[engine][feeds]") {
  auto r = RunScenario(std::string(R"(
rule welcome on registration where profile.country == "MT" and profile.brand == "lucky" {
  send inbox "welcome" { country: profile.country, language: profile.language, at: profile.registered_at }
}
rule fresh on login where now - profile.registered_at < 1d and profile.language == "mt" { award points 5 }
)") + kPolicy,
                       Event("registration", "r1", "u", "2026-12-01T10:00:00Z",
                             R"("country":"MT","language":"mt","brand":"lucky","affiliate":"aff7","device":"app")") +
                           Event("login", "l1", "u", "2026-12-01T12:00:00Z", R"("device":"app")") +
                           // v only carries a country: its language keeps the profile's default.
                           Event("registration", "r2", "v", "2026-12-01T10:00:00Z", R"("country":"MT","brand":"lucky")"));
  CHECK(r.Count({"\"user\":\"u\"", "\"template\":\"welcome\"", "\"country\":\"MT\"", "\"language\":\"mt\"",
                 "\"at\":\"2026-12-01T10:00:00Z\""}) == 1);
  CHECK(r.Count({"\"user\":\"v\"", "\"template\":\"welcome\"", "\"language\":\"en\""}) == 1);
  CHECK(r.Count({"\"source\":\"rule:fresh\"", "\"user\":\"u\""}) == 1);
  CHECK(r.reader_stats.missing_fields == 0);
}

TEST_CASE("decimals keep 8 fractional digits exactly: crypto amounts, sums and products", "[engine][feeds]") {
  auto r = RunScenario(std::string(R"(
metric btc = sum(deposit.amount)
rule got on deposit { send inbox "got" { amount: deposit.amount, total: btc, fee: deposit.amount * 0.015, third: deposit.amount / 3 } }
)") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":0.00012345,"currency":"BTC")") +
                           Event("deposit", "d2", "u", "2026-12-01T10:01:00Z", R"("amount":0.00000001,"currency":"BTC")") +
                           Event("deposit", "d3", "u", "2026-12-01T10:02:00Z", R"("amount":92233720368.54775807)"));
  CHECK(r.rejections.empty());
  CHECK(r.reader_stats.warnings.empty());
  CHECK(r.Count({"\"event\":\"d1\"", "\"amount\":0.00012345", "\"total\":0.00012345", "\"fee\":0.00000185",
                 "\"third\":0.00004115"}) == 1);
  CHECK(r.Count({"\"event\":\"d2\"", "\"amount\":0.00000001", "\"total\":0.00012346", "\"fee\":0,", "\"third\":0}"}) == 1);
  CHECK(r.Count({"\"event\":\"d3\"", "\"amount\":92233720368.54775807"}) == 1);
}
