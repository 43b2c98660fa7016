// Duplicate detection over a bounded window of event time (docs/engine.md,
// "Duplicates"). A feed redelivers an event minutes or hours later, not
// months: remembering every id for ever is memory that grows with traffic,
// so an id is kept for `window` after the clock passed it, then forgotten.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "core/byte_io.h"
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
  // Forgets the id the last SeenOrAdd added (a step undone, kernel.cpp).
  void ForgetNewest();
  size_t Size() const { return count_; }
  // The ids in the window, oldest first, for a snapshot; Load adds them
  // back to an empty set (false: not empty, or the reader failed).
  void Save(core::ByteWriter& w) const;
  bool Load(core::ByteReader& r);
  int64_t Window() const { return window_ms_; }

 private:
  // An open-addressing set (linear probing, at most half full, deletion by
  // backward shift): a node-based set cost an allocation and a cache miss per
  // event, 5% of the engine's time on the casino benchmark.
  bool Insert(Hash128 key);   // false: already there
  void Erase(Hash128 key);
  void Grow();
  size_t Home(const Hash128& key) const { return size_t(key.lo) & (slots_.size() - 1); }

  int64_t window_ms_;
  uint64_t key0_, key1_;
  // 128 bits: with 64, a billion ids in a window would make a false duplicate
  // (a lost event) likely; with 128 it never happens in practice. A key is
  // never all zeros (that marks an empty slot): its lowest bit is set.
  std::vector<Hash128> slots_;
  size_t count_ = 0;
  std::deque<std::pair<int64_t, Hash128>> order_;   // by the clock when seen
};

}  // namespace questline::engine
