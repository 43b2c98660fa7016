// Decoding of literal tokens into AST values. Each returns false with a reason
// when the text is malformed (the lexer accepts some shapes it cannot vouch for,
// e.g. `99:99` or a decimal with nine fractional digits).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace questline::syntax {

bool DecodeInt(std::string_view text, int64_t* out, std::string* why);
// Fixed point with ast::kDecimalDigits (8) fractional digits; more digits are
// an error in source, not a rounding (input events round, with a warning).
bool DecodeDecimal(std::string_view text, int64_t* out, std::string* why);
// `30s 15m 12h 7d 2w 500ms` to milliseconds.
bool DecodeDuration(std::string_view text, int64_t* out, std::string* why);
// `10%` / `12.5%` to the percentage scaled by ast::kDecimalScale.
bool DecodePercent(std::string_view text, int64_t* out, std::string* why);
// `10:00` to minutes since midnight; 24:00 is accepted as the end of a day.
bool DecodeTimeOfDay(std::string_view text, int64_t* out, std::string* why);
// `2026-12-05T00:00Z`, `2026-12-05T00:00:00+01:00` to epoch milliseconds (UTC).
bool DecodeInstant(std::string_view text, int64_t* out, std::string* why);
// A quoted string with `\" \\ \n \t \u{…}` escapes; `error_offset` is the byte
// offset of the bad escape inside `text` when decoding fails.
bool DecodeString(std::string_view text, std::string* out, std::string* why,
                  size_t* error_offset);
// `mon` … `sun` to 0 … 6, or -1.
int WeekdayIndex(std::string_view text);

}  // namespace questline::syntax
