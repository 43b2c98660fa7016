// JSON string escaping shared by the compiler (diagnostics as JSON/SARIF) and
// the runtime (actions, state): one definition of what a valid JSON string is.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace questline::stdlib {

inline void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(char(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace questline::stdlib
