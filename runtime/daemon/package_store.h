// data_dir/packages/: every package questd has run, as `<hash>.qlb`, so that
// recovery can build the engine with the program a snapshot was taken with
// and replay a Reload record with the program it names (docs/durability.md).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/daemon/package.h"

namespace questline::daemon {

std::string PackagePath(const std::string& data_dir, uint64_t hash);
// Writes `package`'s bundle unless the folder holds it already (named by its
// hash: the same name is the same program); with `sync` the file and the
// folder are fsync'ed, so a Reload record appended afterwards never names a
// package that a crash lost.
bool StorePackage(const std::string& data_dir, const Package& package, bool sync, std::string* error);

}  // namespace questline::daemon
