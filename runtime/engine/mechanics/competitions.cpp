// Leaderboards and tournaments (LANGUAGE.md §8): scores of the aggregate's
// own kind inside the window (after registration when it is required), happy
// hours multiplying them, ranking by score with ties to whoever reached it
// first, `min_players` judged at the start, every window closing at an
// instant ranked before any prize is paid, then a fresh window.
#include "runtime/engine/mechanics/competitions.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {

namespace {

void AppendScore(std::string& out, const ir::Competition& c, int64_t score) {
  if (c.score && c.score->result == ValueKind::Decimal) AppendDecimal(out, score);
  else out += std::to_string(score);
}

}  // namespace

Competitions::Competitions(Kernel& k) : Mechanic(k) {
  competitions_.resize(k_.p.competitions.size());
  InternNames();
}

void Competitions::InternNames() {
  by_name_.clear();
  for (size_t i = 0; i < k_.p.competitions.size(); ++i)
    by_name_[k_.strings.Intern(k_.p.competitions[i].name)] = int32_t(i);
}

int32_t Competitions::Index(const std::string& name) const {
  const int64_t id = k_.strings.Find(name);
  if (id < 0) return -1;
  auto it = by_name_.find(uint32_t(id));
  return it == by_name_.end() ? -1 : it->second;
}

Competitions& Competitions::G() const { return k_.Global().m.competitions; }

bool Competitions::OnRequest(const Event& e) { return e.type != k_.p.tournament_register || HandleRegister(e); }

bool Competitions::OnTimer(const Timer& t) {
  if (t.kind == kClose) Close();
  else StartWindow(t.a);
  return false;
}


