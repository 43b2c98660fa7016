// The IR: a checked package lowered for execution. Expressions are flat arrays
// of typed nodes (children by index, no pointers), so the interpreter walks
// them without allocation and the JIT can compile them node by node. Every
// name is gone: a node reads an event field, a metric slot, a balance, a
// profile field or a segment bit by index. For each event type, a plan lists
// what runs, in the order of LANGUAGE.md §11.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/value.h"

namespace questline::ir {

using core::ValueKind;

enum class NodeKind : uint8_t {
  Const,        // imm (strings: imm indexes Program::strings)
  EventField,   // a = field index of the current event
  ProfileField, // a = profile field
  Metric,       // a = metric
  Segment,      // a = segment
  Param,        // a = parameter of the enclosing fn
  Local,        // a = let-slot
  Balance,      // a = currency
  PointsEver,
  Level,        // the user's level name (a String value)
  Now,
  Builtin,      // a = sema builtin code, children
  Call,         // a = fn, children = arguments
  Neg, Not, And, Or,
  Eq, Ne, Lt, Le, Gt, Ge,
  Add, Sub, Mul, Div,
  Widen,        // int -> decimal
};

enum class BuiltinFn : uint8_t {
  Floor, Ceil, Round, Abs, Min, Max, Has, Hour, Weekday, Lower, Upper, Contains, StartsWith,
};

struct Node {
  NodeKind kind = NodeKind::Const;
  ValueKind type = ValueKind::Int;   // the type of the value the node produces
  bool none = false;                 // Const: a none value
  int32_t a = -1;
  int64_t imm = 0;
  uint32_t first = 0, count = 0;     // children: Program::children[first .. first + count)
};

using ExprRef = int32_t;             // index of a root node; -1 when absent

enum class StmtKind : uint8_t {
  Award, Deduct, GrantBonus, Send, UnlockMission, GiveMission, GiveAttempts, GiveTickets,
  Tag, Untag, Let, If, Wait, WaitFor, Split, Exit,
};

struct SendField { std::string key; ExprRef value = -1; };

struct Stmt {
  StmtKind kind = StmtKind::Exit;
  int32_t target = -1;               // currency, channel, mission, game, raffle, let-slot
  ExprRef value = -1;
  std::vector<SendField> data;
  std::vector<Stmt> body, else_body;
  int32_t event = -1;                // WaitFor
  ExprRef where = -1;
  std::vector<std::pair<int64_t, std::vector<Stmt>>> branches;   // Split: share, body
};
using Block = std::vector<Stmt>;
// How deep blocks may nest in a program: an `else if` chain nests one block
// per link, so the parser's limits (1,000 links, 200 levels of brackets) fit
// below it. The codec refuses deeper encodings and CheckIr deeper programs.
inline constexpr int kMaxBlockDepth = 2048;

enum class Period : uint8_t { Forever, Day, Week, Month };
enum class Window : uint8_t { Lifetime, Last, Today, ThisWeek, ThisMonth };
enum class AggregateFn : uint8_t {
  Count, Sum, Min, Max, Avg, First, Last, Top, DistinctDays, StreakDays, StreakWeeks,
};

struct Aggregate {
  AggregateFn fn = AggregateFn::Count;
  int32_t event = -1;
  ExprRef argument = -1;
  ValueKind argument_kind = ValueKind::Int;
  ExprRef filter = -1;
  Window window = Window::Lifetime;
  int64_t length_ms = 0;
  ValueKind result = ValueKind::Int;
};

struct Bound { int64_t amount = 0; int32_t currency = -1; Period period = Period::Forever; };

struct Metric { std::string name; bool anonymous = false; Aggregate aggregate; };
struct Segment { std::string name; bool imported = false; ExprRef condition = -1;
                 std::optional<int64_t> locked_at; bool time_dependent = false; };
struct Rule { std::string name; int32_t event = -1; ExprRef where = -1; Block body;
              std::optional<Bound> cap, limit; int32_t local_count = 0; };
struct Level { std::string name; int64_t at = 0; Block on_reach; };
struct Badge { std::string name; ExprRef when = -1; Block on_earn; };

enum class Unlock : uint8_t { None, OnEvent, AfterMission, AtLevel };
enum class Recurrence : uint8_t { None, Daily, Weekly, Monthly, OnCompletion };

struct Task {
  std::string name;
  Aggregate aggregate;
  NodeKind op = NodeKind::Ge;        // comparison of the aggregate with the threshold
  ExprRef threshold = -1;
  Block body;
};

struct Mission {
  std::string name;
  ExprRef audience = -1;
  Unlock unlock = Unlock::None;
  int32_t unlock_target = -1;
  ExprRef unlock_where = -1;
  bool opt_in = false;
  bool given = false;             // only for the players `give mission` names
  std::optional<int64_t> active_from, active_to;
  Recurrence recurring = Recurrence::None;
  std::optional<int64_t> time_limit_ms;
  bool ordered = false;
  std::vector<Task> tasks;
  Block reward;
  int64_t max_completions = 0;
};

enum class PolicyTarget : uint8_t { Rewards, Messages };
struct PolicyBlock { PolicyTarget target; ExprRef when = -1; };
struct QuietHours { int from_minute = 0, to_minute = 0; uint32_t channels = 0; };
struct Policy {
  std::string name;
  std::vector<PolicyBlock> blocks;
  std::vector<std::pair<int64_t, Period>> message_caps;
  std::vector<QuietHours> quiet_hours;
};

struct Fn { std::string name; int32_t params = 0; ExprRef body = -1; };

// Flows are lowered to a linear program with jumps: an instance's position is
// one integer, so a waiting instance is plain data the daemon can persist.
enum class FlowOpKind : uint8_t {
  Run,       // run `block` (effects, let, if without waits)
  Branch,    // if `cond` fails, jump to `target`
  Wait,      // sleep `duration`
  WaitFor,   // wait for `event` [where `cond`] strictly before now + `duration`; timeout → `target`
  Split,     // jump to `targets[i]` for the user's sticky bucket under `shares`
  Jump,      // to `target`
  Exit,      // leave the flow
  Choose,    // a bandit picks an arm: jump to `targets[arm]` (`choose by bandit`)
};

struct FlowOp {
  FlowOpKind kind = FlowOpKind::Exit;
  Block block;
  ExprRef cond = -1;
  int32_t event = -1;
  int64_t duration = 0;
  int32_t target = -1;
  // Whose fields the op's expressions read: -1 the trigger event (captured
  // at entry, so also after waits), k >= 0 the event WaitFor op k received.
  int32_t scope = -1;
  std::vector<int64_t> shares;       // Split: cumulative, scaled percent
  std::vector<int32_t> targets;
  // Choose: the reward is `event` [where `cond`] within `duration`; the
  // features, the arms' names (in `targets` order) and the policy
  // (core/bandit_policies.def) with its parameter, scaled by kDecimalScale.
  std::vector<ExprRef> context;
  std::vector<std::string> arms;
  uint8_t policy = 0;
  int64_t policy_param = 0;
};

enum class TriggerKind : uint8_t { None, Event, Enter, Exit, Schedule };

struct Flow {
  std::string name;
  TriggerKind trigger = TriggerKind::None;
  int32_t target = -1;               // event or segment
  ExprRef where = -1;
  int weekday = -1, minute = 0;      // Schedule
  ExprRef audience = -1;
  int64_t holdout = 0;               // scaled percent
  std::optional<int64_t> reenter_after_ms;
  int32_t local_count = 0;
  std::vector<FlowOp> ops;           // ends with Exit
};

struct HappyHour { int weekday = 0, from_minute = 0, to_minute = 0; int64_t multiplier = 1; };
struct Prize { int64_t first_rank = 0, last_rank = 0; Block body; };

struct Competition {
  std::string name;
  bool tournament = false;
  bool points_earned = false;        // the score is the points awarded in the window
  std::optional<Aggregate> score;
  Period period = Period::Forever;   // leaderboards: Day | Week | Month
  std::optional<int64_t> window_from, window_to;
  bool recurring_window = false;     // every day|week FROM .. TO
  bool every_week = false;
  int from_weekday = -1, to_weekday = -1, from_minute = 0, to_minute = 0;
  ExprRef audience = -1;
  bool registration = false;
  int64_t buy_in = 0;
  int32_t buy_in_currency = -1;
  std::vector<HappyHour> happy_hours;
  int64_t min_score = 0, min_players = 0, max_players = 0;
  std::vector<Prize> prizes;
};

struct Item {
  std::string name;
  int64_t price = 0;
  int32_t currency = 0;
  ExprRef audience = -1;
  std::optional<Bound> limit;
  int64_t stock = -1;                // -1: unlimited
  Block on_purchase;
};

struct GamePrize { std::string name; int64_t weight = 0; int64_t stock = -1; Block body; };
struct Minigame {
  std::string name;
  int64_t cost = 0;
  int32_t cost_currency = -1;        // -1: attempts
  ExprRef audience = -1;
  std::optional<Bound> limit;
  std::vector<GamePrize> prizes;
};

struct RafflePrize { std::string name; int64_t count = 0; int64_t max_per_user = 0; Block body; };
struct Raffle {
  std::string name;
  ExprRef audience = -1;
  int64_t draw_at = 0;
  std::vector<RafflePrize> prizes;
  int64_t max_prizes_per_user = 0;
};

// What one event type sets in motion, in processing order (LANGUAGE.md §11).
struct EventPlan {
  std::vector<int32_t> metrics;      // metrics aggregating this event
  std::vector<int32_t> rules;        // rules on this event, package order
  std::vector<int32_t> unlocks;      // missions unlocked by this event
  std::vector<int32_t> missions;     // missions with a task counting this event
};

struct Settings { std::string timezone = "UTC"; int week_starts = 0; std::string seed; };

struct Program {
  core::EventSchema schema;
  std::vector<std::string> profile_names;
  std::vector<core::Value> profile_defaults;      // strings index `strings`
  std::vector<ValueKind> profile_kinds;
  std::vector<std::string> currencies;              // [0] = points
  std::vector<std::string> minigames, raffles;      // names, for actions
  std::vector<std::string> strings;                 // string literals and defaults
  Settings settings;
  std::vector<Node> nodes;
  std::vector<ExprRef> children;
  std::vector<Fn> fns;
  std::vector<Metric> metrics;
  std::vector<Segment> segments;
  std::vector<Rule> rules;
  std::vector<Level> levels;
  std::vector<Badge> badges;
  std::vector<Mission> missions;
  std::vector<Policy> policies;
  std::vector<Item> items;
  std::vector<Minigame> games;
  std::vector<Raffle> raffle_table;
  std::vector<Flow> flows;
  std::vector<Competition> competitions;
  std::vector<EventPlan> plans;                     // by event type
  int32_t mission_opt_in = -1, profile_update = -1; // request events the engine answers
  int32_t store_purchase = -1, minigame_play = -1, tournament_register = -1;

  const Node& At(ExprRef e) const { return nodes[size_t(e)]; }
  ExprRef Child(const Node& n, uint32_t i) const { return children[n.first + i]; }
};

}  // namespace questline::ir
