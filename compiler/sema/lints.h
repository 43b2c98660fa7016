// W05xx: findings that are legal but almost always mistakes, each with its
// rationale in docs/diagnostics.md. `// quest:allow W05xx` on the line above
// silences one; an allow that silences nothing is itself a warning.
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/sema/package.h"
#include "compiler/syntax/ast.h"

namespace questline::sema {

class Checker;

void RunLints(const Package& pkg, const Checker& checker, const std::vector<ast::Module>& modules,
              const diag::SourceManager& sources, diag::DiagnosticSink& sink);

}  // namespace questline::sema
