#include "compiler/diag/source.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

namespace questline::diag {

bool operator<(const SourceRange& a, const SourceRange& b) {
  return std::tie(a.file, a.line, a.col, a.end_line, a.end_col) <
         std::tie(b.file, b.line, b.col, b.end_line, b.end_col);
}

namespace {

void IndexLines(SourceFile& f) {
  f.line_starts.clear();
  // A BOM is an encoding mark, not text: line 1 starts after it.
  f.line_starts.push_back(f.text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0);
  for (size_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n' || (f.text[i] == '\r' && (i + 1 == f.text.size() || f.text[i + 1] != '\n')))
      f.line_starts.push_back(uint32_t(i + 1));
}

}  // namespace

FileId SourceManager::AddFile(std::string path, std::string text) {
  SourceFile f;
  f.path = std::move(path);
  f.text = std::move(text);
  IndexLines(f);
  files_.push_back(std::move(f));
  return FileId(files_.size() - 1);
}

void SourceManager::ReplaceText(FileId id, std::string text) {
  files_[id].text = std::move(text);
  IndexLines(files_[id]);
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

size_t ByteOfColumn(std::string_view line, uint32_t col) {
  size_t i = 0;
  for (uint32_t c = 1; c < col && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

uint32_t SourceManager::Column(FileId id, uint32_t line, size_t offset) const {
  const SourceFile& f = files_[id];
  const std::string_view text = Line(id, line);
  const size_t begin = size_t(text.data() - f.text.data());
  if (offset <= begin) return 1;
  const size_t in_line = std::min(offset, begin + text.size());
  uint32_t col = 1;
  for (size_t i = begin; i < in_line; ++i)
    if ((static_cast<unsigned char>(f.text[i]) & 0xC0) != 0x80) ++col;   // not a continuation byte
  return col + uint32_t(offset - in_line);   // past the end: the terminator, one column a byte
}

std::string_view SourceManager::Line(FileId id, uint32_t line) const {
  const SourceFile& f = files_[id];
  if (line == 0 || line > f.line_starts.size()) return {};
  size_t begin = f.line_starts[line - 1];
  size_t end = line < f.line_starts.size() ? f.line_starts[line] - 1 : f.text.size();   // at its LF or lone CR
  if (end > begin && f.text[end - 1] == '\r') --end;
  return std::string_view(f.text).substr(begin, end - begin);
}

}  // namespace questline::diag
