// Optimising one module and emitting it as a relocatable object for a target.
#pragma once

#include <memory>
#include <string>

namespace llvm { class Module; }

namespace questline::jit {

struct Target;

struct EmitTimes {
  double optimise_ms = 0, codegen_ms = 0;
};

// Levels: 0 — no IR passes, fast instruction selection; 1 — a short function
// pipeline (SROA, early CSE, instcombine, CFG simplification) and light code
// generation; 2 — LLVM's -O2. Returns the object file's bytes, or empty with
// `error` set.
std::string EmitObject(llvm::Module& module, const Target& target, int opt_level, EmitTimes* times,
                       std::string* error);

// The data layout string LLVM uses for the target (modules must carry it).
std::string DataLayoutFor(const Target& target, std::string* error);

}  // namespace questline::jit
