#include "compiler/driver/backend_choice.h"

#include <ostream>

#include "compiler/interp/interp.h"
#include "compiler/jit/jit.h"
#include "compiler/jit/object_cache.h"

namespace questline::driver {

bool ParseEngine(const std::string& name, EngineKind* kind) {
  if (name == "jit") *kind = EngineKind::Jit;
  else if (name == "interp") *kind = EngineKind::Interp;
  else return false;
  return true;
}

std::unique_ptr<core::Backend> MakeBackend(const ir::Program& program, EngineKind kind, const std::string& who,
                                             std::ostream& warnings) {
  if (kind == EngineKind::Interp) return std::make_unique<interp::Interpreter>(program);
  jit::CompileOptions options;
  options.cache_dir = jit::ObjectCache::DefaultDir();
  jit::CompileReport report;
  std::string warning;
  auto backend = jit::CompileOrInterpret(program, options, &report, &warning);
  if (!warning.empty()) warnings << who << ": warning: " << warning << "\n";
  return backend;
}

}  // namespace questline::driver
