// The PackageLoader questd's main hands the daemon: the driver's LoadProgram
// (the front end and the JIT), as `quest run` loads. Part of the questd
// executable, not of the daemon's library, which stays free of the compiler.
#pragma once

#include "runtime/daemon/config.h"
#include "runtime/daemon/package.h"

namespace questline::daemon {

class DriverLoader final : public PackageLoader {
 public:
  explicit DriverLoader(const Config& config) : config_(config) {}
  bool LoadConfigured(Package* out, LoadFailure* failure) override;
  bool LoadStored(const std::string& path, Package* out, std::string* error) override;

 private:
  const Config& config_;
};

}  // namespace questline::daemon
