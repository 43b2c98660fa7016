// A small deterministic random source for the differential test: splitmix64,
// seeded per case (seed = base + case index). Never std::random_device, so a
// seed printed by a failing run regenerates the same package and events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace questline::jitdiff {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) { return lo + int64_t(Below(uint64_t(hi - lo) + 1)); }
  // True with probability `percent` / 100.
  bool Chance(int percent) { return int(Below(100)) < percent; }

  template <typename T>
  const T& Pick(const std::vector<T>& items) { return items[size_t(Below(items.size()))]; }
  const char* Pick(std::initializer_list<const char*> items) { return items.begin()[Below(items.size())]; }

 private:
  uint64_t state_;
};

}  // namespace questline::jitdiff
