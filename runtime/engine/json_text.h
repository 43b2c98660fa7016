// JSON text for engine output (actions, state): exact decimals, RFC 3339
// times, escaped strings. Pure string building; writing is runtime/io's job.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/engine/core_names.h"
#include "runtime/engine/strings.h"

namespace questline::engine {

void AppendJsonString(std::string& out, std::string_view s);
void AppendDecimal(std::string& out, int64_t scaled);       // 1250000000 -> 12.5
void AppendTime(std::string& out, int64_t ms);              // "2026-12-01T10:00:00Z" (ms when non-zero)
void AppendHex64(std::string& out, uint64_t v);        // 16 lower-case hex digits
// A value of any kind (strings by their interned id): null, true, 12.5, "…".
void AppendValue(std::string& out, const Value& v, const StringPool& strings);

}  // namespace questline::engine
