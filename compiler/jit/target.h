// The machine generated code is for. Part of every cache key and bundle header:
// an object compiled for another triple, CPU or feature set is never loaded.
#pragma once

#include <string>

namespace questline::jit {

struct Target {
  std::string triple;     // x86_64-pc-linux-gnu
  std::string cpu;        // skylake, znver3, …
  std::string features;   // +avx2,+bmi2,… (LLVM's sorted subtarget feature string)
};

// The host, as LLVM detects it. Initialises LLVM's native target on first use.
const Target& HostTarget();

}  // namespace questline::jit
