// The kernel's loop, in the order of LANGUAGE.md §11: timers due before the
// event, then the request's answer → metrics → the segments they move →
// rules (the backend's handler) → what mechanics do with the event → levels,
// badges, segments and missions to a bounded fixpoint → flows.
#include "runtime/engine/kernel.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/world.h"

namespace questline::engine {

Kernel::Kernel(const ir::Program& program, const core::Backend& backend_in, StringPool& strings_in,
               EngineOptions options_in)
    : p(program), backend(backend_in), strings(strings_in), options(options_in),
      calendar(program.settings.timezone, program.settings.week_starts), random(program.settings.seed),
      recent_ids(options_in.dedupe_window_ms, random.IdKey().first, random.IdKey().second),
      timers(TimerLater{&strings_in}), m(*this) {
  // After the mechanics' names: interning order orders `top`'s ties.
  for (const std::string& s : p.strings) literal_ids.push_back(strings.Intern(s));
  fresh_pool_size = strings.Size();
}

void Kernel::InternNames() {
  literal_ids.clear();
  for (const std::string& s : p.strings) literal_ids.push_back(strings.Intern(s));
#define QUESTLINE_MECHANIC(field, Type) m.field.InternNames();
#include "runtime/engine/mechanics.def"
}

UserState& Kernel::UserFor(uint32_t id) {
  if (id < user_slot.size() && user_slot[id] != 0) return users[user_slot[id] - 1];
  if (id >= user_slot.size()) user_slot.resize(std::max<size_t>(size_t(id) + 1, user_slot.size() * 2));
  user_slot[id] = uint32_t(users.size() + 1);
  UserState& u = users.emplace_back();
  u.user = id;
  u.block = layout.NewBlock();
  UserState* saved = user;   // a mechanic may lay out its part through the step's player
  user = &u;
#define QUESTLINE_MECHANIC(field, Type) m.field.NewPlayer(u);
#include "runtime/engine/mechanics.def"
  user = saved;
  return u;
}

void Kernel::Schedule(int64_t deadline, MechanicId owner, uint8_t kind, int32_t a, uint64_t b) {
  timers.push({deadline, timer_seq++, owner, kind, false, user->user, a, b});
}

void Kernel::ScheduleGlobal(int64_t deadline, MechanicId owner, uint8_t kind, int32_t a, uint64_t b) {
  if (world) world->ScheduleGlobal(*this, deadline, owner, kind, a, b);
  else timers.push({deadline, timer_seq++, owner, kind, true, 0, a, b});
}

Kernel& Kernel::Owner() { return world ? world->Owner() : *this; }

void Kernel::Turn() {
  if (world && !turn_held) world->WaitTurn(*this);
}

Kernel& Kernel::Global() {
  Turn();
  return Owner();
}

std::vector<Kernel*> Kernel::Partitions() { return world ? world->Partitions() : std::vector<Kernel*>{this}; }

Kernel& Kernel::Hand(uint32_t id) {
  Kernel& k = world ? world->PartitionOf(id) : *this;
  if (&k != this) {
    k.clock = clock;
    k.horizon = horizon;
    k.now = now;
    k.event = event;
    k.event_id = event_id;
    k.event_id_is_timer = event_id_is_timer;
    k.event_id_timer = event_id_timer;
    k.ordinal = ordinal;
    k.key = key;
    k.emits = emits;
    k.turn_held = turn_held;
  }
  k.user = &k.UserFor(id);
  return k;
}

void Kernel::Return(Kernel& k) {
  if (&k != this) {
    ordinal = k.ordinal;
    emits = k.emits;
    k.user = nullptr;
  }
}

void Kernel::AdvanceTo(int64_t t) {
  horizon = t;
  while (!timers.empty() && timers.top().deadline <= t) {
    Timer timer = timers.top();
    timers.pop();
    FireTimer(timer);
  }
  if (t > clock) clock = t;
}

void Kernel::BeginStep() {
  ordinal = 0;
#define QUESTLINE_MECHANIC(field, Type) m.field.BeginStep();
#include "runtime/engine/mechanics.def"
}

void Kernel::BeginPlayerStep(UserState& u) {
  user = &u;
  BeginStep();
  TraceStep();
}

void Kernel::TraceStep() {
  if (options.tracer) options.tracer->Step(strings.Get(user->user), event_id, event, now);
}

void Kernel::FireTimer(const Timer& t) {
  ++stats.timers;
  if (t.deadline > clock) clock = t.deadline;
  now = clock;
  event = nullptr;
  if (!event_id_is_timer || event_id_timer != t.deadline) {   // a midnight fires thousands of timers: name it once
    event_id = "timer:" + std::to_string(t.deadline);
    event_id_is_timer = true;
    event_id_timer = t.deadline;
  }
  BeginStep();
  // A global timer (a draw, a close) makes its own steps, one per player it moves.
  if (!t.global) {
    user = &UserFor(t.user);
    TraceStep();
  }
  bool settle = false;
  switch (t.owner) {
#define QUESTLINE_MECHANIC(field, Type) \
  case MechanicId::field: settle = m.field.OnTimer(t); break;
#include "runtime/engine/mechanics.def"
  }
  if (!t.global && settle) SettleStep(nullptr);
}

// A window's outcome, ranked elsewhere: a step of its own for the player,
// named by competition, window and player, so a result delivered twice (an
// owner that died after producing it) is dropped like a duplicate event.
bool Kernel::ApplyResult(const CompetitionResult& r, std::string* error) {
  const int32_t c = m.competitions.Index(r.competition);
  if (c < 0) {
    *error = "no competition " + r.competition;
    return false;
  }
  if (r.done) {   // not a player's step
    m.competitions.ResultsDone(c, r.window_end);
    return true;
  }
  if (r.user.empty() || r.rank < CompetitionResult::kCancelled) {
    *error = "a result without a player, or with a rank under -1";
    return false;
  }
  return OwnersStep("result:" + r.competition + ":" + std::to_string(r.window_end) + ":" + r.user, r.user,
                    r.window_end, [&] { m.competitions.ApplyResult(c, r); });
}

// A raffle's win, drawn elsewhere: a step named by raffle, draw and ticket.
bool Kernel::ApplyRaffleResult(const RaffleResult& r, std::string* error) {
  const int32_t raffle = m.raffles.Index(r.raffle);
  if (raffle < 0) {
    *error = "no raffle " + r.raffle;
    return false;
  }
  if (r.done) {
    m.raffles.ResultsDone(raffle, r.draw_at);
    return true;
  }
  const int32_t prize = m.raffles.PrizeIndex(raffle, r.prize);
  if (r.user.empty() || prize < 0 || r.draw < 0) {
    *error = "a raffle result without a player, a prize of " + r.raffle + " or a draw number";
    return false;
  }
  if (!m.raffles.Drawn(raffle) || r.draw_at != p.raffle_table[size_t(raffle)].draw_at) {
    *error = "a win of " + r.raffle + " at another instant than its draw, or before it";
    return false;
  }
  return OwnersStep("raffle:" + r.raffle + ":" + std::to_string(r.draw_at) + ":" + std::to_string(r.draw), r.user,
                    r.draw_at, [&] { m.raffles.ApplyWin(raffle, prize); });
}

// An owner's answer as a step of `user`'s at `at` (or the clock, if later),
// dropped as a duplicate if `id` was seen.
bool Kernel::OwnersStep(std::string id, const std::string& player, int64_t at, const std::function<void()>& apply) {
  if (recent_ids.SeenOrAdd(id, std::max(clock, at))) {
    ++stats.duplicates;
    return true;
  }
  if (!started) {
    started = true;
#define QUESTLINE_MECHANIC(field, Type) m.field.Start(at);
#include "runtime/engine/mechanics.def"
  }
  AdvanceTo(at);
  now = clock;
  ++event_seq;
  event = nullptr;
  event_id = std::move(id);
  event_id_is_timer = false;
  BeginStep();
  user = &UserFor(strings.Intern(player));
  TraceStep();
  apply();
  SettleStep(nullptr);
  user = nullptr;
  return true;
}

bool Kernel::Process(const Event& e) {
  if (!Admit(e)) return false;
  Step(e);
  if (awaited_stock) {
    // Undone, to come again with the owner's answer: the id is not yet
    // seen, the step not counted. What it did before it asked is what it
    // will do again at the same instant (the clock, timers due, a new
    // player's empty state) and changes nothing the second time.
    recent_ids.ForgetNewest();
    --stats.events;
    if (e.Ts() < clock) --stats.late;
    --event_seq;
  }
  return true;
}

bool Kernel::ProcessWithStock(const Event& e, const StockAnswer& answer) {
  awaited_stock.reset();
  stock_answer = &answer;
  const bool fresh = Process(e);
  stock_answer = nullptr;
  return fresh;
}

const StockAnswer* Kernel::AskStockOwner(StockClaim::Kind kind, const std::string& stock, int64_t window) {
  if (stock_answer != nullptr && stock_answer->stock == stock) return stock_answer;
  StockClaim claim;
  claim.kind = kind;
  claim.stock = stock;
  claim.window = window;
  claim.user = strings.Get(user->user);
  claim.event = event_id;
  claim.at = now;
  stock_claims.push_back(claim);
  awaited_stock = std::move(claim);
  return nullptr;
}

bool Kernel::Admit(const Event& e) {
  if (recent_ids.SeenOrAdd(e.id, std::max(clock, e.Ts()))) {   // the time it is processed at
    ++stats.duplicates;
    return false;
  }
  if (!started) {
    started = true;
#define QUESTLINE_MECHANIC(field, Type) m.field.Start(e.Ts());
#include "runtime/engine/mechanics.def"
  }
  return true;
}

void Kernel::Step(const Event& e) {
  ++stats.events;
  AdvanceTo(e.Ts());
  if (e.Ts() < clock) ++stats.late;   // a late event is processed at the clock
  now = clock;
  ++event_seq;
  user = &UserFor(e.User());
  event = &e;
  event_id = e.id;
  event_id_is_timer = false;
  BeginStep();
  TraceStep();
  // A request is answered first; a rejected one changes nothing else: it
  // counts in no metric, fires no rule, mission task or flow.
#define QUESTLINE_MECHANIC(field, Type) \
  if (!m.field.OnRequest(e)) return;
#include "runtime/engine/mechanics.def"
  backend.HandleEvent(e, *this);   // metrics, segments, rules (AddToMetric, MetricsDone, EnterRule, LeaveRule)
#define QUESTLINE_MECHANIC(field, Type) m.field.OnEvent(e);
#include "runtime/engine/mechanics.def"
  SettleStep(&e);
}

void Kernel::SettleStep(const Event* e) {
  Settle();
  const uint64_t settled = blocks_run;
#define QUESTLINE_MECHANIC(field, Type) m.field.AfterSettle(e, settled);
#include "runtime/engine/mechanics.def"
#define QUESTLINE_MECHANIC(field, Type) m.field.EndStep();
#include "runtime/engine/mechanics.def"
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
void Kernel::Settle() {
  bool conditions_agree = false;
  for (int r = 0; r < options.fixpoint_limit; ++r) {
    SettleRound round;
    round.conditions_agree = conditions_agree;
    const uint64_t blocks_before = blocks_run;
#define QUESTLINE_MECHANIC(field, Type) m.field.Settle(round);
#include "runtime/engine/mechanics.def"
    if (!round.changed) return;
    conditions_agree = options.skip_settled_conditions && !round.conditions_moved && blocks_run == blocks_before;
  }
  ++stats.runtime_errors;
}

// Most audiences are one segment: read it rather than ask the backend.
bool Kernel::Holds(ir::ExprRef condition, core::Frame& frame) {
  if (condition >= 0) {
    const ir::Node& n = p.At(condition);
    if (n.kind == ir::NodeKind::Segment) return m.segments.Member(n.a);
  }
  return backend.Test(condition, frame, *this);
}

void Kernel::RunBlock(const ir::Block& block, const std::string& block_source) {
  if (block.empty()) return;
  const std::string* saved = source;
  source = &block_source;
  core::Frame frame{event, nullptr, nullptr};
  ++blocks_run;
  backend.Run(block, frame, *this);
  source = saved;
}

Action Kernel::MakeAction(const std::string& action_source, const char* action,
                          std::vector<std::pair<std::string, ActionValue>> fields) {
  Action a;
  a.ts = now;
  a.user = strings.Get(user->user);
  a.event = event_id;
  a.source = action_source;
  a.action = action;
  // Stable idempotency key: (source, user, event, ordinal within the step).
  a.key = random.ActionKey(action_source, a.user, a.event, ordinal++);
  a.fields = std::move(fields);
  return a;
}

void Kernel::Deliver(Action&& a) {
  ++emitted;
  ++stats.actions[a.action];
  if (to_outbox) {   // on threads: numbered when merged (world.h)
    outbox.push_back({key, emits++, std::move(a)});
    return;
  }
  Kernel& o = Owner();   // one sequence and one stream for the world
  a.seq = ++o.seq;
  if (options.tracer) options.tracer->Emitted(a);
  if (o.sink) o.sink->Write(std::move(a));
  else o.actions.push_back(std::move(a));
}

void Kernel::Emit(const std::string& action_source, const char* action,
                  std::vector<std::pair<std::string, ActionValue>> fields) {
  Deliver(MakeAction(action_source, action, std::move(fields)));
}

// core::Runtime, handed to the mechanic that owns each call.
Value Kernel::Metric(int32_t id) { return m.metrics.Read(*user, id, now); }
bool Kernel::Segment(int32_t id) { return m.segments.Member(id); }
Value Kernel::Profile(int32_t field) { return m.profile.Field(field); }
int64_t Kernel::Balance(int32_t currency) { return m.wallet.Balance(*user, currency); }
int64_t Kernel::PointsEver() { return m.wallet.PointsEver(*user); }
Value Kernel::Level() { return m.levels.Current(); }
void Kernel::AddToMetric(int32_t metric, Value argument) {
  ScopedSpan span(options.tracer, TraceSpan::Metric, metric);
  m.metrics.Add(metric, argument);
}
void Kernel::MetricsDone() {
  m.segments.MetricsDone();
  if (options.tracer && event) options.tracer->RulesBegin(*event);
}
bool Kernel::EnterRule(int32_t rule) { return m.rules.Enter(rule); }
void Kernel::LeaveRule() { m.rules.Leave(); }

// A statement goes to the mechanic it belongs to (an award to the wallet, a
// `send` to the policies that may hold it …).
void Kernel::Effect(const ir::Stmt& stmt, Value value, const std::vector<Value>& data) {
#define QUESTLINE_MECHANIC(field, Type) \
  if (m.field.Effect(stmt, value, data)) return;
#include "runtime/engine/mechanics.def"
}

// Every user's state as JSON (INTERFACES.md §5), users sorted by id, so the
// same run always writes the same bytes; each mechanic writes its part.
void Kernel::WritePlayer(const UserState& u, std::string& out) {
  out += "{\"user\":";
  AppendJsonString(out, strings.Get(u.user));
#define QUESTLINE_MECHANIC(field, Type) m.field.WriteState(u, out);
#include "runtime/engine/mechanics.def"
  out += "}";
}

void Kernel::PrepareState() {
#define QUESTLINE_MECHANIC(field, Type) m.field.PrepareState();
#include "runtime/engine/mechanics.def"
}

std::string Kernel::StateJson() {
  PrepareState();
  std::vector<const UserState*> sorted;
  for (const UserState& u : users) sorted.push_back(&u);
  std::sort(sorted.begin(), sorted.end(), [&](const UserState* a, const UserState* b) {
    return strings.Get(a->user) < strings.Get(b->user);
  });
  std::string out = "{\n  \"users\": [";
  for (size_t n = 0; n < sorted.size(); ++n) {
    const UserState& u = *sorted[n];
    out += n ? ",\n    " : "\n    ";
    WritePlayer(u, out);
  }
  out += sorted.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace questline::engine
