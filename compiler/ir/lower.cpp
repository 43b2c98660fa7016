// LowerToIr: names become indices, expression trees become flat node arrays,
// and each event type gets its plan.
#include "compiler/ir/lower.h"

#include <algorithm>
#include <unordered_map>

#include "compiler/diag/diagnostics.h"
#include "core/ir/check.h"

namespace questline::ir {

static_assert(ast::kDecimalScale == core::kDecimalScale && ast::kDecimalDigits == core::kDecimalDigits,
              "the compiler's and the engine's decimals must agree");
namespace {

ValueKind KindOf(sema::Type t) {
  switch (t.kind) {
    case sema::TypeKind::Bool: return ValueKind::Bool;
    case sema::TypeKind::Int: return ValueKind::Int;
    case sema::TypeKind::Decimal: return ValueKind::Decimal;
    case sema::TypeKind::String:
    case sema::TypeKind::Union: return ValueKind::String;
    case sema::TypeKind::Time: return ValueKind::Time;
    case sema::TypeKind::Duration: return ValueKind::Duration;
    case sema::TypeKind::Percent: return ValueKind::Percent;
    case sema::TypeKind::Error: break;
  }
  diag::InternalError("LowerToIr", "an erroneous type reached lowering");
}

Period PeriodOf(ast::Period p) { return static_cast<Period>(static_cast<int>(p)); }

class Lowering {
 public:
  Lowering(const sema::Package& pkg, SourceMap* map) : pkg_(pkg), map_(map) {}

  Program Run() {
    LowerSchema();
    for (const sema::Fn& f : pkg_.fns) p_.fns.push_back({f.name, int32_t(f.params.size()), Expr(f.body)});
    for (const sema::Metric& m : pkg_.metrics) p_.metrics.push_back({m.name, m.anonymous, Agg(m.aggregate)});
    for (const sema::Segment& s : pkg_.segments)
      p_.segments.push_back({s.name, s.imported, s.condition ? Expr(*s.condition) : -1, s.locked_at, s.time_dependent});
    for (const sema::Rule& r : pkg_.rules)
      p_.rules.push_back({r.name, r.event, r.where ? Expr(*r.where) : -1, LowerBlock(r.body), Bnd(r.cap),
                          Bnd(r.limit), r.local_count});
    for (const sema::Level& l : pkg_.levels) p_.levels.push_back({l.name, l.at, LowerBlock(l.on_reach)});
    for (const sema::Badge& b : pkg_.badges) p_.badges.push_back({b.name, Expr(b.when), LowerBlock(b.on_earn)});
    for (const sema::Mission& m : pkg_.missions) p_.missions.push_back(LowerMission(m));
    for (const sema::Policy& pol : pkg_.policies) {
      Policy out;
      out.name = pol.name;
      for (const auto& b : pol.blocks)
        out.blocks.push_back({b.target == ast::PolicyTarget::Rewards ? PolicyTarget::Rewards : PolicyTarget::Messages,
                              Expr(b.when)});
      for (const auto& c : pol.message_caps) out.message_caps.push_back({c.count, PeriodOf(c.period)});
      for (const auto& q : pol.quiet_hours) out.quiet_hours.push_back({q.from_minute, q.to_minute, q.channels});
      p_.policies.push_back(std::move(out));
    }
    for (const sema::Item& i : pkg_.items)
      p_.items.push_back({i.name, i.price, i.currency, i.audience ? Expr(*i.audience) : -1, Bnd(i.limit), i.stock,
                          LowerBlock(i.on_purchase)});
    for (const sema::Minigame& g : pkg_.minigames) {
      Minigame out{g.name, g.cost, g.cost_currency, g.audience ? Expr(*g.audience) : -1, Bnd(g.limit), {}};
      for (const sema::GamePrize& prize : g.prizes)
        out.prizes.push_back({prize.name, prize.weight, prize.stock, LowerBlock(prize.body)});
      p_.games.push_back(std::move(out));
    }
    for (const sema::Raffle& r : pkg_.raffles) {
      Raffle out{r.name, r.audience ? Expr(*r.audience) : -1, r.draw_at, {}, r.max_prizes_per_user};
      for (const sema::RafflePrize& prize : r.prizes)
        out.prizes.push_back({prize.name, prize.count, prize.max_per_user, LowerBlock(prize.body)});
      p_.raffle_table.push_back(std::move(out));
    }
    for (const sema::Flow& f : pkg_.flows) p_.flows.push_back(LowerFlow(f));
    for (const sema::Competition& c : pkg_.competitions) p_.competitions.push_back(LowerCompetition(c));
    p_.settings = {pkg_.settings.timezone, pkg_.settings.week_starts, pkg_.settings.seed};
    BuildPlans();
    if (map_) MapDeclarations();
    return std::move(p_);
  }

