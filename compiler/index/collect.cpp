// Index::Build: two passes over the modules. The first declares every name of
// the package namespace (and event and profile fields), so a use before its
// declaration resolves; the second walks clauses, statements and expressions
// and records each use. Unresolved names are skipped: sema reports them.
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "compiler/index/index.h"

namespace questline::index {

namespace {

class Collector {
 public:
  explicit Collector(Index& index) : index_(index) {}

  void DeclareNames(const ast::Module& m) {
    for (const ast::Decl& d : m.decls) std::visit([&](const auto& decl) { DeclareDecl(decl); }, d);
  }
  void WalkBodies(const ast::Module& m) {
    for (const ast::Decl& d : m.decls) std::visit([&](const auto& decl) { WalkDecl(decl); }, d);
  }

 private:
  Index& index_;
  std::vector<std::unordered_map<std::string, int32_t>> scopes_;   // params and lets, innermost last
  int32_t next_local_ = 0;
  std::string owner_;   // the declaration being walked (containers of locals)

  // ---------------------------------------------------------- declarations

  void Top(const ast::Ident& name, SymbolKind kind) {
    if (name.name.empty()) return;
    int32_t id = index_.Lookup(name.name);
    if (id < 0) id = index_.Declare({name.name, kind, "", name.range}, name.name);
    index_.Record(id, name.range, true);
  }
  void Fields(const std::string& owner, const std::vector<ast::Field>& fields, SymbolKind kind) {
    for (const ast::Field& f : fields) {
      const std::string key = owner + "." + f.name.name;
      int32_t id = index_.Lookup(key);
      if (id < 0) id = index_.Declare({f.name.name, kind, owner, f.name.range}, key);
      index_.Record(id, f.name.range, true);
    }
  }

  void DeclareDecl(const ast::TypeDecl& d) { Top(d.name, SymbolKind::Type); }
  void DeclareDecl(const ast::EventDecl& d) {
    if (!d.extends) Top(d.name, SymbolKind::Event);
    Fields(d.name.name, d.fields, SymbolKind::EventField);
  }
  void DeclareDecl(const ast::ProfileDecl& d) { Fields("profile", d.fields, SymbolKind::ProfileField); }
  void DeclareDecl(const ast::CurrencyDecl& d) { Top(d.name, SymbolKind::Currency); }
  void DeclareDecl(const ast::SettingsDecl&) {}
  void DeclareDecl(const ast::ConstDecl& d) { Top(d.name, SymbolKind::Const); }
  void DeclareDecl(const ast::FnDecl& d) { Top(d.name, SymbolKind::Fn); }
  void DeclareDecl(const ast::MetricDecl& d) { Top(d.name, SymbolKind::Metric); }
  void DeclareDecl(const ast::SegmentDecl& d) { Top(d.name, SymbolKind::Segment); }
  void DeclareDecl(const ast::RuleDecl& d) { Top(d.name, SymbolKind::Rule); }
  void DeclareDecl(const ast::LevelDecl& d) { Top(d.name, SymbolKind::Level); }
  void DeclareDecl(const ast::BadgeDecl& d) { Top(d.name, SymbolKind::Badge); }
  void DeclareDecl(const ast::MissionDecl& d) { Top(d.name, SymbolKind::Mission); }
  void DeclareDecl(const ast::CompetitionDecl& d) { Top(d.name, SymbolKind::Competition); }
  void DeclareDecl(const ast::ItemDecl& d) { Top(d.name, SymbolKind::Item); }
  void DeclareDecl(const ast::MinigameDecl& d) { Top(d.name, SymbolKind::Minigame); }
  void DeclareDecl(const ast::RaffleDecl& d) { Top(d.name, SymbolKind::Raffle); }
  void DeclareDecl(const ast::FlowDecl& d) { Top(d.name, SymbolKind::Flow); }
  void DeclareDecl(const ast::PolicyDecl& d) { Top(d.name, SymbolKind::Policy); }

  // ---------------------------------------------------------- uses

  // A use of a package-level name, if it names one.
  void Use(const ast::Ident& name) {
    const int32_t id = index_.Lookup(name.name);
    if (id >= 0 && !name.name.empty()) index_.Record(id, name.range, false);
  }
  void UseType(const ast::TypeRef& t) {
    if (!t.name.name.empty()) Use(t.name);
  }
  void UseBound(const std::optional<ast::Bound>& b) {
    if (!b) return;
    Expr(b->amount.get(), 0);
    Use(b->currency);
  }

