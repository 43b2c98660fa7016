// The deterministic engine: event-time clock, timers, per-user state and the
// processing order of LANGUAGE.md §11. No I/O, no wall clock, no threads: the
// same program and events give the same actions and state, on every backend.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/backend.h"
#include "core/event.h"
#include "core/ir/program.h"
#include "runtime/engine/action.h"
#include "runtime/engine/calendar.h"
#include "runtime/engine/random.h"
#include "runtime/engine/recent_ids.h"
#include "runtime/engine/state.h"
#include "runtime/engine/strings.h"

namespace questline::engine {

struct EngineOptions {
  int fixpoint_limit = 16;   // rounds of levels/badges/segments/missions per event
  // Skip re-asking conditions in a settle round that cannot change their
  // answers (Engine::Settle). Off: every round asks everything, the plain
  // fixpoint the differential test checks this against.
  bool skip_settled_conditions = true;
  // Duplicate event ids are recognised within this much event time (docs/engine.md).
  int64_t dedupe_window_ms = 7 * 86'400'000LL;
};

struct EngineStats {
  uint64_t events = 0, duplicates = 0, late = 0, timers = 0;
  uint64_t imports = 0;                          // segment lists and balance rows applied
  uint64_t runtime_errors = 0;                   // fixpoint bound exceeded
  std::map<std::string, uint64_t> warnings;      // division_by_zero, overflow, …
  std::map<std::string, uint64_t> actions;       // by kind
};

class Engine final : private core::Runtime {
 public:
  Engine(const ir::Program& program, const core::Backend& backend, StringPool& strings,
         EngineOptions options = {});

  void Process(const Event& event);
  // Moves the clock to `t`, firing every timer due by then (for --until).
  void AdvanceTo(int64_t t);
  // Actions go to `sink` as they are produced; without one (nullptr) they
  // wait in the engine for DrainActions.
  void SetSink(ActionSink* sink) { sink_ = sink; }
  std::vector<Action> DrainActions();
  std::string StateJson() const;                 // every user, sorted by id

  // imports.cpp: offline (`quest run --import-…`) and the daemon's import
  // endpoints. Each import is an input, applied in order at the current
  // clock; it changes state only (no actions, rules or flows). False with
  // `error` set when the import is refused (nothing changes).
  enum class BalanceOp : uint8_t { Add, Deduct, Set };
  int32_t SegmentIndex(const std::string& name) const;    // -1: none
  int32_t CurrencyIndex(const std::string& name) const;   // points is 0; -1: none
  // An `imported` segment's members become exactly `users`.
  bool ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error);
  bool ImportBalance(const std::string& user, int32_t currency, BalanceOp op, int64_t amount, std::string* error);
  const EngineStats& Stats() const { return stats_; }
  int64_t Clock() const { return clock_; }

 private:
  enum class TimerKind : uint8_t {
    MissionDeadline, ReleaseMessage, RaffleDraw, FlowWake, FlowSchedule, CompetitionClose, SegmentRecheck,
    CompetitionStart, MissionPeriod,
  };
  // One player in one window of one competition. `score` has the score's
  // kind (a decimal is scaled by kDecimalScale); `reached` orders equal scores: the
  // step at which the score last changed, 0 before the first scoring event.
  struct Entry {
    uint32_t user;
    int64_t score = 0;
    int64_t sum = 0, count = 0;         // avg: its parts
    int64_t last_day = INT64_MIN;       // distinct_days: the last local day counted
    uint64_t reached = 0;
    bool registered = false;
  };
  // A finished window's result for one player, kept for the state.
  struct FinalResult { int64_t score; int64_t rank; };   // rank 0: not ranked (min_score)
  struct CompetitionState {
    // The window entries belong to: the open one, or (registrations before
    // it) the next one to open.
    int64_t window_start = INT64_MIN, window_end = INT64_MIN;
    int64_t closed_end = INT64_MIN;                              // the last window ranked
    bool cancelled = false;                                      // min_players not met at the start
    bool start_judged = false;                                   // min_players has been judged
    std::vector<Entry> entries;
    std::unordered_map<uint32_t, size_t> index;
    std::unordered_map<uint32_t, FinalResult> last;              // the last finished window
  };
  struct Timer {
    int64_t deadline;
    uint64_t seq;
    TimerKind kind;
    uint32_t user;
    int32_t a;
    uint64_t b;
    bool operator>(const Timer& o) const { return deadline != o.deadline ? deadline > o.deadline : seq > o.seq; }
  };

