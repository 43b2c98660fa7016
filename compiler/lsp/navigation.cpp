// Hover, go to definition and find references: one lookup in the index each.
#include "compiler/index/describe.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/position.h"
#include "stdlib/prelude.h"

namespace questline::lsp {

namespace {

int32_t SymbolUnder(const Cursor& at) { return at.session->Symbols().SymbolAt(at.file, at.line, at.col); }

bool InPrelude(const Cursor& at, const diag::SourceRange& range) {
  return at.session->Sources().File(range.file).path == stdlib::kPreludePath;
}

}  // namespace

std::string HoverResult(const Cursor& at) {
  const int32_t symbol = SymbolUnder(at);
  if (symbol < 0) return "null";
  const index::Index& idx = at.session->Symbols();
  std::string text = "```quest\n" + index::Signature(idx, symbol, at.session->LastChecked()) + "\n```";
  const std::string doc = index::DocComment(at.session->Sources(), idx.At(symbol).decl);
  if (!doc.empty()) text += "\n\n" + doc;
  if (InPrelude(at, idx.At(symbol).decl)) text += "\n\n(built in: the prelude)";
  JsonBuilder json;
  json.BeginObject().Key("contents").BeginObject().Key("kind").String("markdown").Key("value").String(text).EndObject();
  json.EndObject();
  return json.Take();
}

std::string DefinitionResult(const Cursor& at) {
  const int32_t symbol = SymbolUnder(at);
  if (symbol < 0) return "null";
  const diag::SourceRange& decl = at.session->Symbols().At(symbol).decl;
  if (InPrelude(at, decl)) return "null";
  JsonBuilder json;
  WriteLocation(json, at.session->Sources(), decl);
  return json.Take();
}

std::string ReferencesResult(const Cursor& at, bool include_declaration) {
  JsonBuilder json;
  json.BeginArray();
  const int32_t symbol = SymbolUnder(at);
  if (symbol >= 0)
    for (const index::Occurrence& o : at.session->Symbols().OccurrencesOf(symbol))
      if ((include_declaration || !o.is_decl) && !InPrelude(at, o.range)) WriteLocation(json, at.session->Sources(), o.range);
  json.EndArray();
  return json.Take();
}

}  // namespace questline::lsp
