// Competitions ranked and stock kept elsewhere (docs/scale-out.md, "Global
// mechanics") without a broker: players split over partitions whose engines
// hand their closed windows and stock claims out, a Standings ranking the
// windows once over all partitions and a StockBook answering the claims, and
// each partition's gate waiting at a window's end for the results and at a
// claiming event for its answer. The partitions together must act as one
// engine of all the events, prizes, ties, cancellations and sales included;
// the owners must survive a save and load and take any record without harm.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <sstream>

#include "runtime/daemon/kafka/standings.h"
#include "runtime/daemon/kafka/stock_book.h"
#include "runtime/io/action_writer.h"
#include "runtime/io/owner_lines.h"
#include "runtime/io/result_gate.h"
#include "tests/engine/scenario.h"

using namespace questline;
using namespace questline::testing;
using questline::daemon::kafka::PlacedResult;
using questline::daemon::kafka::PlacedAnswer;
using questline::daemon::kafka::Standings;
using questline::daemon::kafka::StockBook;

namespace {

const char* kPackage = R"(
leaderboard race {
  score sum(bet.amount)
  period weekly
  prizes { 1: award points 50  2..3: award points 10 }
}
leaderboard earners { score points_earned  period weekly  prizes { 1: award points 7 } }
tournament live_cup {
  window 2026-12-01T00:00Z .. 2026-12-03T00:00Z
  score count(bet where bet.game_type == "live_casino")
  min_players 4
  prizes { 1: award points 99 }
}
rule per_bet on bet { award points 1 })";

// One partition: an engine ranked elsewhere behind its gate.
struct Partition {
  Partition(const ir::Program& program, int32_t index) : interpreter(program), index(index) {
    engine::EngineOptions options;
    options.owned_elsewhere = true;
    engine = std::make_unique<engine::Engine>(program, interpreter, strings, options);
    reader = std::make_unique<io::EventReader>(program.schema, strings);
    gate = std::make_unique<io::ResultGate>(*engine, *reader);
    gate->rejected = [](int64_t position, const std::string& reason) { FAIL("line " << position << ": " << reason); };
  }
  interp::Interpreter interpreter;
  int32_t index;
  engine::StringPool strings;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<io::EventReader> reader;
  std::unique_ptr<io::ResultGate> gate;
  int64_t position = 0;
  std::vector<std::string> actions;
};

// Actions without what names their step (a prize's is its result, not the
// close's timer) or numbers them in one sequence.
std::map<std::string, int> Bag(const std::vector<std::string>& lines) {
  std::map<std::string, int> bag;
  for (std::string line : lines) {
    for (const char* field : {"\"seq\":", "\"event\":", "\"key\":"}) {
      const size_t at = line.find(field);
      if (at == std::string::npos) continue;
      size_t end = line.find(',', at);
      if (line[line.find(':', at) + 1] == '"') end = line.find("\",", at) + 1;
      line.erase(at, end + 1 - at);
    }
    ++bag[line];
  }
  return bag;
}

// The lines one side has more of than the other, each named by its side.
std::string BagDifferences(const std::vector<std::string>& partitions, const std::vector<std::string>& one) {
  const auto got = Bag(partitions), want = Bag(one);
  std::string differences;
  for (const auto& [line, n] : got)
    if (want.count(line) == 0 || want.at(line) != n) differences += "partitions: " + line;
  for (const auto& [line, n] : want)
    if (got.count(line) == 0 || got.at(line) != n) differences += "one engine: " + line;
  return differences;
}

std::vector<std::string> Drain(engine::Engine& engine) {
  std::vector<std::string> out;
  for (engine::Action& a : engine.DrainActions()) {
    std::string line;
    io::AppendActionJson(line, a);
    out.push_back(line);
  }
  return out;
}

// The loop questd runs over Kafka, in memory: each event to its player's
// partition; after each, the partition's closed windows and clock to the
// standings, whose results go back into the partitions' logs.
struct Cluster {
  Cluster(const ir::Program& program, int32_t n, std::map<std::string, int32_t> homes)
      : standings(program, n), stock(program, n, 7 * 86'400'000LL), homes(std::move(homes)) {
    for (int32_t p = 0; p < n; ++p) partitions.push_back(std::make_unique<Partition>(program, p));
  }
  void Settle(Partition& part) {
    part.gate->Run();
    for (std::string& a : Drain(*part.engine)) part.actions.push_back(std::move(a));
    std::vector<PlacedResult> results;
    std::string error;
    for (const engine::ClosedWindow& w : part.engine->DrainClosedWindows())
      for (const std::string& record : Standings::EncodeWindow(w, part.index))
        REQUIRE(standings.Apply(record, &results, &error));
    for (const engine::RaffleEntrants& d : part.engine->DrainRaffleEntrants())
      for (const std::string& record : Standings::EncodeRaffle(d, part.index))
        REQUIRE(standings.Apply(record, &results, &error));
    if (part.engine->Clock() != INT64_MIN)
      REQUIRE(standings.Apply(Standings::EncodeClock(part.index, part.engine->Clock()), &results, &error));
    for (const PlacedResult& r : results) {
      std::string line;
      if (r.is_raffle) io::AppendRaffleResultLine(line, r.raffle);
      else io::AppendCompetitionResultLine(line, r.result);
      Partition& to = *partitions[size_t(r.partition)];
      to.gate->Push(line, ++to.position);
      pending.push_back(&to);
    }
    for (const engine::StockClaim& claim : part.engine->DrainStockClaims()) {
      PlacedAnswer placed;
      REQUIRE(stock.Apply(StockBook::EncodeClaim(claim, part.index), standings.LowestClock(), &placed, &error));
      REQUIRE(placed.partition == part.index);
      std::string line;
      io::AppendStockAnswerLine(line, placed.answer);
      part.gate->Push(line, ++part.position);
      pending.push_back(&part);
    }
  }
  void Feed(const std::string& ndjson) {
    std::istringstream in(ndjson);
    std::string line;
    while (std::getline(in, line)) {
      const size_t at = line.find("\"user\":\"") + 8;
      Deliver(*partitions[size_t(homes.at(line.substr(at, line.find('"', at) - at)))], line);
    }
  }
  void Deliver(Partition& part, const std::string& line) {
    part.gate->Push(line, ++part.position);
    Settle(part);
    while (!pending.empty()) {
      Partition* next = pending.back();
      pending.pop_back();
      Settle(*next);
    }
  }
  std::vector<std::string> Actions() const {
    std::vector<std::string> all;
    for (const auto& p : partitions) all.insert(all.end(), p->actions.begin(), p->actions.end());
    return all;
  }
  Standings standings;
  StockBook stock;
  std::map<std::string, int32_t> homes;
  std::vector<std::unique_ptr<Partition>> partitions;
  std::vector<Partition*> pending;
};

