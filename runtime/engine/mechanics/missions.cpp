// Missions (LANGUAGE.md §7): hidden → locked → available → started →
// completed | expired, per user, with recurrence, time limits and tasks that
// count only events after their instance started.
#include <algorithm>

#include "runtime/engine/aggregates.h"
#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"
#include "runtime/engine/mechanics/missions.h"

namespace questline::engine::mechanics {
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

void Missions::EmitMission(int32_t m, const char* state) {
  const std::string& name = k_.p.missions[size_t(m)].name;
  k_.Emit(sources_[size_t(m)], "mission",
       {{"mission", ActionValue::String(name)}, {"state", ActionValue::String(state)}});
}

static void ResetInstance(MissionState& ms) {
  for (TaskState& t : ms.Tasks()) t = TaskState{};
  if (ms.windows)
    for (size_t t = 0; t < ms.task_count; ++t) ms.windows[t] = AggState{};
}

MissionState* Missions::Find(int32_t m) const {
  auto& list = k_.user->missions.instances;
  auto it = std::lower_bound(list.begin(), list.end(), m,
                             [](const MissionPtr& x, int32_t k) { return x->mission < k; });
  return it != list.end() && (*it)->mission == m ? it->get() : nullptr;
}

MissionState& Missions::InstanceFor(int32_t m) {
  auto& list = k_.user->missions.instances;
  auto it = std::lower_bound(list.begin(), list.end(), m,
                             [](const MissionPtr& x, int32_t k) { return x->mission < k; });
  if (it != list.end() && (*it)->mission == m) return **it;
  const ir::Mission& mi = k_.p.missions[size_t(m)];
  const bool windows = !std::all_of(mi.tasks.begin(), mi.tasks.end(),
                                    [](const ir::Task& t) { return IsSimpleAggregate(t.aggregate); });
  return **list.insert(it, MissionState::Make(m, mi.tasks.size(), windows));
}

Value Missions::TaskValue(const ir::Task& task, const MissionState& ms, size_t t, int64_t now) const {
  if (!ms.windows || IsSimpleAggregate(task.aggregate)) return ReadTotal(task.aggregate, ms.Tasks()[t].Total());
  return ReadAggregate(task.aggregate, ms.windows[t], now, k_.calendar);
}

// What Refresh does for a hidden instance of a generally available
// mission, at the first event that counts for it: it starts with its period
// (or now), silently, and this event counts. Nothing else can have happened
// to it: it has no unlock, opt-in or audience action, and a time limit would
// make it explicit. An instance that would already be over is not kept: the
// calendar gives the same answer at the next event.
MissionState* Missions::OpenImplicit(int32_t m, core::Frame& frame) {
  const ir::Mission& mi = k_.p.missions[size_t(m)];
  if ((mi.active_from && k_.now < *mi.active_from) || (mi.active_to && k_.now >= *mi.active_to)) return nullptr;
  if (!k_.Holds(mi.audience, frame)) return nullptr;
  MissionState& ms = InstanceFor(m);
  if (Periodic(mi.recurring)) ms.period_key = k_.calendar.PeriodKey(PeriodOf(mi.recurring), k_.now);
  StartInstance(m);
  if (ms.phase == MissionPhase::Started) return &ms;
  Drop(m);
  return nullptr;
}

void Missions::Drop(int32_t m) {
  auto& list = k_.user->missions.instances;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [m](const MissionPtr& x) { return x->mission == m; }),
             list.end());
}

