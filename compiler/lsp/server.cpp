// The JSON-RPC loop: framing, decoding, dispatch and answers. Nothing a peer
// sends ends the server but `exit` or the end of input: a bad frame, bad JSON
// or an unknown method is answered with an error and the loop goes on.
#include "compiler/lsp/server.h"

#include <istream>
#include <ostream>

#include "compiler/lsp/framing.h"
#include "compiler/lsp/json_builder.h"

namespace questline::lsp {

const Server::Method Server::kMethods[] = {
    {"initialize", &Server::Initialize},
    {"textDocument/didOpen", &Server::DidOpen},
    {"textDocument/didChange", &Server::DidChange},
    {"textDocument/didClose", &Server::DidClose},
    {"textDocument/didSave", &Server::DidSave},
    {"textDocument/hover", &Server::Hover},
    {"textDocument/definition", &Server::Definition},
    {"textDocument/references", &Server::References},
    {"textDocument/completion", &Server::Completion},
    {"textDocument/rename", &Server::Rename},
    {"textDocument/formatting", &Server::Formatting},
};

int Server::Run() {
  std::string body, error;
  while (!exited_) {
    switch (ReadMessage(in_, &body, &error)) {
      case ReadStatus::End:
        log_ << "quest lsp: input ended without `exit`\n";
        return 1;
      case ReadStatus::BadFrame:
        log_ << "quest lsp: " << error << "\n";
        ReplyError("null", kInvalidRequest, error);
        break;
      case ReadStatus::Message:
        Handle(body);
        break;
    }
  }
  return shutdown_ ? 0 : 1;
}

void Server::Handle(const std::string& body) {
  simdjson::dom::element message;
  if (parser_.parse(body).get(message)) {
    ReplyError("null", kParseError, "the message is not valid JSON");
    return;
  }
  simdjson::dom::object object;
  if (message.get_object().get(object)) {
    ReplyError("null", kInvalidRequest, "a message is a JSON object (batches are not supported)");
    return;
  }
  Request request;
  simdjson::dom::element id;
  if (!object["id"].get(id)) {
    if (!id.is_string() && !id.is_int64() && !id.is_uint64()) {
      ReplyError("null", kInvalidRequest, "an id is a number or a string");
      return;
    }
    request.id = simdjson::minify(id);
  }
  std::string_view method;
  if (object["method"].get_string().get(method)) {
    // An answer to a request of ours (we send none) or junk: only the latter is answered.
    if (request.id.empty() || (object["result"].error() && object["error"].error()))
      ReplyError(request.id.empty() ? "null" : request.id, kInvalidRequest, "a request has a string `method`");
    return;
  }
  request.method = std::string(method);
  if (object["params"].get(request.params)) request.params = simdjson::dom::element();
  Dispatch(request);
}

void Server::Dispatch(const Request& r) {
  const bool notification = r.id.empty();
  if (r.method == "exit") {
    exited_ = true;
    return;
  }
  if (r.method == "initialized" || r.method.rfind("$/", 0) == 0) return;   // nothing to do; `$/` may be ignored
  if (!initialized_ && r.method != "initialize") {
    if (!notification) ReplyError(r.id, kServerNotInitialized, "`initialize` comes first");
    return;
  }
  if (shutdown_) {
    if (!notification) ReplyError(r.id, kInvalidRequest, "the server is shut down; only `exit` is served");
    return;
  }
  if (r.method == "shutdown") {
    shutdown_ = true;
    Reply(r.id, "null");
    return;
  }
  for (const Method& m : kMethods)
    if (r.method == m.name) {
      (this->*m.handler)(r);
      return;
    }
  if (!notification) ReplyError(r.id, kMethodNotFound, "unknown method '" + r.method + "'");
}

void Server::Reply(const std::string& id, const std::string& result) {
  if (id.empty()) return;   // notifications are not answered
  WriteMessage(out_, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}");
}

void Server::ReplyError(const std::string& id, int code, const std::string& message) {
  if (id.empty()) return;
  JsonBuilder json;
  json.BeginObject().Key("jsonrpc").String("2.0").Key("id").Raw(id).Key("error").BeginObject();
  json.Key("code").Int(code).Key("message").String(message).EndObject().EndObject();
  WriteMessage(out_, json.Take());
}

void Server::Notify(const std::string& method, const std::string& params) {
  JsonBuilder json;
  json.BeginObject().Key("jsonrpc").String("2.0").Key("method").String(method).Key("params").Raw(params).EndObject();
  WriteMessage(out_, json.Take());
}

}  // namespace questline::lsp
