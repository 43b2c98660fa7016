// Q04xx checks over the checked package, with the AST for clause locations.
#include "compiler/sema/semantics.h"

#include <algorithm>
#include <string>

namespace questline::sema {
namespace {

template <typename T>
std::vector<const T*> Decls(const std::vector<ast::Module>& modules) {
  std::vector<const T*> out;
  for (const ast::Module& m : modules)
    for (const ast::Decl& d : m.decls)
      if (auto* x = std::get_if<T>(&d)) out.push_back(x);
  return out;
}

class Semantics {
 public:
  Semantics(const Package& pkg, const std::vector<ast::Module>& modules, diag::DiagnosticSink& sink)
      : pkg_(pkg), modules_(modules), sink_(sink) {}

  void Run() {
    CheckLevels();
    CheckMissions();
    CheckCompetitions();
    CheckStore();
    CheckFlows();
    CheckRuleBounds();
  }

 private:
  void Error(diag::Kind kind, SourceRange range, std::string message, std::string hint = {}) {
    diag::Diagnostic& d = sink_.Report(kind, range, std::move(message));
    if (!hint.empty()) d.hints.push_back(std::move(hint));
  }

  bool Unfolded(const SourceRange& r) const {
    for (const SourceRange& u : pkg_.unfolded)
      if (u.file == r.file && !(u < r) && !(r < u)) return true;
    return false;
  }

  // Whether an unfolded clause lies inside `r` (a whole declaration).
  bool HasUnfolded(const SourceRange& r) const {
    for (const SourceRange& u : pkg_.unfolded)
      if (u.file == r.file && u.line >= r.line && u.line <= r.end_line) return true;
    return false;
  }

  void Positive(const ast::Expr* e, int64_t value, const char* what, bool zero_ok = false) {
    if (e == nullptr || Unfolded(e->range)) return;
    if (value > 0 || (zero_ok && value == 0)) return;
    Error(diag::Kind::NotPositive, e->range,
          std::string(what) + " must be " + (zero_ok ? "zero or more" : "positive") + ", found " +
              std::to_string(value));
  }

  void Interval(SourceRange range, int64_t from, int64_t to, const char* what) {
    if (to > from) return;
    Error(diag::Kind::EmptyInterval, range,
          std::string(what) + (to == from ? " is empty" : " ends before it starts"),
          "write the earlier bound first: `FROM .. TO`");
  }

  // level thresholds strictly increasing in declaration order.
  void CheckLevels() {
    for (size_t i = 1; i < pkg_.levels.size(); ++i) {
      const Level& prev = pkg_.levels[i - 1];
      const Level& cur = pkg_.levels[i];
      if (cur.at > prev.at || HasUnfolded(prev.range) || HasUnfolded(cur.range)) continue;
      diag::Diagnostic& d = sink_.Report(
          diag::Kind::LevelOrder, cur.range,
          "level '" + cur.name + "' at " + std::to_string(cur.at) + " is not above '" + prev.name +
              "' at " + std::to_string(prev.at));
      d.related.push_back({prev.range, "previous level declared here"});
      d.hints.push_back("declare levels in order of strictly increasing `at`");
    }
  }

