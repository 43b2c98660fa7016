#include "runtime/daemon/snapshot_writer.h"

#include <chrono>

#include "runtime/daemon/journal.h"

namespace questline::daemon {

void SnapshotWriter::Start(uint64_t seq, std::string bytes) {
  done_ = false;
  thread_ = std::thread([this, seq, bytes = std::move(bytes)] {
    const auto start = std::chrono::steady_clock::now();
    Outcome outcome;
    outcome.seq = seq;
    outcome.ok = WriteSnapshot(dir_, seq, bytes, sync_, &outcome.error);
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome_ = std::move(outcome);
    done_ = true;
  });
}

bool SnapshotWriter::Finished(Outcome* out) {
  if (!thread_.joinable() || !done_) return false;
  return Wait(out);
}

bool SnapshotWriter::Wait(Outcome* out) {
  if (!thread_.joinable()) return false;
  thread_.join();
  if (out) *out = std::move(outcome_);
  return true;
}

}  // namespace questline::daemon
