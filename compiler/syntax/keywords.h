// Which keywords are reserved and which are contextual (docs/language.md,
// "Lexical"). Only the words that start a declaration, the boolean and weekday
// literals and the operators `and or not` are reserved; every other keyword is
// contextual: the grammar's `ident` accepts it wherever a name stands.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace questline::syntax {

// By token type of the generated lexer (syntax/ internal callers).
bool IsContextualKeyword(size_t token_type);
bool IsReservedKeyword(size_t token_type);

// Why a reserved keyword token is reserved, in words: "it starts a declaration".
std::string WhyReserved(size_t token_type);

// The words themselves, in grammar order, for tests and docs.
std::vector<std::string> ReservedWords();
std::vector<std::string> ContextualWords();
// Every token the lexer spells one fixed way, words and punctuation alike
// ("{", "->", "and"), in token order: the fuzzer's dictionary (tests/fuzz).
std::vector<std::string> FixedTokens();

}  // namespace questline::syntax
