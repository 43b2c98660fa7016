// NDJSON ingestion with simdjson: the DOM parser validates the whole line (a
// malformed value anywhere rejects it), then each declared field is typed by
// the schema. Decimals are read from the number's text, never through a double.
#include "runtime/io/event_reader.h"

#include "stdlib/civil_time.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

namespace questline::io {

struct EventReader::Impl {
  simdjson::dom::parser dom;
  simdjson::ondemand::parser ondemand;
  std::string padded;   // the line plus simdjson's padding, for the ondemand pass
  std::string widened;  // the line with integers beyond 64 bits read as numbers
  // Distinct unknown values counted so far, by "EVENT.FIELD".
  std::map<std::string, size_t> unknown_values;
};

EventReader::EventReader(const core::EventSchema& schema, engine::StringPool& strings, ReaderLimits limits)
    : schema_(schema), strings_(strings), limits_(limits), impl_(new Impl) {}

EventReader::~EventReader() { delete impl_; }

namespace {

using simdjson::dom::element_type;

std::string Quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 64)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  return out + (s.size() > 64 ? "…'" : "'");
}

const char* JsonTypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64: return "an integer";
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
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

bool EventReader::ParseLine(std::string_view line, uint64_t line_no, core::Event* out, std::string* reason) {
  using core::ValueKind;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the
  // first event.
  if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  if (line.size() > limits_.max_line_bytes) {
    *reason = "line is " + std::to_string(line.size()) + " bytes; the limit is " +
              std::to_string(limits_.max_line_bytes);
    return false;
  }
  simdjson::dom::element doc;
  auto error = impl_->dom.parse(line.data(), line.size(), true).get(doc);
  // An integer beyond 64 bits fails the whole parse; read as a number with a
  // fraction it parses, and the field it is in says it is out of range (an
  // ignored field loses nothing).
  if (error == simdjson::NUMBER_ERROR && WidenBigIntegers(line, &impl_->widened)) {
    line = impl_->widened;
    error = impl_->dom.parse(line.data(), line.size(), true).get(doc);
  }
  if (error) {
    *reason = std::string("not valid JSON: ") + simdjson::error_message(error);
    if (size_t column = ErrorColumn(line)) *reason += " (at byte column " + std::to_string(column) + ")";
    return false;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) {
    *reason = std::string("not a JSON object but ") + JsonTypeName(doc.type());
    return false;
  }
  auto required_string = [&](const char* key, std::string_view* value) {
    simdjson::dom::element e;
    if (obj[key].get(e)) {
      *reason = std::string("missing required field '") + key + "'";
      return false;
    }
    if (e.get_string().get(*value)) {
      *reason = std::string("field '") + key + "' must be a string, found " + JsonTypeName(e.type());
      return false;
    }
    return true;
  };
  std::string_view id, type, user;
  if (!required_string("id", &id) || !required_string("type", &type) || !required_string("user", &user))
    return false;
  const int32_t type_id = schema_.Find(std::string(type));
  if (type_id < 0) {
    *reason = "unknown event type " + Quoted(type);
    return false;
  }
  simdjson::dom::element ts;
  if (obj["ts"].get(ts)) {
    *reason = "missing required field 'ts'";
    return false;
  }
  int64_t ts_ms = 0;
  std::string_view ts_text;
  if (ts.get_int64().get(ts_ms) && (ts.get_string().get(ts_text) || !ParseTimestamp(ts_text, &ts_ms))) {
    *reason = "bad timestamp " + (ts.is_string() ? Quoted(ts_text) : std::string(JsonTypeName(ts.type()))) +
              ": use RFC 3339 (2026-12-01T10:00:00Z) or epoch milliseconds";
    return false;
  }
  // One event in year 9999 must not drag the clock (and every recurring
  // timer) there, nor an epoch of -2^63 print as year -292275055.
  if (!stdlib::InstantInRange(ts_ms)) {
    *reason = "ts out of range (years 0000-9999)";
    return false;
  }

  const core::EventType& et = schema_.types[size_t(type_id)];
  out->type = type_id;
  out->line = line_no;
  out->fields.assign(et.fields.size(), core::Value{});
  out->id.assign(id.data(), id.size());
  out->fields[core::kFieldId] =
      schema_.intern_ids ? core::Value::String(strings_.Intern(id)) : core::Value::None(core::ValueKind::String);
  out->fields[core::kFieldUser] = core::Value::String(strings_.Intern(user));
  out->fields[core::kFieldTs] = core::Value::Time(ts_ms);

  for (size_t f = 3; f < et.fields.size(); ++f) {
    const core::FieldSchema& fs = et.fields[f];
    simdjson::dom::element e;
    if (obj[fs.name].get(e) || e.is_null()) {
      out->fields[f] = fs.default_value;
      if (!fs.optional && !fs.default_value.none) ++stats_.missing_fields;
      continue;
    }
    auto wrong = [&](const char* wanted) {
      *reason = "field '" + fs.name + "' must be " + wanted + ", found " + JsonTypeName(e.type());
      return false;
    };
    core::Value v;
    v.kind = fs.kind;
    switch (fs.kind) {
      case ValueKind::Bool: {
        bool b;
        if (e.get_bool().get(b)) return wrong("a boolean");
        v.i = b;
        break;
      }
      case ValueKind::Int:
      case ValueKind::Duration:
        if (e.get_int64().get(v.i)) {
          double d = 0;
          if (e.type() == element_type::UINT64 ||
              (!e.get_double().get(d) && std::trunc(d) == d && std::fabs(d) >= 9.2e18)) {
            *reason = "field '" + fs.name + "' is out of range: ints hold at most \u00b19223372036854775807";
            return false;
          }
          return wrong("a whole number");
        }
        break;
      case ValueKind::Decimal:
      case ValueKind::Percent: {
        if (!e.is_number()) return wrong("a number");
        int64_t whole;
        if (!e.get_int64().get(whole) && whole <= INT64_MAX / core::kDecimalScale &&
            whole >= -(INT64_MAX / core::kDecimalScale)) {
          v.i = whole * core::kDecimalScale;
          break;
        }
        // The DOM only has the double: read the number's own text instead.
        impl_->padded.assign(line);
        impl_->padded.append(simdjson::SIMDJSON_PADDING, ' ');
        simdjson::ondemand::document od;
        simdjson::ondemand::object od_obj;
        std::string_view raw;
        DecimalStatus status = DecimalStatus::Malformed;
        // On demand compares keys as written: unescape each one, so that
        // "am\u006funt" is the key `amount`, as it is in the DOM; the first
        // occurrence, as the DOM's at_key finds.
        if (!impl_->ondemand.iterate(impl_->padded.data(), line.size(), impl_->padded.size()).get(od) &&
            !od.get_object().get(od_obj)) {
          for (auto field : od_obj) {
            std::string_view key;
            if (field.unescaped_key().get(key)) break;
            if (key != fs.name) continue;
            if (!field.value().raw_json_token().get(raw)) status = ReadDecimal(raw, &v.i);
            break;
          }
        }
        if (status == DecimalStatus::OutOfRange) {
          *reason = "field '" + fs.name + "' is " + DecimalRange();
          return false;
        }
        if (status == DecimalStatus::Malformed) {
          *reason = "field '" + fs.name + "' is not a decimal number";
          return false;
        }
        // Rounded: the event counts, with its amount to the engine's precision.
        if (status == DecimalStatus::Rounded) ++stats_.warnings["decimal_rounded:" + et.name + "." + fs.name];
        break;
      }
      case ValueKind::String: {
        std::string_view s;
        if (e.get_string().get(s)) return wrong("a string");
        if (!fs.union_members.empty() &&
            std::find(fs.union_members.begin(), fs.union_members.end(), s) == fs.union_members.end())
          CountUnknownValue(et, fs, s);   // accepted: it equals no declared member
        v.i = strings_.Intern(s);
        break;
      }
      case ValueKind::Time: {
        std::string_view s;
        if (e.get_int64().get(v.i) && (e.get_string().get(s) || !ParseTimestamp(s, &v.i)))
          return wrong("a time (RFC 3339 or epoch milliseconds)");
        if (!stdlib::InstantInRange(v.i)) {
          *reason = "field '" + fs.name + "' is out of range (years 0000-9999)";
          return false;
        }
        break;
      }
    }
    out->fields[f] = v;
  }
  return true;
}

