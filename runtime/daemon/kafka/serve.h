// A Kafka-fed questd's run (docs/scale-out.md): the Source on a thread of
// its own, the HTTP listener (ScaleOutRouter) on this one, until SIGTERM or
// SIGINT, when the source gives its partitions up and leaves the group.
#pragma once

#include <string>

#include "runtime/daemon/config.h"
#include "runtime/daemon/package.h"

namespace questline::daemon::kafka {

// The exit code: 0 after a signal, 2 when the source or a port cannot be opened.
int Serve(const Config& config, const std::string& token, PackagePtr package);

}  // namespace questline::daemon::kafka