  // core::Runtime
  Value Metric(int32_t id) override;
  bool Segment(int32_t id) override;
  Value Profile(int32_t field) override;
  int64_t Balance(int32_t currency) override;
  int64_t PointsEver() override;
  Value Level() override;
  int64_t Now() override { return now_; }
  int Hour(int64_t t) override { return calendar_.Hour(t); }
  int Weekday(int64_t t) override { return calendar_.Weekday(t); }
  uint32_t StringId(int64_t program_string) override { return literal_ids_[size_t(program_string)]; }
  const std::string& StringText(uint32_t id) override { return strings_.Get(id); }
  uint32_t InternText(const std::string& s) override { return strings_.Intern(s); }
  void CountWarning(const char* what) override {
    if (!speculating_) ++stats_.warnings[what];
  }
  void Effect(const ir::Stmt& stmt, Value value, const std::vector<Value>& data) override;
  void AddToMetric(int32_t metric, Value argument) override;
  void MetricsDone() override;
  bool EnterRule(int32_t rule) override;
  void LeaveRule() override;

  // engine.cpp
  UserState& UserFor(uint32_t user);
  void FireTimer(const Timer& t);
  void Schedule(int64_t deadline, TimerKind kind, uint32_t user, int32_t a, uint64_t b);
  void Settle();
  bool SettleLevels();
  bool SettleBadges();
  bool SettleSegments();
  bool UpdateSegment(size_t segment, core::Frame& frame);   // true when its membership changed
  void PlanSegmentsAfterMetrics();
  // segment_time.cpp: segments that change with time alone.
  bool ReadsTime(ir::ExprRef e, int depth) const;
  int NowCoefficient(ir::ExprRef e, const std::vector<int>& params, int depth) const;
  int64_t NextBreakpoint(ir::ExprRef e, core::Frame& frame, const std::vector<int>& params, int64_t t, int depth);
  int64_t NextSegmentChange(int32_t segment, bool search, int64_t bound);
  void ScheduleSegmentRecheck(bool search);
  void Emit(const std::string& source, const char* action, std::vector<std::pair<std::string, ActionValue>> fields);
  // An action with its key (the step's next ordinal), not yet delivered.
  Action MakeAction(const std::string& source, const char* action,
                    std::vector<std::pair<std::string, ActionValue>> fields);
  // Numbers it (seq), counts it and hands it to the sink.
  void Deliver(Action&& a);
  void RunBlock(const ir::Block& block, const std::string& source);
  bool Holds(ir::ExprRef condition, core::Frame& frame);   // backend_.Test, with a shortcut

  // A metric of `u` at `now` (AggregateValidUntil: when it can next change alone).
  Value ReadMetric(const UserState& u, int32_t metric, int64_t now) const;
  int64_t MetricValidUntil(int32_t metric, int64_t now) const;

