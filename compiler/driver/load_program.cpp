#include "compiler/driver/load_program.h"

#include <ostream>

#include "compiler/driver/command.h"
#include "compiler/driver/pipeline.h"
#include "compiler/interp/interp.h"
#include "compiler/jit/bundle.h"
#include "compiler/jit/jit.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/sealed_file.h"
#include "core/ir/check.h"
#include "runtime/engine/calendar.h"

namespace questline::driver {
namespace {

bool LoadBundle(const std::string& bundle_path, EngineKind kind, const std::optional<std::string>& seed,
                const std::string& who, std::ostream& err, LoadedProgram* out) {
  std::string bytes;
  if (!jit::ReadWholeFile(bundle_path, &bytes)) {
    err << who << ": cannot read '" << bundle_path << "'\n";
    return false;
  }
  return LoadBundleBytes(bytes, bundle_path, kind, seed, who, err, out);
}

}  // namespace

bool LoadBundleBytes(const std::string& bytes, const std::string& name, EngineKind kind,
                     const std::optional<std::string>& seed, const std::string& who, std::ostream& err,
                     LoadedProgram* out) {
  std::string error;
  jit::Bundle bundle;
  if (!jit::DecodeBundle(bytes, &bundle, &error)) {
    err << who << ": " << name << ": " << error << "\n";
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
    err << who << ": " << name << ": the bundle's program is inconsistent (" << inconsistency
        << "); build it again\n";
    return false;
  }
  // The seed is data the code reads at run time, never compiled in: the
  // bundle's objects stay valid under --seed.
  if (seed) program.settings.seed = *seed;
  if (kind == EngineKind::Interp) {
    out->backend = std::make_unique<interp::Interpreter>(program);
  } else if (bundle.objects.empty()) {
    // A bundle questd stored while it ran on the interpreter: compiled now.
    out->backend = MakeBackend(program, kind, who, err);
  } else {
    std::string warning;
    out->backend = jit::LinkOrInterpret(program, bundle.objects, &warning);
    if (!warning.empty()) err << who << ": warning: " << warning << "\n";
  }
  return true;
}

std::string EncodePackage(const ir::Program& program, EngineKind kind) {
  std::vector<std::string> objects;
  if (kind == EngineKind::Jit) {
    // The options MakeBackend compiles with: the object cache already holds
    // the code, so this is a lookup, not a second compile.
    jit::CompileOptions options;
    options.cache_dir = jit::ObjectCache::DefaultDir();
    jit::CompileReport report;
    std::string error;
    if (!jit::CompileProgram(program, options, &objects, &report, &error)) objects.clear();
  }
  return jit::EncodeBundle(program, objects, 1);
}

bool IsBundlePath(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".qlb") == 0;
}

bool LoadProgram(const std::vector<std::string>& paths, const std::string& bundle_path, EngineKind kind,
                 const std::optional<std::string>& seed, const std::string& who, std::ostream& err,
                 LoadedProgram* out, int* exit_code, std::string* diagnostics_json) {
  if (!bundle_path.empty()) {
    *exit_code = kExitUsage;
    return LoadBundle(bundle_path, kind, seed, who, err, out);
  }
  std::optional<ir::Program> lowered = CompileToIr(paths, who, err, exit_code, diagnostics_json);
  if (!lowered) return false;
  out->program = std::make_unique<ir::Program>(std::move(*lowered));
  if (seed) out->program->settings.seed = *seed;   // overrides settings.seed for every draw
  out->backend = MakeBackend(*out->program, kind, who, err);
  return true;
}

}  // namespace questline::driver
