// The daemon's run: the listeners and sessions on the network thread (the
// caller's), the engine on the EngineWorker's thread, the wall clock's ticks,
// reloads (POST /v1/reload, SIGHUP) compiled with `loader`, and the shutdown
// on SIGTERM/SIGINT (stop accepting, answer what is in hand, flush, return 0).
#pragma once

#include <string>

#include "runtime/daemon/config.h"
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/package.h"

namespace questline::daemon {

// Serves until a signal; the exit code (2 when a port cannot be opened).
// Prints "questd: listening http HOST:PORT" (and tcp) on stdout once bound,
// so a caller that asked for port 0 learns which one it got.
int Serve(const Config& config, const std::string& token, EngineHost& host, PackageLoader& loader);

}  // namespace questline::daemon
