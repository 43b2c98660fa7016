// NDJSON ingestion: the line is checked and split into its top-level fields
// (json_line: simdjson On-Demand, the DOM for lines it cannot vouch for), then
// each declared field is typed by the schema. Decimals are read from the
// number's text, never through a double. In the steady state a line costs no
// allocation: the parsers, the padded copy and the caller's Event are reused.
#include "runtime/io/event_reader.h"

#include "runtime/io/json_line.h"
#include "stdlib/civil_time.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace questline::io {

struct EventReader::Impl {
  JsonLine json;
  PendingStrings pending;   // ParseLine's, interned straight away
  std::string warning_key;  // CountUnknownValue's
  // Distinct unknown values counted so far, by "EVENT.FIELD".
  std::map<std::string, size_t> unknown_values;
};

// The last few values of each declared field with their ids. A lookup in the
// pool (a hash, then a chain in a table of every user and value) costs more
// than the rest of an event's typing; a game type, a currency, a device take
// few values, seen again and again. Ids never change, so a hit is the pool's
// answer. The id and the user take a new value nearly every event: not cached.
struct EventReader::InternCache {
  static constexpr size_t kFields = 32, kWays = 4;
  struct Entry {
    std::string text;   // short values fit in place: no allocation
    uint32_t id = 0;
    bool used = false;
  };
  Entry entries[kFields][kWays];
  uint8_t next[kFields] = {};   // the way to replace, round robin

  uint32_t Intern(engine::StringPool& pool, size_t field, std::string_view text) {
    if (field >= kFields || field == size_t(core::kFieldId) || field == size_t(core::kFieldUser))
      return pool.Intern(text);
    for (Entry& e : entries[field])
      if (e.used && e.text == text) return e.id;
    Entry& e = entries[field][next[field]];
    next[field] = uint8_t((next[field] + 1) % kWays);
    e.text.assign(text);
    e.used = true;
    return e.id = pool.Intern(text);
  }
};

EventReader::EventReader(const core::EventSchema& schema, engine::StringPool& strings, ReaderLimits limits)
    : schema_(schema), strings_(strings), limits_(limits), impl_(new Impl), cache_(new InternCache) {}

EventReader::~EventReader() {
  delete impl_;
  delete cache_;
}

namespace {

std::string Quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 64)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  return out + (s.size() > 64 ? "…'" : "'");
}

}  // namespace

bool EventReader::ParseLine(std::string_view line, uint64_t line_no, core::Event* out, std::string* reason) {
  impl_->pending.Clear();
  if (!Parse(line, line_no, out, &impl_->pending, 0, reason)) return false;
  size_t next = 0;
  Intern(impl_->pending, &next, 0, out);
  return true;
}

bool EventReader::Parse(std::string_view line, uint64_t line_no, core::Event* out, PendingStrings* pending,
                        uint32_t event, std::string* reason) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the
  // first event.
  if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  if (line.size() > limits_.max_line_bytes) {
    *reason = "line is " + std::to_string(line.size()) + " bytes; the limit is " +
              std::to_string(limits_.max_line_bytes);
    return false;
  }
  if (!impl_->json.Parse(line, reason)) return false;
  const size_t text_mark = pending->text.size(), refs_mark = pending->refs.size();
  if (Type(line_no, out, pending, event, reason)) return true;
  // A rejected line's strings are never interned.
  pending->text.resize(text_mark);
  pending->refs.resize(refs_mark);
  return false;
}

void EventReader::Intern(const PendingStrings& pending, size_t* next, uint32_t event, core::Event* out) {
  const std::string_view text = pending.text;
  for (; *next < pending.refs.size() && pending.refs[*next].event == event; ++*next) {
    const PendingStrings::Ref& ref = pending.refs[*next];
    out->fields[ref.field].i = cache_->Intern(strings_, ref.field, text.substr(ref.offset, ref.size));
  }
}

