// The bearer token (INTERFACES.md §7): every endpoint but /healthz needs it
// when one is configured.
#pragma once

#include <string>
#include <string_view>

namespace questline::daemon {

// Equal contents, in time that depends on the lengths only: a client timing
// answers learns nothing about how much of its guess was right.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Whether an Authorization header value carries `token` ("Bearer TOKEN").
// An empty `token` means no authentication is configured: always true.
bool Authorized(std::string_view authorization, const std::string& token);

}  // namespace questline::daemon