// An instance starts when its period does (a recurring instance after the
// first), not before its `active` window, else now; the event being processed
// counts when the instance started before it. A generally available instance
// stays silent (Announce) until an event counts for it.
void Missions::StartInstance(int32_t m) {
  const ir::Mission& mi = k_.p.missions[size_t(m)];
  MissionState& ms = *Find(m);
  // Given missions are news to the player they were given to: announced at once.
  const bool general = mi.unlock == ir::Unlock::None && !mi.opt_in && !mi.given;
  ResetInstance(ms);
  int64_t start = k_.now;
  if (Periodic(mi.recurring) && !mi.opt_in && (general || ms.new_period))
    start = k_.calendar.PeriodStart(PeriodOf(mi.recurring), k_.now);
  // Unlocked before its `active` window: the instance starts when the window opens.
  if (!mi.opt_in && mi.active_from && ms.unlocked && ms.unlocked_at < *mi.active_from && !ms.new_period)
    start = std::min(k_.now, *mi.active_from);
  if (!mi.opt_in && mi.active_from && start < *mi.active_from) start = *mi.active_from;
  ms.new_period = false;
  ms.phase = MissionPhase::Started;
  // An instance restarted by the event that completed the last one starts after it.
  const bool counts_this_event =
      k_.event != nullptr && ms.completed_seq != k_.event_seq && (general || start < k_.now);
  ms.start_seq = counts_this_event ? k_.event_seq - 1 : k_.event_seq;
  ms.deadline = INT64_MAX;
  if (mi.time_limit_ms) ms.deadline = SaturatingAdd(start, *mi.time_limit_ms);
  if (mi.active_to) ms.deadline = std::min(ms.deadline, *mi.active_to);
  // A recurring instance ends with its period: expired at the boundary if unfinished.
  if (Periodic(mi.recurring))
    ms.deadline = std::min(ms.deadline, k_.calendar.NextPeriodStart(PeriodOf(mi.recurring), k_.now));
  ms.announced = false;
  if (ms.deadline <= k_.now) {   // this period's instance ran out before the player came: nothing to say
    ms.phase = MissionPhase::Expired;
    return;
  }
  // Catching up to a later event (or --until): no event of the player's comes
  // before k_.horizon, so an instance ending by then counts nothing and is over
  // silently, like one that ran out before the player came. The period that
  // contains the horizon starts from one timer at its start: catching up costs
  // what changes, not a timer and two actions per period passed (a login in
  // 9999 after one in 2026 stepped through three million days).
  if (k_.event == nullptr && Periodic(mi.recurring) && ms.deadline <= k_.horizon) {
    ms.phase = MissionPhase::Expired;
    const int64_t next = k_.calendar.PeriodStart(PeriodOf(mi.recurring), k_.horizon);
    // Once: every timer of the player's until then finds a new period and passes here again.
    if (next > k_.now && next != ms.period_wake) {
      ms.period_wake = next;
      k_.Schedule(next, MechanicId::missions, kPeriod, m, 0);
    }
    return;
  }
  if (!general) Announce(m);
}

void Missions::Announce(int32_t m) {
  MissionState& ms = *Find(m);
  if (ms.announced) return;
  ms.announced = true;
  WakeForDeadline(ms.deadline);
  EmitMission(m, "started");
}

// A player has one pending mission timer, at the earliest deadline of the
// instances they were told of: an instance's own timer per player per
// mission was most of the engine's memory at operator scale.
void Missions::WakeForDeadline(int64_t deadline) {
  int64_t& wake = *wake_.In(k_.user->block);
  if (deadline == INT64_MAX || deadline >= wake) return;
  wake = deadline;
  k_.Schedule(deadline, MechanicId::missions, kDeadline, 0, 0);
}

// The player's mission timer: every announced instance due by now expires,
// in mission order, and the timer moves to the next deadline.
void Missions::ExpireDue(int64_t timer) {
  int64_t& wake = *wake_.In(k_.user->block);
  if (timer != wake) return;   // replaced by an earlier one, which has run
  wake = INT64_MAX;
  int64_t next = INT64_MAX;
  for (size_t i = 0; i < k_.user->missions.instances.size(); ++i) {
    MissionState& ms = *k_.user->missions.instances[i];
    if (ms.phase != MissionPhase::Started || !ms.announced) continue;
    if (k_.now >= ms.deadline) Expire(ms.mission, "expired");
    else next = std::min(next, ms.deadline);
  }
  WakeForDeadline(next);
}

