// Missions (LANGUAGE.md §7): hidden → locked → available → started →
// completed | expired, per user, with recurrence, time limits and tasks that
// count only events after their instance started.
#include <algorithm>

#include "runtime/engine/aggregates.h"
#include "runtime/engine/engine.h"

namespace questline::engine {
namespace {

CalendarPeriod PeriodOf(ir::Recurrence r) {
  return r == ir::Recurrence::Daily ? CalendarPeriod::Day
         : r == ir::Recurrence::Weekly ? CalendarPeriod::Week : CalendarPeriod::Month;
}

bool Periodic(ir::Recurrence r) {
  return r == ir::Recurrence::Daily || r == ir::Recurrence::Weekly || r == ir::Recurrence::Monthly;
}

const char* PhaseName(MissionPhase p) {
  switch (p) {
    case MissionPhase::Hidden: return "hidden";
    case MissionPhase::Locked: return "locked";
    case MissionPhase::Available: return "available";
    case MissionPhase::Started: return "started";
    case MissionPhase::Completed: return "completed";
    case MissionPhase::Expired: return "expired";
  }
  return "?";
}

}  // namespace

const char* MissionPhaseName(MissionPhase p) { return PhaseName(p); }

void Engine::EmitMission(int32_t m, const char* state) {
  const std::string& name = p_.missions[size_t(m)].name;
  Emit(mission_sources_[size_t(m)], "mission",
       {{"mission", ActionValue::String(name)}, {"state", ActionValue::String(state)}});
}

// `before_event`: a generally available instance exists from the start of its
// period, so the event being processed counts toward it.
static void ResetInstance(MissionState& ms) {
  for (AggState& t : ms.tasks) t = AggState{};
  std::fill(ms.done.begin(), ms.done.end(), false);
  std::fill(ms.thresholds.begin(), ms.thresholds.end(), Value::None(ValueKind::Int));
}

// An instance starts when its period does (a recurring instance after the
// first), not before its `active` window, else now; the event being processed
// counts when the instance started before it. A generally available instance
// stays silent (Announce) until an event counts for it.
void Engine::StartInstance(int32_t m) {
  const ir::Mission& mi = p_.missions[size_t(m)];
  MissionState& ms = user_->missions[size_t(m)];
  // Given missions are news to the player they were given to: announced at once.
  const bool general = mi.unlock == ir::Unlock::None && !mi.opt_in && !mi.given;
  ResetInstance(ms);
  int64_t start = now_;
  if (Periodic(mi.recurring) && !mi.opt_in && (general || ms.new_period))
    start = calendar_.PeriodStart(PeriodOf(mi.recurring), now_);
  // Unlocked before its `active` window: the instance starts when the window opens.
  if (!mi.opt_in && mi.active_from && ms.unlocked && ms.unlocked_at < *mi.active_from && !ms.new_period)
    start = std::min(now_, *mi.active_from);
  if (!mi.opt_in && mi.active_from && start < *mi.active_from) start = *mi.active_from;
  ms.new_period = false;
  ms.phase = MissionPhase::Started;
  // An instance restarted by the event that completed the last one starts after it.
  const bool counts_this_event =
      event_ != nullptr && ms.completed_seq != event_seq_ && (general || start < now_);
  ms.start_seq = counts_this_event ? event_seq_ - 1 : event_seq_;
  ms.started_at = start;
  ms.deadline = INT64_MAX;
  if (mi.time_limit_ms) ms.deadline = SaturatingAdd(start, *mi.time_limit_ms);
  if (mi.active_to) ms.deadline = std::min(ms.deadline, *mi.active_to);
  // A recurring instance ends with its period: expired at the boundary if unfinished.
  if (Periodic(mi.recurring))
    ms.deadline = std::min(ms.deadline, calendar_.NextPeriodStart(PeriodOf(mi.recurring), now_));
  ms.announced = false;
  if (ms.deadline <= now_) {   // this period's instance ran out before the player came: nothing to say
    ms.phase = MissionPhase::Expired;
    return;
  }
  // Catching up to a later event (or --until): no event of the player's comes
  // before horizon_, so an instance ending by then counts nothing and is over
  // silently, like one that ran out before the player came. The period that
  // contains the horizon starts from one timer at its start: catching up costs
  // what changes, not a timer and two actions per period passed (a login in
  // 9999 after one in 2026 stepped through three million days).
  if (event_ == nullptr && Periodic(mi.recurring) && ms.deadline <= horizon_) {
    ms.phase = MissionPhase::Expired;
    const int64_t next = calendar_.PeriodStart(PeriodOf(mi.recurring), horizon_);
    // Once: every timer of the player's until then finds a new period and passes here again.
    if (next > now_ && next != ms.period_wake) {
      ms.period_wake = next;
      Schedule(next, TimerKind::MissionPeriod, user_->user, m, 0);
    }
    return;
  }
  if (!general) Announce(m);
}

void Engine::Announce(int32_t m) {
  MissionState& ms = user_->missions[size_t(m)];
  if (ms.announced) return;
  ms.announced = true;
  if (ms.deadline != INT64_MAX) Schedule(ms.deadline, TimerKind::MissionDeadline, user_->user, m, ms.start_seq);
  EmitMission(m, "started");
}

void Engine::UnlockMission(int32_t m, bool given) {
  MissionState& ms = user_->missions[size_t(m)];
  ms.given |= given;
  if (ms.unlocked) return;
  ms.unlocked = true;
  ms.unlocked_at = now_;
  const std::string& name = p_.missions[size_t(m)].name;
  Emit(mission_sources_[size_t(m)], "unlock", {{"mission", ActionValue::String(name)}});
}

void Engine::UnlockByEvent(const Event& e) {
  interp::Frame frame{&e, nullptr, nullptr};
  for (int32_t m : p_.plans[size_t(e.type)].unlocks)
    if (!user_->missions[size_t(m)].unlocked && backend_.Test(p_.missions[size_t(m)].unlock_where, frame, *this))
      UnlockMission(m, false);
}

void Engine::ExpireMission(int32_t m, const char* why) {
  MissionState& ms = user_->missions[size_t(m)];
  ms.phase = MissionPhase::Expired;
  if (ms.announced) EmitMission(m, why);   // an instance nothing counted for ends silently
}

void Engine::CompleteMission(int32_t m) {
  const ir::Mission& mi = p_.missions[size_t(m)];
  MissionState& ms = user_->missions[size_t(m)];
  ms.phase = MissionPhase::Completed;
  ++ms.completions;
  ms.completed_seq = event_seq_;
  EmitMission(m, "completed");
  RunBlock(mi.reward, mission_sources_[size_t(m)]);
  for (size_t d = 0; d < p_.missions.size(); ++d)
    if (p_.missions[d].unlock == ir::Unlock::AfterMission && p_.missions[d].unlock_target == m)
      UnlockMission(int32_t(d), false);
  bool more = mi.max_completions == 0 || ms.completions < mi.max_completions;
  if (mi.recurring == ir::Recurrence::OnCompletion && more) {
    ms.phase = mi.opt_in ? MissionPhase::Available : MissionPhase::Hidden;
    ResetInstance(ms);   // the next instance starts at zero
  }
}

// Phase transitions that depend on state rather than on one event.
bool Engine::RefreshMissions() {
  bool changed = false;
  interp::Frame frame{event_, nullptr, nullptr};
  for (size_t i = 0; i < p_.missions.size(); ++i) {
    const int32_t m = int32_t(i);
    const ir::Mission& mi = p_.missions[i];
    MissionState& ms = user_->missions[i];
    if (Periodic(mi.recurring)) {
      int64_t key = calendar_.PeriodKey(PeriodOf(mi.recurring), now_);
      if (key != ms.period_key) {
        if (ms.phase == MissionPhase::Started) ExpireMission(m, "expired");
        bool more = mi.max_completions == 0 || ms.completions < mi.max_completions;
        if (ms.period_key != INT64_MIN && more &&
            (ms.phase == MissionPhase::Completed || ms.phase == MissionPhase::Expired ||
             ms.phase == MissionPhase::Available)) {
          ms.phase = MissionPhase::Hidden;   // a fresh instance this period (a fresh opt-in too)
          ResetInstance(ms);                 // showing nothing of the last one's progress
        }
        if (ms.period_key != INT64_MIN) ms.new_period = true;
        ms.period_key = key;
        changed = true;
      }
    }
    if (ms.phase == MissionPhase::Started && now_ >= ms.deadline) {
      ExpireMission(m, "expired");
      changed = true;
      continue;
    }
    if (mi.unlock == ir::Unlock::AtLevel && !ms.unlocked && user_->level >= mi.unlock_target) {
      UnlockMission(m, false);
      changed = true;
    }
    const bool active = (!mi.active_from || now_ >= *mi.active_from) && (!mi.active_to || now_ < *mi.active_to);
    // Asked whatever the phase: an audience can intern a string (`lower(…)`),
    // and interning order breaks `top`'s ties.
    // A `given` mission has no audience (Q0415): only `give mission` shows it.
    const bool audience = ms.given || (!mi.given && Holds(mi.audience, frame));
    MissionPhase before = ms.phase;
    switch (ms.phase) {
      case MissionPhase::Hidden:
      case MissionPhase::Locked:
      case MissionPhase::Available:
        if (!audience) {
          ms.phase = MissionPhase::Hidden;
        } else if (mi.unlock != ir::Unlock::None && !ms.unlocked) {
          ms.phase = MissionPhase::Locked;
        } else if (mi.opt_in) {
          if (ms.phase != MissionPhase::Available) {
            ms.phase = MissionPhase::Available;
            EmitMission(m, "available");
          }
        } else if (active) {
          StartInstance(m);
        }
        break;
      default:
        break;
    }
    changed |= ms.phase != before;
  }
  return changed;
}

void Engine::CountMissionEvent(const Event& e) {
  interp::Frame frame{&e, nullptr, nullptr};
  for (int32_t m : p_.plans[size_t(e.type)].missions) {
    const ir::Mission& mi = p_.missions[size_t(m)];
    MissionState& ms = user_->missions[size_t(m)];
    if (ms.phase != MissionPhase::Started || event_seq_ <= ms.start_seq) continue;
    // Only while the player is in the mission's audience (or was given it).
    if (mi.audience >= 0 && !ms.given && !Holds(mi.audience, frame)) continue;
    for (size_t t = 0; t < mi.tasks.size(); ++t) {
      if (ms.done[t]) continue;
      const ir::Task& task = mi.tasks[t];
      if (task.aggregate.event == e.type && backend_.Test(task.aggregate.filter, frame, *this)) {
        Value arg = task.aggregate.argument >= 0 ? backend_.Eval(task.aggregate.argument, frame, *this) : Value{};
        Announce(m);   // the first event that counts makes a silent instance visible
        AddToAggregate(task.aggregate, ms.tasks[t], arg, now_, calendar_);
        Value value = ReadAggregate(task.aggregate, ms.tasks[t], now_, calendar_);
        Value threshold = backend_.Eval(task.threshold, frame, *this);
        ms.thresholds[t] = threshold;
        bool reached = false;
        if (!value.none && !threshold.none) {
          // An int count against a decimal threshold (`count(bet) >= 2.5`): compare as decimals.
          __int128 x = value.i, y = threshold.i;
          if (value.kind == ValueKind::Decimal && threshold.kind != ValueKind::Decimal) y *= kDecimalScale;
          if (threshold.kind == ValueKind::Decimal && value.kind != ValueKind::Decimal) x *= kDecimalScale;
          switch (task.op) {
            case ir::NodeKind::Eq: reached = x == y; break;
            case ir::NodeKind::Ne: reached = x != y; break;
            case ir::NodeKind::Lt: reached = x < y; break;
            case ir::NodeKind::Le: reached = x <= y; break;
            case ir::NodeKind::Gt: reached = x > y; break;
            default: reached = x >= y; break;
          }
        }
        if (reached) {
          ms.done[t] = true;
          Emit(mission_sources_[size_t(m)], "task",
               {{"mission", ActionValue::String(mi.name)}, {"task", ActionValue::String(task.name)},
                {"state", ActionValue::String("completed")}});
          RunBlock(task.body, mission_sources_[size_t(m)]);
        }
      }
      if (mi.ordered) break;   // only the first unfinished task counts events
    }
    if (std::all_of(ms.done.begin(), ms.done.end(), [](bool d) { return d; }) && !ms.done.empty())
      CompleteMission(m);
  }
}

bool Engine::HandleOptIn(const Event& e) {
  std::string name;
  const int32_t target = RequestTarget(e, mission_by_name_, &name);
  auto reject = [&](const char* reason) {
    Emit("mission:" + name, "rejected",
         {{"request", ActionValue::String("mission_opt_in")}, {"mission", ActionValue::String(name)},
          {"reason", ActionValue::String(reason)}});
    return false;
  };
  if (target < 0) return reject("unknown_mission");
  const int32_t m = target;
  const auto it = p_.missions.begin() + target;
  MissionState& ms = user_->missions[size_t(m)];
  if (!it->opt_in) return reject("no_opt_in_needed");
  switch (ms.phase) {
    case MissionPhase::Hidden: return reject("not_in_audience");
    case MissionPhase::Locked: return reject("locked");
    case MissionPhase::Started: return reject("already_started");
    case MissionPhase::Completed:
    case MissionPhase::Expired: return reject("not_available");
    case MissionPhase::Available: break;
  }
  if ((it->active_from && now_ < *it->active_from) || (it->active_to && now_ >= *it->active_to))
    return reject("outside_active_window");
  StartInstance(m);
  return true;
}

}  // namespace questline::engine
