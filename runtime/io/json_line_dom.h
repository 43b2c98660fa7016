// The reference parse of an NDJSON line: simdjson's DOM validates the whole
// line, and its verdict and error messages are the reader's. The On-Demand
// fast path (json_line.cpp) hands it every line it cannot vouch for.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/json_line.h"

namespace questline::io {

// True with `object` when `*line` is one JSON object. An integer beyond 64 bits fails the
// DOM's parse: read as a number with a fraction it parses, `*line` then
// points at that copy in `*widened`, and the field it is in says it is out of
// range. False with `reason` ("not valid JSON: …, at byte column N",
// "not a JSON object but …") otherwise.
bool ValidateWithDom(simdjson::dom::parser& dom, std::string_view* line, std::string* widened,
                     simdjson::dom::object* object, std::string* reason);

// The kind and value of each number in `fields` (the same fields, in the same
// order) from the DOM's `object`; false if they do not line up.
bool TakeDomNumbers(const simdjson::dom::object& object, std::vector<JsonField>* fields);

}  // namespace questline::io
