#include "runtime/daemon/webhook_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "runtime/daemon/json_out.h"

namespace questline::daemon {
namespace {

bool Fail(const std::string& what, const std::string& path, std::string* error) {
  *error = what + " '" + path + "': " + std::strerror(errno);
  return false;
}

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

}  // namespace

AckFile::~AckFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool AckFile::Open(const std::string& path, std::string* error) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return Fail("cannot open the webhook ack file", path, error);
  char text[64] = {};
  const ssize_t n = ::pread(fd_, text, sizeof text - 1, 0);
  if (n < 0) return Fail("cannot read the webhook ack file", path, error);
  if (n == 0) return Store(0, error);   // new: made durable before anything is sent
  bool ok = n == 21 && text[20] == '\n';
  for (int i = 0; ok && i < 20; ++i) ok = text[i] >= '0' && text[i] <= '9';
  if (!ok) {
    *error = "the webhook ack file '" + path + "' does not hold a sequence number (20 digits); remove it only to "
             "resend every action the journal still holds";
    return false;
  }
  seq_ = std::strtoull(text, nullptr, 10);
  return true;
}

bool AckFile::Store(uint64_t seq, std::string* error) {
  char text[32];
  std::snprintf(text, sizeof text, "%020llu\n", static_cast<unsigned long long>(seq));
  if (::pwrite(fd_, text, 21, 0) != 21 || ::fdatasync(fd_) != 0)
    return Fail("cannot write the webhook ack file", path_, error);
  seq_ = seq;
  return true;
}

DeadLetterFile::~DeadLetterFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool DeadLetterFile::Open(const std::string& path, std::string* error) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return Fail("cannot open the dead-letter file", path, error);
  return true;
}

bool DeadLetterFile::Append(const std::string& sink, int status, const std::string& why, int64_t attempts,
                            const std::vector<std::string>& lines, std::string* error) {
  const std::string head = "{\"sink\":" + JsonString(sink) + ",\"status\":" + std::to_string(status) +
                           ",\"error\":" + JsonString(why) + ",\"attempts\":" + std::to_string(attempts) +
                           ",\"action\":";
  std::string out;
  for (const std::string& line : lines) out += head + line.substr(0, line.size() - 1) + "}\n";
  if (!WriteAll(fd_, out) || ::fdatasync(fd_) != 0) return Fail("cannot write the dead-letter file", path_, error);
  return true;
}

}  // namespace questline::daemon