void Missions::Unlock(int32_t m, bool given) {
  MissionState& ms = InstanceFor(m);   // `give mission` may name a generally available one
  ms.given |= given;
  if (ms.unlocked) return;
  ms.unlocked = true;
  ms.unlocked_at = k_.now;
  const std::string& name = k_.p.missions[size_t(m)].name;
  k_.Emit(sources_[size_t(m)], "unlock", {{"mission", ActionValue::String(name)}});
}

void Missions::UnlockByEvent(const Event& e) {
  core::Frame frame{&e, nullptr, nullptr};
  for (int32_t m : k_.p.plans[size_t(e.type)].unlocks)
    if (!Find(m)->unlocked && k_.backend.Test(k_.p.missions[size_t(m)].unlock_where, frame, k_))
      Unlock(m, false);
}

void Missions::Expire(int32_t m, const char* why) {
  MissionState& ms = *Find(m);
  ms.phase = MissionPhase::Expired;
  if (ms.announced) EmitMission(m, why);   // an instance nothing counted for ends silently
}

void Missions::Complete(int32_t m) {
  const ir::Mission& mi = k_.p.missions[size_t(m)];
  MissionState& ms = *Find(m);   // boxed: stays put while the reward gives missions
  ms.phase = MissionPhase::Completed;
  ++ms.completions;
  ms.completed_seq = k_.event_seq;
  EmitMission(m, "completed");
  k_.RunBlock(mi.reward, sources_[size_t(m)]);
  for (size_t d = 0; d < k_.p.missions.size(); ++d)
    if (k_.p.missions[d].unlock == ir::Unlock::AfterMission && k_.p.missions[d].unlock_target == m)
      Unlock(int32_t(d), false);
  bool more = mi.max_completions == 0 || ms.completions < mi.max_completions;
  if (mi.recurring == ir::Recurrence::OnCompletion && more) {
    ms.phase = mi.opt_in ? MissionPhase::Available : MissionPhase::Hidden;
    ResetInstance(ms);   // the next instance starts at zero
  }
}

