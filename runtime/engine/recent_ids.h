// Duplicate detection over a bounded window of event time (docs/engine.md,
// "Duplicates"). A feed redelivers an event minutes or hours later, not
// months: remembering every id for ever is memory that grows with traffic,
// so an id is kept for `window` after the clock passed it, then forgotten.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_set>

#include "runtime/engine/random.h"

namespace questline::engine {

class RecentIds {
 public:
  // `key0`, `key1`: the SipHash key ids are hashed under (from the package's
  // seed, so that a feed cannot aim collisions at it).
  RecentIds(int64_t window_ms, uint64_t key0, uint64_t key1);

  // True when `id` was seen at or after `now - window` (a duplicate); else
  // remembers it at `now` and forgets what has left the window. `now` never
  // goes back (it is the engine's clock).
  bool SeenOrAdd(std::string_view id, int64_t now);
  size_t Size() const { return keys_.size(); }
  int64_t Window() const { return window_ms_; }

 private:
  struct KeyHash {
    size_t operator()(const Hash128& h) const { return size_t(h.lo); }
  };
  int64_t window_ms_;
  uint64_t key0_, key1_;
  // 128 bits: with 64, a billion ids in a window would make a false duplicate
  // (a lost event) likely; with 128 it never happens in practice.
  std::unordered_set<Hash128, KeyHash> keys_;
  std::deque<std::pair<int64_t, Hash128>> order_;   // by the clock when seen
};

}  // namespace questline::engine
