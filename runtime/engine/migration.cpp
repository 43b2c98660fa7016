// The reload's name maps and the structural comparisons behind them
// (migration.h). A comparison that meets something it cannot follow (too
// deep, an unknown reference) answers "changed": keeping state that means
// something else would pay the wrong players; starting afresh only forgets.
#include "runtime/engine/migration.h"

#include <functional>
#include <string>
#include <unordered_map>

namespace questline::engine {
namespace {

// Expressions and blocks are trees the checker bounds (ir::kMaxBlockDepth);
// this bound keeps a forged program from taking the stack.
constexpr int kMaxDepth = 4096;

// By name: old -> new where a declaration of the same name is `same`.
template <class T, class Name, class Same>
IndexMap ByName(const std::vector<T>& from, const std::vector<T>& to, Name name, Same same) {
  IndexMap map;
  map.to_new.assign(from.size(), -1);
  map.to_old.assign(to.size(), -1);
  std::unordered_map<std::string, int32_t> by_name;
  for (size_t i = 0; i < to.size(); ++i) by_name.emplace(name(to[i]), int32_t(i));
  for (size_t i = 0; i < from.size(); ++i) {
    const auto it = by_name.find(name(from[i]));
    if (it == by_name.end() || map.to_old[size_t(it->second)] >= 0) continue;
    if (!same(from[i], to[size_t(it->second)])) continue;
    map.to_new[i] = it->second;
    map.to_old[size_t(it->second)] = int32_t(i);
  }
  return map;
}

template <class T>
const std::string& NameOf(const T& t) { return t.name; }

bool SameType(const core::EventType& a, const core::EventType& b) {
  if (a.name != b.name || a.fields.size() != b.fields.size() || a.request != b.request) return false;
  for (size_t f = 0; f < a.fields.size(); ++f)
    if (a.fields[f].name != b.fields[f].name || a.fields[f].kind != b.fields[f].kind) return false;
  return true;
}

bool SameBound(const Migration& mg, const std::optional<ir::Bound>& a, const std::optional<ir::Bound>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->amount == b->amount && a->period == b->period &&
         (a->currency < 0 ? b->currency < 0 : mg.currencies.New(a->currency) == b->currency);
}

bool SameExprAt(const Migration& mg, ir::ExprRef a, ir::ExprRef b, int32_t oe, int32_t ne, int depth);

bool SameField(const Migration& mg, int32_t a, int32_t b, int32_t oe, int32_t ne) {
  if (oe < 0 || ne < 0) return mg.same_schema && a == b;
  const auto& fa = mg.from.schema.types[size_t(oe)].fields;
  const auto& fb = mg.to.schema.types[size_t(ne)].fields;
  if (a < 0 || b < 0 || size_t(a) >= fa.size() || size_t(b) >= fb.size()) return false;
  return fa[size_t(a)].name == fb[size_t(b)].name && fa[size_t(a)].kind == fb[size_t(b)].kind;
}

bool SameNode(const Migration& mg, const ir::Node& x, const ir::Node& y, int32_t oe, int32_t ne, int depth) {
  using K = ir::NodeKind;
  if (x.kind != y.kind || x.type != y.type || x.none != y.none || x.count != y.count) return false;
  switch (x.kind) {
    case K::Const:
      if (x.type == core::ValueKind::String && !x.none)
        return x.imm >= 0 && y.imm >= 0 && size_t(x.imm) < mg.from.strings.size() &&
               size_t(y.imm) < mg.to.strings.size() && mg.from.strings[size_t(x.imm)] == mg.to.strings[size_t(y.imm)];
      return x.imm == y.imm;
    case K::EventField: return SameField(mg, x.a, y.a, oe, ne);
    case K::ProfileField: return mg.profile.New(x.a) == y.a;
    case K::Metric: return mg.metrics.New(x.a) == y.a;
    case K::Segment:
      // By name: membership is re-evaluated at the player's next step.
      return x.a >= 0 && y.a >= 0 && size_t(x.a) < mg.from.segments.size() && size_t(y.a) < mg.to.segments.size() &&
             mg.from.segments[size_t(x.a)].name == mg.to.segments[size_t(y.a)].name;
    case K::Balance: return mg.currencies.New(x.a) == y.a;
    case K::Call: {
      if (x.a < 0 || y.a < 0 || size_t(x.a) >= mg.from.fns.size() || size_t(y.a) >= mg.to.fns.size()) return false;
      const ir::Fn& f = mg.from.fns[size_t(x.a)];
      const ir::Fn& g = mg.to.fns[size_t(y.a)];
      if (f.name != g.name || f.params != g.params || !SameExprAt(mg, f.body, g.body, -1, -1, depth + 1)) return false;
      break;
    }
    default:
      if (x.a != y.a || x.imm != y.imm) return false;   // Param, Local, Builtin; the rest carry neither
  }
  for (uint32_t i = 0; i < x.count; ++i)
    if (!SameExprAt(mg, mg.from.Child(x, i), mg.to.Child(y, i), oe, ne, depth + 1)) return false;
  return true;
}

bool SameExprAt(const Migration& mg, ir::ExprRef a, ir::ExprRef b, int32_t oe, int32_t ne, int depth) {
  if (a < 0 || b < 0) return a < 0 && b < 0;
  if (depth > kMaxDepth || size_t(a) >= mg.from.nodes.size() || size_t(b) >= mg.to.nodes.size()) return false;
  return SameNode(mg, mg.from.At(a), mg.to.At(b), oe, ne, depth);
}

// A statement's target by its kind: a currency, mission, game or raffle by
// name; a channel or let-slot by number.
bool SameTarget(const Migration& mg, const ir::Stmt& x, const ir::Stmt& y) {
  using S = ir::StmtKind;
  auto named = [&](const auto& from, const auto& to) {
    return x.target >= 0 && y.target >= 0 && size_t(x.target) < from.size() && size_t(y.target) < to.size() &&
           from[size_t(x.target)].name == to[size_t(y.target)].name;
  };
  switch (x.kind) {
    case S::Award: case S::Deduct: case S::GrantBonus:
      return x.target < 0 ? y.target < 0 : mg.currencies.New(x.target) == y.target;
    case S::UnlockMission: case S::GiveMission: return named(mg.from.missions, mg.to.missions);
    case S::GiveAttempts: return named(mg.from.games, mg.to.games);
    case S::GiveTickets: return named(mg.from.raffle_table, mg.to.raffle_table);
    default: return x.target == y.target;
  }
}

bool SameBlockAt(const Migration& mg, const ir::Block& a, const ir::Block& b, int32_t oe, int32_t ne, int depth);

bool SameStmt(const Migration& mg, const ir::Stmt& x, const ir::Stmt& y, int32_t oe, int32_t ne, int depth) {
  if (x.kind != y.kind || !SameTarget(mg, x, y) || x.data.size() != y.data.size() ||
      x.branches.size() != y.branches.size() || mg.events.New(x.event) != y.event ||
      !SameExprAt(mg, x.value, y.value, oe, ne, depth + 1))
    return false;
  // A `wait for`'s condition reads the event it waits for.
  if (!SameExprAt(mg, x.where, y.where, x.event >= 0 ? x.event : oe, y.event >= 0 ? y.event : ne, depth + 1))
    return false;
  for (size_t i = 0; i < x.data.size(); ++i)
    if (x.data[i].key != y.data[i].key || !SameExprAt(mg, x.data[i].value, y.data[i].value, oe, ne, depth + 1))
      return false;
  for (size_t i = 0; i < x.branches.size(); ++i)
    if (x.branches[i].first != y.branches[i].first ||
        !SameBlockAt(mg, x.branches[i].second, y.branches[i].second, oe, ne, depth + 1))
      return false;
  return SameBlockAt(mg, x.body, y.body, oe, ne, depth + 1) && SameBlockAt(mg, x.else_body, y.else_body, oe, ne, depth + 1);
}

bool SameBlockAt(const Migration& mg, const ir::Block& a, const ir::Block& b, int32_t oe, int32_t ne, int depth) {
  if (a.size() != b.size() || depth > kMaxDepth) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!SameStmt(mg, a[i], b[i], oe, ne, depth)) return false;
  return true;
}

// A running flow keeps its place (an op index) and what it holds (locals,
// received events by field index) only in the very same flow over the very
// same events.
bool SameFlow(const Migration& mg, const ir::Flow& a, const ir::Flow& b) {
  if (!mg.same_schema || a.trigger != b.trigger || a.weekday != b.weekday || a.minute != b.minute ||
      a.holdout != b.holdout || a.reenter_after_ms != b.reenter_after_ms || a.local_count != b.local_count ||
      a.ops.size() != b.ops.size() || !SameExprAt(mg, a.where, b.where, -1, -1, 0) ||
      !SameExprAt(mg, a.audience, b.audience, -1, -1, 0))
    return false;
  if (a.trigger == ir::TriggerKind::Event ? a.target != b.target
      : (a.trigger == ir::TriggerKind::Enter || a.trigger == ir::TriggerKind::Exit) ? mg.segments.New(a.target) != b.target
      : false)
    return false;
  for (size_t i = 0; i < a.ops.size(); ++i) {
    const ir::FlowOp& x = a.ops[i];
    const ir::FlowOp& y = b.ops[i];
    if (x.kind != y.kind || x.event != y.event || x.duration != y.duration || x.target != y.target ||
        x.scope != y.scope || x.shares != y.shares || x.targets != y.targets || x.arms != y.arms ||
        x.policy != y.policy || x.policy_param != y.policy_param || x.context.size() != y.context.size() ||
        !SameExprAt(mg, x.cond, y.cond, -1, -1, 0) || !SameBlockAt(mg, x.block, y.block, -1, -1, 0))
      return false;
    for (size_t c = 0; c < x.context.size(); ++c)
      if (!SameExprAt(mg, x.context[c], y.context[c], -1, -1, 0)) return false;
  }
  return true;
}

bool SameCompetition(const Migration& mg, const ir::Competition& a, const ir::Competition& b) {
  if (a.tournament != b.tournament || a.points_earned != b.points_earned || a.score.has_value() != b.score.has_value() ||
      a.period != b.period || a.window_from != b.window_from || a.window_to != b.window_to ||
      a.recurring_window != b.recurring_window || a.every_week != b.every_week || a.from_weekday != b.from_weekday ||
      a.to_weekday != b.to_weekday || a.from_minute != b.from_minute || a.to_minute != b.to_minute ||
      a.registration != b.registration || a.min_players != b.min_players)
    return false;
  return !a.score || SameAggregate(mg, *a.score, *b.score);
}

}  // namespace

