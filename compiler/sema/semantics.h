// Q04xx: rules a well-typed package can still break (thresholds out of order,
// inverted windows, prize ranks with gaps, non-positive limits, …).
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/sema/package.h"
#include "compiler/syntax/ast.h"

namespace questline::sema {

void CheckSemantics(const Package& pkg, const std::vector<ast::Module>& modules,
                    diag::DiagnosticSink& sink);

}  // namespace questline::sema
