// A request's events, split into lines before any is parsed: POST /v1/events
// takes NDJSON or a JSON array, the TCP port NDJSON. An oversize line is
// rejected here alone, so the rest of its batch still goes through.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/event_reader.h"

namespace questline::daemon {

struct BatchLine {
  uint64_t line;           // 1-based: the NDJSON line, or the array element's position
  std::string_view text;   // into the request's body
};

struct Batch {
  std::vector<BatchLine> lines;          // to parse, in order
  std::vector<io::Rejection> rejected;   // refused before parsing (too long)
};

// NDJSON lines of `body` (blank ones skipped, a trailing \r dropped), numbered
// from `first_line`.
void SplitNdjson(std::string_view body, uint64_t first_line, size_t max_event_bytes, Batch* batch);

// `body` as NDJSON or, when it starts with '[', a JSON array of events.
// False with `error` set when the array is not well formed (nothing of it is
// processed: the client must fix and resend it whole).
bool SplitEvents(std::string_view body, size_t max_event_bytes, Batch* batch, std::string* error);

// Rejections in line order (stable: one line's stay in the order found).
void SortByLine(std::vector<io::Rejection>* rejected);

// "line too long: N bytes (max_event_bytes M)"
std::string TooLong(size_t bytes, size_t max_event_bytes);

}  // namespace questline::daemon
