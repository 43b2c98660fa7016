// One line per notable event on stderr, "questd: LEVEL: message", filtered
// by the configured log_level.
#pragma once

#include <string>

namespace questline::daemon {

enum class LogLevel { Error, Warn, Info, Debug };

// "error", "warn", "info" or "debug" (the config has checked it).
void SetLogLevel(const std::string& level);
void Log(LogLevel level, const std::string& message);

}  // namespace questline::daemon
