// FormatFile: syntax errors first (the front end's own parse and diagnostics),
// then layout and printing, then the proof that only the layout changed.
#include "compiler/format/format.h"

#include "compiler/syntax/layout.h"
#include "compiler/format/print.h"
#include "compiler/syntax/parse.h"
#include "compiler/syntax/utf8.h"

namespace questline::format {

Formatted FormatFile(diag::FileId file, const diag::SourceManager& sources, diag::DiagnosticSink& sink) {
  Formatted result;
  diag::DiagnosticSink parse_sink;
  syntax::Parse(file, sources, parse_sink);
  if (parse_sink.HasErrors()) {
    for (const diag::Diagnostic& d : parse_sink.All()) sink.Mutable().push_back(d);
    return result;
  }
  // The lexer sees what the front end's saw: a byte-order mark is whitespace.
  const std::string text = syntax::ValidateUtf8(sources.File(file).text).text;
  std::vector<syntax::LayoutToken> tokens;
  if (!syntax::LayOut(text, &tokens, &result.internal_error)) return result;
  std::string formatted = Print(tokens);
  // Never change meaning: the same tokens and comments, in the same order.
  std::vector<std::string> before, after;
  if (!syntax::TokenSequence(text, &before) || !syntax::TokenSequence(formatted, &after) || before != after) {
    result.internal_error = "the formatted text would not keep every token and comment";
    return result;
  }
  result.ok = true;
  result.text = std::move(formatted);
  return result;
}

}  // namespace questline::format
