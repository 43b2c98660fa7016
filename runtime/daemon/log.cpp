#include "runtime/daemon/log.h"

#include <cstdio>

namespace questline::daemon {
namespace {

LogLevel threshold = LogLevel::Info;

}  // namespace

void SetLogLevel(const std::string& level) {
  threshold = level == "error" ? LogLevel::Error : level == "warn" ? LogLevel::Warn
            : level == "debug" ? LogLevel::Debug : LogLevel::Info;
}

void Log(LogLevel level, const std::string& message) {
  if (level > threshold) return;
  static const char* const kNames[] = {"error", "warn", "info", "debug"};
  // One fprintf per line: lines from the two threads never interleave.
  std::fprintf(stderr, "questd: %s: %s\n", kNames[int(level)], message.c_str());
}

}  // namespace questline::daemon
