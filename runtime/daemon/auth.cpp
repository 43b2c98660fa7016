#include "runtime/daemon/auth.h"

namespace questline::daemon {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of the longer one is compared, so the time does not reveal
  // where the first difference is; the length difference is folded in.
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  // volatile: the compiler must not turn the loop into an early exit.
  volatile unsigned char result = diff;
  return result == 0;
}

bool Authorized(std::string_view authorization, const std::string& token) {
  if (token.empty()) return true;
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() < kScheme.size()) return false;
  // The scheme is case-insensitive (RFC 7235); the token is not.
  for (size_t i = 0; i < kScheme.size(); ++i)
    if ((authorization[i] | 0x20) != (kScheme[i] | 0x20)) return false;
  return ConstantTimeEquals(authorization.substr(kScheme.size()), token);
}

}  // namespace questline::daemon