  // missions.cpp
  // The player's instance of mission m, or null while it is implicit.
  MissionState* FindMission(int32_t m) const;
  MissionState& MissionFor(int32_t m);   // made (hidden, no progress) when it is implicit
  void DropMission(int32_t m);           // back to implicit
  bool ImplicitMission(int32_t m) const { return mission_implicit_[size_t(m)]; }
  // The implicit instance of a generally available mission this event counts
  // for, made explicit as RefreshMissions would have started it; null when
  // the player has none now (outside the audience or the active window).
  MissionState* OpenImplicitInstance(int32_t m, core::Frame& frame);
  Value TaskValue(const ir::Task& task, const MissionState& ms, size_t t, int64_t now) const;
  bool RefreshMissions();
  void WakeForDeadline(int64_t deadline);
  void ExpireDueMissions(int64_t timer);
  void StartInstance(int32_t m);
  void Announce(int32_t m);
  void CountMissionEvent(const Event& e);
  void UnlockByEvent(const Event& e);
  void UnlockMission(int32_t m, bool given);
  void CompleteMission(int32_t m);
  void ExpireMission(int32_t m, const char* why);
  bool HandleOptIn(const Event& e);
  void EmitMission(int32_t m, const char* state);

  // flows.cpp
  void EnterFlow(int32_t flow);
  void ContinueFlow(int32_t flow);
  void ResumeWaitingFlows(const Event& e);
  void TriggerFlows(const Event* e);
  void RunFlows(const Event* e, uint64_t blocks_before);
  // Settle, then the flows that triggers (and what they change), for user_.
  void SettleStep(const Event* e);
  void ScheduleFlow(int32_t flow, int64_t after);
  void FireSchedule(int32_t flow);
  uint64_t StickyBucket(const std::string& salt) const;   // [0, 100%) scaled by kDecimalScale

