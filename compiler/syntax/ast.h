// The unresolved syntax tree of one .quest file: plain data, every node with its
// source range. Produced by syntax::Parse; sema never mutates it, it builds its
// own checked package beside it. No ANTLR type appears here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/diag/source.h"

namespace questline::ast {

using diag::SourceRange;

// Fixed point with 8 fractional digits: 12.50 is 1'250'000'000. The same
// scale as core::kDecimalScale (checked in compiler/ir/lower.cpp).
inline constexpr int64_t kDecimalScale = 100'000'000;
inline constexpr int kDecimalDigits = 8;

struct Ident {
  std::string name;
  SourceRange range;
};

// ------------------------------------------------------------------ expressions

enum class ExprKind {
  Bool,        // bool_value
  Int,         // int_value
  Decimal,     // int_value, scaled by kDecimalScale
  String,      // text (escapes already decoded)
  Duration,    // int_value in milliseconds
  Percent,     // int_value: the percentage scaled by kDecimalScale (10% -> 1'000'000'000)
  TimeOfDay,   // int_value in minutes since midnight
  Instant,     // int_value in milliseconds since the Unix epoch (UTC)
  Weekday,     // int_value: 0 = mon … 6 = sun
  Name,        // text: an identifier (`deposits_30d`, `now`, `points`, `profile`)
  Member,      // operands[0].text — `bet.amount`, `profile.country`
  Call,        // text(callee) with operands as arguments — `floor(x)`, `has(m)`
  Aggregate,   // aggregate, operands[0] = argument, filter, window
  Unary,       // unary_op operands[0]
  Binary,      // binary_op operands[0] operands[1]
};

enum class UnaryOp { Neg, Not };
enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div };

enum class AggregateFn {
  Count, Sum, Min, Max, Avg, First, Last, Top, DistinctDays, StreakDays, StreakWeeks
};

enum class WindowKind { Lifetime, Last, Today, ThisWeek, ThisMonth };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Window {
  WindowKind kind = WindowKind::Lifetime;
  ExprPtr length;          // WindowKind::Last: a duration expression (`30d`)
  SourceRange range;
};

struct Expr {
  ExprKind kind = ExprKind::Int;
  SourceRange range;
  bool bool_value = false;
  int64_t int_value = 0;
  std::string text;
  std::vector<ExprPtr> operands;
  UnaryOp unary_op = UnaryOp::Neg;
  BinaryOp binary_op = BinaryOp::Add;
  // ExprKind::Aggregate: `sum(bet.amount where bet.game_type == "slots") over last 30d`
  AggregateFn aggregate = AggregateFn::Count;
  ExprPtr filter;          // the `where` condition, or null
  Window window;
  SourceRange name_range;  // range of the member name / callee / aggregate keyword
};

// ------------------------------------------------------------------ statements

enum class StmtKind {
  Award,          // target = currency, value = amount
  Deduct,         // target = currency, value = amount
  GrantBonus,     // value = bonus code
  Send,           // target = channel, value = template, data = payload
  UnlockMission,  // target = mission
  GiveMission,    // target = mission
  GiveAttempts,   // target = minigame, value = count
  GiveTickets,    // target = raffle, value = count
  Tag,            // value
  Untag,          // value
  Let,            // target = variable, value
  If,             // value = condition, body, else_body (an `else if` is one If in else_body)
  Wait,           // value = duration (flows only)
  WaitFor,        // event, where, value = within, body, else_body = timeout block
  Split,          // branches (percent + body)
  ChooseBandit,   // event = reward event, where, value = within, context, policy, branches (arm name + body)
  Exit,           // leaves the flow
};

struct Stmt;

struct SendField {
  Ident key;
  ExprPtr value;
};

struct Branch {
  Ident name;              // bandit arm name; empty for split branches
  ExprPtr share;           // split: the percentage literal; null for arms
  std::vector<Stmt> body;
  SourceRange range;
};

struct Stmt {
  StmtKind kind = StmtKind::Exit;
  SourceRange range;
  Ident target;
  ExprPtr value;
  std::vector<SendField> data;
  std::vector<Stmt> body;
  std::vector<Stmt> else_body;
  bool has_else = false;   // If: an else branch was written; WaitFor: a timeout block
  Ident event;
  ExprPtr where;
  std::vector<ExprPtr> context;
  std::vector<Branch> branches;
  Ident policy;            // ChooseBandit: epsilon_greedy, softmax, thompson, linucb (empty: the default)
  ExprPtr policy_param;    // its parameter, when written
};

