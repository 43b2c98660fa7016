// The front end's one entry point: source text in, ast::Module out. Syntax errors
// go to the sink; the module holds whatever declarations could be recovered.
#pragma once

#include <cstddef>

#include "compiler/diag/diagnostics.h"
#include "compiler/syntax/ast.h"

namespace questline::syntax {

struct ParseLimits {
  size_t max_file_bytes = 8u << 20;    // larger files are refused (Q0113)
  int max_nesting = 200;               // brackets, blocks and operators (Q0108)
  int max_chain = 1000;                // nesting plus operator chains, `.` and `else if` links (Q0108)
  size_t max_errors_per_file = 50;     // stop reporting after this many
};

ast::Module Parse(diag::FileId file, const diag::SourceManager& sources,
                  diag::DiagnosticSink& sink, const ParseLimits& limits = {});

}  // namespace questline::syntax