std::string Events() {
  // Week 1: ann and bob tie at 9, bob first; cat and dan follow. Week 2's
  // first events come from each partition in turn, so every partition's
  // gate waits at the week's end. The live cup has three players: cancelled.
  return Bet("b1", "bob", "2026-12-01T10:00:00Z", "9", "live_casino") + Bet("b2", "ann", "2026-12-01T11:00:00Z", "9", "live_casino") +
         Bet("b3", "cat", "2026-12-02T10:00:00Z", "4", "live_casino") + Bet("b4", "dan", "2026-12-02T11:00:00Z", "2") +
         Bet("b5", "cat", "2026-12-04T10:00:00Z", "1") + Bet("b6", "dan", "2026-12-08T10:00:00Z", "3") +
         Bet("b7", "ann", "2026-12-08T11:00:00Z", "5") + Bet("b8", "bob", "2026-12-09T10:00:00Z", "1") +
         Bet("b9", "cat", "2026-12-15T10:00:00Z", "1") + Bet("b10", "ann", "2026-12-15T11:00:00Z", "1") +
         Bet("b11", "dan", "2026-12-15T12:00:00Z", "1") + Bet("b12", "bob", "2026-12-15T13:00:00Z", "1");
}

}  // namespace

TEST_CASE("partitions ranked by standings act as one engine", "[kafka][standings]") {
  ir::Program program = LowerPackage(kPackage);
  HandEngine one(program);
  one.Feed(Events());
  const std::vector<std::string> want = Drain(one.engine);

  Cluster cluster(program, 2, {{"ann", 0}, {"cat", 0}, {"bob", 1}, {"dan", 1}});
  cluster.Feed(Events());
  const std::vector<std::string> got = cluster.Actions();
  INFO(BagDifferences(got, want));
  CHECK(Bag(got) == Bag(want));
  CHECK(cluster.standings.PendingWindows() == 0);   // week 2's windows are ranked too (by b9 … b12)
  for (const auto& p : cluster.partitions) CHECK_FALSE(p->gate->Waiting());

  // The tie went to who reached 9 first, across partitions.
  std::string ranks;
  for (const std::string& a : got)
    if (a.find("\"leaderboard\":\"race\"") != std::string::npos && a.find("\"score\":9") != std::string::npos)
      ranks += a.substr(a.find("\"user\":\""), 12) + a.substr(a.find("\"rank\":"), 8) + "\n";
  INFO(ranks);
  CHECK(ranks.find("\"user\":\"bob\"\"rank\":1") != std::string::npos);
  CHECK(ranks.find("\"user\":\"ann\"\"rank\":2") != std::string::npos);
  // Three players under min_players 4: each told of the cancellation, whichever partition they are in.
  size_t cancelled = 0;
  for (const std::string& a : got) cancelled += a.find("\"state\":\"cancelled\"") != std::string::npos;
  CHECK(cancelled == 3);
}