  void CheckMissions() {
    auto decls = Decls<ast::MissionDecl>(modules_);
    for (size_t i = 0; i < decls.size() && i < pkg_.missions.size(); ++i) {
      const ast::MissionDecl& d = *decls[i];
      const Mission& m = pkg_.missions[i];
      if (m.active_from && m.active_to) Interval(d.active->range, *m.active_from, *m.active_to, "the active window");
      if (m.time_limit_ms) Positive(d.time_limit.get(), *m.time_limit_ms, "`time_limit`");
      if (d.max_completions) Positive(d.max_completions.get(), m.max_completions, "`max_completions`");
      if (d.given && d.audience)
        Error(diag::Kind::GivenWithAudience, d.audience->range,
              "mission '" + m.name + "' is `given`: only the players a rule or flow gives it to see it, whatever the audience",
              "remove the audience, or test it where the mission is given (`if … { give mission " + m.name + " }`)");
      if (d.ordered && d.tasks.size() < 2)
        Error(diag::Kind::OrderedFewTasks, d.range,
              "mission '" + m.name + "' is `ordered` but has " + std::to_string(d.tasks.size()) + " task",
              "remove `ordered`, or add the tasks that come after");
      if (d.max_completions && m.max_completions > 1 && d.recurring == ast::Recurrence::None)
        Error(diag::Kind::RecurrenceBound, d.max_completions->range,
              "mission '" + m.name + "' can complete only once without `recurring`",
              "add `recurring daily|weekly|monthly|on_completion`");
      for (size_t a = 0; a < d.tasks.size(); ++a)
        for (size_t b = 0; b < a; ++b)
          if (d.tasks[a].name.name == d.tasks[b].name.name) {
            diag::Diagnostic& diag = sink_.Report(diag::Kind::DuplicateMember, d.tasks[a].name.range,
                                                  "mission '" + m.name + "' already has a task '" +
                                                      d.tasks[a].name.name + "'");
            diag.related.push_back({d.tasks[b].name.range, "first declared here"});
          }
    }
  }

  void CheckPrizes(const std::vector<Prize>& prizes, const std::string& owner) {
    std::vector<const Prize*> sorted;
    for (const Prize& p : prizes) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(),
              [](const Prize* a, const Prize* b) { return a->first_rank < b->first_rank; });
    int64_t next = 1;
    for (const Prize* p : sorted) {
      if (p->last_rank < p->first_rank) {
        Error(diag::Kind::EmptyInterval, p->range, "the rank range of a prize ends before it starts");
        continue;
      }
      if (p->first_rank < next)
        Error(diag::Kind::PrizeRanks, p->range,
              "ranks " + std::to_string(p->first_rank) + ".." + std::to_string(p->last_rank) + " of " +
                  owner + " overlap an earlier prize",
              "each rank gets one prize");
      else if (p->first_rank > next)
        Error(diag::Kind::PrizeRanks, p->range,
              "rank " + std::to_string(next) + (p->first_rank - 1 > next ? ".." + std::to_string(p->first_rank - 1) : "") +
                  " of " + owner + " has no prize",
              "ranks start at 1 and run without gaps");
      next = std::max(next, p->last_rank + 1);
    }
  }

  void CheckCompetitions() {
    auto decls = Decls<ast::CompetitionDecl>(modules_);
    for (size_t i = 0; i < decls.size() && i < pkg_.competitions.size(); ++i) {
      const ast::CompetitionDecl& d = *decls[i];
      const Competition& c = pkg_.competitions[i];
      const char* kind = d.kind == ast::CompetitionKind::Tournament ? "tournament" : "leaderboard";
      if (!d.score && !d.score_points_earned)
        Error(diag::Kind::CompetitionShape, d.name.range,
              std::string(kind) + " '" + c.name + "' has no `score`",
              "add `score points_earned` or `score sum(bet.amount)`");
      if (d.kind == ast::CompetitionKind::Leaderboard && d.period == ast::Recurrence::None && !d.window &&
          !d.recurring_window)
        Error(diag::Kind::CompetitionShape, d.name.range,
              "leaderboard '" + c.name + "' has no `period`", "add `period daily|weekly|monthly`");
      if (d.kind == ast::CompetitionKind::Tournament && !d.window && !d.recurring_window)
        Error(diag::Kind::CompetitionShape, d.name.range, "tournament '" + c.name + "' has no `window`",
              "add `window FROM .. TO` or `window every week sat 00:00 .. mon 00:00`");
      if (c.window_from && c.window_to) Interval(d.window->range, *c.window_from, *c.window_to, "the window");
      if (d.buy_in) Positive(d.buy_in.get(), c.buy_in, "`buy_in`");
      if (d.min_players) Positive(d.min_players.get(), c.min_players, "`min_players`");
      if (d.max_players) Positive(d.max_players.get(), c.max_players, "`max_players`");
      if (d.min_score) Positive(d.min_score.get(), c.min_score, "`min_score`", true);
      if (d.max_players && !d.registration)
        Error(diag::Kind::MissingClause, d.max_players->range,
              "`max_players` needs `register`: without registration players join by scoring",
              "add `register` (with or without a `buy_in`), or remove `max_players`");
      if (c.min_players > 0 && c.max_players > 0 && c.max_players < c.min_players)
        Error(diag::Kind::EmptyInterval, d.max_players->range, "`max_players` is below `min_players`");
      for (const ast::HappyHour& h : d.happy_hours) {
        if (h.to_minute <= h.from_minute)
          Error(diag::Kind::EmptyInterval, h.range, "the happy hour ends before it starts");
        else if (!DayInWindow(c, h.weekday))
          Error(diag::Kind::HappyHourOutside, h.range,
                "the happy hour's day is outside the tournament's window",
                "a happy hour only multiplies scores inside the window");
      }
      CheckPrizes(c.prizes, std::string(kind) + " '" + c.name + "'");
    }
  }

