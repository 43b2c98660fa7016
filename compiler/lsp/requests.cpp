// The feature requests: decode the cursor, ask features.h, answer.
#include <ostream>

#include "compiler/lsp/json_builder.h"
#include "compiler/lsp/position.h"
#include "compiler/lsp/server.h"

namespace questline::lsp {

bool Server::CursorOf(const Request& r, Cursor* at) {
  std::string_view uri;
  uint64_t line = 0, character = 0;
  if (r.params.at_pointer("/textDocument/uri").get_string().get(uri) ||
      r.params.at_pointer("/position/line").get_uint64().get(line) ||
      r.params.at_pointer("/position/character").get_uint64().get(character)) {
    ReplyError(r.id, kInvalidParams, "expected textDocument.uri and position {line, character}");
    return false;
  }
  const std::string path = PathOfUri(uri);
  std::string error;
  PackageSession* session = path.empty() ? nullptr : SessionFor(path, &error);
  if (!session) {
    ReplyError(r.id, kRequestFailed, path.empty() ? "only file:// documents are served" : error);
    return false;
  }
  at->session = session;
  at->file = session->FileOf(path);
  if (at->file == diag::kNoFile || line >= session->Sources().File(at->file).line_starts.size()) {
    ReplyError(r.id, kInvalidParams, "no such position in a file of the package");
    return false;
  }
  at->line = uint32_t(line + 1);
  at->col = ColumnOfUtf16(session->Sources().Line(at->file, at->line), uint32_t(std::min<uint64_t>(character, 1u << 20)));
  return true;
}

void Server::Hover(const Request& r) {
  Cursor at;
  if (CursorOf(r, &at)) Reply(r.id, HoverResult(at));
}

void Server::Definition(const Request& r) {
  Cursor at;
  if (CursorOf(r, &at)) Reply(r.id, DefinitionResult(at));
}

void Server::References(const Request& r) {
  Cursor at;
  if (!CursorOf(r, &at)) return;
  bool include_declaration = true;
  if (r.params.at_pointer("/context/includeDeclaration").get_bool().get(include_declaration)) include_declaration = true;
  Reply(r.id, ReferencesResult(at, include_declaration));
}

void Server::Completion(const Request& r) {
  Cursor at;
  if (CursorOf(r, &at)) Reply(r.id, CompletionResult(at));
}

void Server::Rename(const Request& r) {
  Cursor at;
  if (!CursorOf(r, &at)) return;
  std::string_view new_name;
  if (r.params["newName"].get_string().get(new_name)) {
    ReplyError(r.id, kInvalidParams, "expected newName");
    return;
  }
  std::string result, error;
  if (RenameResult(at, std::string(new_name), &result, &error)) Reply(r.id, result);
  else ReplyError(r.id, kRequestFailed, error);
}

void Server::Formatting(const Request& r) {
  std::string_view uri;
  if (r.params.at_pointer("/textDocument/uri").get_string().get(uri)) {
    ReplyError(r.id, kInvalidParams, "expected textDocument.uri");
    return;
  }
  const std::string path = PathOfUri(uri);
  auto doc = open_.find(path);
  if (!formatter_ || doc == open_.end()) {
    Reply(r.id, "[]");   // no formatter yet (branch `fmt`), or nothing open to format
    return;
  }
  std::string error;
  const std::optional<std::string> formatted = formatter_(path, doc->second, &error);
  if (!formatted) {
    ReplyError(r.id, kRequestFailed, error);
    return;
  }
  if (*formatted == doc->second) {
    Reply(r.id, "[]");
    return;
  }
  // One edit replacing everything: from the start to a line past the end.
  size_t lines = 1;
  for (char c : doc->second) lines += c == '\n';
  JsonBuilder json;
  json.BeginArray().BeginObject().Key("range").BeginObject();
  json.Key("start").BeginObject().Key("line").Int(0).Key("character").Int(0).EndObject();
  json.Key("end").BeginObject().Key("line").Int(int64_t(lines)).Key("character").Int(0).EndObject();
  json.EndObject().Key("newText").String(*formatted).EndObject().EndArray();
  Reply(r.id, json.Take());
}

}  // namespace questline::lsp
