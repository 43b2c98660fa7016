// One NDJSON line as the event reader needs it: the whole line checked to be
// one valid JSON object, and its top-level fields (key, JSON type, value) in
// the order written. The schema's typing (event_reader.cpp) works on these.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace questline::io {

// The JSON types as simdjson's DOM tells them apart: an integer that fits
// int64, one that fits only uint64, and every other number (a double).
enum class JsonKind : uint8_t { Array, Object, Int64, Uint64, Double, String, Bool, Null };

// "an integer", "a string", … for rejection messages.
const char* JsonTypeName(JsonKind kind);

struct JsonField {
  std::string_view key;    // unescaped
  JsonKind kind = JsonKind::Null;
  // String: the unescaped value. Numbers: the token as written (trailing
  // whitespace included), for exact decimals.
  std::string_view text;
  int64_t i = 0;           // Int64
  double d = 0;            // Double
  bool b = false;          // Bool
};

class JsonLine {
 public:
  JsonLine();
  ~JsonLine();
  JsonLine(const JsonLine&) = delete;
  JsonLine& operator=(const JsonLine&) = delete;

  // False with `reason` ("not valid JSON: …", "not a JSON object but …")
  // when `line` is not one JSON object. Otherwise Fields() holds its fields;
  // their text stays valid until the next Parse.
  bool Parse(std::string_view line, std::string* reason);
  const std::vector<JsonField>& Fields() const { return fields_; }
  // The first field named `key` (as simdjson's DOM finds a duplicate key), or null.
  const JsonField* Find(std::string_view key) const;

 private:
  struct Impl;
  // On-Demand over `line` into fields_; false at anything it cannot vouch for.
  bool Scan(std::string_view line, bool validate);
  std::unique_ptr<Impl> impl_;
  std::vector<JsonField> fields_;   // reused: keeps its capacity
};

}  // namespace questline::io
