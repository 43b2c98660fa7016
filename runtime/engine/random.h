// The keyed deterministic random source of LANGUAGE.md §8: every draw is a
// SipHash-2-4 of (user, event id, draw index) under a key derived from the
// package's seed — unpredictable without the seed, identical on replay.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace questline::engine {

uint64_t SipHash24(uint64_t k0, uint64_t k1, const void* data, size_t size);

// SipHash-2-4 with its 128-bit output; `lo` and `hi` are the reference
// implementation's first and second eight output bytes, read little-endian.
struct Hash128 {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Hash128& o) const { return lo == o.lo && hi == o.hi; }
  bool operator<(const Hash128& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
};
Hash128 SipHash128(uint64_t k0, uint64_t k1, const void* data, size_t size);

class KeyedRandom {
 public:
  explicit KeyedRandom(std::string_view seed);
  // An action's idempotency key: a 128-bit SipHash of (source, user, event
  // id, ordinal) under a key of its own derived from the seed, so that keys
  // say nothing of the draws and sibling actions share no digits.
  Hash128 ActionKey(std::string_view source, std::string_view user, std::string_view event_id,
                    uint64_t ordinal) const;
  // The key event ids are hashed under for duplicate detection (RecentIds).
  std::pair<uint64_t, uint64_t> IdKey() const { return {id_k0_, id_k1_}; }
  // A 64-bit draw for (user, event id, index).
  uint64_t Draw(std::string_view user, std::string_view event_id, uint64_t index) const;
  // Uniform in [0, n) without modulo bias (n > 0).
  uint64_t Below(uint64_t n, std::string_view user, std::string_view event_id, uint64_t index) const;
  // An index chosen with probability proportional to its weight; -1 when all are 0.
  int Weighted(const std::vector<int64_t>& weights, std::string_view user, std::string_view event_id,
               uint64_t index) const;

 private:
  uint64_t k0_, k1_;
  uint64_t action_k0_, action_k1_;
  uint64_t id_k0_, id_k1_;
};

}  // namespace questline::engine
