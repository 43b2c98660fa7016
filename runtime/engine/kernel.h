// The kernel: the event-time clock, timers, the players, action emission and
// the settle loop. It knows no mechanic by name: each is a module of
// mechanics/, listed once in mechanics.def, whose hooks (mechanic.h) the
// kernel calls in registry order. The kernel is also the core::Runtime the
// backend's code calls back into; it hands each call to the mechanic that
// owns what is asked.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/ir/program.h"
#include "runtime/engine/action.h"
#include "runtime/engine/calendar.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/mechanic.h"
#include "runtime/engine/mechanics/all.h"
#include "runtime/engine/player.h"
#include "runtime/engine/random.h"
#include "runtime/engine/recent_ids.h"
#include "runtime/engine/step_key.h"
#include "runtime/engine/strings.h"
#include "runtime/engine/trace.h"

namespace questline::engine {

// Every mechanic, by the field name of its registry line.
struct Mechanics {
  explicit Mechanics(Kernel& kernel) : k(kernel) {}
  Kernel& k;
#define QUESTLINE_MECHANIC(field, Type) mechanics::Type field{k};
#include "runtime/engine/mechanics.def"
};

// The order timers fire in (docs/engine.md, "Order across players"): by
// deadline; at one instant the global ones first, as scheduled, then the
// players' by user id, each player's as scheduled. Nothing depends on which
// player the engine met first, so players split over partitions fire in the
// same order as in one engine.
struct TimerLater {
  const StringPool* strings;
  bool operator()(const Timer& a, const Timer& b) const {   // a fires after b
    if (a.deadline != b.deadline) return a.deadline > b.deadline;
    if (a.global != b.global) return b.global;
    if (!a.global && a.user != b.user) return strings->Get(a.user) > strings->Get(b.user);
    return a.seq > b.seq;
  }
};
using TimerQueue = std::priority_queue<Timer, std::vector<Timer>, TimerLater>;

class World;

class Kernel final : public core::Runtime {
 public:
  Kernel(const ir::Program& program, const core::Backend& backend, StringPool& strings, EngineOptions options);

  // Inputs (Engine's).
  bool Process(const Event& e);   // false: a duplicate
  void AdvanceTo(int64_t t);
  // Process in two halves, for a world of partitions (world.h): Admit
  // drops a duplicate and starts the mechanics at the first event; Step
  // runs the event's step once every timer due before it has fired.
  bool Admit(const Event& e);
  void Step(const Event& e);
  void FireTimer(const Timer& t);
  // Engine::ApplyResult: a step of the result's player at the clock.
  bool ApplyResult(const CompetitionResult& r, std::string* error);
  // Engine::ApplyRaffleResult: a step of the winner at the clock.
  bool ApplyRaffleResult(const RaffleResult& r, std::string* error);
  // Their step: an owner's answer applied to `player` at `at`, named `id`.
  bool OwnersStep(std::string id, const std::string& player, int64_t at, const std::function<void()>& apply);
  // Engine::ProcessWithStock: the awaited step again, `answer` at hand.
  bool ProcessWithStock(const Event& e, const StockAnswer& answer);

  // A stock owned elsewhere (EngineOptions::owned_elsewhere), for the
  // mechanics: the owner's answer to this step's claim when the step runs
  // with it; else null, the claim queued and awaited — the mechanic returns
  // false from OnRequest, and Process undoes the step.
  const StockAnswer* AskStockOwner(StockClaim::Kind kind, const std::string& stock, int64_t window = 0);
  std::optional<StockClaim> awaited_stock;
  std::vector<StockClaim> stock_claims;     // until Engine::DrainStockClaims
  const StockAnswer* stock_answer = nullptr;

  // One kernel, or one partition of a world whose players are split by user
  // id (world.h). The global state — competitions, stock, bandit models,
  // raffle draws, global timers, the action sequence — is the first
  // partition's, the owner's; a mechanic reaches it through Owner().
  World* world = nullptr;
  Kernel& Owner();
  // The owner, for the global state: on threads, once the step's turn has
  // come — every partition has passed every step before this one (world.h).
  Kernel& Global();
  void Turn();
  std::vector<Kernel*> Partitions();      // this one alone, or the world's
  // A global step's player (a prize, a draw, a scheduled flow's entry): the
  // partition that holds them, made the step's player with the context of
  // this kernel's step (instant, event id, action ordinal) handed over;
  // Return gives the ordinal back.
  Kernel& Hand(uint32_t user);
  void Return(Kernel& partition);

  // On threads (world.h): the step's key, its actions so far, and the actions
  // waiting to be merged into the world's one sequence by key.
  struct Outgoing {
    StepKey key;
    uint64_t emit;
    Action action;
  };
  StepKey key;
  uint64_t emits = 0;
  bool turn_held = false;
  bool to_outbox = false;
  std::vector<Outgoing> outbox;
  uint64_t emitted = 0;   // actions delivered by this kernel, ever
  std::string StateJson();
  std::string Save();                                        // snapshot.cpp
  bool Load(std::string_view bytes, std::string* error);
  void MigrateFrom(Kernel& old);
  // The program's literals and the mechanics' names, interned (again, after Load replaced the pool).
  void InternNames();                             // reload.cpp: `old` is left to be destroyed
  void PrepareState();   // before WritePlayer
  void WritePlayer(const UserState& u, std::string& out);   // one player's object of StateJson

