// Store purchases, mini-game plays and raffle draws.
#include <catch2/catch.hpp>

#include <map>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Purchase(const std::string& id, const std::string& user, const std::string& ts, const std::string& item) {
  return Event("store_purchase", id, user, ts, "\"item\":\"" + item + "\"");
}
std::string Play(const std::string& id, const std::string& user, const std::string& ts, const std::string& game) {
  return Event("minigame_play", id, user, ts, "\"game\":\"" + game + "\"");
}

}  // namespace

TEST_CASE("store purchases: every rejection reason, and a stock of one", "[engine][store]") {
  auto r = RunScenario(std::string(R"(segment vip = profile.vip
item spins { price 100 points  limit 1 per week  stock 1  on purchase { grant bonus "fs_50" } }
item vip_only { price 1 points  audience vip }
rule gift on deposit { award points 150 }
flow f { on enter vip })") + kPolicy,
                       Event("deposit", "d1", "alice", "2026-12-01T10:00:00Z", R"("amount":10)") +
                           Event("deposit", "d2", "bob", "2026-12-01T10:00:00Z", R"("amount":10)") +
                           Purchase("p0", "alice", "2026-12-01T10:01:00Z", "spinz") +
                           Purchase("p1", "alice", "2026-12-01T10:02:00Z", "vip_only") +
                           Purchase("p2", "alice", "2026-12-01T10:03:00Z", "spins") +
                           Purchase("p3", "alice", "2026-12-01T10:04:00Z", "spins") +
                           Purchase("p4", "bob", "2026-12-01T10:05:00Z", "spins") +
                           Purchase("p5", "carol", "2026-12-01T10:06:00Z", "spins"));
  CHECK(r.Count({"\"event\":\"p0\"", "\"reason\":\"unknown_item\""}) == 1);
  CHECK(r.Count({"\"event\":\"p1\"", "\"reason\":\"not_in_audience\""}) == 1);
  CHECK(r.Count({"\"event\":\"p2\"", "\"action\":\"purchase\"", "\"balance\":50"}) == 1);
  CHECK(r.Count({"\"event\":\"p2\"", "\"bonus\":\"fs_50\""}) == 1);
  CHECK(r.Count({"\"event\":\"p3\"", "\"reason\":\"limit_reached\""}) == 1);
  // The only unit went to alice: bob cannot buy it.
  CHECK(r.Count({"\"event\":\"p4\"", "\"reason\":\"out_of_stock\""}) == 1);
  CHECK(r.Count({"\"event\":\"p5\"", "\"reason\":\"out_of_stock\""}) == 1);
  // A rejected request changes no state.
  CHECK(r.state.find("\"user\":\"bob\",\"points\":150") != std::string::npos);
  CHECK(r.state.find("\"purchases\":{\"spins\":1}") != std::string::npos);
}

TEST_CASE("mini-game draws replay identically with a seed and differ with another", "[engine][minigames]") {
  auto package = [](const char* seed) {
    return std::string("settings { seed \"") + seed + R"(" }
minigame wheel {
  cost 1 attempt
  prize small weight 70 { award points 1 }
  prize big weight 29 { award points 100 }
  prize jackpot weight 1 stock 1 { grant bonus "jackpot" }
}
rule give_attempts on login { give attempts wheel 1 })" + kPolicy;
  };
  std::string events;
  for (int i = 0; i < 200; ++i) {
    std::string ts = "2026-12-01T10:" + std::string(i / 60 < 10 ? "0" : "") + std::to_string(i / 60) + ":" +
                     (i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + "Z";
    events += Event("login", "l" + std::to_string(i), "u", ts) + Play("m" + std::to_string(i), "u", ts, "wheel");
  }
  auto prizes = [](const ScenarioResult& r) {
    std::string seq;
    for (const std::string& a : r.actions)
      if (a.find("\"action\":\"minigame\"") != std::string::npos) seq += a.substr(a.find("\"prize\":"));
    return seq;
  };
  auto a = RunScenario(package("alpha"), events), b = RunScenario(package("alpha"), events);
  auto c = RunScenario(package("beta"), events);
  CHECK(a.Count({"\"action\":\"minigame\""}) == 200);
  CHECK(prizes(a) == prizes(b));
  CHECK(prizes(a) != prizes(c));
  // Weighted: about 70% small over 200 draws; the jackpot's stock of one holds.
  size_t small = a.Count({"\"prize\":\"small\""});
  CHECK(small > 110);
  CHECK(small < 170);
  CHECK(a.Count({"\"prize\":\"jackpot\""}) <= 1);
}

TEST_CASE("mini-game rejections", "[engine][minigames]") {
  auto r = RunScenario(std::string(R"(minigame wheel { cost 1 attempt  prize p weight 1  limit 1 per day }
minigame scratch { cost 50 points  prize p weight 1 }
rule give_attempts on login { give attempts wheel 5 })") + kPolicy,
                       Play("m0", "u", "2026-12-01T10:00:00Z", "whel") + Play("m1", "u", "2026-12-01T10:01:00Z", "wheel") +
                           Event("login", "l1", "u", "2026-12-01T10:02:00Z") +
                           Play("m2", "u", "2026-12-01T10:03:00Z", "wheel") + Play("m3", "u", "2026-12-01T10:04:00Z", "wheel") +
                           Play("m4", "u", "2026-12-01T10:05:00Z", "scratch"));
  CHECK(r.Count({"\"event\":\"m0\"", "\"reason\":\"unknown_game\""}) == 1);
  CHECK(r.Count({"\"event\":\"m1\"", "\"reason\":\"no_attempts\""}) == 1);
  CHECK(r.Count({"\"event\":\"m2\"", "\"action\":\"minigame\""}) == 1);
  CHECK(r.Count({"\"event\":\"m3\"", "\"reason\":\"limit_reached\""}) == 1);
  CHECK(r.Count({"\"event\":\"m4\"", "\"reason\":\"insufficient_balance\""}) == 1);
}

TEST_CASE("raffle limits hold across 1,000 tickets", "[engine][raffles]") {
  std::string events;
  for (int u = 0; u < 10; ++u)
    events += Event("deposit", "d" + std::to_string(u), "user" + std::to_string(u), "2026-12-01T10:00:00Z",
                    u == 0 ? R"("amount":9100)" : R"("amount":100)");
  auto r = RunScenario(std::string(R"(raffle xmas {
  draw at 2026-12-24T20:00Z
  prize car count 1 max_per_user 1 { grant bonus "car" }
  prize spins count 20 max_per_user 2 { grant bonus "fs_100" }
  max_prizes_per_user 2
}
rule raffle_tickets on deposit { give tickets xmas floor(deposit.amount / 10) })") + kPolicy,
                       events, "2026-12-25T00:00:00Z");
  // user0 holds 910 of the 1,000 tickets, the nine others 10 each; nobody wins more than 2.
  std::map<std::string, int> wins;
  for (const std::string& a : r.actions)
    if (a.find("\"action\":\"raffle\"") != std::string::npos) {
      auto at = a.find("\"user\":\"") + 8;
      wins[a.substr(at, a.find('"', at) - at)]++;
    }
  int total = 0;
  for (auto& [user, n] : wins) {
    INFO(user);
    CHECK(n <= 2);
    total += n;
  }
  CHECK(wins["user0"] == 2);
  CHECK(total == 1 + 19);   // 10 players × 2 prizes at most = 20 prizes
  CHECK(r.Count({"\"action\":\"raffle\"", "\"ts\":\"2026-12-24T20:00:00Z\""}) == static_cast<size_t>(total));
}