TEST_CASE("a gate waits at a window's end until the owner's results are in", "[kafka][standings]") {
  ir::Program program = LowerPackage(kPackage);
  Partition part(program, 0);
  part.gate->Push(Bet("b1", "ann", "2026-12-01T10:00:00Z", "9"), 1);
  part.gate->Push(Bet("b2", "ann", "2026-12-08T10:00:00Z", "1"), 2);
  part.gate->Run();
  CHECK(part.gate->Waiting());
  CHECK(part.gate->FirstWaiting() == 2);   // b2 is after the week's end: it waits
  CHECK(part.engine->AwaitedWindows() == 2);   // race and earners
  std::vector<engine::ClosedWindow> out = part.engine->DrainClosedWindows();
  REQUIRE(out.size() == 2);

  Standings standings(program, 1);
  std::vector<PlacedResult> results;
  std::string error;
  for (const engine::ClosedWindow& w : out)
    for (const std::string& record : Standings::EncodeWindow(w, 0)) REQUIRE(standings.Apply(record, &results, &error));
  CHECK(results.empty());   // the partition's clock has not been told yet
  REQUIRE(standings.Apply(Standings::EncodeClock(0, part.engine->Clock()), &results, &error));
  REQUIRE(results.size() == 4);   // by window (race, earners: the program's order): ann's result, then a `done`
  CHECK((!results[0].result.done && results[1].result.done && !results[2].result.done && results[3].result.done));

  // One competition's results into the partition's log, as its owner writes them.
  int64_t position = 10;
  auto write = [&](const std::string& competition) {
    for (const PlacedResult& r : results)
      if (r.result.competition == competition) {
        std::string line;
        io::AppendCompetitionResultLine(line, r.result);
        part.gate->Push(line, ++position);
      }
  };
  // Only earners' results in the log (another owner's): still waiting for race's.
  write("earners");
  part.gate->Run();
  CHECK(part.gate->Waiting());
  write("race");
  part.gate->Run();
  CHECK_FALSE(part.gate->Waiting());
  std::string state;
  REQUIRE(part.engine->UserStateJson("ann", &state));
  CHECK(state.find("\"race\":{\"score\":1,\"rank\":1,\"last\":{\"score\":9,\"rank\":1}}") != std::string::npos);
}

TEST_CASE("a clock tick moves an idle partition past a window's end", "[kafka][standings]") {
  ir::Program program = LowerPackage(kPackage);
  Cluster cluster(program, 2, {{"ann", 0}, {"bob", 1}});
  cluster.Feed(Bet("b1", "ann", "2026-12-01T10:00:00Z", "9") + Bet("b2", "bob", "2026-12-01T11:00:00Z", "5") +
               Bet("b3", "ann", "2026-12-08T10:00:00Z", "1"));
  CHECK(cluster.partitions[0]->gate->Waiting());   // bob's partition is still on Dec 1: nothing is ranked
  cluster.Deliver(*cluster.partitions[1], R"({"clock_tick":"2026-12-06T23:59:59Z"})");
  CHECK(cluster.partitions[0]->gate->Waiting());   // not past the end yet
  cluster.Deliver(*cluster.partitions[1], R"( { "clock_tick" : "2026-12-07T00:00:00Z" } )");   // any JSON spacing
  CHECK_FALSE(cluster.partitions[0]->gate->Waiting());
  CHECK_FALSE(cluster.partitions[1]->gate->Waiting());
  std::string ann, bob;
  REQUIRE(cluster.partitions[0]->engine->UserStateJson("ann", &ann));
  REQUIRE(cluster.partitions[1]->engine->UserStateJson("bob", &bob));
  CHECK(ann.find("\"race\":{\"score\":1,\"rank\":1,\"last\":{\"score\":9,\"rank\":1}}") != std::string::npos);
  CHECK(bob.find("\"race\":{\"last\":{\"score\":5,\"rank\":2}}") != std::string::npos);
  // A damaged tick is a rejection with its position, and moves nothing.
  Partition lone(program, 0);
  std::vector<std::string> rejected;
  lone.gate->rejected = [&](int64_t, const std::string& reason) { rejected.push_back(reason); };
  for (const char* bad : {R"({"clock_tick":"soon"})", R"({"clock_tick":"2026-12-08T00:00:00Z","x":1})",
                          R"({"clock_tick":5})"})
    lone.gate->Push(bad, 1);
  lone.gate->Run();
  CHECK(rejected.size() == 3);
  CHECK(lone.engine->Clock() == INT64_MIN);
}

TEST_CASE("a gate that may keep only a few lines reads the log again and runs the same", "[kafka][standings]") {
  ir::Program program = LowerPackage(kPackage);
  // The log: ann's week, then five events after its end, then the owner's results.
  std::vector<std::string> log = {Bet("b1", "ann", "2026-12-01T10:00:00Z", "9")};
  for (int i = 2; i <= 6; ++i) log.push_back(Bet("b" + std::to_string(i), "ann", "2026-12-08T1" + std::to_string(i) + ":00:00Z", "1"));
  {
    Partition probe(program, 0);
    probe.gate->Push(log[0], 1);
    probe.gate->Push(log[1], 2);
    probe.gate->Run();
    Standings standings(program, 1);
    std::vector<PlacedResult> results;
    std::string error;
    for (const engine::ClosedWindow& w : probe.engine->DrainClosedWindows())
      for (const std::string& record : Standings::EncodeWindow(w, 0)) REQUIRE(standings.Apply(record, &results, &error));
    REQUIRE(standings.Apply(Standings::EncodeClock(0, probe.engine->Clock()), &results, &error));
    for (const PlacedResult& r : results) {
      std::string line;
      io::AppendCompetitionResultLine(line, r.result);
      log.push_back(line);
    }
  }
  auto run = [&](size_t max_held, int* refetches) {
    Partition part(program, 0);
    part.gate->max_held = max_held;
    size_t next = 0;
    while (next < log.size()) {
      part.gate->Push(log[next], int64_t(next));
      ++next;
      part.gate->Run();
      if (const int64_t from = part.gate->TakeRefetch(); from >= 0) {
        next = size_t(from);
        ++*refetches;
      }
    }
    CHECK_FALSE(part.gate->Waiting());
    std::string state;
    REQUIRE(part.engine->UserStateJson("ann", &state));
    std::string out;
    for (const std::string& a : Drain(*part.engine)) out += a;
    return out + state;
  };
  int unbounded = 0, bounded = 0;
  const std::string want = run(0, &unbounded);
  CHECK(run(2, &bounded) == want);
  CHECK(unbounded == 0);
  CHECK(bounded == 1);
}

