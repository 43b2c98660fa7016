// Random, well-typed Questline expressions and statements. The generator
// knows what the package declared so far (Model) and what a position may read
// (Scope: the event in scope, locals or parameters, which metrics, functions
// and segments are visible without creating a definition cycle). Every
// compound expression is parenthesised, so precedence never matters.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/jit/rng.h"
#include "tests/jit/schema_model.h"

namespace questline::jitdiff {

struct Named {
  std::string name;
  Ty ty;
  bool noneable = false;   // an empty min/max/avg/first/last/top is none
  int rank = 0;            // metrics: a position in a random dependency order
};

struct FnInfo {
  std::string name;
  std::vector<std::pair<std::string, Ty>> params;
  Ty result;
  int metric_bound;   // its body reads metrics ranked below metric_bound only
};

// What the package declares, in the order the generator declared it.
struct Model {
  std::vector<Named> metrics;
  std::vector<FnInfo> fns;
  std::vector<std::string> segments;
  std::vector<Named> consts;
  std::vector<std::string> levels;
  std::vector<std::string> missions;
  std::vector<std::string> games;     // mini-games: `give attempts`
  std::vector<std::string> raffles;   // `give tickets`
  // Shared subexpressions per "event|type": the same text in many rules, so
  // the JIT's value numbering and memoisation have something to share.
  std::map<std::string, std::vector<std::string>> shared;
  int next_local = 0;
};

struct Scope {
  std::string event;                              // "" when no event is in scope
  std::vector<std::pair<std::string, Ty>> vars;   // locals or parameters
  int metric_bound = 0;                           // metrics ranked below it are visible
  int fn_bound = 0;                               // fns[0, bound) whose metric_bound fits
  int segment_bound = 0;                          // segments[0, bound) are visible
  bool inline_aggregates = false;                 // `count(bet where …)` allowed
  bool runtime = true;                            // points, gems, level, now, profile
  bool shared = false;                            // may reuse Model::shared[pool + event]
  std::string pool;                               // "" for rule bodies, "filter:" for metric filters
  bool lets = false;                              // `let` allowed (rules and flows have let-slots)
};

std::string SharedKey(const std::string& event, Ty t);

class ExprGen {
 public:
  ExprGen(Rng& rng, Model& model) : rng_(rng), m_(model) {}

  // An expression of exactly type `t` (for a union: a value of it, or a
  // literal member where a literal is checked against the union).
  std::string Gen(Ty t, const Scope& s, int depth);
  std::string Cond(const Scope& s, int depth) { return Gen(Ty::Bool, s, depth); }

  // An aggregate over `event` producing `want` ("" when none can). The filter
  // (if any) is generated in `filter_scope` with the aggregate's event.
  std::string Aggregate(const std::string& event, Ty want, const Scope& filter_scope, bool* noneable,
                        bool with_window = true);
  std::string Window();

  // Statements (stmt_gen.cpp). A block of `n` statements; lets extend a copy
  // of the scope for the statements after them.
  std::string Block(Scope s, int n, int depth, const std::string& indent);
  std::string Statement(Scope& s, int depth, const std::string& indent);

  Rng& rng() { return rng_; }

 private:
  std::string Leaf(Ty t, const Scope& s);
  std::string Compound(Ty t, const Scope& s, int depth);
  std::string Comparison(const Scope& s, int depth);
  std::string Divisor(const Scope& s, int depth);
  std::string Call(Ty t, const Scope& s, int depth);
  std::string InlineAggregate(Ty t, const Scope& s);
  std::string Literal(Ty t);
  Ty AnyType();

  Rng& rng_;
  Model& m_;
};

// Whole declarations built from statements and conditions (mission_gen.cpp).
// `all` is the scope without an event; `rule_scope` the one of rule bodies.
std::string MissionDecl(ExprGen& gen, const std::string& name, const Scope& all);
std::string FlowDecl(ExprGen& gen, int index, const Scope& rule_scope, const Scope& all);
std::string PolicyDecl(ExprGen& gen, const Scope& all);

// Store items, mini-games, raffles, leaderboards, tournaments (mechanics_gen.cpp).
std::string ItemDecl(ExprGen& gen, int index, const Scope& all);
std::string MinigameDecl(ExprGen& gen, const std::string& name, const Scope& all);
std::string RaffleDecl(ExprGen& gen, const std::string& name, const Scope& all);
std::string CompetitionDecl(ExprGen& gen, int index, const Scope& all);

}  // namespace questline::jitdiff
