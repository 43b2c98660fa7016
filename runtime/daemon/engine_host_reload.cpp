// EngineHost's reload (docs/daemon.md, Reload): the swap between two inputs
// on the engine thread, and its replay from the journal.
#include "runtime/daemon/engine_host.h"

#include "runtime/daemon/log.h"
#include "runtime/daemon/package_store.h"

namespace questline::daemon {

ReloadResult EngineHost::Reload(PackagePtr next) {
  Commit();   // the batches staged were parsed with the running package's reader
  ReloadResult result;
  result.package = next->hash;
  result.previous = package_->hash;
  if (next->hash == package_->hash) {
    result.status = ReloadResult::Status::Unchanged;
    ++reloads_ok_;   // asked for and done: there was nothing to change
    return result;
  }
  result.status = ReloadResult::Status::Failed;
  // The package before the record that names it: a restart must find it.
  // (The reload's thread stored it already; this only sees the file.)
  if (!replaying_ && !StorePackage(config_.data_dir, *next, config_.fsync != "none", &result.error)) {
    ++reloads_failed_;
    Log(LogLevel::Error, "reload: " + result.error);
    return result;
  }
  const bool fresh = pristine_;
  JournalRecord record;
  record.kind = RecordKind::Reload;
  record.package = next->hash;
  if (!Journaled(std::move(record), &result.error)) {
    ++reloads_failed_;
    result.error = "not journaled, nothing changed: " + result.error;
    return result;
  }
  ++inputs_since_snapshot_;
  if (fresh) {
    // Nothing applied yet: the engine is built anew, as by a start with it.
    package_ = std::move(next);
    Build();
  } else if (engine_->Reload(*next->program, *next->backend, &result.error)) {
    // The engine keeps its string pool; the reader reads the new schema into it.
    package_ = std::move(next);
    NewReader();
  } else {
    // Journaled all the same: a replay refuses it again at the same point,
    // as Engine::Reload is deterministic, and goes on with the old program.
    ++reloads_failed_;
    Log(LogLevel::Error, "reload to " + HashHex(result.package) + " refused by the engine: " + result.error +
                             "; still running " + HashHex(result.previous));
    return result;
  }
  ++reloads_ok_;
  result.status = ReloadResult::Status::Reloaded;
  MaybeSnapshot();
  return result;
}

ReloadResult EngineHost::RefuseReload(const LoadFailure& failure) {
  ReloadResult result;
  result.status = ReloadResult::Status::Refused;
  result.package = result.previous = package_->hash;
  result.error = failure.error;
  result.diagnostics_json = failure.diagnostics_json;
  ++reloads_refused_;
  return result;
}

PackagePtr EngineHost::FindPackage(uint64_t hash, std::string* error) {
  if (hash == configured_->hash) return configured_;
  if (hash == package_->hash) return package_;
  auto package = std::make_shared<Package>();
  if (!loader_.LoadStored(PackagePath(config_.data_dir, hash), package.get(), error)) return nullptr;
  if (package->hash != hash) {
    *error = PackagePath(config_.data_dir, hash) + " holds package " + HashHex(package->hash);
    return nullptr;
  }
  return package;
}

void EngineHost::ApplyReload(uint64_t hash) {
  if (hash == package_->hash) return;
  std::string error;
  PackagePtr package = FindPackage(hash, &error);
  if (!package) {
    replay_error_ = "the journal reloads to package " + HashHex(hash) + ", which cannot be loaded: " + error;
    return;
  }
  const ReloadResult result = Reload(std::move(package));
  if (result.status == ReloadResult::Status::Reloaded) Log(LogLevel::Info, "replayed the reload to " + HashHex(hash));
}

}  // namespace questline::daemon
