// Flows (LANGUAGE.md §9): triggers, audience, holdout, re-entry, and the step
// machine over ir::Flow::ops. A waiting instance is an op index, a deadline
// and a timer token: plain data.
#include <algorithm>

#include "runtime/engine/engine.h"

namespace questline::engine {

uint64_t Engine::StickyBucket(const std::string& salt) const {
  // Sticky per user: the same user lands in the same bucket on every replay.
  // Drawn in millionths of a percent, as before decimals had 8 digits, so
  // that every player keeps the holdout and split branch it had.
  return random_.Below(100 * 1'000'000ull, strings_.Get(user_->user), salt, 0) * uint64_t(kDecimalScale / 1'000'000);
}

void Engine::ScheduleFlow(int32_t f, int64_t after) {
  const ir::Flow& flow = p_.flows[size_t(f)];
  const int64_t day = calendar_.LocalDay(after);
  for (int64_t k = 0; k <= 8; ++k) {
    int64_t at = calendar_.LocalToInstant(day + k, flow.minute);
    if (at < after || (flow.weekday >= 0 && calendar_.Weekday(at) != flow.weekday)) continue;
    Schedule(at, TimerKind::FlowSchedule, 0, f, 0);
    return;
  }
}

void Engine::FireSchedule(int32_t f) {
  for (UserState& u : users_) {
    user_ = &u;
    ordinal_ = 0;
    segment_changes_.clear();
    const uint64_t before = seq_;
    EnterFlow(f);
    // Nothing happened to a player the flow passed over: nothing to settle.
    if (seq_ != before) SettleStep(nullptr);
  }
  user_ = nullptr;
  ScheduleFlow(f, now_ + 1);
}

void Engine::EnterFlow(int32_t f) {
  const ir::Flow& flow = p_.flows[size_t(f)];
  FlowState& fs = user_->flows[size_t(f)];
  if (fs.running) return;   // at most once at a time
  if (flow.reenter_after_ms && fs.last_entry != INT64_MIN && now_ < SaturatingAdd(fs.last_entry, *flow.reenter_after_ms)) return;
  core::Frame frame{event_, nullptr, nullptr};
  if (!Holds(flow.audience, frame)) return;
  fs.last_entry = now_;
  if (flow.holdout > 0 && int64_t(StickyBucket("holdout:" + flow.name)) < flow.holdout) {
    Emit(flow_sources_[size_t(f)], "flow", {{"flow", ActionValue::String(flow.name)}, {"control", ActionValue::Bool(true)}});
    return;
  }
  fs.running = true;
  fs.pc = 0;
  fs.waiting_event = -1;
  ++fs.token;
  std::fill(fs.locals.begin(), fs.locals.end(), Value{});
  // The steps read the trigger's fields as they were now, also after waits.
  fs.trigger = flow.trigger == ir::TriggerKind::Event && event_ != nullptr ? *event_ : Event{};
  fs.received.clear();
  Emit(flow_sources_[size_t(f)], "flow", {{"flow", ActionValue::String(flow.name)}, {"state", ActionValue::String("entered")}});
  ContinueFlow(f);
}

// The event whose fields op `op` reads (FlowOp::scope), or null.
static const Event* ScopeEvent(const FlowState& fs, const ir::FlowOp& op) {
  if (op.scope < 0) return fs.trigger.type >= 0 ? &fs.trigger : nullptr;
  for (const auto& [at, e] : fs.received)
    if (at == op.scope) return &e;
  return nullptr;
}

void Engine::ContinueFlow(int32_t f) {
  const ir::Flow& flow = p_.flows[size_t(f)];
  FlowState& fs = user_->flows[size_t(f)];
  const std::string& source = flow_sources_[size_t(f)];
  // Jumps only go forward, so one pass over the ops bounds the loop.
  for (size_t steps = 0; fs.running && steps <= flow.ops.size(); ++steps) {
    const ir::FlowOp& op = flow.ops[size_t(fs.pc)];
    switch (op.kind) {
      case ir::FlowOpKind::Run: {
        const std::string* saved = source_;
        source_ = &source;
        core::Frame frame{ScopeEvent(fs, op), &fs.locals, nullptr};
        ++blocks_run_;
        backend_.Run(op.block, frame, *this);
        source_ = saved;
        ++fs.pc;
        break;
      }
      case ir::FlowOpKind::Branch: {
        core::Frame frame{ScopeEvent(fs, op), &fs.locals, nullptr};
        fs.pc = backend_.Test(op.cond, frame, *this) ? fs.pc + 1 : op.target;
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
      case ir::FlowOpKind::Wait:
      case ir::FlowOpKind::WaitFor:
        fs.deadline = SaturatingAdd(now_, op.duration);   // a wait of years ends at the end of time, never before it started
        fs.waiting_event = op.kind == ir::FlowOpKind::WaitFor ? op.event : -1;
        ++fs.token;
        Schedule(fs.deadline, TimerKind::FlowWake, user_->user, f, fs.token);
        return;
      case ir::FlowOpKind::Exit:
        fs.running = false;
        Emit(source, "flow", {{"flow", ActionValue::String(flow.name)}, {"state", ActionValue::String("exited")}});
        return;
    }
  }
}

// `wait for E [where C] within D`: the event counts strictly before start + D
// (a timer due at the event's own time has already fired).
void Engine::ResumeWaitingFlows(const Event& e) {
  for (size_t f = 0; f < p_.flows.size(); ++f) {
    FlowState& fs = user_->flows[f];
    if (!fs.running || fs.waiting_event != e.type || now_ >= fs.deadline) continue;
    const ir::FlowOp& op = p_.flows[f].ops[size_t(fs.pc)];
    core::Frame frame{&e, &fs.locals, nullptr};
    if (!backend_.Test(op.cond, frame, *this)) continue;
    fs.waiting_event = -1;
    ++fs.token;   // the timeout timer is now stale
    auto slot = std::find_if(fs.received.begin(), fs.received.end(), [&](auto& r) { return r.first == fs.pc; });
    if (slot == fs.received.end()) fs.received.push_back({fs.pc, e});
    else slot->second = e;
    ++fs.pc;      // the body follows the WaitFor op
    ContinueFlow(int32_t(f));
  }
}

// Flows triggered by this step (the event, the settle's segment changes),
// then what their statements changed settled like any other effect: levels,
// badges, segments and the flows those trigger, to a bounded fixpoint.
// `blocks_before`: blocks run when the step's own settle ended.
void Engine::RunFlows(const Event* e, uint64_t blocks_before) {
  TriggerFlows(e);
  for (int round = 0; round < options_.fixpoint_limit; ++round) {
    if (blocks_run_ == blocks_before && segment_changes_.empty()) return;
    blocks_before = blocks_run_;
    Settle();
    TriggerFlows(nullptr);
  }
  ++stats_.runtime_errors;
}

void Engine::SettleStep(const Event* e) {
  Settle();
  RunFlows(e, blocks_run_);
  // Once per player and step, when everything has settled.
  ScheduleSegmentRecheck(segment_recheck_due_);
  segment_recheck_due_ = false;
}

void Engine::TriggerFlows(const Event* e) {
  std::vector<std::pair<int32_t, bool>> changes;
  changes.swap(segment_changes_);
  for (size_t f = 0; f < p_.flows.size(); ++f) {
    const ir::Flow& flow = p_.flows[f];
    switch (flow.trigger) {
      case ir::TriggerKind::Event:
        if (e != nullptr && e->type == flow.target) {
          core::Frame frame{e, nullptr, nullptr};
          if (backend_.Test(flow.where, frame, *this)) EnterFlow(int32_t(f));
        }
        break;
      case ir::TriggerKind::Enter:
      case ir::TriggerKind::Exit:
        for (const auto& [segment, entered] : changes)
          if (segment == flow.target && entered == (flow.trigger == ir::TriggerKind::Enter)) EnterFlow(int32_t(f));
        break;
      default:
        break;
    }
  }
}

}  // namespace questline::engine
