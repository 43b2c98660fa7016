// Read-only answers drawn from the engine's state document (Engine::StateJson,
// INTERFACES.md §5), outside the engine: the engine offers no per-user or
// per-competition view yet, so these read the whole document. That costs a
// walk over every player per request; docs/daemon.md lists the engine calls
// that would make them cheap.
#pragma once

#include <cstddef>
#include <string>

namespace questline::daemon {

// The state object of `user`, byte for byte as the engine wrote it; false
// when the engine has never seen the player.
bool UserState(const std::string& state_json, const std::string& user, std::string* out);

// {"leaderboard": NAME, "entries": [{"rank", "user", "score"}…]}: the current
// window's ranking of competition `name`, the best `top` (ranks as the
// engine gives them).
std::string Leaderboard(const std::string& state_json, const std::string& name, size_t top);

}  // namespace questline::daemon