 private:
  int64_t Intern(const std::string& s) {
    auto it = strings_.find(s);
    if (it != strings_.end()) return it->second;
    p_.strings.push_back(s);
    return strings_[s] = int64_t(p_.strings.size() - 1);
  }

  core::Value ValueOf(const sema::Value& v, sema::Type t) {
    core::Value out;
    out.kind = KindOf(t);
    out.none = v.none;
    out.i = out.kind == ValueKind::String ? Intern(v.s) : v.i;
    return out;
  }

  // Prelude fields that real feeds often leave out: missing, they take their
  // type's zero value ("", false, 0; a union's "" equals no declared member)
  // and count no warning. docs/language.md lists them.
  static bool OptionalPreludeField(const std::string& event, const std::string& field) {
    static const std::pair<const char*, const char*> kOptional[] = {
        {"registration", "affiliate"}, {"registration", "device"},
        {"login", "device"},           {"login", "ip_country"},
        {"logout", "device"},          {"logout", "session_seconds"},
        {"deposit", "currency"},       {"deposit", "method"},       {"deposit", "first"},
        {"withdrawal", "currency"},    {"withdrawal", "method"},
        {"bet", "provider"},           {"bet", "currency"},         {"bet", "device"},
        {"win", "provider"},           {"win", "currency"},
        {"page_view", "device"},       {"widget_open", "page"},
    };
    for (const auto& [e, f] : kOptional)
      if (event == e && field == f) return true;
    return false;
  }

  void LowerSchema() {
    for (const sema::Event& e : pkg_.events) {
      core::EventType et;
      et.name = e.name;
      et.request = e.request;
      for (const sema::Field& f : e.fields) {
        core::FieldSchema fs;
        fs.name = f.name;
        fs.kind = KindOf(f.type);
        if (f.type.kind == sema::TypeKind::Union) fs.union_members = pkg_.unions[size_t(f.type.union_id)].members;
        fs.default_value.kind = fs.kind;
        fs.optional = OptionalPreludeField(e.name, f.name);
        et.fields.push_back(std::move(fs));
      }
      p_.schema.types.push_back(std::move(et));
    }
    for (const sema::Field& f : pkg_.profile) {
      p_.profile_names.push_back(f.name);
      p_.profile_kinds.push_back(KindOf(f.type));
      p_.profile_defaults.push_back(ValueOf(f.default_value, f.type));
    }
    for (const sema::Currency& c : pkg_.currencies) p_.currencies.push_back(c.name);
    for (const sema::Minigame& g : pkg_.minigames) p_.minigames.push_back(g.name);
    for (const sema::Raffle& r : pkg_.raffles) p_.raffles.push_back(r.name);
    // A profile_update carries any subset of the profile: its schema lists every
    // profile field, absent ones read as none and leave the profile unchanged.
    if (int32_t pu = pkg_.EventId("profile_update"); pu >= 0) {
      core::EventType& et = p_.schema.types[size_t(pu)];
      for (size_t i = 0; i < p_.profile_names.size(); ++i) {
        core::FieldSchema fs;
        fs.name = p_.profile_names[i];
        fs.kind = p_.profile_kinds[i];
        const sema::Field& f = pkg_.profile[i];
        if (f.type.kind == sema::TypeKind::Union) fs.union_members = pkg_.unions[size_t(f.type.union_id)].members;
        fs.default_value = core::Value::None(fs.kind);
        et.fields.push_back(std::move(fs));
      }
    }
    // A registration sets the profile fields it carries (engine mechanic Profile::OnRequest):
    // those named like a profile field are optional, absent ones read as none
    // and leave the profile as it is.
    if (int32_t reg = pkg_.EventId("registration"); reg >= 0) {
      for (core::FieldSchema& fs : p_.schema.types[size_t(reg)].fields) {
        auto it = std::find(p_.profile_names.begin(), p_.profile_names.end(), fs.name);
        if (&fs - p_.schema.types[size_t(reg)].fields.data() < 3 || it == p_.profile_names.end() ||
            p_.profile_kinds[size_t(it - p_.profile_names.begin())] != fs.kind)
          continue;
        fs.default_value = core::Value::None(fs.kind);
        fs.optional = true;
      }
    }
    p_.mission_opt_in = pkg_.EventId("mission_opt_in");
    p_.profile_update = pkg_.EventId("profile_update");
    p_.store_purchase = pkg_.EventId("store_purchase");
    p_.minigame_play = pkg_.EventId("minigame_play");
    p_.tournament_register = pkg_.EventId("tournament_register");
  }

