// The sema pipeline, in order: every name first, then the schema everything is
// typed by, then behaviour from the inside out, then semantic rules and lints.
#include "compiler/sema/check.h"

#include "compiler/sema/checker.h"
#include "compiler/sema/lints.h"
#include "compiler/sema/semantics.h"

namespace questline::sema {

Package Checker::Run(const CheckOptions& options) {
  CollectDeclarations();
  // The type of `level`: a union of the declared level names.
  UnionType levels{"level", {}, {}};
  for (const Level& l : pkg.levels) levels.members.push_back(l.name);
  pkg.level_union = int32_t(pkg.unions.size());
  pkg.unions.push_back(std::move(levels));
  fn_state.assign(pkg.fns.size(), 0);
  metric_state.assign(pkg.metrics.size(), 0);
  segment_state.assign(pkg.segments.size(), 0);

  CheckSchema();
  CheckFunctions();
  CheckMetricsAndSegments();
  CheckRules();
  CheckLevelsAndBadges();
  CheckMissions();
  CheckCompetitions();
  CheckStore();
  CheckFlows();
  CheckPolicies();
  CheckSemantics(pkg, modules_, sink_);
  // Lints on a package with errors would mostly echo them (an unknown name
  // leaves its target "unused"): they run once the package is correct.
  if (options.lints && !sink_.HasErrors()) RunLints(pkg, *this, modules_, sources_, sink_);
  return std::move(pkg);
}

Package Check(const std::vector<ast::Module>& modules, const diag::SourceManager& sources,
              diag::DiagnosticSink& sink, const CheckOptions& options) {
  Checker checker(modules, sources, sink);
  return checker.Run(options);
}

}  // namespace questline::sema
