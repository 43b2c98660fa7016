// Lines of a partition's log that are not events: one JSON object whose one
// key names what it is — {"competition_result":{…}}, {"stock_answer":{…}},
// and on the repartition topic {"stock_claim":{…}}. The key alone decides:
// a line that opens with it is parsed as that, never as an event.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace questline::io {

// Whether `line` opens with `{"KEY":` (blanks allowed around the brace).
bool OpensWithKey(std::string_view line, std::string_view key);
// `line` as {"KEY":{…}} and nothing else, at most `max_bytes` long: its
// inner object in `body` (valid while `parser` lives and parses nothing
// else). False with `error`, naming the line as `what`.
bool ParseKeyedObject(simdjson::dom::parser& parser, std::string_view line, std::string_view key, const char* what,
                      size_t max_bytes, simdjson::dom::object* body, std::string* error);

// Each field of `body` by its slot in `names` to `take`, which says whether
// its value is of the right type and value; `has[slot]` set for each. False
// with `error` for an unknown field or a value `take` refuses.
bool ReadFields(simdjson::dom::object body, const std::vector<std::string_view>& names, const char* what,
                const std::function<bool(size_t slot, simdjson::dom::element value)>& take, std::vector<bool>* has,
                std::string* error);

}  // namespace questline::io
