// Leaderboards and tournaments, store items, mini-games and raffles.
#include "compiler/syntax/builder.h"
#include "compiler/syntax/literals.h"

namespace questline::syntax {

int Builder::MinuteOf(antlr4::tree::TerminalNode* time_of_day) {
  int64_t minute = 0;
  std::string why;
  if (time_of_day && !DecodeTimeOfDay(time_of_day->getText(), &minute, &why))
    Error(diag::Kind::InvalidLiteral, Range(time_of_day),
          "invalid time of day `" + time_of_day->getText() + "`", why);
  return int(minute);
}

int Builder::WeekdayOf(P::WeekdayContext* ctx) const {
  return ctx ? WeekdayIndex(ctx->getText()) : -1;
}

// leaderboardDecl | tournamentDecl : (LEADERBOARD | TOURNAMENT) ident '{' competitionItem* '}'
ast::Decl Builder::BuildCompetition(ast::CompetitionKind kind, P::IdentContext* name,
                                    const std::vector<P::CompetitionItemContext*>& items,
                                    antlr4::ParserRuleContext* whole) {
  ast::CompetitionDecl c;
  c.kind = kind;
  c.name = MakeIdent(name);
  c.range = Range(whole);
  bool has_score = false, has_period = false, has_window = false, has_hours = false,
       has_prizes = false;
  for (auto* item : items) {
    if (auto* x = dynamic_cast<P::CompTitleContext*>(item)) {
      if (FirstClause(c.title.has_value(), x, "title")) c.title = DecodeStringToken(x->STRING());
    } else if (auto* x = dynamic_cast<P::CompScoreContext*>(item)) {
      if (!FirstClause(has_score, x, "score")) continue;
      has_score = true;
      c.score_points_earned = x->POINTS_EARNED() != nullptr;
      if (x->expr()) c.score = BuildExpr(x->expr());
      c.score_range = Range(x);
    } else if (auto* x = dynamic_cast<P::CompPeriodContext*>(item)) {
      if (!FirstClause(has_period, x, "period")) continue;
      has_period = true;
      c.period = x->DAILY() ? ast::Recurrence::Daily
                 : x->WEEKLY() ? ast::Recurrence::Weekly : ast::Recurrence::Monthly;
    } else if (auto* x = dynamic_cast<P::CompAudienceContext*>(item)) {
      if (FirstClause(c.audience != nullptr, x, "audience")) c.audience = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::CompWindowFixedContext*>(item)) {
      if (!FirstClause(has_window, x, "window")) continue;
      has_window = true;
      auto e = x->expr();
      c.window = ast::Interval{BuildExpr(e[0]), BuildExpr(e[1]), Range(x)};
    } else if (auto* x = dynamic_cast<P::CompWindowRecurringContext*>(item)) {
      // WINDOW EVERY (DAY | WEEK) weekday? TIME_OF_DAY DOTDOT weekday? TIME_OF_DAY
      if (!FirstClause(has_window, x, "window")) continue;
      has_window = true;
      ast::RecurringWindow w;
      w.every = x->DAY() ? ast::Period::Day : ast::Period::Week;
      auto days = x->weekday();
      auto times = x->TIME_OF_DAY();
      w.range = Range(x);
      w.from_minute = MinuteOf(times[0]);
      w.to_minute = MinuteOf(times[1]);
      if (w.every == ast::Period::Week) {
        if (days.size() != 2) {
          Error(diag::Kind::ExpectedToken, w.range,
                "a weekly window names a weekday at both ends",
                "write e.g. `window every week sat 00:00 .. mon 00:00`");
          continue;
        }
        w.from_weekday = WeekdayOf(days[0]);
        w.to_weekday = WeekdayOf(days[1]);
      } else if (!days.empty()) {
        Error(diag::Kind::UnexpectedToken, Range(days[0]),
              "a daily window takes no weekday", "write e.g. `window every day 18:00 .. 22:00`");
        continue;
      }
      c.recurring_window = w;
    } else if (auto* x = dynamic_cast<P::CompRegisterContext*>(item)) {
      if (!FirstClause(c.registration, x, "register")) continue;
      c.registration = true;
      if (x->BUY_IN()) {
        c.buy_in = BuildExpr(x->expr());
        c.buy_in_currency = MakeIdent(x->ident());
      }
    } else if (auto* x = dynamic_cast<P::CompHappyHoursContext*>(item)) {
      if (!FirstClause(has_hours, x, "happy_hours")) continue;
      has_hours = true;
      for (auto* h : x->happyHour()) {
        // happyHour : weekday TIME_OF_DAY '-' TIME_OF_DAY IDENT   (IDENT is `x2`)
        ast::HappyHour hh;
        hh.weekday = WeekdayOf(h->weekday());
        hh.from_minute = MinuteOf(h->TIME_OF_DAY(0));
        hh.to_minute = MinuteOf(h->TIME_OF_DAY(1));
        hh.range = Range(h);
        std::string mult = h->IDENT()->getText();
        int64_t factor = 0;
        std::string why;
        if (mult.size() < 2 || mult[0] != 'x' || !DecodeInt(mult.substr(1), &factor, &why) ||
            factor < 1) {
          Error(diag::Kind::InvalidMultiplier, Range(h->IDENT()),
                "expected a multiplier such as `x2`, found `" + mult + "`",
                "the score of events inside the happy hour is multiplied by this whole number");
          continue;
        }
        hh.multiplier = factor;
        c.happy_hours.push_back(hh);
      }
    } else if (auto* x = dynamic_cast<P::CompMinScoreContext*>(item)) {
      if (FirstClause(c.min_score != nullptr, x, "min_score")) c.min_score = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::CompMinPlayersContext*>(item)) {
      if (FirstClause(c.min_players != nullptr, x, "min_players"))
        c.min_players = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::CompMaxPlayersContext*>(item)) {
      if (FirstClause(c.max_players != nullptr, x, "max_players"))
        c.max_players = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::CompPrizesContext*>(item)) {
      if (!FirstClause(has_prizes, x, "prizes")) continue;
      has_prizes = true;
      for (auto* p : x->rankPrize()) {
        // rankPrize : INT (DOTDOT INT)? ':' stmt*
        ast::RankPrize prize;
        std::string why;
        auto ints = p->INT();
        DecodeInt(ints[0]->getText(), &prize.first, &why);
        prize.last = prize.first;
        if (ints.size() > 1) DecodeInt(ints[1]->getText(), &prize.last, &why);
        prize.body = BuildStmts(p->stmt());
        prize.range = Range(p);
        c.prizes.push_back(std::move(prize));
      }
    }
  }
  return c;
}

// itemDecl : ITEM ident '{' itemClause* '}'
ast::Decl Builder::BuildItem(P::ItemDeclContext* ctx) {
  ast::ItemDecl item;
  item.name = MakeIdent(ctx->ident());
  item.range = Range(ctx);
  for (auto* clause : ctx->itemClause()) {
    if (auto* x = dynamic_cast<P::ItemTitleContext*>(clause)) {
      if (FirstClause(item.title.has_value(), x, "title"))
        item.title = DecodeStringToken(x->STRING());
    } else if (auto* x = dynamic_cast<P::ItemPriceContext*>(clause)) {
      if (!FirstClause(item.price != nullptr, x, "price")) continue;
      item.price = BuildExpr(x->expr());
      item.currency = MakeIdent(x->ident());
    } else if (auto* x = dynamic_cast<P::ItemAudienceContext*>(clause)) {
      if (FirstClause(item.audience != nullptr, x, "audience")) item.audience = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::ItemLimitContext*>(clause)) {
      if (FirstClause(item.limit.has_value(), x, "limit"))
        item.limit = ast::Bound{BuildExpr(x->expr()), {}, BuildPeriod(x->period()), Range(x)};
    } else if (auto* x = dynamic_cast<P::ItemStockContext*>(clause)) {
      if (FirstClause(item.stock != nullptr, x, "stock")) item.stock = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::ItemOnPurchaseContext*>(clause)) {
      if (FirstClause(item.on_purchase.has_value(), x, "on purchase"))
        item.on_purchase = BuildBlock(x->block());
    }
  }
  if (item.price == nullptr)
    Error(diag::Kind::MissingClause, item.name.range,
          "item '" + item.name.name + "' has no `price`", "add e.g. `price 500 points`");
  return item;
}

// minigameDecl : MINIGAME ident '{' minigameClause* '}'
ast::Decl Builder::BuildMinigame(P::MinigameDeclContext* ctx) {
  ast::MinigameDecl game;
  game.name = MakeIdent(ctx->ident());
  game.range = Range(ctx);
  for (auto* clause : ctx->minigameClause()) {
    if (auto* x = dynamic_cast<P::GameTitleContext*>(clause)) {
      if (FirstClause(game.title.has_value(), x, "title"))
        game.title = DecodeStringToken(x->STRING());
    } else if (auto* x = dynamic_cast<P::GameKindContext*>(clause)) {
      if (!FirstClause(!game.kind.name.empty(), x, "kind")) continue;
      game.kind = MakeIdent(x->ident());
      const std::string& k = game.kind.name;
      if (k != "wheel" && k != "scratch" && k != "ballanza")
        Error(diag::Kind::InvalidMinigameKind, game.kind.range,
              "unknown mini-game kind '" + k + "'", "kinds are `wheel`, `scratch` and `ballanza`");
    } else if (auto* x = dynamic_cast<P::GameCostContext*>(clause)) {
      // COST expr ident   (`attempt`/`attempts`, or a currency)
      if (!FirstClause(game.cost != nullptr, x, "cost")) continue;
      game.cost = BuildExpr(x->expr());
      // `attempt` and `attempts` are contextual words, so they arrive as an
      // ident too; only other names are a currency.
      P::IdentContext* unit = x->ident();
      if (unit && !unit->ATTEMPT() && !unit->ATTEMPTS()) game.cost_currency = MakeIdent(unit);
    } else if (auto* x = dynamic_cast<P::GameAudienceContext*>(clause)) {
      if (FirstClause(game.audience != nullptr, x, "audience")) game.audience = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::GameLimitContext*>(clause)) {
      if (FirstClause(game.limit.has_value(), x, "limit"))
        game.limit = ast::Bound{BuildExpr(x->expr()), {}, BuildPeriod(x->period()), Range(x)};
    } else if (auto* x = dynamic_cast<P::GamePrizeContext*>(clause)) {
      // PRIZE ident WEIGHT expr (STOCK expr)? block?
      ast::GamePrize prize;
      prize.name = MakeIdent(x->name());
      auto e = x->expr();
      prize.weight = BuildExpr(e[0]);
      if (e.size() > 1) prize.stock = BuildExpr(e[1]);
      prize.body = BuildBlock(x->block());
      prize.range = Range(x);
      game.prizes.push_back(std::move(prize));
    }
  }
  if (game.prizes.empty())
    Error(diag::Kind::MissingClause, game.name.range,
          "mini-game '" + game.name.name + "' has no prize",
          "add `prize NAME weight N { … }` lines; an empty prize `prize nothing weight 50` is allowed");
  return game;
}

// raffleDecl : RAFFLE ident '{' raffleClause* '}'
ast::Decl Builder::BuildRaffle(P::RaffleDeclContext* ctx) {
  ast::RaffleDecl raffle;
  raffle.name = MakeIdent(ctx->ident());
  raffle.range = Range(ctx);
  for (auto* clause : ctx->raffleClause()) {
    if (auto* x = dynamic_cast<P::RaffleTitleContext*>(clause)) {
      if (FirstClause(raffle.title.has_value(), x, "title"))
        raffle.title = DecodeStringToken(x->STRING());
    } else if (auto* x = dynamic_cast<P::RaffleAudienceContext*>(clause)) {
      if (FirstClause(raffle.audience != nullptr, x, "audience"))
        raffle.audience = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::RaffleDrawContext*>(clause)) {
      if (FirstClause(raffle.draw_at != nullptr, x, "draw at")) raffle.draw_at = BuildExpr(x->expr());
    } else if (auto* x = dynamic_cast<P::RafflePrizeContext*>(clause)) {
      // PRIZE ident COUNT expr (MAX_PER_USER expr)? block?
      ast::RafflePrize prize;
      prize.name = MakeIdent(x->name());
      auto e = x->expr();
      prize.count = BuildExpr(e[0]);
      if (e.size() > 1) prize.max_per_user = BuildExpr(e[1]);
      prize.body = BuildBlock(x->block());
      prize.range = Range(x);
      raffle.prizes.push_back(std::move(prize));
    } else if (auto* x = dynamic_cast<P::RaffleMaxPrizesContext*>(clause)) {
      if (FirstClause(raffle.max_prizes_per_user != nullptr, x, "max_prizes_per_user"))
        raffle.max_prizes_per_user = BuildExpr(x->expr());
    }
  }
  if (raffle.draw_at == nullptr)
    Error(diag::Kind::MissingClause, raffle.name.range,
          "raffle '" + raffle.name.name + "' has no `draw at` instant",
          "add e.g. `draw at 2026-12-24T20:00Z`");
  return raffle;
}

}  // namespace questline::syntax
