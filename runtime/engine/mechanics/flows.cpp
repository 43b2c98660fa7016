// Flows (LANGUAGE.md §9): triggers, audience, holdout, re-entry, and the step
// machine over ir::Flow::ops. A waiting instance is an op index, a deadline
// and a timer token: plain data.
#include "runtime/engine/mechanics/flows.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"

namespace questline::engine::mechanics {

uint64_t Flows::StickyBucket(const std::string& salt) const {
  // Sticky per user: the same user lands in the same bucket on every replay.
  // Drawn in millionths of a percent, as before decimals had 8 digits, so
  // that every player keeps the holdout and split branch it had.
  return k_.random.Below(100 * 1'000'000ull, k_.strings.Get(k_.user->user), salt, 0) * uint64_t(kDecimalScale / 1'000'000);
}

void Flows::ScheduleFlow(int32_t f, int64_t after) {
  const ir::Flow& flow = k_.p.flows[size_t(f)];
  const int64_t day = k_.calendar.LocalDay(after);
  for (int64_t k = 0; k <= 8; ++k) {
    int64_t at = k_.calendar.LocalToInstant(day + k, flow.minute);
    if (at < after || (flow.weekday >= 0 && k_.calendar.Weekday(at) != flow.weekday)) continue;
    k_.ScheduleGlobal(at, MechanicId::flows, kSchedule, f, 0);
    return;
  }
}

// Players in id order, as raffles draw: the order does not depend on who
// the engine met first (docs/engine.md, "Order across players").
void Flows::FireSchedule(int32_t f) {
  std::vector<uint32_t> players;   // every player, in whichever partition (world.h)
  for (Kernel* partition : k_.Partitions())
    for (const UserState& u : partition->users) players.push_back(u.user);
  std::sort(players.begin(), players.end(),
            [&](uint32_t a, uint32_t b) { return k_.strings.Get(a) < k_.strings.Get(b); });
  for (uint32_t id : players) {
    Kernel& player = k_.Hand(id);
    player.BeginPlayerStep(*player.user);
    const uint64_t before = player.emitted;
    player.m.flows.Enter(f);
    // Nothing happened to a player the flow passed over: nothing to settle.
    if (player.emitted != before) player.SettleStep(nullptr);
    k_.Return(player);
  }
  k_.user = nullptr;
  ScheduleFlow(f, k_.now + 1);
}

void Flows::Enter(int32_t f) {
  const ir::Flow& flow = k_.p.flows[size_t(f)];
  if (const FlowState* last = Find(f)) {
    if (last->running) return;   // at most once at a time
    if (flow.reenter_after_ms && last->last_entry != INT64_MIN &&
        k_.now < SaturatingAdd(last->last_entry, *flow.reenter_after_ms))
      return;
  }
  core::Frame frame{k_.event, nullptr, nullptr};
  if (!k_.Holds(flow.audience, frame)) return;
  FlowState& fs = InstanceFor(f);   // boxed: stays put while blocks run
  fs.last_entry = k_.now;
  if (flow.holdout > 0 && int64_t(StickyBucket("holdout:" + flow.name)) < flow.holdout) {
    k_.Emit(sources_[size_t(f)], "flow", {{"flow", ActionValue::String(flow.name)}, {"control", ActionValue::Bool(true)}});
    return;
  }
  fs.running = true;
  fs.pc = 0;
  fs.waiting_event = -1;
  ++fs.token;
  std::fill(fs.locals.begin(), fs.locals.end(), Value{});
  // The steps read the trigger's fields as they were now, also after waits.
  fs.trigger = flow.trigger == ir::TriggerKind::Event && k_.event != nullptr ? *k_.event : Event{};
  fs.received.clear();
  k_.Emit(sources_[size_t(f)], "flow", {{"flow", ActionValue::String(flow.name)}, {"state", ActionValue::String("entered")}});
  Continue(f);
}

// The event whose fields op `op` reads (FlowOp::scope), or null.
static const Event* ScopeEvent(const FlowState& fs, const ir::FlowOp& op) {
  if (op.scope < 0) return fs.trigger.type >= 0 ? &fs.trigger : nullptr;
  for (const auto& [at, e] : fs.received)
    if (at == op.scope) return &e;
  return nullptr;
}

void Flows::Continue(int32_t f) {
  const ir::Flow& flow = k_.p.flows[size_t(f)];
  FlowState& fs = *Find(f);
  const std::string& source = sources_[size_t(f)];
  ScopedSpan span(k_.options.tracer, TraceSpan::Flow, f);
  // Jumps only go forward, so one pass over the ops bounds the loop.
  for (size_t steps = 0; fs.running && steps <= flow.ops.size(); ++steps) {
    const ir::FlowOp& op = flow.ops[size_t(fs.pc)];
    if (k_.options.tracer) k_.options.tracer->FlowStep(f, fs.pc);
    switch (op.kind) {
      case ir::FlowOpKind::Run: {
        const std::string* saved = k_.source;
        k_.source = &source;
        core::Frame frame{ScopeEvent(fs, op), &fs.locals, nullptr};
        ++k_.blocks_run;
        k_.backend.Run(op.block, frame, k_);
        k_.source = saved;
        ++fs.pc;
        break;
      }
      case ir::FlowOpKind::Branch: {
        core::Frame frame{ScopeEvent(fs, op), &fs.locals, nullptr};
        fs.pc = k_.backend.Test(op.cond, frame, k_) ? fs.pc + 1 : op.target;
        break;
      }
      case ir::FlowOpKind::Jump: fs.pc = op.target; break;
      case ir::FlowOpKind::Split: {
        uint64_t bucket = StickyBucket("split:" + flow.name + ":" + std::to_string(fs.pc));
        size_t branch = 0;
        while (branch + 1 < op.shares.size() && int64_t(bucket) >= op.shares[branch]) ++branch;
        fs.pc = op.targets.empty() ? fs.pc + 1 : op.targets[branch];
        break;
      }
      case ir::FlowOpKind::Choose: {
        core::Frame frame{ScopeEvent(fs, op), &fs.locals, nullptr};
        fs.pc = op.targets[k_.m.bandits.Choose(f, fs.pc, frame)];
        break;
      }
      case ir::FlowOpKind::Wait:
      case ir::FlowOpKind::WaitFor:
        fs.deadline = SaturatingAdd(k_.now, op.duration);   // a wait of years ends at the end of time, never before it started
        fs.waiting_event = op.kind == ir::FlowOpKind::WaitFor ? op.event : -1;
        ++fs.token;
        k_.Schedule(fs.deadline, MechanicId::flows, kWake, f, fs.token);
        return;
      case ir::FlowOpKind::Exit:
        fs.running = false;
        k_.Emit(source, "flow", {{"flow", ActionValue::String(flow.name)}, {"state", ActionValue::String("exited")}});
        return;
    }
  }
}

// `wait for E [where C] within D`: the event counts strictly before start + D
// (a timer due at the event's own time has already fired).
void Flows::ResumeWaiting(const Event& e) {
  const auto& instances = k_.user->flows.instances;
  for (size_t i = 0; i < instances.size(); ++i) {
    FlowState& fs = *instances[i];
    const int32_t f = fs.flow;
    if (!fs.running || fs.waiting_event != e.type || k_.now >= fs.deadline) continue;
    const ir::FlowOp& op = k_.p.flows[size_t(f)].ops[size_t(fs.pc)];
    core::Frame frame{&e, &fs.locals, nullptr};
    if (!k_.backend.Test(op.cond, frame, k_)) continue;
    fs.waiting_event = -1;
    ++fs.token;   // the timeout timer is now stale
    auto slot = std::find_if(fs.received.begin(), fs.received.end(), [&](auto& r) { return r.first == fs.pc; });
    if (slot == fs.received.end()) fs.received.push_back({fs.pc, e});
    else slot->second = e;
    ++fs.pc;      // the body follows the WaitFor op
    Continue(int32_t(f));
  }
}

// Flows triggered by this step (the event, the settle's segment changes),
// then what their statements changed settled like any other effect: levels,
// badges, segments and the flows those trigger, to a bounded fixpoint.
// `blocks_before`: blocks run when the step's own settle ended.
void Flows::Run(const Event* e, uint64_t blocks_before) {
  Trigger(e);
  for (int round = 0; round < k_.options.fixpoint_limit; ++round) {
    if (k_.blocks_run == blocks_before && k_.m.segments.changes.empty()) return;
    blocks_before = k_.blocks_run;
    k_.Settle();
    Trigger(nullptr);
  }
  ++k_.stats.runtime_errors;
}

void Flows::Trigger(const Event* e) {
  std::vector<std::pair<int32_t, bool>> changes;
  changes.swap(k_.m.segments.changes);
  for (size_t f = 0; f < k_.p.flows.size(); ++f) {
    const ir::Flow& flow = k_.p.flows[f];
    switch (flow.trigger) {
      case ir::TriggerKind::Event:
        if (e != nullptr && e->type == flow.target) {
          core::Frame frame{e, nullptr, nullptr};
          if (k_.backend.Test(flow.where, frame, k_)) Enter(int32_t(f));
        }
        break;
      case ir::TriggerKind::Enter:
      case ir::TriggerKind::Exit:
        for (const auto& [segment, entered] : changes)
          if (segment == flow.target && entered == (flow.trigger == ir::TriggerKind::Enter)) Enter(int32_t(f));
        break;
      default:
        break;
    }
  }
}

Flows::Flows(Kernel& k) : Mechanic(k) {
  for (const ir::Flow& f : k_.p.flows) sources_.push_back("flow:" + f.name);
}

FlowState* Flows::Find(int32_t f) const {
  const auto& list = k_.user->flows.instances;
  auto it = std::lower_bound(list.begin(), list.end(), f,
                             [](const std::unique_ptr<FlowState>& x, int32_t key) { return x->flow < key; });
  return it != list.end() && (*it)->flow == f ? it->get() : nullptr;
}

FlowState& Flows::InstanceFor(int32_t f) {
  auto& list = k_.user->flows.instances;
  auto it = std::lower_bound(list.begin(), list.end(), f,
                             [](const std::unique_ptr<FlowState>& x, int32_t key) { return x->flow < key; });
  if (it != list.end() && (*it)->flow == f) return **it;
  auto fs = std::make_unique<FlowState>();
  fs->flow = f;
  fs->locals.resize(size_t(k_.p.flows[size_t(f)].local_count));
  return **list.insert(it, std::move(fs));
}

void Flows::Start(int64_t t) {
  for (size_t f = 0; f < k_.p.flows.size(); ++f)
    if (k_.p.flows[f].trigger == ir::TriggerKind::Schedule) ScheduleFlow(int32_t(f), t);
}

void Flows::AfterSettle(const Event* e, uint64_t settled) {
  if (e != nullptr) ResumeWaiting(*e);
  Run(e, settled);
}

bool Flows::OnTimer(const Timer& t) {
  if (t.kind == kSchedule) {
    FireSchedule(t.a);
    return false;
  }
  FlowState* instance = Find(t.a);
  if (instance == nullptr || !instance->running || instance->token != t.b) return true;   // a stale timer
  FlowState& fs = *instance;
  const ir::FlowOp& op = k_.p.flows[size_t(t.a)].ops[size_t(fs.pc)];
  // A wait ends, or a `wait for` times out (its event never came).
  fs.pc = op.kind == ir::FlowOpKind::WaitFor ? op.target : fs.pc + 1;
  fs.waiting_event = -1;
  Continue(t.a);
  return true;
}

void Flows::WriteState(const UserState& u, std::string& out) const {
  out += ",\"flows\":[";
  bool first = true;
  for (const std::unique_ptr<FlowState>& instance : u.flows.instances) {
    const FlowState& fs = *instance;
    const size_t f = size_t(fs.flow);
    if (!fs.running) continue;
    if (!first) out += ",";
    first = false;
    out += "{\"flow\":";
    AppendJsonString(out, k_.p.flows[f].name);
    out += ",\"step\":" + std::to_string(fs.pc);
    if (k_.p.flows[f].ops[size_t(fs.pc)].kind == ir::FlowOpKind::Wait ||
        k_.p.flows[f].ops[size_t(fs.pc)].kind == ir::FlowOpKind::WaitFor) {
      out += ",\"waiting_until\":";
      AppendTime(out, fs.deadline);
    }
    out += "}";
  }
  out += "]";
}

void Flows::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  w.Unsigned(u.flows.instances.size());
  for (const std::unique_ptr<FlowState>& instance : u.flows.instances) {
    const FlowState& fs = *instance;
    w.Signed(fs.flow);
    w.Unsigned(fs.running);
    w.Signed(fs.pc);
    w.Signed(fs.waiting_event);
    w.Signed(fs.deadline);
    w.Unsigned(fs.token);
    w.Signed(fs.last_entry);
    w.Unsigned(fs.locals.size());
    for (const Value& v : fs.locals) snapshot::PutValue(w, v);
    snapshot::PutEvent(w, fs.trigger);
    w.Unsigned(fs.received.size());
    for (const auto& [at, e] : fs.received) {
      w.Signed(at);
      snapshot::PutEvent(w, e);
    }
  }
}