  // Whether weekday `day` (0 = mon) has any time inside the competition's window.
  static bool DayInWindow(const Competition& c, int day) {
    if (c.recurring_window) {
      const ast::RecurringWindow& w = *c.recurring_window;
      if (w.every == ast::Period::Day) return true;
      for (int d = w.from_weekday, steps = 0; steps < 8; d = (d + 1) % 7, ++steps) {
        if (d == day && !(d == w.to_weekday && w.to_minute == 0 && steps > 0)) return true;
        if (d == w.to_weekday && steps > 0) break;
      }
      return false;
    }
    if (c.window_from && c.window_to) {
      constexpr int64_t kDay = 86'400'000;
      // Days are UTC days here: close enough to bound the check, and never stricter.
      for (int64_t t = *c.window_from; t < *c.window_to; t += kDay) {
        int64_t days = t >= 0 ? t / kDay : (t - kDay + 1) / kDay;
        int weekday = int((days % 7 + 7 + 3) % 7);   // 1970-01-01 was a Thursday
        if (weekday == day) return true;
      }
      return *c.window_to - *c.window_from >= 7 * kDay;
    }
    return true;
  }

  void CheckStore() {
    auto items = Decls<ast::ItemDecl>(modules_);
    for (size_t i = 0; i < items.size() && i < pkg_.items.size(); ++i) {
      Positive(items[i]->price.get(), pkg_.items[i].price, "a price");
      if (items[i]->stock) Positive(items[i]->stock.get(), pkg_.items[i].stock, "`stock`");
      if (items[i]->limit) Positive(items[i]->limit->amount.get(), pkg_.items[i].limit ? pkg_.items[i].limit->amount : 0, "`limit`");
    }
    auto games = Decls<ast::MinigameDecl>(modules_);
    for (size_t i = 0; i < games.size() && i < pkg_.minigames.size(); ++i) {
      const Minigame& g = pkg_.minigames[i];
      if (games[i]->cost) Positive(games[i]->cost.get(), g.cost, "`cost`");
      if (games[i]->limit) Positive(games[i]->limit->amount.get(), g.limit ? g.limit->amount : 0, "`limit`");
      for (size_t p = 0; p < games[i]->prizes.size() && p < g.prizes.size(); ++p) {
        Positive(games[i]->prizes[p].weight.get(), g.prizes[p].weight, "a prize weight");
        if (games[i]->prizes[p].stock)
          Positive(games[i]->prizes[p].stock.get(), g.prizes[p].stock, "a prize stock");
        for (size_t q = 0; q < p; ++q)
          if (g.prizes[q].name == g.prizes[p].name)
            Error(diag::Kind::DuplicateMember, games[i]->prizes[p].name.range,
                  "mini-game '" + g.name + "' already has a prize '" + g.prizes[p].name + "'");
      }
    }
    auto raffles = Decls<ast::RaffleDecl>(modules_);
    for (size_t i = 0; i < raffles.size() && i < pkg_.raffles.size(); ++i) {
      const Raffle& r = pkg_.raffles[i];
      if (raffles[i]->max_prizes_per_user)
        Positive(raffles[i]->max_prizes_per_user.get(), r.max_prizes_per_user, "`max_prizes_per_user`");
      for (size_t p = 0; p < raffles[i]->prizes.size() && p < r.prizes.size(); ++p) {
        const ast::RafflePrize& d = raffles[i]->prizes[p];
        Positive(d.count.get(), r.prizes[p].count, "a prize count");
        if (d.max_per_user) Positive(d.max_per_user.get(), r.prizes[p].max_per_user, "`max_per_user`");
        if (r.prizes[p].max_per_user > r.prizes[p].count && r.prizes[p].count > 0)
          Error(diag::Kind::PerUserExceedsCount, d.max_per_user->range,
                "`max_per_user` " + std::to_string(r.prizes[p].max_per_user) + " is above the prize count " +
                    std::to_string(r.prizes[p].count));
      }
    }
  }

