#include "runtime/daemon/file_sink.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "runtime/io/action_writer.h"

namespace questline::daemon {

FileSink::~FileSink() {
  Flush(false);
  if (fd_ >= 0) ::close(fd_);
}

bool FileSink::Open(const std::string& path, std::string* error) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) *error = "cannot open the action file '" + path + "': " + std::strerror(errno);
  return fd_ >= 0;
}

void FileSink::Write(engine::Action&& action) {
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