bool SameExpr(const Migration& mg, ir::ExprRef a, ir::ExprRef b, int32_t old_event, int32_t new_event) {
  return SameExprAt(mg, a, b, old_event, new_event, 0);
}

bool SameBlock(const Migration& mg, const ir::Block& a, const ir::Block& b, int32_t old_event, int32_t new_event) {
  return SameBlockAt(mg, a, b, old_event, new_event, 0);
}

bool SameAggregate(const Migration& mg, const ir::Aggregate& a, const ir::Aggregate& b) {
  return a.fn == b.fn && mg.events.New(a.event) == b.event && a.argument_kind == b.argument_kind &&
         a.window == b.window && a.length_ms == b.length_ms && a.result == b.result &&
         SameExpr(mg, a.argument, b.argument, a.event, b.event) && SameExpr(mg, a.filter, b.filter, a.event, b.event);
}

Migration PlanMigration(const Kernel& old, const ir::Program& from, const ir::Program& to) {
  Migration mg{from, to, old};
  const auto any = [](const auto&, const auto&) { return true; };
  const auto& ta = from.schema.types;
  const auto& tb = to.schema.types;
  mg.same_schema = ta.size() == tb.size();
  for (size_t i = 0; mg.same_schema && i < ta.size(); ++i) mg.same_schema = SameType(ta[i], tb[i]);
  mg.events = ByName(ta, tb, NameOf<core::EventType>, any);
  const auto self = [](const std::string& s) -> const std::string& { return s; };
  mg.currencies = ByName(from.currencies, to.currencies, self, any);
  // Profile fields by name and kind (a value of another kind would be misread).
  std::vector<std::pair<std::string, core::ValueKind>> pa, pb;
  for (size_t i = 0; i < from.profile_names.size(); ++i) pa.emplace_back(from.profile_names[i], from.profile_kinds[i]);
  for (size_t i = 0; i < to.profile_names.size(); ++i) pb.emplace_back(to.profile_names[i], to.profile_kinds[i]);
  mg.profile = ByName(pa, pb, [](const auto& p) -> const std::string& { return p.first; },
                      [](const auto& x, const auto& y) { return x.second == y.second; });
  mg.segments = ByName(from.segments, to.segments, NameOf<ir::Segment>,
                       [](const ir::Segment& x, const ir::Segment& y) { return x.imported == y.imported; });
  // Metrics read metrics: keep narrowing by name until every kept one's
  // aggregate is the same under the kept ones.
  mg.metrics = ByName(from.metrics, to.metrics, NameOf<ir::Metric>, any);
  for (bool narrowed = true; narrowed;) {
    narrowed = false;
    for (size_t i = 0; i < from.metrics.size(); ++i) {
      const int32_t n = mg.metrics.to_new[i];
      if (n < 0 || SameAggregate(mg, from.metrics[i].aggregate, to.metrics[size_t(n)].aggregate)) continue;
      mg.metrics.to_old[size_t(n)] = -1;
      mg.metrics.to_new[i] = -1;
      narrowed = true;
    }
  }
  mg.same_segments = from.segments.size() == to.segments.size();
  for (size_t i = 0; mg.same_segments && i < from.segments.size(); ++i) {
    const ir::Segment& x = from.segments[i];
    const ir::Segment& y = to.segments[i];
    mg.same_segments = x.name == y.name && x.imported == y.imported && x.locked_at == y.locked_at &&
                       x.time_dependent == y.time_dependent && SameExpr(mg, x.condition, y.condition, -1, -1);
  }
  mg.rules = ByName(from.rules, to.rules, NameOf<ir::Rule>, [&](const ir::Rule& x, const ir::Rule& y) {
    return SameBound(mg, x.cap, y.cap) && SameBound(mg, x.limit, y.limit);
  });
  mg.levels = ByName(from.levels, to.levels, NameOf<ir::Level>, any);
  mg.badges = ByName(from.badges, to.badges, NameOf<ir::Badge>, any);
  mg.missions = ByName(from.missions, to.missions, NameOf<ir::Mission>, [](const ir::Mission& x, const ir::Mission& y) {
    return x.recurring == y.recurring && x.ordered == y.ordered;
  });
  mg.policies = ByName(from.policies, to.policies, NameOf<ir::Policy>, [](const ir::Policy& x, const ir::Policy& y) {
    return x.message_caps == y.message_caps;
  });
  mg.items = ByName(from.items, to.items, NameOf<ir::Item>, any);
  mg.games = ByName(from.games, to.games, NameOf<ir::Minigame>, any);
  mg.raffles = ByName(from.raffle_table, to.raffle_table, NameOf<ir::Raffle>, any);
  mg.flows = ByName(from.flows, to.flows, NameOf<ir::Flow>, [&](const ir::Flow& x, const ir::Flow& y) { return SameFlow(mg, x, y); });
  mg.competitions = ByName(from.competitions, to.competitions, NameOf<ir::Competition>,
                           [&](const ir::Competition& x, const ir::Competition& y) { return SameCompetition(mg, x, y); });
  return mg;
}

}  // namespace questline::engine
