#include "compiler/driver/pipeline.h"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "compiler/diag/render.h"
#include "compiler/driver/command.h"
#include "compiler/ir/lower.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "stdlib/prelude.h"

namespace questline::driver {

namespace fs = std::filesystem;

bool LoadPackage(const std::vector<std::string>& paths, Sources* out, std::string* error) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      *error = "cannot read '" + path + "': no such file or directory";
      return false;
    }
    if (fs::is_directory(status)) {
      size_t before = files.size();
      for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".quest")
          files.push_back(it->path().generic_string());
      }
      if (ec) {
        *error = "cannot read '" + path + "': " + ec.message();
        return false;
      }
      if (files.size() == before) {
        *error = "'" + path + "' holds no .quest file";
        return false;
      }
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  out->files.push_back(out->manager.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText())));
  for (const std::string& file : files) {
    diag::FileId id;
    if (!out->manager.LoadFile(file, &id, error)) return false;
    out->files.push_back(id);
  }
  return true;
}

void RunFrontEnd(FrontEnd& fe) {
  for (diag::FileId file : fe.sources.files)
    fe.modules.push_back(syntax::Parse(file, fe.sources.manager, fe.sink));
  if (!fe.sink.HasErrors()) fe.package = sema::Check(fe.modules, fe.sources.manager, fe.sink);
  fe.sink.Sort(fe.sources.manager);
}

std::optional<ir::Program> CompileToIr(const std::vector<std::string>& paths, const std::string& who,
                                       std::ostream& err, int* exit_code) {
  FrontEnd fe;
  std::string error;
  if (!LoadPackage(paths, &fe.sources, &error)) {
    err << who << ": " << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  RunFrontEnd(fe);
  if (!fe.ok()) {
    diag::Render(fe.sink.All(), fe.sources.manager, {}, err);
    *exit_code = kExitFailure;
    return std::nullopt;
  }
  return ir::LowerToIr(fe.package);
}

}  // namespace questline::driver