  int32_t Resolve(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return found->second;
    }
    return index_.Lookup(name);
  }
  void DeclareLocal(const ast::Ident& name, SymbolKind kind) {
    if (name.name.empty() || scopes_.empty()) return;
    const int32_t id =
        index_.Declare({name.name, kind, owner_, name.range}, "#" + std::to_string(next_local_++) + "." + name.name);
    scopes_.back()[name.name] = id;
    index_.Record(id, name.range, true);
  }

  void Expr(const ast::Expr* e, int depth) {
    if (!e || depth > kMaxWalkDepth) return;
    switch (e->kind) {
      case ast::ExprKind::Name: {
        const int32_t id = Resolve(e->text);
        if (id >= 0) index_.Record(id, e->name_range, false);
        break;
      }
      case ast::ExprKind::Member: {
        const ast::Expr* base = e->operands.empty() ? nullptr : e->operands[0].get();
        if (base && base->kind == ast::ExprKind::Name) {
          // `bet.amount` when `bet` is an event; `profile.country`.
          const int32_t owner = Resolve(base->text);
          const bool is_event = owner >= 0 && index_.At(owner).kind == SymbolKind::Event;
          if (is_event || base->text == "profile") {
            const int32_t field = index_.Lookup(base->text + "." + e->text);
            if (field >= 0) index_.Record(field, e->name_range, false);
          }
        }
        break;
      }
      case ast::ExprKind::Call: {
        const int32_t id = index_.Lookup(e->text);
        if (id >= 0 && index_.At(id).kind == SymbolKind::Fn) index_.Record(id, e->name_range, false);
        break;
      }
      default:
        break;
    }
    for (const ast::ExprPtr& op : e->operands) Expr(op.get(), depth + 1);
    Expr(e->filter.get(), depth + 1);
    Expr(e->window.length.get(), depth + 1);
  }

  void Stmts(const ast::Block& block, int depth) {
    if (depth > kMaxWalkDepth) return;
    for (const ast::Stmt& s : block) Stmt(s, depth);
  }
  void ScopedStmts(const ast::Block& block, int depth) {
    scopes_.emplace_back();
    Stmts(block, depth + 1);
    scopes_.pop_back();
  }

  void Stmt(const ast::Stmt& s, int depth) {
    switch (s.kind) {
      case ast::StmtKind::Award:
      case ast::StmtKind::Deduct:
      case ast::StmtKind::UnlockMission:
      case ast::StmtKind::GiveMission:
      case ast::StmtKind::GiveAttempts:
      case ast::StmtKind::GiveTickets:
        Use(s.target);
        break;
      default:
        break;
    }
    Expr(s.value.get(), 0);
    for (const ast::SendField& f : s.data) Expr(f.value.get(), 0);
    if (!s.event.name.empty()) Use(s.event);
    Expr(s.where.get(), 0);
    for (const ast::ExprPtr& c : s.context) Expr(c.get(), 0);
    if (s.kind == ast::StmtKind::Let) DeclareLocal(s.target, SymbolKind::Local);   // after its value: `let x = x` reads the outer x
    ScopedStmts(s.body, depth);
    ScopedStmts(s.else_body, depth);
    for (const ast::Branch& b : s.branches) ScopedStmts(b.body, depth);
  }

  // A declaration's clauses and blocks, in a scope of their own.
  struct Scope {
    Collector& c;
    Scope(Collector& collector, const ast::Ident& name) : c(collector) {
      c.scopes_.emplace_back();
      c.owner_ = name.name;
    }
    ~Scope() { c.scopes_.pop_back(); }
  };

