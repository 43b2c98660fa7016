#include "runtime/daemon/package_store.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

#include "runtime/daemon/journal.h"

namespace questline::daemon {

std::string HashHex(uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, hash);
  return text;
}

std::string PackagePath(const std::string& data_dir, uint64_t hash) {
  return data_dir + "/packages/" + HashHex(hash) + ".qlb";
}

bool StorePackage(const std::string& data_dir, const Package& package, bool sync, std::string* error) {
  const std::string dir = data_dir + "/packages", path = PackagePath(data_dir, package.hash);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return true;
  const bool made = ::mkdir(dir.c_str(), 0755) == 0;
  if (!made && errno != EEXIST) {
    *error = "cannot create " + dir + ": " + std::strerror(errno);
    return false;
  }
  // The new folder's own entry, once, in data_dir.
  if (sync && made && !SyncDir(data_dir)) {
    *error = "cannot fsync " + data_dir + ": " + std::strerror(errno);
    return false;
  }
  return WriteFileDurably(dir, path, package.bundle, sync, "package", error);
}

}  // namespace questline::daemon