TEST_CASE("standings saved mid-window rank as if never saved; bad records change nothing", "[kafka][standings]") {
  ir::Program program = LowerPackage(kPackage);
  engine::ClosedWindow w{"race", 0, 1000, {{"ann", 9, 50, true, false}, {"bob", 9, 40, true, false}}};
  engine::ClosedWindow w2{"race", 0, 1000, {{"cat", 12, 70, true, false}}};
  std::vector<PlacedResult> results;
  std::string error;
  Standings a(program, 2);
  REQUIRE(a.Apply(Standings::EncodeWindow(w, 0)[0], &results, &error));
  REQUIRE(a.Apply(Standings::EncodeWindow(w, 0)[0], &results, &error));   // a transaction produced again
  REQUIRE(a.Apply(Standings::EncodeClock(0, 1000), &results, &error));
  CHECK(results.empty());

  for (const char* bad : {"", "[]", "{}", "{\"partition\":2,\"clock\":5}", "{\"partition\":-1,\"clock\":5}",
                          "{\"partition\":0,\"clock\":5,\"x\":1}", "{\"partition\":0,\"clock\":\"5\"}",
                          "{\"partition\":1,\"competition\":\"race\",\"start\":0,\"end\":1000,\"entries\":[[\"x\",1,2]]}",
                          "{\"partition\":1,\"competition\":\"race\",\"start\":0,\"end\":1000,\"entries\":[[\"x\",1,2,9]]}",
                          "\x01\xff{", "{\"partition\":1,\"competition\":\"race\",\"start\":0,\"end\":1000}"}) {
    INFO(bad);
    CHECK_FALSE(a.Apply(bad, &results, &error));
  }
  CHECK(a.PendingWindows() == 1);

  Standings b(program, 2);
  REQUIRE(b.Load(a.Save(), &error));
  Standings wrong(program, 3);
  CHECK_FALSE(wrong.Load(a.Save(), &error));
  CHECK_FALSE(b.Load(a.Save().substr(0, 20), &error));
  for (Standings* s : {&a, &b}) {
    std::vector<PlacedResult> out;
    REQUIRE(s->Apply(Standings::EncodeWindow(w2, 1)[0], &out, &error));
    REQUIRE(s->Apply(Standings::EncodeClock(1, 2000), &out, &error));
    REQUIRE(out.size() == 5);   // cat, bob (reached 9 first), ann, then a `done` for each partition
    CHECK(out[0].result.user == "cat");
    CHECK(out[0].partition == 1);
    CHECK(out[1].result.user == "bob");
    CHECK(out[2].result.user == "ann");
    CHECK(out[2].result.rank == 3);
    CHECK((out[3].result.done && out[4].result.done));
  }
}

TEST_CASE("competition result lines round-trip, and say what is wrong", "[kafka][standings]") {
  engine::CompetitionResult r{"race \"x\"", "ann", 1000, 2, 9, true, false};
  std::string line;
  io::AppendCompetitionResultLine(line, r);
  CHECK(io::IsCompetitionResultLine(line));
  engine::CompetitionResult back;
  std::string error;
  REQUIRE(io::ParseCompetitionResultLine(line, &back, &error));
  CHECK((back.competition == r.competition && back.user == "ann" && back.window_end == 1000 && back.rank == 2 &&
         back.score == 9 && back.registered && !back.done));
  CHECK_FALSE(io::IsCompetitionResultLine(R"({"type":"bet"})"));
  for (const char* bad : {R"({"competition_result":{}})", R"({"competition_result":1})",
                          R"({"competition_result":{"competition":"r","window_end":1,"done":true,"user":"a"}})",
                          R"({"competition_result":{"competition":"r","window_end":1,"user":"a","rank":"1","score":1,"registered":false}})",
                          R"({"competition_result":{"competition":"r"}, "x":1})", R"({"competition_result":)"}) {
    INFO(bad);
    CHECK_FALSE(io::ParseCompetitionResultLine(bad, &back, &error));
    CHECK(!error.empty());
  }
}

std::string Purchase(const std::string& id, const std::string& user, const std::string& ts, const std::string& item) {
  return R"({"id":")" + id + R"(","type":"store_purchase","user":")" + user + R"(","ts":")" + ts +
         R"(","item":")" + item + "\"}\n";
}

std::string Play(const std::string& id, const std::string& user, const std::string& ts, const std::string& game) {
  return R"({"id":")" + id + R"(","type":"minigame_play","user":")" + user + R"(","ts":")" + ts +
         R"(","game":")" + game + "\"}\n";
}

const char* kShop = R"(
item hat { price 10 points  stock 3 }
item cap { price 10 points }
minigame wheel { cost 1 points  prize gold weight 1 stock 2 { award points 100 }  prize tin weight 3 stock 3 }
tournament cup {
  window 2026-12-01T00:00Z .. 2026-12-03T00:00Z
  register buy_in 40 points
  score count(bet)
  max_players 3
}
rule per_bet on bet { award points bet.amount })";

