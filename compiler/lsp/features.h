// The editor features as functions from a cursor in an analysed package to the
// JSON of a result. The server decodes requests and frames answers; these know
// nothing of JSON-RPC.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/lsp/session.h"

namespace questline::lsp {

struct Cursor {
  const PackageSession* session = nullptr;
  diag::FileId file = diag::kNoFile;
  uint32_t line = 1, col = 1;   // 1-based, code points (diag::SourceRange's units)
};

// Hover: {"contents":{"kind":"markdown","value":…},"range":…} or null.
std::string HoverResult(const Cursor& at);
// Definition: a Location, or null (no symbol, or one declared in the prelude).
std::string DefinitionResult(const Cursor& at);
// References: [Location…].
std::string ReferencesResult(const Cursor& at, bool include_declaration);
// Rename: a WorkspaceEdit; false with `error` when the name is not valid or
// the symbol cannot be renamed (none at the cursor, built in, a prelude name).
bool RenameResult(const Cursor& at, const std::string& new_name, std::string* result, std::string* error);
// Completion: a CompletionList for the text before the cursor: fields after
// `event.` or `profile.`, a declaration's clause keywords at the start of a
// line inside it, statement keywords in blocks, declared names elsewhere.
inline constexpr size_t kMaxCompletionItems = 2000;
std::string CompletionResult(const Cursor& at);

// diag::Diagnostic list -> textDocument/publishDiagnostics params per file.
std::string PublishDiagnosticsParams(const PackageSession& session, const std::string& path);

}  // namespace questline::lsp
