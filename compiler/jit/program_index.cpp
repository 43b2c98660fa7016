#include "compiler/jit/program_index.h"

#include <algorithm>

namespace questline::jit {
namespace {

class Indexer {
 public:
  Indexer(const ir::Program& p, ProgramIndex& index) : p_(p), index_(index) {}

  // A leaf (a constant, a field, a segment bit) is cheaper to interpret than
  // to call natively: the interpreter answers those.
  void Expr(ir::ExprRef e) {
    if (e >= 0 && p_.At(e).count > 0) index_.exprs.push_back(e);
  }
  void Aggregate(const ir::Aggregate& a) {
    Expr(a.filter);
    Expr(a.argument);
  }
  void Block(const ir::Block& b) {
    if (b.empty()) return;   // nothing to run: no entry point
    index_.blocks.push_back(&b);
    Stmts(b);
  }
  // A block only the fused handlers run: its statements need ids, not an entry point.
  void HandlerBlock(const ir::Block& b) { Stmts(b); }

 private:
  // Nesting is bounded by the front end's nesting limit; statements are
  // numbered in pre-order so the numbering never depends on addresses.
  void Stmts(const ir::Block& b) {
    for (const ir::Stmt& s : b) {
      index_.stmt_ids.emplace(&s, int32_t(index_.stmts.size()));
      index_.stmts.push_back(&s);
      Stmts(s.body);
      Stmts(s.else_body);
      for (const auto& branch : s.branches) Stmts(branch.second);
    }
  }
  const ir::Program& p_;
  ProgramIndex& index_;
};

}  // namespace

ProgramIndex IndexProgram(const ir::Program& p) {
  ProgramIndex index;
  Indexer x(p, index);
  // Metrics and rules run only inside the fused handlers (HandleEvent).
  for (const ir::Rule& r : p.rules) x.HandlerBlock(r.body);
  for (const ir::Segment& s : p.segments) x.Expr(s.condition);
  for (const ir::Level& l : p.levels) x.Block(l.on_reach);
  for (const ir::Badge& b : p.badges) {
    x.Expr(b.when);
    x.Block(b.on_earn);
  }
  for (const ir::Mission& m : p.missions) {
    x.Expr(m.audience);
    x.Expr(m.unlock_where);
    for (const ir::Task& t : m.tasks) {
      x.Aggregate(t.aggregate);
      x.Expr(t.threshold);
      x.Block(t.body);
    }
    x.Block(m.reward);
  }
  for (const ir::Policy& pol : p.policies)
    for (const ir::PolicyBlock& b : pol.blocks) x.Expr(b.when);
  for (const ir::Item& i : p.items) {
    x.Expr(i.audience);
    x.Block(i.on_purchase);
  }
  for (const ir::Minigame& g : p.games) {
    x.Expr(g.audience);
    for (const ir::GamePrize& prize : g.prizes) x.Block(prize.body);
  }
  for (const ir::Raffle& r : p.raffle_table) {
    x.Expr(r.audience);
    for (const ir::RafflePrize& prize : r.prizes) x.Block(prize.body);
  }
  for (const ir::Flow& f : p.flows) {
    x.Expr(f.where);
    x.Expr(f.audience);
    for (const ir::FlowOp& op : f.ops) {
      x.Expr(op.cond);
      x.Block(op.block);
      for (ir::ExprRef e : op.context) x.Expr(e);
    }
  }
  for (const ir::Competition& c : p.competitions) {
    if (c.score) x.Aggregate(*c.score);
    x.Expr(c.audience);
    for (const ir::Prize& prize : c.prizes) x.Block(prize.body);
  }
  std::sort(index.exprs.begin(), index.exprs.end());
  index.exprs.erase(std::unique(index.exprs.begin(), index.exprs.end()), index.exprs.end());
  index.handlers = p.plans.size();
  return index;
}

}  // namespace questline::jit
