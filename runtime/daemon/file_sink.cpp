#include "runtime/daemon/file_sink.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "runtime/daemon/io_faults.h"
#include "runtime/daemon/journal.h"
#include "runtime/daemon/log.h"

#include "runtime/io/action_writer.h"

namespace questline::daemon {
namespace {

// Written out as they come past this, so the kernel gets them early.
constexpr size_t kWriteEvery = 64 * 1024;
// Made durable past this within one input, bounding memory however many
// actions one event or midnight produces.
constexpr size_t kSyncEvery = 4 << 20;
// While writes fail, the actions of the input in hand are held up to this;
// past it they are dropped and only a restart (the journal's replay) brings
// them back.
constexpr size_t kHoldMax = 256 << 20;

}  // namespace

FileSink::~FileSink() {
  std::string ignored;
  Flush(&ignored);
  if (fd_ >= 0) ::close(fd_);
}

bool FileSink::Open(const std::string& path, bool sync, std::string* error) {
  sync_ = sync;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    *error = "cannot open the action file '" + path + "': " + std::strerror(errno);
    return false;
  }
  // The tail, read backwards in growing windows until it holds the last
  // complete line whole.
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    *error = "cannot read the action file '" + path + "': " + std::strerror(errno);
    return false;
  }
  const uint64_t size = uint64_t(st.st_size);
  std::string tail;
  for (uint64_t window = 4096;; window *= 2) {
    const uint64_t n = std::min(window, size);
    tail.assign(size_t(n), '\0');
    if (::pread(fd_, tail.data(), size_t(n), off_t(size - n)) != ssize_t(n)) {
      *error = "cannot read the action file '" + path + "': " + std::strerror(errno);
      return false;
    }
    const size_t last_nl = tail.rfind('\n');
    const size_t prev = last_nl == std::string::npos || last_nl == 0 ? std::string::npos : tail.rfind('\n', last_nl - 1);
    const bool whole = prev != std::string::npos || n == size;
    if (!whole) continue;
    const uint64_t keep = last_nl == std::string::npos ? 0 : size - n + last_nl + 1;
    if (keep < size) {
      Log(LogLevel::Warn, "the action file '" + path + "' ends with a torn line (" + std::to_string(size - keep) +
                              " bytes): cut off");
      if (::ftruncate(fd_, off_t(keep)) != 0) {
        *error = "cannot truncate the action file '" + path + "': " + std::strerror(errno);
        return false;
      }
    }
    if (last_nl != std::string::npos) {
      const size_t start = prev == std::string::npos ? 0 : prev + 1;
      const std::string_view line(tail.data() + start, last_nl - start);
      const std::string_view prefix = "{\"seq\":";
      if (line.compare(0, prefix.size(), prefix) == 0)
        skip_through_ = std::strtoull(std::string(line.substr(prefix.size(), 20)).c_str(), nullptr, 10);
    }
    durable_ = keep;
    break;
  }
  return true;
}

void FileSink::Write(engine::Action&& action) {
  if (action.seq <= skip_through_ || lost_) return;   // written before a restart; or dropped (see kHoldMax)
  io::AppendActionJson(held_, action);
  if (!error_.empty()) {   // failing: held for the next Flush
    if (held_.size() > kHoldMax) {
      Log(LogLevel::Error, "the file sink dropped " + std::to_string(held_.size()) +
                               " bytes of actions held while it cannot write; a restart writes them from the journal");
      held_.clear();
      lost_ = true;
    }
    return;
  }
  std::string error;
  if (held_.size() - written_ >= kWriteEvery && !WriteOut()) Fail("write", &error);
  else if (held_.size() >= kSyncEvery) Flush(&error);
}

bool FileSink::WriteOut() {
  while (written_ < held_.size()) {
    const ssize_t n = FaultyWrite("sink.write", fd_, held_.data() + written_, held_.size() - written_);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = ENOSPC;   // no progress: no room
    if (n <= 0) return false;
    written_ += size_t(n);
  }
  return true;
}

bool FileSink::Flush(std::string* error) {
  if (fd_ < 0) return true;
  if (lost_) {
    *error = error_ + "; actions were dropped from memory meanwhile: restart questd to write them from the journal";
    return false;
  }
  if (cut_ && !CutBack()) {
    *error = error_ + "; the file cannot be cut back to its durable length: " + std::strerror(errno);
    return false;
  }
  if (!WriteOut()) return Fail("write", error);
  if (sync_ && FaultyFdatasync("sink.fsync", fd_) != 0) return Fail("fdatasync", error);
  durable_ += held_.size();
  held_.clear();
  written_ = 0;
  if (!error_.empty()) Log(LogLevel::Info, "the file sink writes again (after '" + error_ + "')");
  error_.clear();
  return true;
}

bool FileSink::Fail(const char* call, std::string* error) {
  error_ = std::string("sink: ") + call + ": " + std::strerror(errno);
  *error = error_;
  // After a failed fdatasync the pages may be gone though marked clean, and
  // a later fdatasync would not say so: the bytes past durable_ are cut and
  // all of held_ written again, rather than trusting any of them.
  cut_ = true;
  CutBack();
  return false;
}

bool FileSink::CutBack() {
  if (!CutFile(fd_, durable_, sync_, "sink")) return false;
  written_ = 0;
  cut_ = false;
  return true;
}

}  // namespace questline::daemon
