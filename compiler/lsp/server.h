// `quest lsp`: a Language Server speaking JSON-RPC 2.0 over a byte stream.
// One thread; every request is answered before the next is read, so an edit's
// diagnostics are published before a later hover is answered. Documents are
// synchronised in full (TextDocumentSyncKind.Full). The package of a document
// is the folder it is in; files of it that are not open are read from disk.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <simdjson.h>

#include "compiler/lsp/features.h"
#include "compiler/lsp/formatting.h"
#include "compiler/lsp/session.h"

namespace questline::lsp {

// JSON-RPC and LSP error codes.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestFailed = -32803;

// Packages analysed at once; opening a file of another folder beyond this
// drops the package no open document is in.
inline constexpr size_t kMaxSessions = 16;

class Server {
 public:
  Server(std::istream& in, std::ostream& out, std::ostream& log) : in_(in), out_(out), log_(log) {}
  void SetFormatter(Formatter formatter) { formatter_ = std::move(formatter); }
  // Serves until `exit` (0 after `shutdown`, 1 without) or the end of input (1).
  int Run();

  struct Request {
    std::string method;
    std::string id;                  // the id as JSON text; empty for a notification
    simdjson::dom::element params;   // a null element when absent
  };

 private:
  void Handle(const std::string& body);
  void Dispatch(const Request& request);
  void Reply(const std::string& id, const std::string& result);
  void ReplyError(const std::string& id, int code, const std::string& message);
  void Notify(const std::string& method, const std::string& params);

  // Document sync and diagnostics.
  void Initialize(const Request& r);
  void DidOpen(const Request& r);
  void DidChange(const Request& r);
  void DidClose(const Request& r);
  void DidSave(const Request& r);
  void Analyse(const std::string& path);
  PackageSession* SessionFor(const std::string& path, std::string* error);

  // Features.
  bool CursorOf(const Request& r, Cursor* at);   // replies with the error itself when false
  void Hover(const Request& r);
  void Definition(const Request& r);
  void References(const Request& r);
  void Completion(const Request& r);
  void Rename(const Request& r);
  void Formatting(const Request& r);

  struct Method {
    const char* name;
    void (Server::*handler)(const Request&);
  };
  static const Method kMethods[];

  std::istream& in_;
  std::ostream& out_;
  std::ostream& log_;
  Formatter formatter_;
  simdjson::dom::parser parser_;
  Buffers open_;
  std::map<std::string, std::unique_ptr<PackageSession>> sessions_;   // by folder
  std::map<std::string, std::set<std::string>> published_;   // folder -> paths last sent findings
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
};

}  // namespace questline::lsp
