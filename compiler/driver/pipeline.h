// The compiler pipeline, assembled in one visible place:
//   LoadPackage → Parse (each file) → sema::Check → [LowerToIr → VerifyIr → backend]
// Each step is a function from typed data to typed data; the driver's commands
// (check, run, build, test) are thin shells over these.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/source_map.h"
#include "compiler/sema/package.h"
#include "compiler/syntax/ast.h"
#include "core/ir/program.h"

namespace questline::driver {

// A package's sources: the prelude first, then every .quest file under the given
// paths, sorted by path (package order decides the order rules run in).
struct Sources {
  diag::SourceManager manager;
  std::vector<diag::FileId> files;
};

// The .quest files a package of `paths` holds, sorted, each once (without
// reading them): what LoadPackage loads, and what an editor's session keeps open.
bool ListPackageFiles(const std::vector<std::string>& paths, std::vector<std::string>* out, std::string* error);

// False (with `error` set) when a path is missing, unreadable or holds no .quest file:
// the command exits 2.
bool LoadPackage(const std::vector<std::string>& paths, Sources* out, std::string* error);

// A package held in memory, one file named `name` (tests, fuzzing): the
// prelude, then `text`.
void LoadPackageText(const std::string& name, const std::string& text, Sources* out);

struct FrontEnd {
  Sources sources;
  std::vector<ast::Module> modules;
  sema::Package package;
  diag::DiagnosticSink sink;
  bool ok() const { return !sink.HasErrors(); }
};

// Parse every file, then check the package. Diagnostics are sorted.
void RunFrontEnd(FrontEnd& fe);

// The whole front of the pipeline for commands that execute a package:
// LoadPackage → RunFrontEnd → LowerToIr. On failure, nullopt with `exit_code`
// set (kExitUsage: unreadable paths; kExitFailure: compile errors, rendered
// to `err`); messages start with `who`. With `diagnostics_json`, compile
// errors are also rendered there as `quest check --format json` does (questd
// answers a refused reload with them).
std::optional<ir::Program> CompileToIr(const std::vector<std::string>& paths, const std::string& who,
                                       std::ostream& err, int* exit_code, std::string* diagnostics_json = nullptr);

// The same, keeping the front end (`fe`: the sources, for messages that quote
// them) and, with `map`, where each construct came from (explain, coverage).
std::optional<ir::Program> CompileKeepingSources(const std::vector<std::string>& paths, const std::string& who,
                                                 std::ostream& err, int* exit_code, FrontEnd& fe,
                                                 ir::SourceMap* map, std::string* diagnostics_json = nullptr);

}  // namespace questline::driver