  void WalkDecl(const ast::TypeDecl&) {}
  void WalkDecl(const ast::EventDecl& d) {
    if (d.extends) {
      const int32_t id = index_.Lookup(d.name.name);
      if (id >= 0) index_.Record(id, d.name.range, false);
    }
    for (const ast::Field& f : d.fields) UseType(f.type);
  }
  void WalkDecl(const ast::ProfileDecl& d) {
    for (const ast::Field& f : d.fields) {
      UseType(f.type);
      Expr(f.default_value.get(), 0);
    }
  }
  void WalkDecl(const ast::CurrencyDecl&) {}
  void WalkDecl(const ast::SettingsDecl& d) {
    for (const ast::Setting& s : d.settings) Expr(s.value.get(), 0);
  }
  void WalkDecl(const ast::ConstDecl& d) {
    if (d.type) UseType(*d.type);
    Expr(d.value.get(), 0);
  }
  void WalkDecl(const ast::FnDecl& d) {
    Scope scope(*this, d.name);
    for (const ast::Param& p : d.params) {
      UseType(p.type);
      DeclareLocal(p.name, SymbolKind::Param);
    }
    UseType(d.result);
    Expr(d.body.get(), 0);
  }
  void WalkDecl(const ast::MetricDecl& d) { Expr(d.value.get(), 0); }
  void WalkDecl(const ast::SegmentDecl& d) {
    Expr(d.condition.get(), 0);
    Expr(d.locked_at.get(), 0);
  }
  void WalkDecl(const ast::RuleDecl& d) {
    Scope scope(*this, d.name);
    Use(d.event);
    Expr(d.where.get(), 0);
    Stmts(d.body, 0);
    UseBound(d.cap);
    UseBound(d.limit);
  }
  void WalkDecl(const ast::LevelDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.at.get(), 0);
    if (d.on_reach) Stmts(*d.on_reach, 0);
  }
  void WalkDecl(const ast::BadgeDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.when.get(), 0);
    if (d.on_earn) Stmts(*d.on_earn, 0);
  }
  void WalkDecl(const ast::MissionDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.audience.get(), 0);
    if (d.unlock.kind != ast::UnlockKind::None) Use(d.unlock.target);
    Expr(d.unlock.where.get(), 0);
    if (d.active) {
      Expr(d.active->from.get(), 0);
      Expr(d.active->to.get(), 0);
    }
    Expr(d.time_limit.get(), 0);
    for (const ast::Task& t : d.tasks) {
      const std::string key = d.name.name + "/" + t.name.name;
      int32_t id = index_.Lookup(key);
      if (id < 0 && !t.name.name.empty()) id = index_.Declare({t.name.name, SymbolKind::Task, d.name.name, t.name.range}, key);
      if (id >= 0) index_.Record(id, t.name.range, true);
      Expr(t.goal.get(), 0);
      ScopedStmts(t.body, 0);
    }
    if (d.reward) ScopedStmts(*d.reward, 0);
    Expr(d.max_completions.get(), 0);
  }
  void WalkDecl(const ast::CompetitionDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.score.get(), 0);
    Expr(d.audience.get(), 0);
    if (d.window) {
      Expr(d.window->from.get(), 0);
      Expr(d.window->to.get(), 0);
    }
    Expr(d.buy_in.get(), 0);
    Use(d.buy_in_currency);
    Expr(d.min_score.get(), 0);
    Expr(d.min_players.get(), 0);
    Expr(d.max_players.get(), 0);
    for (const ast::RankPrize& p : d.prizes) ScopedStmts(p.body, 0);
  }
  void WalkDecl(const ast::ItemDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.price.get(), 0);
    Use(d.currency);
    Expr(d.audience.get(), 0);
    UseBound(d.limit);
    Expr(d.stock.get(), 0);
    if (d.on_purchase) Stmts(*d.on_purchase, 0);
  }
  void WalkDecl(const ast::MinigameDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.cost.get(), 0);
    Use(d.cost_currency);
    Expr(d.audience.get(), 0);
    UseBound(d.limit);
    for (const ast::GamePrize& p : d.prizes) {
      Expr(p.weight.get(), 0);
      Expr(p.stock.get(), 0);
      ScopedStmts(p.body, 0);
    }
  }
  void WalkDecl(const ast::RaffleDecl& d) {
    Scope scope(*this, d.name);
    Expr(d.audience.get(), 0);
    Expr(d.draw_at.get(), 0);
    for (const ast::RafflePrize& p : d.prizes) {
      Expr(p.count.get(), 0);
      Expr(p.max_per_user.get(), 0);
      ScopedStmts(p.body, 0);
    }
    Expr(d.max_prizes_per_user.get(), 0);
  }
  void WalkDecl(const ast::FlowDecl& d) {
    Scope scope(*this, d.name);
    if (d.trigger.kind == ast::TriggerKind::Event || d.trigger.kind == ast::TriggerKind::Enter ||
        d.trigger.kind == ast::TriggerKind::Exit)
      Use(d.trigger.target);
    Expr(d.trigger.where.get(), 0);
    Expr(d.audience.get(), 0);
    Expr(d.holdout.get(), 0);
    Expr(d.reenter_after.get(), 0);
    Stmts(d.steps, 0);
  }
  void WalkDecl(const ast::PolicyDecl& d) {
    Scope scope(*this, d.name);
    for (const ast::PolicyBlock& b : d.blocks) Expr(b.when.get(), 0);
    for (const ast::PolicyCap& c : d.message_caps) Expr(c.count.get(), 0);
  }
};

}  // namespace

Index Build(const std::vector<ast::Module>& modules) {
  Index index;
  Collector collector(index);
  for (const ast::Module& m : modules) collector.DeclareNames(m);
  for (const ast::Module& m : modules) collector.WalkBodies(m);
  return index;
}

}  // namespace questline::index
