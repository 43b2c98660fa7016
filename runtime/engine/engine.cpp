// Event processing in the order of LANGUAGE.md §11: timers due before the
// event, then the request's answer → metrics → the segments they move →
// rules → mission tasks → competitions → levels, badges, segments and
// missions to a bounded fixpoint.
#include "runtime/engine/engine.h"

#include <algorithm>
#include <charconv>

#include "runtime/engine/aggregates.h"

namespace questline::engine {

Engine::Engine(const ir::Program& program, const core::Backend& backend, StringPool& strings,
               EngineOptions options)
    : p_(program), backend_(backend), strings_(strings), options_(options),
      calendar_(program.settings.timezone, program.settings.week_starts), random_(program.settings.seed),
      recent_ids_(options.dedupe_window_ms, random_.IdKey().first, random_.IdKey().second) {
  for (const ir::Item& i : p_.items) item_stock_.push_back(i.stock);
  for (const ir::Minigame& g : p_.games) {
    prize_stock_.emplace_back();
    for (const ir::GamePrize& prize : g.prizes) prize_stock_.back().push_back(prize.stock);
  }
  for (size_t r = 0; r < p_.raffle_table.size(); ++r)
    Schedule(p_.raffle_table[r].draw_at, TimerKind::RaffleDraw, 0, int32_t(r), 0);
  raffle_drawn_.assign(std::max(p_.raffle_table.size(), p_.raffles.size()), false);
  for (const ir::Item& item : p_.items) {
    // The raffles a purchase gives tickets for, in its block and the blocks
    // nested in it (an explicit stack: blocks nest as deep as the source).
    std::vector<int32_t> raffles;
    std::vector<const ir::Block*> stack{&item.on_purchase};
    while (!stack.empty()) {
      const ir::Block* block = stack.back();
      stack.pop_back();
      for (const ir::Stmt& st : *block) {
        if (st.kind == ir::StmtKind::GiveTickets &&
            std::find(raffles.begin(), raffles.end(), st.target) == raffles.end())
          raffles.push_back(st.target);
        stack.push_back(&st.body);
        stack.push_back(&st.else_body);
        for (const auto& branch : st.branches) stack.push_back(&branch.second);
      }
    }
    item_raffles_.push_back(std::move(raffles));
  }
  scheduled_flows_pending_ = true;
  competitions_.resize(p_.competitions.size());
  for (size_t i = 0; i < p_.missions.size(); ++i) {
    const ir::Mission& mi = p_.missions[i];
    mission_by_name_[strings_.Intern(mi.name)] = int32_t(i);
    // Generally available, and started with its period (or at the event that
    // first counts, when no time limit runs from the start).
    const bool general = mi.unlock == ir::Unlock::None && !mi.opt_in && !mi.given;
    const bool periodic = mi.recurring == ir::Recurrence::Daily || mi.recurring == ir::Recurrence::Weekly ||
                          mi.recurring == ir::Recurrence::Monthly;
    mission_implicit_.push_back(general && (periodic || !mi.time_limit_ms));
    if (!mission_implicit_.back()) explicit_missions_.push_back(int32_t(i));
  }
  for (const ir::Segment& s : p_.segments) segment_reads_time_.push_back(!s.imported && ReadsTime(s.condition, 0));
  for (size_t i = 0; i < p_.items.size(); ++i) item_by_name_[strings_.Intern(p_.items[i].name)] = int32_t(i);
  for (size_t i = 0; i < p_.games.size(); ++i) game_by_name_[strings_.Intern(p_.games[i].name)] = int32_t(i);
  for (size_t i = 0; i < p_.competitions.size(); ++i)
    competition_by_name_[strings_.Intern(p_.competitions[i].name)] = int32_t(i);
  static const char* kRequestFields[] = {"mission", "item", "game", "tournament"};
  for (const EventType& et : p_.schema.types) {
    int32_t field = -1;
    if (et.request)
      for (size_t f = 3; f < et.fields.size(); ++f)
        for (const char* name : kRequestFields)
          if (et.fields[f].name == name) field = int32_t(f);
    request_field_.push_back(field);
  }
  registration_ = p_.schema.Find("registration");
  for (size_t i = 0; i < p_.profile_names.size(); ++i)
    if (p_.profile_names[i] == "registered_at" && p_.profile_kinds[i] == ValueKind::Time) registered_at_ = int32_t(i);
  for (const std::string& s : p_.strings) literal_ids_.push_back(strings_.Intern(s));
  // Interned on first read, as before this memo: ids order `top`'s ties.
  level_ids_.assign(p_.levels.size(), UINT32_MAX);
  for (const ir::Rule& r : p_.rules) rule_sources_.push_back("rule:" + r.name);
  for (const ir::Mission& m : p_.missions) mission_sources_.push_back("mission:" + m.name);
  for (const ir::Level& l : p_.levels) level_sources_.push_back("level:" + l.name);
  for (const ir::Badge& b : p_.badges) badge_sources_.push_back("badge:" + b.name);
  for (const ir::Flow& f : p_.flows) flow_sources_.push_back("flow:" + f.name);
  for (const ir::Metric& m : p_.metrics) {
    metric_is_total_.push_back(IsSimpleAggregate(m.aggregate));
    metric_slot_.push_back(int32_t(metric_is_total_.back() ? total_count_++ : window_count_++));
  }
  PlanSegmentsAfterMetrics();
}

// Segments are settled at the end of every step of the player's, and at each
// instant time alone can change them (segment_time.cpp). So when an event's
// metrics are done, only a segment reading one of those metrics (or reading
// a segment that does) can have moved: MetricsDone re-evaluates those, and
// nothing on an event whose metrics no segment reads. Requests and profile
// updates change what segments read before the metrics (balances, profile
// fields): after them, every segment is re-evaluated, as for a player never
// settled or changed by an import (UserState::segments_stale).
void Engine::PlanSegmentsAfterMetrics() {
  const size_t n = p_.segments.size();
  // What each condition reads, inside the fns it calls too.
  std::vector<std::vector<int32_t>> metrics(n), segments(n);
  for (size_t s = 0; s < n; ++s) {
    std::vector<bool> fn_seen(p_.fns.size(), false);
    std::vector<ir::ExprRef> stack;
    if (p_.segments[s].condition >= 0) stack.push_back(p_.segments[s].condition);
    while (!stack.empty()) {
      const ir::Node& node = p_.At(stack.back());
      stack.pop_back();
      if (node.kind == ir::NodeKind::Metric) metrics[s].push_back(node.a);
      if (node.kind == ir::NodeKind::Segment) segments[s].push_back(node.a);
      if (node.kind == ir::NodeKind::Call && !fn_seen[size_t(node.a)]) {
        fn_seen[size_t(node.a)] = true;
        stack.push_back(p_.fns[size_t(node.a)].body);
      }
      for (uint32_t i = 0; i < node.count; ++i) stack.push_back(p_.Child(node, i));
    }
  }
  // Dependencies first (a depth-first walk, its stack explicit; the checker
  // refuses cycles, and a segment is placed once whatever happens).
  std::vector<uint8_t> placed(n, 0);   // 0 not yet, 1 on the walk, 2 placed
  for (size_t root = 0; root < n; ++root) {
    std::vector<std::pair<int32_t, size_t>> walk{{int32_t(root), 0}};
    while (!walk.empty()) {
      auto& [s, next] = walk.back();
      if (placed[size_t(s)] == 2) {
        walk.pop_back();
        continue;
      }
      placed[size_t(s)] = 1;
      if (next < segments[size_t(s)].size()) {
        const int32_t read = segments[size_t(s)][next++];
        if (placed[size_t(read)] == 0) walk.push_back({read, 0});
        continue;
      }
      placed[size_t(s)] = 2;
      segments_in_order_.push_back(s);
      walk.pop_back();
    }
  }
  const int32_t before_metrics[] = {p_.mission_opt_in, p_.tournament_register, p_.store_purchase,
                                    p_.minigame_play,  p_.profile_update,      registration_};
  for (size_t t = 0; t < p_.plans.size(); ++t) {
    const std::vector<int32_t>& counted = p_.plans[t].metrics;
    const bool all = std::find(std::begin(before_metrics), std::end(before_metrics), int32_t(t)) !=
                     std::end(before_metrics);
    std::vector<bool> moved(n, false);
    std::vector<int32_t>& list = segments_after_metrics_.emplace_back();
    for (int32_t s : segments_in_order_) {
      bool m = all;
      for (int32_t metric : metrics[size_t(s)])
        m = m || std::find(counted.begin(), counted.end(), metric) != counted.end();
      for (int32_t read : segments[size_t(s)]) m = m || moved[size_t(read)];
      moved[size_t(s)] = m;
      if (m && !p_.segments[size_t(s)].imported && p_.segments[size_t(s)].condition >= 0) list.push_back(s);
    }
  }
}

UserState& Engine::UserFor(uint32_t user) {
  if (user < user_slot_.size() && user_slot_[user] != 0) return users_[user_slot_[user] - 1];
  if (user >= user_slot_.size()) user_slot_.resize(std::max<size_t>(size_t(user) + 1, user_slot_.size() * 2));
  user_slot_[user] = uint32_t(users_.size() + 1);
  UserState& u = users_.emplace_back();
  u.user = user;
  for (size_t i = 0; i < p_.profile_defaults.size(); ++i) {
    Value v = p_.profile_defaults[i];
    if (v.kind == ValueKind::String && !v.none) v.i = literal_ids_[size_t(v.i)];
    u.profile.push_back(v);
  }
  u.balances.assign(p_.currencies.size(), 0);
  u.badges.assign(p_.badges.size(), false);
  u.segments.assign(p_.segments.size(), false);
  u.totals.resize(total_count_);
  u.metrics.resize(window_count_);
  UserState* saved = user_;
  user_ = &u;
  for (int32_t m : explicit_missions_) MissionFor(m);
  user_ = saved;
  u.flows.resize(p_.flows.size());
  for (size_t f = 0; f < p_.flows.size(); ++f) u.flows[f].locals.resize(size_t(p_.flows[f].local_count));
  u.item_counts.assign(p_.items.size(), {INT64_MIN, 0});
  u.game_counts.assign(p_.games.size(), {INT64_MIN, 0});
  size_t caps = 0;
  for (const ir::Policy& pol : p_.policies) caps += pol.message_caps.size();
  u.message_counts.assign(caps, {INT64_MIN, 0});
  return u;
}

void Engine::Schedule(int64_t deadline, TimerKind kind, uint32_t user, int32_t a, uint64_t b) {
  timers_.push({deadline, timer_seq_++, kind, user, a, b});
}

void Engine::AdvanceTo(int64_t t) {
  horizon_ = t;
  while (!timers_.empty() && timers_.top().deadline <= t) {
    Timer timer = timers_.top();
    timers_.pop();
    FireTimer(timer);
  }
  if (t > clock_) clock_ = t;
}

void Engine::FireTimer(const Timer& t) {
  ++stats_.timers;
  if (t.deadline > clock_) clock_ = t.deadline;
  now_ = clock_;
  event_ = nullptr;
  if (!event_id_is_timer_ || event_id_timer_ != t.deadline) {   // a midnight fires thousands of timers: name it once
    event_id_ = "timer:" + std::to_string(t.deadline);
    event_id_is_timer_ = true;
    event_id_timer_ = t.deadline;
  }
  ordinal_ = 0;
  segment_changes_.clear();
  if (t.kind == TimerKind::RaffleDraw) return DrawRaffle(t.a);   // not one user's timer
  if (t.kind == TimerKind::FlowSchedule) return FireSchedule(t.a);
  if (t.kind == TimerKind::CompetitionClose) return CloseCompetitions();
  if (t.kind == TimerKind::CompetitionStart) return StartCompetition(t.a);
  user_ = &UserFor(t.user);
  switch (t.kind) {
    case TimerKind::MissionDeadline: ExpireDueMissions(t.deadline); break;
    case TimerKind::MissionPeriod: break;   // the Settle below starts the period's instance
    case TimerKind::ReleaseMessage: ReleaseMessage(t.b); break;
    case TimerKind::FlowWake: {
      FlowState& fs = user_->flows[size_t(t.a)];
      if (!fs.running || fs.token != t.b) break;   // a stale timer
      const ir::FlowOp& op = p_.flows[size_t(t.a)].ops[size_t(fs.pc)];
      // A wait ends, or a `wait for` times out (its event never came).
      fs.pc = op.kind == ir::FlowOpKind::WaitFor ? op.target : fs.pc + 1;
      fs.waiting_event = -1;
      ContinueFlow(t.a);
      break;
    }
    case TimerKind::SegmentRecheck:
      if (user_->segment_recheck != t.deadline) return;   // replaced by an earlier one, which has run
      user_->segment_recheck = INT64_MAX;
      segment_recheck_due_ = true;   // the player went quiet: search ahead for the next change
      break;   // the Settle below re-evaluates the segments
    case TimerKind::RaffleDraw:
    case TimerKind::FlowSchedule:
    case TimerKind::CompetitionClose:
    case TimerKind::CompetitionStart: break;
  }
  SettleStep(nullptr);
}

void Engine::Process(const Event& e) {
  if (recent_ids_.SeenOrAdd(e.id, std::max(clock_, e.Ts()))) {   // the time it is processed at
    ++stats_.duplicates;
    return;
  }
  if (scheduled_flows_pending_) {
    // Scheduled flows start counting from the first event's time.
    scheduled_flows_pending_ = false;
    for (size_t f = 0; f < p_.flows.size(); ++f)
      if (p_.flows[f].trigger == ir::TriggerKind::Schedule) ScheduleFlow(int32_t(f), e.Ts());
  }
  ++stats_.events;
  AdvanceTo(e.Ts());
  if (e.Ts() < clock_) ++stats_.late;   // a late event is processed at the clock
  now_ = clock_;
  ++event_seq_;
  user_ = &UserFor(e.User());
  event_ = &e;
  event_id_ = e.id;
  event_id_is_timer_ = false;
  ordinal_ = 0;
  segment_changes_.clear();
  // A request is answered first; a rejected one changes nothing else: it
  // counts in no metric, fires no rule, mission task or flow.
  if (e.type == p_.mission_opt_in) {
    RefreshMissions();   // phases as of now (an active window may just have opened)
    if (!HandleOptIn(e)) return;
  }
  if (e.type == p_.tournament_register && !HandleRegister(e)) return;
  if (e.type == p_.store_purchase && !HandlePurchase(e)) return;
  if (e.type == p_.minigame_play && !HandlePlay(e)) return;
  if (e.type == p_.profile_update || e.type == registration_) ApplyProfileUpdate(e);

  backend_.HandleEvent(e, *this);   // metrics, segments, rules (AddToMetric, MetricsDone, EnterRule, LeaveRule)
  UnlockByEvent(e);
  RefreshMissions();
  CountMissionEvent(e);
  ScoreEvent(e);
  Settle();
  const uint64_t settled = blocks_run_;
  ResumeWaitingFlows(e);
  RunFlows(&e, settled);
  ScheduleSegmentRecheck(false);
}

void Engine::AddToMetric(int32_t metric, Value argument) {
  const ir::Aggregate& a = p_.metrics[size_t(metric)].aggregate;
  const size_t slot = size_t(metric_slot_[size_t(metric)]);
  if (metric_is_total_[size_t(metric)]) AddToTotal(a, user_->totals[slot], argument);
  else AddToAggregate(a, user_->metrics[slot], argument, now_, calendar_);
}

Value Engine::ReadMetric(const UserState& u, int32_t metric, int64_t now) const {
  const ir::Aggregate& a = p_.metrics[size_t(metric)].aggregate;
  const size_t slot = size_t(metric_slot_[size_t(metric)]);
  if (metric_is_total_[size_t(metric)]) return ReadTotal(a, u.totals[slot]);
  return ReadAggregate(a, u.metrics[slot], now, calendar_);
}

int64_t Engine::MetricValidUntil(int32_t metric, int64_t now) const {
  if (metric_is_total_[size_t(metric)]) return INT64_MAX;   // lifetime: only an event changes it
  return AggregateValidUntil(p_.metrics[size_t(metric)].aggregate,
                             user_->metrics[size_t(metric_slot_[size_t(metric)])], now, calendar_);
}

// Between the metrics and the rules (LANGUAGE.md §11): the segments this
// event's metrics moved, re-evaluated so that a rule `where depositor` and a
// rule `where count(deposit) >= 1` agree on a first deposit, and missions and
// competitions see them too. A change is recorded like the settle's, so its
// `on enter` / `on exit` flows still run after the settle.
void Engine::MetricsDone() {
  const std::vector<int32_t>& segments =
      user_->segments_stale ? segments_in_order_ : segments_after_metrics_[size_t(event_->type)];
  if (segments.empty()) return;
  core::Frame frame{event_, nullptr, nullptr};
  for (int32_t s : segments) UpdateSegment(size_t(s), frame);
}

// A rule whose condition held: its limit counts this firing (or refuses it),
// and its body's awards are cut by its cap (Effect) until LeaveRule.
bool Engine::EnterRule(int32_t r) {
  const ir::Rule& rule = p_.rules[size_t(r)];
  // Counters only for a rule with something to count, made at its first firing.
  RuleCounters* c = nullptr;
  if (rule.cap || rule.limit) {
    auto& list = user_->rules;
    auto at = std::lower_bound(list.begin(), list.end(), r,
                               [](const std::pair<int32_t, RuleCounters>& x, int32_t k) { return x.first < k; });
    if (at == list.end() || at->first != r) at = list.insert(at, {r, RuleCounters{}});
    c = &at->second;   // stays put until LeaveRule: rules do not nest
  }
  if (rule.limit) {
    int64_t key = calendar_.PeriodKey(static_cast<CalendarPeriod>(rule.limit->period), now_);
    if (key != c->limit_key) {
      c->limit_key = key;
      c->fired = 0;
    }
    if (c->fired >= rule.limit->amount) return false;
    ++c->fired;
  }
  rule_ = &rule;
  counters_ = c;
  source_ = &rule_sources_[size_t(r)];
  return true;
}

void Engine::LeaveRule() {
  rule_ = nullptr;
  counters_ = nullptr;
}

// Most audiences are one segment: read it rather than ask the backend.
bool Engine::Holds(ir::ExprRef condition, core::Frame& frame) {
  if (condition >= 0) {
    const ir::Node& n = p_.At(condition);
    if (n.kind == ir::NodeKind::Segment) return user_->segments[size_t(n.a)];
  }
  return backend_.Test(condition, frame, *this);
}

void Engine::RunBlock(const ir::Block& block, const std::string& source) {
  if (block.empty()) return;
  const std::string* saved = source_;
  source_ = &source;
  core::Frame frame{event_, nullptr, nullptr};
  ++blocks_run_;
  backend_.Run(block, frame, *this);
  source_ = saved;
}

// Levels, badges, segments and mission phases can each change the others
// (a level's reward, a badge on a level …): settle them to a fixpoint.
//
// Conditions read the player (profile, balances, points, level, segments),
// the metrics, `now` and the event; within a settle only the player can
// change, and only by a level, a segment or a block. A round whose levels,
// badges and segments stayed put ran none of those, so every condition in it
// saw the same player; if its missions ran no block either (phases are not
// readable), the next round's conditions would answer the same again, and
// only the missions, whose phases did move, are refreshed.
void Engine::Settle() {
  bool conditions_agree = false;
  for (int round = 0; round < options_.fixpoint_limit; ++round) {
    bool changed = false;
    if (!conditions_agree) {
      changed = SettleLevels();
      changed |= SettleBadges();
      changed |= SettleSegments();
    }
    const bool conditions_moved = changed;
    const uint64_t blocks_before = blocks_run_;
    changed |= RefreshMissions();
    if (!changed) return;
    conditions_agree = options_.skip_settled_conditions && !conditions_moved && blocks_run_ == blocks_before;
  }
  ++stats_.runtime_errors;
}

bool Engine::SettleLevels() {
  bool changed = false;
  while (size_t(user_->level + 1) < p_.levels.size() &&
         user_->points_ever >= p_.levels[size_t(user_->level + 1)].at) {
    const size_t l = size_t(++user_->level);
    // The level `at 0` is where everyone starts: reaching it is no news.
    if (p_.levels[l].at > 0 || l > 0)
      Emit(level_sources_[l], "level_up", {{"level", ActionValue::String(p_.levels[l].name)}});
    RunBlock(p_.levels[l].on_reach, level_sources_[l]);
    changed = true;
  }
  return changed;
}

bool Engine::SettleBadges() {
  bool changed = false;
  core::Frame frame{event_, nullptr, nullptr};
  for (size_t b = 0; b < p_.badges.size(); ++b) {
    if (user_->badges[b] || !backend_.Test(p_.badges[b].when, frame, *this)) continue;
    user_->badges[b] = true;
    Emit(badge_sources_[b], "badge", {{"badge", ActionValue::String(p_.badges[b].name)}});
    RunBlock(p_.badges[b].on_earn, badge_sources_[b]);
    changed = true;
  }
  return changed;
}

bool Engine::SettleSegments() {
  bool changed = false;
  core::Frame frame{event_, nullptr, nullptr};
  for (size_t s = 0; s < p_.segments.size(); ++s) changed |= UpdateSegment(s, frame);
  user_->segments_stale = false;   // the settle's fixpoint finishes what this pass starts
  return changed;
}

bool Engine::UpdateSegment(size_t s, core::Frame& frame) {
  const ir::Segment& seg = p_.segments[s];
  if (seg.imported || seg.condition < 0) return false;
  if (seg.locked_at && now_ >= *seg.locked_at) return false;   // frozen at its instant
  const bool member = backend_.Test(seg.condition, frame, *this);
  if (member == user_->segments[s]) return false;
  user_->segments[s] = member;
  segment_changes_.push_back({int32_t(s), member});   // for the step's flows, whoever found it
  return true;
}

Action Engine::MakeAction(const std::string& source, const char* action,
                          std::vector<std::pair<std::string, ActionValue>> fields) {
  Action a;
  a.ts = now_;
  a.user = strings_.Get(user_->user);
  a.event = event_id_;
  a.source = source;
  a.action = action;
  // Stable idempotency key: (source, user, event, ordinal within the step).
  a.key = random_.ActionKey(source, a.user, a.event, ordinal_++);
  a.fields = std::move(fields);
  return a;
}

void Engine::Deliver(Action&& a) {
  a.seq = ++seq_;
  ++stats_.actions[a.action];
  if (sink_) sink_->Write(std::move(a));
  else actions_.push_back(std::move(a));
}

void Engine::Emit(const std::string& source, const char* action,
                  std::vector<std::pair<std::string, ActionValue>> fields) {
  Deliver(MakeAction(source, action, std::move(fields)));
}

std::vector<Action> Engine::DrainActions() {
  std::vector<Action> out;
  out.swap(actions_);
  actions_.reserve(out.size());   // the next step likely emits as many: no growing, no moving
  return out;
}

Value Engine::Metric(int32_t id) { return ReadMetric(*user_, id, now_); }

bool Engine::Segment(int32_t id) { return user_->segments[size_t(id)]; }
Value Engine::Profile(int32_t field) { return user_->profile[size_t(field)]; }
int64_t Engine::Balance(int32_t currency) { return user_->balances[size_t(currency)]; }
int64_t Engine::PointsEver() { return user_->points_ever; }

Value Engine::Level() {
  if (user_->level < 0) return Value::None(ValueKind::String);
  uint32_t& id = level_ids_[size_t(user_->level)];
  if (id == UINT32_MAX) id = strings_.Intern(p_.levels[size_t(user_->level)].name);
  return Value::String(id);
}

}  // namespace questline::engine
