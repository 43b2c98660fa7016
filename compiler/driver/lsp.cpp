// quest lsp: the Language Server over stdin/stdout (compiler/lsp/server.h).
#include <iostream>

#include "compiler/driver/command.h"
#include "compiler/format/format.h"
#include "compiler/lsp/server.h"

namespace questline::driver {

namespace {

const char* kHelp =
    "usage: quest lsp [--stdio]\n"
    "\n"
    "Serve the Language Server Protocol on stdin/stdout: diagnostics, hover, go to\n"
    "definition, references, completion, rename and formatting for .quest files.\n"
    "The package of a document is its folder. Logs go to stderr.\n"
    "exit: 0 after `shutdown` then `exit`, 1 when input ends or `exit` comes first\n";

}  // namespace

int LspCommand(const Args& args) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return kExitOk;
    }
    if (a != "--stdio") {   // editors' clients pass --stdio; it is the only transport
      std::cerr << "quest lsp: unknown option '" << a << "'\n" << kHelp;
      return kExitUsage;
    }
  }
  std::ios::sync_with_stdio(false);
  lsp::Server server(std::cin, std::cout, std::cerr);
  // textDocument/formatting is `quest fmt` on the editor's text.
  server.SetFormatter([](const std::string& path, const std::string& text,
                         std::string* error) -> std::optional<std::string> {
    diag::SourceManager sources;
    diag::DiagnosticSink sink;
    const diag::FileId file = sources.AddFile(path, text);
    format::Formatted formatted = format::FormatFile(file, sources, sink);
    if (formatted.ok) return std::move(formatted.text);
    *error = !formatted.internal_error.empty() ? formatted.internal_error
             : sink.All().empty()             ? "the file does not parse"
                                              : sink.All().front().message;
    return std::nullopt;
  });
  return server.Run();
}

}  // namespace questline::driver
