// UTF-8 validation before lexing. ANTLR's input stream throws on malformed
// UTF-8, so bad bytes are reported here and replaced by spaces: byte offsets
// stay exact and the lexer never sees them (no follow-on errors). NUL bytes
// are reported the same way (inside a string or a comment the lexer would
// accept them silently), and a leading byte-order mark becomes three spaces.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace questline::syntax {

struct CleanText {
  std::string text;                      // valid UTF-8, same byte length as the input
  std::vector<uint32_t> bad_offsets;     // first byte of each malformed sequence
  std::vector<uint32_t> nul_offsets;     // each NUL byte (legal UTF-8, never legal Questline)
  std::vector<uint32_t> cp_to_byte;      // code point index -> byte offset (+ one past end)
};

CleanText ValidateUtf8(const std::string& bytes);

}  // namespace questline::syntax
