// Content digests: SHA-256 for cache keys (two programs collide only if they
// are the same program), FNV-1a for the checksum that ends every file the JIT
// writes (a torn or damaged file is refused, never linked).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace questline::jit {

// Lower-case hex SHA-256 of the parts, each length-prefixed so that
// ("ab", "c") and ("a", "bc") differ.
std::string Sha256Hex(const std::vector<std::string_view>& parts);

inline uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : bytes) {
    h ^= uint8_t(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace questline::jit
