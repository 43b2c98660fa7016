// libFuzzer target for the front end: arbitrary bytes through Parse and Check,
// as `quest check` would see them. Built with -DQUESTLINE_FUZZ=ON and clang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "stdlib/prelude.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace questline;
  diag::SourceManager sources;
  diag::DiagnosticSink sink;
  std::vector<ast::Module> modules;
  diag::FileId prelude = sources.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText()));
  diag::FileId input = sources.AddFile("fuzz.quest", std::string(reinterpret_cast<const char*>(data), size));
  modules.push_back(syntax::Parse(prelude, sources, sink));
  modules.push_back(syntax::Parse(input, sources, sink));
  if (!sink.HasErrors()) sema::Check(modules, sources, sink);
  sink.Sort(sources);
  return 0;
}