// Eight players over two partitions buy three hats, spin a wheel of five
// prizes and register for a cup of three seats; some cannot pay. Events
// alternate partitions.
std::string ShopEvents() {
  std::string events;
  const char* users[] = {"ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal"};
  for (int i = 0; i < 8; ++i)
    events += Bet(std::string("b") + users[i], users[i], "2026-12-01T10:0" + std::to_string(i) + ":00Z",
                  i == 2 || i == 7 ? "5" : "50");
  for (int i = 0; i < 8; ++i) {
    const std::string at = "2026-12-01T11:0" + std::to_string(i) + ":00Z";
    events += Purchase(std::string("h") + users[i], users[i], at, "hat");   // cat cannot pay; hal comes after the last
    events += Purchase(std::string("c") + users[i], users[i], at, "cap");   // unlimited: nothing to ask
  }
  for (int i = 0; i < 8; ++i)
    events += Play(std::string("w") + users[i], users[i], "2026-12-01T12:0" + std::to_string(i) + ":00Z", "wheel");
  for (int i = 7; i >= 0; --i)   // hal first: he cannot pay, and a seat is left
    events += Event("tournament_register", std::string("r") + users[i], users[i],
                    "2026-12-01T13:0" + std::to_string(7 - i) + ":00Z", R"("tournament":"cup")");
  return events;
}

std::map<std::string, int32_t> ShopHomes() {
  return {{"ann", 0}, {"bob", 1}, {"cat", 0}, {"dan", 1}, {"eve", 0}, {"fay", 1}, {"gus", 0}, {"hal", 1}};
}

TEST_CASE("partitions take stock from its owner and act as one engine", "[kafka][stock]") {
  ir::Program program = LowerPackage(kShop);
  HandEngine one(program);
  one.Feed(ShopEvents());
  const std::vector<std::string> want = Drain(one.engine);

  Cluster cluster(program, 2, ShopHomes());
  cluster.Feed(ShopEvents());
  const std::vector<std::string> got = cluster.Actions();
  INFO(BagDifferences(got, want));
  CHECK(Bag(got) == Bag(want));
  for (const auto& p : cluster.partitions) CHECK_FALSE(p->gate->Waiting());

  // Three hats sold across both partitions; cat's refusal is for the
  // balance (the hat was in stock), hal's for the stock (cat took none).
  size_t hats = 0, spins = 0, seats = 0;
  std::string reasons;
  for (const std::string& a : got) {
    hats += a.find("\"action\":\"purchase\",") != std::string::npos && a.find("\"item\":\"hat\"") != std::string::npos;
    spins += a.find("\"action\":\"minigame\"") != std::string::npos;
    seats += a.find("\"state\":\"registered\"") != std::string::npos;
    if (a.find("\"reason\"") != std::string::npos) reasons += a.substr(a.find("\"user\""), 14) + a.substr(a.find("\"reason\"")) ;
  }
  INFO(reasons);
  CHECK(hats == 3);
  CHECK(spins == 5);   // the wheel's five prizes, then no_prize_left
  CHECK(seats == 3);
  CHECK(reasons.find("\"reason\":\"full\"") != std::string::npos);
  int64_t cup_end = 0;
  REQUIRE(io::ParseTimestamp("2026-12-03T00:00:00Z", &cup_end));
  CHECK(cluster.stock.Left("tournament:cup", cup_end) == std::vector<int64_t>{0});
  CHECK(reasons.find("\"user\":\"cat\"") != std::string::npos);
  CHECK(cluster.stock.Left("item:hat") == std::vector<int64_t>{0});
  CHECK(cluster.stock.Left("minigame:wheel") == std::vector<int64_t>({0, 0}));
  CHECK(cluster.stock.Left("item:cap").empty());   // unlimited: not the owner's
}

TEST_CASE("a gate holds a purchase until its stock answer is in the log", "[kafka][stock]") {
  ir::Program program = LowerPackage(kShop);
  Partition part(program, 0);
  part.gate->Push(Bet("b1", "ann", "2026-12-01T10:00:00Z", "50"), 1);
  part.gate->Push(Purchase("h1", "ann", "2026-12-01T11:00:00Z", "hat"), 2);
  part.gate->Push(Bet("b2", "ann", "2026-12-01T11:30:00Z", "7"), 3);
  part.gate->Run();
  CHECK(part.gate->Waiting());
  CHECK(part.gate->FirstWaiting() == 2);
  CHECK(part.engine->AwaitingStock());
  const std::vector<engine::StockClaim> claims = part.engine->DrainStockClaims();
  REQUIRE(claims.size() == 1);
  CHECK((claims[0].kind == engine::StockClaim::Kind::Take && claims[0].stock == "item:hat" &&
         claims[0].user == "ann" && claims[0].event == "h1"));
  // Waiting, the step is undone: nothing bought, the id not yet seen, b2 not run.
  std::string state;
  REQUIRE(part.engine->UserStateJson("ann", &state));
  CHECK(state.find("\"points\":50") != std::string::npos);
  CHECK(part.engine->Stats().events == 1);
  // The state while waiting, restored elsewhere, waits the same way.
  Partition restored(program, 0);
  std::string error;
  REQUIRE(restored.engine->Restore(part.engine->Snapshot(), &error));
  restored.gate->Push(Purchase("h1", "ann", "2026-12-01T11:00:00Z", "hat"), 2);
  restored.gate->Run();
  CHECK(restored.engine->AwaitingStock());
  REQUIRE(restored.engine->DrainStockClaims().size() == 1);

  // Another step's answer (a repeat) is skipped; the awaited one lets h1, then b2, run.
  StockBook book(program, 1, 86'400'000);
  PlacedAnswer placed;
  REQUIRE(book.Apply(StockBook::EncodeClaim(claims[0], 0), INT64_MIN, &placed, &error));
  CHECK(placed.answer.granted);
  engine::StockAnswer other = placed.answer;
  other.event = "h0";
  std::string line;
  io::AppendStockAnswerLine(line, other);
  part.gate->Push(line, 4);
  part.gate->Run();
  CHECK(part.gate->Waiting());
  for (Partition* p : {&part, &restored}) {
    line.clear();
    io::AppendStockAnswerLine(line, placed.answer);
    p->gate->Push(line, 5);
    if (p == &restored) p->gate->Push(Bet("b2", "ann", "2026-12-01T11:30:00Z", "7"), 3);
    p->gate->Push(line, 6);   // the owner's repeat: skipped
    p->gate->Run();
    CHECK_FALSE(p->gate->Waiting());
    REQUIRE(p->engine->UserStateJson("ann", &state));
    CHECK(state.find("\"points\":47") != std::string::npos);   // 50 - 10 + 7
    CHECK(p->engine->Stats().events == 3);
    CHECK(p->engine->Stats().duplicates == 0);
  }
  // The step once done is a duplicate if its event comes again.
  part.gate->Push(Purchase("h1", "ann", "2026-12-01T11:00:00Z", "hat"), 7);
  part.gate->Run();
  CHECK_FALSE(part.engine->AwaitingStock());
  CHECK(part.engine->Stats().duplicates == 1);
}