  // For the mechanics.
  UserState& UserFor(uint32_t user);
  // A timer of the current player's, or a global one, owned by `owner`.
  void Schedule(int64_t deadline, MechanicId owner, uint8_t kind, int32_t a, uint64_t b);
  void ScheduleGlobal(int64_t deadline, MechanicId owner, uint8_t kind, int32_t a, uint64_t b);
  void Emit(const std::string& source, const char* action, std::vector<std::pair<std::string, ActionValue>> fields);
  // An action with its key (the step's next ordinal), not yet delivered.
  Action MakeAction(const std::string& source, const char* action,
                    std::vector<std::pair<std::string, ActionValue>> fields);
  void Deliver(Action&& a);   // numbers it (seq), counts it, hands it to the sink
  void RunBlock(const ir::Block& block, const std::string& source);
  bool Holds(ir::ExprRef condition, core::Frame& frame);   // backend.Test, with a shortcut
  void Settle();
  // Settle, then what follows (flows) and the step's end, for `user`.
  void SettleStep(const Event* e);
  // A global timer's step for one player: the step's ordinal restarts.
  void BeginPlayerStep(UserState& u);

  // core::Runtime: each call goes to the mechanic that owns it.
  Value Metric(int32_t id) override;
  bool Segment(int32_t id) override;
  Value Profile(int32_t field) override;
  int64_t Balance(int32_t currency) override;
  int64_t PointsEver() override;
  Value Level() override;
  int64_t Now() override { return now; }
  int Hour(int64_t t) override { return calendar.Hour(t); }
  int Weekday(int64_t t) override { return calendar.Weekday(t); }
  uint32_t StringId(int64_t program_string) override { return literal_ids[size_t(program_string)]; }
  const std::string& StringText(uint32_t id) override { return strings.Get(id); }
  uint32_t InternText(const std::string& s) override { return strings.Intern(s); }
  void CountWarning(const char* what) override {
    if (!speculating) ++stats.warnings[what];
  }
  void Effect(const ir::Stmt& stmt, Value value, const std::vector<Value>& data) override;
  void AddToMetric(int32_t metric, Value argument) override;
  void MetricsDone() override;
  bool EnterRule(int32_t rule) override;
  void LeaveRule() override;

  const ir::Program& p;
  const core::Backend& backend;
  StringPool& strings;
  EngineOptions options;
  Calendar calendar;
  KeyedRandom random;
  RecentIds recent_ids;                     // duplicate detection (after random: keyed by it)
  EngineStats stats;
  std::vector<uint32_t> literal_ids;        // the program's strings, interned
  size_t fresh_pool_size = 0;               // the pool once built: more, and someone used it (Load)
  PlayerLayout layout;                      // the players' blocks: what each mechanic reserved
  std::deque<UserState> users;              // stable addresses
  // By interned id (ids are dense): a player's slot in users + 1 (0: none
  // yet). A hash lookup per event and timer missed the cache at 100k players.
  std::vector<uint32_t> user_slot;
  TimerQueue timers;
  std::vector<Action> actions;              // without a sink: until Engine::DrainActions
  ActionSink* sink = nullptr;

  int64_t clock = INT64_MIN;
  // While AdvanceTo fires timers: the instant it is catching up to (the next
  // event's time, or --until). Nothing of a player's happens before it but
  // timers, so a recurring instance that ends by then can count nothing.
  int64_t horizon = INT64_MIN;
  int64_t now = 0;
  uint64_t seq = 0, timer_seq = 0, event_seq = 0;
  // Blocks run so far (rewards, level and badge blocks, flow steps): the only
  // way a settle round's missions could move what conditions read.
  uint64_t blocks_run = 0;
  bool started = false;                     // the first event has come (Mechanic::Start)
  bool speculating = false;                 // evaluating at a future instant: no warnings

  // The step being processed.
  UserState* user = nullptr;
  const Event* event = nullptr;
  std::string event_id;
  bool event_id_is_timer = false;           // event_id names the timers due at event_id_timer
  int64_t event_id_timer = 0;
  uint64_t ordinal = 0;
  const std::string* source = nullptr;      // "rule:slot_points", … of the running block

  Mechanics m;                              // last: built from everything above

 private:
  void BeginStep();
  void TraceStep();   // the tracer's Step, once the step's player is known
};

// Snapshots of one kernel or of a world's partitions, in one format
// (snapshot.cpp): `world` places each restored player in its partition.
std::string SaveSnapshot(const std::vector<Kernel*>& parts, const std::vector<Timer>& world_timers, uint64_t world_seq);
bool LoadSnapshot(const std::vector<Kernel*>& parts, World* world, std::string_view bytes, std::string* error);

}  // namespace questline::engine
