// The `file` sink: actions appended as NDJSON, in the format `quest run`
// writes (runtime/io/action_writer), so downstream tools read either.
#pragma once

#include <string>

#include "runtime/engine/action.h"

namespace questline::daemon {

class FileSink final : public engine::ActionSink {
 public:
  ~FileSink() override;
  // Appends to `path` (made if missing): a restarted daemon must not erase
  // the actions it already delivered. A torn last line (no newline) is cut
  // off, and the `seq` of the last complete line is remembered: the journal's
  // replay produces the same actions with the same seq, and those at or
  // below it are not written again. `sync`: Flush waits for the disk
  // (durability.fsync). False with `error` when it cannot.
  bool Open(const std::string& path, bool sync, std::string* error);
  uint64_t LastSeq() const { return skip_through_; }
  void Write(engine::Action&& action) override;
  // Writes what is held and (sync) waits until it is on disk. On a failure
  // (a full disk, an fsync error) false with `error` ("sink: write: No space
  // left on device"): the file is cut back to its last durable length and
  // the actions since are held, to be written whole by the next Flush —
  // so no line is lost or written twice, and no restart is needed.
  bool Flush(std::string* error);
  // Actions held that are not yet durable: a snapshot must wait (a restart
  // from it would not emit them again) and the next input must not be
  // taken before a Flush gets them out.
  bool Behind() const { return !held_.empty() || cut_ || lost_; }

 private:
  bool WriteOut();
  // A failed write or fdatasync: the reason, and the file cut back.
  bool Fail(const char* call, std::string* error);
  // Truncates the file to durable_, syncs that, and checks it.
  bool CutBack();
  int fd_ = -1;
  bool sync_ = true;
  uint64_t skip_through_ = 0;   // actions with seq <= this are in the file already
  uint64_t durable_ = 0;        // the file's length at the last Flush that succeeded
  std::string held_;            // the actions since then, as lines
  size_t written_ = 0;          // bytes of held_ handed to write() so far
  std::string error_;           // set: a write or fdatasync failed since the last Flush that succeeded
  bool cut_ = false;            // the file may hold bytes past durable_ that could not be cut yet
  bool lost_ = false;           // held_ outgrew its bound while failing: a restart rebuilds the actions
};

}  // namespace questline::daemon
