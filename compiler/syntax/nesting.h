// The nesting bound, checked on the token stream before the parser runs: the
// generated parser recurses once per bracket and per prefix operator, so 10,000
// nested parentheses would overflow the stack long before any rule saw them.
// Chains (`a and b and …`, `1 + 2 + …`, `else if …`) parse in a loop but build
// trees as deep as they are long, which sema, lowering and the interpreter
// walk recursively: they are bounded too.
#pragma once

#include <cstddef>
#include <vector>

#include "antlr4-runtime.h"

namespace questline::syntax {

enum class TooDeepKind { Nesting, Chain };

// The first token that nests deeper than `limit` (brackets and prefix
// operators), or whose operator chains, `.` accessors and `else if` links,
// added to that nesting, pass `chain_limit`; nullptr when none does.
antlr4::Token* FindTooDeep(const std::vector<antlr4::Token*>& tokens, int limit, int chain_limit,
                           TooDeepKind* kind);

}  // namespace questline::syntax
