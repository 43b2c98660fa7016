// The checked package: sema's output and the IR's input. Every name is resolved
// to an index into one of the tables below, every expression carries its type,
// every constant clause (caps, prices, weights, windows) is folded to a number.
// Unlike ast::Module this is one object for the whole package (all files + prelude).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/syntax/ast.h"

namespace questline::sema {

using diag::SourceRange;

// ------------------------------------------------------------------ types

enum class TypeKind : uint8_t {
  Error,      // already reported; suppresses follow-on errors
  Bool, Int, Decimal, String,
  Time,       // epoch milliseconds
  Duration,   // milliseconds
  Percent,    // scaled like decimal: 10% is 10'000'000
  Union,      // string union: union_id indexes Package::unions
};

struct Type {
  TypeKind kind = TypeKind::Error;
  int32_t union_id = -1;
  friend bool operator==(Type a, Type b) { return a.kind == b.kind && a.union_id == b.union_id; }
  friend bool operator!=(Type a, Type b) { return !(a == b); }
};

struct UnionType {
  std::string name;                  // declared name, or "level" for the level union
  std::vector<std::string> members;
  SourceRange range;
};

// A compile-time value. Decimal/Percent are scaled by ast::kDecimalScale.
struct Value {
  TypeKind kind = TypeKind::Error;
  bool none = false;
  int64_t i = 0;                     // Bool (0/1), Int, Decimal, Time, Duration, Percent
  std::string s;                     // String and Union
};

// ------------------------------------------------------------------ expressions

enum class ExprKind : uint8_t {
  Literal,       // value
  EventField,    // id = event, field = index into Event::fields (0 id, 1 user, 2 ts)
  ProfileField,  // field = index into Package::profile
  Metric,        // id = metric (inline aggregates are hoisted into anonymous metrics)
  Segment,       // id = segment
  Const,         // id = const; value holds the folded constant too
  Param,         // id = parameter index of the enclosing fn
  Local,         // id = let-slot of the enclosing rule/block/flow
  Balance,       // id = currency (0 = points)
  PointsEver,
  Level,         // the user's current level, a Union over level names
  Now,
  Builtin,       // builtin(operands…)
  FnCall,        // id = fn, operands = arguments
  Unary,         // op operands[0]
  Binary,        // op operands[0] operands[1]; operands already widened to one type
  Widen,         // int -> decimal, operands[0]
};

enum class Op : uint8_t {
  Neg, Not, And, Or, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div,
};

enum class Builtin : uint8_t {
  Floor, Ceil, Round,   // decimal -> int
  Abs, Min, Max,        // numeric, same type in and out
  Has,                  // presence of a none-able value -> bool
  Hour,                 // time -> int, hour of day in settings.timezone
  Weekday,              // time -> int, 0 = mon, in settings.timezone
  Lower, Upper, Contains, StartsWith,   // string helpers
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Type type;
  SourceRange range;
  Value value;
  int32_t id = -1;
  int32_t field = -1;
  Op op = Op::Add;
  Builtin builtin = Builtin::Floor;
  std::vector<Expr> operands;
};

// ------------------------------------------------------------------ aggregates

struct Window {
  ast::WindowKind kind = ast::WindowKind::Lifetime;
  int64_t length_ms = 0;             // WindowKind::Last
};

// `sum(bet.amount where bet.game_type == "slots") over last 30d`. Used for named
// and anonymous metrics, task goals (counted per mission instance) and competition
// scores (counted per competition window): the table that holds it decides its scope.
struct Aggregate {
  ast::AggregateFn fn = ast::AggregateFn::Count;
  int32_t event = -1;
  std::optional<Expr> argument;      // over the event variable; none for count/distinct_days/streaks
  std::optional<Expr> filter;        // the `where`, over the event variable
  Window window;
  Type result;                       // none-able for min max avg first last top
  SourceRange range;
};

// ------------------------------------------------------------------ statements

enum class Channel : uint8_t { Inbox, Popup, Push, Email, Sms, Webhook };

struct Stmt;

struct SendField {
  std::string key;
  Expr value;
};

struct Branch {
  std::string name;                  // bandit arm; empty for split branches
  int64_t share = 0;                 // split: percent scaled by kDecimalScale
  std::vector<Stmt> body;
  SourceRange range;
};

struct Stmt {
  ast::StmtKind kind = ast::StmtKind::Exit;
  SourceRange range;
  int32_t target = -1;               // currency, channel (as int), mission, minigame, raffle, let-slot
  std::optional<Expr> value;
  std::vector<SendField> data;
  std::vector<Stmt> body;
  std::vector<Stmt> else_body;
  bool has_else = false;
  int32_t event = -1;                // WaitFor, ChooseBandit (reward event)
  std::optional<Expr> where;
  std::vector<Expr> context;
  std::vector<Branch> branches;
  int32_t policy = 0;                // ChooseBandit: BanditPolicy (core/bandit_policies.def)
  int64_t policy_param = 0;          // its parameter, scaled by kDecimalScale
};

using Block = std::vector<Stmt>;

// ------------------------------------------------------------------ schema

struct Field {
  std::string name;
  Type type;
  Value default_value;
  SourceRange range;
};

struct Event {
  std::string name;
  std::vector<Field> fields;         // 0 id, 1 user, 2 ts, then declared and extended fields
  bool request = false;              // profile_update, mission_opt_in, store_purchase, …
  SourceRange range;
};

struct Currency {
  std::string name;                  // currencies[0] is the built-in `points`
  SourceRange range;
};

struct Settings {
  std::string timezone = "UTC";
  int week_starts = 0;               // 0 = mon
  std::string seed;
};

struct Const { std::string name; Type type; Value value; SourceRange range; };

struct Fn {
  std::string name;
  std::vector<Field> params;
  Type result;
  Expr body;
  SourceRange range;
};

// ------------------------------------------------------------------ behaviour

struct Metric {
  std::string name;                  // anonymous metrics are named "$<n>"
  bool anonymous = false;
  Aggregate aggregate;
  SourceRange range;
};

struct Segment {
  std::string name;
  bool imported = false;
  std::optional<Expr> condition;
  std::optional<int64_t> locked_at;  // epoch ms
  bool time_dependent = false;       // reads `now` or a windowed metric
  SourceRange range;
};

struct Bound {
  int64_t amount = 0;
  int32_t currency = -1;             // caps only
  ast::Period period = ast::Period::Forever;
};

struct Rule {
  std::string name;
  int32_t event = -1;
  std::optional<Expr> where;
  Block body;
  std::optional<Bound> cap;
  std::optional<Bound> limit;
  int32_t local_count = 0;           // let-slots used by where + body
  SourceRange range;
};

struct Level {
  std::string name;
  int64_t at = 0;                    // threshold on points_ever
  Block on_reach;
  SourceRange range;
};

struct Badge {
  std::string name;
  Expr when;
  Block on_earn;
  SourceRange range;
};

struct Task {
  std::string name;
  std::string title;
  Aggregate aggregate;               // counted over events strictly after the instance started
  Op op = Op::Ge;
  Expr threshold;
  Block body;
  SourceRange range;
};

struct Mission {
  std::string name;
  std::string title;
  std::optional<Expr> audience;
  ast::UnlockKind unlock = ast::UnlockKind::None;
  int32_t unlock_target = -1;        // event, mission or level id
  std::optional<Expr> unlock_where;
  bool opt_in = false;
  bool given = false;                // hidden from everyone it was not given to
  std::optional<int64_t> active_from, active_to;   // epoch ms
  ast::Recurrence recurring = ast::Recurrence::None;
  std::optional<int64_t> time_limit_ms;
  bool ordered = false;
  std::vector<Task> tasks;
  Block reward;
  int64_t max_completions = 0;       // 0: no bound (1 for non-recurring missions)
  SourceRange range;
};

struct Prize {
  int64_t first_rank = 0, last_rank = 0;
  Block body;
  SourceRange range;
};

struct Competition {
  ast::CompetitionKind kind = ast::CompetitionKind::Leaderboard;
  std::string name;
  std::string title;
  bool points_earned = false;
  std::optional<Aggregate> score;
  ast::Recurrence period = ast::Recurrence::None;
  std::optional<Expr> audience;
  std::optional<int64_t> window_from, window_to;   // fixed window, epoch ms
  std::optional<ast::RecurringWindow> recurring_window;
  bool registration = false;
  int64_t buy_in = 0;
  int32_t buy_in_currency = -1;
  std::vector<ast::HappyHour> happy_hours;
  int64_t min_score = 0, min_players = 0, max_players = 0;   // 0: no bound
  std::vector<Prize> prizes;
  SourceRange range;
};

struct Item {
  std::string name;
  std::string title;
  int64_t price = 0;
  int32_t currency = 0;
  std::optional<Expr> audience;
  std::optional<Bound> limit;
  int64_t stock = -1;                // -1: unlimited
  Block on_purchase;
  SourceRange range;
};

struct GamePrize {
  std::string name;
  int64_t weight = 0;
  int64_t stock = -1;
  Block body;
  SourceRange range;
};

struct Minigame {
  std::string name;
  std::string title;
  std::string kind;                  // wheel | scratch | ballanza
  int64_t cost = 0;
  int32_t cost_currency = -1;        // -1: the cost is in attempts
  std::optional<Expr> audience;
  std::optional<Bound> limit;
  std::vector<GamePrize> prizes;
  SourceRange range;
};

struct RafflePrize {
  std::string name;
  int64_t count = 0;
  int64_t max_per_user = 0;          // 0: no bound
  Block body;
  SourceRange range;
};

struct Raffle {
  std::string name;
  std::string title;
  std::optional<Expr> audience;
  int64_t draw_at = 0;
  std::vector<RafflePrize> prizes;
  int64_t max_prizes_per_user = 0;   // 0: no bound
  SourceRange range;
};

struct Trigger {
  ast::TriggerKind kind = ast::TriggerKind::None;
  int32_t target = -1;               // event or segment id
  std::optional<Expr> where;
  int weekday = -1;                  // Schedule: -1 every day, else 0 = mon
  int minute = 0;
};

struct Flow {
  std::string name;
  Trigger trigger;
  std::optional<Expr> audience;
  int64_t holdout = 0;               // percent scaled by kDecimalScale; 0 = none
  std::optional<int64_t> reenter_after_ms;
  Block steps;
  int32_t local_count = 0;
  SourceRange range;
};

struct PolicyBlock { ast::PolicyTarget target; Expr when; SourceRange range; };
struct PolicyCap { int64_t count = 0; ast::Period period = ast::Period::Forever; SourceRange range; };
struct QuietHours {
  int from_minute = 0, to_minute = 0;
  uint32_t channels = 0;             // bit (1 << Channel); 0 = every channel
  SourceRange range;
};

struct Policy {
  std::string name;
  std::vector<PolicyBlock> blocks;
  std::vector<PolicyCap> message_caps;
  std::vector<QuietHours> quiet_hours;
  SourceRange range;
};

// ------------------------------------------------------------------ package

enum class SymbolKind : uint8_t {
  Type, Event, Currency, Const, Fn, Metric, Segment, Rule, Level, Badge, Mission,
  Competition, Item, Minigame, Raffle, Flow, Policy,
};

struct Symbol {
  SymbolKind kind;
  int32_t id;
};

struct Package {
  std::vector<UnionType> unions;
  int32_t level_union = -1;          // the union of level names (type of `level`)
  std::vector<Event> events;
  std::vector<Field> profile;
  std::vector<Currency> currencies;
  Settings settings;
  std::vector<Const> consts;
  std::vector<Fn> fns;
  std::vector<Metric> metrics;
  std::vector<Segment> segments;
  std::vector<Rule> rules;           // package order: file path, then position
  std::vector<Level> levels;         // by increasing threshold
  std::vector<Badge> badges;
  std::vector<Mission> missions;
  std::vector<Competition> competitions;
  std::vector<Item> items;
  std::vector<Minigame> minigames;
  std::vector<Raffle> raffles;
  std::vector<Flow> flows;
  std::vector<Policy> policies;
  std::unordered_map<std::string, Symbol> symbols;   // the package's one namespace
  // Clause values that could not be folded (already reported): the semantic
  // checks skip them rather than echo the error as "must be positive".
  std::vector<SourceRange> unfolded;

  const Symbol* Find(const std::string& name) const {
    auto it = symbols.find(name);
    return it == symbols.end() ? nullptr : &it->second;
  }
  int32_t EventId(const std::string& name) const {
    const Symbol* s = Find(name);
    return s && s->kind == SymbolKind::Event ? s->id : -1;
  }
};

// A type as messages and tools spell it: `decimal`, `GameType`, `level`.
std::string TypeName(const Package& package, Type t);

}  // namespace questline::sema
