// A package questd runs: the program, the backend that runs it, its hash
// (Engine::ProgramHash, what snapshots and Reload records name) and its bytes
// as a bundle, for data_dir/packages/. How one is made — the front end, the
// JIT, bundles — is the driver's; the daemon's library sees only this and
// the PackageLoader that questd's main hands it (docs/daemon.md, Reload).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/backend.h"
#include "core/ir/program.h"

namespace questline::daemon {

struct Package {
  std::unique_ptr<ir::Program> program;
  std::unique_ptr<core::Backend> backend;   // refers to *program: declared after it, freed before it
  uint64_t hash = 0;
  std::string bundle;                       // the .qlb bytes
};

// Shared: the engine thread runs one while a reload compiles the next, and
// the engine needs the old one until Reload has returned.
using PackagePtr = std::shared_ptr<const Package>;

// Why the configured rules could not be loaded.
struct LoadFailure {
  std::string error;              // as text, what `quest run` would print
  std::string diagnostics_json;   // compile errors: a JSON array (quest check --format json); else empty
  int exit_code = 1;              // for questd's start: 1 compile errors, 2 unreadable
};

class PackageLoader {
 public:
  virtual ~PackageLoader() = default;
  // The configured `rules` (sources or a bundle), compiled or read now. Any
  // thread; one call at a time.
  virtual bool LoadConfigured(Package* out, LoadFailure* failure) = 0;
  // A bundle questd stored, data_dir/packages/<hash>.qlb.
  virtual bool LoadStored(const std::string& path, Package* out, std::string* error) = 0;
};

// A hash as in file names and answers: 16 lowercase hex digits.
std::string HashHex(uint64_t hash);

}  // namespace questline::daemon