using Block = std::vector<Stmt>;

// ------------------------------------------------------------------ declarations

enum class Period { Forever, Day, Week, Month };
enum class Recurrence { None, Daily, Weekly, Monthly, OnCompletion };

struct TypeRef {
  Ident name;                      // `int`, `GameType`; empty when inline union
  std::vector<std::string> members;  // inline union `"a" | "b"`
  SourceRange range;
};

struct Field {
  Ident name;
  TypeRef type;
  ExprPtr default_value;           // profile fields: `= ""`
  SourceRange range;
};

struct TypeDecl {          // type GameType = "slots" | "live_casino"
  Ident name;
  std::vector<Ident> members;      // string values, ranges on each literal
  SourceRange range;
};

struct EventDecl {         // event deposit { … } / extend event bet { … }
  Ident name;
  bool extends = false;
  std::vector<Field> fields;
  SourceRange range;
};

struct ProfileDecl {       // profile { … } (prelude) / extend profile { … }
  bool extends = false;
  std::vector<Field> fields;
  SourceRange range;
};

struct CurrencyDecl { Ident name; SourceRange range; };

struct Setting { Ident name; ExprPtr value; SourceRange range; };
struct SettingsDecl { std::vector<Setting> settings; SourceRange range; };

struct ConstDecl {
  Ident name;
  std::optional<TypeRef> type;
  ExprPtr value;
  SourceRange range;
};

struct Param { Ident name; TypeRef type; };
struct FnDecl {
  Ident name;
  std::vector<Param> params;
  TypeRef result;
  ExprPtr body;
  SourceRange range;
};

struct MetricDecl { Ident name; ExprPtr value; SourceRange range; };

struct SegmentDecl {
  Ident name;
  bool imported = false;
  ExprPtr condition;               // null when imported
  ExprPtr locked_at;               // `locked at INSTANT`, or null
  SourceRange range;
};

struct Bound {                     // `cap 5000 points per day` / `limit 1 per week`
  ExprPtr amount;
  Ident currency;                  // cap only
  Period period = Period::Forever;
  SourceRange range;
};

struct RuleDecl {
  Ident name;
  Ident event;
  ExprPtr where;
  Block body;
  std::optional<Bound> cap;
  std::optional<Bound> limit;
  SourceRange range;
};

struct LevelDecl {
  Ident name;
  ExprPtr at;
  std::optional<Block> on_reach;
  SourceRange range;
};

struct BadgeDecl {
  Ident name;
  ExprPtr when;
  std::optional<Block> on_earn;
  SourceRange range;
};

enum class UnlockKind { None, OnEvent, AfterMission, AtLevel };

struct Unlock {
  UnlockKind kind = UnlockKind::None;
  Ident target;                    // event, mission or level name
  ExprPtr where;                   // OnEvent only
  SourceRange range;
};

struct Task {
  Ident name;
  std::optional<std::string> title;
  ExprPtr goal;                    // `count(bet where …) >= 50`
  Block body;                      // statements run when the task completes
  SourceRange range;
};

struct Interval {                  // `A .. B`
  ExprPtr from, to;
  SourceRange range;
};

struct MissionDecl {
  Ident name;
  std::optional<std::string> title;
  ExprPtr audience;
  Unlock unlock;
  bool opt_in = false;
  bool given = false;                // `given`: only for the players a rule or flow gives it to
  SourceRange given_range;
  std::optional<Interval> active;
  Recurrence recurring = Recurrence::None;
  SourceRange recurring_range;
  ExprPtr time_limit;
  bool ordered = false;
  std::vector<Task> tasks;
  std::optional<Block> reward;
  SourceRange reward_range;
  ExprPtr max_completions;
  SourceRange range;
};

struct RecurringWindow {           // every week sat 00:00 .. mon 00:00
  Period every = Period::Week;     // Day or Week
  int from_weekday = -1, to_weekday = -1;  // 0 = mon; -1 when every day
  int from_minute = 0, to_minute = 0;
  SourceRange range;
};

