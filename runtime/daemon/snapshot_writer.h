// Writes snapshot files off the engine's thread (docs/durability.md,
// Snapshots). The engine's thread serialises the engine (it alone may read
// it) and hands the bytes over; the temporary file's write, its fsync, the
// rename and the folder's fsync then run on a thread of their own while
// ingest goes on. One write at a time: the engine's thread takes the outcome
// back (Finished) before it hands over the next, and only then drops the
// journal the new snapshot covers.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace questline::daemon {

class SnapshotWriter {
 public:
  struct Outcome {
    uint64_t seq = 0;
    bool ok = false;        // durable (renamed, and with `sync` on disk)
    std::string error;      // !ok
    double seconds = 0;     // the write, fsyncs and rename
  };

  SnapshotWriter(std::string dir, bool sync) : dir_(std::move(dir)), sync_(sync) {}
  ~SnapshotWriter() { Wait(); }
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // A write was handed over and its outcome not yet taken back.
  bool Busy() const { return thread_.joinable(); }
  // Writes `bytes` as snapshot-SEQ.bin in the background. Not while Busy.
  void Start(uint64_t seq, std::string bytes);
  // The outcome of the write handed over, once it has ended: false while it
  // runs or when none was handed over.
  bool Finished(Outcome* out);
  // Blocks until the write in hand has ended (shutdown), then as Finished.
  bool Wait(Outcome* out = nullptr);

 private:
  const std::string dir_;
  const bool sync_;
  std::thread thread_;
  std::atomic<bool> done_{false};
  Outcome outcome_;   // written by the thread before done_, read after
};

}  // namespace questline::daemon
