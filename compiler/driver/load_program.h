// A program ready to run, from a package's sources or a `.qlb` bundle: what
// `quest run` and `questd` both load before they build an Engine. The header
// shows only core types, so the daemon's files stay free of the front end
// and of LLVM (they link them, through this function).
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/backend_choice.h"
#include "core/backend.h"
#include "core/ir/program.h"

namespace questline::driver {

struct LoadedProgram {
  // Behind a pointer: the backend keeps a reference to it, so it must not
  // move when the LoadedProgram does.
  std::unique_ptr<ir::Program> program;
  std::unique_ptr<core::Backend> backend;
};

// `paths` (a package's sources) or `bundle_path` (a .qlb; exactly one of the
// two is given) to a program and its backend. `seed`, when set, replaces
// settings.seed. On failure, false with `exit_code` set (kExitUsage: an
// unreadable or inconsistent input; kExitFailure: compile errors) and the
// reasons written to `err`, each prefixed with `who`. With
// `diagnostics_json`, compile errors are also rendered there as a JSON array
// (`quest check --format json`), for questd's answer to a refused reload.
bool LoadProgram(const std::vector<std::string>& paths, const std::string& bundle_path, EngineKind kind,
                 const std::optional<std::string>& seed, const std::string& who, std::ostream& err,
                 LoadedProgram* out, int* exit_code, std::string* diagnostics_json = nullptr);

// A bundle already read: `bytes`, named `name` in messages. A bundle without
// native code (questd stores one when it runs on the interpreter) is
// compiled for `kind` jit.
bool LoadBundleBytes(const std::string& bytes, const std::string& name, EngineKind kind,
                     const std::optional<std::string>& seed, const std::string& who, std::ostream& err,
                     LoadedProgram* out);

// `program` as a bundle's bytes, with its native code when `kind` is jit
// (none for interp): what questd keeps in data_dir/packages/ so that a
// snapshot's or a journaled reload's program can be loaded again.
std::string EncodePackage(const ir::Program& program, EngineKind kind);

// True when `path` names a bundle (it ends in .qlb) rather than sources.
bool IsBundlePath(const std::string& path);

}  // namespace questline::driver