  static NodeKind OpKind(sema::Op op) {
    switch (op) {
      case sema::Op::Neg: return NodeKind::Neg;
      case sema::Op::Not: return NodeKind::Not;
      case sema::Op::And: return NodeKind::And;
      case sema::Op::Or: return NodeKind::Or;
      case sema::Op::Eq: return NodeKind::Eq;
      case sema::Op::Ne: return NodeKind::Ne;
      case sema::Op::Lt: return NodeKind::Lt;
      case sema::Op::Le: return NodeKind::Le;
      case sema::Op::Gt: return NodeKind::Gt;
      case sema::Op::Ge: return NodeKind::Ge;
      case sema::Op::Add: return NodeKind::Add;
      case sema::Op::Sub: return NodeKind::Sub;
      case sema::Op::Mul: return NodeKind::Mul;
      case sema::Op::Div: return NodeKind::Div;
    }
    return NodeKind::Add;
  }

  // Depth is bounded by the parser's nesting limit (syntax::ParseLimits).
  ExprRef Expr(const sema::Expr& e) {
    Node n;
    n.type = KindOf(e.type);
    switch (e.kind) {
      case sema::ExprKind::Literal:
      case sema::ExprKind::Const: {
        n.kind = NodeKind::Const;
        core::Value v = ValueOf(e.value, e.type);
        n.imm = v.i;
        n.none = v.none;
        break;
      }
      case sema::ExprKind::EventField: n.kind = NodeKind::EventField; n.a = e.field; break;
      case sema::ExprKind::ProfileField: n.kind = NodeKind::ProfileField; n.a = e.field; break;
      case sema::ExprKind::Metric: n.kind = NodeKind::Metric; n.a = e.id; break;
      case sema::ExprKind::Segment: n.kind = NodeKind::Segment; n.a = e.id; break;
      case sema::ExprKind::Param: n.kind = NodeKind::Param; n.a = e.id; break;
      case sema::ExprKind::Local: n.kind = NodeKind::Local; n.a = e.id; break;
      case sema::ExprKind::Balance: n.kind = NodeKind::Balance; n.a = e.id; break;
      case sema::ExprKind::PointsEver: n.kind = NodeKind::PointsEver; break;
      case sema::ExprKind::Level: n.kind = NodeKind::Level; break;
      case sema::ExprKind::Now: n.kind = NodeKind::Now; break;
      case sema::ExprKind::Builtin: n.kind = NodeKind::Builtin; n.a = int32_t(e.builtin); break;
      case sema::ExprKind::FnCall: n.kind = NodeKind::Call; n.a = e.id; break;
      case sema::ExprKind::Unary:
      case sema::ExprKind::Binary: n.kind = OpKind(e.op); break;
      case sema::ExprKind::Widen: n.kind = NodeKind::Widen; break;
    }
    std::vector<ExprRef> kids;
    for (const sema::Expr& o : e.operands) kids.push_back(Expr(o));
    n.first = uint32_t(p_.children.size());
    n.count = uint32_t(kids.size());
    p_.children.insert(p_.children.end(), kids.begin(), kids.end());
    p_.nodes.push_back(n);
    if (map_) map_->nodes.resize(p_.nodes.size()), map_->nodes.back() = e.range;
    return ExprRef(p_.nodes.size() - 1);
  }

