#include "runtime/daemon/reloader.h"

#include <memory>

#include <boost/asio/executor_work_guard.hpp>

#include "runtime/daemon/log.h"
#include "runtime/daemon/package_store.h"

namespace questline::daemon {

Reloader::Reloader(const Config& config, PackageLoader& loader, EngineHost& host, EngineWorker& worker,
                   boost::asio::io_context& network)
    : config_(config), loader_(loader), host_(host), worker_(worker), network_(network) {}

Reloader::~Reloader() {
  if (thread_.joinable()) thread_.join();
}

bool Reloader::Start(std::function<void(ReloadResult)> done) {
  if (busy_.exchange(true)) return false;
  // The last reload's thread has handed its package over by now (busy_ was
  // cleared on the engine thread after that), so this join is short.
  if (thread_.joinable()) thread_.join();
  thread_ = std::thread([this, done = std::move(done)]() mutable { Compile(std::move(done)); });
  return true;
}

void Reloader::Compile(std::function<void(ReloadResult)> done) {
  // Keeps the network's loop running while this compiles: a shutdown waits
  // for the answer, as for any request in hand.
  auto work = boost::asio::make_work_guard(network_);
  auto package = std::make_shared<Package>();
  LoadFailure failure;
  bool ok = loader_.LoadConfigured(package.get(), &failure);
  if (ok && !failure.error.empty()) Log(LogLevel::Warn, failure.error);
  // Written here, off the engine thread; the swap only checks it is there
  // (and, if this failed, tries again and fails the reload).
  std::string store_error;
  if (ok && !StorePackage(config_.data_dir, *package, config_.fsync != "none", &store_error))
    Log(LogLevel::Warn, "reload: " + store_error);
  worker_.Run<ReloadResult>(
      [this, ok, package = PackagePtr(std::move(package)), failure]() mutable {
        ReloadResult result = ok ? host_.Reload(std::move(package)) : host_.RefuseReload(failure);
        busy_ = false;
        return result;
      },
      std::move(done));
}

std::string ReloadOutcome(const ReloadResult& r) {
  switch (r.status) {
    case ReloadResult::Status::Reloaded:
      return "reloaded: package " + HashHex(r.package) + " (was " + HashHex(r.previous) + ")";
    case ReloadResult::Status::Unchanged: return "reload: package " + HashHex(r.package) + " unchanged";
    case ReloadResult::Status::Refused: return "reload refused, still running " + HashHex(r.previous) + ": " + r.error;
    case ReloadResult::Status::Failed: return "reload failed, still running " + HashHex(r.previous) + ": " + r.error;
  }
  return "reload: unknown outcome";
}

}  // namespace questline::daemon