// Phase transitions that depend on state rather than on one event, for the
// instances the player holds (an implicit one has none: CountEvent).
bool Missions::Refresh() {
  bool changed = false;
  std::vector<size_t> drop;   // erased after the walk: Find searches the list meanwhile
  core::Frame frame{k_.event, nullptr, nullptr};
  auto& list = k_.user->missions.instances;
  for (size_t i = 0; i < list.size(); ++i) {
    MissionState& ms = *list[i];
    const int32_t m = ms.mission;
    const ir::Mission& mi = k_.p.missions[size_t(m)];
    if (Periodic(mi.recurring)) {
      int64_t key = k_.calendar.PeriodKey(PeriodOf(mi.recurring), k_.now);
      if (key != ms.period_key) {
        if (ms.phase == MissionPhase::Started) Expire(m, "expired");
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
        if (Implicit(m) && ms.phase == MissionPhase::Hidden && ms.completions == 0 && !ms.given &&
            !ms.unlocked) {
          drop.push_back(i);
          continue;
        }
      }
    }
    if (ms.phase == MissionPhase::Started && k_.now >= ms.deadline) {
      Expire(m, "expired");
      changed = true;
      continue;
    }
    if (mi.unlock == ir::Unlock::AtLevel && !ms.unlocked && k_.m.levels.Level(*k_.user) >= mi.unlock_target) {
      Unlock(m, false);
      changed = true;
    }
    const bool active = (!mi.active_from || k_.now >= *mi.active_from) && (!mi.active_to || k_.now < *mi.active_to);
    // Asked whatever the phase: an audience can intern a string (`lower(…)`),
    // and interning order breaks `top`'s ties.
    // A `given` mission has no audience (Q0415): only `give mission` shows it.
    const bool audience = ms.given || (!mi.given && k_.Holds(mi.audience, frame));
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

void Missions::CountEvent(const Event& e) {
  core::Frame frame{&e, nullptr, nullptr};
  for (int32_t m : k_.p.plans[size_t(e.type)].missions) {
    ScopedSpan span(k_.options.tracer, TraceSpan::Mission, m);
    const ir::Mission& mi = k_.p.missions[size_t(m)];
    MissionState* ms = Find(m);
    if (ms != nullptr) {
      if (ms->phase != MissionPhase::Started || k_.event_seq <= ms->start_seq) continue;
      // Only while the player is in the mission's audience (or was given it).
      if (mi.audience >= 0 && !ms->given && !k_.Holds(mi.audience, frame)) continue;
    } else if (!Implicit(m)) {
      continue;
    }
    for (size_t t = 0; t < mi.tasks.size(); ++t) {
      if (ms != nullptr && ms->Tasks()[t].done) continue;
      const ir::Task& task = mi.tasks[t];
      if (task.aggregate.event == e.type && k_.backend.Test(task.aggregate.filter, frame, k_)) {
        if (ms == nullptr && (ms = OpenImplicit(m, frame)) == nullptr) break;
        Value arg = task.aggregate.argument >= 0 ? k_.backend.Eval(task.aggregate.argument, frame, k_) : Value{};
        Announce(m);   // the first event that counts makes a silent instance visible
        TaskState& ts = ms->Tasks()[t];
        if (!ms->windows || IsSimpleAggregate(task.aggregate)) {
          AggState::Bucket total = ts.Total();
          AddToTotal(task.aggregate, total, arg);
          ts.SetTotal(total);
        } else AddToAggregate(task.aggregate, ms->windows[t], arg, k_.now, k_.calendar);
        Value value = TaskValue(task, *ms, t, k_.now);
        Value threshold = k_.backend.Eval(task.threshold, frame, k_);
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
        if (k_.options.tracer) k_.options.tracer->TaskCounted(m, int32_t(t), value, threshold, reached);
        if (reached) {
          ts.done = true;
          k_.Emit(sources_[size_t(m)], "task",
               {{"mission", ActionValue::String(mi.name)}, {"task", ActionValue::String(task.name)},
                {"state", ActionValue::String("completed")}});
          k_.RunBlock(task.body, sources_[size_t(m)]);   // ms is boxed: a `give` cannot move it
        }
      }
      if (mi.ordered) break;   // only the first unfinished task counts events
    }
    if (ms != nullptr && !ms->Tasks().empty() &&
        std::all_of(ms->Tasks().begin(), ms->Tasks().end(), [](const TaskState& t) { return t.done; }))
      Complete(m);
  }
}

bool Missions::HandleOptIn(const Event& e) {
  std::string name;
  const int32_t target = RequestTarget(k_, e, "mission", by_name_, &name);
  auto reject = [&](const char* reason) {
    k_.Emit("mission:" + name, "rejected",
         {{"request", ActionValue::String("mission_opt_in")}, {"mission", ActionValue::String(name)},
          {"reason", ActionValue::String(reason)}});
    return false;
  };
  if (target < 0) return reject("unknown_mission");
  const int32_t m = target;
  const auto it = k_.p.missions.begin() + target;
  if (!it->opt_in) return reject("no_opt_in_needed");
  MissionState& ms = *Find(m);   // an opt-in mission is never implicit
  switch (ms.phase) {
    case MissionPhase::Hidden: return reject("not_in_audience");
    case MissionPhase::Locked: return reject("locked");
    case MissionPhase::Started: return reject("already_started");
    case MissionPhase::Completed:
    case MissionPhase::Expired: return reject("not_available");
    case MissionPhase::Available: break;
  }
  if ((it->active_from && k_.now < *it->active_from) || (it->active_to && k_.now >= *it->active_to))
    return reject("outside_active_window");
  StartInstance(m);
  return true;
}

Missions::Missions(Kernel& k) : Mechanic(k) {
  for (size_t i = 0; i < k_.p.missions.size(); ++i) {
    const ir::Mission& mi = k_.p.missions[i];
    // Generally available, and started with its period (or at the event that
    // first counts, when no time limit runs from the start).
    const bool general = mi.unlock == ir::Unlock::None && !mi.opt_in && !mi.given;
    implicit_.push_back(general && (Periodic(mi.recurring) || !mi.time_limit_ms));
    if (!implicit_.back()) explicit_.push_back(int32_t(i));
    sources_.push_back("mission:" + mi.name);
  }
  wake_ = k_.layout.Reserve<int64_t>(1);
  InternNames();
}

void Missions::InternNames() {
  by_name_.clear();
  for (size_t i = 0; i < k_.p.missions.size(); ++i) by_name_[k_.strings.Intern(k_.p.missions[i].name)] = int32_t(i);
}

void Missions::NewPlayer(UserState& u) {
  *wake_.In(u.block) = INT64_MAX;
  for (int32_t m : explicit_) InstanceFor(m);   // the kernel's step player is the new one
}

bool Missions::OnRequest(const Event& e) {
  if (e.type != k_.p.mission_opt_in) return true;
  Refresh();   // phases as of now (an active window may just have opened)
  return HandleOptIn(e);
}

void Missions::OnEvent(const Event& e) {
  UnlockByEvent(e);
  Refresh();
  CountEvent(e);
}

void Missions::Settle(SettleRound& round) {
  if (Refresh()) round.changed = true;
}

bool Missions::OnTimer(const Timer& t) {
  if (t.kind == kDeadline) ExpireDue(t.deadline);
  return true;   // kPeriod: the settle starts the period's instance
}

bool Missions::Effect(const ir::Stmt& s, Value, const std::vector<Value>&) {
  if (s.kind != ir::StmtKind::UnlockMission && s.kind != ir::StmtKind::GiveMission) return false;
  Unlock(s.target, s.kind == ir::StmtKind::GiveMission);
  return true;
}

void Missions::WriteState(const UserState& u, std::string& out) const {
  out += ",\"missions\":{";
  bool first = true;
  for (const MissionPtr& held : u.missions.instances) {
    const MissionState& ms = *held;
    const size_t m = size_t(ms.mission);
    if (ms.phase == MissionPhase::Hidden && ms.completions == 0) continue;
    if (!first) out += ",";
    first = false;
    AppendJsonString(out, k_.p.missions[m].name);
    out += ":{\"state\":\"" + std::string(PhaseName(ms.phase)) + "\",\"completions\":" +
           std::to_string(ms.completions) + ",\"tasks\":{";
    for (size_t t = 0; t < k_.p.missions[m].tasks.size(); ++t) {
      const ir::Task& task = k_.p.missions[m].tasks[t];
      if (t) out += ",";
      AppendJsonString(out, task.name);
      Value v = TaskValue(task, ms, t, k_.clock);
      out += ":{\"value\":";
      AppendValue(out, v, k_.strings);
      // The threshold as last evaluated (dynamic ones read metrics), else its constant.
      Value limit = ms.Tasks()[t].Threshold();
      if (limit.none) {
        const ir::Node* threshold = &k_.p.At(task.threshold);
        int64_t scale = 1;
        if (threshold->kind == ir::NodeKind::Widen) {
          threshold = &k_.p.At(k_.p.Child(*threshold, 0));
          scale = kDecimalScale;
        }
        if (threshold->kind == ir::NodeKind::Const && !threshold->none)
          limit = Value{threshold->imm * scale, scale > 1 ? ValueKind::Decimal : threshold->type, false};
      }
      if (!limit.none) {
        out += ",\"threshold\":";
        AppendValue(out, limit, k_.strings);
        // Done is 100%; short of done, at most 99% (`> 2` at 2 is not there yet).
        int64_t percent = 0;
        if (ms.Tasks()[t].done) {
          percent = 100;
        } else if (!v.none && limit.i > 0) {
          __int128 x = v.i, y = limit.i;
          if (v.kind == ValueKind::Decimal && limit.kind != ValueKind::Decimal) y *= kDecimalScale;
          if (limit.kind == ValueKind::Decimal && v.kind != ValueKind::Decimal) x *= kDecimalScale;
          percent = int64_t(std::min<__int128>(99, std::max<__int128>(0, x * 100 / y)));
        }
        out += ",\"percent\":" + std::to_string(percent);
      }
      out += ",\"done\":" + std::string(ms.Tasks()[t].done ? "true" : "false") + "}";
    }
    out += "}}";
  }
  out += "}";
}

// Over the players holding an instance (an implicit one has nothing to count).
bool Missions::Stats(const std::string& name, std::string* out) const {
  size_t m = 0;
  while (m < k_.p.missions.size() && k_.p.missions[m].name != name) ++m;
  if (m == k_.p.missions.size()) return false;
  const ir::Mission& mi = k_.p.missions[m];
  int64_t players = 0, completions = 0;
  int64_t phases[6] = {};
  std::vector<int64_t> tasks_done(mi.tasks.size(), 0);
  for (Kernel* partition : k_.Partitions()) {   // every player, in whichever partition (world.h)
    for (const UserState& u : partition->users) {
      const auto& list = u.missions.instances;
      auto it = std::lower_bound(list.begin(), list.end(), int32_t(m),
                                 [](const MissionPtr& x, int32_t key) { return x->mission < key; });
      if (it == list.end() || (*it)->mission != int32_t(m)) continue;
      const MissionState& ms = **it;
      if (ms.phase == MissionPhase::Hidden && ms.completions == 0) continue;   // as in the state
      ++players;
      ++phases[size_t(ms.phase)];
      completions += ms.completions;
      for (size_t t = 0; t < ms.task_count; ++t) tasks_done[t] += ms.Tasks()[t].done;
    }
  }
  *out = "{\"mission\":";
  AppendJsonString(*out, mi.name);
  *out += ",\"players\":" + std::to_string(players);
  for (MissionPhase p : {MissionPhase::Locked, MissionPhase::Available, MissionPhase::Started, MissionPhase::Completed,
                         MissionPhase::Expired})
    *out += std::string(",\"") + PhaseName(p) + "\":" + std::to_string(phases[size_t(p)]);
  *out += ",\"completions\":" + std::to_string(completions) + ",\"tasks\":{";
  for (size_t t = 0; t < mi.tasks.size(); ++t) {
    if (t) *out += ",";
    AppendJsonString(*out, mi.tasks[t].name);
    *out += ":" + std::to_string(tasks_done[t]);
  }
  *out += "}}";
  return true;
}

void Missions::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  w.Unsigned(u.missions.instances.size());
  for (const MissionPtr& held : u.missions.instances) {
    const MissionState& ms = *held;
    w.Signed(ms.mission);
    w.Unsigned(uint64_t(ms.phase));
    w.Unsigned(uint64_t(ms.unlocked) | uint64_t(ms.given) << 1 | uint64_t(ms.announced) << 2 |
               uint64_t(ms.new_period) << 3 | uint64_t(ms.windows != nullptr) << 4);
    for (int64_t v : {ms.unlocked_at, int64_t(ms.start_seq), ms.period_key, ms.deadline, ms.completions,
                      int64_t(ms.completed_seq), ms.period_wake})
      w.Signed(v);
    for (size_t t = 0; t < ms.task_count; ++t) {
      const TaskState& ts = ms.Tasks()[t];
      w.Signed(ts.count);
      w.Signed(ts.acc);
      w.Signed(ts.threshold);
      w.Unsigned(uint64_t(ts.threshold_kind) << 3 | uint64_t(ts.threshold_none) << 2 | uint64_t(ts.has_acc) << 1 |
                 uint64_t(ts.done));
      if (ms.windows) snapshot::PutAgg(w, ms.windows[t]);
    }
  }
}

void Missions::LoadPlayer(UserState& u, core::ByteReader& r) {
  auto& list = u.missions.instances;
  list.clear();
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    const int64_t m = r.Signed();
    const uint64_t phase = r.Unsigned(), flags = r.Unsigned();
    if (m < 0 || size_t(m) >= k_.p.missions.size() || phase > uint64_t(MissionPhase::Expired) ||
        (!list.empty() && list.back()->mission >= m)) {
      r.Fail();
      return;
    }
    const ir::Mission& mi = k_.p.missions[size_t(m)];
    MissionPtr ms = MissionState::Make(int32_t(m), mi.tasks.size(), flags & 16);
    ms->phase = MissionPhase(phase);
    ms->unlocked = flags & 1, ms->given = flags & 2, ms->announced = flags & 4, ms->new_period = flags & 8;
    ms->unlocked_at = r.Signed();
    ms->start_seq = uint64_t(r.Signed());
    ms->period_key = r.Signed();
    ms->deadline = r.Signed();
    ms->completions = r.Signed();
    ms->completed_seq = uint64_t(r.Signed());
    ms->period_wake = r.Signed();
    for (size_t t = 0; t < ms->task_count; ++t) {
      TaskState& ts = ms->Tasks()[t];
      ts.count = r.Signed();
      ts.acc = r.Signed();
      ts.threshold = r.Signed();
      const uint64_t bits = r.Unsigned();
      ts.threshold_kind = ValueKind(bits >> 3);
      ts.threshold_none = bits & 4, ts.has_acc = bits & 2, ts.done = bits & 1;
      if (ms->windows) snapshot::GetAgg(r, ms->windows[t]);
    }
    list.push_back(std::move(ms));
  }
}