  Aggregate Agg(const sema::Aggregate& a) {
    Aggregate out;
    out.fn = static_cast<AggregateFn>(static_cast<int>(a.fn));
    out.event = a.event;
    out.argument = a.argument ? Expr(*a.argument) : -1;
    if (a.argument) out.argument_kind = KindOf(a.argument->type);
    out.filter = a.filter ? Expr(*a.filter) : -1;
    out.window = static_cast<Window>(static_cast<int>(a.window.kind));
    out.length_ms = a.window.length_ms;
    out.result = KindOf(a.result);
    return out;
  }

  std::optional<Bound> Bnd(const std::optional<sema::Bound>& b) {
    if (!b) return std::nullopt;
    return Bound{b->amount, b->currency, PeriodOf(b->period)};
  }

  Block LowerBlock(const sema::Block& block) {
    Block out;
    for (const sema::Stmt& s : block) {
      Stmt st;
      st.kind = static_cast<StmtKind>(LowerStmtKind(s.kind));
      st.target = s.target;
      st.value = s.value ? Expr(*s.value) : -1;
      for (const auto& f : s.data) st.data.push_back({f.key, Expr(f.value)});
      st.body = LowerBlock(s.body);
      st.else_body = LowerBlock(s.else_body);
      st.event = s.event;
      st.where = s.where ? Expr(*s.where) : -1;
      for (const auto& b : s.branches) st.branches.push_back({b.share, LowerBlock(b.body)});
      out.push_back(std::move(st));
    }
    return out;
  }

  static int LowerStmtKind(ast::StmtKind k) {
    switch (k) {
      case ast::StmtKind::Award: return int(StmtKind::Award);
      case ast::StmtKind::Deduct: return int(StmtKind::Deduct);
      case ast::StmtKind::GrantBonus: return int(StmtKind::GrantBonus);
      case ast::StmtKind::Send: return int(StmtKind::Send);
      case ast::StmtKind::UnlockMission: return int(StmtKind::UnlockMission);
      case ast::StmtKind::GiveMission: return int(StmtKind::GiveMission);
      case ast::StmtKind::GiveAttempts: return int(StmtKind::GiveAttempts);
      case ast::StmtKind::GiveTickets: return int(StmtKind::GiveTickets);
      case ast::StmtKind::Tag: return int(StmtKind::Tag);
      case ast::StmtKind::Untag: return int(StmtKind::Untag);
      case ast::StmtKind::Let: return int(StmtKind::Let);
      case ast::StmtKind::If: return int(StmtKind::If);
      case ast::StmtKind::Wait: return int(StmtKind::Wait);
      case ast::StmtKind::WaitFor: return int(StmtKind::WaitFor);
      case ast::StmtKind::Split: return int(StmtKind::Split);
      case ast::StmtKind::Exit:
      case ast::StmtKind::ChooseBandit: return int(StmtKind::Exit);
    }
    return int(StmtKind::Exit);
  }