// The window containing `t`, or (for fixed windows not yet open) false.
bool Competitions::WindowAt(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const {
  if (c.window_from && c.window_to) {
    *start = *c.window_from;
    *end = *c.window_to;
    return t >= *start && t < *end;
  }
  if (c.recurring_window) {
    // The latest opening at or before t, then its closing after it.
    const int64_t day = k_.calendar.LocalDay(t);
    for (int64_t k = 0; k <= 7; ++k) {
      int64_t open = k_.calendar.LocalToInstant(day - k, c.from_minute);
      if (open > t || (c.every_week && k_.calendar.Weekday(open) != c.from_weekday)) continue;
      int64_t close_day = k_.calendar.LocalDay(open);
      for (int64_t j = 0; j <= 7; ++j) {
        int64_t close = k_.calendar.LocalToInstant(close_day + j, c.to_minute);
        if (close <= open || (c.every_week && k_.calendar.Weekday(close) != c.to_weekday)) continue;
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
  *end = k_.calendar.NextPeriodStart(period, t);
  *start = t;   // only the end matters for closing
  return true;
}

int64_t Competitions::NextBoundary(int64_t after) const {
  int64_t next = INT64_MAX;
  for (const ir::Competition& c : k_.p.competitions) {
    int64_t start, end;
    if (WindowAt(c, after, &start, &end)) {
      if (end != INT64_MAX) next = std::min(next, end);   // after < end
    } else if (NextWindow(c, after, &start, &end)) {
      next = std::min(next, start > after ? start : end);
    }
  }
  return next;
}

// The window a registration at `t` is for: the open one, else the next to
// open. False when none is left (a fixed window that has ended).
bool Competitions::NextWindow(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const {
  if (WindowAt(c, t, start, end)) return true;
  if (c.window_from && c.window_to) return t < *c.window_from;
  if (!c.recurring_window) return false;
  const int64_t day = k_.calendar.LocalDay(t);
  for (int64_t k = 0; k <= 8; ++k) {   // the first opening after t: within a week and a day
    const int64_t open = k_.calendar.LocalToInstant(day + k, c.from_minute);
    if (open <= t || (c.every_week && k_.calendar.Weekday(open) != c.from_weekday)) continue;
    return WindowAt(c, open, start, end);
  }
  return false;
}

// Entries now belong to the window [start, end): the previous one has been
// ranked already (its close fired before anything at or after its end).
void Competitions::EnterWindow(int32_t c, int64_t start, int64_t end) {
  const ir::Competition& comp = k_.p.competitions[size_t(c)];
  State& cs = G().competitions_[size_t(c)];
  cs.window_start = start;
  cs.window_end = end;
  cs.entries.clear();
  cs.index.clear();
  cs.cancelled = false;
  // Ranked elsewhere, min_players is judged there, at the close, over every engine's players.
  cs.start_judged = !(comp.registration && comp.min_players > 0) || k_.options.owned_elsewhere;
  if (end != INT64_MAX) k_.ScheduleGlobal(end, MechanicId::competitions, kClose, c, 0);
  if (cs.start_judged) return;
  if (start > k_.now) {
    k_.ScheduleGlobal(start, MechanicId::competitions, kStart, c, 0);
  } else {
    // Nobody registered before the start: fewer than min_players then.
    cs.start_judged = true;
    cs.cancelled = true;
  }
}

Competitions::State& Competitions::CurrentWindow(int32_t c, bool* open) {
  State& cs = G().competitions_[size_t(c)];
  int64_t start, end;
  *open = WindowAt(k_.p.competitions[size_t(c)], k_.now, &start, &end);
  if (*open && end != cs.window_end) EnterWindow(c, start, end);
  return cs;
}

Competitions::Entry* Competitions::EntryFor(int32_t c, bool create) {
  State& cs = G().competitions_[size_t(c)];
  auto it = cs.index.find(k_.user->user);
  if (it != cs.index.end()) return &cs.entries[it->second];
  if (!create) return nullptr;
  cs.index.emplace(k_.user->user, cs.entries.size());
  cs.entries.push_back({k_.user->user});
  return &cs.entries.back();
}

ActionValue Competitions::ScoreValue(const ir::Competition& c, int64_t score) const {
  const bool decimal = c.score && c.score->result == ValueKind::Decimal;
  return decimal ? ActionValue::Decimal(score) : ActionValue::Int(score);
}

// One scoring event's value `v` (points_earned: the points) into the
// player's entry, by the score's aggregate function.
void Competitions::AddScore(int32_t c, Value v) {
  const ir::Competition& comp = k_.p.competitions[size_t(c)];
  bool open;
  State& cs = CurrentWindow(c, &open);
  if (!open || cs.cancelled) return;
  core::Frame frame{k_.event, nullptr, nullptr};
  if (!k_.Holds(comp.audience, frame)) return;
  Entry* entry = EntryFor(c, !comp.registration);
  if (entry == nullptr || (comp.registration && !entry->registered)) return;
  // Happy hours multiply the score of events inside them (local time).
  const int weekday = k_.calendar.Weekday(k_.now), minute = k_.calendar.LocalMinute(k_.now);
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
      const int64_t day = k_.calendar.LocalDay(k_.now);
      if (day != entry->last_day) score = SaturatingAdd(score, 1);
      entry->last_day = day;
      break;
    }
    default: score = SaturatingAdd(score, x); break;   // Sum (sema admits no other)
  }
  // Ties go to who reached the score first: only a change moves the instant.
  if (first || score != entry->score) {
    entry->reached = ++G().score_seq_;
    entry->reached_at = k_.now;
  }
  entry->score = score;
}

void Competitions::OnEvent(const Event& e) {
  core::Frame frame{&e, nullptr, nullptr};
  for (size_t c = 0; c < k_.p.competitions.size(); ++c) {
    const ir::Competition& comp = k_.p.competitions[c];
    if (!comp.score || comp.score->event != e.type) continue;
    if (!k_.backend.Test(comp.score->filter, frame, k_)) continue;
    Value v = Value::Int(1);
    if (comp.score->argument >= 0) {
      v = k_.backend.Eval(comp.score->argument, frame, k_);
      if (v.none) continue;
    }
    AddScore(int32_t(c), v);
  }
}

void Competitions::ScorePoints(int64_t amount) {
  for (size_t c = 0; c < k_.p.competitions.size(); ++c)
    if (k_.p.competitions[c].points_earned) AddScore(int32_t(c), Value::Int(amount));
}

// A cancelled window: an action for each player in it, buy-ins refunded.
void Competitions::CancelWindow(int32_t c, const std::vector<Entry>& players) {
  const ir::Competition& comp = k_.p.competitions[size_t(c)];
  for (const Entry& e : players) {
    Kernel& player = k_.Hand(e.user);
    CancelPlayer(comp, player, e.registered);
    player.SettleStep(nullptr);
    k_.Return(player);
  }
  k_.user = nullptr;
}

void Competitions::CancelPlayer(const ir::Competition& comp, Kernel& player, bool registered) {
  const std::string source = std::string(comp.tournament ? "tournament:" : "leaderboard:") + comp.name;
  std::vector<std::pair<std::string, ActionValue>> fields = {
      {comp.tournament ? "tournament" : "leaderboard", ActionValue::String(comp.name)},
      {"state", ActionValue::String("cancelled")}};
  if (registered && comp.buy_in > 0) {
    int64_t& balance = player.m.wallet.Balance(*player.user, comp.buy_in_currency);
    balance = SaturatingAdd(balance, comp.buy_in);
    fields.push_back({"refund", ActionValue::Int(comp.buy_in)});
    fields.push_back({"currency", ActionValue::String(k_.p.currencies[size_t(comp.buy_in_currency)])});
    fields.push_back({"balance", ActionValue::Int(balance)});
  }
  player.Emit(source, comp.tournament ? "tournament" : "leaderboard", std::move(fields));
}

// A registered competition's window opens: with fewer than min_players
// registered it is cancelled now, not after a window of play.
void Competitions::StartWindow(int32_t c) {
  const ir::Competition& comp = k_.p.competitions[size_t(c)];
  State& cs = competitions_[size_t(c)];
  if (cs.start_judged || cs.window_start > k_.now) return;   // a timer of an earlier window
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
void Competitions::Close() {
  if (k_.options.owned_elsewhere) return HandOut();
  struct Closing { int32_t c; std::vector<Entry> ranked, cancelled; };
  std::vector<Closing> closing;
  for (size_t i = 0; i < k_.p.competitions.size(); ++i) {
    const ir::Competition& comp = k_.p.competitions[i];
    State& cs = competitions_[i];
    if (cs.window_end == INT64_MIN || cs.window_end > k_.now || cs.closed_end == cs.window_end) continue;
    cs.closed_end = cs.window_end;
    cs.close_number = ++closes_;
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
    const ir::Competition& comp = k_.p.competitions[size_t(done.c)];
    if (!done.cancelled.empty()) {
      CancelWindow(done.c, done.cancelled);
      continue;
    }
    const std::string source = std::string(comp.tournament ? "tournament:" : "leaderboard:") + comp.name;
    const char* action = comp.tournament ? "tournament" : "leaderboard";
    for (size_t rank = 1; rank <= done.ranked.size(); ++rank) {
      const Entry& e = done.ranked[rank - 1];
      Kernel& player = k_.Hand(e.user);
      player.Emit(source, action, {{action, ActionValue::String(comp.name)}, {"rank", ActionValue::Int(int64_t(rank))},
                                {"score", ScoreValue(comp, e.score)}});
      for (const ir::Prize& prize : comp.prizes)
        if (int64_t(rank) >= prize.first_rank && int64_t(rank) <= prize.last_rank) player.RunBlock(prize.body, source);
      player.SettleStep(nullptr);
      k_.Return(player);
    }
  }
  k_.user = nullptr;
}

// Every window that has ended by now leaves this engine with its entries,
// registered or scored, in competition order; its ranking and prizes come
// back as results (ApplyResult).
void Competitions::HandOut() {
  for (size_t i = 0; i < k_.p.competitions.size(); ++i) {
    State& cs = competitions_[i];
    if (cs.window_end == INT64_MIN || cs.window_end > k_.now || cs.closed_end == cs.window_end) continue;
    cs.closed_end = cs.window_end;
    ClosedWindow window{k_.p.competitions[i].name, cs.window_start, cs.window_end, {}};
    for (const Entry& e : cs.entries)
      if (e.reached > 0 || e.registered)
        window.entries.push_back({k_.strings.Get(e.user), e.score, e.reached_at, e.reached > 0, e.registered});
    // The final scores are `last` until the ranks come (the mirror reads them there).
    cs.last.clear();
    cs.last_end = cs.window_end;
    cs.close_number = ++closes_;
    for (const Entry& e : cs.entries)
      if (e.reached > 0) cs.last[e.user] = {e.score, 0};
    cs.entries.clear();
    cs.index.clear();
    if (window.entries.empty()) continue;
    cs.awaiting_end = cs.window_end;   // the owner answers every partition that sent entries
    closed_.push_back(std::move(window));
  }
}

int64_t Competitions::NextHandOut() const {
  int64_t next = INT64_MAX;
  for (const State& cs : competitions_)
    if (cs.window_end != INT64_MIN && cs.closed_end != cs.window_end && !cs.entries.empty())
      next = std::min(next, cs.window_end);
  return next;
}

size_t Competitions::AwaitedWindows() const {
  size_t n = 0;
  for (const State& cs : competitions_) n += cs.awaiting_end != INT64_MIN;
  return n;
}

bool Competitions::Awaits(const std::string& name, int64_t window_end) const {
  const int32_t c = Index(name);
  return c >= 0 && competitions_[size_t(c)].awaiting_end == window_end && window_end != INT64_MIN;
}

void Competitions::ResultsDone(int32_t c, int64_t window_end) {
  State& cs = competitions_[size_t(c)];
  if (cs.awaiting_end == window_end) cs.awaiting_end = INT64_MIN;
}

std::vector<ClosedWindow> Competitions::TakeClosed() {
  std::vector<ClosedWindow> out;
  out.swap(closed_);
  return out;
}

// The player's outcome, as the close of one engine would have paid it: the
// rank's action and prizes, or the cancellation; `last` keeps the newest
// window's results.
void Competitions::ApplyResult(int32_t c, const CompetitionResult& r) {
  const ir::Competition& comp = k_.p.competitions[size_t(c)];
  if (r.rank == CompetitionResult::kCancelled) return CancelPlayer(comp, k_, r.registered);
  State& cs = competitions_[size_t(c)];
  if (r.window_end == cs.last_end) cs.last[k_.user->user] = {r.score, r.rank};   // else a newer window's stand
  if (r.rank == CompetitionResult::kUnranked) return;
  const std::string source = std::string(comp.tournament ? "tournament:" : "leaderboard:") + comp.name;
  const char* action = comp.tournament ? "tournament" : "leaderboard";
  k_.Emit(source, action, {{action, ActionValue::String(comp.name)}, {"rank", ActionValue::Int(r.rank)},
                           {"score", ScoreValue(comp, r.score)}});
  for (const ir::Prize& prize : comp.prizes)
    if (r.rank >= prize.first_rank && r.rank <= prize.last_rank) k_.RunBlock(prize.body, source);
}

// tournament_register {tournament}: exists, takes registrations, a window
// open or still to open, not cancelled, audience, not yet registered,
// capacity, policy, buy-in.
bool Competitions::HandleRegister(const Event& e) {
  std::string name;
  const int32_t c = RequestTarget(k_, e, "tournament", by_name_, &name);
  const std::string source = "tournament:" + name;
  if (c < 0) return Reject(k_, source, "tournament_register", "unknown_tournament");
  const ir::Competition& comp = k_.p.competitions[size_t(c)];
  if (!comp.registration) return Reject(k_, source, "tournament_register", "no_registration_needed");
  int64_t start, end;
  if (!NextWindow(comp, k_.now, &start, &end)) return Reject(k_, source, "tournament_register", "outside_window");
  State& cs = G().competitions_[size_t(c)];
  if (end != cs.window_end) EnterWindow(c, start, end);
  if (cs.cancelled) return Reject(k_, source, "tournament_register", "cancelled");
  core::Frame frame{&e, nullptr, nullptr};
  if (!k_.Holds(comp.audience, frame)) return Reject(k_, source, "tournament_register", "not_in_audience");
  Entry* existing = EntryFor(c, false);
  if (existing && existing->registered) return Reject(k_, source, "tournament_register", "already_registered");
  // The seats are the window's, over every partition: with the
  // competitions owned elsewhere, the seats' owner keeps them like a stock
  // (a registration the later checks pass takes one; one they refuse asks
  // whether any is left, for its reason).
  const bool seats_elsewhere = k_.options.owned_elsewhere && comp.max_players > 0;
  if (comp.max_players > 0 && !seats_elsewhere) {
    int64_t registered = 0;
    for (const Entry& en : cs.entries) registered += en.registered;
    if (registered >= comp.max_players) return Reject(k_, source, "tournament_register", "full");
  }
  const ir::Policy* policy = comp.buy_in > 0 ? k_.m.policies.Blocking(ir::PolicyTarget::Rewards) : nullptr;
  if (seats_elsewhere) {
    const bool passes =
        policy == nullptr && (comp.buy_in <= 0 || k_.m.wallet.Balance(*k_.user, comp.buy_in_currency) >= comp.buy_in);
    const StockAnswer* answer =
        k_.AskStockOwner(passes ? StockClaim::Kind::Take : StockClaim::Kind::Peek, source, cs.window_end);
    if (answer == nullptr) return false;   // the step waits for the owner
    if (!answer->granted) return Reject(k_, source, "tournament_register", "full");
  }
  if (policy != nullptr)
    return Reject(k_, source, "tournament_register", "blocked_by_policy", {{"policy", ActionValue::String(policy->name)}});
  std::vector<std::pair<std::string, ActionValue>> fields = {{"tournament", ActionValue::String(name)},
                                                             {"state", ActionValue::String("registered")}};
  if (comp.buy_in > 0) {
    int64_t& balance = k_.m.wallet.Balance(*k_.user, comp.buy_in_currency);
    if (balance < comp.buy_in) return Reject(k_, source, "tournament_register", "insufficient_balance");
    balance -= comp.buy_in;
    fields.push_back({"buy_in", ActionValue::Int(comp.buy_in)});
    fields.push_back({"currency", ActionValue::String(k_.p.currencies[size_t(comp.buy_in_currency)])});
    fields.push_back({"balance", ActionValue::Int(balance)});
  }
  EntryFor(c, true)->registered = true;
  k_.Emit(source, "tournament", std::move(fields));
  return true;
}

std::vector<const Competitions::Entry*> Competitions::Ranked(size_t c) const {
  std::vector<const Entry*> ranked;
  for (const Entry& e : G().competitions_[c].entries)
    if (e.reached > 0 || e.registered) ranked.push_back(&e);
  std::stable_sort(ranked.begin(), ranked.end(), [](const Entry* a, const Entry* b) {
    if ((a->reached > 0) != (b->reached > 0)) return a->reached > 0;   // registered, not scored yet: last
    return a->score != b->score ? a->score > b->score : a->reached < b->reached;
  });
  return ranked;
}

bool Competitions::Ranking(const std::string& name, size_t top, std::string* out) const {
  size_t c = 0;
  while (c < k_.p.competitions.size() && k_.p.competitions[c].name != name) ++c;
  if (c == k_.p.competitions.size()) return false;
  const ir::Competition& comp = k_.p.competitions[c];
  *out = comp.tournament ? "{\"tournament\":" : "{\"leaderboard\":";
  AppendJsonString(*out, comp.name);
  *out += ",\"entries\":[";
  size_t rank = 0;
  for (const Entry* e : Ranked(c)) {
    if (e->reached == 0 || rank == top) break;   // registered, not scored yet: not ranked
    *out += rank++ ? ",{\"rank\":" : "{\"rank\":";
    *out += std::to_string(rank) + ",\"user\":";
    AppendJsonString(*out, k_.strings.Get(e->user));
    *out += ",\"score\":";
    AppendScore(*out, comp, e->score);
    *out += "}";
  }
  *out += "]}";
  return true;
}

// Scores change only through AddScore, which stamps `reached` with the next
// step: the entries stamped after `since` are exactly those changed since. A
// close takes the window's entries away, so its final scores (`last`) are
// visited once after it, under the closed window's start.
ScoreStep Competitions::VisitScores(ScoreStep since, const std::function<void(const ScoreChange&)>& visit) const {
  const bool everything = since.scores == 0 && since.closes == 0;
  for (size_t c = 0; c < competitions_.size(); ++c) {
    const ir::Competition& comp = k_.p.competitions[c];
    const bool decimal = comp.score && comp.score->result == ValueKind::Decimal;
    auto value = [&](int64_t score) { return decimal ? double(score) / double(kDecimalScale) : double(score); };
    const State& cs = competitions_[c];
    int64_t closed_start, closed_end;
    if (!cs.last.empty() && (everything || cs.close_number > since.closes) &&
        WindowAt(comp, cs.closed_end - 1, &closed_start, &closed_end))
      for (const auto& [user, result] : cs.last)
        visit(ScoreChange{comp.name, closed_start, k_.strings.Get(user), value(result.score)});
    for (const Entry& e : cs.entries)
      if (e.reached > since.scores || (everything && e.reached > 0))
        visit(ScoreChange{comp.name, cs.window_start, k_.strings.Get(e.user), value(e.score)});
  }
  return ScoreStep{score_seq_, closes_};
}

// Ranks in each competition's current window, computed once per state dump.
void Competitions::PrepareState() {
  G().ranks_.assign(G().competitions_.size(), {});
  for (size_t c = 0; c < G().competitions_.size(); ++c) {
    const std::vector<const Entry*> ranked = Ranked(c);
    for (size_t r = 0; r < ranked.size(); ++r)
      G().ranks_[c][ranked[r]->user] = {ranked[r]->score, ranked[r]->reached > 0 ? r + 1 : 0};
  }
}

void Competitions::WriteState(const UserState& u, std::string& out) const {
  out += ",\"competitions\":{";
  bool first = true;
  for (size_t c = 0; c < G().competitions_.size(); ++c) {
    // The current window (score and rank so far), and the last finished one.
    const ir::Competition& comp = k_.p.competitions[c];
    auto now_it = G().ranks_[c].find(u.user);
    auto last_it = G().competitions_[c].last.find(u.user);
    const bool current = now_it != G().ranks_[c].end(), last = last_it != G().competitions_[c].last.end();
    if (!current && !last) continue;
    if (!first) out += ",";
    first = false;
    AppendJsonString(out, comp.name);
    out += ":{";
    if (current) {
      const Entry& e = G().competitions_[c].entries[G().competitions_[c].index.at(u.user)];
      if (comp.registration) out += std::string("\"registered\":") + (e.registered ? "true," : "false,");
      out += "\"score\":";
      if (now_it->second.second > 0) AppendScore(out, comp, now_it->second.first);
      else out += "null";
      out += ",\"rank\":";
      out += now_it->second.second > 0 ? std::to_string(now_it->second.second) : "null";
    }
    if (last) {
      out += current ? ",\"last\":{\"score\":" : "\"last\":{\"score\":";
      AppendScore(out, comp, last_it->second.score);
      out += ",\"rank\":";
      out += last_it->second.rank > 0 ? std::to_string(last_it->second.rank) : "null";
      out += "}";
    }
    out += "}";
  }
  out += "}";
}

void Competitions::Save(core::ByteWriter& w) const {
  w.Unsigned(score_seq_);
  for (const State& cs : competitions_) {
    w.Signed(cs.window_start);
    w.Signed(cs.window_end);
    w.Signed(cs.closed_end);
    w.Unsigned(uint64_t(cs.cancelled) | uint64_t(cs.start_judged) << 1);
    w.Unsigned(cs.entries.size());
    for (const Entry& e : cs.entries) {
      w.Unsigned(e.user);
      for (int64_t v : {e.score, e.sum, e.count, e.last_day}) w.Signed(v);
      w.Unsigned(e.reached);
      w.Signed(e.reached_at);
      w.Unsigned(e.registered);
    }
    // The last window's results, by user id: the same bytes whatever the hash order.
    std::vector<std::pair<uint32_t, FinalResult>> last(cs.last.begin(), cs.last.end());
    std::sort(last.begin(), last.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    w.Signed(cs.last_end);
    w.Signed(cs.awaiting_end);
    w.Unsigned(last.size());
    for (const auto& [user, result] : last) {
      w.Unsigned(user);
      w.Signed(result.score);
      w.Signed(result.rank);
    }
  }
}

void Competitions::Load(core::ByteReader& r) {
  score_seq_ = r.Unsigned();
  for (State& cs : competitions_) {
    cs = State{};
    cs.window_start = r.Signed();
    cs.window_end = r.Signed();
    cs.closed_end = r.Signed();
    const uint64_t flags = r.Unsigned();
    cs.cancelled = flags & 1, cs.start_judged = flags & 2;
    cs.entries.resize(r.Count());
    for (Entry& e : cs.entries) {
      e.user = uint32_t(r.Unsigned());
      e.score = r.Signed();
      e.sum = r.Signed();
      e.count = r.Signed();
      e.last_day = r.Signed();
      e.reached = r.Unsigned();
      e.reached_at = r.Signed();
      e.registered = r.Unsigned() != 0;
    }
    for (size_t i = 0; i < cs.entries.size(); ++i) cs.index.emplace(cs.entries[i].user, i);
    cs.last_end = r.Signed();
    cs.awaiting_end = r.Signed();
    for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
      const uint32_t user = uint32_t(r.Unsigned());
      FinalResult result;
      result.score = r.Signed();
      result.rank = r.Signed();
      cs.last[user] = result;
    }
  }
}

void Competitions::Migrate(const Competitions& old, const Migration& mg) {
  score_seq_ = old.score_seq_;
  for (size_t c = 0; c < old.competitions_.size(); ++c)
    if (const int32_t n = mg.competitions.New(int32_t(c)); n >= 0) competitions_[size_t(n)] = old.competitions_[c];
}

bool Competitions::MigrateTimer(Timer& t, const Migration& mg) const {
  t.a = mg.competitions.New(t.a);
  return t.a >= 0;
}

}  // namespace questline::engine::mechanics
