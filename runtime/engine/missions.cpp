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

MissionPtr MissionState::Make(int32_t mission, size_t tasks, bool windows) {
  void* block = ::operator new(sizeof(MissionState) + tasks * sizeof(TaskState));
  MissionPtr ms(new (block) MissionState);
  ms->mission = mission;
  ms->task_count = uint16_t(tasks);
  for (TaskState& t : ms->Tasks()) new (&t) TaskState;
  if (windows) ms->windows.reset(new AggState[tasks]);
  return ms;
}

void MissionDeleter::operator()(MissionState* ms) const {
  ms->~MissionState();   // TaskState is trivially destructible
  ::operator delete(ms);
}

static void ResetInstance(MissionState& ms) {
  for (TaskState& t : ms.Tasks()) t = TaskState{};
  if (ms.windows)
    for (size_t t = 0; t < ms.task_count; ++t) ms.windows[t] = AggState{};
}

MissionState* Engine::FindMission(int32_t m) const {
  auto& list = user_->missions;
  auto it = std::lower_bound(list.begin(), list.end(), m,
                             [](const MissionPtr& x, int32_t k) { return x->mission < k; });
  return it != list.end() && (*it)->mission == m ? it->get() : nullptr;
}

MissionState& Engine::MissionFor(int32_t m) {
  auto& list = user_->missions;
  auto it = std::lower_bound(list.begin(), list.end(), m,
                             [](const MissionPtr& x, int32_t k) { return x->mission < k; });
  if (it != list.end() && (*it)->mission == m) return **it;
  const ir::Mission& mi = p_.missions[size_t(m)];
  const bool windows = !std::all_of(mi.tasks.begin(), mi.tasks.end(),
                                    [](const ir::Task& t) { return IsSimpleAggregate(t.aggregate); });
  return **list.insert(it, MissionState::Make(m, mi.tasks.size(), windows));
}

Value Engine::TaskValue(const ir::Task& task, const MissionState& ms, size_t t, int64_t now) const {
  if (!ms.windows || IsSimpleAggregate(task.aggregate)) return ReadTotal(task.aggregate, ms.Tasks()[t].Total());
  return ReadAggregate(task.aggregate, ms.windows[t], now, calendar_);
}

// What RefreshMissions does for a hidden instance of a generally available
// mission, at the first event that counts for it: it starts with its period
// (or now), silently, and this event counts. Nothing else can have happened
// to it: it has no unlock, opt-in or audience action, and a time limit would
// make it explicit. An instance that would already be over is not kept: the
// calendar gives the same answer at the next event.
MissionState* Engine::OpenImplicitInstance(int32_t m, core::Frame& frame) {
  const ir::Mission& mi = p_.missions[size_t(m)];
  if ((mi.active_from && now_ < *mi.active_from) || (mi.active_to && now_ >= *mi.active_to)) return nullptr;
  if (!Holds(mi.audience, frame)) return nullptr;
  MissionState& ms = MissionFor(m);
  if (Periodic(mi.recurring)) ms.period_key = calendar_.PeriodKey(PeriodOf(mi.recurring), now_);
  StartInstance(m);
  if (ms.phase == MissionPhase::Started) return &ms;
  DropMission(m);
  return nullptr;
}

void Engine::DropMission(int32_t m) {
  auto& list = user_->missions;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [m](const MissionPtr& x) { return x->mission == m; }),
             list.end());
}

// An instance starts when its period does (a recurring instance after the
// first), not before its `active` window, else now; the event being processed
// counts when the instance started before it. A generally available instance
// stays silent (Announce) until an event counts for it.
void Engine::StartInstance(int32_t m) {
  const ir::Mission& mi = p_.missions[size_t(m)];
  MissionState& ms = *FindMission(m);
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
  MissionState& ms = *FindMission(m);
  if (ms.announced) return;
  ms.announced = true;
  WakeForDeadline(ms.deadline);
  EmitMission(m, "started");
}

// A player has one pending mission timer, at the earliest deadline of the
// instances they were told of: an instance's own timer per player per
// mission was most of the engine's memory at operator scale.
void Engine::WakeForDeadline(int64_t deadline) {
  if (deadline == INT64_MAX || deadline >= user_->mission_wake) return;
  user_->mission_wake = deadline;
  Schedule(deadline, TimerKind::MissionDeadline, user_->user, 0, 0);
}

// The player's mission timer: every announced instance due by now expires,
// in mission order, and the timer moves to the next deadline.
void Engine::ExpireDueMissions(int64_t timer) {
  if (timer != user_->mission_wake) return;   // replaced by an earlier one, which has run
  user_->mission_wake = INT64_MAX;
  int64_t next = INT64_MAX;
  for (size_t i = 0; i < user_->missions.size(); ++i) {
    MissionState& ms = *user_->missions[i];
    if (ms.phase != MissionPhase::Started || !ms.announced) continue;
    if (now_ >= ms.deadline) ExpireMission(ms.mission, "expired");
    else next = std::min(next, ms.deadline);
  }
  WakeForDeadline(next);
}

