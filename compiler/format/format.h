// The formatter behind `quest fmt`: one file's text in, its canonical text out
// (docs/tooling.md describes the style). Only the layout changes: the output
// holds the same tokens and the same comments in the same order, which the
// formatter checks before it answers.
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"

namespace questline::format {

struct Formatted {
  bool ok = false;
  std::string text;             // when ok: the canonical text, ending in one newline (empty for an empty file)
  std::string internal_error;   // when not ok and the sink got no error: the formatter's own failure
};

// Formats file `file` of `sources`. A file the parser reports errors in is not
// formatted: not ok, and its diagnostics are added to `sink`.
Formatted FormatFile(diag::FileId file, const diag::SourceManager& sources, diag::DiagnosticSink& sink);

}  // namespace questline::format
