#include <string>
#include <vector>

#include "compiler/index/describe.h"

namespace questline::index {

std::string DocComment(const diag::SourceManager& sources, const SourceRange& decl) {
  if (!decl.Valid() || decl.file >= sources.FileCount()) return "";
  std::vector<std::string> lines;
  for (uint32_t line = decl.line - 1; line >= 1 && int(lines.size()) < kMaxDocLines; --line) {
    std::string_view text = sources.Line(decl.file, line);
    const size_t start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos || text.compare(start, 2, "//") != 0) break;
    text.remove_prefix(start + 2);
    if (!text.empty() && text[0] == ' ') text.remove_prefix(1);
    lines.emplace_back(text);
  }
  std::string out;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) out += (out.empty() ? "" : "\n") + *it;
  return out;
}

}  // namespace questline::index
