// sema's working state, shared by its passes (internal to compiler/sema/).
// Each pass reads the AST and writes its part of the Package; diagnostics go
// to the sink. Expressions are checked against a Scope that says which event
// variable, parameters and locals are visible and what the context allows.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/sema/check.h"
#include "compiler/sema/package.h"
#include "compiler/syntax/ast.h"

namespace questline::sema {

// Where an expression stands, which decides what it may use.
struct Scope {
  int32_t event = -1;                        // the event variable in scope, or -1
  const std::vector<Field>* params = nullptr;  // fn parameters
  std::vector<std::pair<std::string, Type>>* locals = nullptr;   // let-slots, in order
  bool constant = false;                     // const/clause: literals and consts only
  bool allow_aggregates = true;              // inline aggregates become anonymous metrics
  bool per_user = true;                      // now/points/level/metrics/profile usable
};

// Where a statement stands.
struct StmtContext {
  bool in_flow = false;
  int32_t event = -1;
  std::vector<std::pair<std::string, Type>>* locals = nullptr;
};

struct DeclSite {
  SymbolKind kind;
  int32_t id;
  SourceRange range;
};

class Checker {
 public:
  Checker(const std::vector<ast::Module>& modules, const diag::SourceManager& sources,
          diag::DiagnosticSink& sink)
      : modules_(modules), sources_(sources), sink_(sink) {}

  Package Run(const CheckOptions& options);

  // ---- reporting and names (names.cpp)
  diag::Diagnostic& Report(diag::Kind kind, SourceRange range, std::string message);
  // Reports an unknown name with a did-you-mean hint chosen from `candidates`.
  void ReportUnknown(diag::Kind kind, SourceRange range, const std::string& what,
                     const std::string& name, const std::vector<std::string>& candidates);
  // Every declared name of `kind`, sorted: the did-you-mean candidates. Cached
  // per kind while no symbol is added, so that 20,000 unknown names cost one
  // scan of the symbols, not one each (issue 14 §2).
  const std::vector<std::string>& NamesOf(SymbolKind kind) const;
  // Where `name` is declared (its identifier), or `fallback`.
  SourceRange DeclaredAt(const std::string& name, SourceRange fallback) const {
    auto it = declared_at_.find(name);
    return it == declared_at_.end() ? fallback : it->second;
  }
  bool Declare(const std::string& name, SymbolKind kind, int32_t id, SourceRange range);
  // A symbol of `kind`, or -1 after reporting `unknown` with a hint.
  int32_t Resolve(const ast::Ident& name, SymbolKind kind, diag::Kind unknown, const char* what);

  // ---- types (types.cpp)
  Type TypeOf(const ast::TypeRef& ref);
  std::string TypeName(Type t) const;
  bool Assignable(Type from, Type to) const;   // int widens to decimal; string literal checked apart
  Expr Convert(Expr e, Type to) const;         // inserts Widen where needed

  // ---- expressions (exprs.cpp, aggregates.cpp)
  Expr CheckExpr(const ast::Expr& e, const Scope& scope);
  Expr CheckCondition(const ast::Expr* e, const Scope& scope, const char* what);
  // An optional condition clause (audience, where): nullopt when absent or wrong.
  std::optional<Expr> CheckOptionalCondition(const ast::ExprPtr& e, const Scope& scope, const char* what);
  // A constant clause: folded to an integer of kind `kind`; false after reporting.
  bool ConstantInt(const ast::Expr* e, TypeKind kind, const char* clause, int64_t* out);
  // `FROM .. TO` of instants (an `active` or `window` clause); both set, or neither.
  void ConstantInterval(const std::optional<ast::Interval>& interval, const char* clause,
                        std::optional<int64_t>* from, std::optional<int64_t>* to);
  Aggregate CheckAggregate(const ast::Expr& e, const Scope& scope);
  Expr CheckUnionLiteral(Expr literal, Type union_type, SourceRange range);
  bool Fold(const Expr& e, Value* out) const;

  // ---- statements (stmts.cpp)
  Block CheckBlock(const ast::Block& block, StmtContext& ctx);
  // `choose by bandit` (bandits.cpp): false when it is invalid (reported).
  bool CheckBandit(const ast::Stmt& s, Stmt& st, const Scope& scope, StmtContext& ctx);

  // ---- declarations
  void CollectDeclarations();      // names.cpp
  void CheckSchema();              // schema.cpp
  void CheckFunctions();           // schema.cpp
  void CheckMetricsAndSegments();  // behaviour.cpp
  void CheckRules();               // behaviour.cpp
  void CheckLevelsAndBadges();     // behaviour.cpp
  void CheckMissions();            // missions.cpp
  void CheckCompetitions();        // mechanics.cpp
  void CheckStore();               // mechanics.cpp
  void CheckFlows();               // flows.cpp
  void CheckPolicies();            // flows.cpp

  template <typename T>
  std::vector<const T*> DeclsOf() const {
    std::vector<const T*> out;
    for (const ast::Module& m : modules_)
      for (const ast::Decl& d : m.decls)
        if (auto* x = std::get_if<T>(&d)) out.push_back(x);
    return out;
  }

  Package pkg;
  // Lazily checked definitions (consts, fns, metrics, segments may refer to
  // each other in any order): 0 not yet, 1 in progress (a cycle when met again), 2 done.
  std::vector<uint8_t> const_state, fn_state, metric_state, segment_state;
  mutable std::map<SymbolKind, std::vector<std::string>> names_cache_;
  mutable size_t names_cache_symbols_ = 0;   // pkg.symbols.size() when the cache was filled
  // Definitions being checked inside one another (a const using a const, a fn
  // calling a fn, a segment reading a segment): sema, lowering and the
  // interpreter recurse once per level, so past the limit it is Q0108.
  static constexpr int kMaxDefinitionDepth = 256;
  int definition_depth = 0;
  bool definition_depth_reported = false;
  // False, with Q0108 reported once per package, when one more level would
  // pass kMaxDefinitionDepth; otherwise enters it (LeaveDefinition leaves).
  bool EnterDefinition(SourceRange at);
  void LeaveDefinition() { --definition_depth; }
  std::unordered_map<std::string, std::string> used;   // symbol name -> use site kind (lints)
  std::map<std::string, int32_t> anon_metrics;         // fingerprint -> metric id
  std::set<int32_t> given_missions;                    // targets of `give mission` (lints)

 private:
  const std::vector<ast::Module>& modules_;
  const diag::SourceManager& sources_;
  diag::DiagnosticSink& sink_;
  std::unordered_map<std::string, SourceRange> declared_at_;
};

// Damerau-Levenshtein distance, bounded: a close name, or "".
std::string NearestName(const std::string& name, const std::vector<std::string>& candidates);
// `GameType is "slots" | "live_casino" | …`: a help line listing a union's first values.
std::string DescribeUnion(const UnionType& u);
// A structural key of a checked expression, for deduplicating anonymous metrics.
std::string Fingerprint(const Expr& e);

inline constexpr int kMaxExprDepth = 256;   // the parser's nesting bound keeps us far below

}  // namespace questline::sema