  static bool HasFlowStep(const sema::Block& block) {
    for (const sema::Stmt& s : block) {
      if (s.kind == ast::StmtKind::Wait || s.kind == ast::StmtKind::WaitFor || s.kind == ast::StmtKind::Split ||
          s.kind == ast::StmtKind::ChooseBandit || s.kind == ast::StmtKind::Exit)
        return true;
      if (HasFlowStep(s.body) || HasFlowStep(s.else_body)) return true;
    }
    return false;
  }

  // Appends `block` to `ops`; statements without flow steps are batched into Run ops.
  // `scope`: whose event fields the steps read (FlowOp::scope).
  void LowerSteps(const sema::Block& block, std::vector<FlowOp>& ops, int32_t scope) {
    const size_t first_op = ops.size();
    LowerStepsIn(block, ops, scope);
    // Ops still at the default belong to this level; nested bodies set their own.
    for (size_t i = first_op; i < ops.size(); ++i)
      if (ops[i].scope == -1) ops[i].scope = scope;
  }

  void LowerStepsIn(const sema::Block& block, std::vector<FlowOp>& ops, int32_t scope) {
    for (const sema::Stmt& s : block) {
      const size_t first = ops.size();
      LowerStep(s, ops, scope);
      // The ops the statement made and its nested statements did not claim.
      if (map_) {
        op_ranges_.resize(ops.size());
        for (size_t i = first; i < ops.size(); ++i)
          if (!op_ranges_[i].Valid()) op_ranges_[i] = s.range;
      }
    }
    open_run_ = false;   // a jump target may follow: never merge across it
  }

  // The branches of a split or the arms of a bandit, after their op at
  // `here`: each body, then a jump past them all; the op's targets (and a
  // split's cumulative shares, a bandit's arm names) say where each begins.
  void LowerBranches(const std::vector<sema::Branch>& branches, std::vector<FlowOp>& ops, int32_t here,
                     int32_t scope) {
    int64_t total = 0;
    std::vector<int32_t> jumps;
    for (const sema::Branch& b : branches) {
      FlowOp& op = ops[size_t(here)];
      if (op.kind == FlowOpKind::Split) op.shares.push_back(total += b.share);
      else op.arms.push_back(b.name);
      op.targets.push_back(int32_t(ops.size()));
      LowerSteps(b.body, ops, scope);
      FlowOp jump;
      jump.kind = FlowOpKind::Jump;
      ops.push_back(std::move(jump));
      jumps.push_back(int32_t(ops.size() - 1));
    }
    for (int32_t j : jumps) ops[size_t(j)].target = int32_t(ops.size());
  }

