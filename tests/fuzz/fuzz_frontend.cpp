// libFuzzer target for the front end: arbitrary bytes through Parse and Check,
// as `quest check` would see them; a package that checks is lowered and run
// on the interpreter (run_program.h). Built with -DQUESTLINE_FUZZ=ON and clang;
// without it, the same entry point is linked with replay_main.cpp and CTest
// replays the corpus (tests/fuzz/corpus/frontend).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/lower.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "stdlib/prelude.h"
#include "tests/fuzz/run_program.h"

namespace {

using namespace questline;

// The prelude never changes: it is parsed once, not per input (parsing it
// dominated each execution). The modules list keeps it first; each input's
// module is pushed after it and popped when the input is done.
std::vector<ast::Module>& Modules() {
  static std::vector<ast::Module> modules = [] {
    diag::SourceManager sources;
    diag::DiagnosticSink sink;
    diag::FileId prelude = sources.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText()));
    std::vector<ast::Module> list;
    list.push_back(syntax::Parse(prelude, sources, sink));
    return list;
  }();
  return modules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<ast::Module>& modules = Modules();
  diag::SourceManager sources;
  diag::DiagnosticSink sink;
  // The prelude's file keeps its id (the first file added) so that the cached
  // module's locations still point at it.
  sources.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText()));
  diag::FileId input = sources.AddFile("fuzz.quest", std::string(reinterpret_cast<const char*>(data), size));
  modules.push_back(syntax::Parse(input, sources, sink));
  if (!sink.HasErrors()) {
    sema::Package package = sema::Check(modules, sources, sink);
    // A package that checks is lowered as `quest run` does (LowerToIr runs
    // the IR verifier) and runs: the front end's promise covers both.
    if (!sink.HasErrors()) fuzz::RunProgram(ir::LowerToIr(package));
  }
  sink.Sort(sources);
  modules.pop_back();
  return 0;
}
