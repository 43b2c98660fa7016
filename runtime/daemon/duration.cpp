#include "runtime/daemon/duration.h"

#include <cctype>

namespace questline::daemon {

bool ParseDurationMs(const std::string& text, int64_t* ms) {
  constexpr int64_t kCenturyMs = 36'525LL * 86'400'000;
  int64_t number = 0;
  size_t pos = 0;
  for (; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
    number = number * 10 + (text[pos] - '0');
    if (number > kCenturyMs) return false;   // stops long digit strings before they overflow
  }
  if (pos == 0) return false;
  const std::string unit = text.substr(pos);
  int64_t scale = 0;
  if (unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "m") scale = 60'000;
  else if (unit == "h") scale = 3'600'000;
  else if (unit == "d") scale = 86'400'000;
  else if (unit == "w") scale = 604'800'000;
  else return false;
  if (number == 0 || number > kCenturyMs / scale) return false;
  *ms = number * scale;
  return true;
}

}  // namespace questline::daemon
