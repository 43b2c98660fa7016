// quest fmt [--check] PATH… — canonical formatting (compiler/format/).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/diag/render.h"
#include "compiler/driver/command.h"
#include "compiler/driver/file_identity.h"
#include "compiler/driver/options.h"
#include "compiler/driver/pipeline.h"
#include "compiler/driver/unified_diff.h"
#include "compiler/format/format.h"

namespace questline::driver {

namespace {

namespace fs = std::filesystem;

const char* kHelp =
    "usage: quest fmt [--check] PATH...\n"
    "\n"
    "Format .quest files in the canonical style (docs/tooling.md); folders recurse.\n"
    "  --check   change nothing; print a unified diff of what would change\n"
    "A file with syntax errors is reported and left as it is.\n"
    "exit: 0 done (--check: all formatted), 1 a file would change (--check) or has\n"
    "      errors, 2 usage or unreadable input\n";

// Replaces `path`'s contents through a temporary file beside it and a rename,
// so the file is either the old text or the new one, never half of either.
// A link is followed (the file it names is rewritten, the link stays) and the
// mode bits are kept.
bool ReplaceFile(const std::string& path, const std::string& text, std::string* error) {
  std::error_code ec;
  const fs::path target = fs::is_symlink(path, ec) ? fs::canonical(path, ec) : fs::path(path);
  if (ec) {
    *error = "cannot resolve '" + path + "': " + ec.message();
    return false;
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    *error = "cannot stat '" + path + "'";
    return false;
  }
  std::string tmp = target.string() + ".fmt-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    *error = "cannot create a temporary file beside '" + path + "'";
    return false;
  }
  bool ok = ::fchmod(fd, st.st_mode & 07777) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), target.c_str()) != 0) {
    ::unlink(tmp.c_str());
    *error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

}  // namespace

int FmtCommand(const Args& args) {
  std::vector<std::string> paths;
  bool check = false;
  int exit_code = kExitOk;
  Sources sources;
  if (!ParseOptions(args, {{"--check", nullptr, &check}}, "quest fmt", kHelp, &paths, &exit_code) ||
      !LoadPackageArgs(paths, "quest fmt", kHelp, &sources, &exit_code))
    return exit_code;
  int status = kExitOk;
  size_t changed = 0;
  diag::DiagnosticSink sink;
  // files[0] is the prelude, which is not the user's to format.
  for (size_t i = 1; i < sources.files.size(); ++i) {
    const diag::SourceFile& file = sources.manager.File(sources.files[i]);
    const format::Formatted formatted = format::FormatFile(sources.files[i], sources.manager, sink);
    if (!formatted.ok) {
      if (!formatted.internal_error.empty())
        std::cerr << "quest fmt: " << file.path << ": " << formatted.internal_error << " (left as it is)\n";
      status = kExitFailure;
      continue;
    }
    if (formatted.text == file.text) continue;
    ++changed;
    if (check) {
      std::cout << UnifiedDiff(file.path, file.text, formatted.text);
      status = kExitFailure;
    } else if (std::string error; !ReplaceFile(file.path, formatted.text, &error)) {
      std::cerr << "quest fmt: " << error << "\n";
      status = kExitFailure;
    }
  }
  sink.Sort(sources.manager);
  diag::Render(sink.All(), sources.manager, {}, std::cerr);
  if (!FlushStdout(std::cout)) {
    std::cerr << "quest fmt: cannot write the diff to stdout\n";
    return kExitUsage;
  }
  const size_t files = sources.files.size() - 1;
  std::cerr << changed << " of " << files << (files == 1 ? " file " : " files ")
            << (check ? "would be reformatted" : "reformatted") << "\n";
  return status;
}

}  // namespace questline::driver
