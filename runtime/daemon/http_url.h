// A webhook's `url`, taken apart once at configuration time so a typo is a
// FILE:LINE error at start, not a stream of failed requests later.
#pragma once

#include <cstdint>
#include <string>

namespace questline::daemon {

struct HttpUrl {
  std::string host;     // a name, an IPv4 literal or an IPv6 literal (without brackets)
  uint16_t port = 80;
  std::string target;   // the path and query, "/" when the URL has none
  std::string HostHeader() const;   // what the Host header says (port only when not 80)
};

// http://HOST[:PORT][/PATH]. False with `error` for anything else; https is
// refused by name (no TLS client in questd: put a local proxy in front).
bool ParseHttpUrl(const std::string& text, HttpUrl* url, std::string* error);

}  // namespace questline::daemon
