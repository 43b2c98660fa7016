// The base protocol's framing: `Content-Length: N\r\n` headers, a blank line,
// then N bytes of JSON. Reading never trusts the peer: header lines and bodies
// have hard size limits, and a bad frame is skipped, not fatal.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace questline::lsp {

inline constexpr size_t kMaxHeaderLine = 1024;          // a header line longer than this is malformed
inline constexpr size_t kMaxHeaderLines = 32;
inline constexpr size_t kMaxMessageBytes = 64u << 20;   // a package of files fits many times over

enum class ReadStatus {
  Message,     // `body` holds one message
  BadFrame,    // headers without a usable Content-Length, or a body over the limit (skipped); `error` says which
  End,         // the input ended (between or inside messages)
};

ReadStatus ReadMessage(std::istream& in, std::string* body, std::string* error);
void WriteMessage(std::ostream& out, const std::string& body);

}  // namespace questline::lsp
