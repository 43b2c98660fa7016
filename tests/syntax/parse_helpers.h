// Parses Questline text in memory for the syntax tests.
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/syntax/parse.h"

namespace questline::testing {

struct Parsed {
  diag::SourceManager sources;
  diag::DiagnosticSink sink;
  ast::Module module;
};

inline Parsed ParseText(const std::string& text, syntax::ParseLimits limits = {}) {
  Parsed p;
  diag::FileId id = p.sources.AddFile("test.quest", text);
  p.module = syntax::Parse(id, p.sources, p.sink, limits);
  return p;
}

template <typename T>
const T& Only(const Parsed& p) {
  REQUIRE(p.module.decls.size() == 1);
  REQUIRE(std::holds_alternative<T>(p.module.decls[0]));
  return std::get<T>(p.module.decls[0]);
}

inline bool Has(const Parsed& p, diag::Kind kind) {
  for (const auto& d : p.sink.All())
    if (d.kind == kind) return true;
  return false;
}

}  // namespace questline::testing
