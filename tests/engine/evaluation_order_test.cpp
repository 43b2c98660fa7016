// The order of one event (LANGUAGE.md §11): metrics, then segments
// re-evaluated on them, then rules. A rule reading a segment and a rule
// reading the metric the segment is made of agree on the event that moves it.
#include <catch2/catch.hpp>

#include "tests/engine/scenario.h"

using namespace questline;
using namespace questline::testing;

namespace {
const char* kPolicy = "\npolicy rg { block rewards when profile.self_excluded }\n";
}

TEST_CASE("a rule sees a segment as of this event's metrics", "[engine][order]") {
  auto r = RunScenario(std::string(R"(segment dep = count(deposit) >= 1
rule via_segment on deposit where dep { award points 10 }
rule via_metric on deposit where count(deposit) >= 1 { award points 1 })") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":5)") +
                           Event("deposit", "d2", "u", "2026-12-01T11:00:00Z", R"("amount":5)"));
  // Both fire on the first deposit, as on every one after it.
  CHECK(r.Count({"\"event\":\"d1\"", "\"source\":\"rule:via_segment\""}) == 1);
  CHECK(r.Count({"\"event\":\"d1\"", "\"source\":\"rule:via_metric\""}) == 1);
  CHECK(r.Count({"\"event\":\"d2\"", "\"source\":\"rule:via_segment\""}) == 1);
  CHECK(r.state.find("\"points\":22") != std::string::npos);
}

TEST_CASE("a segment made of a segment is re-evaluated after the one it reads", "[engine][order]") {
  // `outer` is declared first but reads `inner`, which reads the metric.
  auto r = RunScenario(std::string(R"(segment outer = inner and not profile.self_excluded
segment inner = sum(deposit.amount) >= 100
rule big on deposit where outer { grant bonus "big" })") + kPolicy,
                       Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":60)") +
                           Event("deposit", "d2", "u", "2026-12-01T11:00:00Z", R"("amount":60)"));
  CHECK(r.Count({"\"bonus\":\"big\""}) == 1);
  CHECK(r.Count({"\"event\":\"d2\"", "\"bonus\":\"big\""}) == 1);
}

TEST_CASE("re-evaluating segments before the rules keeps their enter and exit flows", "[engine][order]") {
  // `dep` is entered by d1's metric (before the rules) and `poor` left by
  // the rule's award (in the settle): each transition runs its flow once.
  auto r = RunScenario(std::string(R"(segment dep = count(deposit) >= 1
segment poor = points < 10
rule first on deposit where dep { award points 10 }
flow welcome { on enter dep  grant bonus "welcome" }
flow rich { on exit poor  grant bonus "rich" })") + kPolicy,
                       Event("login", "l1", "u", "2026-12-01T09:00:00Z") +
                           Event("deposit", "d1", "u", "2026-12-01T10:00:00Z", R"("amount":5)") +
                           Event("deposit", "d2", "u", "2026-12-01T11:00:00Z", R"("amount":5)"));
  CHECK(r.Count({"\"bonus\":\"welcome\""}) == 1);
  CHECK(r.Count({"\"event\":\"d1\"", "\"bonus\":\"welcome\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"rich\""}) == 1);
  CHECK(r.Count({"\"event\":\"d1\"", "\"bonus\":\"rich\""}) == 1);
}

TEST_CASE("a player's first event sees the segments that hold before any event", "[engine][order]") {
  // A new player was never settled: every segment is asked before the rules.
  auto r = RunScenario(std::string(R"(segment newbie = count(deposit) == 0
rule hello on login where newbie { grant bonus "hello" })") + kPolicy,
                       Event("login", "l1", "u", "2026-12-01T10:00:00Z") +
                           Event("deposit", "d1", "u", "2026-12-01T11:00:00Z", R"("amount":5)") +
                           Event("login", "l2", "u", "2026-12-01T12:00:00Z"));
  CHECK(r.Count({"\"event\":\"l1\"", "\"bonus\":\"hello\""}) == 1);
  CHECK(r.Count({"\"bonus\":\"hello\""}) == 1);
}

TEST_CASE("after an import, the next event's rules see the segments made of imported data", "[engine][order]") {
  // Imports run no rule and settle nothing: the player's next event
  // re-evaluates every segment before its rules. Imports are the engine's
  // API (not a scenario's), so this drives an Engine by hand.
  driver::FrontEnd fe;
  driver::LoadPackageText("scenario.quest", std::string(R"(currency gems
segment promo_list = imported
segment promo_fan = promo_list and not profile.self_excluded
segment gem_rich = gems >= 100
rule fan on login where promo_fan { grant bonus "fan" }
rule rich on login where gem_rich { grant bonus "rich" })") + kPolicy, &fe.sources);
  driver::RunFrontEnd(fe);
  REQUIRE(fe.ok());
  ir::Program program = ir::LowerToIr(fe.package);
  interp::Interpreter interpreter(program);
  engine::StringPool strings;
  engine::Engine engine(program, interpreter, strings);
  io::EventReader reader(program.schema, strings);
  std::istringstream in(Event("login", "l1", "u", "2026-12-01T10:00:00Z") +
                        Event("login", "l2", "u", "2026-12-01T11:00:00Z"));
  std::vector<engine::Event> events;
  std::vector<io::Rejection> rejections;
  reader.ReadAll(in, &events, &rejections);
  REQUIRE(events.size() == 2);
  engine.Process(events[0]);   // settles u: in neither segment
  std::string error;
  REQUIRE(engine.ImportSegment(engine.SegmentIndex("promo_list"), {"u"}, &error));
  REQUIRE(engine.ImportBalance("u", engine.CurrencyIndex("gems"), engine::Engine::BalanceOp::Set, 150, &error));
  engine.Process(events[1]);
  std::vector<std::string> bonuses;
  for (const engine::Action& a : engine.DrainActions())
    for (const auto& [key, value] : a.fields)
      if (key == "bonus") bonuses.push_back(a.event + ":" + value.s);
  CHECK(bonuses == std::vector<std::string>{"l2:fan", "l2:rich"});
}
