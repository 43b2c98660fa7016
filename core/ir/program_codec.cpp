// One description per struct, `Describe(io, s)`, serves both directions: the
// writer and the reader visit the same fields in the same order, so they
// cannot drift apart. Nesting (blocks inside blocks) is bounded on read.
#include "core/ir/program_codec.h"

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/byte_io.h"

namespace questline::ir {
namespace {

// A new field in an IR struct (almost always) changes its size: encode the
// field below, then update the size here. (Sizes: x86-64 Linux, the one ABI we build on.)
static_assert(sizeof(ir::Program) == 680, "ir::Program changed: update program_codec.cpp");
static_assert(sizeof(ir::Node) == 24, "ir::Node changed: update program_codec.cpp");
static_assert(sizeof(ir::Stmt) == 120, "ir::Stmt changed: update program_codec.cpp");
static_assert(sizeof(ir::Aggregate) == 40, "ir::Aggregate changed: update program_codec.cpp");
static_assert(sizeof(ir::Rule) == 120, "ir::Rule changed: update program_codec.cpp");
static_assert(sizeof(ir::Mission) == 176, "ir::Mission changed: update program_codec.cpp");
static_assert(sizeof(ir::Task) == 104, "ir::Task changed: update program_codec.cpp");
static_assert(sizeof(ir::Competition) == 248, "ir::Competition changed: update program_codec.cpp");
static_assert(sizeof(ir::Flow) == 112, "ir::Flow changed: update program_codec.cpp");
static_assert(sizeof(ir::FlowOp) == 168, "ir::FlowOp changed: update program_codec.cpp");
static_assert(sizeof(ir::Item) == 104, "ir::Item changed: update program_codec.cpp");
static_assert(sizeof(ir::Minigame) == 96, "ir::Minigame changed: update program_codec.cpp");
static_assert(sizeof(ir::Raffle) == 80, "ir::Raffle changed: update program_codec.cpp");
static_assert(sizeof(ir::Policy) == 104, "ir::Policy changed: update program_codec.cpp");
static_assert(sizeof(ir::Segment) == 64, "ir::Segment changed: update program_codec.cpp");
static_assert(sizeof(core::FieldSchema) == 88, "core::FieldSchema changed: update program_codec.cpp");
static_assert(sizeof(ir::Level) == 64, "ir::Level changed: update program_codec.cpp");
static_assert(sizeof(ir::Badge) == 64, "ir::Badge changed: update program_codec.cpp");
static_assert(sizeof(ir::Metric) == 80, "ir::Metric changed: update program_codec.cpp");
static_assert(sizeof(ir::Fn) == 40, "ir::Fn changed: update program_codec.cpp");
static_assert(sizeof(ir::Bound) == 16, "ir::Bound changed: update program_codec.cpp");
static_assert(sizeof(ir::SendField) == 40, "ir::SendField changed: update program_codec.cpp");
static_assert(sizeof(ir::PolicyBlock) == 8, "ir::PolicyBlock changed: update program_codec.cpp");
static_assert(sizeof(ir::QuietHours) == 12, "ir::QuietHours changed: update program_codec.cpp");
static_assert(sizeof(ir::HappyHour) == 24, "ir::HappyHour changed: update program_codec.cpp");
static_assert(sizeof(ir::Prize) == 40, "ir::Prize changed: update program_codec.cpp");
static_assert(sizeof(ir::GamePrize) == 72, "ir::GamePrize changed: update program_codec.cpp");
static_assert(sizeof(ir::RafflePrize) == 72, "ir::RafflePrize changed: update program_codec.cpp");
static_assert(sizeof(ir::EventPlan) == 96, "ir::EventPlan changed: update program_codec.cpp");
static_assert(sizeof(ir::Settings) == 72, "ir::Settings changed: update program_codec.cpp");
static_assert(sizeof(core::EventType) == 64, "core::EventType changed: update program_codec.cpp");
static_assert(sizeof(core::EventSchema) == 32, "core::EventSchema changed: update program_codec.cpp");
static_assert(sizeof(core::Value) == 16, "core::Value changed: update program_codec.cpp");


template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsPair : std::false_type {};
template <class A, class B> struct IsPair<std::pair<A, B>> : std::true_type {};

// Declared before the visitors so their templates find every overload.
template <class Io> void Describe(Io& io, core::Value& v);
template <class Io> void Describe(Io& io, core::FieldSchema& f);
template <class Io> void Describe(Io& io, core::EventType& t);
template <class Io> void Describe(Io& io, ir::Settings& s);
template <class Io> void Describe(Io& io, ir::Node& n);
template <class Io> void Describe(Io& io, ir::SendField& f);
template <class Io> void Describe(Io& io, ir::Stmt& s);
template <class Io> void Describe(Io& io, ir::Aggregate& a);
template <class Io> void Describe(Io& io, ir::Bound& b);
template <class Io> void Describe(Io& io, ir::Metric& m);
template <class Io> void Describe(Io& io, ir::Segment& s);
template <class Io> void Describe(Io& io, ir::Rule& r);
template <class Io> void Describe(Io& io, ir::Level& l);
template <class Io> void Describe(Io& io, ir::Badge& b);
template <class Io> void Describe(Io& io, ir::Task& t);
template <class Io> void Describe(Io& io, ir::Mission& m);
template <class Io> void Describe(Io& io, ir::PolicyBlock& b);
template <class Io> void Describe(Io& io, ir::QuietHours& q);
template <class Io> void Describe(Io& io, ir::Policy& p);
template <class Io> void Describe(Io& io, ir::Fn& f);
template <class Io> void Describe(Io& io, ir::FlowOp& op);
template <class Io> void Describe(Io& io, ir::Flow& f);
template <class Io> void Describe(Io& io, ir::HappyHour& h);
template <class Io> void Describe(Io& io, ir::Prize& p);
template <class Io> void Describe(Io& io, ir::Competition& c);
template <class Io> void Describe(Io& io, ir::Item& i);
template <class Io> void Describe(Io& io, ir::GamePrize& p);
template <class Io> void Describe(Io& io, ir::Minigame& g);
template <class Io> void Describe(Io& io, ir::RafflePrize& p);
template <class Io> void Describe(Io& io, ir::Raffle& r);
template <class Io> void Describe(Io& io, ir::EventPlan& p);
template <class Io> void Describe(Io& io, ir::Program& p);

class Writer {
 public:
  template <class... T> void operator()(const T&... values) { (Put(values), ...); }
  std::string Take() { return out_.Take(); }

