// A bundle (`quest build -o FILE.qlb`): a checked, lowered program and its
// object code for one machine, so `quest run --bundle` and the daemon start
// without parsing, checking or compiling. The header names the JIT version and
// the target; a bundle for anything else is refused, never guessed at.
#pragma once

#include <string>
#include <vector>

#include "core/ir/program.h"

namespace questline::jit {

struct BundleHeader {
  std::string version;                 // JitVersion() of the writer
  std::string triple, cpu, features;   // Target of the object code
  int opt_level = 1;
};

struct Bundle {
  BundleHeader header;
  ir::Program program;
  std::vector<std::string> objects;
};

std::string EncodeBundle(const ir::Program& program, const std::vector<std::string>& objects, int opt_level);

// False with a one-line `error` when `bytes` is not a whole bundle, or one
// for another JIT version or target (the message names both sides).
bool DecodeBundle(const std::string& bytes, Bundle* bundle, std::string* error);

}  // namespace questline::jit
