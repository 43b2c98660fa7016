#include "compiler/driver/file_identity.h"

#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <system_error>

namespace questline::driver {

FileIdentity IdentityOf(const std::string& path) {
  FileIdentity id;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    return id;
  }
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  id.path = ec ? std::filesystem::absolute(path, ec).lexically_normal().string() : p.string();
  return id;
}

bool CheckDistinctFiles(const std::vector<NamedFile>& inputs, const std::vector<NamedFile>& outputs,
                        std::string* error) {
  std::vector<NamedFile> all = outputs;   // outputs first: each is compared with all after it
  all.insert(all.end(), inputs.begin(), inputs.end());
  std::vector<FileIdentity> ids;
  for (const NamedFile& f : all) ids.push_back(IdentityOf(f.path));
  for (size_t i = 0; i < outputs.size(); ++i)
    for (size_t j = i + 1; j < all.size(); ++j)
      if (ids[i] == ids[j]) {
        *error = all[j].role + " '" + all[j].path + "' and " + all[i].role + " '" + all[i].path +
                 "' are the same file";
        return false;
      }
  return true;
}

bool MayReplace(const std::string& path, std::string* error) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return true;   // absent (or unreachable: the write will say)
  if (S_ISREG(st.st_mode)) return true;
  const char* what = S_ISLNK(st.st_mode)    ? "a symbolic link"
                     : S_ISFIFO(st.st_mode) ? "a FIFO"
                     : S_ISDIR(st.st_mode)  ? "a folder"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                  : "not a regular file";
  *error = "refusing to replace '" + path + "': it is " + std::string(what) + ", not a regular file";
  return false;
}

bool FlushStdout(std::ostream& out) {
  out.flush();
  const bool stream_ok = bool(out);
  const bool stdio_ok = std::fflush(stdout) == 0 && !std::ferror(stdout);
  return stream_ok && stdio_ok;
}

}  // namespace questline::driver
