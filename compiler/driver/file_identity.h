// Checks on the files a command reads and writes, by identity (device and
// inode), not by spelling: `x`, `./x` and a link to x are one file.
#pragma once

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace questline::driver {

// A file's identity: st_dev and st_ino when it exists, otherwise its absolute
// lexically normalised path (an output that does not exist yet).
struct FileIdentity {
  bool exists = false;
  unsigned long long dev = 0, ino = 0;
  std::string path;
  bool operator==(const FileIdentity& o) const {
    return exists == o.exists && (exists ? dev == o.dev && ino == o.ino : path == o.path);
  }
};
FileIdentity IdentityOf(const std::string& path);

// A named file of a command: what it is for ("--events") and its path.
struct NamedFile {
  std::string role;
  std::string path;
};

// False with `error` set when an output is the same file as an input or as
// another output (an output over an input truncates it before it is read; two
// outputs garble each other).
bool CheckDistinctFiles(const std::vector<NamedFile>& inputs, const std::vector<NamedFile>& outputs,
                        std::string* error);

// True when `path` is absent or a regular file: what an output may replace.
// False (with `error`) for a symlink, FIFO, device node, folder or socket.
bool MayReplace(const std::string& path, std::string* error);

// Flushes `out` and stdio's stdout, true when every write so far succeeded.
// A full disk shows only at the flush, so every command checks it before exit 0.
bool FlushStdout(std::ostream& out);

}  // namespace questline::driver
