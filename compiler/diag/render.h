// Rendering of diagnostics: compiler-style text with a caret, JSON, SARIF 2.1.0.
#pragma once

#include <ostream>
#include <vector>

#include "compiler/diag/diagnostics.h"

namespace questline::diag {

enum class Format { Text, Json, Sarif };

struct RenderOptions {
  Format format = Format::Text;
  bool werror = false;   // warnings render (and count) as errors
  bool color = false;
  // Text only: findings shown per file, 0 for all. JSON and SARIF always
  // carry every finding; tools filter them, and the exit code counts them all.
  size_t max_per_file = 100;
};

void Render(const std::vector<Diagnostic>& diags, const SourceManager& sources,
            const RenderOptions& options, std::ostream& out);

}  // namespace questline::diag