 private:
  template <class T> void Put(const T& v) {
    if constexpr (std::is_same_v<T, bool>) out_.Unsigned(v ? 1 : 0);
    else if constexpr (std::is_enum_v<T>) out_.Signed(int64_t(v));
    else if constexpr (std::is_integral_v<T>) out_.Signed(int64_t(v));
    else if constexpr (std::is_same_v<T, std::string>) out_.Bytes(v);
    else if constexpr (IsVector<T>::value) {
      out_.Unsigned(v.size());
      for (const auto& x : v) Put(x);
    } else if constexpr (IsOptional<T>::value) {
      out_.Unsigned(v.has_value());
      if (v) Put(*v);
    } else if constexpr (IsPair<T>::value) {
      Put(v.first);
      Put(v.second);
    } else {
      Describe(*this, const_cast<T&>(v));   // the visitor only reads through it
    }
  }
  core::ByteWriter out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class... T> void operator()(T&... values) { (Get(values), ...); }
  bool ok() const { return in_.ok(); }
  bool AtEnd() const { return in_.AtEnd(); }

 private:
  template <class T> void Get(T& v) {
    if constexpr (std::is_same_v<T, bool>) v = in_.Unsigned() != 0;
    else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
      int64_t x = in_.Signed();
      v = static_cast<T>(x);
      if (int64_t(v) != x) in_.Fail();   // out of the field's range: corrupt
    } else if constexpr (std::is_same_v<T, std::string>) v = in_.Bytes();
    else if constexpr (IsVector<T>::value) {
      if constexpr (std::is_same_v<T, ir::Block>)
        if (++depth_ > ir::kMaxBlockDepth) in_.Fail();
      v.clear();
      v.resize(size_t(in_.Count()));
      for (auto& x : v) Get(x);
      if constexpr (std::is_same_v<T, ir::Block>) --depth_;
    } else if constexpr (IsOptional<T>::value) {
      v.reset();
      if (in_.Unsigned()) Get(v.emplace());
    } else if constexpr (IsPair<T>::value) {
      Get(v.first);
      Get(v.second);
    } else {
      Describe(*this, v);
    }
  }
  core::ByteReader in_;
  int depth_ = 0;
};

template <class Io> void Describe(Io& io, core::Value& v) { io(v.i, v.kind, v.none); }
template <class Io> void Describe(Io& io, core::FieldSchema& f) { io(f.name, f.kind, f.union_members, f.default_value, f.optional); }
template <class Io> void Describe(Io& io, core::EventType& t) { io(t.name, t.fields, t.request); }
template <class Io> void Describe(Io& io, ir::Settings& s) { io(s.timezone, s.week_starts, s.seed); }
template <class Io> void Describe(Io& io, ir::Node& n) { io(n.kind, n.type, n.none, n.a, n.imm, n.first, n.count); }
template <class Io> void Describe(Io& io, ir::SendField& f) { io(f.key, f.value); }
template <class Io> void Describe(Io& io, ir::Stmt& s) {
  io(s.kind, s.target, s.value, s.data, s.body, s.else_body, s.event, s.where, s.branches);
}
template <class Io> void Describe(Io& io, ir::Aggregate& a) {
  io(a.fn, a.event, a.argument, a.argument_kind, a.filter, a.window, a.length_ms, a.result);
}
template <class Io> void Describe(Io& io, ir::Bound& b) { io(b.amount, b.currency, b.period); }
template <class Io> void Describe(Io& io, ir::Metric& m) { io(m.name, m.anonymous, m.aggregate); }
template <class Io> void Describe(Io& io, ir::Segment& s) {
  io(s.name, s.imported, s.condition, s.locked_at, s.time_dependent);
}
template <class Io> void Describe(Io& io, ir::Rule& r) {
  io(r.name, r.event, r.where, r.body, r.cap, r.limit, r.local_count);
}
template <class Io> void Describe(Io& io, ir::Level& l) { io(l.name, l.at, l.on_reach); }
template <class Io> void Describe(Io& io, ir::Badge& b) { io(b.name, b.when, b.on_earn); }
template <class Io> void Describe(Io& io, ir::Task& t) { io(t.name, t.aggregate, t.op, t.threshold, t.body); }
template <class Io> void Describe(Io& io, ir::Mission& m) {
  io(m.name, m.audience, m.unlock, m.unlock_target, m.unlock_where, m.opt_in, m.given, m.active_from, m.active_to,
     m.recurring, m.time_limit_ms, m.ordered, m.tasks, m.reward, m.max_completions);
}
template <class Io> void Describe(Io& io, ir::PolicyBlock& b) { io(b.target, b.when); }
template <class Io> void Describe(Io& io, ir::QuietHours& q) { io(q.from_minute, q.to_minute, q.channels); }
template <class Io> void Describe(Io& io, ir::Policy& p) { io(p.name, p.blocks, p.message_caps, p.quiet_hours); }
template <class Io> void Describe(Io& io, ir::Fn& f) { io(f.name, f.params, f.body); }
template <class Io> void Describe(Io& io, ir::FlowOp& op) {
  io(op.kind, op.block, op.cond, op.event, op.duration, op.target, op.scope, op.shares, op.targets, op.context, op.arms,
     op.policy, op.policy_param);
}
template <class Io> void Describe(Io& io, ir::Flow& f) {
  io(f.name, f.trigger, f.target, f.where, f.weekday, f.minute, f.audience, f.holdout, f.reenter_after_ms,
     f.local_count, f.ops);
}
template <class Io> void Describe(Io& io, ir::HappyHour& h) { io(h.weekday, h.from_minute, h.to_minute, h.multiplier); }
template <class Io> void Describe(Io& io, ir::Prize& p) { io(p.first_rank, p.last_rank, p.body); }
template <class Io> void Describe(Io& io, ir::Competition& c) {
  io(c.name, c.tournament, c.points_earned, c.score, c.period, c.window_from, c.window_to, c.recurring_window,
     c.every_week, c.from_weekday, c.to_weekday, c.from_minute, c.to_minute, c.audience, c.registration, c.buy_in,
     c.buy_in_currency, c.happy_hours, c.min_score, c.min_players, c.max_players, c.prizes);
}
template <class Io> void Describe(Io& io, ir::Item& i) {
  io(i.name, i.price, i.currency, i.audience, i.limit, i.stock, i.on_purchase);
}
template <class Io> void Describe(Io& io, ir::GamePrize& p) { io(p.name, p.weight, p.stock, p.body); }
template <class Io> void Describe(Io& io, ir::Minigame& g) {
  io(g.name, g.cost, g.cost_currency, g.audience, g.limit, g.prizes);
}
template <class Io> void Describe(Io& io, ir::RafflePrize& p) { io(p.name, p.count, p.max_per_user, p.body); }
template <class Io> void Describe(Io& io, ir::Raffle& r) {
  io(r.name, r.audience, r.draw_at, r.prizes, r.max_prizes_per_user);
}
template <class Io> void Describe(Io& io, ir::EventPlan& p) { io(p.metrics, p.rules, p.unlocks, p.missions); }
template <class Io> void Describe(Io& io, ir::Program& p) {
  io(p.schema.types, p.schema.intern_ids, p.profile_names, p.profile_defaults, p.profile_kinds, p.currencies, p.minigames, p.raffles,
     p.strings, p.settings, p.nodes, p.children, p.fns, p.metrics, p.segments, p.rules, p.levels, p.badges,
     p.missions, p.policies, p.items, p.games, p.raffle_table, p.flows, p.competitions, p.plans, p.mission_opt_in,
     p.profile_update, p.store_purchase, p.minigame_play, p.tournament_register);
}

}  // namespace

std::string SerializeProgram(const ir::Program& program) {
  Writer w;
  w(program);
  return w.Take();
}

bool DeserializeProgram(const std::string& bytes, ir::Program* program) {
  Reader r(bytes);
  ir::Program p;
  r(p);
  if (!r.ok() || !r.AtEnd()) return false;
  *program = std::move(p);
  return true;
}

}  // namespace questline::ir
