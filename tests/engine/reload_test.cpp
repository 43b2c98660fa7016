// Reload (Engine::Reload, docs/engine.md "Reload: the migration rules"): a
// reload to the same package anywhere in a stream changes nothing, to the
// byte, on both backends; a reload to a changed package keeps what is still
// declared the same, drops what is gone, starts what is new; and an engine
// restarted from a snapshot taken after a reload goes on as the live one.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/backend_choice.h"
#include "tests/engine/sink_run.h"

using namespace questline;

namespace {

std::vector<std::string> CasinoEvents() {
  std::ifstream in(std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino/events.ndjson");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The casino package, with `extra` source added (as a file of a copy of the package).
ir::Program Casino(const std::string& extra = "") {
  namespace fs = std::filesystem;
  std::string dir = std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino";
  if (!extra.empty()) {
    const fs::path copy = fs::temp_directory_path() / ("questline-reload-test-" + std::to_string(::getpid()));
    fs::remove_all(copy);
    fs::create_directories(copy);
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".quest") fs::copy_file(entry.path(), copy / entry.path().filename());
    std::ofstream(copy / "extra.quest") << extra;
    dir = copy.string();
  }
  driver::FrontEnd fe;
  std::string error;
  if (!driver::LoadPackage({dir}, &fe.sources, &error)) FAIL(error);
  ir::Program program = testing::LowerLoaded(fe);
  if (!extra.empty()) std::filesystem::remove_all(dir);
  return program;
}

using Run = testing::SinkRun;

const char* Name(driver::EngineKind kind) { return kind == driver::EngineKind::Jit ? "jit" : "interp"; }

}  // namespace

TEST_CASE("a reload to the same package changes nothing, wherever it happens", "[engine][reload]") {
  const std::vector<std::string> lines = CasinoEvents();
  const ir::Program first = Casino();
  const ir::Program second = Casino();   // built anew: nothing shared with the first
  for (driver::EngineKind kind : {driver::EngineKind::Interp, driver::EngineKind::Jit}) {
    std::ostringstream warnings;
    auto backend = driver::MakeBackend(first, kind, "test", warnings);
    auto next_backend = driver::MakeBackend(second, kind, "test", warnings);
    Run whole(first, *backend);
    whole.Feed(lines, 0, lines.size());
    const std::string expected = whole.Output();
    for (size_t cut : {size_t(0), size_t(1), size_t(777), lines.size() / 2, lines.size() - 1}) {
      INFO("backend " << Name(kind) << ", reload after " << cut << " events");
      Run run(first, *backend);
      run.Feed(lines, 0, cut);
      run.Reload(second, *next_backend);
      run.Feed(lines, cut, lines.size());
      CHECK(run.Output() == expected);
    }
  }
}

// v1 -> v2: `loyal_deposits` keeps its name but counts something else, a
// currency and a rule are added, `welcome` is removed, a mission gains a
// task, and a badge is renamed.
namespace {

const char* kV1 = R"(
currency gems
metric deposits = count(deposit)
metric loyal_deposits = count(deposit)
rule welcome on login { award gems 5 }
rule per_deposit on deposit { award points 10 }
level bronze { at 0 }
level silver { at 20 }
level gold { at 1000 }
badge first_deposit { when deposits >= 1 }
mission deposit_run {
  task three "Three deposits" { count(deposit) >= 3 }
  reward { award gems 50 }
}
)";

const char* kV2 = R"(
currency gems
currency coins
metric deposits = count(deposit)
metric loyal_deposits = sum(deposit.amount)
rule per_deposit on deposit { award points 10 }
rule coin_drop on login { award coins 1 }
level bronze { at 0 }
level gold { at 1000 }
badge first_deposit_v2 { when deposits >= 1 }
mission deposit_run {
  task three "Three deposits" { count(deposit) >= 3 }
  task one_login "One login" { count(login) >= 1 }
  reward { award gems 50 }
}
)";

std::string Events(int from_minute, int count, const char* type) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    const int64_t ts = 1'767'225'600'000 + int64_t(from_minute + i) * 60'000;   // 2026-01-01
    out += std::string("{\"type\":\"") + type + "\",\"id\":\"" + type + std::to_string(from_minute + i) +
           "\",\"user\":\"u1\",\"ts\":" + std::to_string(ts) +
           (std::string(type) == "deposit" ? ",\"amount\":2.5" : "") + "}\n";
  }
  return out;
}

}  // namespace

// Feeds NDJSON text (Run::Feed takes lines).
void FeedText(Run& run, const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  run.Feed(lines, 0, lines.size());
}