// The fields of the line impl_->json holds, typed by the schema into `out`.
bool EventReader::Type(uint64_t line_no, core::Event* out, PendingStrings* pending, uint32_t event,
                       std::string* reason) {
  using core::ValueKind;
  const JsonLine& json = impl_->json;
  auto required_string = [&](const char* key, std::string_view* value) {
    const JsonField* e = json.Find(key);
    if (!e) {
      *reason = std::string("missing required field '") + key + "'";
      return false;
    }
    if (e->kind != JsonKind::String) {
      *reason = std::string("field '") + key + "' must be a string, found " + JsonTypeName(e->kind);
      return false;
    }
    *value = e->text;
    return true;
  };
  std::string_view id, type, user;
  if (!required_string("id", &id) || !required_string("type", &type) || !required_string("user", &user))
    return false;
  const int32_t type_id = schema_.Find(type);
  if (type_id < 0) {
    *reason = "unknown event type " + Quoted(type);
    return false;
  }
  const JsonField* ts = json.Find("ts");
  if (!ts) {
    *reason = "missing required field 'ts'";
    return false;
  }
  int64_t ts_ms = ts->i;
  if (ts->kind != JsonKind::Int64 && (ts->kind != JsonKind::String || !ParseTimestamp(ts->text, &ts_ms))) {
    *reason = "bad timestamp " +
              (ts->kind == JsonKind::String ? Quoted(ts->text) : std::string(JsonTypeName(ts->kind))) +
              ": use RFC 3339 (2026-12-01T10:00:00Z) or epoch milliseconds";
    return false;
  }
  // One event in year 9999 must not drag the clock (and every recurring
  // timer) there, nor an epoch of -2^63 print as year -292275055.
  if (!stdlib::InstantInRange(ts_ms)) {
    *reason = "ts out of range (years 0000-9999)";
    return false;
  }

  // A string field's id comes later, from Intern.
  auto pending_string = [&](size_t field, std::string_view s) {
    pending->refs.push_back({event, uint32_t(field), uint32_t(pending->text.size()), uint32_t(s.size())});
    pending->text.append(s);
    return core::Value::String(0);
  };
  const core::EventType& et = schema_.types[size_t(type_id)];
  out->type = type_id;
  out->line = line_no;
  out->fields.assign(et.fields.size(), core::Value{});
  out->id.assign(id.data(), id.size());
  out->fields[core::kFieldId] = schema_.intern_ids ? pending_string(core::kFieldId, id)
                                                     : core::Value::None(core::ValueKind::String);
  out->fields[core::kFieldUser] = pending_string(core::kFieldUser, user);
  out->fields[core::kFieldTs] = core::Value::Time(ts_ms);

  for (size_t f = 3; f < et.fields.size(); ++f) {
    const core::FieldSchema& fs = et.fields[f];
    const JsonField* e = json.Find(fs.name);
    if (!e || e->kind == JsonKind::Null) {
      out->fields[f] = fs.default_value;
      if (!fs.optional && !fs.default_value.none) ++stats_.missing_fields;
      continue;
    }
    auto wrong = [&](const char* wanted) {
      *reason = "field '" + fs.name + "' must be " + wanted + ", found " + JsonTypeName(e->kind);
      return false;
    };
    const bool number = e->kind == JsonKind::Int64 || e->kind == JsonKind::Uint64 || e->kind == JsonKind::Double;
    core::Value v;
    v.kind = fs.kind;
    switch (fs.kind) {
      case ValueKind::Bool:
        if (e->kind != JsonKind::Bool) return wrong("a boolean");
        v.i = e->b;
        break;
      case ValueKind::Int:
      case ValueKind::Duration:
        if (e->kind != JsonKind::Int64) {
          if (e->kind == JsonKind::Uint64 ||
              (e->kind == JsonKind::Double && std::trunc(e->d) == e->d && std::fabs(e->d) >= 9.2e18)) {
            *reason = "field '" + fs.name + "' is out of range: ints hold at most \u00b19223372036854775807";
            return false;
          }
          return wrong("a whole number");
        }
        v.i = e->i;
        break;
      case ValueKind::Decimal:
      case ValueKind::Percent: {
        if (!number) return wrong("a number");
        if (e->kind == JsonKind::Int64 && e->i <= INT64_MAX / core::kDecimalScale &&
            e->i >= -(INT64_MAX / core::kDecimalScale)) {
          v.i = e->i * core::kDecimalScale;
          break;
        }
        const DecimalStatus status = ReadDecimal(e->text, &v.i);
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
      case ValueKind::String:
        if (e->kind != JsonKind::String) return wrong("a string");
        if (!fs.union_members.empty() &&
            std::find(fs.union_members.begin(), fs.union_members.end(), e->text) == fs.union_members.end())
          CountUnknownValue(et, fs, e->text);   // accepted: it equals no declared member
        v = pending_string(f, e->text);
        break;
      case ValueKind::Time:
        if (e->kind == JsonKind::Int64) {
          v.i = e->i;
        } else if (e->kind != JsonKind::String || !ParseTimestamp(e->text, &v.i)) {
          return wrong("a time (RFC 3339 or epoch milliseconds)");
        }
        if (!stdlib::InstantInRange(v.i)) {
          *reason = "field '" + fs.name + "' is out of range (years 0000-9999)";
          return false;
        }
        break;
    }
    out->fields[f] = v;
  }
  return true;
}

// A provider's new game type must not cost the event (its wager, its points):
// the value is kept, interned like any string, and counted so that the
// operator sees it and can declare it.
void EventReader::CountUnknownValue(const core::EventType& et, const core::FieldSchema& fs, std::string_view value) {
  // Built in a reused string: a feed's new game type is on every one of its
  // events, and counting it again must not allocate.
  std::string& key = impl_->warning_key;
  key.assign("unknown_union_value:").append(et.name).append(".").append(fs.name).append("=");
  const size_t field_at = sizeof("unknown_union_value:") - 1, field_size = key.size() - 1 - field_at;
  for (char c : value.substr(0, 64)) key.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  if (value.size() > 64) key += "\u2026";
  auto it = stats_.warnings.find(key);
  if (it != stats_.warnings.end()) {
    ++it->second;
    return;
  }
  const std::string field = key.substr(field_at, field_size);
  size_t& distinct = impl_->unknown_values[field];
  if (distinct >= limits_.max_unknown_values_per_field) {
    ++stats_.warnings["unknown_union_value:" + field + "=(other)"];
    return;
  }
  ++distinct;
  stats_.warnings.emplace(key, 1);
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
