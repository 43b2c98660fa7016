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
  // below it are not written again. False with `error` when it cannot.
  bool Open(const std::string& path, std::string* error);
  uint64_t LastSeq() const { return skip_through_; }
  void Write(engine::Action&& action) override;
  // Writes what is buffered, then with `sync` waits until it is on disk
  // (durability.fsync). False once a write has failed.
  bool Flush(bool sync);

 private:
  bool WriteAll();
  int fd_ = -1;
  uint64_t skip_through_ = 0;   // actions with seq <= this are in the file already
  bool failed_ = false;
  std::string buffer_;
};

}  // namespace questline::daemon
