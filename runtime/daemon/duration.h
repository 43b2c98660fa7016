// Durations in the daemon's configuration: a whole number and a unit, as
// operators write them (`7d`, `12h`, `30s`, `500ms`).
#pragma once

#include <cstdint>
#include <string>

namespace questline::daemon {

// Milliseconds in `text` (units ms s m h d w). False for anything else, for
// zero and beyond 100 years: window arithmetic must not overflow downstream.
bool ParseDurationMs(const std::string& text, int64_t* ms);

}  // namespace questline::daemon
