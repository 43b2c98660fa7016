#include "runtime/daemon/file_sink.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "runtime/daemon/log.h"

#include "runtime/io/action_writer.h"

namespace questline::daemon {

FileSink::~FileSink() {
  Flush(false);
  if (fd_ >= 0) ::close(fd_);
}

bool FileSink::Open(const std::string& path, std::string* error) {
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
    break;
  }
  return true;
}

void FileSink::Write(engine::Action&& action) {
  if (action.seq <= skip_through_) return;   // written before a restart
  io::AppendActionJson(buffer_, action);
  // Bounded memory however many actions one event or midnight produces.
  if (buffer_.size() >= 64 * 1024) WriteAll();
}

bool FileSink::WriteAll() {
  size_t done = 0;
  while (!failed_ && done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failed_ = true;
    else done += size_t(n);
  }
  buffer_.clear();
  return !failed_;
}

bool FileSink::Flush(bool sync) {
  if (fd_ < 0) return !failed_;
  if (!WriteAll()) return false;
  if (sync && ::fdatasync(fd_) != 0) failed_ = true;
  return !failed_;
}

}  // namespace questline::daemon