struct HappyHour {                 // sat 10:00-16:00 x2
  int weekday = 0;
  int from_minute = 0, to_minute = 0;
  int64_t multiplier = 1;
  SourceRange range;
};

struct RankPrize {                 // 2..5: award gems 5
  int64_t first = 0, last = 0;
  Block body;
  SourceRange range;
};

enum class CompetitionKind { Leaderboard, Tournament };

struct CompetitionDecl {
  CompetitionKind kind = CompetitionKind::Leaderboard;
  Ident name;
  std::optional<std::string> title;
  bool score_points_earned = false;
  ExprPtr score;                   // an aggregate expression, when not points_earned
  SourceRange score_range;
  Recurrence period = Recurrence::None;   // leaderboards: Daily | Weekly | Monthly
  ExprPtr audience;
  std::optional<Interval> window;
  std::optional<RecurringWindow> recurring_window;
  bool registration = false;
  ExprPtr buy_in;
  Ident buy_in_currency;
  std::vector<HappyHour> happy_hours;
  ExprPtr min_score, min_players, max_players;
  std::vector<RankPrize> prizes;
  SourceRange range;
};

struct ItemDecl {
  Ident name;
  std::optional<std::string> title;
  ExprPtr price;
  Ident currency;
  ExprPtr audience;
  std::optional<Bound> limit;
  ExprPtr stock;
  std::optional<Block> on_purchase;
  SourceRange range;
};

struct GamePrize {
  Ident name;
  ExprPtr weight;
  ExprPtr stock;
  Block body;
  SourceRange range;
};

struct MinigameDecl {
  Ident name;
  std::optional<std::string> title;
  Ident kind;                      // wheel | scratch | ballanza
  ExprPtr cost;
  Ident cost_currency;             // empty name when the cost is in attempts
  ExprPtr audience;
  std::optional<Bound> limit;
  std::vector<GamePrize> prizes;
  SourceRange range;
};

struct RafflePrize {
  Ident name;
  ExprPtr count;
  ExprPtr max_per_user;
  Block body;
  SourceRange range;
};

struct RaffleDecl {
  Ident name;
  std::optional<std::string> title;
  ExprPtr audience;
  ExprPtr draw_at;
  std::vector<RafflePrize> prizes;
  ExprPtr max_prizes_per_user;
  SourceRange range;
};

enum class TriggerKind { None, Event, Enter, Exit, Schedule };

struct Trigger {
  TriggerKind kind = TriggerKind::None;
  Ident target;                    // event or segment
  ExprPtr where;                   // Event only
  int weekday = -1;                // Schedule: -1 every day, else 0 = mon
  int minute = 0;                  // Schedule: minutes since midnight
  SourceRange range;
};

struct FlowDecl {
  Ident name;
  Trigger trigger;
  ExprPtr audience;
  ExprPtr holdout;                 // a percentage
  ExprPtr reenter_after;           // a duration
  Block steps;
  SourceRange range;
};

enum class PolicyTarget { Rewards, Messages };

struct PolicyBlock { PolicyTarget target; ExprPtr when; SourceRange range; };
struct PolicyCap { ExprPtr count; Period period = Period::Forever; SourceRange range; };
struct QuietHours {
  int from_minute = 0, to_minute = 0;
  std::vector<Ident> channels;     // empty: every message channel
  SourceRange range;
};

struct PolicyDecl {
  Ident name;
  std::vector<PolicyBlock> blocks;
  std::vector<PolicyCap> message_caps;
  std::vector<QuietHours> quiet_hours;
  SourceRange range;
};

using Decl = std::variant<TypeDecl, EventDecl, ProfileDecl, CurrencyDecl, SettingsDecl,
                          ConstDecl, FnDecl, MetricDecl, SegmentDecl, RuleDecl, LevelDecl,
                          BadgeDecl, MissionDecl, CompetitionDecl, ItemDecl, MinigameDecl,
                          RaffleDecl, FlowDecl, PolicyDecl>;

// One parsed file. Declarations keep source order: package order (file path,
// then position) decides the order rules run in.
struct Module {
  diag::FileId file = diag::kNoFile;
  std::string path;
  std::vector<Decl> decls;
};

}  // namespace questline::ast
