// Source files and locations. Every phase reports against these; nothing here
// knows how a file was parsed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace questline::diag {

using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

// 1-based line and column; columns count characters (UTF-8 code points, a tab
// is one: tabs are expanded only when rendering), so that an editor's "go to
// column" lands on the reported character. Lines end at LF, CRLF or a lone CR;
// a UTF-8 byte-order mark at the start of a file is not part of line 1.
// end_line/end_col point one past the last character of the range.
struct SourceRange {
  FileId file = kNoFile;
  uint32_t line = 0, col = 0;
  uint32_t end_line = 0, end_col = 0;

  bool Valid() const { return file != kNoFile && line > 0; }
};

bool operator<(const SourceRange& a, const SourceRange& b);

// The byte offset in `line` of 1-based character column `col` (clamped to its end).
size_t ByteOfColumn(std::string_view line, uint32_t col);

struct SourceFile {
  std::string path;      // as the user named it (for messages)
  std::string text;      // exact bytes read
  std::vector<uint32_t> line_starts;  // byte offset of each line start (after any BOM for line 1)
};

class SourceManager {
 public:
  // Adds a file whose text is already in memory (tests, stdin, the prelude).
  FileId AddFile(std::string path, std::string text);
  // Gives file `id` new text (an editor's unsaved buffer): its FileId, and so
  // every range already reported against the other files, stays valid.
  void ReplaceText(FileId id, std::string text);
  // Reads a file from disk; false and `error` set when it cannot be read.
  bool LoadFile(const std::string& path, FileId* id, std::string* error);

  const SourceFile& File(FileId id) const { return files_[id]; }
  size_t FileCount() const { return files_.size(); }
  // The text of line `line` (1-based) without its line terminator.
  std::string_view Line(FileId id, uint32_t line) const;
  // The 1-based column (in characters) of byte `offset` of the file, on `line`.
  uint32_t Column(FileId id, uint32_t line, size_t offset) const;

 private:
  std::vector<SourceFile> files_;
};

}  // namespace questline::diag
