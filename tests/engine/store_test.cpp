// Mini-game draws: the same seed draws the same prizes, another seed others,
// about as weighted: comparisons between runs, not a scenario's. Purchases,
// rejections and raffles are data: tests/engine/scenarios/store/.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline::testing;

namespace {

const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";

std::string Play(const std::string& id, const std::string& user, const std::string& ts, const std::string& game) {
  return Event("minigame_play", id, user, ts, "\"game\":\"" + game + "\"");
}

}  // namespace

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
