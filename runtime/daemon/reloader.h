// POST /v1/reload and SIGHUP (docs/daemon.md, Reload): the configured rules
// are compiled on a thread of their own — a JIT compile takes seconds, and
// neither the engine's thread nor the network's waits for it — then swapped
// in on the engine's thread, between two inputs. One reload at a time.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "runtime/daemon/config.h"
#include "runtime/daemon/engine_host.h"
#include "runtime/daemon/engine_worker.h"
#include "runtime/daemon/package.h"

namespace questline::daemon {

class Reloader {
 public:
  Reloader(const Config& config, PackageLoader& loader, EngineHost& host, EngineWorker& worker,
           boost::asio::io_context& network);
  ~Reloader();
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Starts a reload; `done` gets its outcome on the network thread. False,
  // and nothing started, while another one has not finished.
  bool Start(std::function<void(ReloadResult)> done);

 private:
  void Compile(std::function<void(ReloadResult)> done);

  const Config& config_;
  PackageLoader& loader_;
  EngineHost& host_;
  EngineWorker& worker_;
  boost::asio::io_context& network_;
  std::atomic<bool> busy_{false};
  std::thread thread_;
};

// How a reload ended, for the log (SIGHUP, a restart).
std::string ReloadOutcome(const ReloadResult& result);

}  // namespace questline::daemon
