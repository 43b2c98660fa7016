// Which backend runs a program: `--engine jit` (the default: native code,
// falling back to the interpreter with a warning when LLVM fails) or
// `--engine interp` (the reference interpreter). Shared by run and test.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "core/backend.h"
#include "core/ir/program.h"

namespace questline::driver {

enum class EngineKind { Jit, Interp };

// False when `name` is neither "jit" nor "interp".
bool ParseEngine(const std::string& name, EngineKind* kind);

// The backend for `program`; the JIT uses the object cache (QUESTLINE_CACHE_DIR,
// else the user's cache folder). Warnings go to `warnings`, prefixed with `who`.
std::unique_ptr<core::Backend> MakeBackend(const ir::Program& program, EngineKind kind, const std::string& who,
                                             std::ostream& warnings);

}  // namespace questline::driver
