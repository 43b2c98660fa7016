// The DOM path of NDJSON line parsing: the messages for lines that are not
// JSON, with the byte column where they stop being JSON.
#include "runtime/io/json_line_dom.h"

#include <cctype>
#include <cstring>
#include <vector>


namespace questline::io {
namespace {

JsonKind KindOf(simdjson::dom::element_type t) {
  using simdjson::dom::element_type;
  switch (t) {
    case element_type::ARRAY: return JsonKind::Array;
    case element_type::OBJECT: return JsonKind::Object;
    case element_type::INT64: return JsonKind::Int64;
    case element_type::UINT64: return JsonKind::Uint64;
    case element_type::DOUBLE: return JsonKind::Double;
    case element_type::STRING: return JsonKind::String;
    case element_type::BOOL: return JsonKind::Bool;
    case element_type::NULL_VALUE: return JsonKind::Null;
  }
  return JsonKind::Null;
}

// `123456789012345678901` (20 digits or more, outside strings) to
// `123456789012345678901.0`; false when there is none.
bool WidenBigIntegers(std::string_view line, std::string* out) {
  out->clear();
  bool changed = false, in_string = false;
  for (size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < line.size()) out->push_back(line[++i]);
      else if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') in_string = true;
    if (c < '0' || c > '9') {
      out->push_back(c);
      ++i;
      continue;
    }
    size_t end = i;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
    out->append(line.substr(i, end - i));
    const bool more = end < line.size() && (line[end] == '.' || line[end] == 'e' || line[end] == 'E');
    if (end - i >= 20 && !more) {
      out->append(".0");
      changed = true;
    }
    // The rest of a number (fraction, exponent) is copied as it is.
    i = end;
    while (i < line.size() && (line[i] == '.' || line[i] == 'e' || line[i] == 'E' || line[i] == '+' ||
                               line[i] == '-' || (line[i] >= '0' && line[i] <= '9')))
      out->push_back(line[i++]);
  }
  return changed;
}

// The byte column (1-based) where `text` stops being JSON, for the message of
// a line simdjson rejected (its errors name no position). A small scanner with
// an explicit stack of open brackets, no recursion; 0 when it finds no fault
// (simdjson's own limits, such as depth, then stand alone).
size_t ErrorColumn(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  std::vector<char> open;   // '{' or '['
  auto ws = [&] {
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  auto digits = [&] {
    size_t from = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    return i > from;
  };
  // A string from its opening quote; false at the first bad byte.
  auto string = [&] {
    ++i;
    while (i < n) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '"') {
        ++i;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++i >= n) return false;
        if (text[i] == 'u') {
          for (int k = 0; k < 4; ++k)
            if (++i >= n || !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
        } else if (!std::strchr("\"\\/bfnrt", text[i])) {
          return false;
        }
        ++i;
        continue;
      }
      if (c < 0x80) {
        ++i;
        continue;
      }
      const int len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
      if (len == 0 || i + size_t(len) > n) return false;
      for (int k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(text[i + size_t(k)]) & 0xC0) != 0x80) return false;
      i += size_t(len);
    }
    return false;
  };
  // A scalar, or the opening bracket of a container (pushed).
  auto value = [&] {
    ws();
    if (i >= n) return false;
    const char c = text[i];
    if (c == '{' || c == '[') {
      open.push_back(c);
      ++i;
      return true;
    }
    if (c == '"') return string();
    for (const char* word : {"true", "false", "null"})
      if (text.substr(i, std::strlen(word)) == word) {
        i += std::strlen(word);
        return true;
      }
    if (c == '-') ++i;
    if (i < n && text[i] == '0') ++i;
    else if (!digits()) return false;
    if (i < n && text[i] == '.' && (++i, !digits())) return false;
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
      ++i;
      if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return true;
  };
  if (!value()) return i + 1;
  bool first = true;   // just after an opening bracket
  while (!open.empty()) {
    ws();
    if (i >= n) return i + 1;
    const char close = open.back() == '{' ? '}' : ']';
    if (text[i] == close) {
      open.pop_back();
      ++i;
      first = false;
      continue;
    }
    if (!first) {
      if (text[i] != ',') return i + 1;
      ++i;
      ws();
    }
    if (open.back() == '{') {
      if (i >= n || text[i] != '"' || !string()) return i + 1;
      ws();
      if (i >= n || text[i] != ':') return i + 1;
      ++i;
    }
    const size_t depth = open.size();
    if (!value()) return i + 1;
    first = open.size() > depth;
  }
  ws();
  return i < n ? i + 1 : 0;
}

}  // namespace

bool ValidateWithDom(simdjson::dom::parser& dom, std::string_view* line, std::string* widened,
                     simdjson::dom::object* object, std::string* reason) {
  simdjson::dom::element doc;
  auto error = dom.parse(line->data(), line->size(), true).get(doc);
  if (error == simdjson::NUMBER_ERROR && WidenBigIntegers(*line, widened)) {
    *line = *widened;
    error = dom.parse(line->data(), line->size(), true).get(doc);
  }
  if (error) {
    *reason = std::string("not valid JSON: ") + simdjson::error_message(error);
    if (size_t column = ErrorColumn(*line)) *reason += " (at byte column " + std::to_string(column) + ")";
    return false;
  }
  if (doc.get_object().get(*object)) {
    *reason = std::string("not a JSON object but ") + JsonTypeName(KindOf(doc.type()));
    return false;
  }
  return true;
}

bool TakeDomNumbers(const simdjson::dom::object& object, std::vector<JsonField>* fields) {
  size_t k = 0;
  for (auto [key, value] : object) {
    if (k >= fields->size() || (*fields)[k].key != key) return false;
    JsonField& f = (*fields)[k++];
    const JsonKind kind = KindOf(value.type());
    if (kind != JsonKind::Int64 && kind != JsonKind::Uint64 && kind != JsonKind::Double) continue;
    f.kind = kind;
    if ((kind == JsonKind::Int64 && value.get_int64().get(f.i)) || (kind == JsonKind::Double && value.get_double().get(f.d)))
      return false;
  }
  return k == fields->size();
}

}  // namespace questline::io
