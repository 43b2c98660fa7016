// The standard prelude (stdlib/prelude.quest), embedded at build time.
#pragma once

#include <string_view>

namespace questline::stdlib {

inline constexpr const char* kPreludePath = "<prelude>";
std::string_view PreludeText();

}  // namespace questline::stdlib
