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

// Typed events' strings before the pool gives them ids. The reader thread of
// a replay types events but must not intern: the pool belongs to the engine's
// thread, and its ids follow first-seen order (they break some ties), so the
// engine's thread interns in event order, as one thread would.
struct PendingStrings {
  struct Ref {
    uint32_t event;          // the caller's index of the event
    uint32_t field;
    uint32_t offset, size;   // in `text`
  };
  std::string text;          // the strings back to back
  std::vector<Ref> refs;     // in event order, then field order
  void Clear() {
    text.clear();
    refs.clear();
  }
};

class EventReader {
 public:
  EventReader(const core::EventSchema& schema, engine::StringPool& strings, ReaderLimits limits = {});
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // One line to one event; false with `reason` set when the line is rejected.
  // `out` is best reused: its vectors and strings keep their capacity, and a
  // line then costs no allocation.
  bool ParseLine(std::string_view line, uint64_t line_no, core::Event* out, std::string* reason);

  // ParseLine in two halves, for a reader thread. Parse touches everything
  // but the string pool: `out`'s string fields (the user, string values, the
  // id when the schema interns ids) wait in `pending`, tagged `event`; nothing
  // is left there for a rejected line. Intern, on the pool's thread, gives
  // them ids from pending.refs[*next] on, advancing *next past them; it
  // touches nothing Parse touches.
  bool Parse(std::string_view line, uint64_t line_no, core::Event* out, PendingStrings* pending, uint32_t event,
             std::string* reason);
  void Intern(const PendingStrings& pending, size_t* next, uint32_t event, core::Event* out);

  // Every line of `in`: accepted events in input order, and the rejections.
  void ReadAll(std::istream& in, std::vector<core::Event>* events, std::vector<Rejection>* rejections);

  const ReadStats& Stats() const { return stats_; }

 private:
  void CountUnknownValue(const core::EventType& et, const core::FieldSchema& fs, std::string_view value);
  bool Type(uint64_t line_no, core::Event* out, PendingStrings* pending, uint32_t event, std::string* reason);
  struct Impl;
  struct InternCache;
  const core::EventSchema& schema_;
  engine::StringPool& strings_;
  ReaderLimits limits_;
  ReadStats stats_;
  Impl* impl_;
  InternCache* cache_;   // Intern's alone
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
