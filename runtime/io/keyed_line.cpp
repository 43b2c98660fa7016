#include "runtime/io/keyed_line.h"

namespace questline::io {

bool OpensWithKey(std::string_view line, std::string_view key) {
  const size_t open = line.find_first_not_of(" \t\r");
  if (open == std::string_view::npos || line[open] != '{') return false;
  const size_t at = line.find_first_not_of(" \t\r", open + 1);
  return at != std::string_view::npos && line.size() >= at + key.size() + 2 && line[at] == '"' &&
         line.substr(at + 1, key.size()) == key && line[at + 1 + key.size()] == '"';
}

bool ParseKeyedObject(simdjson::dom::parser& parser, std::string_view line, std::string_view key, const char* what,
                      size_t max_bytes, simdjson::dom::object* body, std::string* error) {
  if (line.size() > max_bytes) {
    *error = std::string(what) + " longer than " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  simdjson::dom::element root;
  if (auto e = parser.parse(simdjson::padded_string(line)).get(root)) {
    *error = std::string(what) + " that is not valid JSON: " + simdjson::error_message(e);
    return false;
  }
  simdjson::dom::object outer;
  if (root.get(outer) || outer.size() != 1 || outer[key].get(*body)) {
    *error = std::string(what) + " must be {\"" + std::string(key) + "\":{…}} and nothing else";
    return false;
  }
  return true;
}

bool ReadFields(simdjson::dom::object body, const std::vector<std::string_view>& names, const char* what,
                const std::function<bool(size_t slot, simdjson::dom::element value)>& take, std::vector<bool>* has,
                std::string* error) {
  has->assign(names.size(), false);
  for (auto field : body) {
    size_t slot = 0;
    while (slot < names.size() && names[slot] != field.key) ++slot;
    if (slot == names.size()) {
      *error = std::string(what) + " with an unknown field \"" + std::string(field.key) + "\"";
      return false;
    }
    if (!take(slot, field.value)) {
      *error = std::string(what) + " whose \"" + std::string(field.key) + "\" has the wrong type or value";
      return false;
    }
    (*has)[slot] = true;
  }
  return true;
}

}  // namespace questline::io
