#include "compiler/diag/diagnostics.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <tuple>

namespace questline::diag {

const std::vector<KindInfo>& AllKinds() {
  static const std::vector<KindInfo> kinds = {
#define QUEST_DIAG(name, code, severity, title) {#name, code, Severity::severity, title},
#include "compiler/diag/diagnostics.def"
#undef QUEST_DIAG
  };
  return kinds;
}

const KindInfo& Info(Kind kind) { return AllKinds()[static_cast<size_t>(kind)]; }

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

Diagnostic& DiagnosticSink::Report(Kind kind, SourceRange range, std::string message) {
  diags_.push_back({kind, Info(kind).severity, range, std::move(message), {}, {}});
  return diags_.back();
}

size_t DiagnosticSink::ErrorCount() const {
  return size_t(std::count_if(diags_.begin(), diags_.end(),
                              [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

size_t DiagnosticSink::WarningCount() const {
  return size_t(std::count_if(diags_.begin(), diags_.end(),
                              [](const Diagnostic& d) { return d.severity == Severity::Warning; }));
}

void DiagnosticSink::Sort(const SourceManager& sources) {
  auto key = [&](const Diagnostic& d) {
    std::string_view path = d.range.file == kNoFile ? std::string_view()
                                                    : std::string_view(sources.File(d.range.file).path);
    return std::make_tuple(path, d.range.line, d.range.col, std::string_view(Info(d.kind).code));
  };
  std::stable_sort(diags_.begin(), diags_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

void InternalError(const char* where, const std::string& what) {
  std::fprintf(stderr, "quest: internal compiler error in %s: %s\n"
                       "This is a bug in Questline, not in your package; please report it.\n",
               where, what.c_str());
  std::abort();
}

}  // namespace questline::diag
