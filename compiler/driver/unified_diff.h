// A unified diff of two texts, as `quest fmt --check` prints it (and
// `git apply` / `patch -p1` read it).
#pragma once

#include <string>

namespace questline::driver {

// The diff from `before` to `after` with three lines of context, headed
// `--- a/LABEL` and `+++ b/LABEL`; empty when the texts are equal.
std::string UnifiedDiff(const std::string& label, const std::string& before, const std::string& after);

}  // namespace questline::driver
