#include "compiler/lsp/session.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "stdlib/prelude.h"

namespace questline::lsp {

namespace fs = std::filesystem;

namespace {

// A file's text, or "" when it vanished between listing and reading (the
// next refresh lists without it).
std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

diag::FileId PackageSession::FileOf(const std::string& path) const {
  for (const File& f : files_)
    if (f.path == path) return f.id;
  return diag::kNoFile;
}

std::vector<std::string> PackageSession::Paths() const {
  std::vector<std::string> out;
  for (size_t i = 1; i < files_.size(); ++i) out.push_back(files_[i].path);
  return out;
}

void PackageSession::Parse(File& file) {
  diag::DiagnosticSink sink;
  file.module = syntax::Parse(file.id, *sources_, sink);
  file.parse_diagnostics = sink.All();
}

void PackageSession::Rebuild(const std::vector<std::string>& paths, const std::vector<std::string>& texts) {
  sources_ = std::make_unique<diag::SourceManager>();
  files_.clear();
  files_.push_back({stdlib::kPreludePath, sources_->AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText())), {}, {}});
  for (size_t i = 0; i < paths.size(); ++i) files_.push_back({paths[i], sources_->AddFile(paths[i], texts[i]), {}, {}});
  for (File& f : files_) Parse(f);
}

bool PackageSession::Refresh(const Buffers& open, std::string* error) {
  std::vector<std::string> paths;
  if (!driver::ListPackageFiles({folder_}, &paths, error)) {
    paths.clear();   // an emptied folder: its open buffers still make a package
    error->clear();
  }
  for (auto& [path, text] : open)   // unsaved new files of this folder
    if (fs::path(path).parent_path().generic_string() == folder_ &&
        std::find(paths.begin(), paths.end(), path) == paths.end())
      paths.push_back(path);
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    *error = "'" + folder_ + "' holds no .quest file";
    return false;
  }
  std::vector<std::string> texts;
  for (const std::string& path : paths) {
    auto it = open.find(path);
    texts.push_back(it != open.end() ? it->second : ReadText(path));
  }

  if (Paths() != paths) {
    Rebuild(paths, texts);
  } else {
    for (size_t i = 0; i < paths.size(); ++i) {
      File& f = files_[i + 1];
      if (sources_->File(f.id).text == texts[i]) continue;
      sources_->ReplaceText(f.id, std::move(texts[i]));
      Parse(f);
    }
  }

  diag::DiagnosticSink sink;
  std::vector<ast::Module> modules;
  for (File& f : files_) {
    for (const diag::Diagnostic& d : f.parse_diagnostics) sink.Mutable().push_back(d);
    modules.push_back(std::move(f.module));
  }
  checked_ = !sink.HasErrors();
  if (checked_) package_ = sema::Check(modules, *sources_, sink);   // else the last one stays (LastChecked)
  ever_checked_ |= checked_;
  sink.Sort(*sources_);
  diagnostics_ = sink.All();
  index_ = index::Build(modules);
  for (size_t i = 0; i < files_.size(); ++i) files_[i].module = std::move(modules[i]);
  return true;
}

}  // namespace questline::lsp
