#include "compiler/syntax/utf8.h"

#include <cstdint>

namespace questline::syntax {
namespace {

// Length of the well-formed sequence starting at `i` (RFC 3629), or 0.
size_t SequenceLength(const std::string& s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) { n = 3; lo = 0xA0; }
  else if (c >= 0xE1 && c <= 0xEC) n = 3;
  else if (c == 0xED) { n = 3; hi = 0x9F; }
  else if (c >= 0xEE && c <= 0xEF) n = 3;
  else if (c == 0xF0) { n = 4; lo = 0x90; }
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) { n = 4; hi = 0x8F; }
  else return 0;
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

CleanText ValidateUtf8(const std::string& bytes) {
  CleanText out;
  out.text = bytes;
  out.cp_to_byte.reserve(bytes.size() + 1);
  size_t i = 0;
  size_t last_bad = SIZE_MAX;
  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    // Three one-byte code points for the lexer, so that code points and bytes
    // stay in step; the source manager starts line 1 after the mark.
    for (; i < 3; ++i) {
      out.text[i] = ' ';
      out.cp_to_byte.push_back(uint32_t(i));
    }
  }
  while (i < bytes.size()) {
    if (bytes[i] == '\0') {
      out.nul_offsets.push_back(uint32_t(i));
      out.text[i] = ' ';
      out.cp_to_byte.push_back(uint32_t(i));
      ++i;
      continue;
    }
    size_t n = SequenceLength(bytes, i);
    if (n == 0) {
      // A run of bad bytes is one finding.
      if (last_bad == SIZE_MAX || last_bad + 1 != i) out.bad_offsets.push_back(uint32_t(i));
      last_bad = i;
      out.text[i] = ' ';
      n = 1;
    }
    out.cp_to_byte.push_back(uint32_t(i));
    i += n;
  }
  out.cp_to_byte.push_back(uint32_t(bytes.size()));
  return out;
}

}  // namespace questline::syntax
