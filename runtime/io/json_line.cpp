// The fast path: simdjson On-Demand over a reused padded copy of the line.
// On-Demand is lazy, so every value is read in full, nested ones included: a
// malformed value under a field nobody reads must still reject the line, as
// it does with the DOM. Whenever On-Demand stops (a syntax error, an integer
// beyond 64 bits, a non-object, deep nesting), the DOM parser takes the line
// (json_line_dom.cpp) and its verdict and messages stand.
#include "runtime/io/json_line.h"

#include <simdjson.h>

#include <utility>

#include "runtime/io/json_line_dom.h"

namespace questline::io {

namespace od = simdjson::ondemand;

struct JsonLine::Impl {
  od::parser ondemand;
  simdjson::dom::parser dom;
  std::string padded;    // the line plus simdjson's padding
  std::string widened;   // the line with integers beyond 64 bits read as numbers (DOM path)
};

JsonLine::JsonLine() : impl_(std::make_unique<Impl>()) {}
JsonLine::~JsonLine() = default;

const char* JsonTypeName(JsonKind kind) {
  switch (kind) {
    case JsonKind::Array: return "an array";
    case JsonKind::Object: return "an object";
    case JsonKind::Int64:
    case JsonKind::Uint64: return "an integer";
    case JsonKind::Double: return "a number";
    case JsonKind::String: return "a string";
    case JsonKind::Bool: return "a boolean";
    case JsonKind::Null: return "null";
  }
  return "a value";
}

namespace {

// Deeper than this, the DOM checks the line: recursion here stays shallow
// whatever a hostile feed nests.
constexpr int kMaxDepth = 64;

// A number, typed as the DOM types it. Not through get_number(): simdjson
// 3.0.1's gives 0 for a float of more than 19 digits.
bool ReadNumber(od::value& v, JsonField* out) {
  od::number_type type;
  if (v.get_number_type().get(type)) return false;
  switch (type) {
    case od::number_type::signed_integer:
      out->kind = JsonKind::Int64;
      return !v.get_int64().get(out->i);
    case od::number_type::unsigned_integer: {
      out->kind = JsonKind::Uint64;
      uint64_t u;
      return !v.get_uint64().get(u);
    }
    case od::number_type::floating_point_number:
      out->kind = JsonKind::Double;
      return !v.get_double().get(out->d);
  }
  return false;
}

// A value under a top-level field, read in full; false at anything the DOM
// would refuse (or at kMaxDepth).
bool Validate(od::value& v, int depth) {
  od::json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (depth >= kMaxDepth || v.get_object().get(object)) return false;
      for (auto result : object) {
        od::field field;
        std::string_view key;
        if (std::move(result).get(field) || field.unescaped_key().get(key) || !Validate(field.value(), depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (depth >= kMaxDepth || v.get_array().get(array)) return false;
      for (auto result : array) {
        od::value element;
        if (std::move(result).get(element) || !Validate(element, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      return !v.get_string().get(s);
    }
    case od::json_type::number: {
      JsonField number;
      return ReadNumber(v, &number);
    }
    case od::json_type::boolean: {
      bool b;
      return !v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool null = false;
      return !v.is_null().get(null) && null;
    }
  }
  return false;
}

// A top-level value into `out`. Without `validate` the DOM has checked the
// line: nested containers are not read, numbers only have their text.
bool ReadField(od::value& v, bool validate, JsonField* out) {
  od::json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case od::json_type::object:
    case od::json_type::array:
      out->kind = type == od::json_type::object ? JsonKind::Object : JsonKind::Array;
      return !validate || Validate(v, 1);
    case od::json_type::string:
      out->kind = JsonKind::String;
      return !v.get_string().get(out->text);
    case od::json_type::number:
      out->text = v.raw_json_token();
      out->kind = JsonKind::Double;   // without `validate`, the DOM's reading replaces it
      return !validate || ReadNumber(v, out);
    case od::json_type::boolean:
      out->kind = JsonKind::Bool;
      return !v.get_bool().get(out->b);
    case od::json_type::null: {
      out->kind = JsonKind::Null;
      bool null = false;
      return !v.is_null().get(null) && null;
    }
  }
  return false;
}

}  // namespace

bool JsonLine::Scan(std::string_view line, bool validate) {
  fields_.clear();
  Impl& impl = *impl_;
  impl.padded.assign(line);
  impl.padded.append(simdjson::SIMDJSON_PADDING, ' ');
  od::document doc;
  od::object object;
  if (impl.ondemand.iterate(impl.padded.data(), line.size(), impl.padded.size()).get(doc) ||
      doc.get_object().get(object))
    return false;
  for (auto result : object) {
    od::field field;
    JsonField out;
    if (std::move(result).get(field) || field.unescaped_key().get(out.key) || !ReadField(field.value(), validate, &out))
      return false;
    fields_.push_back(out);
  }
  // Nothing after the object (On-Demand would not look).
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

bool JsonLine::Parse(std::string_view line, std::string* reason) {
  if (Scan(line, true)) return true;
  simdjson::dom::object object;
  if (!ValidateWithDom(impl_->dom, &line, &impl_->widened, &object, reason)) return false;
  // Valid for the DOM (big integers widened, nesting deeper than kMaxDepth, a
  // number On-Demand reads otherwise): the top-level fields and the numbers'
  // text from On-Demand without the nested reads, the numbers as the DOM reads them.
  if (Scan(line, false) && TakeDomNumbers(object, &fields_)) return true;
  *reason = "not valid JSON: its fields could not be read";
  return false;
}

const JsonField* JsonLine::Find(std::string_view key) const {
  // The first byte before the library compare: keys of one length ("type",
  // "user", "game") are common, and a call per key costs more than the key.
  for (const JsonField& f : fields_)
    if (f.key.size() == key.size() && (key.empty() || f.key[0] == key[0]) && f.key == key) return &f;
  return nullptr;
}

}  // namespace questline::io
