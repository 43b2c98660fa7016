// From a lowered program to relocatable objects for this machine: the cache
// is consulted first, with a key computed from the program alone, so a warm
// start runs neither the code generator nor LLVM's optimiser.
#pragma once

#include <string>
#include <vector>

#include "core/ir/program.h"

namespace questline::jit {

struct CompileOptions {
  int opt_level = 1;          // 0 none, 1 a short function pipeline, 2 LLVM's -O2 (emit.h)
  std::string cache_dir;      // empty: no object cache
};

struct CompileReport {
  bool cache_hit = false;
  size_t modules = 0, functions = 0;
  double generate_ms = 0;     // IR → LLVM IR
  double optimise_ms = 0;     // summed over modules (they compile in parallel)
  double codegen_ms = 0;      // summed over modules
  double total_ms = 0;        // wall clock, cache lookup included
  std::string key;
  std::string cache_warning;  // non-empty: the cache entry was corrupt and was recompiled
};

// SHA-256 of the program's bytes, the JIT's version (a hash of its own
// sources), the target (triple, CPU, features) and the optimisation level.
std::string CacheKey(const ir::Program& program, int opt_level);

// The objects of `program` for the host. False with `error` when LLVM fails;
// a cache that cannot be written is not a failure.
bool CompileProgram(const ir::Program& program, const CompileOptions& options, std::vector<std::string>* objects,
                    CompileReport* report, std::string* error);

// The JIT's version string (QUESTLINE_JIT_VERSION), for headers and messages.
const char* JitVersion();

}  // namespace questline::jit
