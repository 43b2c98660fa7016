#include "compiler/jit/jit.h"

#include "compiler/interp/interp.h"
#include "compiler/jit/backend.h"

namespace questline::jit {

std::unique_ptr<core::Backend> CompileOrInterpret(const ir::Program& program, const CompileOptions& options,
                                                    CompileReport* report, std::string* warning) {
  std::vector<std::string> objects;
  std::string error;
  if (!CompileProgram(program, options, &objects, report, &error)) {
    *warning = "the JIT could not compile this package (" + error + "); running it on the interpreter";
    return std::make_unique<interp::Interpreter>(program);
  }
  std::unique_ptr<core::Backend> backend = LinkOrInterpret(program, objects, warning);
  if (!report->cache_warning.empty())
    *warning = warning->empty() ? report->cache_warning : report->cache_warning + "; " + *warning;
  return backend;
}

std::unique_ptr<core::Backend> LinkOrInterpret(const ir::Program& program, const std::vector<std::string>& objects,
                                                 std::string* warning) {
  std::string error;
  if (auto native = NativeBackend::Load(program, objects, &error)) return native;
  *warning = "the JIT could not link this package's code (" + error + "); running it on the interpreter";
  return std::make_unique<interp::Interpreter>(program);
}

}  // namespace questline::jit