  void CheckSplits(const Block& block) {
    for (const Stmt& s : block) {
      if (s.kind == ast::StmtKind::Split) {
        int64_t total = 0;
        for (const Branch& b : s.branches) {
          total += b.share;
          if (b.share <= 0) Error(diag::Kind::PercentRange, b.range, "a split share must be above 0%");
          CheckSplits(b.body);
        }
        if (total != 100 * ast::kDecimalScale)
          Error(diag::Kind::SplitShares, s.range,
                "split shares add up to " + std::to_string(total / ast::kDecimalScale) + "%, not 100%",
                "every player lands in exactly one branch");
      }
      CheckSplits(s.body);
      CheckSplits(s.else_body);
    }
  }

  void CheckFlows() {
    auto decls = Decls<ast::FlowDecl>(modules_);
    for (size_t i = 0; i < decls.size() && i < pkg_.flows.size(); ++i) {
      const Flow& f = pkg_.flows[i];
      if (decls[i]->holdout && (f.holdout <= 0 || f.holdout >= 100 * ast::kDecimalScale))
        Error(diag::Kind::PercentRange, decls[i]->holdout->range,
              "`holdout` must be between 0% and 100%, exclusive");
      if (f.reenter_after_ms) Positive(decls[i]->reenter_after.get(), *f.reenter_after_ms, "`reenter after`");
      CheckSplits(f.steps);
    }
  }

  void CheckRuleBounds() {
    auto decls = Decls<ast::RuleDecl>(modules_);
    for (size_t i = 0; i < decls.size() && i < pkg_.rules.size(); ++i) {
      const Rule& r = pkg_.rules[i];
      if (decls[i]->cap && r.cap) Positive(decls[i]->cap->amount.get(), r.cap->amount, "a `cap`");
      if (decls[i]->limit && r.limit) Positive(decls[i]->limit->amount.get(), r.limit->amount, "a `limit`");
    }
    auto policies = Decls<ast::PolicyDecl>(modules_);
    for (size_t i = 0; i < policies.size() && i < pkg_.policies.size(); ++i)
      for (const ast::QuietHours& q : policies[i]->quiet_hours)
        if (q.from_minute == q.to_minute)
          Error(diag::Kind::EmptyInterval, q.range, "quiet hours that start when they end are empty");
  }

  const Package& pkg_;
  const std::vector<ast::Module>& modules_;
  diag::DiagnosticSink& sink_;
};

}  // namespace

void CheckSemantics(const Package& pkg, const std::vector<ast::Module>& modules,
                    diag::DiagnosticSink& sink) {
  Semantics(pkg, modules, sink).Run();
}

}  // namespace questline::sema
