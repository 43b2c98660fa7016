// Rename: every occurrence the index holds, as one WorkspaceEdit. Names the
// prelude declares (`points`, `login`, profile fields) stay: the prelude is
// not the user's to edit.
#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "compiler/lsp/features.h"
#include "compiler/lsp/position.h"
#include "compiler/syntax/keywords.h"
#include "stdlib/prelude.h"

namespace questline::lsp {

namespace {

bool IsIdentifier(const std::string& name) {
  if (name.empty() || name.size() > 256) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_') return false;
  return true;
}

bool IsReserved(const std::string& name) {
  static const std::vector<std::string> kReserved = syntax::ReservedWords();
  return std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
}

}  // namespace

bool RenameResult(const Cursor& at, const std::string& new_name, std::string* result, std::string* error) {
  if (!IsIdentifier(new_name) || IsReserved(new_name)) {
    *error = "'" + new_name + "' is not a name a declaration can take";
    return false;
  }
  const index::Index& idx = at.session->Symbols();
  const int32_t symbol = idx.SymbolAt(at.file, at.line, at.col);
  if (symbol < 0) {
    *error = "no symbol to rename here";
    return false;
  }
  const diag::SourceManager& sources = at.session->Sources();
  if (sources.File(idx.At(symbol).decl.file).path == stdlib::kPreludePath) {
    *error = "'" + idx.At(symbol).name + "' is built in (declared in the prelude)";
    return false;
  }
  std::map<diag::FileId, std::vector<diag::SourceRange>> by_file;
  for (const index::Occurrence& o : idx.OccurrencesOf(symbol)) by_file[o.range.file].push_back(o.range);
  JsonBuilder json;
  json.BeginObject().Key("changes").BeginObject();
  for (auto& [file, ranges] : by_file) {
    json.Key(UriOfPath(sources.File(file).path)).BeginArray();
    for (const diag::SourceRange& r : ranges) {
      json.BeginObject().Key("range");
      WriteRange(json, sources, r);
      json.Key("newText").String(new_name).EndObject();
    }
    json.EndArray();
  }
  json.EndObject().EndObject();
  *result = json.Take();
  return true;
}

}  // namespace questline::lsp
