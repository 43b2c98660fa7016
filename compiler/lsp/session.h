// One package as the editor sees it: the .quest files of a folder, with the
// open buffers standing in for their files on disk. A refresh re-parses only
// the files whose text changed (parse trees are kept per file) and re-checks
// the package; the symbol index is rebuilt from the trees. That is what keeps
// diagnostics after a keystroke fast on a large package.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/index/index.h"
#include "compiler/sema/package.h"
#include "compiler/syntax/ast.h"

namespace questline::lsp {

using Buffers = std::map<std::string, std::string>;   // path -> text of each open document

class PackageSession {
 public:
  explicit PackageSession(std::string folder) : folder_(std::move(folder)) {}

  // Reads the folder again (files added or deleted), takes `open` over disk,
  // parses what changed and checks. False with `error` when the folder cannot be read.
  bool Refresh(const Buffers& open, std::string* error);

  const std::string& Folder() const { return folder_; }
  const diag::SourceManager& Sources() const { return *sources_; }
  // Every finding of the package, sorted (parse errors; sema's when there are none).
  const std::vector<diag::Diagnostic>& Diagnostics() const { return diagnostics_; }
  // The checked package, or null while there are syntax errors (sema does not run).
  const sema::Package* Checked() const { return checked_ ? &package_ : nullptr; }
  // The last package that got through sema, maybe older than the text: while
  // a line is being typed the file rarely parses, and completion after `bet.`
  // and hover types still want the schema. Null before any did.
  const sema::Package* LastChecked() const { return ever_checked_ ? &package_ : nullptr; }
  const index::Index& Symbols() const { return index_; }
  // The file of `path` in this package, or diag::kNoFile.
  diag::FileId FileOf(const std::string& path) const;
  // The package's files (prelude excluded), by path.
  std::vector<std::string> Paths() const;

 private:
  struct File {
    std::string path;
    diag::FileId id = diag::kNoFile;
    ast::Module module;
    std::vector<diag::Diagnostic> parse_diagnostics;
  };
  void Rebuild(const std::vector<std::string>& paths, const std::vector<std::string>& texts);
  void Parse(File& file);

  std::string folder_;
  std::unique_ptr<diag::SourceManager> sources_;
  std::vector<File> files_;   // prelude first, then by path
  std::vector<diag::Diagnostic> diagnostics_;
  sema::Package package_;
  bool checked_ = false;
  bool ever_checked_ = false;
  index::Index index_;
};

}  // namespace questline::lsp
