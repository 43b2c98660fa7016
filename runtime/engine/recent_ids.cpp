#include "runtime/engine/recent_ids.h"

#include <limits>

namespace questline::engine {
namespace {

bool Empty(const Hash128& h) { return h.lo == 0 && h.hi == 0; }

}  // namespace

RecentIds::RecentIds(int64_t window_ms, uint64_t key0, uint64_t key1)
    : window_ms_(window_ms), key0_(key0), key1_(key1), slots_(1024) {}

bool RecentIds::SeenOrAdd(std::string_view id, int64_t now) {
  // Saturating: a window reaching before year 0 keeps everything.
  const int64_t oldest = now < std::numeric_limits<int64_t>::min() + window_ms_ ? std::numeric_limits<int64_t>::min()
                                                                              : now - window_ms_;
  while (!order_.empty() && order_.front().first < oldest) {
    Erase(order_.front().second);
    order_.pop_front();
  }
  Hash128 key = SipHash128(key0_, key1_, id.data(), id.size());
  key.lo |= 1;
  if (!Insert(key)) return true;
  order_.emplace_back(now, key);
  return false;
}

void RecentIds::ForgetNewest() {
  if (order_.empty()) return;
  Erase(order_.back().second);
  order_.pop_back();
}

bool RecentIds::Insert(Hash128 key) {
  if (2 * (count_ + 1) > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = Home(key);; i = (i + 1) & mask) {
    if (slots_[i] == key) return false;
    if (Empty(slots_[i])) {
      slots_[i] = key;
      ++count_;
      return true;
    }
  }
}

void RecentIds::Erase(Hash128 key) {
  const size_t mask = slots_.size() - 1;
  size_t i = Home(key);
  while (!(slots_[i] == key)) {
    if (Empty(slots_[i])) return;
    i = (i + 1) & mask;
  }
  // Backward shift: pull each later entry of the run into the hole unless its
  // home lies cyclically in (hole, entry], where it would no longer be found.
  for (size_t j = (i + 1) & mask; !Empty(slots_[j]); j = (j + 1) & mask) {
    const size_t home = Home(slots_[j]);
    const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (stays) continue;
    slots_[i] = slots_[j];
    i = j;
  }
  slots_[i] = Hash128{};
  --count_;
}

void RecentIds::Grow() {
  std::vector<Hash128> old(slots_.size() * 2);
  old.swap(slots_);
  count_ = 0;
  for (const Hash128& key : old)
    if (!Empty(key)) Insert(key);
}

void RecentIds::Save(core::ByteWriter& w) const {
  w.Unsigned(order_.size());
  for (const auto& [at, key] : order_) {
    w.Signed(at);
    w.Fixed64(key.lo);
    w.Fixed64(key.hi);
  }
}

bool RecentIds::Load(core::ByteReader& r) {
  if (count_ != 0) return false;
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    const int64_t at = r.Signed();
    Hash128 key;
    key.lo = r.Fixed64() | 1;
    key.hi = r.Fixed64();
    if (Insert(key)) order_.emplace_back(at, key);
  }
  return r.ok();
}

}  // namespace questline::engine
