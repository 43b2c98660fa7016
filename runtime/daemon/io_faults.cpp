#include "runtime/daemon/io_faults.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unistd.h>
#include <vector>

#include "runtime/daemon/log.h"

namespace questline::daemon {
namespace {

constexpr const char* kSites[] = {"journal.write",  "journal.fsync",  "journal.truncate", "snapshot.write",
                                  "snapshot.fsync", "snapshot.rename", "sink.write",      "sink.fsync",
                                  "sink.truncate",  "package.write",  "package.fsync",   "package.rename"};

constexpr std::pair<const char*, int> kErrnos[] = {{"EIO", EIO},     {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT},
                                                   {"EROFS", EROFS}, {"EFBIG", EFBIG},   {"EBADF", EBADF}};

struct Fault {
  std::string site;
  uint64_t first = 0, last = 0;   // the calls that fail, counted from 1 per site
  int error = 0;
};

struct Plan {
  std::vector<Fault> faults;
  std::string error;   // QUESTD_FAULTS does not parse
  std::mutex mutex;    // the package store writes on the reload's thread
  std::map<std::string, uint64_t> calls;
};

bool ParseCount(const std::string& text, uint64_t* out) {
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), ::isdigit)) return false;
  *out = std::stoull(text);
  return *out > 0;
}

// One `SITE:N[-M|+]:ERRNO`.
bool ParseFault(const std::string& item, Fault* fault) {
  const size_t a = item.find(':'), b = item.rfind(':');
  if (a == std::string::npos || a == b) return false;
  fault->site = item.substr(0, a);
  if (std::find_if(std::begin(kSites), std::end(kSites), [&](const char* s) { return fault->site == s; }) ==
      std::end(kSites))
    return false;
  std::string calls = item.substr(a + 1, b - a - 1);
  const std::string name = item.substr(b + 1);
  const auto* known = std::find_if(std::begin(kErrnos), std::end(kErrnos), [&](auto& e) { return name == e.first; });
  if (known == std::end(kErrnos)) return false;
  fault->error = known->second;
  if (!calls.empty() && calls.back() == '+') {
    fault->last = UINT64_MAX;
    return ParseCount(calls.substr(0, calls.size() - 1), &fault->first);
  }
  const size_t dash = calls.find('-');
  if (dash == std::string::npos) {
    if (!ParseCount(calls, &fault->first)) return false;
    fault->last = fault->first;
    return true;
  }
  return ParseCount(calls.substr(0, dash), &fault->first) && ParseCount(calls.substr(dash + 1), &fault->last) &&
         fault->first <= fault->last;
}

Plan& ThePlan() {
  static Plan* plan = [] {
    auto* p = new Plan;   // never freed: the wrappers may run until exit
    const char* value = std::getenv("QUESTD_FAULTS");
    std::string rest = value ? value : "";
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string item = rest.substr(0, comma);
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
      Fault fault;
      if (!ParseFault(item, &fault)) {
        p->error = "QUESTD_FAULTS: '" + item + "' is not SITE:N[-M|+]:ERRNO (docs/durability.md, Faults)";
        p->faults.clear();
        break;
      }
      p->faults.push_back(fault);
    }
    return p;
  }();
  return *plan;
}

// Counts the call; true, with errno set, when it is to fail.
bool Fails(const char* site) {
  Plan& plan = ThePlan();
  if (plan.faults.empty()) return false;
  std::lock_guard<std::mutex> lock(plan.mutex);
  const uint64_t call = ++plan.calls[site];
  for (const Fault& fault : plan.faults)
    if (fault.site == site && call >= fault.first && call <= fault.last) {
      Log(LogLevel::Warn, std::string("QUESTD_FAULTS: ") + site + " call " + std::to_string(call) + " fails (" +
                              std::strerror(fault.error) + ")");
      errno = fault.error;
      return true;
    }
  return false;
}

}  // namespace

bool ArmIoFaults(std::string* error) {
  Plan& plan = ThePlan();
  if (!plan.error.empty()) {
    *error = plan.error;
    return false;
  }
  if (!plan.faults.empty())
    Log(LogLevel::Warn, std::string("QUESTD_FAULTS is set: file I/O faults are injected (") +
                            std::getenv("QUESTD_FAULTS") + "); for tests only");
  return true;
}

ssize_t FaultyWrite(const char* site, int fd, const void* data, size_t size) {
  if (!Fails(site)) return ::write(fd, data, size);
  const int error = errno;
  if (size > 1) (void)!::write(fd, data, size / 2);
  errno = error;
  return -1;
}

int FaultyFsync(const char* site, int fd) { return Fails(site) ? -1 : ::fsync(fd); }
int FaultyFdatasync(const char* site, int fd) { return Fails(site) ? -1 : ::fdatasync(fd); }
int FaultyFtruncate(const char* site, int fd, off_t size) { return Fails(site) ? -1 : ::ftruncate(fd, size); }
int FaultyRename(const char* site, const char* from, const char* to) {
  return Fails(site) ? -1 : ::rename(from, to);
}

}  // namespace questline::daemon