  void LowerStep(const sema::Stmt& s, std::vector<FlowOp>& ops, int32_t scope) {
    const int32_t here = int32_t(ops.size());
    switch (s.kind) {
      case ast::StmtKind::Wait: {
        FlowOp op;
        op.kind = FlowOpKind::Wait;
        op.duration = s.value ? s.value->value.i : 0;
        ops.push_back(std::move(op));
        return;
      }
      case ast::StmtKind::WaitFor: {
        FlowOp op;
        op.kind = FlowOpKind::WaitFor;
        op.event = s.event;
        op.cond = s.where ? Expr(*s.where) : -1;
        op.duration = s.value ? s.value->value.i : 0;
        ops.push_back(std::move(op));
        LowerSteps(s.body, ops, here);           // the event arrived: its fields are in scope
        FlowOp jump;
        jump.kind = FlowOpKind::Jump;
        ops.push_back(std::move(jump));
        const int32_t jump_at = int32_t(ops.size() - 1);
        ops[size_t(here)].target = int32_t(ops.size());
        LowerSteps(s.else_body, ops, scope);     // the timeout
        ops[size_t(jump_at)].target = int32_t(ops.size());
        return;
      }
      case ast::StmtKind::Split: {
        FlowOp op;
        op.kind = FlowOpKind::Split;
        ops.push_back(std::move(op));
        LowerBranches(s.branches, ops, here, scope);
        return;
      }
      case ast::StmtKind::ChooseBandit: {
        // Like a split, with the bandit's arm in place of the sticky bucket.
        FlowOp op;
        op.kind = FlowOpKind::Choose;
        op.event = s.event;
        op.cond = s.where ? Expr(*s.where) : -1;
        op.duration = s.value ? s.value->value.i : 0;
        for (const sema::Expr& feature : s.context) op.context.push_back(Expr(feature));
        op.policy = uint8_t(s.policy);
        op.policy_param = s.policy_param;
        ops.push_back(std::move(op));
        LowerBranches(s.branches, ops, here, scope);
        return;
      }
      case ast::StmtKind::Exit: {
        FlowOp op;
        op.kind = FlowOpKind::Exit;
        ops.push_back(std::move(op));
        return;
      }
      case ast::StmtKind::If:
        if (HasFlowStep(s.body) || HasFlowStep(s.else_body)) {
          FlowOp branch;
          branch.kind = FlowOpKind::Branch;
          branch.cond = Expr(*s.value);
          ops.push_back(std::move(branch));
          LowerSteps(s.body, ops, scope);
          FlowOp jump;
          jump.kind = FlowOpKind::Jump;
          ops.push_back(std::move(jump));
          const int32_t jump_at = int32_t(ops.size() - 1);
          ops[size_t(here)].target = int32_t(ops.size());
          LowerSteps(s.else_body, ops, scope);
          ops[size_t(jump_at)].target = int32_t(ops.size());
          return;
        }
        break;
      default:
        break;
    }
    // An immediate statement: batch it with the previous Run op.
    if (ops.empty() || ops.back().kind != FlowOpKind::Run || !open_run_) {
      FlowOp run;
      run.kind = FlowOpKind::Run;
      ops.push_back(std::move(run));
      open_run_ = true;
    }
    sema::Block one{s};
    Block lowered = LowerBlock(one);
    for (Stmt& st : lowered) ops.back().block.push_back(std::move(st));
  }

  Flow LowerFlow(const sema::Flow& f) {
    Flow out;
    out.name = f.name;
    out.trigger = static_cast<TriggerKind>(static_cast<int>(f.trigger.kind));
    out.target = f.trigger.target;
    out.where = f.trigger.where ? Expr(*f.trigger.where) : -1;
    out.weekday = f.trigger.weekday;
    out.minute = f.trigger.minute;
    out.audience = f.audience ? Expr(*f.audience) : -1;
    out.holdout = f.holdout;
    out.reenter_after_ms = f.reenter_after_ms;
    out.local_count = f.local_count;
    open_run_ = false;
    op_ranges_.clear();
    LowerSteps(f.steps, out.ops, -1);
    FlowOp exit;
    exit.kind = FlowOpKind::Exit;
    out.ops.push_back(std::move(exit));
    if (map_) {
      op_ranges_.resize(out.ops.size());
      op_ranges_.back() = f.range;   // the implicit exit: the flow's end
      map_->flow_ops.push_back(op_ranges_);
    }
    return out;
  }

  Competition LowerCompetition(const sema::Competition& c) {
    Competition out;
    out.name = c.name;
    out.tournament = c.kind == ast::CompetitionKind::Tournament;
    out.points_earned = c.points_earned;
    if (c.score) out.score = Agg(*c.score);
    out.period = c.period == ast::Recurrence::Daily   ? Period::Day
                 : c.period == ast::Recurrence::Weekly ? Period::Week
                 : c.period == ast::Recurrence::Monthly ? Period::Month : Period::Forever;
    out.window_from = c.window_from;
    out.window_to = c.window_to;
    if (c.recurring_window) {
      out.recurring_window = true;
      out.every_week = c.recurring_window->every == ast::Period::Week;
      out.from_weekday = c.recurring_window->from_weekday;
      out.to_weekday = c.recurring_window->to_weekday;
      out.from_minute = c.recurring_window->from_minute;
      out.to_minute = c.recurring_window->to_minute;
    }
    out.audience = c.audience ? Expr(*c.audience) : -1;
    out.registration = c.registration;
    out.buy_in = c.buy_in;
    out.buy_in_currency = c.buy_in_currency;
    for (const auto& h : c.happy_hours) out.happy_hours.push_back({h.weekday, h.from_minute, h.to_minute, h.multiplier});
    out.min_score = c.min_score;
    out.min_players = c.min_players;
    out.max_players = c.max_players;
    for (const sema::Prize& p : c.prizes) out.prizes.push_back({p.first_rank, p.last_rank, LowerBlock(p.body)});
    return out;
  }

