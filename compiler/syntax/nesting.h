// The nesting bound, checked on the token stream before the parser runs: the
// generated parser recurses once per bracket and per prefix operator, so 10,000
// nested parentheses would overflow the stack long before any rule saw them.
#pragma once

#include <cstddef>
#include <vector>

#include "antlr4-runtime.h"

namespace questline::syntax {

// The first token that nests deeper than `limit`, or nullptr.
antlr4::Token* FindTooDeep(const std::vector<antlr4::Token*>& tokens, int limit);

}  // namespace questline::syntax