TEST_CASE("a stock owner answers each claim once, survives a save, and refuses bad records", "[kafka][stock]") {
  ir::Program program = LowerPackage(kShop);
  StockBook book(program, 2, 1000);
  std::string error;
  auto claim = [](engine::StockClaim::Kind kind, const char* stock, const char* user, const char* event, int64_t at) {
    engine::StockClaim c;
    c.kind = kind;
    c.stock = stock;
    c.user = user;
    c.event = event;
    c.at = at;
    return c;
  };
  using Kind = engine::StockClaim::Kind;
  PlacedAnswer a;
  REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Peek, "item:hat", "ann", "e1", 10), 1), 10, &a, &error));
  CHECK((a.answer.granted && a.partition == 1));
  CHECK(book.Left("item:hat") == std::vector<int64_t>{3});   // a peek takes nothing
  for (int i = 0; i < 4; ++i) {
    const std::string event = "t" + std::to_string(i);
    REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Take, "item:hat", "ann", event.c_str(), 20), 0), 20, &a, &error));
    CHECK(a.answer.granted == (i < 3));
  }
  // Asked again (a partition restarted): the first answer, nothing taken.
  REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Take, "item:hat", "ann", "t0", 20), 0), 20, &a, &error));
  CHECK(a.answer.granted);
  REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Draw, "minigame:wheel", "bob", "w1", 30), 1), 30, &a, &error));
  REQUIRE(a.answer.granted);
  const std::string prize = a.answer.prize;
  CHECK((prize == "gold" || prize == "tin"));

  // A tournament's seats are per window.
  engine::StockClaim seat = claim(Kind::Take, "tournament:cup", "ann", "r1", 30);
  seat.window = 900;
  REQUIRE(book.Apply(StockBook::EncodeClaim(seat, 0), 30, &a, &error));
  CHECK(a.answer.granted);
  CHECK(book.Left("tournament:cup", 900) == std::vector<int64_t>{2});
  CHECK(book.Left("tournament:cup", 901) == std::vector<int64_t>{3});

  StockBook copy(program, 2, 1000);
  REQUIRE(copy.Load(book.Save(), &error));
  CHECK(copy.Left("tournament:cup", 900) == std::vector<int64_t>{2});
  CHECK(copy.Save() == book.Save());
  REQUIRE(copy.Apply(StockBook::EncodeClaim(claim(Kind::Draw, "minigame:wheel", "bob", "w1", 30), 1), 30, &a, &error));
  CHECK(a.answer.prize == prize);   // the same draw, remembered
  CHECK_FALSE(copy.Load(book.Save().substr(0, 12), &error));
  // Another package: what both have keeps what was left, the rest starts full.
  StockBook other(LowerPackage("item hat { price 1 points  stock 9 }\nitem cap { price 1 points  stock 4 }"), 2, 1000);
  REQUIRE(other.Load(book.Save(), &error));
  CHECK(other.Left("item:hat") == std::vector<int64_t>{0});
  CHECK(other.Left("item:cap") == std::vector<int64_t>{4});

  // Past the duplicate window (every partition's clock a window beyond the
  // claim's coming) the claim is forgotten: asked again, it takes again.
  REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Draw, "minigame:wheel", "cat", "w2", 5000), 1), 5000, &a, &error));
  const std::vector<int64_t> before = book.Left("minigame:wheel");
  REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Draw, "minigame:wheel", "bob", "w1", 5000), 1), 5000, &a, &error));
  CHECK(book.Left("minigame:wheel") != before);

  const std::string saved = book.Save();
  for (const char* bad : {"", "{}", "[1]", "\x01\xfe{", R"({"stock_claim":{}})",
                          R"({"stock_claim":{"partition":2,"stock":"item:hat","window":0,"kind":"take","user":"a","event":"e","at":1}})",
                          R"({"stock_claim":{"partition":0,"stock":"item:hat","window":0,"kind":"take","user":"","event":"e","at":1}})",
                          R"({"stock_claim":{"partition":0,"stock":"item:hat","window":0,"kind":"take","user":"a","event":"e","at":1,"x":2}})"}) {
    INFO(bad);
    CHECK_FALSE(book.Apply(bad, 5000, &a, &error));
    CHECK(!error.empty());
  }
  // Claims of what is no finite stock here are refused — answered, so the
  // partition that asked goes on — and change nothing.
  for (const char* refused : {
           R"({"stock_claim":{"partition":0,"stock":"item:cap","window":0,"kind":"take","user":"a","event":"e","at":1}})",
           R"({"stock_claim":{"partition":0,"stock":"item:hat","window":0,"kind":"draw","user":"a","event":"e","at":1}})",
           R"({"stock_claim":{"partition":0,"stock":"minigame:wheel","window":0,"kind":"take","user":"a","event":"e","at":1}})",
           R"({"stock_claim":{"partition":0,"stock":"item:hat","window":0,"kind":"grab","user":"a","event":"e","at":1}})",
           R"({"stock_claim":{"partition":1,"stock":"tournament:cup","window":9,"kind":"draw","user":"a","event":"e","at":1}})"}) {
    INFO(refused);
    error.clear();
    REQUIRE(book.Apply(refused, 5000, &a, &error));
    CHECK_FALSE(a.answer.granted);
    CHECK(a.answer.event == "e");
    CHECK(!error.empty());
  }
  CHECK(book.Save() == saved);   // nothing changed
  // A claim from the far future cannot make the book forget: only the lowest clock ages it.
  REQUIRE(book.Apply(StockBook::EncodeClaim(claim(Kind::Take, "tournament:cup", "eve", "r9", INT64_MAX / 2), 0), 5000, &a,
                     &error));
  CHECK(book.Left("tournament:cup", 0) == std::vector<int64_t>{2});
}

