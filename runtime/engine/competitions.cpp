// Leaderboards and tournaments (LANGUAGE.md §8): scores inside the window
// (after registration when it is required), happy hours multiplying them,
// ranking by score with ties to whoever reached it first, prizes run once per
// rank when the window closes, then a fresh window.
#include <algorithm>

#include "runtime/engine/engine.h"

namespace questline::engine {

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
      int64_t open = calendar_.LocalToInstant(day - k, c.from_minute);
      if (open > t || (c.every_week && calendar_.Weekday(open) != c.from_weekday)) continue;
      int64_t close_day = calendar_.LocalDay(open);
      for (int64_t j = 0; j <= 7; ++j) {
        int64_t close = calendar_.LocalToInstant(close_day + j, c.to_minute);
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

Engine::CompetitionState& Engine::CurrentWindow(int32_t c, bool* open) {
  CompetitionState& cs = competitions_[size_t(c)];
  int64_t start, end;
  *open = WindowAt(p_.competitions[size_t(c)], now_, &start, &end);
  if (*open && end != cs.window_end) {
    // A new window: a late close of the previous one has already been scheduled.
    cs.window_start = start;
    cs.window_end = end;
    cs.entries.clear();
    cs.index.clear();
    if (end != INT64_MAX) Schedule(end, TimerKind::CompetitionClose, 0, c, 0);
  }
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

void Engine::AddScore(int32_t c, int64_t amount) {
  const ir::Competition& comp = p_.competitions[size_t(c)];
  bool open;
  CurrentWindow(c, &open);
  if (!open) return;
  interp::Frame frame{event_, nullptr, nullptr};
  if (!Holds(comp.audience, frame)) return;
  Entry* entry = EntryFor(c, !comp.registration);
  if (entry == nullptr || (comp.registration && !entry->registered)) return;
  // Happy hours multiply the score of events inside them (local time).
  const int weekday = calendar_.Weekday(now_), minute = calendar_.LocalMinute(now_);
  int64_t multiplier = 1;
  for (const ir::HappyHour& h : comp.happy_hours)
    if (h.weekday == weekday && minute >= h.from_minute && minute < h.to_minute)
      multiplier = std::max(multiplier, h.multiplier);
  entry->score = SaturatingAdd(entry->score, SaturatingMul(amount, multiplier));
  entry->reached = ++score_seq_;
}

void Engine::ScoreEvent(const Event& e) {
  interp::Frame frame{&e, nullptr, nullptr};
  for (size_t c = 0; c < p_.competitions.size(); ++c) {
    const ir::Competition& comp = p_.competitions[c];
    if (!comp.score || comp.score->event != e.type) continue;
    if (!backend_.Test(comp.score->filter, frame, *this)) continue;
    int64_t amount = 1;
    if (comp.score->fn != ir::AggregateFn::Count && comp.score->argument >= 0) {
      Value v = backend_.Eval(comp.score->argument, frame, *this);
      if (v.none) continue;
      amount = v.i;
    }
    AddScore(int32_t(c), amount);
  }
}

void Engine::ScorePoints(int64_t amount) {
  for (size_t c = 0; c < p_.competitions.size(); ++c)
    if (p_.competitions[c].points_earned) AddScore(int32_t(c), amount);
}

void Engine::CloseCompetition(int32_t c) {
  const ir::Competition& comp = p_.competitions[size_t(c)];
  CompetitionState& cs = competitions_[size_t(c)];
  if (cs.window_end > now_ || cs.closed_end == cs.window_end) return;   // paid once per window
  cs.closed_end = cs.window_end;
  const std::string source = std::string(comp.tournament ? "tournament:" : "leaderboard:") + comp.name;
  const char* action = comp.tournament ? "tournament" : "leaderboard";
  std::vector<Entry> ranked;
  for (const Entry& e : cs.entries)
    if (e.score >= comp.min_score && (!comp.registration || e.registered) && e.reached > 0) ranked.push_back(e);
  std::sort(ranked.begin(), ranked.end(), [](const Entry& a, const Entry& b) {
    return a.score != b.score ? a.score > b.score : a.reached < b.reached;
  });
  size_t players = 0;
  for (const Entry& e : cs.entries) players += !comp.registration || e.registered;
  if (comp.min_players > 0 && int64_t(players) < comp.min_players) {
    // Too few players: cancelled, buy-ins refunded.
    for (const Entry& e : cs.entries) {
      if (!e.registered || comp.buy_in <= 0) continue;
      user_ = &UserFor(e.user);
      int64_t& balance = user_->balances[size_t(comp.buy_in_currency)];
      balance = SaturatingAdd(balance, comp.buy_in);
      Emit(source, action, {{"tournament", ActionValue::String(comp.name)}, {"state", ActionValue::String("cancelled")},
                            {"refund", ActionValue::Int(comp.buy_in)}});
    }
  } else {
    for (size_t rank = 1; rank <= ranked.size(); ++rank) {
      user_ = &UserFor(ranked[rank - 1].user);
      Emit(source, action, {{comp.tournament ? "tournament" : "leaderboard", ActionValue::String(comp.name)},
                            {"rank", ActionValue::Int(int64_t(rank))}, {"score", ActionValue::Int(ranked[rank - 1].score)}});
      for (const ir::Prize& prize : comp.prizes)
        if (int64_t(rank) >= prize.first_rank && int64_t(rank) <= prize.last_rank) RunBlock(prize.body, source);
      Settle();
    }
  }
  cs.entries.clear();
  cs.index.clear();
  user_ = nullptr;
}

// tournament_register {tournament}: exists, takes registrations, window open,
// audience, not yet registered, capacity, buy-in.
void Engine::HandleRegister(const Event& e) {
  std::string name;
  const int32_t c = RequestTarget(e, competition_by_name_, &name);
  const std::string source = "tournament:" + name;
  if (c < 0) return Reject(source, "tournament_register", "unknown_tournament");
  const auto it = p_.competitions.begin() + c;
  if (!it->registration) return Reject(source, "tournament_register", "no_registration_needed");
  bool open;
  CompetitionState& cs = CurrentWindow(c, &open);
  if (!open) return Reject(source, "tournament_register", "outside_window");
  interp::Frame frame{&e, nullptr, nullptr};
  if (!Holds(it->audience, frame)) return Reject(source, "tournament_register", "not_in_audience");
  Entry* existing = EntryFor(c, false);
  if (existing && existing->registered) return Reject(source, "tournament_register", "already_registered");
  size_t registered = 0;
  for (const Entry& en : cs.entries) registered += en.registered;
  if (it->max_players > 0 && int64_t(registered) >= it->max_players) return Reject(source, "tournament_register", "full");
  if (it->buy_in > 0 && user_->balances[size_t(it->buy_in_currency)] < it->buy_in)
    return Reject(source, "tournament_register", "insufficient_balance");
  if (it->buy_in > 0) user_->balances[size_t(it->buy_in_currency)] -= it->buy_in;
  EntryFor(c, true)->registered = true;
  Emit(source, "tournament", {{"tournament", ActionValue::String(name)}, {"state", ActionValue::String("registered")}});
}

}  // namespace questline::engine