void Missions::MigratePlayer(const Missions& old, const UserState& from, UserState& to, const Migration& mg) {
  *wake_.In(to.block) = *old.wake_.In(from.block);
  for (const MissionPtr& held : from.missions.instances) {
    const MissionState& was = *held;
    const int32_t m = mg.missions.New(was.mission);
    if (m < 0) continue;
    const ir::Mission& before = mg.from.missions[size_t(was.mission)];
    const ir::Mission& mi = k_.p.missions[size_t(m)];
    MissionState& ms = InstanceFor(m);   // the kernel's step player is `to`
    ms.phase = was.phase;
    ms.unlocked = was.unlocked, ms.given = was.given, ms.announced = was.announced, ms.new_period = was.new_period;
    ms.unlocked_at = was.unlocked_at;
    ms.start_seq = was.start_seq;
    ms.period_key = was.period_key;
    ms.deadline = was.deadline;
    ms.completions = was.completions;
    ms.completed_seq = was.completed_seq;
    ms.period_wake = was.period_wake;
    for (size_t t = 0; t < mi.tasks.size(); ++t) {
      const ir::Task& task = mi.tasks[t];
      for (size_t j = 0; j < before.tasks.size(); ++j) {
        const ir::Task& old_task = before.tasks[j];
        if (old_task.name != task.name) continue;
        if (old_task.op == task.op && SameAggregate(mg, old_task.aggregate, task.aggregate) &&
            SameExpr(mg, old_task.threshold, task.threshold, -1, -1)) {
          ms.Tasks()[t] = was.Tasks()[j];
          if (ms.windows && was.windows) ms.windows[t] = was.windows[j];
        }
        break;
      }
    }
  }
}

bool Missions::MigrateTimer(Timer& t, const Migration& mg) const {
  if (t.kind == kDeadline) return true;   // the player's earliest deadline (wake_), kept with the instances
  t.a = mg.missions.New(t.a);
  return t.a >= 0;
}

}  // namespace questline::engine::mechanics