void Engine::UnlockMission(int32_t m, bool given) {
  MissionState& ms = MissionFor(m);   // `give mission` may name a generally available one
  ms.given |= given;
  if (ms.unlocked) return;
  ms.unlocked = true;
  ms.unlocked_at = now_;
  const std::string& name = p_.missions[size_t(m)].name;
  Emit(mission_sources_[size_t(m)], "unlock", {{"mission", ActionValue::String(name)}});
}

void Engine::UnlockByEvent(const Event& e) {
  core::Frame frame{&e, nullptr, nullptr};
  for (int32_t m : p_.plans[size_t(e.type)].unlocks)
    if (!FindMission(m)->unlocked && backend_.Test(p_.missions[size_t(m)].unlock_where, frame, *this))
      UnlockMission(m, false);
}

void Engine::ExpireMission(int32_t m, const char* why) {
  MissionState& ms = *FindMission(m);
  ms.phase = MissionPhase::Expired;
  if (ms.announced) EmitMission(m, why);   // an instance nothing counted for ends silently
}

void Engine::CompleteMission(int32_t m) {
  const ir::Mission& mi = p_.missions[size_t(m)];
  MissionState& ms = *FindMission(m);   // boxed: stays put while the reward gives missions
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

// Phase transitions that depend on state rather than on one event, for the
// instances the player holds (an implicit one has none: CountMissionEvent).
bool Engine::RefreshMissions() {
  bool changed = false;
  std::vector<size_t> drop;   // erased after the walk: FindMission searches the list meanwhile
  core::Frame frame{event_, nullptr, nullptr};
  auto& list = user_->missions;
  for (size_t i = 0; i < list.size(); ++i) {
    MissionState& ms = *list[i];
    const int32_t m = ms.mission;
    const ir::Mission& mi = p_.missions[size_t(m)];
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
        // A new period with nothing to remember: implicit again until an event counts.
        if (ImplicitMission(m) && ms.phase == MissionPhase::Hidden && ms.completions == 0 && !ms.given &&
            !ms.unlocked) {
          drop.push_back(i);
          continue;
        }
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
  for (auto d = drop.rbegin(); d != drop.rend(); ++d) list.erase(list.begin() + ptrdiff_t(*d));
  return changed;
}

void Engine::CountMissionEvent(const Event& e) {
  core::Frame frame{&e, nullptr, nullptr};
  for (int32_t m : p_.plans[size_t(e.type)].missions) {
    const ir::Mission& mi = p_.missions[size_t(m)];
    MissionState* ms = FindMission(m);
    if (ms != nullptr) {
      if (ms->phase != MissionPhase::Started || event_seq_ <= ms->start_seq) continue;
      // Only while the player is in the mission's audience (or was given it).
      if (mi.audience >= 0 && !ms->given && !Holds(mi.audience, frame)) continue;
    } else if (!ImplicitMission(m)) {
      continue;
    }
    for (size_t t = 0; t < mi.tasks.size(); ++t) {
      if (ms != nullptr && ms->Tasks()[t].done) continue;
      const ir::Task& task = mi.tasks[t];
      if (task.aggregate.event == e.type && backend_.Test(task.aggregate.filter, frame, *this)) {
        if (ms == nullptr && (ms = OpenImplicitInstance(m, frame)) == nullptr) break;
        Value arg = task.aggregate.argument >= 0 ? backend_.Eval(task.aggregate.argument, frame, *this) : Value{};
        Announce(m);   // the first event that counts makes a silent instance visible
        TaskState& ts = ms->Tasks()[t];
        if (!ms->windows || IsSimpleAggregate(task.aggregate)) {
          AggState::Bucket total = ts.Total();
          AddToTotal(task.aggregate, total, arg);
          ts.SetTotal(total);
        } else AddToAggregate(task.aggregate, ms->windows[t], arg, now_, calendar_);
        Value value = TaskValue(task, *ms, t, now_);
        Value threshold = backend_.Eval(task.threshold, frame, *this);
        ts.SetThreshold(threshold);
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
          ts.done = true;
          Emit(mission_sources_[size_t(m)], "task",
               {{"mission", ActionValue::String(mi.name)}, {"task", ActionValue::String(task.name)},
                {"state", ActionValue::String("completed")}});
          RunBlock(task.body, mission_sources_[size_t(m)]);   // ms is boxed: a `give` cannot move it
        }
      }
      if (mi.ordered) break;   // only the first unfinished task counts events
    }
    if (ms != nullptr && !ms->Tasks().empty() &&
        std::all_of(ms->Tasks().begin(), ms->Tasks().end(), [](const TaskState& t) { return t.done; }))
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
  if (!it->opt_in) return reject("no_opt_in_needed");
  MissionState& ms = *FindMission(m);   // an opt-in mission is never implicit
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