TEST_CASE("stock answer lines round-trip, and say what is wrong", "[kafka][stock]") {
  engine::StockAnswer answer{"minigame:wheel", "ann \"x\"", "e1", true, "gold"};
  std::string line;
  io::AppendStockAnswerLine(line, answer);
  CHECK(io::IsStockAnswerLine(line));
  CHECK_FALSE(io::IsCompetitionResultLine(line));
  engine::StockAnswer back;
  std::string error;
  REQUIRE(io::ParseStockAnswerLine(line, &back, &error));
  CHECK((back.stock == answer.stock && back.user == answer.user && back.event == "e1" && back.granted &&
         back.prize == "gold"));
  for (const char* bad : {R"({"stock_answer":{}})", R"({"stock_answer":[]})",
                          R"({"stock_answer":{"stock":"item:hat","user":"a","event":"e"}})",
                          R"({"stock_answer":{"stock":"item:hat","user":"a","event":"e","granted":1}})",
                          R"({"stock_answer":{"stock":"item:hat","user":"a","event":"e","granted":false,"prize":"p"}})",
                          R"({"stock_answer":{"stock":"item:hat","user":"a","event":"e","granted":true,"y":1}})",
                          R"({"stock_answer":{"stock":"","user":"a","event":"e","granted":true}})", R"({"stock_answer":)"}) {
    INFO(bad);
    CHECK_FALSE(io::ParseStockAnswerLine(bad, &back, &error));
    CHECK(!error.empty());
  }
}

TEST_CASE("a raffle's owner draws among every partition's entrants as one engine", "[kafka][raffle]") {
  ir::Program program = LowerPackage(R"(
raffle xmas {
  draw at 2026-12-05T00:00Z
  prize gold count 2  max_per_user 1 { award points 100 }
  prize tin count 4
  max_prizes_per_user 2
}
rule tickets on bet { give tickets xmas 1 }
rule late on bet { award points 1 })");
  std::string events;
  const char* users[] = {"ann", "bob", "cat", "dan", "eve", "fay"};
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 6; ++i)
      if (i % 3 <= round)   // one to three tickets each
        events += Bet("b" + std::to_string(round) + users[i], users[i],
                      "2026-12-0" + std::to_string(round + 1) + "T1" + std::to_string(i) + ":00:00Z", "1");
  // After the draw, from every partition: zed's holds no ticket, and must pass the draw too.
  for (const char* user : {"ann", "bob", "zed"})
    events += Bet(std::string("after-") + user, user, "2026-12-06T10:00:00Z", "1");
  HandEngine one(program);
  one.Feed(events);
  const std::vector<std::string> want = Drain(one.engine);

  Cluster cluster(program, 3, {{"ann", 0}, {"cat", 0}, {"eve", 0}, {"bob", 1}, {"dan", 1}, {"fay", 1}, {"zed", 2}});
  cluster.Feed(events);
  const std::vector<std::string> got = cluster.Actions();
  INFO(BagDifferences(got, want));
  CHECK(Bag(got) == Bag(want));
  size_t wins = 0;
  for (const std::string& a : got) wins += a.find("\"action\":\"raffle\"") != std::string::npos;
  CHECK(wins == 6);   // 2 gold, 4 tin: drawn once, not once per partition
  CHECK(cluster.standings.PendingWindows() == 0);
  for (const auto& p : cluster.partitions) CHECK_FALSE(p->gate->Waiting());
  // Tickets are spent in every partition, and tickets given after the draw are worthless.
  std::string state;
  REQUIRE(cluster.partitions[1]->engine->UserStateJson("bob", &state));
  CHECK(state.find("\"tickets\":{}") != std::string::npos);
}

