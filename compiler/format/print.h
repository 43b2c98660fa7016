// Prints laid-out tokens (syntax/layout.h) as canonical text. Knows nothing of the
// grammar: the constructs have spoken through each token's layout.
#pragma once

#include <string>
#include <vector>

#include "compiler/syntax/layout.h"

namespace questline::format {

std::string Print(const std::vector<syntax::LayoutToken>& tokens);

}  // namespace questline::format
