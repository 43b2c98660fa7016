// Store items, mini-games, raffles, leaderboards and tournaments: audiences,
// scores (aggregates with filters) and prize blocks are JIT entry points the
// engine calls when it answers requests, draws, and closes windows.
#include "tests/jit/expr_gen.h"

namespace questline::jitdiff {
namespace {

std::string Str(int64_t i) { return std::to_string(i); }
const char* Period(Rng& rng) { return rng.Pick({"day", "week", "month"}); }

}  // namespace

std::string ItemDecl(ExprGen& gen, int index, const Scope& all) {
  Rng& rng = gen.rng();
  const char* currency = rng.Chance(70) ? "points" : "gems";
  std::string d = "item it" + Str(index) + " {\n  price " + Str(rng.Range(1, 60)) + " " + currency + "\n";
  if (rng.Chance(35)) d += "  audience " + gen.Cond(all, 2) + "\n";
  if (rng.Chance(40)) {
    d += "  limit " + Str(rng.Range(1, 3));
    d += std::string(" per ") + Period(rng) + "\n";
  }
  if (rng.Chance(40)) d += "  stock " + Str(rng.Range(1, 6)) + "\n";
  if (rng.Chance(85)) d += "  on purchase {\n" + gen.Block(all, int(rng.Range(1, 3)), 1, "    ") + "  }\n";
  return d + "}";
}

std::string MinigameDecl(ExprGen& gen, const std::string& name, const Scope& all) {
  Rng& rng = gen.rng();
  std::string d = "minigame " + name + " {\n  kind " + rng.Pick({"wheel", "scratch", "ballanza"}) + "\n";
  d += rng.Chance(60) ? std::string("  cost 1 attempt\n") : "  cost " + Str(rng.Range(1, 20)) + " points\n";
  if (rng.Chance(30)) d += "  audience " + gen.Cond(all, 2) + "\n";
  for (int i = 0, n = int(rng.Range(1, 3)); i < n; ++i) {
    d += "  prize pz" + Str(i) + " weight " + Str(rng.Range(1, 10));
    if (rng.Chance(30)) d += " stock " + Str(rng.Range(1, 4));
    if (rng.Chance(75)) d += " {\n" + gen.Block(all, int(rng.Range(1, 2)), 1, "    ") + "  }";
    d += "\n";
  }
  if (rng.Chance(40)) d += "  limit " + Str(rng.Range(1, 4)) + " per day\n";
  return d + "}";
}

std::string RaffleDecl(ExprGen& gen, const std::string& name, const Scope& all) {
  Rng& rng = gen.rng();
  std::string d = "raffle " + name + " {\n  draw at 2026-12-0" + Str(rng.Range(2, 6)) + "T12:00Z\n";
  if (rng.Chance(30)) d += "  audience " + gen.Cond(all, 2) + "\n";
  for (int i = 0, n = int(rng.Range(1, 2)); i < n; ++i) {
    const int64_t count = rng.Range(1, 4);
    d += "  prize rp" + Str(i) + " count " + Str(count);
    if (rng.Chance(40)) d += " max_per_user " + Str(rng.Range(1, count));
    if (rng.Chance(80)) d += " {\n" + gen.Block(all, int(rng.Range(1, 2)), 1, "    ") + "  }";
    d += "\n";
  }
  if (rng.Chance(30)) d += "  max_prizes_per_user " + Str(rng.Range(1, 3)) + "\n";
  return d + "}";
}

std::string CompetitionDecl(ExprGen& gen, int index, const Scope& all) {
  Rng& rng = gen.rng();
  const bool leaderboard = rng.Chance(50);
  std::string d = std::string(leaderboard ? "leaderboard" : "tournament") + " cp" + Str(index) + " {\n";
  auto score = [&] {
    const char* event = rng.Chance(80) ? "bet" : "deposit";
    const Ty t = rng.Chance(50) ? Ty::Int : Ty::Dec;
    Scope filter = all;
    filter.inline_aggregates = false;
    bool noneable = false;
    std::string agg = gen.Aggregate(event, t, filter, &noneable, /*with_window=*/false);
    // `top` and the streaks are not scores (Q0311): draw again, a bounded number of times.
    for (int tries = 0; tries < 16 && (agg.rfind("top(", 0) == 0 || agg.rfind("streak_", 0) == 0); ++tries)
      agg = gen.Aggregate(event, t, filter, &noneable, /*with_window=*/false);
    if (agg.rfind("top(", 0) == 0 || agg.rfind("streak_", 0) == 0) agg = std::string("count(") + event + ")";
    return "  score " + agg + "\n";
  };
  if (leaderboard) {
    d += rng.Chance(30) ? std::string("  score points_earned\n") : score();
    d += std::string("  period ") + rng.Pick({"daily", "weekly", "monthly"}) + "\n";
  } else {
    const int window = int(rng.Below(3));
    if (window == 0) d += "  window 2026-12-01T06:00Z .. 2026-12-0" + Str(rng.Range(2, 6)) + "T00:00Z\n";
    if (window == 1) d += "  window every day 10:00 .. 22:00\n";
    if (window == 2) d += "  window every week sat 00:00 .. mon 00:00\n  happy_hours { sat 10:00-16:00 x2 }\n";
    if (rng.Chance(40)) d += rng.Chance(50) ? std::string("  register\n") : "  register buy_in " + Str(rng.Range(1, 20)) + " points\n";
    d += score();
    if (rng.Chance(30)) d += "  min_score " + Str(rng.Range(1, 50)) + "\n";
    if (rng.Chance(30)) d += "  min_players " + Str(rng.Range(1, 3)) + "\n";
    if (d.find("  register") != std::string::npos && rng.Chance(30)) d += "  max_players " + Str(rng.Range(3, 5)) + "\n";
  }
  if (rng.Chance(30)) d += "  audience " + gen.Cond(all, 2) + "\n";
  d += "  prizes {\n    1: " + gen.Block(all, 1, 0, "");
  if (rng.Chance(60)) d += "    2..3: " + gen.Block(all, 1, 0, "");
  return d + "  }\n}";
}

}  // namespace questline::jitdiff