  Mission LowerMission(const sema::Mission& m) {
    Mission out;
    out.name = m.name;
    out.audience = m.audience ? Expr(*m.audience) : -1;
    out.unlock = static_cast<Unlock>(static_cast<int>(m.unlock));
    out.unlock_target = m.unlock_target;
    out.unlock_where = m.unlock_where ? Expr(*m.unlock_where) : -1;
    out.opt_in = m.opt_in;
    out.given = m.given;
    out.active_from = m.active_from;
    out.active_to = m.active_to;
    out.recurring = static_cast<Recurrence>(static_cast<int>(m.recurring));
    out.time_limit_ms = m.time_limit_ms;
    out.ordered = m.ordered;
    for (const sema::Task& t : m.tasks)
      out.tasks.push_back({t.name, Agg(t.aggregate), OpKind(t.op), Expr(t.threshold), LowerBlock(t.body)});
    out.reward = LowerBlock(m.reward);
    out.max_completions = m.max_completions;
    return out;
  }

  // Declarations in the IR's order (the sema tables' order, one for one).
  void MapDeclarations() {
    map_->nodes.resize(p_.nodes.size());
    for (const sema::Rule& r : pkg_.rules) map_->rules.push_back(r.range);
    for (const sema::Mission& m : pkg_.missions) {
      map_->missions.push_back(m.range);
      auto& tasks = map_->tasks.emplace_back();
      for (const sema::Task& t : m.tasks) tasks.push_back(t.range);
    }
    for (const sema::Flow& f : pkg_.flows) map_->flows.push_back(f.range);
  }

  void BuildPlans() {
    p_.plans.resize(p_.schema.types.size());
    for (size_t i = 0; i < p_.metrics.size(); ++i)
      p_.plans[size_t(p_.metrics[i].aggregate.event)].metrics.push_back(int32_t(i));
    for (size_t i = 0; i < p_.rules.size(); ++i) p_.plans[size_t(p_.rules[i].event)].rules.push_back(int32_t(i));
    for (size_t i = 0; i < p_.missions.size(); ++i) {
      const Mission& m = p_.missions[i];
      if (m.unlock == Unlock::OnEvent) p_.plans[size_t(m.unlock_target)].unlocks.push_back(int32_t(i));
      for (const Task& t : m.tasks) {
        auto& list = p_.plans[size_t(t.aggregate.event)].missions;
        if (std::find(list.begin(), list.end(), int32_t(i)) == list.end()) list.push_back(int32_t(i));
      }
    }
  }

  const sema::Package& pkg_;
  Program p_;
  bool open_run_ = false;
  SourceMap* map_ = nullptr;
  std::vector<diag::SourceRange> op_ranges_;   // the flow being lowered's, by op
  std::unordered_map<std::string, int64_t> strings_;
};

}  // namespace

Program LowerToIr(const sema::Package& package, SourceMap* map) {
  if (map) *map = SourceMap{};
  Program program = Lowering(package, map).Run();
  for (const Node& n : program.nodes)
    if (n.kind == NodeKind::EventField && n.a == core::kFieldId) program.schema.intern_ids = true;
  VerifyIr(program);
  return program;
}

void VerifyIr(const Program& p) {
  std::string error;
  if (!CheckIr(p, &error)) diag::InternalError("VerifyIr", error);
}

}  // namespace questline::ir
