#include "compiler/diag/source.h"

#include <fstream>
#include <sstream>
#include <tuple>

namespace questline::diag {

bool operator<(const SourceRange& a, const SourceRange& b) {
  return std::tie(a.file, a.line, a.col, a.end_line, a.end_col) <
         std::tie(b.file, b.line, b.col, b.end_line, b.end_col);
}

FileId SourceManager::AddFile(std::string path, std::string text) {
  SourceFile f;
  f.path = std::move(path);
  f.text = std::move(text);
  f.line_starts.push_back(0);
  for (size_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.line_starts.push_back(uint32_t(i + 1));
  files_.push_back(std::move(f));
  return FileId(files_.size() - 1);
}

bool SourceManager::LoadFile(const std::string& path, FileId* id, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open '" + path + "'";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read '" + path + "'";
    return false;
  }
  *id = AddFile(path, buffer.str());
  return true;
}

std::string_view SourceManager::Line(FileId id, uint32_t line) const {
  const SourceFile& f = files_[id];
  if (line == 0 || line > f.line_starts.size()) return {};
  size_t begin = f.line_starts[line - 1];
  size_t end = line < f.line_starts.size() ? f.line_starts[line] - 1 : f.text.size();
  if (end > begin && f.text[end - 1] == '\r') --end;
  return std::string_view(f.text).substr(begin, end - begin);
}

}  // namespace questline::diag