TEST_CASE("raffle result lines round-trip, and say what is wrong", "[kafka][raffle]") {
  engine::RaffleResult win{"xmas", "ann \"x\"", "gold", 1000, 3, false};
  std::string line;
  io::AppendRaffleResultLine(line, win);
  CHECK(io::IsRaffleResultLine(line));
  CHECK_FALSE(io::IsCompetitionResultLine(line));
  engine::RaffleResult back;
  std::string error;
  REQUIRE(io::ParseRaffleResultLine(line, &back, &error));
  CHECK((back.raffle == "xmas" && back.user == win.user && back.prize == "gold" && back.draw_at == 1000 &&
         back.draw == 3 && !back.done));
  engine::RaffleResult done{"xmas", "", "", 1000, 0, true};
  line.clear();
  io::AppendRaffleResultLine(line, done);
  REQUIRE(io::ParseRaffleResultLine(line, &back, &error));
  CHECK(back.done);
  for (const char* bad : {R"({"raffle_result":{}})", R"({"raffle_result":{"raffle":"x","draw_at":1}})",
                          R"({"raffle_result":{"raffle":"x","draw_at":1,"done":true,"user":"a"}})",
                          R"({"raffle_result":{"raffle":"x","draw_at":1,"draw":-1,"user":"a","prize":"p"}})",
                          R"({"raffle_result":{"raffle":"x","draw_at":"1","draw":0,"user":"a","prize":"p"}})",
                          R"({"raffle_result":{"raffle":"x","draw_at":1,"draw":0,"user":"a","prize":"p","z":0}})"}) {
    INFO(bad);
    CHECK_FALSE(io::ParseRaffleResultLine(bad, &back, &error));
    CHECK(!error.empty());
  }
}

TEST_CASE("a restore to a commit takes the answer a step before it used from past it", "[kafka][stock]") {
  ir::Program program = LowerPackage(kShop);
  StockBook book(program, 1, 86'400'000);
  std::string error;
  auto answer = [&](const engine::StockClaim& claim) {
    PlacedAnswer placed;
    REQUIRE(book.Apply(StockBook::EncodeClaim(claim, 0), INT64_MIN, &placed, &error));
    std::string line;
    io::AppendStockAnswerLine(line, placed.answer);
    return line;
  };
  // Live: ann's purchase waits; its answer comes after bob's; with it ann's
  // purchase and bob's bet run, then bob's purchase waits: the commit is at
  // bob's purchase (offset 3), before ann's answer (offset 4).
  std::vector<std::string> log = {Bet("b1", "ann", "2026-12-01T10:00:00Z", "50"),
                                  Purchase("h1", "ann", "2026-12-01T11:00:00Z", "hat"),
                                  Bet("b2", "bob", "2026-12-01T11:10:00Z", "50"),
                                  Purchase("h2", "bob", "2026-12-01T11:20:00Z", "hat")};
  Partition live(program, 0);
  for (size_t i = 0; i < log.size(); ++i) live.gate->Push(log[i], int64_t(i));
  live.gate->Run();
  std::vector<engine::StockClaim> claims = live.engine->DrainStockClaims();
  REQUIRE(claims.size() == 1);
  log.push_back(answer(claims[0]));
  live.gate->Push(log[4], 4);
  live.gate->Run();
  REQUIRE(live.gate->FirstWaiting() == 3);   // bob's purchase: the commit's offset
  claims = live.engine->DrainStockClaims();
  REQUIRE(claims.size() == 1);
  log.push_back(answer(claims[0]));
  std::string ann, bob;
  REQUIRE(live.engine->UserStateJson("ann", &ann));
  REQUIRE(live.engine->UserStateJson("bob", &bob));
  CHECK(ann.find("\"hat\":1") != std::string::npos);

  // Restored from nothing to the commit at 3: ann's answer is past it.
  Partition restored(program, 0);
  size_t read = 0;
  while (read < log.size() && restored.gate->ReplayToCommitted(log[read], int64_t(read), 3)) ++read;
  CHECK(read == 4);   // up to ann's answer, not bob's
  CHECK(restored.engine->DrainStockClaims().size() == 1);   // ann's, asked again in the replay (questd drops it)
  CHECK_FALSE(restored.gate->WaitsBelow(3));
  CHECK_FALSE(restored.engine->AwaitingStock());
  std::string ann_after, bob_after;
  REQUIRE(restored.engine->UserStateJson("ann", &ann_after));
  REQUIRE(restored.engine->UserStateJson("bob", &bob_after));
  CHECK(ann_after == ann);
  CHECK(bob_after == bob);   // bob's bet, not his purchase
  CHECK(restored.engine->Clock() <= live.engine->Clock());

  // Live again from the commit: bob's purchase asks again (a repeat the
  // owner answers the same), ann's answer is skipped, bob's runs.
  for (size_t i = 3; i < log.size(); ++i) restored.gate->Push(log[i], int64_t(i));
  restored.gate->Run();
  claims = restored.engine->DrainStockClaims();
  REQUIRE(claims.size() == 1);
  restored.gate->Push(answer(claims[0]), 6);
  restored.gate->Run();
  CHECK_FALSE(restored.gate->Waiting());
  REQUIRE(restored.engine->UserStateJson("bob", &bob_after));
  CHECK(bob_after.find("\"hat\":1") != std::string::npos);
  CHECK(book.Left("item:hat") == std::vector<int64_t>{1});   // two hats taken, the repeat took none
}