  // competitions.cpp
  int64_t LocalTime(int64_t day, int minute) const;
  bool WindowAt(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const;
  bool NextWindow(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const;
  void EnterWindow(int32_t c, int64_t start, int64_t end);
  CompetitionState& CurrentWindow(int32_t c, bool* open);
  Entry* EntryFor(int32_t c, bool create);
  void ScoreEvent(const Event& e);
  void ScorePoints(int64_t amount);
  void AddScore(int32_t c, Value v);
  void CloseCompetitions();
  void StartCompetition(int32_t c);
  void CancelWindow(int32_t c, const std::vector<Entry>& players);
  ActionValue ScoreValue(const ir::Competition& c, int64_t score) const;
  bool HandleRegister(const Event& e);

  // store.cpp
  bool HandlePurchase(const Event& e);
  bool HandlePlay(const Event& e);
  void DrawRaffle(int32_t raffle);
  // A request's target: the index of the named mission/item/game/competition, or -1;
  // `name` is the requested name (for the action). Lookups are by interned id.
  int32_t RequestTarget(const Event& e, const std::unordered_map<uint32_t, int32_t>& by_name,
                        std::string* name) const;
  // Emits the `rejected` action; false, so that handlers `return Reject(…)`.
  bool Reject(const std::string& source, const char* request, const char* reason,
              std::vector<std::pair<std::string, ActionValue>> fields = {});
  // A request that would charge the player: the policy that blocks its
  // reward (rejected as `blocked_by_policy`, nothing charged), or null.
  const ir::Policy* PaidRequestBlocked();

  // effects.cpp
  // `blocked` names the action and what it would have given or sent.
  bool PolicyBlocks(ir::PolicyTarget target, const char* action,
                    std::vector<std::pair<std::string, ActionValue>> blocked = {});
  const ir::Policy* BlockingPolicy(ir::PolicyTarget target);
  // Message caps for the current period: true when one is reached (the
  // `blocked` action is emitted); CountMessage counts a delivered message.
  bool MessageCapReached(const std::vector<std::pair<std::string, ActionValue>>& what);
  void CountMessage();
  // The first instant at or after t that no policy's quiet hours cover for
  // `channel`, INT64_MIN when t is not quiet.
  int64_t QuietUntil(int32_t channel, int64_t t) const;
  void ReleaseMessage(uint64_t id);
  void ApplyProfileUpdate(const Event& e);

  const ir::Program& p_;
  const core::Backend& backend_;
  // By segment: whether its condition can change with time alone (found once).
  std::vector<bool> segment_reads_time_;
  // What MetricsDone re-evaluates, segments read before those reading them:
  // by event type, the segments its metrics can move; every segment, for a
  // player whose segments are stale.
  std::vector<std::vector<int32_t>> segments_after_metrics_;
  std::vector<int32_t> segments_in_order_;
  // By mission: whether a player's instance is implicit until an event counts
  // for it (generally available, its start known from the calendar), and the
  // others, which every player holds from the start.
  std::vector<bool> mission_implicit_;
  // By metric: its index in UserState::totals (a simple lifetime metric) or
  // UserState::metrics (the others).
  std::vector<bool> metric_is_total_;
  std::vector<int32_t> metric_slot_;
  size_t total_count_ = 0, window_count_ = 0;
  std::vector<int32_t> explicit_missions_;
  bool speculating_ = false;                          // evaluating at a future instant
  bool segment_recheck_due_ = false;                  // this step is a player's segment re-check
  StringPool& strings_;
  EngineOptions options_;
  Calendar calendar_;
  std::vector<uint32_t> literal_ids_;
  std::vector<uint32_t> level_ids_;                   // interned level names, for conditions reading `level`
  // Action sources, built once: "rule:NAME", "mission:NAME", "level:NAME", "badge:NAME".
  std::vector<std::string> rule_sources_, mission_sources_, level_sources_, badge_sources_, flow_sources_;
  std::deque<UserState> users_;                       // stable addresses
  // By interned id (ids are dense): a player's slot in users_ + 1 (0: none
  // yet), and whether an event id was seen. A hash lookup per event and timer
  // missed the cache at 100k players.
  std::vector<uint32_t> user_slot_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  uint64_t held_seq_ = 0;                             // ids of held messages
  KeyedRandom random_;
  RecentIds recent_ids_;                              // duplicate detection (after random_: keyed by it)
  std::vector<int64_t> item_stock_;                   // global, -1 unlimited
  std::vector<std::vector<int64_t>> prize_stock_;     // per mini-game prize, -1 unlimited
  std::vector<bool> raffle_drawn_;
  std::vector<std::vector<int32_t>> item_raffles_;   // per item: the raffles its purchase gives tickets for
  std::vector<std::pair<int32_t, bool>> segment_changes_;   // (segment, entered) of this step, for flows
  std::vector<CompetitionState> competitions_;
  // Interned name -> index, so requests never compare strings.
  std::unordered_map<uint32_t, int32_t> mission_by_name_, item_by_name_, game_by_name_, competition_by_name_;
  int32_t registration_ = -1;                        // the registration event type, or -1
  int32_t registered_at_ = -1;                       // the profile's registered_at, or -1
  std::vector<int32_t> request_field_;               // per event type: the request's name field, or -1
  uint64_t score_seq_ = 0;                                  // orders equal scores: first reached ranks first
  std::vector<Action> actions_;                       // without a sink: until DrainActions
  ActionSink* sink_ = nullptr;
  EngineStats stats_;
  int64_t clock_ = INT64_MIN;
  // While AdvanceTo fires timers: the instant it is catching up to (the next
  // event's time, or --until). Nothing of a player's happens before it but
  // timers, so a recurring instance that ends by then can count nothing.
  int64_t horizon_ = INT64_MIN;
  int64_t now_ = 0;
  uint64_t seq_ = 0, timer_seq_ = 0, event_seq_ = 0;
  bool scheduled_flows_pending_ = false;
  // Blocks run so far (rewards, level and badge blocks, flow steps): the only
  // way a settle round's missions could move what conditions read.
  uint64_t blocks_run_ = 0;
  // The step being processed.
  UserState* user_ = nullptr;
  const Event* event_ = nullptr;
  std::string event_id_;
  bool event_id_is_timer_ = false;                    // event_id_ names the timers due at event_id_timer_
  int64_t event_id_timer_ = 0;
  uint64_t ordinal_ = 0;
  const std::string* source_ = nullptr;               // "rule:slot_points", … of the running block
  const ir::Rule* rule_ = nullptr;                    // the rule whose cap applies
  RuleCounters* counters_ = nullptr;
};

}  // namespace questline::engine
