// NDJSON events in (INTERFACES.md §3): one JSON object per line, typed by the
// package's event schema. A bad line is rejected with its line number and a
// reason; the rest of the input still goes through.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/engine/event.h"
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
  uint64_t missing_fields = 0;   // declared fields absent from an accepted event
};

struct ReaderLimits {
  size_t max_line_bytes = 65536;
};

class EventReader {
 public:
  EventReader(const engine::EventSchema& schema, engine::StringPool& strings, ReaderLimits limits = {});
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // One line to one event; false with `reason` set when the line is rejected.
  bool ParseLine(std::string_view line, uint64_t line_no, engine::Event* out, std::string* reason);

  // Every line of `in`: accepted events in input order, and the rejections.
  void ReadAll(std::istream& in, std::vector<engine::Event>* events, std::vector<Rejection>* rejections);

  const ReadStats& Stats() const { return stats_; }

 private:
  struct Impl;
  const engine::EventSchema& schema_;
  engine::StringPool& strings_;
  ReaderLimits limits_;
  ReadStats stats_;
  Impl* impl_;
};

// RFC 3339 (`2026-12-01T10:00:00Z`, `…+01:00`, fractions to ms) to epoch ms.
bool ParseTimestamp(std::string_view text, int64_t* ms);
// A JSON number's text to fixed point with 6 digits, exactly (never via double).
bool ParseDecimal(std::string_view text, int64_t* scaled);

}  // namespace questline::io
