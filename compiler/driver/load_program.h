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
// reasons written to `err`, each prefixed with `who`.
bool LoadProgram(const std::vector<std::string>& paths, const std::string& bundle_path, EngineKind kind,
                 const std::optional<std::string>& seed, const std::string& who, std::ostream& err,
                 LoadedProgram* out, int* exit_code);

// True when `path` names a bundle (it ends in .qlb) rather than sources.
bool IsBundlePath(const std::string& path);

}  // namespace questline::driver
