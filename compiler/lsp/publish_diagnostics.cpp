// textDocument/publishDiagnostics for one file of a package: severity, the
// Q/W code, the message with its hints, related locations.
#include "compiler/lsp/features.h"
#include "compiler/lsp/position.h"

namespace questline::lsp {

namespace {

int LspSeverity(diag::Severity s) {
  switch (s) {
    case diag::Severity::Error: return 1;
    case diag::Severity::Warning: return 2;
    case diag::Severity::Note: return 3;
  }
  return 1;
}

}  // namespace

std::string PublishDiagnosticsParams(const PackageSession& session, const std::string& path) {
  const diag::FileId file = session.FileOf(path);
  const diag::SourceManager& sources = session.Sources();
  JsonBuilder json;
  json.BeginObject().Key("uri").String(UriOfPath(path)).Key("diagnostics").BeginArray();
  for (const diag::Diagnostic& d : session.Diagnostics()) {
    if (d.range.file != file || !d.range.Valid()) continue;
    std::string message = d.message;
    for (const std::string& hint : d.hints) message += "\nhint: " + hint;
    json.BeginObject().Key("range");
    WriteRange(json, sources, d.range);
    json.Key("severity").Int(LspSeverity(d.severity)).Key("code").String(diag::Info(d.kind).code);
    json.Key("source").String("quest").Key("message").String(message);
    if (!d.related.empty()) {
      json.Key("relatedInformation").BeginArray();
      for (const diag::Related& r : d.related) {
        if (!r.range.Valid()) continue;
        json.BeginObject().Key("location");
        WriteLocation(json, sources, r.range);
        json.Key("message").String(r.message).EndObject();
      }
      json.EndArray();
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
  return json.Take();
}

}  // namespace questline::lsp
