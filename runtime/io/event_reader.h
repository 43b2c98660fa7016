// NDJSON events in (INTERFACES.md §3): one JSON object per line, typed by the
// package's event schema. A bad line is rejected with its line number and a
// reason; the rest of the input still goes through.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "runtime/engine/strings.h"

namespace questline::io {

struct Rejection {
  uint64_t line = 0;
  std::string reason;
};

struct ReadStats {
  uint64_t lines = 0;            // non-blank lines seen
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t missing_fields = 0;   // required declared fields absent from an accepted event
  // Accepted, but worth an operator's look; keys:
  //   unknown_union_value:EVENT.FIELD=VALUE  a value the union does not declare
  //   decimal_rounded:EVENT.FIELD            more fractional digits than a decimal holds
  std::map<std::string, uint64_t> warnings;
};

struct ReaderLimits {
  size_t max_line_bytes = 65536;
  // Distinct unknown union values counted by name per field; the rest of a
  // hostile or broken feed's values share one `…=(other)` key.
  size_t max_unknown_values_per_field = 100;
};

class EventReader {
 public:
  EventReader(const core::EventSchema& schema, engine::StringPool& strings, ReaderLimits limits = {});
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // One line to one event; false with `reason` set when the line is rejected.
  bool ParseLine(std::string_view line, uint64_t line_no, core::Event* out, std::string* reason);

  // Every line of `in`: accepted events in input order, and the rejections.
  void ReadAll(std::istream& in, std::vector<core::Event>* events, std::vector<Rejection>* rejections);

  const ReadStats& Stats() const { return stats_; }

 private:
  void CountUnknownValue(const core::EventType& et, const core::FieldSchema& fs, std::string_view value);
  struct Impl;
  const core::EventSchema& schema_;
  engine::StringPool& strings_;
  ReaderLimits limits_;
  ReadStats stats_;
  Impl* impl_;
};

// RFC 3339 (`2026-12-01T10:00:00Z`, `…+01:00`, fractions to ms) to epoch ms.
bool ParseTimestamp(std::string_view text, int64_t* ms);
// A JSON number's text to fixed point (core::kDecimalScale), never via a
// double: more fractional digits than the scale holds round half-even
// (Rounded); a magnitude beyond int64 is OutOfRange.
enum class DecimalStatus { Exact, Rounded, OutOfRange, Malformed };
DecimalStatus ReadDecimal(std::string_view text, int64_t* scaled);
// True only for an exact conversion.
bool ParseDecimal(std::string_view text, int64_t* scaled);
// The rejection reason for an OutOfRange decimal: "out of range: decimals hold at most ±N".
std::string DecimalRange();

}  // namespace questline::io
