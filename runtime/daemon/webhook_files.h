// The two files a webhook sink keeps beside the journal. The ack file is why
// a restart resends exactly what was not acknowledged: the journal's replay
// re-emits every action, and those at or below the acknowledged seq are
// skipped. The dead-letter file is where a batch goes when it cannot be
// delivered, so the sink can move on without dropping it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace questline::daemon {

// data_dir/webhook-NAME.ack: the seq of the last action acknowledged (or
// dead-lettered), as 20 digits and a newline rewritten in place and
// fdatasync'ed: one write well inside a disk sector, so it is never torn.
class AckFile {
 public:
  ~AckFile();
  // Made with 0 if missing. False with `error` when it cannot be, or holds
  // something else than the number (questd refuses to guess where to resume).
  bool Open(const std::string& path, std::string* error);
  uint64_t Seq() const { return seq_; }
  bool Store(uint64_t seq, std::string* error);

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t seq_ = 0;
};

// NDJSON, appended and fdatasync'ed: one line per action that could not be
// delivered, {"sink", "status", "error", "attempts", "action": {…}}, the
// action exactly as it would have been sent.
class DeadLetterFile {
 public:
  ~DeadLetterFile();
  bool Open(const std::string& path, std::string* error);
  // `lines`: the actions' NDJSON lines (newline included).
  bool Append(const std::string& sink, int status, const std::string& why, int64_t attempts,
              const std::vector<std::string>& lines, std::string* error);

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace questline::daemon
