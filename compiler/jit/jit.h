// The JIT as the driver and the daemon see it: a backend for a program, native
// when LLVM can make one, the interpreter otherwise. A JIT failure is never
// fatal: the program still runs, on the reference interpreter, with a warning.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/jit/compile.h"
#include "core/backend.h"

namespace questline::jit {

// Compiles (or finds in the cache) and links `program`. On failure: the
// interpreter, and `warning` says why.
std::unique_ptr<core::Backend> CompileOrInterpret(const ir::Program& program, const CompileOptions& options,
                                                    CompileReport* report, std::string* warning);

// Links objects already compiled (a bundle's). On failure: the interpreter,
// and `warning` says why.
std::unique_ptr<core::Backend> LinkOrInterpret(const ir::Program& program, const std::vector<std::string>& objects,
                                                 std::string* warning);

}  // namespace questline::jit
