#include "runtime/daemon/driver_loader.h"

#include <sstream>

#include "compiler/driver/load_program.h"
#include "runtime/daemon/journal.h"
#include "runtime/engine/engine.h"

namespace questline::daemon {
namespace {

driver::EngineKind KindOf(const Config& config) {
  driver::EngineKind kind = driver::EngineKind::Jit;
  driver::ParseEngine(config.engine, &kind);   // the config checked the name
  return kind;
}

void Take(driver::LoadedProgram& loaded, Package* out) {
  out->program = std::move(loaded.program);
  out->backend = std::move(loaded.backend);
  out->hash = engine::Engine::ProgramHash(*out->program);
}

}  // namespace

bool DriverLoader::LoadConfigured(Package* out, LoadFailure* failure) {
  const driver::EngineKind kind = KindOf(config_);
  std::ostringstream err;
  driver::LoadedProgram loaded;
  bool ok;
  if (driver::IsBundlePath(config_.rules)) {
    // Read once: the bytes stored in packages/ are those that were loaded,
    // even if the file is replaced meanwhile.
    failure->exit_code = 2;
    ok = ReadWholeFile(config_.rules, &out->bundle);
    if (!ok) err << "questd: cannot read '" << config_.rules << "'\n";
    ok = ok && driver::LoadBundleBytes(out->bundle, config_.rules, kind, std::nullopt, "questd", err, &loaded);
  } else {
    ok = driver::LoadProgram({config_.rules}, "", kind, std::nullopt, "questd", err, &loaded, &failure->exit_code,
                             &failure->diagnostics_json);
    if (ok) out->bundle = driver::EncodePackage(*loaded.program, kind);
  }
  failure->error = err.str();
  while (!failure->error.empty() && failure->error.back() == '\n') failure->error.pop_back();
  if (!ok) return false;
  Take(loaded, out);
  return true;
}

bool DriverLoader::LoadStored(const std::string& path, Package* out, std::string* error) {
  std::ostringstream err;
  driver::LoadedProgram loaded;
  if (!ReadWholeFile(path, &out->bundle)) {
    *error = "cannot read " + path;
    return false;
  }
  if (!driver::LoadBundleBytes(out->bundle, path, KindOf(config_), std::nullopt, "questd", err, &loaded)) {
    *error = err.str();
    return false;
  }
  Take(loaded, out);
  return true;
}

}  // namespace questline::daemon
