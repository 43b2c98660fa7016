// Leaderboards, tournaments, store items, mini-games and raffles.
#include "compiler/sema/checker.h"

namespace questline::sema {

std::optional<Bound> CheckBoundClause(Checker& c, const std::optional<ast::Bound>& b, const char* clause);

void Checker::CheckCompetitions() {
  auto decls = DeclsOf<ast::CompetitionDecl>();
  for (size_t i = 0; i < decls.size() && i < pkg.competitions.size(); ++i) {
    const ast::CompetitionDecl& d = *decls[i];
    Competition c = pkg.competitions[i];
    c.title = d.title.value_or("");
    c.points_earned = d.score_points_earned;
    Scope scope;
    if (d.score) {
      if (d.score->kind != ast::ExprKind::Aggregate) {
        Report(diag::Kind::AggregateArgument, d.score->range,
               "a score is one aggregate, such as `sum(bet.amount)`, or `points_earned`");
      } else {
        Aggregate a = CheckAggregate(*d.score, scope);
        if (a.result.kind != TypeKind::Error) {
          const ast::AggregateFn fn = d.score->aggregate;
          if (fn == ast::AggregateFn::Top || fn == ast::AggregateFn::StreakDays ||
              fn == ast::AggregateFn::StreakWeeks)
            Report(diag::Kind::AggregateArgument, d.score->range,
                   "a score grows with each scoring event: use count, sum, min, max, avg, first, last or "
                   "distinct_days");
          else if (a.result.kind != TypeKind::Int && a.result.kind != TypeKind::Decimal)
            Report(diag::Kind::AggregateArgument, d.score->range,
                   "a score must be a number, found " + TypeName(a.result));
          else
            c.score = std::move(a);
        }
      }
    }
    c.period = d.period;
    c.audience = CheckOptionalCondition(d.audience, scope, "an audience");
    ConstantInterval(d.window, "window", &c.window_from, &c.window_to);
    c.recurring_window = d.recurring_window;
    c.registration = d.registration;
    if (d.buy_in) {
      ConstantInt(d.buy_in.get(), TypeKind::Int, "buy_in", &c.buy_in);
      c.buy_in_currency = Resolve(d.buy_in_currency, SymbolKind::Currency, diag::Kind::UnknownCurrency, "currency");
    }
    c.happy_hours = d.happy_hours;
    // min_score is in the score's own kind: `min_score 100` for a decimal
    // score is 100.000000, not 100 internal units.
    const bool decimal_score = c.score && c.score->result.kind == TypeKind::Decimal;
    if (d.min_score)
      ConstantInt(d.min_score.get(), decimal_score ? TypeKind::Decimal : TypeKind::Int, "min_score", &c.min_score);
    if (d.min_players) ConstantInt(d.min_players.get(), TypeKind::Int, "min_players", &c.min_players);
    if (d.max_players) ConstantInt(d.max_players.get(), TypeKind::Int, "max_players", &c.max_players);
    for (const ast::RankPrize& p : d.prizes) {
      StmtContext ctx;
      c.prizes.push_back({p.first, p.last, CheckBlock(p.body, ctx), p.range});
    }
    pkg.competitions[i] = std::move(c);
  }
}

void Checker::CheckStore() {
  auto items = DeclsOf<ast::ItemDecl>();
  for (size_t i = 0; i < items.size() && i < pkg.items.size(); ++i) {
    const ast::ItemDecl& d = *items[i];
    Item item = pkg.items[i];
    item.title = d.title.value_or("");
    ConstantInt(d.price.get(), TypeKind::Int, "price", &item.price);
    item.currency = Resolve(d.currency, SymbolKind::Currency, diag::Kind::UnknownCurrency, "currency");
    Scope scope;
    item.audience = CheckOptionalCondition(d.audience, scope, "an audience");
    item.limit = CheckBoundClause(*this, d.limit, "limit");
    if (d.stock) ConstantInt(d.stock.get(), TypeKind::Int, "stock", &item.stock);
    StmtContext ctx;
    if (d.on_purchase) item.on_purchase = CheckBlock(*d.on_purchase, ctx);
    pkg.items[i] = std::move(item);
  }

  auto games = DeclsOf<ast::MinigameDecl>();
  for (size_t i = 0; i < games.size() && i < pkg.minigames.size(); ++i) {
    const ast::MinigameDecl& d = *games[i];
    Minigame g = pkg.minigames[i];
    g.title = d.title.value_or("");
    g.kind = d.kind.name.empty() ? "wheel" : d.kind.name;
    if (d.cost) ConstantInt(d.cost.get(), TypeKind::Int, "cost", &g.cost);
    if (!d.cost_currency.name.empty())
      g.cost_currency = Resolve(d.cost_currency, SymbolKind::Currency, diag::Kind::UnknownCurrency, "currency");
    Scope scope;
    g.audience = CheckOptionalCondition(d.audience, scope, "an audience");
    g.limit = CheckBoundClause(*this, d.limit, "limit");
    for (const ast::GamePrize& p : d.prizes) {
      GamePrize prize;
      prize.name = p.name.name;
      prize.range = p.range;
      ConstantInt(p.weight.get(), TypeKind::Int, "weight", &prize.weight);
      if (p.stock) ConstantInt(p.stock.get(), TypeKind::Int, "stock", &prize.stock);
      StmtContext ctx;
      prize.body = CheckBlock(p.body, ctx);
      g.prizes.push_back(std::move(prize));
    }
    pkg.minigames[i] = std::move(g);
  }

  auto raffles = DeclsOf<ast::RaffleDecl>();
  for (size_t i = 0; i < raffles.size() && i < pkg.raffles.size(); ++i) {
    const ast::RaffleDecl& d = *raffles[i];
    Raffle r = pkg.raffles[i];
    r.title = d.title.value_or("");
    Scope scope;
    r.audience = CheckOptionalCondition(d.audience, scope, "an audience");
    if (d.draw_at) ConstantInt(d.draw_at.get(), TypeKind::Time, "draw at", &r.draw_at);
    for (const ast::RafflePrize& p : d.prizes) {
      RafflePrize prize;
      prize.name = p.name.name;
      prize.range = p.range;
      ConstantInt(p.count.get(), TypeKind::Int, "count", &prize.count);
      if (p.max_per_user) ConstantInt(p.max_per_user.get(), TypeKind::Int, "max_per_user", &prize.max_per_user);
      StmtContext ctx;
      prize.body = CheckBlock(p.body, ctx);
      r.prizes.push_back(std::move(prize));
    }
    if (d.max_prizes_per_user)
      ConstantInt(d.max_prizes_per_user.get(), TypeKind::Int, "max_prizes_per_user", &r.max_prizes_per_user);
    pkg.raffles[i] = std::move(r);
  }
}

}  // namespace questline::sema
