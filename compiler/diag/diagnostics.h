// Diagnostics as data: each finding has a kind from diagnostics.def, a range,
// a message and hints. Phases append to a DiagnosticSink; the driver sorts and renders.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace questline::diag {

enum class Severity { Error, Warning, Note };

enum class Kind {
#define QUEST_DIAG(name, code, severity, title) name,
#include "compiler/diag/diagnostics.def"
#undef QUEST_DIAG
};

struct KindInfo {
  const char* name;
  const char* code;
  Severity severity;
  const char* title;
};

const KindInfo& Info(Kind kind);
const std::vector<KindInfo>& AllKinds();
const char* SeverityName(Severity severity);

struct Related {
  SourceRange range;
  std::string message;   // e.g. "first declared here"
};

struct Diagnostic {
  Kind kind;
  Severity severity;     // from the registry; --werror promotes warnings at render time
  SourceRange range;
  std::string message;
  std::vector<std::string> hints;
  std::vector<Related> related;
};

// Collects findings from every phase. Internal compiler bugs are not
// diagnostics: they are reported by InternalError (abort with a message).
class DiagnosticSink {
 public:
  Diagnostic& Report(Kind kind, SourceRange range, std::string message);
  const std::vector<Diagnostic>& All() const { return diags_; }
  size_t ErrorCount() const;
  size_t WarningCount() const;
  bool HasErrors() const { return ErrorCount() > 0; }
  // Stable order for output: file, line, column, then code.
  void Sort(const SourceManager& sources);
  // Removes warnings silenced by `// quest:allow CODE` comments (see sema).
  std::vector<Diagnostic>& Mutable() { return diags_; }

 private:
  std::vector<Diagnostic> diags_;
};

[[noreturn]] void InternalError(const char* where, const std::string& what);

}  // namespace questline::diag
