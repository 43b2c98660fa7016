#include "runtime/daemon/http_url.h"

namespace questline::daemon {

std::string HttpUrl::HostHeader() const {
  const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port == 80 ? name : name + ":" + std::to_string(port);
}

bool ParseHttpUrl(const std::string& text, HttpUrl* url, std::string* error) {
  const std::string scheme = "http://";
  if (text.compare(0, 8, "https://") == 0) {
    *error = "https is not supported (questd has no TLS client); send to a local http:// proxy that adds TLS";
    return false;
  }
  if (text.compare(0, scheme.size(), scheme) != 0) {
    *error = "expects http://HOST[:PORT][/PATH], e.g. \"http://127.0.0.1:9000/bonus\"";
    return false;
  }
  const size_t start = scheme.size();
  size_t slash = text.find('/', start);
  if (slash == std::string::npos) slash = text.size();
  std::string authority = text.substr(start, slash - start);
  HttpUrl out;
  out.target = slash == text.size() ? "/" : text.substr(slash);
  std::string port;
  if (!authority.empty() && authority.front() == '[') {   // [::1]:8080
    const size_t close = authority.find(']');
    if (close == std::string::npos) {
      *error = "an IPv6 host needs its closing ']'";
      return false;
    }
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        *error = "expects ':PORT' after the IPv6 host";
        return false;
      }
      port = authority.substr(close + 2);
      if (port.empty()) port = "-";   // "[::1]:" is a port left out by mistake
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.empty() || colon + 1 == authority.size() ? "-" : authority.substr(colon + 1);
  }
  bool host_ok = !out.host.empty() && authority.find('@') == std::string::npos;
  for (char c : out.host) host_ok &= c > ' ' && c != '/' && c != '?' && c != '#';
  if (!host_ok) {
    *error = "the URL has no usable host (user:password@ is not supported)";
    return false;
  }
  if (!port.empty()) {
    bool ok = port.size() <= 5;
    for (char c : port) ok &= c >= '0' && c <= '9';
    if (!ok || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      *error = "the port must be a number from 1 to 65535";
      return false;
    }
    out.port = uint16_t(std::stoi(port));
  }
  for (char c : out.target)
    if (c <= ' ' || c == 127) {
      *error = "the path holds a space or a control character (escape it as %XX)";
      return false;
    }
  *url = std::move(out);
  return true;
}

}  // namespace questline::daemon
