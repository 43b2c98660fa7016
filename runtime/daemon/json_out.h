// The small JSON the daemon writes itself (answers, errors); state and
// actions come already encoded from the engine and runtime/io.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/event_reader.h"

namespace questline::daemon {

// `text` as a JSON string, quotes included (stdlib/json_text.h: the one
// definition the compiler and the runtime share).
void AppendJsonString(std::string& out, std::string_view text);
std::string JsonString(std::string_view text);

// {"error": MESSAGE}: the body of every 4xx/5xx answer.
std::string ErrorJson(std::string_view message);

// [{"line":N,"reason":"…"},…]: bad lines of a batch or rows of an import.
void AppendRejections(std::string& out, const std::vector<io::Rejection>& rejected);

}  // namespace questline::daemon
