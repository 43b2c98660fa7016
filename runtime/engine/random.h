// The keyed deterministic random source of LANGUAGE.md §8: every draw is a
// SipHash-2-4 of (user, event id, draw index) under a key derived from the
// package's seed — unpredictable without the seed, identical on replay.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace questline::engine {

uint64_t SipHash24(uint64_t k0, uint64_t k1, const void* data, size_t size);

class KeyedRandom {
 public:
  explicit KeyedRandom(std::string_view seed);
  // A 64-bit draw for (user, event id, index).
  uint64_t Draw(std::string_view user, std::string_view event_id, uint64_t index) const;
  // Uniform in [0, n) without modulo bias (n > 0).
  uint64_t Below(uint64_t n, std::string_view user, std::string_view event_id, uint64_t index) const;
  // An index chosen with probability proportional to its weight; -1 when all are 0.
  int Weighted(const std::vector<int64_t>& weights, std::string_view user, std::string_view event_id,
               uint64_t index) const;

 private:
  uint64_t k0_, k1_;
};

}  // namespace questline::engine