void Flows::LoadPlayer(UserState& u, core::ByteReader& r) {
  auto& list = u.flows.instances;
  list.clear();
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    auto fs = std::make_unique<FlowState>();
    fs->flow = int32_t(r.Signed());
    if (fs->flow < 0 || size_t(fs->flow) >= k_.p.flows.size() || (!list.empty() && list.back()->flow >= fs->flow)) {
      r.Fail();
      return;
    }
    fs->running = r.Unsigned() != 0;
    fs->pc = int32_t(r.Signed());
    if (fs->pc < 0 || size_t(fs->pc) >= k_.p.flows[size_t(fs->flow)].ops.size()) r.Fail();
    fs->waiting_event = int32_t(r.Signed());
    fs->deadline = r.Signed();
    fs->token = r.Unsigned();
    fs->last_entry = r.Signed();
    fs->locals.resize(r.Count());
    for (Value& v : fs->locals) v = snapshot::GetValue(r);
    snapshot::GetEvent(r, fs->trigger);
    fs->received.resize(r.Count());
    for (auto& [at, e] : fs->received) {
      at = int32_t(r.Signed());
      snapshot::GetEvent(r, e);
    }
    list.push_back(std::move(fs));
  }
}

void Flows::MigratePlayer(const Flows&, const UserState& from, UserState& to, const Migration& mg) {
  auto& list = to.flows.instances;
  list.clear();
  for (const auto& held : from.flows.instances) {
    const int32_t n = mg.flows.New(held->flow);
    if (n < 0) continue;
    list.push_back(std::make_unique<FlowState>(*held));
    list.back()->flow = n;
  }
  std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x->flow < y->flow; });
}

void Flows::Migrate(const Flows&, const Migration& mg) {
  if (!k_.started) return;   // Start schedules them all
  for (size_t f = 0; f < k_.p.flows.size(); ++f)
    if (k_.p.flows[f].trigger == ir::TriggerKind::Schedule && mg.flows.Old(int32_t(f)) < 0)
      ScheduleFlow(int32_t(f), k_.clock);
}

bool Flows::MigrateTimer(Timer& t, const Migration& mg) const {
  t.a = mg.flows.New(t.a);
  return t.a >= 0;
}

}  // namespace questline::engine::mechanics
