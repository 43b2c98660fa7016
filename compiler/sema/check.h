// sema's entry point: the parsed modules of one package (prelude first) in,
// a checked Package out. Names (Q02xx), types (Q03xx), semantic rules (Q04xx) and
// lints (W05xx) report to the sink; the package is complete only when the sink
// has no errors, and only then may it be lowered.
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/sema/package.h"
#include "compiler/syntax/ast.h"

namespace questline::sema {

struct CheckOptions {
  bool lints = true;                 // W05xx
};

Package Check(const std::vector<ast::Module>& modules, const diag::SourceManager& sources,
              diag::DiagnosticSink& sink, const CheckOptions& options = {});

}  // namespace questline::sema