// A provider's new game type must not cost the event (its wager, its points):
// the value is kept, interned like any string, and counted so that the
// operator sees it and can declare it.
void EventReader::CountUnknownValue(const core::EventType& et, const core::FieldSchema& fs, std::string_view value) {
  const std::string field = et.name + "." + fs.name;
  std::string key = "unknown_union_value:" + field + "=";
  for (char c : value.substr(0, 64)) key.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  if (value.size() > 64) key += "\u2026";
  auto it = stats_.warnings.find(key);
  if (it != stats_.warnings.end()) {
    ++it->second;
    return;
  }
  size_t& distinct = impl_->unknown_values[field];
  if (distinct >= limits_.max_unknown_values_per_field) {
    ++stats_.warnings["unknown_union_value:" + field + "=(other)"];
    return;
  }
  ++distinct;
  stats_.warnings.emplace(std::move(key), 1);
}

void EventReader::ReadAll(std::istream& in, std::vector<core::Event>* events,
                          std::vector<Rejection>* rejections) {
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++stats_.lines;
    core::Event event;
    std::string reason;
    if (ParseLine(line, line_no, &event, &reason)) {
      ++stats_.accepted;
      events->push_back(std::move(event));
    } else {
      ++stats_.rejected;
      rejections->push_back({line_no, std::move(reason)});
    }
  }
}

}  // namespace questline::io