TEST_CASE("a reload keeps what is still declared the same and starts what changed", "[engine][reload]") {
  const ir::Program v1 = testing::LowerPackage(kV1);
  const ir::Program v2 = testing::LowerPackage(kV2);
  interp::Interpreter v1_backend(v1), v2_backend(v2);
  Run run(v1, v1_backend);
  FeedText(run, Events(0, 1, "login") + Events(1, 2, "deposit"));
  run.Reload(v2, v2_backend);
  std::string state;
  REQUIRE(run.engine.UserStateJson("u1", &state));
  INFO(state);
  // Kept: balances by currency name, points_ever, the unchanged metric, the
  // mission's unchanged task; gone: the renamed badge; changed: the metric
  // that now sums (starts at 0); the level `silver` is gone: the highest of
  // the new ladder that 20 points reach is bronze.
  CHECK(state.find("\"gems\":5") != std::string::npos);
  CHECK(state.find("\"points\":20") != std::string::npos);
  CHECK(state.find("\"coins\":0") != std::string::npos);
  CHECK(state.find("\"level\":\"bronze\"") != std::string::npos);
  CHECK(state.find("\"deposits\":2") != std::string::npos);
  CHECK(state.find("\"loyal_deposits\":0") != std::string::npos);
  CHECK(state.find("first_deposit") == std::string::npos);

  // After the swap the new rules run, the old ones do not, and the mission
  // counts its kept task on: the third deposit and a login complete it.
  REQUIRE(run.sink.Flush());
  const size_t before = run.out.str().size();
  FeedText(run, Events(10, 1, "deposit") + Events(11, 1, "login"));
  REQUIRE(run.sink.Flush());
  const std::string actions = run.out.str().substr(before);
  INFO(actions);
  CHECK(actions.find("rule:coin_drop") != std::string::npos);
  CHECK(actions.find("rule:welcome") == std::string::npos);
  CHECK(actions.find("mission:deposit_run") != std::string::npos);
  CHECK(actions.find("badge:first_deposit_v2") != std::string::npos);   // new: earned at the next settle
  REQUIRE(run.engine.UserStateJson("u1", &state));
  CHECK(state.find("\"loyal_deposits\":2.5") != std::string::npos);
}

// Partitions (world.h) reload partition by partition, the global state and
// timers on the owner: the same bytes as one engine's reload.
TEST_CASE("a reload on partitions gives what a reload of one engine gives", "[engine][reload][partitions]") {
  const std::vector<std::string> lines = CasinoEvents();
  const ir::Program first = Casino();
  const ir::Program second = Casino();
  interp::Interpreter backend(first), next_backend(second);
  Run whole(first, backend);
  whole.Feed(lines, 0, lines.size());
  const std::string expected = whole.Output();
  for (size_t cut : {size_t(0), size_t(777), lines.size() / 2}) {
    INFO("3 partitions, reload after " << cut << " events");
    Run run(first, backend, 3);
    run.Feed(lines, 0, cut);
    run.Reload(second, next_backend);
    run.Feed(lines, cut, lines.size());
    CHECK(run.Output() == expected);
  }
  const ir::Program v1 = testing::LowerPackage(kV1);
  const ir::Program v2 = testing::LowerPackage(kV2);
  interp::Interpreter v1_backend(v1), v2_backend(v2);
  // Events() is one player's: spread them over five.
  auto spread = [](std::string text) {
    for (size_t at = 0, n = 0; (at = text.find("\"user\":\"u1\"", at)) != std::string::npos; at += 10, ++n)
      text[at + 9] = char('1' + n % 5);
    return text;
  };
  Run one(v1, v1_backend), split(v1, v1_backend, 4);
  for (Run* run : {&one, &split}) {
    FeedText(*run, spread(Events(0, 6, "login") + Events(6, 12, "deposit")));
    run->Reload(v2, v2_backend);
    FeedText(*run, spread(Events(20, 8, "deposit") + Events(30, 6, "login")));
  }
  std::string u5;
  REQUIRE(one.engine.UserStateJson("u5", &u5));   // the events did reach five players
  CHECK(split.Output() == one.Output());
}

TEST_CASE("a reload that changes the settings is refused and changes nothing", "[engine][reload]") {
  const ir::Program v1 = testing::LowerPackage(kV1);
  const ir::Program moved = testing::LowerPackage(std::string("settings { timezone \"Europe/Paris\" }\n") + kV1);
  interp::Interpreter v1_backend(v1), backend(moved);
  Run run(v1, v1_backend);
  FeedText(run, Events(0, 2, "deposit"));
  const std::string before = run.engine.StateJson();
  std::string error;
  CHECK_FALSE(run.engine.Reload(moved, backend, &error));
  CHECK(error.find("settings") != std::string::npos);
  CHECK(run.engine.StateJson() == before);
}

TEST_CASE("an engine restored from a snapshot taken after a reload goes on as the live one", "[engine][reload]") {
  const std::vector<std::string> lines = CasinoEvents();
  const ir::Program first = Casino();
  // Added after the casino's names: a fresh build of this package interns its names in another order.
  const ir::Program second = Casino("currency stars\nrule star_login on login { award stars 1 }\n");
  for (driver::EngineKind kind : {driver::EngineKind::Interp, driver::EngineKind::Jit}) {
    INFO("backend " << Name(kind));
    std::ostringstream warnings;
    auto backend = driver::MakeBackend(first, kind, "test", warnings);
    auto next_backend = driver::MakeBackend(second, kind, "test", warnings);
    const size_t cut = lines.size() / 3, restart = 2 * lines.size() / 3;
    Run live(first, *backend);
    live.Feed(lines, 0, cut);
    live.Reload(second, *next_backend);
    live.Feed(lines, cut, restart);
    REQUIRE(live.sink.Flush());
    const std::string snapshot = live.engine.Snapshot();
    const std::string before_restart = live.out.str();
    live.Feed(lines, restart, lines.size());
    const std::string expected = live.Output();
    CHECK(expected.find("rule:star_login") != std::string::npos);

    Run restarted(second, *next_backend);
    std::string error;
    REQUIRE(restarted.engine.Restore(snapshot, &error));
    CHECK(restarted.engine.Snapshot() == snapshot);
    restarted.Feed(lines, restart, lines.size());
    CHECK(before_restart + restarted.Output() == expected);
  }
}
