// Leaderboards and tournaments (LANGUAGE.md §8): scores of the aggregate's
// own kind inside the window (after registration when it is required), happy
// hours multiplying them, ranking by score with ties to whoever reached it
// first, `min_players` judged at the start, every window closing at an
// instant ranked before any prize is paid, then a fresh window.
#include <algorithm>

#include "runtime/engine/engine.h"

namespace questline::engine {

// A local date and time of day as an instant (settings.timezone), DST days included.
int64_t Engine::LocalTime(int64_t day, int minute) const { return calendar_.LocalToInstant(day, minute); }

// The window containing `t`, or (for fixed windows not yet open) false.
bool Engine::WindowAt(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const {
  if (c.window_from && c.window_to) {
    *start = *c.window_from;
    *end = *c.window_to;
    return t >= *start && t < *end;
  }
  if (c.recurring_window) {
    // The latest opening at or before t, then its closing after it.
    const int64_t day = calendar_.LocalDay(t);
    for (int64_t k = 0; k <= 7; ++k) {
      int64_t open = LocalTime(day - k, c.from_minute);
      if (open > t || (c.every_week && calendar_.Weekday(open) != c.from_weekday)) continue;
      int64_t close_day = calendar_.LocalDay(open);
      for (int64_t j = 0; j <= 7; ++j) {
        int64_t close = LocalTime(close_day + j, c.to_minute);
        if (close <= open || (c.every_week && calendar_.Weekday(close) != c.to_weekday)) continue;
        *start = open;
        *end = close;
        return t < close;
      }
      return false;
    }
    return false;
  }
  // Leaderboards: the calendar period (for ever without one).
  auto period = static_cast<CalendarPeriod>(c.period);
  if (period == CalendarPeriod::Forever) {
    *start = INT64_MIN;
    *end = INT64_MAX;
    return true;
  }
  *end = calendar_.NextPeriodStart(period, t);
  *start = t;   // only the end matters for closing
  return true;
}

// The window a registration at `t` is for: the open one, else the next to
// open. False when none is left (a fixed window that has ended).
bool Engine::NextWindow(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const {
  if (WindowAt(c, t, start, end)) return true;
  if (c.window_from && c.window_to) return t < *c.window_from;
  if (!c.recurring_window) return false;
  const int64_t day = calendar_.LocalDay(t);
  for (int64_t k = 0; k <= 8; ++k) {   // the first opening after t: within a week and a day
    const int64_t open = LocalTime(day + k, c.from_minute);
    if (open <= t || (c.every_week && calendar_.Weekday(open) != c.from_weekday)) continue;
    return WindowAt(c, open, start, end);
  }
  return false;
}

// Entries now belong to the window [start, end): the previous one has been
// ranked already (its close fired before anything at or after its end).
void Engine::EnterWindow(int32_t c, int64_t start, int64_t end) {
  const ir::Competition& comp = p_.competitions[size_t(c)];
  CompetitionState& cs = competitions_[size_t(c)];
  cs.window_start = start;
  cs.window_end = end;
  cs.entries.clear();
  cs.index.clear();
  cs.cancelled = false;
  cs.start_judged = !(comp.registration && comp.min_players > 0);
  if (end != INT64_MAX) Schedule(end, TimerKind::CompetitionClose, 0, c, 0);
  if (cs.start_judged) return;
  if (start > now_) {
    Schedule(start, TimerKind::CompetitionStart, 0, c, 0);
  } else {
    // Nobody registered before the start: fewer than min_players then.
    cs.start_judged = true;
    cs.cancelled = true;
  }
}

Engine::CompetitionState& Engine::CurrentWindow(int32_t c, bool* open) {
  CompetitionState& cs = competitions_[size_t(c)];
  int64_t start, end;
  *open = WindowAt(p_.competitions[size_t(c)], now_, &start, &end);
  if (*open && end != cs.window_end) EnterWindow(c, start, end);
  return cs;
}

Engine::Entry* Engine::EntryFor(int32_t c, bool create) {
  CompetitionState& cs = competitions_[size_t(c)];
  auto it = cs.index.find(user_->user);
  if (it != cs.index.end()) return &cs.entries[it->second];
  if (!create) return nullptr;
  cs.index.emplace(user_->user, cs.entries.size());
  cs.entries.push_back({user_->user});
  return &cs.entries.back();
}

ActionValue Engine::ScoreValue(const ir::Competition& c, int64_t score) const {
  const bool decimal = c.score && c.score->result == ValueKind::Decimal;
  return decimal ? ActionValue::Decimal(score) : ActionValue::Int(score);
}

// One scoring event's value `v` (points_earned: the points) into the
// player's entry, by the score's aggregate function.
void Engine::AddScore(int32_t c, Value v) {
  const ir::Competition& comp = p_.competitions[size_t(c)];
  bool open;
  CompetitionState& cs = CurrentWindow(c, &open);
  if (!open || cs.cancelled) return;
  core::Frame frame{event_, nullptr, nullptr};
  if (!Holds(comp.audience, frame)) return;
  Entry* entry = EntryFor(c, !comp.registration);
  if (entry == nullptr || (comp.registration && !entry->registered)) return;
  // Happy hours multiply the score of events inside them (local time).
  const int weekday = calendar_.Weekday(now_), minute = calendar_.LocalMinute(now_);
  int64_t multiplier = 1;
  for (const ir::HappyHour& h : comp.happy_hours)
    if (h.weekday == weekday && minute >= h.from_minute && minute < h.to_minute)
      multiplier = std::max(multiplier, h.multiplier);
  const ir::AggregateFn fn = comp.score ? comp.score->fn : ir::AggregateFn::Sum;
  const int64_t x = SaturatingMul(v.i, multiplier);
  const bool first = entry->reached == 0;
  int64_t score = entry->score;
  switch (fn) {
    case ir::AggregateFn::Count: score = SaturatingAdd(score, multiplier); break;
    case ir::AggregateFn::Min: score = first ? x : std::min(score, x); break;
    case ir::AggregateFn::Max: score = first ? x : std::max(score, x); break;
    case ir::AggregateFn::First: score = first ? x : score; break;
    case ir::AggregateFn::Last: score = x; break;
    case ir::AggregateFn::Avg: {
      entry->sum = SaturatingAdd(entry->sum, x);
      entry->count += 1;
      // The sum of a decimal field is scaled already; an int field's is not.
      const __int128 scaled =
          comp.score->argument_kind == ValueKind::Decimal ? __int128(entry->sum) : __int128(entry->sum) * kDecimalScale;
      score = int64_t(scaled / entry->count);
      break;
    }
    case ir::AggregateFn::DistinctDays: {   // the clock never goes back: days arrive in order
      const int64_t day = calendar_.LocalDay(now_);
      if (day != entry->last_day) score = SaturatingAdd(score, 1);
      entry->last_day = day;
      break;
    }
    default: score = SaturatingAdd(score, x); break;   // Sum (sema admits no other)
  }
  // Ties go to who reached the score first: only a change moves the instant.
  if (first || score != entry->score) entry->reached = ++score_seq_;
  entry->score = score;
}

void Engine::ScoreEvent(const Event& e) {
  core::Frame frame{&e, nullptr, nullptr};
  for (size_t c = 0; c < p_.competitions.size(); ++c) {
    const ir::Competition& comp = p_.competitions[c];
    if (!comp.score || comp.score->event != e.type) continue;
    if (!backend_.Test(comp.score->filter, frame, *this)) continue;
    Value v = Value::Int(1);
    if (comp.score->argument >= 0) {
      v = backend_.Eval(comp.score->argument, frame, *this);
      if (v.none) continue;
    }
    AddScore(int32_t(c), v);
  }
}

void Engine::ScorePoints(int64_t amount) {
  for (size_t c = 0; c < p_.competitions.size(); ++c)
    if (p_.competitions[c].points_earned) AddScore(int32_t(c), Value::Int(amount));
}

// A cancelled window: an action for each player in it, buy-ins refunded.
void Engine::CancelWindow(int32_t c, const std::vector<Entry>& players) {
  const ir::Competition& comp = p_.competitions[size_t(c)];
  const std::string source = std::string(comp.tournament ? "tournament:" : "leaderboard:") + comp.name;
  for (const Entry& e : players) {
    user_ = &UserFor(e.user);
    std::vector<std::pair<std::string, ActionValue>> fields = {
        {comp.tournament ? "tournament" : "leaderboard", ActionValue::String(comp.name)},
        {"state", ActionValue::String("cancelled")}};
    if (e.registered && comp.buy_in > 0) {
      int64_t& balance = user_->balances[size_t(comp.buy_in_currency)];
      balance = SaturatingAdd(balance, comp.buy_in);
      fields.push_back({"refund", ActionValue::Int(comp.buy_in)});
      fields.push_back({"currency", ActionValue::String(p_.currencies[size_t(comp.buy_in_currency)])});
      fields.push_back({"balance", ActionValue::Int(balance)});
    }
    Emit(source, comp.tournament ? "tournament" : "leaderboard", std::move(fields));
    SettleStep(nullptr);
  }
  user_ = nullptr;
}

// A registered competition's window opens: with fewer than min_players
// registered it is cancelled now, not after a window of play.
void Engine::StartCompetition(int32_t c) {
  const ir::Competition& comp = p_.competitions[size_t(c)];
  CompetitionState& cs = competitions_[size_t(c)];
  if (cs.start_judged || cs.window_start > now_) return;   // a timer of an earlier window
  cs.start_judged = true;
  int64_t registered = 0;
  for (const Entry& e : cs.entries) registered += e.registered;
  if (registered >= comp.min_players) return;
  cs.cancelled = true;
  std::vector<Entry> players;
  players.swap(cs.entries);
  cs.index.clear();
  CancelWindow(c, players);
}

// Every window that has ended by now is ranked first, then prizes are paid:
// a prize scored into another competition (points_earned) closing at the same
// instant can no longer move that one's result or wipe its window.
void Engine::CloseCompetitions() {
  struct Closing { int32_t c; std::vector<Entry> ranked, cancelled; };
  std::vector<Closing> closing;
  for (size_t i = 0; i < p_.competitions.size(); ++i) {
    const ir::Competition& comp = p_.competitions[i];
    CompetitionState& cs = competitions_[i];
    if (cs.window_end == INT64_MIN || cs.window_end > now_ || cs.closed_end == cs.window_end) continue;
    cs.closed_end = cs.window_end;
    Closing done{int32_t(i), {}, {}};
    std::vector<Entry> entries;
    entries.swap(cs.entries);
    cs.index.clear();
    if (cs.cancelled) continue;   // told at the start
    std::vector<Entry> players;
    for (const Entry& e : entries)
      if (e.reached > 0 && (!comp.registration || e.registered)) players.push_back(e);
    if (!comp.registration && comp.min_players > 0 && int64_t(players.size()) < comp.min_players) {
      // Without registration, who plays is known only at the close.
      done.cancelled = std::move(players);
      closing.push_back(std::move(done));
      continue;
    }
    std::sort(players.begin(), players.end(), [](const Entry& a, const Entry& b) {
      return a.score != b.score ? a.score > b.score : a.reached < b.reached;
    });
    cs.last.clear();
    int64_t rank = 0;
    for (const Entry& e : players) {
      const bool ranked = e.score >= comp.min_score;
      if (ranked) done.ranked.push_back(e);
      cs.last[e.user] = {e.score, ranked ? ++rank : 0};
    }
    closing.push_back(std::move(done));
  }
  for (const Closing& done : closing) {
    const ir::Competition& comp = p_.competitions[size_t(done.c)];
    if (!done.cancelled.empty()) {
      CancelWindow(done.c, done.cancelled);
      continue;
    }
    const std::string source = std::string(comp.tournament ? "tournament:" : "leaderboard:") + comp.name;
    const char* action = comp.tournament ? "tournament" : "leaderboard";
    for (size_t rank = 1; rank <= done.ranked.size(); ++rank) {
      const Entry& e = done.ranked[rank - 1];
      user_ = &UserFor(e.user);
      Emit(source, action, {{action, ActionValue::String(comp.name)}, {"rank", ActionValue::Int(int64_t(rank))},
                            {"score", ScoreValue(comp, e.score)}});
      for (const ir::Prize& prize : comp.prizes)
        if (int64_t(rank) >= prize.first_rank && int64_t(rank) <= prize.last_rank) RunBlock(prize.body, source);
      SettleStep(nullptr);
    }
  }
  user_ = nullptr;
}

// tournament_register {tournament}: exists, takes registrations, a window
// open or still to open, not cancelled, audience, not yet registered,
// capacity, policy, buy-in.
bool Engine::HandleRegister(const Event& e) {
  std::string name;
  const int32_t c = RequestTarget(e, competition_by_name_, &name);
  const std::string source = "tournament:" + name;
  if (c < 0) return Reject(source, "tournament_register", "unknown_tournament");
  const ir::Competition& comp = p_.competitions[size_t(c)];
  if (!comp.registration) return Reject(source, "tournament_register", "no_registration_needed");
  int64_t start, end;
  if (!NextWindow(comp, now_, &start, &end)) return Reject(source, "tournament_register", "outside_window");
  CompetitionState& cs = competitions_[size_t(c)];
  if (end != cs.window_end) EnterWindow(c, start, end);
  if (cs.cancelled) return Reject(source, "tournament_register", "cancelled");
  core::Frame frame{&e, nullptr, nullptr};
  if (!Holds(comp.audience, frame)) return Reject(source, "tournament_register", "not_in_audience");
  Entry* existing = EntryFor(c, false);
  if (existing && existing->registered) return Reject(source, "tournament_register", "already_registered");
  int64_t registered = 0;
  for (const Entry& en : cs.entries) registered += en.registered;
  if (comp.max_players > 0 && registered >= comp.max_players) return Reject(source, "tournament_register", "full");
  if (comp.buy_in > 0)
    if (const ir::Policy* policy = PaidRequestBlocked())
      return Reject(source, "tournament_register", "blocked_by_policy", {{"policy", ActionValue::String(policy->name)}});
  std::vector<std::pair<std::string, ActionValue>> fields = {{"tournament", ActionValue::String(name)},
                                                             {"state", ActionValue::String("registered")}};
  if (comp.buy_in > 0) {
    int64_t& balance = user_->balances[size_t(comp.buy_in_currency)];
    if (balance < comp.buy_in) return Reject(source, "tournament_register", "insufficient_balance");
    balance -= comp.buy_in;
    fields.push_back({"buy_in", ActionValue::Int(comp.buy_in)});
    fields.push_back({"currency", ActionValue::String(p_.currencies[size_t(comp.buy_in_currency)])});
    fields.push_back({"balance", ActionValue::Int(balance)});
  }
  EntryFor(c, true)->registered = true;
  Emit(source, "tournament", std::move(fields));
  return true;
}

}  // namespace questline::engine
