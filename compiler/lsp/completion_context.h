// Where the cursor is, as far as completion cares: a lexical scan of the text
// before it (strings and comments skipped, braces counted), so it works on
// text that does not parse, which is most text while typing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace questline::lsp {

struct CompletionContext {
  std::string prefix;      // the part of a word already typed
  std::string member_of;   // `bet` when the cursor follows `bet.`
  std::string decl;        // keyword of the enclosing top-level declaration ("mission"), "" at top level
  int depth = 0;           // braces open at the cursor
  bool line_start = false; // nothing but blanks before the prefix on its line
};

CompletionContext ContextAt(std::string_view text_before_cursor);

// Keywords the grammar (grammar/Questline.g4) accepts in each place.
const std::vector<std::string>& DeclarationKeywords();
const std::vector<std::string>& ClauseKeywords(const std::string& decl);   // empty for unknown
const std::vector<std::string>& StatementKeywords();
// Declarations whose own body (depth 1) holds statements: `rule`, `flow`.
bool BodyTakesStatements(const std::string& decl);

}  // namespace questline::lsp
