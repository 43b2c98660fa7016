// Lifecycle and document sync: initialize, didOpen/didChange/didClose/didSave,
// and the diagnostics each change publishes for every file of its package.
#include <filesystem>
#include <ostream>

#include "compiler/lsp/json_builder.h"
#include "compiler/lsp/position.h"
#include "compiler/lsp/server.h"

namespace questline::lsp {

namespace {

// The path of params.textDocument.uri, or "".
std::string DocumentPath(const Server::Request& r) {
  std::string_view uri;
  if (r.params.at_pointer("/textDocument/uri").get_string().get(uri)) return "";
  return PathOfUri(uri);
}

}  // namespace

void Server::Initialize(const Request& r) {
  initialized_ = true;
  JsonBuilder json;
  json.BeginObject().Key("capabilities").BeginObject();
  json.Key("textDocumentSync").BeginObject().Key("openClose").Bool(true).Key("change").Int(1);
  json.Key("save").BeginObject().Key("includeText").Bool(false).EndObject().EndObject();
  json.Key("hoverProvider").Bool(true).Key("definitionProvider").Bool(true).Key("referencesProvider").Bool(true);
  json.Key("renameProvider").Bool(true).Key("documentFormattingProvider").Bool(true);
  json.Key("completionProvider").BeginObject().Key("triggerCharacters").BeginArray().String(".").EndArray().EndObject();
  json.EndObject().Key("serverInfo").BeginObject().Key("name").String("quest lsp").EndObject().EndObject();
  Reply(r.id, json.Take());
}

PackageSession* Server::SessionFor(const std::string& path, std::string* error) {
  const std::string folder = std::filesystem::path(path).parent_path().generic_string();
  auto it = sessions_.find(folder);
  if (it != sessions_.end()) return it->second.get();
  if (sessions_.size() >= kMaxSessions) {
    for (auto s = sessions_.begin(); s != sessions_.end(); ++s) {
      bool in_use = false;
      for (auto& [open_path, text] : open_) in_use |= s->second->FileOf(open_path) != diag::kNoFile;
      if (!in_use) {
        published_.erase(s->first);
        sessions_.erase(s);
        break;
      }
    }
  }
  auto session = std::make_unique<PackageSession>(folder);
  if (!session->Refresh(open_, error)) return nullptr;
  return sessions_.emplace(folder, std::move(session)).first->second.get();
}

void Server::Analyse(const std::string& path) {
  std::string error;
  PackageSession* session = SessionFor(path, &error);
  if (session && !session->Refresh(open_, &error)) session = nullptr;
  if (!session) {
    log_ << "quest lsp: " << error << "\n";
    return;
  }
  // Every file with findings now, and every file that had some (to clear them).
  std::set<std::string>& published = published_[session->Folder()];
  std::set<std::string> now;
  for (const diag::Diagnostic& d : session->Diagnostics())
    if (d.range.Valid() && d.range.file > 0) now.insert(session->Sources().File(d.range.file).path);
  std::set<std::string> targets = now;
  targets.insert(published.begin(), published.end());
  targets.insert(path);
  for (const std::string& p : targets)
    if (session->FileOf(p) != diag::kNoFile || published.count(p))
      Notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(*session, p));
  published = std::move(now);
}

void Server::DidOpen(const Request& r) {
  const std::string path = DocumentPath(r);
  std::string_view text;
  if (path.empty() || r.params.at_pointer("/textDocument/text").get_string().get(text)) {
    log_ << "quest lsp: didOpen without a file:// uri and text\n";
    return;
  }
  open_[path] = std::string(text);
  Analyse(path);
}

void Server::DidChange(const Request& r) {
  const std::string path = DocumentPath(r);
  simdjson::dom::array changes;
  if (path.empty() || r.params["contentChanges"].get_array().get(changes)) {
    log_ << "quest lsp: didChange without a uri and contentChanges\n";
    return;
  }
  // Full sync: each change holds the whole text; the last one wins.
  bool changed = false;
  for (simdjson::dom::element change : changes) {
    std::string_view text;
    if (!change["range"].error()) {
      log_ << "quest lsp: ranged change ignored (the server asked for full sync)\n";
      continue;
    }
    if (!change["text"].get_string().get(text)) {
      open_[path] = std::string(text);
      changed = true;
    }
  }
  if (changed) Analyse(path);
}

void Server::DidClose(const Request& r) {
  const std::string path = DocumentPath(r);
  if (open_.erase(path)) Analyse(path);   // the file on disk stands in again
}

void Server::DidSave(const Request& r) {
  const std::string path = DocumentPath(r);
  if (!path.empty()) Analyse(path);   // other files of the folder may have changed on disk
}

}  // namespace questline::lsp
