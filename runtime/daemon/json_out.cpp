#include "runtime/daemon/json_out.h"

#include "stdlib/json_text.h"

namespace questline::daemon {

void AppendJsonString(std::string& out, std::string_view text) { stdlib::AppendJsonString(out, text); }

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string ErrorJson(std::string_view message) {
  return "{\"error\":" + JsonString(message) + "}\n";
}

void AppendRejections(std::string& out, const std::vector<io::Rejection>& rejected) {
  out += '[';
  for (size_t i = 0; i < rejected.size(); ++i) {
    if (i) out += ',';
    out += "{\"line\":" + std::to_string(rejected[i].line) + ",\"reason\":";
    AppendJsonString(out, rejected[i].reason);
    out += '}';
  }
  out += ']';
}

}  // namespace questline::daemon
