// Between the protocol's coordinates and the compiler's: LSP positions are
// 0-based lines and UTF-16 code units; diag::SourceRange has 1-based lines and
// code-point columns. Documents are named by file:// URIs, the compiler by paths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/diag/source.h"
#include "compiler/lsp/json_builder.h"

namespace questline::lsp {

// The 1-based code-point column of UTF-16 offset `character` in `line`.
uint32_t ColumnOfUtf16(std::string_view line, uint32_t character);
// The UTF-16 offset of 1-based code-point column `col` in `line`.
uint32_t Utf16OfColumn(std::string_view line, uint32_t col);

// {"start":{"line":…,"character":…},"end":{…}}
void WriteRange(JsonBuilder& json, const diag::SourceManager& sources, const diag::SourceRange& range);
// {"uri":…,"range":…}
void WriteLocation(JsonBuilder& json, const diag::SourceManager& sources, const diag::SourceRange& range);

// The normalised path of a file:// URI (percent-escapes decoded); "" for other schemes.
std::string PathOfUri(std::string_view uri);
std::string UriOfPath(const std::string& path);

}  // namespace questline::lsp
