// The token stream for quest fmt: every token and comment of a file in source
// order, each with what the parse tree says about the space around it
// (`bet.amount` has none, a call's `(` touches its name, an item of a block
// starts a line of its own when the block spans lines). compiler/format/
// prints these without seeing ANTLR.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace questline::syntax {

enum class Space : uint8_t { One, None };
enum class TokenKind : uint8_t { Code, LineComment, BlockComment };

struct LayoutToken {
  std::string text;
  TokenKind kind = TokenKind::Code;
  int newlines_before = 0;     // line breaks in the source between this and the token before
  Space space_before = Space::One;
  bool glue_after = false;     // the next token follows without a space: `(`, `.`, unary `-`
  bool join = false;           // never starts a line: `{`, `)`, `,`, `.`, `else` after `}`
  bool item = false;           // starts an item of its block: own line in a multi-line block
  bool inline_item = false;    // an item that shares its line (a prize's statements)
  bool opens = false;          // `{`
  bool closes = false;         // `}`
  bool multiline = false;      // a brace pair with a line break between them in the source
};

// Lexes and parses one file's text (valid UTF-8, as ValidateUtf8 leaves it)
// and lays out its tokens. False with `error` set when the text does not parse
// as a whole module (the caller has parsed it for diagnostics first, so that
// is a bug) or nests past the walk's bound.
bool LayOut(const std::string& text, std::vector<LayoutToken>* tokens, std::string* error);

// The tokens of `text` as the lexer sees them (code and comments, in order):
// "TYPE text" lines, what formatting must keep unchanged.
bool TokenSequence(const std::string& text, std::vector<std::string>* sequence);

}  // namespace questline::syntax
