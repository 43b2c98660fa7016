#include "compiler/lsp/position.h"

#include <cctype>
#include <filesystem>

namespace questline::lsp {

namespace {

// Bytes in the UTF-8 sequence that starts with `lead` (1 for stray bytes).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

uint32_t ColumnOfUtf16(std::string_view line, uint32_t character) {
  uint32_t col = 1, units = 0;
  for (size_t i = 0; i < line.size() && units < character;) {
    const size_t n = SequenceLength(static_cast<unsigned char>(line[i]));
    units += n == 4 ? 2 : 1;   // a code point above the BMP is a surrogate pair
    i += n;
    ++col;
  }
  return col + (units < character ? character - units : 0);   // past the end: one column a unit
}

uint32_t Utf16OfColumn(std::string_view line, uint32_t col) {
  uint32_t units = 0, c = 1;
  size_t i = 0;
  for (; i < line.size() && c < col; ++c) {
    const size_t n = SequenceLength(static_cast<unsigned char>(line[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return units + (col > c ? col - c : 0);
}

void WriteRange(JsonBuilder& json, const diag::SourceManager& sources, const diag::SourceRange& range) {
  auto position = [&](uint32_t line, uint32_t col) {
    const uint32_t l = line > 0 ? line : 1;
    json.BeginObject().Key("line").Int(l - 1);
    json.Key("character").Int(Utf16OfColumn(sources.Line(range.file, l), col > 0 ? col : 1)).EndObject();
  };
  json.BeginObject().Key("start");
  position(range.line, range.col);
  json.Key("end");
  position(range.end_line ? range.end_line : range.line, range.end_line ? range.end_col : range.col);
  json.EndObject();
}

void WriteLocation(JsonBuilder& json, const diag::SourceManager& sources, const diag::SourceRange& range) {
  json.BeginObject().Key("uri").String(UriOfPath(sources.File(range.file).path)).Key("range");
  WriteRange(json, sources, range);
  json.EndObject();
}

std::string PathOfUri(std::string_view uri) {
  static const std::string_view kScheme = "file://";
  if (uri.substr(0, kScheme.size()) != kScheme) return "";
  uri.remove_prefix(kScheme.size());
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      path.push_back(char(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      path.push_back(uri[i]);
    }
  }
  return std::filesystem::path(path).lexically_normal().generic_string();
}

std::string UriOfPath(const std::string& path) {
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri.push_back(char(c));
    } else {
      static const char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

}  // namespace questline::lsp
