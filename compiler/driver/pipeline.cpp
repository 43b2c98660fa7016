#include "compiler/driver/pipeline.h"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>
#include <sstream>
#include <system_error>

#include "compiler/diag/render.h"
#include "compiler/driver/command.h"
#include "compiler/driver/file_identity.h"
#include "compiler/ir/lower.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "stdlib/prelude.h"

namespace questline::driver {

namespace fs = std::filesystem;

void LoadPackageText(const std::string& name, const std::string& text, Sources* out) {
  out->files.push_back(out->manager.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText())));
  out->files.push_back(out->manager.AddFile(name, text));
}

bool ListPackageFiles(const std::vector<std::string>& paths, std::vector<std::string>* out, std::string* error) {
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
      // No skip_permission_denied: a folder that cannot be read may hold rules,
      // and a package checked without them is not the package.
      fs::recursive_directory_iterator it(path, ec), end;
      std::string last = path;   // the entry the iterator descends into next: what failed, if it fails
      for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        last = p.generic_string();
        std::error_code link_ec;
        if (it->is_symlink(link_ec) && !fs::exists(it->status(link_ec))) {
          // A dangling link named *.quest (or aimed at one) is a rule file gone missing.
          const fs::path target = fs::read_symlink(p, link_ec);
          if (p.extension() == ".quest" || target.extension() == ".quest") {
            *error = "cannot read '" + p.generic_string() + "': a link to '" + target.generic_string() +
                     "', which does not exist";
            return false;
          }
          continue;
        }
        if (it->is_regular_file(ec) && p.extension() == ".quest") files.push_back(p.generic_string());
      }
      if (ec) {
        *error = "cannot read '" + last + "': " + ec.message();
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
  // One file named twice (`quest check . points.quest`: ./points.quest and
  // points.quest) is loaded once; the first spelling in path order stays.
  std::vector<std::string> unique_files;
  std::set<std::pair<unsigned long long, unsigned long long>> seen_inodes;
  std::set<std::string> seen_paths;
  for (const std::string& file : files) {
    FileIdentity id = IdentityOf(file);
    if (id.exists ? !seen_inodes.insert({id.dev, id.ino}).second : !seen_paths.insert(id.path).second) continue;
    unique_files.push_back(file);
  }
  *out = std::move(unique_files);
  return true;
}

bool LoadPackage(const std::vector<std::string>& paths, Sources* out, std::string* error) {
  std::vector<std::string> files;
  if (!ListPackageFiles(paths, &files, error)) return false;
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
                                       std::ostream& err, int* exit_code, std::string* diagnostics_json) {
  FrontEnd fe;
  return CompileKeepingSources(paths, who, err, exit_code, fe, nullptr, diagnostics_json);
}

std::optional<ir::Program> CompileKeepingSources(const std::vector<std::string>& paths, const std::string& who,
                                                 std::ostream& err, int* exit_code, FrontEnd& fe,
                                                 ir::SourceMap* map, std::string* diagnostics_json) {
  std::string error;
  if (!LoadPackage(paths, &fe.sources, &error)) {
    err << who << ": " << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  RunFrontEnd(fe);
  if (!fe.ok()) {
    diag::Render(fe.sink.All(), fe.sources.manager, {}, err);
    if (diagnostics_json) {
      diag::RenderOptions json;
      json.format = diag::Format::Json;
      std::ostringstream out;
      diag::Render(fe.sink.All(), fe.sources.manager, json, out);
      *diagnostics_json = out.str();
    }
    *exit_code = kExitFailure;
    return std::nullopt;
  }
  return ir::LowerToIr(fe.package, map);
}

}  // namespace questline::driver
