#include "compiler/driver/load_program.h"

#include <ostream>

#include "compiler/driver/command.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"
#include "compiler/jit/bundle.h"
#include "compiler/jit/jit.h"
#include "compiler/jit/sealed_file.h"
#include "core/ir/check.h"
#include "runtime/engine/calendar.h"

namespace questline::driver {
namespace {

bool LoadBundle(const std::string& bundle_path, EngineKind kind, const std::optional<std::string>& seed,
                const std::string& who, std::ostream& err, LoadedProgram* out) {
  std::string bytes, error;
  jit::Bundle bundle;
  if (!jit::ReadWholeFile(bundle_path, &bytes)) {
    err << who << ": cannot read '" << bundle_path << "'\n";
    return false;
  }
  if (!jit::DecodeBundle(bytes, &bundle, &error)) {
    err << who << ": " << bundle_path << ": " << error << "\n";
    return false;
  }
  out->program = std::make_unique<ir::Program>(std::move(bundle.program));
  ir::Program& program = *out->program;
  // The checksum only proves these are the bytes a quest wrote; a program
  // that does not hold together (a damaged or hand-made bundle) is refused
  // here, before the engine or the code indexes anything with it.
  std::string inconsistency;
  if (ir::CheckIr(program, &inconsistency) && !engine::KnownTimezone(program.settings.timezone))
    inconsistency = "unknown timezone '" + program.settings.timezone + "'";
  if (!inconsistency.empty()) {
    err << who << ": " << bundle_path << ": the bundle's program is inconsistent (" << inconsistency
        << "); build it again\n";
    return false;
  }
  // The seed is data the code reads at run time, never compiled in: the
  // bundle's objects stay valid under --seed.
  if (seed) program.settings.seed = *seed;
  std::string warning;
  if (kind == EngineKind::Jit) out->backend = jit::LinkOrInterpret(program, bundle.objects, &warning);
  else out->backend = std::make_unique<interp::Interpreter>(program);
  if (!warning.empty()) err << who << ": warning: " << warning << "\n";
  return true;
}

}  // namespace

bool IsBundlePath(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".qlb") == 0;
}

bool LoadProgram(const std::vector<std::string>& paths, const std::string& bundle_path, EngineKind kind,
                 const std::optional<std::string>& seed, const std::string& who, std::ostream& err,
                 LoadedProgram* out, int* exit_code) {
  if (!bundle_path.empty()) {
    *exit_code = kExitUsage;
    return LoadBundle(bundle_path, kind, seed, who, err, out);
  }
  std::optional<ir::Program> lowered = CompileToIr(paths, who, err, exit_code);
  if (!lowered) return false;
  out->program = std::make_unique<ir::Program>(std::move(*lowered));
  if (seed) out->program->settings.seed = *seed;   // overrides settings.seed for every draw
  out->backend = MakeBackend(*out->program, kind, who, err);
  return true;
}

}  // namespace questline::driver
